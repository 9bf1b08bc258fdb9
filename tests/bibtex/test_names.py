"""Name lists: the fast split agrees with BibTeX's rules as bibtexparser implements them."""

from __future__ import annotations

import pytest
from bibtexparser.middlewares.names import split_multiple_persons_names
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.bibtex.names import _split_names, parse_names
from mesorefs.models import Person

name_pieces = st.sampled_from(
    [
        "M{\\\"u}ller", "Smith", "J.", "{\\'\\i}", "{Simon and Schuster}", "{World {Health}}",
        "and", "AND", "And", "{", "}", "x\\{", "x\\}", "x\\ ", "x\\and", ",", "van", "~", "{\\ss}",
        "{\\c c}", "anderson", "band",
    ]
)  # fmt: skip
# No piece starts with a backslash: bibtexparser drops a macro that opens a name
# after "and" (see test_a_name_may_start_with_a_macro).
glue = st.sampled_from([" ", "  ", "\n", "\t", "", " and ", " AND ", "\u00a0and\u00a0"])
name_lists = st.lists(st.tuples(name_pieces, glue), min_size=1, max_size=10).map(
    lambda pairs: "".join(piece + sep for piece, sep in pairs)
)


@given(name_lists)
def test_split_agrees_with_bibtexparser(value: str) -> None:
    """Whatever the braces and escapes, the names split where BibTeX splits them."""
    if value.strip(" \t\r\n"):
        assert _split_names(value) == split_multiple_persons_names(value)


def test_a_name_may_start_with_a_macro() -> None:
    assert _split_names("Smith and \\'Eric Jones") == ["Smith", "\\'Eric Jones"]


SMITH = Person(family="Smith", given="J.")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("M{\\\"u}ller, Hans and Smith, J.", [Person(family="Müller", given="Hans"), SMITH]),
        ("{Simon and Schuster}", [Person(literal="Simon and Schuster")]),
        ("{\\O}deg{\\aa}rd, K. AND Smith, J.", [Person(family="Ødegård", given="K."), SMITH]),
        ("van der Berg, Anna", [Person(family="Berg", given="Anna", particle="van der")]),
    ],
    ids=["accents", "braced-and", "upper-and", "particle"],
)  # fmt: skip
def test_parse_names(value: str, expected: list[Person]) -> None:
    assert parse_names(value) == expected
