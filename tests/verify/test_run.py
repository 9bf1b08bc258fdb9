"""verify.run: one outcome per entry, looked up against the loopback stand-in."""

from __future__ import annotations

import pytest

from mesorefs.resolve import Resolver
from mesorefs.settings import Settings
from mesorefs.verify.run import verify_entry, verify_references
from resolve.fakes import LocalServer, send

from .conftest import bib, entries

ROHRICH = {
    "author": "Rohrich, Rod J.",
    "title": "Mesotherapy: What Is It? Does It Work?",
    "journal": "Plastic and Reconstructive Surgery",
    "year": 2005,
    "volume": 115,
    "pages": "1425",
    "doi": "10.1097/01.prs.0000162243.34988.90",
}
ROTUNDA = {
    "author": "Rotunda, Adam M. and Kolodney, Michael S.",
    "title": "Mesotherapy and phosphatidylcholine injections: historical clarification and review",
    "journal": "Dermatologic Surgery",
    "year": 2006,
    "volume": 32,
    "pages": "465--480",
}


def _verify(settings: Settings, text: str) -> list:  # type: ignore[type-arg]
    with Resolver(settings) as resolver:
        return verify_references(resolver, entries(text))


def test_confirmed_by_doi_names_the_record(standin: tuple[LocalServer, Settings]) -> None:
    """An entry whose DOI record is its work is confirmed, naming the record and the DOI."""
    [result] = _verify(standin[1], bib(**ROHRICH))
    assert (result.outcome, result.via, result.source) == ("confirmed", "doi", "crossref")
    assert result.record.doi == ROHRICH["doi"]


def test_confirmed_by_search(standin: tuple[LocalServer, Settings]) -> None:
    """An entry without identifier whose work a search finds is confirmed by a search match."""
    [result] = _verify(standin[1], bib(**ROTUNDA))
    assert (result.outcome, result.via) == ("confirmed", "search")
    assert result.record.doi == "10.1111/j.1524-4725.2006.32100.x"


def test_confirmed_by_arxiv_id(standin: tuple[LocalServer, Settings]) -> None:
    """An entry with an arXiv id is confirmed by arXiv's record of it."""
    text = bib(
        author="Vaswani, Ashish and Shazeer, Noam and others",
        title="Attention is all you need",
        journal="Advances in Neural Information Processing Systems",
        year=2017,
        eprint="1706.03762",
    )
    [result] = _verify(standin[1], text)
    assert (result.outcome, result.via, result.source) == ("confirmed", "arxiv", "arxiv")


@pytest.mark.parametrize(
    "where",
    [
        {"kind": "misc", "url": "https://arxiv.org/abs/1706.03762"},
        {"journal": "arXiv preprint arXiv:1706.03762"},
    ],
    ids=["url", "journal"],
)
def test_an_arxiv_id_in_a_url_or_journal_is_looked_up(
    standin: tuple[LocalServer, Settings], where: dict[str, str]
) -> None:
    """An arXiv id written in the URL or the journal is checked against arXiv's record."""
    fields = {"author": "Vaswani, A. and others", "title": "Attention is all you need"}
    kind = where.pop("kind", "article")
    [result] = _verify(standin[1], bib(kind=kind, year=2017, **fields, **where))
    assert (result.outcome, result.via) == ("confirmed", "arxiv")


def test_mismatch_names_each_field_with_the_record_value(
    standin: tuple[LocalServer, Settings],
) -> None:
    """A real title with the wrong authors and year is a mismatch naming both fields."""
    [result] = _verify(standin[1], bib(**{**ROTUNDA, "author": "Smith, John", "year": 2015}))
    assert result.outcome == "mismatch"
    assert {d.field: d.record for d in result.differences} == {
        "authors": "Rotunda; Kolodney",
        "year": "2006",
    }


def test_a_doi_of_another_work_is_a_mismatch_with_the_right_doi(
    standin: tuple[LocalServer, Settings],
) -> None:
    """The DOI of another work is reported, with the work's own DOI as the fix."""
    [result] = _verify(standin[1], bib(**{**ROHRICH, "doi": "10.1111/j.1524-4725.2006.32100.x"}))
    assert result.outcome == "mismatch"
    [difference] = result.differences
    assert difference.field == "doi"
    assert difference.fix == {"doi": ROHRICH["doi"]}


def test_not_found_says_where_it_searched_and_the_closest(
    standin: tuple[LocalServer, Settings],
) -> None:
    """An invented work is not found; the result names the searches and the closest record."""
    text = bib(author="Nobody, A.", title="Quantum gravity of mesotherapy in turtles", year=2019)
    [result] = _verify(standin[1], text)
    assert result.outcome == "not-found"
    assert result.searched and all("search" in s for s in result.searched)
    assert result.closest is not None


def test_a_doi_that_names_nothing_and_no_work_is_not_found(
    standin: tuple[LocalServer, Settings],
) -> None:
    """A DOI no agency knows, on an invented work, is not found; the DOI lookup is named."""
    text = bib(author="Nobody, A.", title="Turtles all the way down", doi="10.5555/none.1")
    [result] = _verify(standin[1], text)
    assert result.outcome == "not-found"
    assert "no such record" in result.searched[0]


@pytest.mark.parametrize("status", [500, 429], ids=["server-error", "rate-limited"])
def test_a_failed_lookup_is_unchecked_never_confirmed(
    standin: tuple[LocalServer, Settings], status: int
) -> None:
    """When the service fails, the entry is unchecked with the reason, not confirmed."""
    server, settings = standin
    server.routes["/works"] = lambda r: send(r, status, '{"status":"failed"}', Retry_After="0")
    [result] = _verify(settings, bib(**ROHRICH))
    assert result.outcome == "unchecked"
    assert result.record is None
    assert result.reason


TOLERANCES = {
    "abbreviated-venue": {"journal": "Dermatol. Surg."},
    "initials": {"author": "Rotunda, A. M. and Kolodney, M. S."},
    "and-others": {"author": "Rotunda, A. M. and others"},
    "changed-case": {"title": ROTUNDA["title"].upper()},
    "latex": {
        "title": r"Mesotherapy and {P}hosphatidylcholine Injections: Historical Clarification"
        " and Review",
        "author": r"Rot{\'u}nda, Adam M. and Kolodney, Michael S.",
    },
    "online-first-year": {"year": 2005},
    "preprint-of-published": {
        "journal": "arXiv preprint",
        "year": 2004,
        "volume": None,
        "pages": None,
    },
    "missing-fields": {"journal": None, "volume": None, "pages": None},
    "reprint-of-book": {"year": 2016, "kind": "book"},
}


@pytest.mark.parametrize("changes", TOLERANCES.values(), ids=TOLERANCES.keys())
def test_entries_written_as_people_write_them_are_confirmed(
    standin: tuple[LocalServer, Settings], changes: dict[str, object]
) -> None:
    """Each tolerance, against the stand-in: the entry is still confirmed."""
    fields = {**ROTUNDA, **changes}
    kind = str(fields.pop("kind", "article"))
    [result] = _verify(standin[1], bib(kind=kind, **fields))
    assert result.outcome == "confirmed", result.differences


def test_a_pmid_of_nothing_on_a_real_work_is_a_mismatch(
    standin: tuple[LocalServer, Settings],
) -> None:
    """A PMID PubMed does not know, on a work the search finds, is a wrong PMID."""
    with Resolver(standin[1]) as resolver:
        result = verify_entry(resolver, entries(bib(**{**ROTUNDA, "pmid": "99999999"}))[0])
    assert result.outcome == "mismatch"
    assert result.differences[0].field == "pmid"
