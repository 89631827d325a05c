"""A local stand-in for the GitHub and GitLab REST APIs on 127.0.0.1: it keeps comments in memory,
paginates them like the real services (small pages, Link or X-Next-Page headers) and records every
request (method, path, headers, JSON body) for the tests to assert on."""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PAGE = 25  # both services cap page sizes; a small cap makes the client follow next links


class Forge:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.comments: list[dict[str, Any]] = []  # GitHub issue comments / GitLab notes
        self.review_comments: list[dict[str, Any]] = []
        self.files: list[dict[str, Any]] = []  # the PR diff: [{filename, patch}]
        self.fail_with: int | None = None
        self.next_id = 1000
        server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def seed(self, bodies: list[str]) -> list[dict[str, Any]]:
        added = []
        for body in bodies:
            self.next_id += 1
            added.append({"id": self.next_id, "node_id": f"IC_{self.next_id}", "body": body, "minimized": False})
        self.comments.extend(added)
        return added

    def calls(self, method: str | None = None, pattern: str = "") -> list[dict[str, Any]]:
        return [r for r in self.requests if (method is None or r["method"] == method) and re.search(pattern, r["path"])]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        forge = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
                raw = b"" if data is None else json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(raw)

            def _page(self, items: list[Any], link_style: bool) -> None:
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query))
                page = int(query.get("page", 1))
                size = min(int(query.get("per_page", 30)), PAGE)
                chunk = items[(page - 1) * size: page * size]
                headers = {}
                if page * size < len(items):
                    if link_style:
                        query["page"] = str(page + 1)
                        nxt = f"{forge.url}{parts.path}?{urllib.parse.urlencode(query)}"
                        headers["Link"] = f'<{nxt}>; rel="next", <{forge.url}{parts.path}>; rel="first"'
                    else:
                        headers["X-Next-Page"] = str(page + 1)
                self._send(200, chunk, headers)

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                path = urllib.parse.urlsplit(self.path).path
                forge.requests.append({"method": method, "path": path, "query": urllib.parse.urlsplit(self.path).query,
                                       "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                if forge.fail_with:
                    return self._send(forge.fail_with, {"message": "Resource not accessible by integration"})
                route = routes(forge, method, path, body)
                if route is None:
                    return self._send(404, {"message": f"no route {method} {path}"})
                kind, data = route
                if kind == "page-link":
                    return self._page(data, True)
                if kind == "page-header":
                    return self._page(data, False)
                return self._send(kind, data)

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

            def do_PATCH(self) -> None:
                self._handle("PATCH")

            def do_PUT(self) -> None:
                self._handle("PUT")

            def do_DELETE(self) -> None:
                self._handle("DELETE")

        return Handler


def _comment(forge: Forge, id_: str) -> dict[str, Any] | None:
    return next((c for c in forge.comments if str(c["id"]) == id_), None)


def routes(forge: Forge, method: str, path: str, body: Any) -> tuple[Any, Any] | None:
    gh = re.match(r"^/api/v3/repos/([^/]+/[^/]+)/(.*)$", path)
    if gh:
        rest = gh.group(2)
        if rest == "issues/7/comments":
            if method == "GET":
                return "page-link", forge.comments
            created = forge.seed([body["body"]])[0]
            return 201, created
        m = re.match(r"^issues/comments/(\d+)$", rest)
        if m and (c := _comment(forge, m.group(1))):
            if method == "PATCH":
                c["body"] = body["body"]
                return 200, c
            if method == "DELETE":
                forge.comments.remove(c)
                return 204, None
        if rest == "pulls/7" and method == "GET":
            return 200, {"number": 7, "head": {"sha": "f00dfeed" * 5}}
        if rest == "pulls/7/files" and method == "GET":
            return "page-link", forge.files
        if rest == "pulls/7/comments" and method == "GET":
            return "page-link", forge.review_comments
        if rest == "pulls/7/reviews" and method == "POST":
            forge.review_comments.extend(body["comments"])
            return 200, {"id": 1}
        return None
    if path == "/api/graphql" and method == "POST":
        node = body["variables"]["id"]
        for c in forge.comments:
            if c["node_id"] == node:
                c["minimized"] = True
                return 200, {"data": {"minimizeComment": {"minimizedComment": {"isMinimized": True}}}}
        return 200, {"errors": [{"message": f"Could not resolve to a node with the global id of '{node}'"}]}
    gl = re.match(r"^/api/v4/projects/(platform%2Finfra)/merge_requests/5(.*)$", path)
    if gl:
        rest = gl.group(2)
        if rest == "/notes":
            if method == "GET":
                return "page-header", forge.comments
            return 201, forge.seed([body["body"]])[0]
        m = re.match(r"^/notes/(\d+)$", rest)
        if m and (c := _comment(forge, m.group(1))):
            if method == "PUT":
                c["body"] = body["body"]
                return 200, c
            if method == "DELETE":
                forge.comments.remove(c)
                return 204, None
        if rest == "" and method == "GET":
            return 200, {"iid": 5, "diff_refs": {"base_sha": "b" * 40, "start_sha": "s" * 40, "head_sha": "h" * 40}}
        if rest == "/diffs" and method == "GET":
            return "page-header", [{"new_path": f["filename"], "old_path": f["filename"], "diff": f["patch"],
                                    "deleted_file": False} for f in forge.files]
        if rest == "/discussions":
            if method == "GET":
                return "page-header", [{"notes": [{"body": c["body"]}]} for c in forge.review_comments]
            forge.review_comments.append({"body": body["body"], "position": body["position"]})
            return 201, {"id": "d1"}
    return None
