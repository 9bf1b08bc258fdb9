"""Pure matching and merging: similarity bounds, abbreviations, decisions, merge rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import PartialDate, Person, Reference, Update
from mesorefs.resolve.match import (
    MatchScore,
    choose,
    container_similarity,
    score_reference,
    score_string,
    title_similarity,
)
from mesorefs.resolve.merge import merge


@given(st.text(max_size=60), st.text(max_size=60))
def test_title_similarity_is_symmetric_and_bounded(a: str, b: str) -> None:
    """Title similarity is in [0, 1] and does not depend on the order of its arguments."""
    s = title_similarity(a, b)
    assert 0.0 <= s <= 1.0
    assert s == title_similarity(b, a)


@given(st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=40))
def test_title_similarity_of_itself_is_one(a: str) -> None:
    """A title is fully similar to itself and to its case-folded form."""
    assert title_similarity(a, a) == 1.0
    assert title_similarity(a, a.casefold()) == 1.0


@pytest.mark.parametrize(
    ("a", "b", "truncated", "low"),
    [
        ("Plast Reconstr Surg", "Plastic and Reconstructive Surgery", False, 0.95),
        ("J Pharmacol Pharmacother", "Journal of Pharmacology & Pharmacotherapeutics", False, 0.95),
        ("Dermatologic surgery", "Dermatologic Surgery", False, 1.0),
        ("Plastic and", "Plastic and Reconstructive Surgery", True, 1.0),
        (
            "Indian Journal of Dermatology, Venereology, and",
            "Indian Journal of Dermatology, Venereology and Leprology",
            True,
            1.0,
        ),
    ],
    ids=["abbrev", "abbrev-ampersand", "case", "truncated", "truncated-long"],
)
def test_container_similarity_knows_abbreviations(
    a: str, b: str, truncated: bool, low: float
) -> None:
    """Abbreviated and truncated journal names match their full names."""
    assert container_similarity(a, b, truncated) >= low


def test_container_similarity_rejects_other_journals() -> None:
    """Different journals, or a longer one that merely starts alike, score low."""
    assert container_similarity("Dermatologic Surgery", "Clinics in Plastic Surgery") < 0.6
    assert container_similarity("Science", "Science Advances") < 0.8


def _ref(**fields: object) -> Reference:
    return Reference.model_validate(fields)


RECORD = _ref(
    title="Mesotherapy for Body Contouring",
    authors=[Person(family="Matarasso", given="Alan"), Person(family="Pfeifer", given="Tracy M.")],
    issued=PartialDate(year=2005),
    container_title="Plastic and Reconstructive Surgery",
    volume="115",
    pages="1420-1424",
)


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (
            _ref(
                title="Mesotherapy for body contouring",
                authors=[Person(family="Matarasso")],
                issued=PartialDate(year=2005),
            ),
            True,
        ),
        (
            _ref(
                title="Mesotherapy for body contouring",
                authors=[Person(family="Matarasso")],
                issued=PartialDate(year=2006),
            ),
            True,
        ),
        (_ref(title="Mesotherapy for body contouring"), False),
        (
            _ref(
                title="Mesotherapy for body contouring",
                authors=[Person(family="Rohrich")],
                issued=PartialDate(year=2005),
            ),
            False,
        ),
        (
            _ref(
                title="Mesotherapy for body contouring",
                authors=[Person(family="Matarasso")],
                issued=PartialDate(year=2009),
            ),
            False,
        ),
        (
            _ref(
                title="Mesotherapy and injection lipolysis",
                authors=[Person(family="Matarasso")],
                issued=PartialDate(year=2005),
            ),
            False,
        ),
    ],
    ids=["exact", "year-off-by-one", "title-only", "other-author", "year-far", "other-title"],
)
def test_score_reference_threshold(query: Reference, accept: bool) -> None:
    """Only corroborated candidates reach the threshold."""
    assert (score_reference(query, RECORD).score >= 0.85) is accept


@pytest.mark.parametrize(
    ("text", "accept"),
    [
        (
            "Matarasso, A., & Pfeifer, T. M. (2005). Mesotherapy for body contouring. Plastic and "
            "Reconstructive Surgery, 115(5), 1420–1424.",
            True,
        ),
        ("1 A. Matarasso and T.M. Pfeifer, Plast. Reconstr. Surg. 115, 1420 (2005).", True),
        ("1 A. Matarasso and T.M. Pfeifer, Plast. Reconstr. Surg. 115, 1501 (2005).", False),
        (
            "Rohrich, R. J. (2005). Mesotherapy: what is it? Does it work? Plastic and "
            "Reconstructive Surgery, 115(5), 1425.",
            False,
        ),
    ],
    ids=["apa", "aip-no-title", "aip-other-page", "other-paper-same-issue"],
)
def test_score_string_threshold(text: str, accept: bool) -> None:
    """A raw string validates the candidate it cites and no other."""
    assert (score_string(text, RECORD).score >= 0.8) is accept


def test_choose_abstains_on_a_tie_between_different_records() -> None:
    """Two different records scoring alike are a tie: nothing is accepted."""
    other = RECORD.model_copy(update={"doi": "10.5555/b"})
    first = RECORD.model_copy(update={"doi": "10.5555/a"})
    index, reason = choose([(first, MatchScore(0.95)), (other, MatchScore(0.94))], 0.8)
    assert index is None and "ambiguous" in reason
    index, _ = choose([(first, MatchScore(0.95)), (other, MatchScore(0.5))], 0.8)
    assert index == 0


def test_merge_rules() -> None:
    """Fill missing, keep locked, report conflicts, complete truncated, record provenance."""
    entry = _ref(
        title="Mesotherapy for body contouring",
        authors=[Person(family="Matarasso", given="A"), Person(family="Pfeifer", given="TM")],
        issued=PartialDate(year=2006),
        container_title="Plastic and",
        volume="999",
        truncated=frozenset({"container_title"}),
        locked=frozenset({"volume"}),
    )
    record = RECORD.model_copy(update={"updates": [Update(kind="retraction", source="crossref")]})
    result = merge(entry, record, "crossref", confidence=0.9)
    ref = result.reference
    assert ref.title == entry.title
    assert ref.container_title == "Plastic and Reconstructive Surgery"
    assert "container_title" not in ref.truncated
    assert ref.pages == "1420-1424" and ref.provenance["pages"].source == "crossref"
    assert ref.volume == "999"
    assert ref.year == 2006
    assert ref.authors[0].given == "Alan"
    assert {(c.field, c.locked) for c in result.conflicts} == {("issued", False), ("volume", True)}
    assert ref.updates[0].kind == "retraction"
    assert {c.field for c in result.changes} >= {"pages", "container_title", "authors"}
