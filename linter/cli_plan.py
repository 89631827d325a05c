"""``finops-lint plan PLAN.json``: findings and cost diff of a Terraform/OpenTofu plan, as a CI gate.

Kept apart from ``cli.py`` (scan's flags) so each command's options evolve on their own; heavy
imports happen inside the command.
"""

from __future__ import annotations

import sys

import click

from linter.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, SEVERITIES, _fail, _load


@click.command("plan")
@click.argument("plan_file", type=click.Path())
@click.option("--source-dir", type=click.Path(), default=None,
              help="Root module the plan was made from: findings get .tf file and line, and inline "
                   "ignores apply [default: the plan file's directory when it holds .tf files].")
@click.option("--all", "all_resources", is_flag=True,
              help="Report findings on the whole planned state, not only created or updated resources.")
@click.option("--max-monthly-increase", type=float, default=None, metavar="USD",
              help="Fail when the plan raises the monthly cost by more than USD.")
@click.option("--max-monthly-increase-percent", type=float, default=None, metavar="P",
              help="Fail when the plan raises the monthly cost by more than P percent.")
@click.option("--max-monthly-total", type=float, default=None, metavar="USD",
              help="Fail when the planned state costs more than USD a month.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Lowest severity that makes the exit code 1 [default: low, or fail_on in config].")
@click.option("--config", "config_path", type=click.Path(), default=None,
              help="Config file [default: ./.finops-lint.yaml if present].")
@click.option("--baseline", type=click.Path(), default=None, help="Report only findings not in this baseline.")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(), help="Extra YAML rule directory.")
@click.option("--output", "-o", type=click.Path(), default=None, help="Write the report to a file.")
@click.option("--verbose", "-v", is_flag=True, help="Text: show remediation and assumptions.")
@click.option("--color/--no-color", default=None, help="Colour text output [default: on a TTY].")
def plan(plan_file: str, source_dir: str | None, all_resources: bool, max_monthly_increase: float | None,
         max_monthly_increase_percent: float | None, max_monthly_total: float | None, fmt: str,
         fail_on: str | None, config_path: str | None, baseline: str | None, rules_dirs: tuple[str, ...],
         output: str | None, verbose: bool, color: bool | None) -> None:
    """Lint and price a plan: terraform show -json tfplan > plan.json (or tofu show -json).

    Exit 1 when a gate trips: a finding at or above --fail-on, or a --max-monthly-* budget exceeded.
    """
    from linter.costdiff import GateLimits, describe
    from linter.plan import PlanOptions, check_plan
    from linter.sources.terraform_plan.document import PlanError
    from linter.suppress import BaselineError, read_baseline

    config, catalog, rules, _ = _load(config_path, rules_dirs)
    for name, value in (("--max-monthly-increase", max_monthly_increase), ("--max-monthly-total", max_monthly_total),
                        ("--max-monthly-increase-percent", max_monthly_increase_percent)):
        if value is not None and value < 0:
            _fail(f"{name} {value:g}: expected a number >= 0")
    baseline_set = None
    if baseline:
        try:
            baseline_set = read_baseline(baseline)
        except BaselineError as exc:
            _fail(str(exc))
    limits = GateLimits(max_monthly_increase_usd=max_monthly_increase,
                        max_monthly_increase_percent=max_monthly_increase_percent,
                        max_monthly_total_usd=max_monthly_total, fail_on=fail_on or config.fail_on)
    try:
        result = check_plan(plan_file, config, catalog, rules,
                            PlanOptions(source_dir=source_dir, all_resources=all_resources, baseline=baseline_set,
                                        limits=limits))
    except PlanError as exc:
        _fail(str(exc))
    use_color = False
    if fmt == "json":
        from linter.costdiff import report_fields
        from linter.report.json_report import render as render_json

        text = render_json(result.scan, {**report_fields(result.diff, result.gates), "plan": result.info})
    else:
        from linter.report.plan_text import render as render_plan

        use_color = color if color is not None else (output is None and sys.stdout.isatty())
        text = render_plan(result, color=use_color, verbose=verbose)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    else:
        click.echo(text, color=use_color)
    for gate in result.failed_gates:
        click.echo(f"finops-lint: {describe(gate)}", err=True)
    if fmt == "json":
        for e in result.scan.errors:
            click.echo(f"finops-lint: {e.one_line()}", err=True)
    if result.scan.errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if result.failed_gates else EXIT_OK)
