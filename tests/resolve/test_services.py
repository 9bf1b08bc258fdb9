"""Pure URL builders and response parsers of each service, on fixture payloads."""

from __future__ import annotations

import pytest

from mesorefs.errors import ServiceError
from mesorefs.resolve import arxiv, crossref, datacite, doiorg, openalex, pubmed

from .conftest import data_json, data_text

BASE = "https://mirror.example.org/api/"


@pytest.mark.parametrize(
    ("built", "expected"),
    [
        (
            crossref.work_url(BASE, "10.1371/journal.pone.0033693"),
            "https://mirror.example.org/api/works/10.1371/journal.pone.0033693",
        ),
        (
            crossref.work_url(BASE, "10.1002/(SICI)1097-0258;2#x?"),
            "https://mirror.example.org/api/works/10.1002/%28sici%291097-0258%3B2%23x%3F",
        ),
        (
            crossref.agency_url(BASE, "10.1126/science.169.3946.635"),
            "https://mirror.example.org/api/works/10.1126/science.169.3946.635/agency",
        ),
        (
            crossref.search_url(BASE, "Rohrich Mesotherapy 2005", rows=2),
            "https://mirror.example.org/api/works?query.bibliographic=Rohrich+Mesotherapy+2005&rows=2",
        ),
        (
            datacite.doi_url(BASE, "10.14454/FXWS-0523"),
            "https://mirror.example.org/api/dois/10.14454%2Ffxws-0523",
        ),
        (
            doiorg.csl_url("https://doi.org", "10.1126/science.169.3946.635"),
            "https://doi.org/10.1126/science.169.3946.635",
        ),
        (
            openalex.work_url(BASE, "10.7717/peerj.4375"),
            "https://mirror.example.org/api/works/doi:10.7717/peerj.4375",
        ),
        (
            openalex.work_url(BASE, "10.7717/peerj.4375", api_key="K", mailto="a@b.org"),
            "https://mirror.example.org/api/works/doi:10.7717/peerj.4375?api_key=K&mailto=a%40b.org",
        ),
        (
            openalex.search_url(BASE, "open access", per_page=3),
            "https://mirror.example.org/api/works?search=open+access&per_page=3",
        ),
        (
            arxiv.query_url(BASE, ["1706.03762", "hep-th/9901001"]),
            "https://mirror.example.org/api/query?id_list=1706.03762%2Chep-th%2F9901001",
        ),
        (
            pubmed.esearch_url(BASE, pubmed.id_term("doi", "10.1/x"), retmax=2, email="a@b.org"),
            "https://mirror.example.org/api/esearch.fcgi?db=pubmed&term=%2210.1%2Fx%22%5Bdoi%5D"
            "&retmode=json&retmax=2&tool=mesorefs&email=a%40b.org",
        ),
        (
            pubmed.efetch_url(BASE, ["28731372", "36367692"], api_key="KEY"),
            "https://mirror.example.org/api/efetch.fcgi?db=pubmed&id=28731372%2C36367692"
            "&retmode=xml&tool=mesorefs&api_key=KEY",
        ),
    ],
    ids=[
        "crossref-work",
        "crossref-work-encoded",
        "crossref-agency",
        "crossref-search",
        "datacite",
        "doiorg",
        "openalex-work",
        "openalex-work-keyed",
        "openalex-search",
        "arxiv",
        "pubmed-esearch",
        "pubmed-efetch",
    ],
)
def test_url_builders(built: str, expected: str) -> None:
    """Each builder makes the documented URL against any base (mirror, proxy, local server)."""
    assert built == expected


@pytest.mark.parametrize(
    "call",
    [
        lambda: crossref.search_url(BASE, "  "),
        lambda: crossref.search_url(BASE, "x", rows=0),
        lambda: pubmed.efetch_url(BASE, ["12a"]),
        lambda: pubmed.esearch_url(BASE, ""),
        lambda: pubmed.id_term("isbn", "x"),
        lambda: arxiv.query_url(BASE, []),
        lambda: openalex.search_url(BASE, " "),
    ],
    ids=["empty-query", "rows", "pmid", "empty-term", "id-kind", "no-ids", "empty-search"],
)
def test_builders_check_arguments(call: object) -> None:
    """Arguments are checked before any request is made."""
    with pytest.raises(ValueError):
        call()  # type: ignore[operator]


