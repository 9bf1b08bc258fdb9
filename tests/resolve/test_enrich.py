"""PubMed enrichment of a DOI match, through Resolver with recorded-format answers."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.resolve import Resolver, ResolveResult
from mesorefs.resolve.decide import disagreement
from mesorefs.settings import Settings

from .conftest import FakeClock, FakeResponse, FakeSession, data_json, data_text

DOI = "10.1177/1352458517722646"
TITLE = (
    "Exploring the effect of vitamin D3 supplementation on the anti-EBV antibody response "
    "in relapsing-remitting multiple sclerosis"
)
ESEARCH = json.dumps(data_json("pubmed_esearch_doi.json"))
EFETCH = data_text("pubmed_efetch_28731372.xml")


def matched(**changes: object) -> ResolveResult:
    """A DOI match as Crossref would leave it: no PMID yet."""
    ref = Reference(
        title=TITLE,
        authors=[Person(family="Rolf", given="Linda"), Person(family="Muris", given="A.-H.")],
        issued=PartialDate(year=2018),
        doi=DOI,
    ).model_copy(update=changes)
    return ResolveResult(ref, "matched", 1.0, reason=f"record of doi:{DOI}", source="crossref")


def resolver(settings: Settings, clock: FakeClock, *answers: FakeResponse | Exception) -> Resolver:
    return Resolver(settings, FakeSession(*answers), clock=clock)


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_doi_match_gains_pmid_pmcid_abstract_and_types(
    settings: Settings, clock: FakeClock
) -> None:
    """One PubMed hit that agrees adds PMID, PMCID, abstract and publication types only."""
    r = resolver(settings, clock, FakeResponse(200, ESEARCH), FakeResponse(200, EFETCH))
    result = r.enrich_pubmed(matched())
    ref = result.reference
    assert (ref.pmid, ref.pmcid) == ("28731372", "PMC6108041")
    assert ref.abstract is not None and ref.abstract.startswith("BACKGROUND: Epstein-Barr")
    assert ref.extra == {
        "publication_types": "Journal Article; Randomized Controlled Trial; "
        "Research Support, Non-U.S. Gov't"
    }
    # PubMed's own journal title, ISSN, language, pages and MeSH are not taken
    assert (ref.container_title, ref.issn, ref.language, ref.pages) == (None, None, None, None)
    assert ref.provenance["pmid"].source == "pubmed"
    assert ref.provenance["pmid"].detail == "pmid:28731372"
    assert {c.field for c in result.changes} == {"pmid", "pmcid", "abstract"}
    assert result.notes == ["PubMed record pmid:28731372 attached"]
    assert result.reason == f"record of doi:{DOI}"
    search, fetch = (url for url, _ in r.http.session.calls)  # type: ignore[attr-defined]
    assert _params(search)["term"] == [f'"{DOI}"[doi]']
    assert _params(search)["retmax"] == ["2"]
    assert _params(fetch)["id"] == ["28731372"]


def test_existing_abstract_is_kept(settings: Settings, clock: FakeClock) -> None:
    """The reference's own abstract is never replaced by PubMed's."""
    r = resolver(settings, clock, FakeResponse(200, ESEARCH), FakeResponse(200, EFETCH))
    result = r.enrich_pubmed(matched(abstract="Our own summary."))
    assert result.reference.abstract == "Our own summary."
    assert result.reference.pmid == "28731372"


def test_retraction_notice_becomes_an_update(settings: Settings, clock: FakeClock) -> None:
    """A 'Retracted Publication' type in PubMed's record is attached as a retraction update."""
    retracted = EFETCH.replace(
        "<PublicationTypeList>",
        '<PublicationTypeList><PublicationType UI="D016441">Retracted Publication'
        "</PublicationType>",
        1,
    )
    r = resolver(settings, clock, FakeResponse(200, ESEARCH), FakeResponse(200, retracted))
    ref = r.enrich_pubmed(matched()).reference
    assert [(u.kind, u.source) for u in ref.updates] == [("retraction", "pubmed")]
    assert ref.extra["publication_types"].startswith("Retracted Publication; ")


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"title": "Vitamin D and multiple sclerosis: a review"}, "title differs"),
        ({"authors": [Person(family="Someone", given="Else")]}, "first author differs"),
        ({"issued": PartialDate(year=2011)}, "year 2018, not 2011"),
        ({"title": None}, "no title to compare"),
    ],
    ids=["title", "author", "year", "no-title"],
)
def test_disagreeing_record_is_never_attached(
    settings: Settings, clock: FakeClock, changes: dict[str, object], why: str
) -> None:
    """A PubMed record that does not agree with the match adds nothing; the reason says why."""
    r = resolver(settings, clock, FakeResponse(200, ESEARCH), FakeResponse(200, EFETCH))
    before = matched(**changes)
    result = r.enrich_pubmed(before)
    assert result.reference == before.reference
    assert result.status == "matched"
    assert why in result.reason
    assert result.notes[0].startswith("PubMed record pmid:28731372 not attached")


