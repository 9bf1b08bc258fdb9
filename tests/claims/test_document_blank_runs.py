"""detect_format on documents of blank lines (issue 27 audit): the Markdown cue is found
where it was, without reading the rest of the document again from every line."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from mesorefs.claims import document

BEFORE = re.compile(r"^(?:#{1,6}\s|\s*[-*+]\s+\S|\s*\d+[.)]\s+\S|```)", re.M)


@given(st.text(alphabet=" \t\n\r#-*+1.)`ax", max_size=24))
def test_markdown_cue_found_as_before(text: str) -> None:
    """A document holds a Markdown cue exactly when it did with the unguarded pattern."""
    assert bool(document._MD_CUE.search(text)) == bool(BEFORE.search(text))


def test_many_blank_lines_then_a_list() -> None:
    """200,000 lines of one space: text; the same with a list item after them: Markdown."""
    blank = "\n " * 200_000
    assert document.detect_format("Some prose." + blank + "!") == "text"
    assert document.detect_format("Some prose." + blank + "\n - an item") == "markdown"
