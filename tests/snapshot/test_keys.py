"""Lookup keys: a string that prints a record's title start, year, volume and first page
yields that record's keys; records without what a key needs have none."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.snapshot.keys import MAX_STRING_KEYS, keys_of_raw, record_keys, string_keys

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéü", min_size=1, max_size=10)
_NUMBER = st.integers(min_value=1, max_value=99_999).map(str)
_YEAR = st.integers(min_value=1500, max_value=2099)

STYLES = [
    "{authors} ({year}). {title}. {journal}, {volume}({issue}), {first}-{last}.",
    "{authors}. {title}. {journal}. {year};{volume}({issue}):{first}-{last}.",
    '{authors}, "{title}," {journal}, vol. {volume}, no. {issue}, pp. {first}-{last}, {year}.',
    "{authors} {journal} {volume} {first} ({year})",  # no title
]


@given(
    title=st.lists(_WORD, min_size=3, max_size=12).map(" ".join),
    year=_YEAR,
    volume=_NUMBER,
    issue=_NUMBER,
    first=_NUMBER,
    last=_NUMBER,
    style=st.sampled_from(STYLES),
)
def test_printed_record_keys_are_string_keys(
    title: str, year: int, volume: str, issue: str, first: str, last: str, style: str
) -> None:
    """Every key of a record (title, numbers, author) is among the keys of a string
    printing it in a common style (the title key where the style prints the title)."""
    text = style.format(
        authors="Doe, J., Roe, R.",
        title=title.capitalize(),
        journal="Journal of Things",
        year=year,
        volume=volume,
        issue=issue,
        first=first,
        last=last,
    )
    keys = record_keys(title, year, volume, f"{first}-{last}", "Doe")
    found = set(string_keys(text))
    for key in keys:
        if key.startswith("t ") and "{title}" not in style:
            continue
        assert key in found


@pytest.mark.parametrize(
    ("title", "year", "volume", "page", "surname", "expected"),
    [
        ("The Effect of Mesotherapy", 2001, "12", "345-350", "van der Berg",
         ["t the effect of 2001", "n 12 345 2001", "a berg 345 2001"]),
        ("Effect", 2001, "12", "e1234", "", ["n 12 e1234 2001"]),
        ("The Effect of Mesotherapy", None, "12", "345", "Doe", []),
        ("The Effect of Mesotherapy", 2001, "", "345", "", ["t the effect of 2001"]),
        ("The Effect of Mesotherapy", 2001, "89-B", "345", "Doe",
         ["t the effect of 2001", "a doe 345 2001"]),
        ("The Effect of Mesotherapy", 2001, "Suppl", "345", "", ["t the effect of 2001"]),
        ("The Effect of Mesotherapy", 2001, "12", "", "Doe", ["t the effect of 2001"]),
        ("Über <i>Fett</i> und Haut", 1999, "3", "S12–S20", "Ødegård",
         ["t uber fett und 1999", "n 3 s12 1999", "a ødegard s12 1999"]),
        ("Effect", 2001, "12", "I-VIII", "Doe", []),
        ("A b c", 3000, "1", "1", "Doe", []),
    ],
    ids=["all", "short-title", "no-year", "no-volume", "volume-two-words", "volume-word",
         "no-page", "markup-accents-dash", "roman-page", "year-out-of-range"],
)  # fmt: skip
def test_record_keys(
    title: str, year: int | None, volume: str, page: str, surname: str, expected: list[str]
) -> None:
    """A record has a title key with three title words and a year, a number key with a
    one-word volume and first page holding digits and a year, an author key with a
    surname, that page and the year."""
    assert record_keys(title, year, volume, page, surname) == expected


@pytest.mark.parametrize(
    ("source", "raw", "expected"),
    [
        (
            "crossref",
            {"title": ["Fat and skin today"], "volume": "7", "page": "10-19",
             "issued": {"date-parts": [[2010, 5]]}, "author": [{"family": "Doe"}]},
            ["t fat and skin 2010", "n 7 10 2010", "a doe 10 2010"],
        ),
        (
            "crossref",
            {"title": ["Fat and skin today"], "published-online": {"date-parts": [["2011"]]}},
            ["t fat and skin 2011"],
        ),
        (
            "openalex",
            {"title": "Fat and skin today", "publication_year": 2012,
             "biblio": {"volume": "7", "first_page": "10"},
             "authorships": [{"author": {"display_name": "Jane Doe"}}]},
            ["t fat and skin 2012", "n 7 10 2012", "a doe 10 2012"],
        ),
        ("crossref", ["not", "a", "work"], []),
        ("crossref", {"title": [None], "issued": {"date-parts": [[True]]}}, []),
        ("crossref", {"page": "5", "issued": {"date-parts": [[2010]]}, "author": ["x"]}, []),
    ],
    ids=["crossref", "crossref-online-year-text", "openalex", "not-an-object", "odd-values",
         "odd-author"],
)  # fmt: skip
def test_keys_of_raw(source: str, raw: object, expected: list[str]) -> None:
    """A stored record's keys come from its source's own fields."""
    assert keys_of_raw(source, json.dumps(raw)) == expected


def test_keys_of_raw_not_json() -> None:
    """A stored record that is not JSON has no keys."""
    assert keys_of_raw("crossref", "{not json") == []


@given(st.text(max_size=1000))
def test_string_keys_bounded_and_distinct(text: str) -> None:
    """A string gives distinct keys, at most MAX_STRING_KEYS, none without a year."""
    keys = string_keys(text)
    assert len(keys) == len(set(keys)) <= MAX_STRING_KEYS
    assert all(key.startswith(("t ", "n ", "a ")) and key[-4:].isdigit() for key in keys)


def test_string_without_year_has_no_keys() -> None:
    """A string printing no year gives no key (both kinds need one)."""
    assert string_keys("Doe J. The effect of mesotherapy. J Fat 12:345-350.") == []
