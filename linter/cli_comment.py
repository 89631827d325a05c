"""``finops-lint comment github|gitlab``: the summary comment on a pull/merge request (and, with
``--inline``, review comments on the changed lines), from a JSON report or a scan run here."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from typing import Any

import click

EXIT_ERROR = 2


def _fail(message: str) -> None:
    click.echo(f"finops-lint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _read_report(path: str) -> dict[str, Any]:
    try:
        with (sys.stdin if path == "-" else open(path, encoding="utf-8")) as fh:
            data = json.load(fh)
    except OSError as exc:
        _fail(f"{path}: cannot read report ({exc.strerror or exc})")
    except ValueError as exc:
        _fail(f"{path}: not a JSON report ({exc})")
    if not isinstance(data, dict) or data.get("schema_version") != 1 or "findings" not in data:
        _fail(f"{path}: not a finops-lint JSON report (schema_version 1)")
    return data


def _scan(scan_args: tuple[str, ...]) -> dict[str, Any]:
    """Run ``finops-lint scan ARGS --format json`` here; a scan with read errors still gives its report."""
    import tempfile

    from linter.cli import scan

    with tempfile.TemporaryDirectory(prefix="finops-lint-") as tmp:
        out = os.path.join(tmp, "report.json")
        args = [*(scan_args or (".",)), "--format", "json", "--output", out]
        try:
            scan.main(args=args, prog_name="finops-lint scan", standalone_mode=False)
        except SystemExit as exc:
            if exc.code not in (0, 1, 2) or not os.path.exists(out):
                raise
        return _read_report(out)


def common(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.argument("scan_args", nargs=-1, type=click.UNPROCESSED),
        click.option("--report", "report_path", type=click.Path(allow_dash=True), default=None,
                     help="JSON report to post (from scan/plan --format json; '-' for stdin). Without it, "
                          "scan the given paths and scan options here."),
        click.option("--base-report", type=click.Path(), default=None,
                     help="JSON report of the base branch: the comment shows the monthly cost delta."),
        click.option("--behavior", type=click.Choice(["update", "new", "hide-and-new", "delete-and-new"]),
                     default="update", show_default=True, help="What to do with the earlier comment."),
        click.option("--tag", default="default", show_default=True,
                     help="Marker tag: separate comments for several projects in one pull request."),
        click.option("--inline", is_flag=True, help="Also post review comments on changed lines with findings."),
        click.option("--path-prefix", default="",
                     help="Prefix turning report paths into repository paths (scan run in a subdirectory)."),
        click.option("--dry-run", is_flag=True, help="Print the comment body; call no API."),
    ]
    return functools.reduce(lambda acc, deco: deco(acc), reversed(options), f)


def _body(report: dict[str, Any], base_path: str | None, tag: str) -> str:
    from linter.integrations.review import marker
    from linter.report.markdown import COMMENT_LIMIT, render_template

    base = _read_report(base_path) if base_path else None
    return render_template("comment.md.j2", report, base, limit=COMMENT_LIMIT, marker=marker(tag))


def _run(make: Callable[[], Any], report: dict[str, Any], opts: dict[str, Any]) -> None:
    from linter.integrations.http import ApiError
    from linter.integrations.review import publish, publish_inline

    body = _body(report, opts["base_report"], opts["tag"])
    if opts["dry_run"]:
        click.echo(body)
        return
    try:
        platform = make()
        for line in publish(platform, body, opts["behavior"], opts["tag"]):
            click.echo(f"finops-lint: {line}")
        if opts["inline"]:
            for line in publish_inline(platform, report, opts["path_prefix"]):
                click.echo(f"finops-lint: {line}")
    except ApiError as exc:
        _fail(str(exc))


def _report(opts: dict[str, Any]) -> dict[str, Any]:
    return _read_report(opts["report_path"]) if opts["report_path"] else _scan(opts["scan_args"])


def _token(name: str, dry_run: bool) -> str:
    token = os.environ.get(name, "")
    if not token and not dry_run:
        _fail(f"{name} is not set: export a token that may comment on pull requests (or use --dry-run)")
    return token


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def comment() -> None:
    """Post the finops-lint summary on a pull/merge request and keep it up to date."""


_SETTINGS = {"ignore_unknown_options": True, "help_option_names": ["-h", "--help"]}


@comment.command(context_settings=_SETTINGS)
@common
@click.option("--repo", default=lambda: os.environ.get("GITHUB_REPOSITORY", ""),
              help="owner/name [default: $GITHUB_REPOSITORY].")
@click.option("--pr", "number", type=int, default=None,
              help="Pull request number [default: from the GitHub Actions event].")
@click.option("--api-url", default=lambda: os.environ.get("GITHUB_API_URL", ""),
              help="REST API base, e.g. https://github.example.com/api/v3 [default: $GITHUB_API_URL or "
                   "https://api.github.com].")
def github(repo: str, number: int | None, api_url: str, **opts: Any) -> None:
    """Comment on a GitHub pull request (token: $GITHUB_TOKEN)."""
    from linter.integrations import github as gh

    token = _token("GITHUB_TOKEN", opts["dry_run"])
    number = number or gh.pr_from_environment()
    if not opts["dry_run"] and (not repo or not number):
        _fail("no pull request: pass --repo owner/name and --pr N (set automatically in GitHub Actions)")
    report = _report(opts)
    _run(lambda: gh.GitHub(api_url or gh.DEFAULT_API, token, repo, int(number or 0)), report, opts)


@comment.command(context_settings=_SETTINGS)
@common
@click.option("--project", default=lambda: os.environ.get("CI_PROJECT_ID", ""),
              help="Project id or path [default: $CI_PROJECT_ID].")
@click.option("--mr", "iid", type=int, default=lambda: int(os.environ.get("CI_MERGE_REQUEST_IID") or 0) or None,
              help="Merge request IID [default: $CI_MERGE_REQUEST_IID].")
@click.option("--api-url", default=lambda: os.environ.get("CI_API_V4_URL", ""),
              help="REST API base, e.g. https://gitlab.example.com/api/v4 [default: $CI_API_V4_URL or "
                   "https://gitlab.com/api/v4].")
def gitlab(project: str, iid: int | None, api_url: str, **opts: Any) -> None:
    """Comment on a GitLab merge request (token: $GITLAB_TOKEN)."""
    from linter.integrations import gitlab as gl

    token = _token("GITLAB_TOKEN", opts["dry_run"])
    if not opts["dry_run"] and (not project or not iid):
        _fail("no merge request: pass --project and --mr (set automatically in merge request pipelines)")
    report = _report(opts)
    _run(lambda: gl.GitLab(api_url or gl.DEFAULT_API, token, project, int(iid or 0)), report, opts)
