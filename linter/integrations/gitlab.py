"""GitLab (gitlab.com or self-managed) REST endpoints for merge request notes and diff discussions."""

from __future__ import annotations

import urllib.parse
from typing import Any

from linter.integrations.diff import added_lines
from linter.integrations.http import Api
from linter.integrations.review import Comment, InlineComment, marker

DEFAULT_API = "https://gitlab.com/api/v4"


class GitLab:
    def __init__(self, api_url: str, token: str, project: str, iid: int) -> None:
        self.api = Api(api_url, {"PRIVATE-TOKEN": token})
        self.base = f"projects/{urllib.parse.quote(str(project), safe='')}/merge_requests/{iid}"

    def list_comments(self) -> list[Comment]:
        notes = self.api.pages(f"{self.base}/notes?sort=asc&order_by=created_at")
        return [Comment(n["id"], n.get("body") or "") for n in notes if not n.get("system")]

    def create(self, body: str) -> Comment:
        n, _ = self.api.call("POST", f"{self.base}/notes", {"body": body})
        return Comment(n["id"], n.get("body") or body)

    def update(self, comment: Comment, body: str) -> None:
        self.api.call("PUT", f"{self.base}/notes/{comment.id}", {"body": body})

    def delete(self, comment: Comment) -> None:
        self.api.call("DELETE", f"{self.base}/notes/{comment.id}")

    def hide(self, comment: Comment, tag: str) -> None:
        """GitLab cannot hide a note: fold it under an 'outdated' summary and drop our marker."""
        body = comment.body.replace(marker(tag), f"<!-- finops-lint-comment-outdated:{tag} -->")
        self.update(comment, f"<details><summary>Outdated finops-lint report</summary>\n\n{body}\n\n</details>")

    def changed_lines(self) -> dict[str, set[int]]:
        return {d["new_path"]: added_lines(d.get("diff")) for d in self.api.pages(f"{self.base}/diffs")
                if not d.get("deleted_file")}

    def inline_bodies(self) -> list[str]:
        return [n.get("body") or "" for d in self.api.pages(f"{self.base}/discussions") for n in d.get("notes", [])]

    def post_inline(self, comments: list[InlineComment]) -> None:
        mr: Any
        mr, _ = self.api.call("GET", self.base)
        refs = mr["diff_refs"]
        for c in comments:
            self.api.call("POST", f"{self.base}/discussions", {"body": c.body, "position": {
                "position_type": "text", "base_sha": refs["base_sha"], "start_sha": refs["start_sha"],
                "head_sha": refs["head_sha"], "new_path": c.path, "old_path": c.path, "new_line": c.line}})
