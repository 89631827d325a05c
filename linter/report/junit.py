"""JUnit XML for CI test tabs: one test suite per rule, one test case per rule x resource; a finding is
a failure, so the CI shows which resources passed each rule and which did not."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from linter.report.summary import impact_text, money


def _resources(report: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r.get("file", ""), r.get("address", "")) for r in report.get("resources", [])]


def render(report: dict[str, Any], rules: dict[str, dict[str, Any]]) -> str:
    findings = report.get("findings", [])
    rule_ids = list(rules) + sorted({f["rule_id"] for f in findings} - set(rules))
    root = ET.Element("testsuites", name="finops-lint")
    total_tests = total_failures = 0
    for rule_id in rule_ids:
        mine = [f for f in findings if f["rule_id"] == rule_id]
        # a finding on a count/for_each block stands for its instances: they are not passes
        covered = {(f.get("file", ""), i.get("resource", "")) for f in mine for i in f.get("instances") or []}
        failed = {(f.get("file", ""), f.get("resource", "")): f for f in mine}
        cases = list(failed) + [key for key in _resources(report) if key not in failed and key not in covered]
        suite = ET.SubElement(root, "testsuite", name=rule_id, tests=str(len(cases)), failures=str(len(failed)),
                              errors="0", skipped="0")
        name = rules.get(rule_id, {}).get("name") or (mine[0].get("rule", "") if mine else "")
        if name:
            props = ET.SubElement(suite, "properties")
            ET.SubElement(props, "property", name="rule", value=name)
        for key in sorted(cases):
            case = ET.SubElement(suite, "testcase", classname=key[0] or "(no file)", name=f"{rule_id} {key[1]}")
            f = failed.get(key)
            if f is None:
                continue
            case.set("file", f.get("file", ""))
            case.set("line", str(f.get("line", "")))
            failure = ET.SubElement(case, "failure", type=f.get("severity", ""),
                                    message=f"{f['message']} ({impact_text(f)})")
            details = [f"{f.get('file')}:{f.get('line')} {f.get('resource')}",
                       f"severity: {f.get('severity')}", f"monthly cost: {money(f.get('monthly_cost_usd'))}",
                       f"impact: {impact_text(f)}", f"fix: {f.get('remediation', '')}",
                       *[f"assumption: {a}" for a in (f.get("impact") or {}).get("assumptions", [])]]
            failure.text = "\n".join(details)
        total_tests += len(cases)
        total_failures += len(failed)
    errors = report.get("errors", [])
    if errors:
        suite = ET.SubElement(root, "testsuite", name="finops-lint inputs", tests=str(len(errors)), failures="0",
                              errors=str(len(errors)), skipped="0")
        for e in errors:
            case = ET.SubElement(suite, "testcase", classname=e.get("file", ""), name=f"read {e.get('file', '')}")
            ET.SubElement(case, "error", message=e.get("message", "")).text = \
                f"{e.get('file')}:{e.get('line') or ''} {e.get('message', '')}"
        total_tests += len(errors)
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", str(len(errors)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
