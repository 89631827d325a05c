"""Markdown report (and the PR comment body) rendered from Jinja2 templates in ``templates/``."""

from __future__ import annotations

from typing import Any

from linter.report.summary import impact_text, money, signed, summarize

COMMENT_LIMIT = 65_536  # GitHub's limit on an issue comment; GitLab notes allow more


def _cell(value: Any) -> str:
    """Table cells: no newlines, no column breaks."""
    return " ".join(str(value).split()).replace("|", "\\|")


def environment() -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("linter.report", "templates"), autoescape=False,
                             keep_trailing_newline=True, undefined=jinja2.ChainableUndefined)
    env.filters["cell"] = _cell
    env.globals.update(money=money, signed=signed, impact_text=impact_text)
    return env


def render_template(name: str, report: dict[str, Any], base: dict[str, Any] | None = None,
                    limit: int | None = None, **extra: Any) -> str:
    """Render ``name``; with ``limit``, drop per-file tables from the end (saying so) until it fits."""
    template = environment().get_template(name)
    context = {**summarize(report, base), **extra}
    files = len(context["files"])
    body = template.render(context, file_limit=files)
    if limit is None or len(body) <= limit:
        return body
    low, high = 0, files  # the largest number of file tables that fits
    while low < high:
        mid = (low + high + 1) // 2
        if len(template.render(context, file_limit=mid)) <= limit:
            low = mid
        else:
            high = mid - 1
    body = template.render(context, file_limit=low)
    if len(body) > limit:  # even the summary is too long (huge plan diff): cut it, with the note
        note = "\n\n> ⚠️ Truncated to stay under the comment size limit.\n"
        body = body[: limit - len(note)] + note
    return body


def render(report: dict[str, Any], rules: dict[str, dict[str, Any]]) -> str:
    return render_template("report.md.j2", report)
