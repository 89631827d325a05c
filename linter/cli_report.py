"""``finops-lint report`` (a saved JSON report in another format) and ``finops-lint checkov-dir``."""

from __future__ import annotations

import click

from linter.cli_comment import _read_report


@click.command("report", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("report_path", type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["json", "sarif", "junit", "github", "markdown"]), required=True)
@click.option("--output", "-o", type=click.Path(), default=None, help="Write to a file.")
@click.option("--config", "config_path", type=click.Path(), default=None,
              help="Config file (rule docs, severities) [default: ./.finops-lint.yaml if present].")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(), help="Extra YAML rule directory.")
def render(report_path: str, fmt: str, output: str | None, config_path: str | None,
           rules_dirs: tuple[str, ...]) -> None:
    """Render a saved JSON report (scan or plan) in another format, e.g. SARIF for code scanning."""
    from linter.cli_options import load as _load
    from linter.report.formats import render_report

    report = _read_report(report_path)
    _, _, rules, _ = _load(config_path, rules_dirs)
    text = render_report(fmt, report, rules)
    if output:
        with open(output, "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(text + "\n")
    else:
        click.echo(text)


@click.command("checkov-dir")
def checkov_dir() -> None:
    """Print the directory of checkov external checks that run finops-lint's rules.

    checkov -d . --external-checks-dir "$(finops-lint checkov-dir)"   (finops-lint installed next to checkov)
    """
    from linter.integrations.checkov_bridge import checks_dir

    click.echo(checks_dir())
