"""The comment life cycle shared by GitHub and GitLab: find our earlier comments by their hidden marker,
then update, add, hide or delete as the behaviour says; skip when the body is unchanged. Inline review
comments go on changed lines only, once per finding."""

from __future__ import annotations

import os
from typing import Any, Protocol

from linter.records import record

BEHAVIORS = ("update", "new", "hide-and-new", "delete-and-new")


def marker(tag: str) -> str:
    return f"<!-- finops-lint-comment:{tag} -->"


def inline_marker(fingerprint: str) -> str:
    return f"<!-- finops-lint-inline:{fingerprint} -->"


@record
class Comment:
    id: Any
    body: str
    node_id: str | None = None  # GitHub's GraphQL id, for hiding


@record
class InlineComment:
    path: str
    line: int
    body: str
    fingerprint: str


class Platform(Protocol):
    def list_comments(self) -> list[Comment]: ...
    def create(self, body: str) -> Comment: ...
    def update(self, comment: Comment, body: str) -> None: ...
    def delete(self, comment: Comment) -> None: ...
    def hide(self, comment: Comment, tag: str) -> None: ...
    def changed_lines(self) -> dict[str, set[int]]: ...
    def inline_bodies(self) -> list[str]: ...
    def post_inline(self, comments: list[InlineComment]) -> None: ...


def publish(platform: Platform, body: str, behavior: str, tag: str) -> list[str]:
    """Post ``body`` (which starts with the marker); returns what was done, one line per action."""
    mark = marker(tag)
    ours = [c for c in platform.list_comments() if mark in c.body]
    latest = ours[-1] if ours else None
    if latest is not None and latest.body.strip() == body.strip():
        return [f"comment {latest.id} unchanged; nothing posted"]
    done: list[str] = []
    if behavior == "update" and latest is not None:
        platform.update(latest, body)
        return [f"updated comment {latest.id}"]
    if behavior == "hide-and-new":
        for c in ours:
            platform.hide(c, tag)
            done.append(f"hid comment {c.id}")
    elif behavior == "delete-and-new":
        for c in ours:
            platform.delete(c)
            done.append(f"deleted comment {c.id}")
    created = platform.create(body)
    done.append(f"created comment {created.id}")
    return done


def inline_comments(report: dict[str, Any], changed: dict[str, set[int]], prefix: str = "") -> list[InlineComment]:
    """One comment per finding whose line (or a module block leading to it) is on a changed line."""
    from linter.report.markdown import environment

    template = environment().get_template("inline.md.j2")
    out: list[InlineComment] = []
    for f in report.get("findings", []):
        places = [(f.get("file"), f.get("line")), *[(c.get("file"), c.get("line")) for c in f.get("called_from") or []]]
        for file, line in places:
            if not file or not line:
                continue
            path = os.path.normpath(os.path.join(prefix, file)).replace(os.sep, "/")
            if int(line) in changed.get(path, set()):
                body = template.render(f=f, marker=inline_marker(f.get("fingerprint", "")), here=(file, line))
                out.append(InlineComment(path, int(line), body, f.get("fingerprint", "")))
                break
    return out


def publish_inline(platform: Platform, report: dict[str, Any], prefix: str = "") -> list[str]:
    comments = inline_comments(report, platform.changed_lines(), prefix)
    existing = "\n".join(platform.inline_bodies())
    new = [c for c in comments if inline_marker(c.fingerprint) not in existing]
    if not new:
        return [f"inline: {len(comments)} finding(s) on changed lines, none new"]
    platform.post_inline(new)
    return [f"inline: posted {len(new)} review comment(s) on changed lines"]