def test_crossref_work_sample() -> None:
    """The recorded Crossref work parses into CSL fields, with its correction notice."""
    ref = crossref.parse_work(data_json("crossref_work_10.1371_journal.pone.0033693.json"))
    assert ref.type == "article-journal"
    assert ref.title is not None and ref.title.startswith("Methylphenidate Exposure")
    assert ref.doi == "10.1371/journal.pone.0033693"
    assert ref.authors[0].family == "Sadasivan"
    assert ref.issued is not None and ref.issued.iso() == "2012-03-21"
    assert (ref.container_title, ref.volume, ref.issue, ref.pages) == (
        "PLoS ONE",
        "7",
        "3",
        "e33693",
    )
    assert ref.editors[0].family == "Borlongan"
    assert [(u.kind, u.source) for u in ref.updates] == [("correction", "crossref:publisher")]


def test_crossref_retraction_watch() -> None:
    """Crossref updated-by entries, Retraction Watch included, become Updates in order."""
    ref = crossref.parse_work(data_json("crossref_work_retracted_rw.json"))
    kinds = [(u.kind, u.source, u.date) for u in ref.updates]
    assert kinds == [
        ("correction", "crossref:publisher", "2013-01-02"),
        ("retraction", "crossref:retraction-watch", "2019-07-26"),
    ]
    assert ref.updates[1].doi == "10.1021/acsami.9b11759"


def test_crossref_work_list_sample() -> None:
    """A recorded work-list parses into References in the service's order."""
    refs = crossref.parse_works(data_json("crossref_works_query_ecology_rows2.json"))
    assert [r.doi for r in refs] == [
        "10.1093/obo/9780199830060-0238",
        "10.1093/obo/9780199830060-0023",
    ]


def test_crossref_agency_sample() -> None:
    """The agency of a DOI is read from the work-agency message."""
    assert crossref.parse_agency(data_json("crossref_agency.json")) == "crossref"


@pytest.mark.parametrize(
    ("payload", "parser"),
    [
        (data_json("crossref_400_validation_failure.json"), crossref.parse_works),
        (data_json("crossref_agency.json"), crossref.parse_work),
        ([1, 2], crossref.parse_work),
        ({"status": "ok", "message-type": "work-list", "message": {}}, crossref.parse_works),
    ],
    ids=["validation-failure", "wrong-type", "not-object", "no-items"],
)
def test_crossref_unusable_payloads(payload: object, parser: object) -> None:
    """Payloads of the wrong shape raise ServiceError."""
    with pytest.raises(ServiceError):
        parser(payload)  # type: ignore[operator]


def test_doiorg_crossref_csl_sample() -> None:
    """Crossref's CSL-JSON from content negotiation (string titles, Crossref type)."""
    ref = doiorg.parse_csl(data_json("crossref_transform_csl.json"))
    assert ref.title == "The Structure of Ordinary Water"
    assert ref.type == "article-journal"
    assert ref.container_title == "Science"
    assert ref.pages == "635-641"
    assert ref.authors[0].family == "Frank"
    assert ref.abstract is not None and "<jats" not in ref.abstract


def test_datacite_organisation_creator() -> None:
    """DataCite's documented example: an organisational creator, year, publisher."""
    ref = datacite.parse_doi(data_json("datacite_doi_fxws-0523.json"))
    assert ref.doi == "10.14454/fxws-0523"
    assert ref.authors[0].literal == "DataCite Metadata Working Group"
    assert ref.year == 2021
    assert ref.publisher == "DataCite"


def test_datacite_personal_creators_and_abstract() -> None:
    """Personal creators are split into family and given; the untyped title wins."""
    ref = datacite.parse_doi(data_json("datacite_dataset_personal.json"))
    assert [(p.family, p.given) for p in ref.authors] == [("Lovelace", "Ada"), ("Turing", "Alan")]
    assert ref.title == "Data from: An example study"
    assert ref.type == "dataset"
    assert ref.abstract == "Example abstract."


def test_datacite_error_body() -> None:
    """A DataCite error body is not a record."""
    with pytest.raises(ServiceError):
        datacite.parse_doi(data_json("datacite_404.json"))


def test_pubmed_efetch_structured_abstract_and_mesh() -> None:
    """PubMed XML gives ids, the labelled abstract, MeSH and publication types."""
    (ref,) = pubmed.parse_efetch(data_text("pubmed_efetch_28731372.xml"))
    assert (ref.pmid, ref.pmcid, ref.doi) == ("28731372", "PMC6108041", "10.1177/1352458517722646")
    assert ref.abstract is not None and ref.abstract.startswith("BACKGROUND: ")
    assert "OBJECTIVES: " in ref.abstract
    assert "Cholecalciferol" in ref.extra["mesh"]
    assert "Randomized Controlled Trial" in ref.extra["publication_types"]
    assert ref.container_title_short == "Mult Scler"
    assert ref.issued is not None and ref.issued.year == 2018


