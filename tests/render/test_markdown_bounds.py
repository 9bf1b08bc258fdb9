"""Finding the citations of a Markdown document costs time in proportion to its length."""

from __future__ import annotations

import pytest

from mesorefs.render.markdown import find_markers


@pytest.mark.parametrize(
    "unit", ["[@", "Text [@a]. [@", " @a: ", "[@a] @b "], ids=["open", "mixed", "in-text", "both"]
)
def test_long_runs_of_markers_are_read(unit: str) -> None:
    """64,000 repeats of [@ or @key: are read, each marker found once (quadratic before:
    an unclosed bracket was rescanned from every @).  The growth per doubling is measured
    by benchmarks/safety_bench.py (format-doc-cite-runs), not by a timed test."""
    markers = find_markers(unit * 64_000)
    keys = sum(len(m.cites) for m in markers)
    assert keys == unit.count("@a") * 64_000 + unit.count("@b") * 64_000


def test_markers_found_as_before() -> None:
    """Bracketed citations, links and in-text keys are told apart as before."""
    markers = find_markers("See [@a, p. 2; -@b] and [text](url) and @c [p. 4], not [x].")
    assert [[c.work for c in m.cites] for m in markers] == [["a", "b"], ["c"]]
    assert markers[0].cites[0].locator == "2" and markers[1].cites[0].locator == "4"
    assert markers[0].cites[1].suppress_author
