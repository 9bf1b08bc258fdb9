"""OpenAlex enrichment and search fallback, arXiv records: parsers and Resolver paths.

No recorded OpenAlex or arXiv answers exist in the shared samples; the fixtures
(``openalex_work_peerj.json``, ``arxiv_1706.03762.xml``, ``arxiv_error.xml``) are in the
documented shapes, and variants are made from them in the tests, in plain sight.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from mesorefs.errors import OfflineMiss, ServiceError
from mesorefs.models import PartialDate, Person, Reference, Update
from mesorefs.resolve import Resolver, ResolveResult, arxiv, openalex
from mesorefs.settings import Settings

from .conftest import FakeClock, FakeResponse, FakeSession, LocalServer, data_json, data_text, reply

DOI = "10.7717/peerj.4375"
TITLE = (
    "The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles"
)
ABSTRACT = "Despite growing interest in Open Access"
FEED = data_text("arxiv_1706.03762.xml")
EMPTY_FEED = FEED[: FEED.index("<entry>")] + "</feed>\n"


def work(**changes: Any) -> str:
    """The recorded-shape OpenAlex work of peerj.4375 with ``changes`` applied, as JSON."""
    payload = data_json("openalex_work_peerj.json")
    payload.update(changes)
    return json.dumps(payload)


def feed_with(extra: str) -> str:
    """The arXiv feed of 1706.03762 with ``extra`` elements added to its entry."""
    return FEED.replace("</entry>", f"  {extra}\n  </entry>", 1)


def make_settings(tmp_path: Path, **options: Any) -> Settings:
    return Settings.load(env={}, config_file=tmp_path / "none.toml", cache=False, **options)


def resolver(settings: Settings, *answers: FakeResponse | Exception) -> Resolver:
    return Resolver(settings, FakeSession(*answers), clock=FakeClock())


def calls(r: Resolver) -> list[str]:
    return [url for url, _ in r.http.session.calls]  # type: ignore[attr-defined]


def matched(**changes: Any) -> ResolveResult:
    """A DOI match as Crossref would leave it: no abstract, no PMID."""
    ref = Reference(
        title=TITLE,
        authors=[Person(family="Piwowar", given="Heather")],
        issued=PartialDate(year=2018),
        container_title="PeerJ",
        doi=DOI,
    ).model_copy(update=changes)
    return ResolveResult(ref, "matched", 1.0, reason=f"record of doi:{DOI}", source="crossref")


# -- pure parsers ------------------------------------------------------------------------


def test_arxiv_record_keeps_the_preprint_doi_and_hints_the_journal_doi() -> None:
    """A journal DOI in the feed becomes hints['published-doi']; doi stays arXiv's own."""
    text = feed_with(
        "<arxiv:doi>10.5555/Example.2017.42</arxiv:doi>"
        "<arxiv:journal_ref>Adv. Neural Inf. Process. Syst. 30 (2017)</arxiv:journal_ref>"
    )
    (ref,) = arxiv.parse_feed(text)
    assert ref.doi == "10.48550/arXiv.1706.03762"
    assert ref.hints == {
        "published-doi": "10.5555/example.2017.42",
        "journal-ref": "Adv. Neural Inf. Process. Syst. 30 (2017)",
    }


def test_arxiv_record_without_journal_doi_has_no_hints() -> None:
    """The plain feed: the DataCite DOI built from the unversioned id, no hints."""
    (ref,) = arxiv.parse_feed(FEED)
    assert (ref.arxiv, ref.doi, ref.hints) == ("1706.03762", "10.48550/arXiv.1706.03762", {})
    assert ref.issued == PartialDate(year=2017, month=6, day=12)
    assert arxiv.arxiv_doi("1706.03762v7") == "10.48550/arXiv.1706.03762"


def test_arxiv_junk_journal_doi_is_dropped_and_old_ids_read() -> None:
    """A journal 'DOI' that is not one is left out; old-scheme versioned ids lose the version."""
    text = feed_with("<arxiv:doi>see journal website</arxiv:doi>").replace(
        "1706.03762v7", "hep-th/9901001v2"
    )
    (ref,) = arxiv.parse_feed(text)
    assert ref.hints == {}
    assert ref.arxiv == "hep-th/9901001"
    assert ref.doi == "10.48550/arXiv.hep-th/9901001"


def test_arxiv_empty_feed_has_no_records() -> None:
    """An unknown well-formed id: a feed without entries."""
    assert arxiv.parse_feed(EMPTY_FEED) == []


