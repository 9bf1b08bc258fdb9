"""Gaps found on real bibliographies nobody tuned for (issue 28): each defect as found."""

from __future__ import annotations

import pytest

from mesorefs import Library
from mesorefs.bibtex.meaning import same_meaning
from mesorefs.bibtex.names import parse_names
from mesorefs.bibtex.titles import format_title
from mesorefs.library import tidy_bibtex
from mesorefs.models import Person


def _title_of(text: str) -> str:
    line = next(x for x in text.splitlines() if x.strip().startswith("title"))
    return line.split("=", 1)[1].strip().rstrip(",")


@pytest.mark.parametrize(
    "title",
    [
        r"{{\"Uber die Definition des Tones}}",
        r"{Foo: {\"Uber die Definition des Tones}}",
        r"{{\'Etude des Formes}}",
    ],
    ids=["whole-field-accent", "after-colon", "acute"],
)
def test_a_group_that_opens_with_an_accent_is_kept_whole(title: str) -> None:
    """A brace group that starts with an accent where sentence case keeps it (the start,
    or after ": ") is left whole by BibTeX, so tidy keeps it as written."""
    out = tidy_bibtex(f"@article{{k, title = {title}, year = 2000}}\n")
    assert _title_of(out) == title


def test_an_accent_group_must_not_lose_its_reach() -> None:
    """The meaning guard sees that {\\"U}ber ... no longer protects the other capitals."""
    before = r"{\"Uber die Definition des Tones}"
    assert not same_meaning("title", before, r"{\"U}ber die Definition des Tones")
    assert same_meaning("title", r"{\"U}ber die", r"\"Uber die")


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("Reusable Object-Oriented Software", "Reusable Object-Oriented Software"),
        ("A Real-Time 64-Bit System, 2Nd Edition", "A Real-Time 64-Bit System, 2Nd Edition"),
        ("A {{Type}}-Theoretic Approach", "A {Type}-Theoretic Approach"),
        ("The HIV-Positive Patient", "The {HIV}-Positive Patient"),
        ("Tracking SARS-CoV-2 in 3D", "Tracking {SARS-CoV-2} in {3D}"),
        ("Mesotherapy practice in Brazil and France", "Mesotherapy practice in Brazil and France"),
    ],
    ids=["hyphen-capital", "digit-capital", "user-braces", "acronym-segment", "acronyms", "nouns"],
)
def test_tidy_adds_protection_only_for_acronyms_and_inner_capitals(written: str, kept: str) -> None:
    """A capital that opens a word (after a hyphen or a digit too) gets no braces; a
    proper noun in a .bib title keeps the author's choice."""
    out = tidy_bibtex(f"@article{{k, title = {{{written}}}, year = 2000}}\n")
    assert _title_of(out) == "{" + kept + "}"


def test_titles_from_services_still_protect_proper_nouns() -> None:
    """A plain-text title (from a service or CSL-JSON) in sentence case has no braces of
    its own, so its proper nouns are protected when it becomes BibTeX."""
    title = "Mesotherapy practice in Brazil and France since the eighties"
    assert format_title(title) == "Mesotherapy practice in {Brazil} and {France} since the eighties"
    assert format_title(title, proper_nouns=False) == title


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "family=Waal, given=Henri, prefix=van de, useprefix=true",
            [Person(family="Waal", given="Henri", particle="van de")],
        ),
        (
            "family={Smith, Jr}, given=A. B. and Doe, John",
            [Person(family="Smith, Jr", given="A. B."), Person(family="Doe", given="John")],
        ),
        ("given=Madonna", [Person(literal="Madonna")]),
        (r"family=M{\"u}ller, given=J{\"o}rg", [Person(family="Müller", given="Jörg")]),
    ],
    ids=["prefix", "braced-family", "given-only", "accents"],
)
def test_biblatex_extended_names_are_read(value: str, expected: list[Person]) -> None:
    """Better BibLaTeX's ``family=..., given=...`` is read part by part."""
    assert parse_names(value) == expected


def test_extended_names_are_kept_as_written() -> None:
    """tidy leaves an extended-format name field as the author wrote it."""
    text = "@article{k, author = {family=Waal, given=Henri, prefix=van de}, title = {T}}\n"
    assert "author = {family=Waal, given=Henri, prefix=van de}" in tidy_bibtex(text)


def test_strings_defined_through_strings_expand_fully() -> None:
    """A @string built from other @strings, two levels deep, reads as its full text."""
    text = (
        '@string{JGR = "J. Geophys. Res."}\n'
        '@string{jgrse = jgr # " B: Solid Earth"}\n'
        '@string{jgrse2 = jgrse # ", 2"}\n'
        "@string{alias = jgr}\n"
        '@string{loop = loop # "x"}\n'
        "@article{a, title = {T}, journal = jgrse, year = 2001}\n"
        "@article{b, title = {T}, journal = jgrse2, year = 2001}\n"
        "@article{c, title = {T}, journal = alias, note = loop, year = 2001}\n"
    )
    refs = Library.from_bibtex(text).references
    assert [r.container_title for r in refs] == [
        "J. Geophys. Res. B: Solid Earth",
        "J. Geophys. Res. B: Solid Earth, 2",
        "J. Geophys. Res.",
    ]
    assert "journal = jgrse2" in tidy_bibtex(text)


def test_an_entry_with_a_field_given_twice_is_readable_and_kept() -> None:
    """As BibTeX does, the first value counts for styles; the entry is written as is."""
    text = "@article{dup, title = {First}, title = {Second}, year = 2001}\n"
    library = Library.from_bibtex(text, "refs.bib")
    assert library.references == []
    assert [r.title for r in library.readable] == ["First"]
    assert "the first value counts" in str(library.problems[0])
    assert library.to_bibtex().strip() == text.strip()


def test_an_unparsable_entry_is_described_in_words() -> None:
    """The reason is bibtexparser's words, not an exception's class name."""
    library = Library.from_bibtex("@article{b, title = {Broken, year = 2002\n", "refs.bib")
    message = str(library.problems[0])
    assert "Exception" not in message
    assert message.startswith("refs.bib:1: could not parse entry: ")