def test_efetch_of_another_pmid_is_not_attached(settings: Settings, clock: FakeClock) -> None:
    """A fetched record whose PMID is not the one the DOI search found adds nothing."""
    payload = data_json("pubmed_esearch_doi.json")
    payload["esearchresult"]["idlist"] = ["99999999"]
    r = resolver(settings, clock, FakeResponse(200, json.dumps(payload)), FakeResponse(200, EFETCH))
    result = r.enrich_pubmed(matched())
    assert result.reference.pmid is None
    assert "efetch answered with pmid:28731372" in result.reason


def test_record_with_another_doi_is_not_attached() -> None:
    """A PubMed record that carries a different DOI is another work's."""
    other = matched().reference.model_copy(update={"doi": "10.1000/elsewhere"})
    record = matched().reference
    assert disagreement(record, other) == "its DOI is 10.1000/elsewhere"


def test_no_hit_is_a_note_not_a_failure(settings: Settings, clock: FakeClock) -> None:
    """No PubMed record for the DOI: nothing is fetched, the reason is unchanged."""
    empty = data_text("pubmed_esearch_empty_term.json").replace(
        '"ERROR":"Empty term and query_key - nothing todo"', '"count":"0","idlist":[]'
    )
    r = resolver(settings, clock, FakeResponse(200, empty))
    result = r.enrich_pubmed(matched())
    assert result.reference.pmid is None
    assert result.notes == [f"PubMed has no record of doi:{DOI}"]
    assert result.reason == f"record of doi:{DOI}"
    assert len(r.http.session.calls) == 1  # type: ignore[attr-defined]


def test_several_hits_attach_nothing(settings: Settings, clock: FakeClock) -> None:
    """Two PMIDs for one DOI are ambiguous: neither is fetched nor attached."""
    payload = data_json("pubmed_esearch_doi.json")
    payload["esearchresult"].update(count="2", retmax="2", idlist=["28731372", "28731373"])
    two = json.dumps(payload)
    r = resolver(settings, clock, FakeResponse(200, two))
    result = r.enrich_pubmed(matched())
    assert result.reference.pmid is None
    assert "several records" in result.reason
    assert len(r.http.session.calls) == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "answers",
    [
        (FakeResponse(500, "oops"),),
        (requests.ConnectionError("refused"),),
        (FakeResponse(429, '{"error":"API rate limit exceeded","count":"4","limit":"3"}'),),
        (FakeResponse(200, ESEARCH), FakeResponse(200, "<PubmedArticleSet><oops")),
        (
            FakeResponse(200, ESEARCH),
            FakeResponse(200, data_text("pubmed_efetch_unknown_pmid.xml")),
        ),
        (FakeResponse(200, "not json"),),
    ],
    ids=["server-error", "network", "rate-limited", "malformed-xml", "empty-set", "not-json"],
)
def test_enrichment_failures_never_fail_the_resolve(
    tmp_path: Path, clock: FakeClock, answers: tuple[FakeResponse | Exception, ...]
) -> None:
    """A PubMed failure leaves the match as it was and says so in reason and notes."""
    settings = Settings.load(env={}, config_file=tmp_path / "none.toml", cache=False, max_retries=0)
    r = resolver(settings, clock, *answers)
    before = matched()
    result = r.enrich_pubmed(before)
    assert result.status == "matched"
    assert result.reference == before.reference
    assert "PubMed enrichment failed" in result.reason
    assert result.notes and result.notes[0].startswith("PubMed enrichment failed")


@pytest.mark.parametrize(
    "result",
    [
        matched(pmid="28731372"),
        matched(doi=None),
        matched(locked=frozenset({"pmid"})),
        ResolveResult(matched().reference, "abstained"),
    ],
    ids=["has-pmid", "no-doi", "pmid-locked", "not-matched"],
)
def test_nothing_to_enrich_asks_nothing(
    settings: Settings, clock: FakeClock, result: ResolveResult
) -> None:
    """A PMID already there, no DOI, a locked PMID or no match: PubMed is not asked."""
    r = resolver(settings, clock, FakeResponse(200, ESEARCH))
    assert r.enrich_pubmed(result) == result
    assert r.http.session.calls == []  # type: ignore[attr-defined]


def test_resolve_enriches_a_doi_match_through_the_ncbi_limiter(
    settings: Settings, clock: FakeClock
) -> None:
    """Resolver.resolve runs the enrichment after a DOI match, paced as the 'pubmed' service."""
    work = data_text("crossref_work_10.1371_journal.pone.0033693.json")
    payload = json.loads(work)
    payload["message"]["DOI"] = DOI
    payload["message"]["title"] = [TITLE]
    payload["message"]["author"] = [{"family": "Rolf", "given": "Linda"}]
    payload["message"]["issued"] = {"date-parts": [[2018, 9]]}
    payload["message"].pop("updated-by", None)
    r = resolver(
        settings,
        clock,
        FakeResponse(200, json.dumps(payload)),
        FakeResponse(200, ESEARCH),
        FakeResponse(200, EFETCH),
    )
    result = r.resolve(matched().reference)
    assert result.status == "matched"
    assert result.reference.pmid == "28731372"
    assert "pubmed" in r.http._services  # requests went through the NCBI limiter and gate
    assert r.http.stats["requests"] == 3
