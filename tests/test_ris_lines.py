"""RIS records are located by line in one pass over the text (issue 27: 100,000 records)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mesorefs.formats.ris import _RECORD_START, _record_lines, loads_ris

PIECES = st.lists(
    st.sampled_from(["TY  - JOUR", "  TY  - BOOK", "TI  - t", "ER  - ", "", "x TY  - no"]),
    max_size=40,
)


@given(PIECES)
def test_record_lines_match_counting_from_the_start(lines: list[str]) -> None:
    """Each record's line is the one a count of newlines from the start gives."""
    text = "\n".join(lines)
    naive = [text.count("\n", 0, m.start()) + 1 for m in _RECORD_START.finditer(text)]
    assert _record_lines(text) == naive


def test_an_unclosed_record_is_named_by_its_line() -> None:
    """The record that lacks its ER line is reported at its own TY line."""
    text = "TY  - JOUR\nTI  - a\nER  - \n\nTY  - JOUR\nTI  - b\n"
    try:
        loads_ris(text, "refs.ris")
    except Exception as error:
        assert "refs.ris:5:" in str(error)
    else:
        raise AssertionError("an unclosed record must be refused")
