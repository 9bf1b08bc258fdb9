"""A line of prose in a reference block is named as unparsed, not made an @article."""

from __future__ import annotations

import pytest

from mesorefs.parsing import parse_block


@pytest.mark.parametrize(
    "line",
    [
        "This is just a sentence of prose about nothing in particular.",
        "The weather was nice yesterday, and we went for a walk.",
    ],
    ids=["plain", "comma"],
)
def test_prose_is_unparsed_with_a_reason(line: str) -> None:
    """A line that parses to a title alone (no author, year, venue, identifier) is left out."""
    block = parse_block(line + "\nRohrich RJ. Mesotherapy: what is it? Plast Reconstr Surg. 2005.")
    assert [r.year for r in block.references] == [2005]
    assert [u.reason for u in block.unparsed] == [
        "no author, year, venue or identifier: not a reference"
    ]
    assert block.unparsed[0].text == line[:80]
