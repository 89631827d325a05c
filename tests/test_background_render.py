"""The JSON inventory is rendered by a forked child while the rules run (linter/report/background.py). That is
only right if rules never change a resource: held here over every bundled example and test fixture tree, each
scanned whole, as the child would see it (facts applied, rules not yet run) and as the report lists it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, ROOT, scan_json

TREES = [EXAMPLES, ROOT / "tests" / "fixtures" / "terraform", ROOT / "tests" / "fixtures" / "kubernetes"]


@pytest.mark.parametrize("tree", TREES, ids=lambda p: str(p.relative_to(ROOT)))
def test_rules_never_change_a_resource(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from linter.engine import report_order
    from linter.report import background
    from linter.report.json_report import resource_lines

    seen: dict[str, Any] = {}

    def snapshot(resources: list[Any]) -> None:
        seen["before"] = resource_lines(sorted(resources, key=report_order))
        seen["resources"] = resources  # the list the rules then run over (and lint sorts in place)

    monkeypatch.setattr(background, "start", snapshot)
    run = scan_json(str(tree), "--no-cache")
    assert run.exit_code in (0, 1, 2) and "internal error" not in run.stdout + run.stderr  # 2: a broken fixture
    assert len(seen["resources"]) >= 20 and run.report["summary"]["findings"] >= 10
    assert resource_lines(seen["resources"]) == seen["before"]
    assert [r["address"] for r in run.report["resources"]] == [r.address for r in seen["resources"]]


def test_lines_written_as_rendered_equal_the_lines_joined_at_once() -> None:
    """The child writes the inventory to a file a batch at a time (its memory no longer holds every line, their
    join and a pickle of it); the bytes are the text ``resource_lines`` gives, past a batch boundary and with
    names beyond ASCII."""
    import io

    from linter.engine import report_order
    from linter.model import Resource
    from linter.report.json_report import resource_lines, write_resource_lines

    resources = [Resource(address=f'aws_instance.caf\u00e9["{i}"]', type="aws_instance", source="terraform",
                          provider="aws", file=f"r\u00e9gion/{i % 7}.tf", line=i, tags={"team": "\u00e9quipe"})
                 for i in range(600)]
    ordered = sorted(resources, key=report_order)
    out = io.BytesIO()
    size = write_resource_lines(ordered, out, batch=256)
    assert size == len(out.getvalue()) and out.getvalue().decode("ascii") == resource_lines(ordered)
    empty = io.BytesIO()
    assert write_resource_lines([], empty) == 0 and resource_lines([]) == ""
