"""In plain text a ``display="block"`` part is a line of its own, written as a space
before what follows (render/writers.py; issue 28's wide bench: AAA's "Utrecht N.d.")."""

from __future__ import annotations

import pytest

from mesorefs.models import Reference
from mesorefs.render import format_bibliography
from mesorefs.render.tree import Node
from mesorefs.render.writers import write_blocks


def _span(cls: str, text: str) -> Node:
    return {"t": "Span", "c": [["", [cls], []], [{"t": "Str", "c": text}]]}


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        (_span("csl-left-margin", "N.d."), "Utrecht N.d."),
        (_span("csl-right-inline", "Title."), "Utrecht Title."),
        ({"t": "Str", "c": " Title."}, "Utrecht Title."),
    ],
    ids=["margin", "right-inline", "spaced-text"],
)
def test_a_block_is_followed_by_a_space(second: Node, expected: str) -> None:
    """A block's text and what follows it are one space apart, never run together."""
    blocks: list[Node] = [{"t": "Para", "c": [_span("csl-block", "Utrecht"), second]}]
    assert write_blocks(blocks, "text") == expected


def test_a_block_stays_a_division_in_html() -> None:
    """HTML keeps the block as its division, with nothing added."""
    blocks: list[Node] = [{"t": "Para", "c": [_span("csl-block", "Utrecht")]}]
    assert write_blocks(blocks, "html") == '<div class="csl-block">Utrecht</div>'


def test_aaa_title_only_document() -> None:
    """AAA's entry for a work with only a title reads "Utrecht N.d.", as citeproc-js's."""
    ref = Reference.from_csl({"id": "x", "type": "document", "title": "Utrecht"})
    assert format_bibliography([ref], "american-anthropological-association") == ["Utrecht N.d."]
