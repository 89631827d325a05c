"""Command line: ``finops-lint scan|rules|explain``. Heavy imports happen inside commands."""

from __future__ import annotations

import sys
from typing import Any

import click

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SEVERITIES = ["info", "low", "medium", "high", "critical", "none"]


def _fail(message: str) -> None:
    click.echo(f"finops-lint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _load(config_path: str | None, rules_dirs: tuple[str, ...]) -> tuple[Any, Any, Any, str | None]:
    from linter.config import ConfigError, load_config
    from linter.engine import make_catalog
    from linter.rules.impacts import IMPACTS
    from linter.rules.loader import RuleError, load_rules

    try:
        config, path = load_config(config_path)
    except ConfigError as exc:
        _fail(str(exc))
    try:
        rules = load_rules([*config.rules_dirs, *rules_dirs], set(IMPACTS))
    except RuleError as exc:
        _fail(str(exc))
    return config, make_catalog(config, path), rules, path


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="finops-lint", prog_name="finops-lint")
def main() -> None:
    """Policy-as-code FinOps linter for AI infrastructure: finds costly patterns and prices them."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit", "github", "markdown"]),
              default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Lowest severity that makes the exit code 1 [default: low, or fail_on in config].")
@click.option("--config", "config_path", type=click.Path(), default=None,
              help="Config file [default: ./.finops-lint.yaml if present].")
@click.option("--baseline", type=click.Path(), default=None, help="Report only findings not in this baseline.")
@click.option("--write-baseline", type=click.Path(), default=None,
              help="Write all current findings to this baseline file.")
@click.option("--var-file", "var_files", multiple=True, type=click.Path(), help="Terraform variables file.")
@click.option("--var", "cli_vars", multiple=True, help="Terraform variable, NAME=VALUE.")
@click.option("--stack", default=None, help="Pulumi stack: read Pulumi.<STACK>.yaml config [default: the only one].")
@click.option("--pulumi-execute", is_flag=True,
              help="Run Python Pulumi programs under Pulumi's mock runtime (no CLI, no cloud) instead of reading "
                   "them statically; needs pip install 'finops-lint[pulumi]' and the program's provider packages.")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(), help="Extra YAML rule directory.")
@click.option("--filter", "filters", multiple=True, type=click.Path(),
              help="Report only findings in this file (or reached through a module block in it; a tfvars file: "
                   "its module's findings), like tflint --filter. Repeatable.")
@click.option("--output", "-o", type=click.Path(), default=None, help="Write the report to a file.")
@click.option("--verbose", "-v", is_flag=True, help="Text: show remediation and assumptions.")
@click.option("--color/--no-color", default=None, help="Colour text output [default: on a TTY].")
def scan(paths: tuple[str, ...], fmt: str, fail_on: str | None, config_path: str | None, baseline: str | None,
         write_baseline: str | None, var_files: tuple[str, ...], cli_vars: tuple[str, ...], stack: str | None,
         pulumi_execute: bool, rules_dirs: tuple[str, ...], filters: tuple[str, ...], output: str | None,
         verbose: bool, color: bool | None) -> None:
    """Scan files or directories (a file means its whole Terraform module directory)."""
    from linter.engine import ScanOptions, exceeds
    from linter.engine import scan as run_scan
    from linter.suppress import BaselineError, read_baseline
    from linter.suppress import write_baseline as save_baseline

    config, catalog, rules, _ = _load(config_path, rules_dirs)
    variables: dict[str, str] = {}
    for item in cli_vars:
        if "=" not in item:
            _fail(f"--var '{item}': expected NAME=VALUE")
        name, value = item.split("=", 1)
        variables[name.strip()] = value
    baseline_set = None
    if baseline:
        try:
            baseline_set = read_baseline(baseline)
        except BaselineError as exc:
            _fail(str(exc))
    options = ScanOptions(var_files=list(var_files), cli_vars=variables, baseline=baseline_set, stack=stack,
                          pulumi_execute=pulumi_execute)
    if filters:
        from linter.hook import FileFilter

        options.keep = FileFilter(filters)
    result = run_scan(list(paths) or ["."], config, catalog, rules, options)
    if write_baseline:
        save_baseline(write_baseline, result.findings)
    use_color = False
    if fmt != "text":
        from linter.report.formats import render_report
        from linter.report.json_report import build

        text = render_report(fmt, build(result), rules)
    else:
        from linter.report.text import render as render_text

        use_color = color if color is not None else (output is None and sys.stdout.isatty())
        text = render_text(result, color=use_color, verbose=verbose)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    else:
        click.echo(text, color=use_color)
    if fmt != "text":
        for e in result.errors:
            click.echo(f"finops-lint: {e.one_line()}", err=True)
    if result.errors:
        sys.exit(EXIT_ERROR)
    threshold = fail_on or config.fail_on
    sys.exit(EXIT_FINDINGS if exceeds(result.findings, threshold) else EXIT_OK)


@main.command("rules")
@click.option("--config", "config_path", type=click.Path(), default=None)
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path())
def list_rules(config_path: str | None, rules_dirs: tuple[str, ...]) -> None:
    """List the rules: id, name, severity and what each catches."""
    config, _, rules, _ = _load(config_path, rules_dirs)
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
    _, _, rules, _ = _load(config_path, rules_dirs)
    rule = next((r for r in rules if r.id.lower() == rule_id.lower()), None)
    if rule is None:
        _fail(f"no rule '{rule_id}'; run 'finops-lint rules' to list them")
    assert rule is not None
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


def _register() -> None:
    """Commands that live in their own modules (kept apart to keep this file small)."""
    from linter.cli_comment import comment
    from linter.cli_hook import hook
    from linter.cli_report import checkov_dir, render

    main.add_command(hook)
    main.add_command(comment)
    main.add_command(render)
    main.add_command(checkov_dir)


_register()
