"""Command line: ``finops-lint scan|rules|explain``. Heavy imports happen inside commands."""

from __future__ import annotations

import sys
from typing import Any

import click

from linter.cli_options import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    SEVERITIES,
    emit,
    fail,
    load,
    outcome,
    prepare,
    report_options,
    scan_options,
)

__all__ = ["EXIT_ERROR", "EXIT_FINDINGS", "EXIT_OK", "SEVERITIES", "main"]
_fail, _load = fail, load  # older names, for commands in other modules


class _LazyGroup(click.Group):
    """Commands that live in their own modules are imported when named (or listed by --help), so a pre-commit
    ``scan`` does not import the plan, comment, hook and report commands."""

    LAZY = {"plan": ("linter.cli_plan", "plan"), "hook": ("linter.cli_hook", "hook"),
            "comment": ("linter.cli_comment", "comment"), "report": ("linter.cli_report", "render"),
            "checkov-dir": ("linter.cli_report", "checkov_dir")}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.LAZY and name not in self.commands:
            import importlib

            module, attr = self.LAZY[name]
            self.add_command(getattr(importlib.import_module(module), attr), name)
        return super().get_command(ctx, name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="finops-lint", prog_name="finops-lint")
def main() -> None:
    """Policy-as-code FinOps linter for AI infrastructure: finds costly patterns and prices them."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@report_options
@click.option("--var-file", "var_files", multiple=True, type=click.Path(), help="Terraform variables file.")
@click.option("--var", "cli_vars", multiple=True, help="Terraform variable, NAME=VALUE.")
@click.option("--stack", default=None, help="Pulumi stack: read Pulumi.<STACK>.yaml config [default: the only one].")
@click.option("--pulumi-execute", is_flag=True,
              help="Run Python Pulumi programs under Pulumi's mock runtime (no CLI, no cloud) instead of reading "
                   "them statically; needs pip install 'finops-lint[pulumi]' and the program's provider packages.")
@click.option("--filter", "filters", multiple=True, type=click.Path(),
              help="Report only findings in this file (or reached through a module block in it; a tfvars file: "
                   "its module's findings), like tflint --filter. Repeatable.")
@scan_options
def scan(paths: tuple[str, ...], fmt: str, output: str | None, verbose: bool, color: bool | None,
         var_files: tuple[str, ...], cli_vars: tuple[str, ...], stack: str | None, pulumi_execute: bool,
         filters: tuple[str, ...], **shared: Any) -> None:
    """Scan files or directories (a file means its whole Terraform module directory)."""
    from linter import cache
    from linter.replay import begin

    cache.set_enabled(not shared.get("no_cache"))
    recording = begin("scan", {"paths": paths, "fmt": fmt, "output": output, "verbose": verbose, "color": color,
                               "var_files": var_files, "cli_vars": cli_vars, "stack": stack,
                               "pulumi_execute": pulumi_execute, "filters": filters, **shared})
    if recording is not None and recording.stored is not None:
        recording.replay()  # nothing it read has changed: print the same report, exit with the same code
    try:
        text, use_color, lines, code = _scan(paths, fmt, output, verbose, color, var_files, cli_vars, stack,
                                             pulumi_execute, filters, shared)
        if recording is not None:
            recording.save(text, output, use_color, lines, code)
    finally:
        from linter import inputs

        inputs.stop()
        cache.drop_blob_files()  # an inventory file the replay entry did not take (its output still reads it)
    emit(text, output, use_color)
    for line in lines:
        click.echo(line, err=True)
    cache.maybe_prune()  # the cache's size bound, now and then (after the report: nothing waits on it)
    sys.exit(code)


def _scan(paths: tuple[str, ...], fmt: str, output: str | None, verbose: bool, color: bool | None,
          var_files: tuple[str, ...], cli_vars: tuple[str, ...], stack: str | None, pulumi_execute: bool,
          filters: tuple[str, ...], shared: dict[str, Any]) -> tuple[str, bool, list[str], int]:
    """The report text, whether it is coloured, the stderr lines and the exit code."""
    targets = list(paths) or ["."]
    variables: dict[str, str] = {}
    for item in cli_vars:
        if "=" not in item:
            fail(f"--var '{item}': expected NAME=VALUE")
        name, value = item.split("=", 1)
        variables[name.strip()] = value
    prepared = prepare(targets, **shared, discover_early=True)
    options = prepared.options
    inventory: list[Any] = []
    try:
        options.var_files, options.cli_vars = list(var_files), variables
        options.stack, options.pulumi_execute = stack, pulumi_execute
        if filters:
            from linter.hook import FileFilter

            options.keep = FileFilter(filters)
        if fmt == "json" and options.jobs != 1:  # a large inventory is rendered by a child while the rules run
            from linter.report.background import start

            options.after_facts = lambda resources: inventory.append(start(resources))
            options.json_findings = True
        from linter.engine import scan as run_scan  # after prepare: imported while the discovery child walks

        result = run_scan(targets, prepared.config, prepared.catalog, prepared.rules, options)
    finally:
        if options.discovered is not None:  # the scan failed before it took the files the child found
            options.discovered.abandon()
            options.discovered = None
    if filters:  # notes about files outside the filter (a module's other files) are context, not news
        result.skipped = [s for s in result.skipped if options.keep.covers(s.file)]  # type: ignore[union-attr]
    use_color = False
    report = None
    if fmt != "text":
        from linter.report.formats import render_report
        from linter.report.json_report import build

        child = inventory[0] if inventory else None
        report = build(result, show_suppressed=prepared.show_suppressed,
                       resources=(lambda: child.file(result.resources)) if child is not None else None,
                       encoded=fmt == "json")
        text = render_report(fmt, report, prepared.rules)  # the findings first, then the child's lines
    else:
        from linter.report.text import render as render_text
        from linter.report.text import terminal_width, wants_color

        use_color = wants_color(color, output)
        text = render_text(result, color=use_color, verbose=verbose, show_suppressed=prepared.show_suppressed,
                           errors_inline=output is not None, width=terminal_width(output))
    lines, code = outcome(result, prepared)
    from linter.parked import park

    park(result, inventory, report)  # every resource and finding: the process exit drops them (linter/parked.py)
    return text, use_color, lines, code


@main.command("rules")
@click.option("--config", "config_path", type=click.Path(), default=None)
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path())
def list_rules(config_path: str | None, rules_dirs: tuple[str, ...]) -> None:
    """List the rules: id, name, severity and what each catches."""
    config, _, rules, _ = load(config_path, rules_dirs)
    for rule in sorted(rules, key=lambda r: r.id):
        state = " (disabled)" if rule.id in config.disabled_rules else ""
        severity = config.severity.get(rule.id, rule.severity)
        click.echo(f"{rule.id:<14} {rule.name:<36} {severity:<8} {rule.summary}{state}")


@main.command()
@click.argument("rule_id")
@click.option("--config", "config_path", type=click.Path(), default=None)
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path())
def explain(rule_id: str, config_path: str | None, rules_dirs: tuple[str, ...]) -> None:
    """Print a rule's documentation: what it does, why it costs money, example, fix."""
    _, _, rules, _ = load(config_path, rules_dirs)
    rule = next((r for r in rules if r.id.lower() == rule_id.lower()), None)
    if rule is None:
        from linter.rules.ids import unknown_id_message

        fail(unknown_id_message(rule_id, [r.id for r in rules]))
    click.echo(f"{rule.id} ({rule.name}), severity {rule.severity}\n")
    for title, key in (("What it does", "what"), ("Why is this bad?", "why"), ("Example", "example"),
                       ("Use instead", "fix")):
        click.echo(f"## {title}")
        body = rule.docs[key].rstrip()
        if key in ("example", "fix"):
            body = "\n".join("    " + ln for ln in body.splitlines())
        click.echo(body + "\n")
    click.echo(f"Fires when: {' '.join(rule.when_source.split())}")
    click.echo(f"Cost model: {rule.impact}")
    if rule.docs.get("formula"):
        click.echo(f"Formula: {' '.join(rule.docs['formula'].split())}")
