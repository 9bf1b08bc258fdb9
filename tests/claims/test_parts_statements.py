"""A claim is split only into parts that are statements, each checkable on its own."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.claims.check import extract_claims
from mesorefs.claims.document import parse_document
from mesorefs.claims.parts import is_statement, split_claim


@pytest.mark.parametrize(
    "text",
    [
        "Early in the pandemic, various reports suggested that ARBs and ACE inhibitors"
        " might raise the risk of severe disease.",
        "In most cases, older patients and their carers were told the results.",
        "During the second trial, nurses, doctors and students took part.",
        "After a week, the dose was halved and the patients rested.",
    ],
    ids=["lead-in-fragment", "opening-adverbial", "adverbial-then-list", "two-subjects"],
)
def test_fragments_never_become_parts(text: str) -> None:
    """No part is a fragment without its own subject and verb."""
    parts = split_claim(text)
    assert all(is_statement(p.query) for p in parts) or len(parts) == 1


def test_fragment_split_of_a_cited_claim_is_whole() -> None:
    """The issue's example: with its marker out, the claim is one statement, not a list."""
    text = (
        "Early in the pandemic, various reports [@x] suggested that ARBs and ACE inhibitors"
        " might increase the risk.\n"
    )
    (claim,) = [c for c in extract_claims(parse_document(text, "markdown")) if c.checkworthy]
    (part,) = claim.parts
    assert "[@x]" not in part.query
    assert part.query.startswith("Early in the pandemic, various reports suggested")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The dose was halved", True),
        ("Patients improved", True),
        ("Early in the pandemic", False),
        ("various reports suggested that", False),
        ("The trial showed", True),
        ("of the patients", False),
        ("in 2010", False),
    ],
    ids=["aux", "past", "no-verb", "dangling-that", "short", "prepositional", "date"],
)
def test_is_statement(text: str, expected: bool) -> None:
    """A statement has a word that can head a subject, a finite verb after it, and no
    dangling function word at its end."""
    assert is_statement(text) is expected


def test_clause_split_needs_agreeing_verbs_and_a_complement() -> None:
    """ "and" + a plural noun joins nouns, not clauses; agreeing verbs join clauses."""
    assert len(split_claim("The drug reduces fat and calories.")) == 1
    assert [p.query for p in split_claim("The drug lowered pressure and reduced deaths.")] == [
        "The drug lowered pressure",
        "The drug reduced deaths",
    ]


_WORDS = st.sampled_from(
    "the a patients trial dose was were is reduced fat mice in of week study showed results"
    " drug lowered pressure treatment skin may become red swollen".split()
)
_SENTENCE = st.lists(_WORDS, min_size=1, max_size=14).map(lambda ws: " ".join(ws) + ".")
_COORDINATED = st.lists(
    st.one_of(_WORDS, st.sampled_from([",", "and", "or", "and/or", "(", ")"])),
    min_size=1,
    max_size=20,
).map(lambda ws: " ".join(ws).replace(" ,", ",") + ".")


@given(st.one_of(_SENTENCE, _COORDINATED), st.one_of(st.none(), st.just("Uses include")))
def test_parts_are_substrings_and_never_empty(text: str, lead: str | None) -> None:
    """Every part is a non-empty piece of the claim, at its own span."""
    parts = split_claim(text, lead)
    assert parts
    for p in parts:
        assert p.text
        assert text[p.start : p.end] == p.text
        assert p.text in p.query or p.query.endswith(p.text.lstrip())


@given(_SENTENCE)
def test_sentence_without_coordination_is_one_part(text: str) -> None:
    """Without a comma, "and", "or" or "and/or" there is nothing to split."""
    (part,) = split_claim(text)
    assert part.text == text.rstrip(".").strip()


@given(_COORDINATED)
def test_every_part_of_a_split_is_a_statement(text: str) -> None:
    """A claim split in several parts has a statement in every part."""
    parts = split_claim(text)
    if len(parts) > 1:
        assert all(is_statement(p.query) for p in parts)


def test_punctuation_and_function_words_under_a_lead_make_no_empty_part() -> None:
    """A list item of only separators and function words is one part, never an empty one
    (found by the property test above)."""
    parts = split_claim(", and/or the.", "Uses include")
    assert parts and all(p.text for p in parts)
