"""Patterns that begin with a run of blanks (issue 27 audit): the same matches as before,
with no match tried from inside a run (a field of a long blank run took quadratic time:
tidy of one author field holding 32,000 spaces, 17 CPU s)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.bibtex import convert, meaning, names

BEFORE = {
    "names-and": (names._AND, re.compile(r"[ \t\r\n]+and[ \t\r\n]+", re.IGNORECASE)),
    "meaning-and": (meaning._AND, re.compile(r"[ \t\n\r\f\v]+and[ \t\n\r\f\v]+", re.IGNORECASE)),
    "meaning-dash": (meaning._DASH, re.compile(r"\s*[-\u2010-\u2015]+\s*")),
    "convert-ellipsis": (
        convert._ELLIPSIS,
        re.compile(r"\s*(?:…|\.\.\.|\\ldots(?:\{\})?|\\dots(?:\{\})?)\s*$"),
    ),
}
TEXT = st.text(alphabet=" \t\n\r\u00a0-\u2013aAndx.…\\ldots{}", max_size=24)


@pytest.mark.parametrize("name", sorted(BEFORE), ids=sorted(BEFORE))
@given(text=TEXT)
def test_same_matches_as_before(name: str, text: str) -> None:
    """split, sub and finditer give what the pattern without the guard gave."""
    now, before = BEFORE[name]
    assert now.split(text) == before.split(text)
    assert now.sub("|", text) == before.sub("|", text)
    assert [m.span() for m in now.finditer(text)] == [m.span() for m in before.finditer(text)]


@pytest.mark.parametrize("name", sorted(BEFORE), ids=sorted(BEFORE))
def test_a_long_blank_run(name: str) -> None:
    """A 200,000-blank run then text: read in one pass, with the same answer as a short
    run (the unguarded patterns took minutes here; speed: benchmarks/safety/regex.py)."""
    now, before = BEFORE[name]
    for tail in ("x", " and y", " - y", "..."):
        long, short = " " * 200_000 + tail, " " * 3 + tail
        assert now.sub("|", long).replace(" " * 200_000, " " * 3) == before.sub("|", short)
