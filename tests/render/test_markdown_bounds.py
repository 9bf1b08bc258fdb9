"""Finding the citations of a Markdown document costs time in proportion to its length."""

from __future__ import annotations

import gc
import time

import pytest

from mesorefs.render.markdown import find_markers


def _cpu(text: str) -> float:
    """The least CPU time of three readings (a shared machine adds noise, never less)."""
    times = []
    gc.disable()  # collections scale with the whole test session's heap, not the input
    try:
        for _ in range(3):
            started = time.process_time()
            find_markers(text)
            times.append(time.process_time() - started)
    finally:
        gc.enable()
    return min(times)


@pytest.mark.parametrize(
    "unit", ["[@", "Text [@a]. [@", " @a: ", "[@a] @b "], ids=["open", "mixed", "in-text", "both"]
)
def test_markers_are_found_in_linear_time(unit: str) -> None:
    """Doubling a run of [@ or @key: at most about doubles the time (an unclosed bracket
    was rescanned from every @, and each @key compared with every bracketed citation)."""
    small, large = _cpu(unit * 32_000), _cpu(unit * 64_000)
    assert large < 3.0 * max(small, 0.05)
    assert large < 5.0


def test_markers_found_as_before() -> None:
    """Bracketed citations, links and in-text keys are told apart as before."""
    markers = find_markers("See [@a, p. 2; -@b] and [text](url) and @c [p. 4], not [x].")
    assert [[c.work for c in m.cites] for m in markers] == [["a", "b"], ["c"]]
    assert markers[0].cites[0].locator == "2" and markers[1].cites[0].locator == "4"
    assert markers[0].cites[1].suppress_author
