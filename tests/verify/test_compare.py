"""verify.compare: field-by-field comparison with the tolerances (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.verify.compare import differences, is_preprint, same_work, title_agrees

RECORD = Reference(
    type="article-journal",
    title="Mesotherapy and phosphatidylcholine injections: historical clarification and review",
    authors=[
        Person(family="Rotunda", given="Adam M."),
        Person(family="Kolodney", given="Michael S."),
    ],
    issued=PartialDate(year=2006),
    container_title="Dermatologic Surgery",
    container_title_short="Dermatol Surg",
    volume="32",
    pages="465-480",
    doi="10.1111/j.1524-4725.2006.32100.x",
)


def _entry(**changes: object) -> Reference:
    return RECORD.model_copy(update={"doi": None, **changes})


TOLERATED = {
    "case": {"title": RECORD.title.upper() if RECORD.title else None},
    "subtitle-left-out": {"title": "Mesotherapy and phosphatidylcholine injections"},
    "initials": {"authors": [Person(family="Rotunda", given="A."), Person(family="Kolodney")]},
    "and-others": {
        "authors": [Person(family="Rotunda", given="A. M.")],
        "truncated": frozenset({"authors"}),
    },
    "accented-surname": {"authors": [Person(family="Rotúnda"), Person(family="Kolodney")]},
    "html-entities": {"title": RECORD.title.replace("o", "&#111;") if RECORD.title else None},
    "braced-name": {
        "authors": [Person(literal="Adam M. Rotunda"), Person(family="Kolodney")],
    },
    "name-order": {"authors": [Person(family="R.", given="Rotunda"), Person(family="Kolodney")]},
    "online-first-year": {"issued": PartialDate(year=2005)},
    "abbreviated-venue": {"container_title": "Dermatol. Surg."},
    "contracted-venue": {"container_title": "Dermtl Srg"},
    "page-range-short": {"pages": "465–80"},
    "preprint-year": {
        "container_title": "arXiv preprint",
        "issued": PartialDate(year=2004),
        "volume": None,
        "pages": None,
    },
    "book-reprint": {"type": "book", "issued": PartialDate(year=2016)},
    "missing-fields": {"container_title": None, "volume": None, "pages": None, "issued": None},
}


@pytest.mark.parametrize("changes", TOLERATED.values(), ids=TOLERATED.keys())
def test_tolerated_differences_are_not_reported(changes: dict[str, object]) -> None:
    """An entry written as people write it describes the record correctly."""
    assert differences(_entry(**changes), RECORD) == []


WRONG = {
    "title": ({"title": "Mesotherapy and phosphatidylcholine: a trial of injections"}, "title"),
    "authors": ({"authors": [Person(family="Smith", given="J.")]}, "authors"),
    "year": ({"issued": PartialDate(year=2011)}, "year"),
    "venue": ({"container_title": "Journal of Applied Physics"}, "venue"),
    "volume": ({"volume": "33"}, "volume"),
    "pages": ({"pages": "1-10"}, "pages"),
}


@pytest.mark.parametrize(("changes", "field"), WRONG.values(), ids=WRONG.keys())
def test_each_wrong_field_is_named_with_the_record_value_and_a_fix(
    changes: dict[str, object], field: str
) -> None:
    """A wrong field is reported once, with the record's value and a fix."""
    found = differences(_entry(**changes), RECORD)
    assert [d.field for d in found] == [field]
    assert found[0].fix
    assert found[0].record


def test_a_preprint_is_not_compared_on_venue_volume_or_pages() -> None:
    """An arXiv entry checked against the published record is judged on title, authors, year."""
    entry = _entry(
        arxiv="2101.00001", container_title=None, container_title_short=None, volume="1", pages="1"
    )
    assert is_preprint(entry)
    assert differences(entry, RECORD) == []


def test_an_acronym_names_the_venue() -> None:
    """``PNAS`` is the Proceedings of the National Academy of Sciences."""
    record = RECORD.model_copy(
        update={
            "container_title": "Proceedings of the National Academy of Sciences",
            "container_title_short": None,
        }
    )
    assert differences(_entry(container_title="PNAS", container_title_short=None), record) == []


def test_an_abbreviation_with_a_word_more_names_the_venue() -> None:
    """``Proc Natl Acad Sci USA`` abbreviates the Proceedings of the National Academy."""
    record = RECORD.model_copy(
        update={
            "container_title": "Proceedings of the National Academy of Sciences",
            "container_title_short": None,
        }
    )
    entry = _entry(container_title="Proc Natl Acad Sci USA", container_title_short=None)
    assert differences(entry, record) == []


def test_a_proceedings_shares_a_word_with_its_name() -> None:
    """A conference paper cited by the conference's short name is not a wrong venue."""
    record = RECORD.model_copy(
        update={
            "type": "paper-conference",
            "container_title": "2019 IEEE/CVF Conference on Computer Vision and Pattern "
            "Recognition (CVPR)",
            "container_title_short": None,
        }
    )
    entry = _entry(
        type="paper-conference", container_title="Proc. CVPR", container_title_short=None
    )
    assert differences(entry, record) == []


def test_a_year_beyond_the_preprint_gap_is_reported() -> None:
    """A preprint dated further from the published version than the gap is a wrong year."""
    entry = _entry(container_title="arXiv preprint", issued=PartialDate(year=2001))
    assert [d.field for d in differences(entry, RECORD)] == ["year"]


def test_a_chimera_title_is_another_work() -> None:
    """Half of one title joined to half of another is not the record's work."""
    entry = _entry(title="Mesotherapy and phosphatidylcholine: quantum transport in graphene")
    assert not same_work(entry, RECORD)


@given(st.text(min_size=1, max_size=60))
def test_title_agreement_is_reflexive_for_any_text_with_words(title: str) -> None:
    """A title always agrees with itself when it has a word."""
    if any(ch.isalnum() for ch in title):
        assert title_agrees(title, title) == 1.0


@given(st.integers(min_value=1500, max_value=2100), st.integers(min_value=-1, max_value=1))
def test_a_year_within_one_is_never_reported(year: int, gap: int) -> None:
    """Online first against the issue: a year one off is tolerated for any year."""
    record = RECORD.model_copy(update={"issued": PartialDate(year=year)})
    entry = _entry(issued=PartialDate(year=year + gap))
    assert differences(entry, record) == []
