"""escape.markdown_text on long blank runs (issue 27 audit): the same text as before the
line-break pattern was guarded, in one pass (20,000 spaces took 21 s)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from mesorefs import escape

BEFORE = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")


@given(st.text(alphabet=" \t\r\n\u2028\u00a0ax*", max_size=24))
def test_line_breaks_become_one_space_as_before(text: str) -> None:
    """The guarded pattern replaces exactly what the unguarded one replaced."""
    assert escape._LINE_BREAK.sub(" ", text) == BEFORE.sub(" ", text)


def test_a_long_blank_run_around_a_line_break() -> None:
    """200,000 blanks, a line break and 200,000 more: one space, then the word."""
    text = "a" + " " * 200_000 + "\n" + " " * 200_000 + "b" + " " * 200_000
    assert escape.markdown_text(text) == "a b" + " " * 200_000