def test_pubmed_efetch_compact_sample() -> None:
    """The single-line 2025 PubMed XML parses the same way."""
    (ref,) = pubmed.parse_efetch(data_text("pubmed_efetch_36367692_compact.xml"))
    assert ref.pmid == "36367692"
    assert ref.doi == "10.1152/ajpheart.00477.2022"
    assert ref.pages == "H1270-H1280"
    assert ref.authors[0].family == "Lee"


def test_pubmed_retracted_publication_type() -> None:
    """A 'Retracted Publication' type and a RetractionIn comment become a retraction Update."""
    xml = (
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        "<Journal><Title>J</Title></Journal><ArticleTitle>T</ArticleTitle>"
        "<PublicationTypeList><PublicationType>Retracted Publication</PublicationType>"
        "</PublicationTypeList></Article><CommentsCorrectionsList>"
        '<CommentsCorrections RefType="RetractionIn"><RefSource>J. 2020;1:2</RefSource>'
        "<PMID>2</PMID></CommentsCorrections></CommentsCorrectionsList>"
        "</MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )
    (ref,) = pubmed.parse_efetch(xml)
    assert [(u.kind, u.source, u.label) for u in ref.updates] == [
        ("retraction", "pubmed:2", "J. 2020;1:2")
    ]


def test_pubmed_unknown_pmid_is_empty() -> None:
    """An unknown PMID gives an empty PubmedArticleSet, hence no records."""
    assert pubmed.parse_efetch(data_text("pubmed_efetch_unknown_pmid.xml")) == []


@pytest.mark.parametrize(
    "text", ["<PubmedArticleSet><PubmedArticle>", "<eSearchResult/>"], ids=["truncated", "other"]
)
def test_pubmed_malformed_xml(text: str) -> None:
    """Broken or foreign XML raises ServiceError."""
    with pytest.raises(ServiceError):
        pubmed.parse_efetch(text)


def test_pubmed_esearch() -> None:
    """esearch JSON gives the PMIDs; an ERROR field raises."""
    assert pubmed.parse_esearch(data_json("pubmed_esearch_doi.json")) == ["28731372"]
    with pytest.raises(ServiceError):
        pubmed.parse_esearch(data_json("pubmed_esearch_empty_term.json"))


def test_openalex_work_and_abstract() -> None:
    """An OpenAlex work: DOI from its URL, split author names, abstract rebuilt."""
    ref = openalex.parse_work(data_json("openalex_work_peerj.json"))
    assert ref.doi == "10.7717/peerj.4375"
    assert ref.pmid == "29456894"
    assert (ref.authors[0].family, ref.authors[0].given) == ("Piwowar", "Heather")
    assert ref.abstract == "Despite growing interest in Open Access"
    assert (ref.container_title, ref.volume, ref.pages) == ("PeerJ", "6", "e4375")


def test_openalex_list_with_retraction() -> None:
    """is_retracted becomes a retraction Update; page ranges are joined."""
    (ref,) = openalex.parse_works(data_json("openalex_list_retracted.json"))
    assert ref.updates[0].kind == "retraction"
    assert ref.pages == "10-19"
    assert ref.abstract is None


@pytest.mark.parametrize(
    ("index", "expected"),
    [(None, None), ({}, None), ({"b": [1], "a": [0, 2]}, "a b a")],
    ids=["none", "empty", "repeated-word"],
)
def test_openalex_inverted_index(index: dict[str, list[int]] | None, expected: str | None) -> None:
    """Words are put back at their positions."""
    assert openalex.abstract_from_index(index) == expected


def test_arxiv_feed() -> None:
    """An arXiv entry: unversioned id, wrapped title joined, arXiv DOI built."""
    (ref,) = arxiv.parse_feed(data_text("arxiv_1706.03762.xml"))
    assert ref.arxiv == "1706.03762"
    assert ref.title == "Attention Is All You Need"
    assert ref.doi == "10.48550/arXiv.1706.03762"
    assert ref.authors[1].family == "Shazeer"


def test_arxiv_error_entry() -> None:
    """arXiv's error entries (sent with status 200) raise ServiceError."""
    with pytest.raises(ServiceError, match="incorrect id format"):
        arxiv.parse_feed(data_text("arxiv_error.xml"))


def test_a_dois_case_does_not_change_the_url_so_the_cache_hits() -> None:
    upper, lower = "10.1097/01.PRS.0000162243.34988.90", "10.1097/01.prs.0000162243.34988.90"
    for build in (crossref.work_url, datacite.doi_url, doiorg.csl_url, openalex.work_url):
        assert build(BASE, upper) == build(BASE, lower)
