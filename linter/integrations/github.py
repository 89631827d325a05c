"""GitHub (and GitHub Enterprise) REST endpoints for PR comments; hiding goes through GraphQL."""

from __future__ import annotations

import json
import os
from typing import Any

from linter.integrations.diff import added_lines
from linter.integrations.http import Api
from linter.integrations.review import Comment, InlineComment

DEFAULT_API = "https://api.github.com"


def graphql_url(api_url: str) -> str:
    """api.github.com -> /graphql; GitHub Enterprise's https://host/api/v3 -> https://host/api/graphql."""
    base = api_url.rstrip("/")
    return base[: -len("/v3")] + "/graphql" if base.endswith("/api/v3") else base + "/graphql"


def pr_from_environment() -> int | None:
    """The pull request number of a GitHub Actions run (event payload, else refs/pull/N/merge)."""
    path = os.environ.get("GITHUB_EVENT_PATH")
    if path and os.path.isfile(path):
        try:
            with open(path, encoding="utf-8") as fh:
                event = json.load(fh)
            number = (event.get("pull_request") or {}).get("number") or (event.get("issue") or {}).get("number")
            if number:
                return int(number)
        except (OSError, ValueError):
            pass
    ref = os.environ.get("GITHUB_REF", "")
    parts = ref.split("/")
    if len(parts) >= 3 and parts[1] == "pull" and parts[2].isdigit():
        return int(parts[2])
    return None


class GitHub:
    def __init__(self, api_url: str, token: str, repo: str, number: int) -> None:
        self.api = Api(api_url, {"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
                                 "X-GitHub-Api-Version": "2022-11-28"})
        self.graphql = graphql_url(api_url)
        self.repo = repo
        self.number = number

    def list_comments(self) -> list[Comment]:
        items = self.api.pages(f"repos/{self.repo}/issues/{self.number}/comments")
        return [Comment(c["id"], c.get("body") or "", c.get("node_id")) for c in items]

    def create(self, body: str) -> Comment:
        c, _ = self.api.call("POST", f"repos/{self.repo}/issues/{self.number}/comments", {"body": body})
        return Comment(c["id"], c.get("body") or body, c.get("node_id"))

    def update(self, comment: Comment, body: str) -> None:
        self.api.call("PATCH", f"repos/{self.repo}/issues/comments/{comment.id}", {"body": body})

    def delete(self, comment: Comment) -> None:
        self.api.call("DELETE", f"repos/{self.repo}/issues/comments/{comment.id}")

    def hide(self, comment: Comment, tag: str) -> None:
        query = ("mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) "
                 "{ minimizedComment { isMinimized } } }")
        result, _ = self.api.call("POST", self.graphql, {"query": query, "variables": {"id": comment.node_id}})
        if isinstance(result, dict) and result.get("errors"):
            from linter.integrations.http import ApiError

            raise ApiError(f"hiding comment {comment.id}: {result['errors'][0].get('message', 'GraphQL error')}")

    def changed_lines(self) -> dict[str, set[int]]:
        return {f["filename"]: added_lines(f.get("patch"))
                for f in self.api.pages(f"repos/{self.repo}/pulls/{self.number}/files")}

    def inline_bodies(self) -> list[str]:
        return [c.get("body") or "" for c in self.api.pages(f"repos/{self.repo}/pulls/{self.number}/comments")]

    def post_inline(self, comments: list[InlineComment]) -> None:
        pr: Any
        pr, _ = self.api.call("GET", f"repos/{self.repo}/pulls/{self.number}")
        self.api.call("POST", f"repos/{self.repo}/pulls/{self.number}/reviews", {
            "commit_id": pr["head"]["sha"], "event": "COMMENT",
            "body": f"finops-lint: {len(comments)} finding(s) on lines this pull request changes.",
            "comments": [{"path": c.path, "line": c.line, "side": "RIGHT", "body": c.body} for c in comments]})