def test_openalex_ids_and_retraction() -> None:
    """PMID and PMCID come from ``ids`` URLs; is_retracted is a retraction update."""
    payload = json.loads(work(is_retracted=True))
    payload["ids"]["pmcid"] = "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC5815332"
    ref = openalex.parse_work(payload)
    assert (ref.pmid, ref.pmcid) == ("29456894", "PMC5815332")
    assert ref.updates == [Update(kind="retraction", source="openalex")]


# -- OpenAlex enrichment through the resolver ----------------------------------------------


def test_openalex_adds_abstract_and_pmid(tmp_path: Path) -> None:
    """An agreeing work adds the rebuilt abstract and the PMID, with provenance, politely."""
    settings = make_settings(tmp_path, mailto="me@example.org", openalex_api_key="oa-key")
    r = resolver(settings, FakeResponse(200, work()))
    result = r.enrich_openalex(matched())
    ref = result.reference
    assert (ref.abstract, ref.pmid) == (ABSTRACT, "29456894")
    assert ref.provenance["abstract"].source == "openalex"
    assert ref.provenance["abstract"].detail == f"openalex:doi:{DOI}"
    assert {c.field for c in result.changes} == {"abstract", "pmid"}
    assert result.notes == [f"OpenAlex work of doi:{DOI} attached (pmid, abstract)"]
    assert result.reason == f"record of doi:{DOI}"
    (url,) = calls(r)
    parts = urlsplit(url)
    assert parts.path == f"/works/doi:{DOI}"
    assert parse_qs(parts.query) == {"api_key": ["oa-key"], "mailto": ["me@example.org"]}
    assert "openalex" in r.http._services  # paced by OpenAlex's own limiter


def test_openalex_retraction_becomes_an_update_once(tmp_path: Path) -> None:
    """is_retracted adds a retraction update, unless a retraction is already known."""
    r = resolver(make_settings(tmp_path), FakeResponse(200, work(is_retracted=True)))
    ref = r.enrich_openalex(matched()).reference
    assert ref.updates == [Update(kind="retraction", source="openalex")]
    known = [Update(kind="retraction", source="pubmed")]
    again = r.enrich_openalex(matched(updates=known)).reference
    assert again.updates == known


def test_openalex_pmid_that_contradicts_ours_is_withheld(tmp_path: Path) -> None:
    """A PMID other than the one we have: neither PMID nor PMCID is taken; the abstract is."""
    r = resolver(make_settings(tmp_path), FakeResponse(200, work()))
    result = r.enrich_openalex(matched(pmid="11111111"))
    assert (result.reference.pmid, result.reference.abstract) == ("11111111", ABSTRACT)
    assert "contradict ours: pmid 29456894 (we have 11111111)" in result.notes[1]


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"doi": "https://doi.org/10.7717/peerj.9999"}, "its DOI is 10.7717/peerj.9999"),
        ({"doi": None, "ids": {}}, "the work has no DOI"),
        ({"title": "Open access and citation advantage in ecology"}, "title differs"),
        ({"title": None, "display_name": None}, "no title to compare"),
    ],
    ids=["other-doi", "no-doi", "other-title", "no-title"],
)
def test_disagreeing_openalex_work_is_ignored(
    tmp_path: Path, changes: dict[str, Any], why: str
) -> None:
    """A work with another DOI or another title adds nothing; the note says why."""
    r = resolver(make_settings(tmp_path), FakeResponse(200, work(**changes)))
    before = matched()
    result = r.enrich_openalex(before)
    assert result.reference == before.reference
    assert result.status == "matched"
    assert result.notes[0].startswith(f"OpenAlex work of doi:{DOI} not attached: {why}")
    assert why in result.reason


@pytest.mark.parametrize(
    "answer",
    [
        FakeResponse(500, "oops"),
        FakeResponse(403, '{"error": "Rate limit exceeded"}'),
        requests.ConnectionError("refused"),
        FakeResponse(200, "<html>not json</html>"),
        FakeResponse(200, '{"meta": {}}'),
    ],
    ids=["server-error", "forbidden", "network", "not-json", "not-a-work"],
)
def test_openalex_failure_is_a_note(tmp_path: Path, answer: FakeResponse | Exception) -> None:
    """A service error leaves the match as it was and says so in notes and reason."""
    r = resolver(make_settings(tmp_path, max_retries=0), answer)
    before = matched()
    result = r.enrich_openalex(before)
    assert result.status == "matched"
    assert result.reference == before.reference
    assert result.notes[0].startswith("OpenAlex enrichment failed")
    assert "OpenAlex enrichment failed" in result.reason


