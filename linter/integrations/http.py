"""A small JSON REST client on urllib (no third-party HTTP stack): bearer or header tokens that are never
printed, ``Link: rel="next"`` pagination (and GitLab's ``X-Next-Page``), one-line errors."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')
USER_AGENT = "finops-lint"


class ApiError(Exception):
    """An API call that failed: method, path, status and the server's message (never the token)."""


class Api:
    def __init__(self, base_url: str, headers: dict[str, str], timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._headers = headers  # holds the token: kept out of repr and errors
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"Api({self.base_url!r})"

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}/{path.lstrip('/')}"

    def call(self, method: str, path: str, body: Any = None) -> tuple[Any, dict[str, str]]:
        url = self.url(path)
        data = None if body is None else json.dumps(body).encode()
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT, **self._headers}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        shown = urllib.parse.urlsplit(url).path
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
                return (json.loads(raw) if raw.strip() else None), dict(response.headers.items())
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")
            try:
                parsed = json.loads(detail)
                detail = parsed.get("message") or parsed.get("error") or detail if isinstance(parsed, dict) else detail
            except ValueError:
                pass
            raise ApiError(f"{method} {shown}: HTTP {exc.code} {' '.join(str(detail).split())[:300]}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ApiError(f"{method} {shown}: cannot reach {urllib.parse.urlsplit(url).netloc} ({reason})") from None

    def pages(self, path: str, per_page: int = 100) -> Iterator[Any]:
        """Every item of a paginated list endpoint, following the server's next links."""
        sep = "&" if "?" in path else "?"
        url: str | None = self.url(f"{path}{sep}per_page={per_page}")
        while url:
            items, headers = self.call("GET", url)
            yield from items or []
            url = _next_url(url, headers)


def _next_url(url: str, headers: dict[str, str]) -> str | None:
    lower = {k.lower(): v for k, v in headers.items()}
    match = _NEXT.search(lower.get("link", ""))
    if match:
        return match.group(1)
    page = lower.get("x-next-page", "").strip()
    if page:
        parts = urllib.parse.urlsplit(url)
        query = dict(urllib.parse.parse_qsl(parts.query))
        query["page"] = page
        return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
    return None
