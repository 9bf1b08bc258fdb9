"""Pure matching and merging: similarity bounds, abbreviations, decisions, merge rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import PartialDate, Person, Provenance, Reference, Update
from mesorefs.resolve.decide import choose
from mesorefs.resolve.merge import MergeResult, merge
from mesorefs.resolve.scoring import MatchScore, score_reference, score_string
from mesorefs.resolve.similarity import container_similarity, title_similarity


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


# -- values a parser read: corrected by a matched record --------------------------------

PARSED = Provenance(source="parser", confidence=0.95, detail="google scholar line")


def parsed(**fields: object) -> Reference:
    """A reference as the parser gives it: every field carries the parser's provenance."""
    ref = Reference.model_validate(fields)
    names = [n for n in fields if n not in ("truncated", "locked")]
    return ref.model_copy(update={"provenance": dict.fromkeys(names, PARSED)})


EDITORIAL = Reference(
    type="article-journal",
    title="Mesotherapy: What Is It? Does It Work?",
    authors=[Person(family="Rohrich", given="Rod J.")],
    issued=PartialDate(year=2005, month=4),
    container_title="Plastic and Reconstructive Surgery",
    doi="10.1097/01.prs.0000162243.34988.90",
    url="https://doi.org/10.1097/01.prs.0000162243.34988.90",
)


def _actions(result: MergeResult) -> dict[str, str]:
    return {c.field: c.action for c in result.changes}


def test_parser_reading_is_corrected_by_the_record() -> None:
    """A parsed title and journal that differ only in case take the record's, as 'corrected'."""
    entry = parsed(
        title="Mesotherapy: what is it? Does it work?",
        container_title="Plastic and reconstructive surgery",
    )
    result = merge(entry, EDITORIAL, "crossref", confidence=0.9)
    ref = result.reference
    assert ref.title == EDITORIAL.title
    assert ref.container_title == EDITORIAL.container_title
    assert _actions(result)["title"] == "corrected"
    assert _actions(result)["container_title"] == "corrected"
    assert ref.provenance["title"].source == "crossref"
    assert ref.provenance["title"].confidence == 0.9
    assert not result.conflicts


def test_user_value_is_kept_when_it_differs_only_in_case() -> None:
    """The same title written by a person (no provenance, or bibtex) is kept and not reported."""
    for provenance in ({}, {"title": Provenance(source="bibtex")}):
        entry = Reference(title="Mesotherapy: what is it? Does it work?", provenance=provenance)
        result = merge(entry, EDITORIAL, "crossref")
        assert result.reference.title == entry.title
        assert "title" not in _actions(result)
        assert not result.conflicts


def test_user_value_that_differs_is_a_conflict_but_a_parsed_one_is_corrected() -> None:
    """A different year is a conflict for a person's value and a correction for a parser's."""
    user = merge(Reference(issued=PartialDate(year=2006)), EDITORIAL, "crossref")
    assert user.reference.year == 2006
    assert [c.field for c in user.conflicts] == ["issued"]
    machine = merge(parsed(issued=PartialDate(year=2006)), EDITORIAL, "crossref")
    assert machine.reference.issued == EDITORIAL.issued
    assert _actions(machine)["issued"] == "corrected"
    assert [c.old for c in machine.changes if c.field == "issued"] == ["2006"]
    assert not machine.conflicts


def test_parser_reading_that_the_record_fills_out_is_completed() -> None:
    """A parsed year gains the record's month, initials their names, a cut venue its end."""
    entry = parsed(
        issued=PartialDate(year=2005),
        authors=[Person(family="Rohrich", given="R. J.")],
        container_title="Plastic and",
        truncated=frozenset({"container_title"}),
    )
    result = merge(entry, EDITORIAL, "crossref")
    assert _actions(result) == {
        "type": "filled",
        "title": "filled",
        "authors": "completed",
        "issued": "completed",
        "container_title": "completed",
        "doi": "filled",
    }
    assert result.reference.authors == EDITORIAL.authors
    assert "container_title" not in result.reference.truncated


def test_identical_parser_reading_takes_the_record_provenance() -> None:
    """A reading the record confirms is not reported as a change but now cites the record."""
    entry = parsed(title=EDITORIAL.title)
    result = merge(entry, EDITORIAL, "crossref")
    assert result.reference.title == EDITORIAL.title
    assert "title" not in _actions(result)
    assert result.reference.provenance["title"].source == "crossref"


def test_locked_parser_reading_is_never_touched() -> None:
    """A field the user locked stays as it is even when a parser read it; the clash is reported."""
    entry = parsed(title="Mesotherapy: what is it? Does it work?", locked=frozenset({"title"}))
    result = merge(entry, EDITORIAL, "crossref")
    assert result.reference.title == entry.title
    assert result.reference.provenance["title"].source == "parser"
    assert "title" not in _actions(result)
    assert not result.conflicts  # the same up to case: nothing to report
    entry = parsed(title="Another title entirely", locked=frozenset({"title"}))
    assert [(c.field, c.locked) for c in merge(entry, EDITORIAL, "crossref").conflicts] == [
        ("title", True)
    ]


def test_doi_link_is_not_copied_as_url() -> None:
    """A record's url that only links to its DOI is left out; a landing page is filled."""
    result = merge(Reference(title=EDITORIAL.title), EDITORIAL, "crossref")
    assert result.reference.url is None
    landing = EDITORIAL.model_copy(update={"url": "https://journals.example/article/1"})
    assert merge(Reference(), landing, "crossref").reference.url == landing.url
