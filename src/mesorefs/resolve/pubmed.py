"""PubMed through NCBI E-utilities: esearch, efetch XML (abstract, MeSH), id conversion."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from mesorefs.errors import NotFound, ServiceError
from mesorefs.models import PartialDate, Person, Reference, Update
from mesorefs.months import ABBREVIATIONS
from mesorefs.resolve._common import load_json, record_parser
from mesorefs.resolve.http import HttpClient

__all__ = [
    "efetch_url",
    "esearch_url",
    "fetch_records",
    "id_term",
    "parse_efetch",
    "parse_esearch",
    "search_ids",
]

SERVICE = "pubmed"

_MONTHS = {m: i for i, m in enumerate(ABBREVIATIONS, start=1)}

# CommentsCorrections RefType -> Update kind (on the article that is updated).
_NOTICES = {
    "RetractionIn": "retraction",
    "ErratumIn": "correction",
    "ExpressionOfConcernIn": "expression-of-concern",
    "RepublishedIn": "other",
    "UpdateIn": "other",
}


def _common(tool: str, email: str | None, api_key: str | None) -> dict[str, str]:
    params = {"tool": tool}
    if email:
        params["email"] = email
    if api_key:
        params["api_key"] = api_key
    return params


def esearch_url(
    base: str,
    term: str,
    *,
    retmax: int = 20,
    tool: str = "mesorefs",
    email: str | None = None,
    api_key: str | None = None,
) -> str:
    """An esearch over PubMed returning JSON."""
    if not term.strip():
        raise ValueError("an empty search term")
    params = {"db": "pubmed", "term": term, "retmode": "json", "retmax": str(retmax)}
    params.update(_common(tool, email, api_key))
    return f"{base.rstrip('/')}/esearch.fcgi?{urlencode(params)}"


def efetch_url(
    base: str,
    pmids: Sequence[str],
    *,
    tool: str = "mesorefs",
    email: str | None = None,
    api_key: str | None = None,
) -> str:
    """An efetch of PubMed records as XML (abstracts and MeSH included)."""
    ids = [p.strip() for p in pmids if p.strip()]
    if not ids or not all(p.isdigit() for p in ids):
        raise ValueError("efetch needs numeric PMIDs")
    params = {"db": "pubmed", "id": ",".join(ids), "retmode": "xml"}
    params.update(_common(tool, email, api_key))
    return f"{base.rstrip('/')}/efetch.fcgi?{urlencode(params)}"


def id_term(kind: str, value: str) -> str:
    """The esearch term that finds a record by DOI or PMCID."""
    tags = {"doi": "doi", "pmcid": "pmcid", "pmid": "pmid"}
    if kind not in tags:
        raise ValueError(f"cannot search PubMed by {kind}")
    return f'"{value}"[{tags[kind]}]' if kind == "doi" else f"{value}[{tags[kind]}]"


@record_parser(SERVICE)
def parse_esearch(payload: Any) -> list[str]:
    """The PMIDs of an esearch JSON response."""
    result = payload.get("esearchresult") if isinstance(payload, Mapping) else None
    if not isinstance(result, Mapping):
        raise ServiceError("an esearch response without esearchresult", SERVICE)
    if result.get("ERROR"):
        raise ServiceError(f"esearch failed: {result['ERROR']}", SERVICE)
    ids = result.get("idlist") or []
    return [str(i) for i in ids]


def _text(node: ET.Element | None) -> str | None:
    if node is None:
        return None
    text = " ".join("".join(node.itertext()).split())
    return text or None


def _pub_date(article: ET.Element) -> PartialDate | None:
    node = article.find("Journal/JournalIssue/PubDate")
    if node is None:
        node = article.find("ArticleDate")
    if node is None:
        return None
    year = _text(node.find("Year"))
    if year is None:
        medline = _text(node.find("MedlineDate")) or ""
        year = medline[:4] if medline[:4].isdigit() else None
        if year is None:
            return None
        return PartialDate(year=int(year))
    month_text = (_text(node.find("Month")) or "").lower()
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text[:3])
    day_text = _text(node.find("Day"))
    day = int(day_text) if day_text and day_text.isdigit() and month else None
    try:
        return PartialDate(year=int(year), month=month, day=day)
    except ValueError:
        return PartialDate(year=int(year))


def _author(node: ET.Element) -> Person | None:
    collective = _text(node.find("CollectiveName"))
    last = _text(node.find("LastName"))
    if not last:
        return Person(literal=collective) if collective else None
    given = _text(node.find("ForeName")) or _text(node.find("Initials"))
    orcid = None
    for ident in node.findall("Identifier"):
        if ident.get("Source") == "ORCID" and ident.text:
            orcid = ident.text.strip()
    try:
        return Person(family=last, given=given, suffix=_text(node.find("Suffix")), orcid=orcid)
    except ValueError:
        return Person(family=last, given=given)


def _article(node: ET.Element) -> Reference:
    citation = node.find("MedlineCitation")
    article = citation.find("Article") if citation is not None else None
    if citation is None or article is None:
        raise ServiceError("a PubmedArticle without MedlineCitation/Article", SERVICE)
    fields: dict[str, Any] = {"type": "article-journal"}
    fields["pmid"] = _text(citation.find("PMID"))
    fields["title"] = _text(article.find("ArticleTitle"))
    fields["container_title"] = _text(article.find("Journal/Title"))
    fields["container_title_short"] = _text(article.find("Journal/ISOAbbreviation"))
    fields["volume"] = _text(article.find("Journal/JournalIssue/Volume"))
    fields["issue"] = _text(article.find("Journal/JournalIssue/Issue"))
    fields["issn"] = _text(article.find("Journal/ISSN"))
    pages = _text(article.find("Pagination/MedlinePgn"))
    if not pages:
        start = _text(article.find("Pagination/StartPage"))
        end = _text(article.find("Pagination/EndPage"))
        pages = f"{start}-{end}" if start and end else start
    fields["pages"] = pages
    fields["issued"] = _pub_date(article)
    language = _text(article.find("Language"))
    fields["language"] = language
    authors = [p for a in article.findall("AuthorList/Author") if (p := _author(a))]
    fields["authors"] = authors
    parts = []
    for section in article.findall("Abstract/AbstractText"):
        text = _text(section)
        if not text:
            continue
        label = section.get("Label")
        parts.append(f"{label}: {text}" if label else text)
    fields["abstract"] = " ".join(parts) or None
    for ident in article.findall("ELocationID"):
        if ident.get("EIdType") == "doi" and ident.text:
            fields["doi"] = ident.text.strip()
    data = node.find("PubmedData")
    if data is not None:
        for ident in data.findall("ArticleIdList/ArticleId"):
            kind = ident.get("IdType")
            if kind == "doi" and ident.text and not fields.get("doi"):
                fields["doi"] = ident.text.strip()
            elif kind == "pmc" and ident.text:
                fields["pmcid"] = ident.text.strip()
    extra: dict[str, str] = {}
    mesh = [
        _text(h.find("DescriptorName")) for h in citation.findall("MeshHeadingList/MeshHeading")
    ]
    if any(mesh):
        extra["mesh"] = "; ".join(m for m in mesh if m)
    types = [_text(t) for t in article.findall("PublicationTypeList/PublicationType")]
    types_clean = [t for t in types if t]
    if types_clean:
        extra["publication_types"] = "; ".join(types_clean)
    fields["extra"] = extra
    updates: list[Update] = []
    for comment in citation.findall("CommentsCorrectionsList/CommentsCorrections"):
        kind = _NOTICES.get(comment.get("RefType", ""))
        if kind is None:
            continue
        pmid = _text(comment.find("PMID"))
        label = _text(comment.find("RefSource")) or comment.get("RefType")
        updates.append(
            Update.model_validate(
                {"kind": kind, "source": f"pubmed:{pmid}" if pmid else "pubmed", "label": label}
            )
        )
    if "Retracted Publication" in types_clean and not any(u.kind == "retraction" for u in updates):
        updates.append(Update(kind="retraction", source="pubmed", label="Retracted Publication"))
    fields["updates"] = updates
    return Reference.model_validate({k: v for k, v in fields.items() if v not in (None, "")})


@record_parser(SERVICE)
def parse_efetch(text: str) -> list[Reference]:
    """The articles of an efetch PubmedArticleSet (empty for unknown PMIDs)."""
    try:
        root = ET.fromstring(text.encode("utf-8") if isinstance(text, str) else text)
    except ET.ParseError as exc:
        raise ServiceError("malformed PubMed XML", SERVICE) from exc
    if root.tag != "PubmedArticleSet":
        raise ServiceError(f"expected a PubmedArticleSet, got {root.tag}", SERVICE)
    return [_article(node) for node in root.findall("PubmedArticle")]


# -- glue -------------------------------------------------------------------------


def _keys(client: HttpClient) -> dict[str, Any]:
    s = client.settings
    return {"tool": s.ncbi_tool, "email": s.mailto, "api_key": s.secret("ncbi_api_key")}


def search_ids(client: HttpClient, term: str, retmax: int = 20) -> list[str]:
    """PMIDs for an esearch term."""
    url = esearch_url(client.settings.base_url("pubmed"), term, retmax=retmax, **_keys(client))
    return parse_esearch(load_json(client.get(SERVICE, url, identifier=term[:60]), SERVICE))


def fetch_records(client: HttpClient, pmids: Sequence[str]) -> list[Reference]:
    """PubMed records for ``pmids`` (NotFound when none comes back)."""
    url = efetch_url(client.settings.base_url("pubmed"), pmids, **_keys(client))
    response = client.get(SERVICE, url, identifier=",".join(pmids))
    records = parse_efetch(response.text)
    if not records:
        raise NotFound("no such PMID", SERVICE, ",".join(pmids))
    return records
