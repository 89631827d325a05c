"""Values a finished scan no longer needs, left for the process exit to drop instead of freed one object at a time.

``linter.entry.run`` leaves the process with ``os._exit``, which drops its memory at once. A large scan's last
steps used to free their object graphs first: the parsed manifests once the Kubernetes resources are built (about
10 ms on the 1,000-file benchmark corpus), the whole scan result once the report is rendered (about 20 ms), each
on the one CPU that the serial end of a scan runs on. ``park`` keeps such a value alive instead, but only in a
process that ``entry.run`` started (``leave_for_exit``): in-process callers (tests, the checkov bridge, library
users) keep nothing, so their memory is freed as before.
"""

from __future__ import annotations

from typing import Any

_PARKED: list[Any] = []
_ENABLED = False


def leave_for_exit() -> None:
    """This process ends with ``os._exit``: parked values are never freed one by one."""
    global _ENABLED
    _ENABLED = True


def park(*values: Any) -> None:
    """Keep ``values`` alive until the process exits (a no-op unless ``leave_for_exit`` was called)."""
    if _ENABLED:
        _PARKED.extend(values)