def test_openalex_404_is_a_note_not_a_failure(tmp_path: Path) -> None:
    """OpenAlex's 404 (an HTML page) means it has no work: a note, the reason untouched."""
    r = resolver(make_settings(tmp_path), FakeResponse(404, "<html>Not found</html>"))
    result = r.enrich_openalex(matched())
    assert result.notes == [f"OpenAlex has no record of doi:{DOI}"]
    assert result.reason == f"record of doi:{DOI}"


def test_openalex_offline_miss_is_a_note(tmp_path: Path) -> None:
    """Offline with nothing cached: no request, the miss recorded as a note."""
    r = resolver(make_settings(tmp_path, offline=True), FakeResponse(200, work()))
    result = r.enrich_openalex(matched())
    assert result.reference.abstract is None
    assert result.notes[0].startswith("OpenAlex enrichment failed: openalex: offline")
    assert calls(r) == []


def test_openalex_rate_limit_pauses_it_for_the_resolver(tmp_path: Path) -> None:
    """After a 429 (a spent daily budget), OpenAlex is not asked again by this resolver."""
    r = resolver(make_settings(tmp_path, max_retries=0), FakeResponse(429, "Daily limit"))
    first = r.enrich_openalex(matched())
    second = r.enrich_openalex(matched())
    assert first.notes[0].startswith("OpenAlex enrichment failed: openalex: rate limited")
    assert second.notes[0].startswith("OpenAlex not asked: rate limited earlier")
    assert len(calls(r)) == 1


@pytest.mark.parametrize(
    "result",
    [
        matched(abstract="Our own summary."),
        matched(doi=None),
        matched(locked=frozenset({"abstract"})),
        ResolveResult(matched().reference, "abstained"),
    ],
    ids=["has-abstract", "no-doi", "abstract-locked", "not-matched"],
)
def test_nothing_to_ask_openalex(tmp_path: Path, result: ResolveResult) -> None:
    """An abstract already there (or locked), no DOI, or no match: OpenAlex is not asked."""
    r = resolver(make_settings(tmp_path), FakeResponse(200, work()))
    assert r.enrich_openalex(result) == result
    assert calls(r) == []


def _crossref_work() -> str:
    payload = data_json("crossref_work_10.1371_journal.pone.0033693.json")
    message = payload["message"]
    message.update(DOI=DOI, title=[TITLE], author=[{"family": "Piwowar", "given": "Heather"}])
    message.update(issued={"date-parts": [[2018, 2, 13]]})
    message.pop("updated-by", None)
    message.pop("abstract", None)
    return json.dumps(payload)


def _esearch_empty() -> str:
    payload = data_json("pubmed_esearch_doi.json")
    payload["esearchresult"].update(count="0", retmax="0", idlist=[])
    return json.dumps(payload)


@pytest.mark.parametrize("enabled", [True, False], ids=["on", "off"])
def test_resolve_runs_openalex_after_pubmed(tmp_path: Path, enabled: bool) -> None:
    """resolve(): Crossref's record, PubMed finds nothing, OpenAlex fills the abstract
    (and is never asked with enrich_openalex off)."""
    settings = make_settings(tmp_path, enrich_openalex=enabled)
    answers = [FakeResponse(200, _crossref_work()), FakeResponse(200, _esearch_empty())]
    r = resolver(settings, *answers, FakeResponse(200, work()))
    result = r.resolve(matched().reference)
    assert result.status == "matched"
    assert (result.reference.abstract == ABSTRACT) is enabled
    hosts = [urlsplit(u).netloc for u in calls(r)]
    expected = ["api.crossref.org", "eutils.ncbi.nlm.nih.gov"]
    assert hosts == [*expected, "api.openalex.org"] if enabled else expected


# -- arXiv records through the resolver --------------------------------------------------


def vaswani(**changes: Any) -> Reference:
    return Reference(
        title="Attention is all you need",
        authors=[Person(family="Vaswani", given="A."), Person(family="Shazeer", given="N.")],
        issued=PartialDate(year=2017),
        arxiv="1706.03762",
    ).model_copy(update=changes)


def test_arxiv_id_resolves_from_arxiv(tmp_path: Path) -> None:
    """An arXiv id without DOI: arXiv's record, validated, merged with the arXiv DOI; the
    preprint is not sent to PubMed or OpenAlex."""
    r = resolver(make_settings(tmp_path), FakeResponse(200, FEED))
    result = r.resolve(vaswani())
    assert (result.status, result.source) == ("matched", "arxiv")
    ref = result.reference
    assert ref.doi == "10.48550/arXiv.1706.03762"
    assert ref.provenance["doi"].source == "arxiv"
    assert ref.abstract == "The dominant sequence transduction models ..."
    assert result.conflicts == []
    assert "published-doi" not in ref.hints
    (url,) = calls(r)
    assert parse_qs(urlsplit(url).query) == {"id_list": ["1706.03762"]}


