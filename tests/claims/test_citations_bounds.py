"""The new marker patterns read long runs of their openers in time linear in the text."""

from __future__ import annotations

import pytest

from mesorefs.claims.citations import find_citations, strip_markers
from mesorefs.claims.document import parse_document


@pytest.mark.parametrize(
    "unit",
    [
        "(Smith, Jones, ",
        "(see Smith and ",
        "Smith et al. (",
        "\\cites[a][b]{k}",
        "\\citep[",
        "[1]–",
        "@a::::::::",
        "(2010, ",
        "Van der ",
    ],
    ids=[
        "author-list",
        "prenote",
        "narrative-open",
        "multicite",
        "open-note",
        "bracket-range",
        "key-punctuation",
        "year-list",
        "particles",
    ],
)
def test_long_runs_of_marker_openers_are_read(unit: str) -> None:
    """16,000 repeats of a marker's opening are read (a backtracking pattern would not end
    in a test's lifetime); growth per doubling is for a benchmark to measure, not a test."""
    text = "Some text " + unit * 16_000 + " end."
    found = find_citations(text)
    plain, runs = strip_markers(text, [c.cut_span for c in found])
    assert sum(n for _, _, n in runs) == len(plain)
    assert parse_document(text).segments
