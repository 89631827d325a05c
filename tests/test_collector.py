"""linter/collector.py: a phase's allocations skip the young-generation passes, leak nothing, and the collector is
left as it was found."""

from __future__ import annotations

import gc
import weakref

import pytest

from linter.collector import paused


class Node:
    def __init__(self) -> None:
        self.peer: Node | None = None


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was(enabled: bool) -> None:
    (gc.enable if enabled else gc.disable)()
    try:
        with paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_a_phase_leaves_no_young_generation_pass_pending_and_leaks_no_cycle() -> None:
    with paused():
        inventory = [{"address": f"aws_instance.trainer[{i}]", "tags": {"team": "ml"}} for i in range(100_000)]
        a, b = Node(), Node()
        a.peer, b.peer = b, a  # a reference cycle, garbage once dropped
        probe = weakref.ref(a)
        del a, b
    assert gc.get_count()[0] < 1000  # handed to the oldest generation, not left for a pass over 300,000 objects
    assert probe() is not None  # nothing collected it yet
    gc.collect()
    assert probe() is None  # a full collection still frees it
    assert len(inventory) == 100_000
