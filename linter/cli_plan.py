"""``finops-lint plan PLAN.json``: findings and cost diff of a Terraform/OpenTofu plan, as a CI gate.

Kept apart from ``cli.py``; it takes the options every scanning command shares (``cli_options``) plus the
plan's own (source directory, ``--all``, the budget gates). Heavy imports happen inside the command.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from linter.cli_options import EXIT_FINDINGS, EXIT_OK, emit, fail, finish, prepare, report_options, scan_options


@click.command("plan")
@click.argument("plan_file", type=click.Path())
@click.option("--source-dir", type=click.Path(), default=None,
              help="Root module the plan was made from: findings get .tf file and line, and inline "
                   "ignores apply [default: the plan file's directory when it holds .tf files].")
@click.option("--all", "all_resources", is_flag=True,
              help="Report findings on the whole planned state, not only created or updated resources.")
@click.option("--max-monthly-increase", type=click.FloatRange(min=0), default=None, metavar="USD",
              help="Fail when the plan raises the monthly cost by more than USD.")
@click.option("--max-monthly-increase-percent", type=click.FloatRange(min=0), default=None, metavar="P",
              help="Fail when the plan raises the monthly cost by more than P percent.")
@click.option("--max-monthly-total", type=click.FloatRange(min=0), default=None, metavar="USD",
              help="Fail when the planned state costs more than USD a month.")
@report_options
@scan_options
def plan(plan_file: str, source_dir: str | None, all_resources: bool, max_monthly_increase: float | None,
         max_monthly_increase_percent: float | None, max_monthly_total: float | None, fmt: str,
         output: str | None, verbose: bool, color: bool | None, **shared: Any) -> None:
    """Lint and price a plan: terraform show -json tfplan > plan.json (or tofu show -json, or
    pulumi preview --json > preview.json).

    Exit 1 when a gate trips: a finding at or above --fail-on, or a --max-monthly-* budget exceeded.
    """
    from linter.costdiff import GateLimits, describe, report_fields
    from linter.plan import PlanOptions, check_plan
    from linter.sources.terraform_plan.document import PlanError

    prepared = prepare([os.path.dirname(os.path.abspath(plan_file))], **shared)
    limits = GateLimits(max_monthly_increase_usd=max_monthly_increase,
                        max_monthly_increase_percent=max_monthly_increase_percent,
                        max_monthly_total_usd=max_monthly_total, fail_on=prepared.fail_on)
    try:
        result = check_plan(plan_file, prepared.config, prepared.catalog, prepared.rules,
                            PlanOptions(source_dir=source_dir, all_resources=all_resources, limits=limits,
                                        scan=prepared.options))
    except PlanError as exc:
        fail(str(exc))
    use_color = False
    if fmt != "text":
        from linter.report.formats import render_report
        from linter.report.json_report import build

        report = build(result.scan, {**report_fields(result.diff, result.gates), "plan": result.info},
                       show_suppressed=prepared.show_suppressed)
        text = render_report(fmt, report, prepared.rules)
    else:
        from linter.report.plan_text import render as render_plan
        from linter.report.text import terminal_width, wants_color

        use_color = wants_color(color, output)
        text = render_plan(result, color=use_color, verbose=verbose, show_suppressed=prepared.show_suppressed,
                           errors_inline=output is not None, width=terminal_width(output))
    emit(text, output, use_color)
    for gate in result.failed_gates:
        click.echo(f"finops-lint: {describe(gate)}", err=True)
    budget_failed = any(g.name != "fail-on" for g in result.failed_gates)
    try:
        finish(result.scan, prepared)  # baseline file, errors and warnings, exit 2 on errors, 1 on findings
    except SystemExit as exc:
        sys.exit(EXIT_FINDINGS if exc.code == EXIT_OK and budget_failed else exc.code)