def test_versioned_arxiv_id_is_kept_as_cited(tmp_path: Path) -> None:
    """A versioned id asks for that version and stays as the entry has it (no conflict)."""
    r = resolver(make_settings(tmp_path), FakeResponse(200, FEED))
    result = r.resolve(vaswani(arxiv="1706.03762v5"))
    assert result.status == "matched"
    assert result.reference.arxiv == "1706.03762v5"
    assert result.conflicts == []
    assert parse_qs(urlsplit(calls(r)[0]).query) == {"id_list": ["1706.03762v5"]}


def test_disagreeing_arxiv_record_is_a_mismatch(tmp_path: Path) -> None:
    """An arXiv record with another title and authors: mismatch, no DOI added."""
    r = resolver(make_settings(tmp_path), FakeResponse(200, FEED))
    wrong = vaswani(
        title="Deep residual learning for image recognition", authors=[Person(family="He")]
    )
    result = r.resolve(wrong)
    assert result.status == "mismatch"
    assert result.reference == wrong
    assert result.reference.doi is None
    assert "arxiv:1706.03762 belongs to another work" in result.reason


def test_arxiv_journal_doi_is_a_hint_not_the_identity(tmp_path: Path) -> None:
    """A journal DOI on the arXiv record becomes hints['published-doi']; doi is the preprint's."""
    text = feed_with("<arxiv:doi>10.5555/example.2017.42</arxiv:doi>")
    r = resolver(make_settings(tmp_path), FakeResponse(200, text))
    result = r.resolve(vaswani())
    ref = result.reference
    assert ref.doi == "10.48550/arXiv.1706.03762"
    assert ref.hints["published-doi"] == "10.5555/example.2017.42"
    assert any("published version doi:10.5555/example.2017.42" in n for n in result.notes)


def test_arxiv_doi_not_added_to_an_entry_citing_a_venue(tmp_path: Path) -> None:
    """An entry that cites a proceedings volume is the published version: no preprint DOI."""
    r = resolver(make_settings(tmp_path), FakeResponse(200, FEED))
    result = r.resolve(vaswani(container_title="Advances in Neural Information Processing Systems"))
    assert result.status == "matched"
    assert result.reference.doi is None
    assert result.reference.abstract is not None
    assert result.notes[0].startswith("arXiv DOI 10.48550/arXiv.1706.03762 not added")


def test_unknown_arxiv_id_is_not_found(tmp_path: Path) -> None:
    """An empty feed for a well-formed id: not_found, the entry untouched."""
    r = resolver(make_settings(tmp_path), FakeResponse(200, EMPTY_FEED))
    result = r.resolve(vaswani())
    assert result.status == "not_found"
    assert result.reference == vaswani()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (data_text("arxiv_error.xml"), "incorrect id format"),
        (FEED.replace("1706.03762v7", "1706.03763v1"), "answered with arxiv:1706.03763"),
    ],
    ids=["error-entry", "other-id"],
)
def test_arxiv_service_errors_raise(tmp_path: Path, answer: str, message: str) -> None:
    """An error entry or the record of another id is a ServiceError, as for a DOI."""
    r = resolver(make_settings(tmp_path), FakeResponse(200, answer))
    with pytest.raises(ServiceError, match=message):
        r.resolve(vaswani())


def test_arxiv_offline_miss_raises(tmp_path: Path) -> None:
    """Offline with nothing cached, the arXiv lookup is an OfflineMiss (as for a DOI)."""
    r = resolver(make_settings(tmp_path, offline=True), FakeResponse(200, FEED))
    with pytest.raises(OfflineMiss):
        r.resolve(vaswani())
    assert calls(r) == []


def test_doi_wins_over_arxiv_id(tmp_path: Path) -> None:
    """With a DOI, the DOI's record is used and arXiv is not asked."""
    settings = make_settings(tmp_path, enrich_pubmed=False, enrich_openalex=False)
    r = resolver(settings, FakeResponse(200, _crossref_work()))
    result = r.resolve(matched(arxiv="1706.03762").reference)
    assert result.source == "crossref"
    assert [urlsplit(u).netloc for u in calls(r)] == ["api.crossref.org"]


# -- OpenAlex as a search fallback --------------------------------------------------------


def _crossref_list(items: list[dict[str, Any]]) -> str:
    payload = data_json("crossref_works_query_ecology_rows2.json")
    payload["message"]["items"] = items
    return json.dumps(payload)


def _openalex_list(*works: str) -> str:
    return json.dumps({"meta": {"count": len(works)}, "results": [json.loads(w) for w in works]})


def searched() -> Reference:
    return Reference(
        title=TITLE,
        authors=[Person(family="Piwowar", given="H.")],
        issued=PartialDate(year=2018),
        container_title="PeerJ",
        volume="6",
    )


def test_openalex_search_fallback_matches(tmp_path: Path) -> None:
    """Crossref finds nothing; OpenAlex's candidate clears the same threshold and is merged."""
    settings = make_settings(tmp_path, search_openalex=True, enrich_pubmed=False)
    answers = [FakeResponse(200, _crossref_list([])), FakeResponse(200, _openalex_list(work()))]
    r = resolver(settings, *answers)
    result = r.resolve(searched())
    assert (result.status, result.source) == ("matched", "openalex")
    assert result.score is not None and result.score >= r.threshold
    assert result.reference.doi == DOI
    assert result.notes == ["Crossref: no candidates"]
    assert len(calls(r)) == 2  # the matched work is not fetched again for enrichment
    assert parse_qs(urlsplit(calls(r)[1]).query)["per_page"] == ["5"]


def test_openalex_search_weak_candidate_abstains(tmp_path: Path) -> None:
    """An OpenAlex candidate below the threshold is listed, never merged."""
    settings = make_settings(tmp_path, search_openalex=True)
    weak = work(title="Open access in the humanities", display_name="Open access in the humanities")
    answers = [FakeResponse(200, _crossref_list([])), FakeResponse(200, _openalex_list(weak))]
    r = resolver(settings, *answers)
    result = r.resolve(searched())
    assert result.status == "abstained"
    assert result.reference == searched()
    assert [c.source for c in result.candidates] == ["openalex"]
    assert result.reason.startswith("crossref: no candidates; openalex: best score")


def test_openalex_search_is_off_by_default_and_its_failure_a_note(tmp_path: Path) -> None:
    """Default settings never search OpenAlex; when on, its failure leaves Crossref's answer."""
    r = resolver(make_settings(tmp_path), FakeResponse(200, _crossref_list([])))
    assert r.resolve(searched()).status == "abstained"
    assert len(calls(r)) == 1
    settings = make_settings(tmp_path, search_openalex=True, max_retries=0)
    r = resolver(settings, FakeResponse(200, _crossref_list([])), FakeResponse(500, "oops"))
    result = r.resolve(searched())
    assert (result.status, result.reason) == ("abstained", "no candidates")
    assert result.notes[0].startswith("OpenAlex search failed")


# -- a real local HTTP server -------------------------------------------------------------


def test_local_server_openalex_and_arxiv(
    local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    """Over real sockets: a DOI match gains OpenAlex's abstract; an arXiv id resolves."""
    pone = "10.1371/journal.pone.0033693"
    crossref = data_text("crossref_work_10.1371_journal.pone.0033693.json")
    title = json.loads(crossref)["message"]["title"][0]
    local_server.routes[f"/works/{pone}"] = reply(200, crossref)
    local_server.routes["/openalex/works/doi:"] = reply(
        200, work(doi=f"https://doi.org/{pone}", title=title, ids={})
    )
    local_server.routes["/arxiv/query"] = reply(200, FEED, "application/atom+xml")
    settings = make_settings(
        tmp_path,
        crossref_url=local_server.url,
        pubmed_url=local_server.url + "/eutils",
        openalex_url=local_server.url + "/openalex",
        arxiv_url=local_server.url + "/arxiv",
        mailto="me@example.org",
    )
    entry = Reference(title=title, authors=[Person(family="Sadasivan", given="S")], doi=pone)
    with Resolver(settings, clock=clock) as r:
        by_doi = r.resolve(entry)
        by_arxiv = r.resolve(vaswani())
    assert by_doi.reference.abstract == ABSTRACT
    assert by_doi.reference.provenance["abstract"].source == "openalex"
    assert by_doi.notes[-1] == f"OpenAlex work of doi:{pone} attached (abstract)"
    assert by_arxiv.reference.doi == "10.48550/arXiv.1706.03762"
    openalex_hit = next(h for h in local_server.hits if h.startswith("/openalex/"))
    assert openalex_hit == f"/openalex/works/doi:{pone}?mailto=me%40example.org"
    assert local_server.hits[-1] == "/arxiv/query?id_list=1706.03762"
