"""OpenAlex: work by DOI, search, abstract rebuilt from the inverted index."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from mesorefs.errors import ServiceError
from mesorefs.models import PartialDate, Person, Reference, Update
from mesorefs.resolve._common import doi_from_url, load_json, path_part, record_parser
from mesorefs.resolve.http import HttpClient

__all__ = [
    "abstract_from_index",
    "fetch_work",
    "parse_work",
    "parse_works",
    "search",
    "search_url",
    "work_url",
]

SERVICE = "openalex"

_TYPES = {
    "article": "article-journal",
    "preprint": "article",
    "review": "article-journal",
    "book-chapter": "chapter",
    "book": "book",
    "dissertation": "thesis",
    "dataset": "dataset",
    "report": "report",
    "letter": "article-journal",
    "editorial": "article-journal",
}


def _auth(api_key: str | None, mailto: str | None) -> dict[str, str]:
    params: dict[str, str] = {}
    if api_key:
        params["api_key"] = api_key
    if mailto:
        params["mailto"] = mailto
    return params


def work_url(base: str, doi: str, api_key: str | None = None, mailto: str | None = None) -> str:
    """``{base}/works/doi:{doi}`` (a singleton: free of charge with a key)."""
    url = f"{base.rstrip('/')}/works/doi:{path_part(doi.lower())}"
    params = _auth(api_key, mailto)
    return f"{url}?{urlencode(params)}" if params else url


def search_url(
    base: str, text: str, per_page: int = 5, api_key: str | None = None, mailto: str | None = None
) -> str:
    """A full-text search over works."""
    if not text.strip():
        raise ValueError("an empty search")
    params = {"search": text, "per_page": str(per_page), **_auth(api_key, mailto)}
    return f"{base.rstrip('/')}/works?{urlencode(params)}"


def abstract_from_index(index: Mapping[str, Any] | None) -> str | None:
    """Plain text of an ``abstract_inverted_index`` (word -> positions)."""
    if not index:
        return None
    placed: list[tuple[int, str]] = []
    for word, positions in index.items():
        for pos in positions or []:
            placed.append((int(pos), str(word)))
    placed.sort()
    text = " ".join(word for _, word in placed)
    return text or None


def _split_name(display: str) -> Person:
    parts = display.split()
    if len(parts) == 1:
        return Person(family=parts[0])
    return Person(family=parts[-1], given=" ".join(parts[:-1]))


@record_parser(SERVICE)
def parse_work(payload: Any) -> Reference:
    """An OpenAlex work object as a Reference (author names split at the last space)."""
    if not isinstance(payload, Mapping) or "id" not in payload:
        raise ServiceError("not an OpenAlex work", SERVICE)
    fields: dict[str, Any] = {"type": _TYPES.get(str(payload.get("type")), "article-journal")}
    title = payload.get("title") or payload.get("display_name")
    if title:
        fields["title"] = str(title)
    ids = payload.get("ids") or {}
    doi = doi_from_url(payload.get("doi") or ids.get("doi"))
    if doi:
        fields["doi"] = doi
        fields["url"] = f"https://doi.org/{doi}"
    pmid = str(ids.get("pmid") or "").rstrip("/").rsplit("/", 1)[-1]
    if pmid.isdigit():
        fields["pmid"] = pmid
    pmcid = str(ids.get("pmcid") or "").rstrip("/").rsplit("/", 1)[-1]
    if pmcid.upper().startswith("PMC"):
        fields["pmcid"] = pmcid
    year = payload.get("publication_year")
    date = str(payload.get("publication_date") or "")
    if date[:4].isdigit():
        parts = [int(p) for p in date.split("-")[:3] if p.isdigit()]
        fields["issued"] = PartialDate(
            year=parts[0],
            month=parts[1] if len(parts) > 1 else None,
            day=parts[2] if len(parts) > 2 else None,
        )
    elif isinstance(year, int):
        fields["issued"] = PartialDate(year=year)
    authors = []
    for authorship in payload.get("authorships") or []:
        author = authorship.get("author") or {}
        name = author.get("display_name") or authorship.get("raw_author_name")
        if name:
            authors.append(_split_name(str(name)))
    if authors:
        fields["authors"] = authors
    source = ((payload.get("primary_location") or {}).get("source")) or {}
    if source.get("display_name"):
        fields["container_title"] = str(source["display_name"])
    biblio = payload.get("biblio") or {}
    for ours in ("volume", "issue"):
        if biblio.get(ours):
            fields[ours] = str(biblio[ours])
    first_page, last_page = biblio.get("first_page"), biblio.get("last_page")
    if first_page:
        same = not last_page or last_page == first_page
        fields["pages"] = str(first_page) if same else f"{first_page}-{last_page}"
    abstract = abstract_from_index(payload.get("abstract_inverted_index"))
    if abstract:
        fields["abstract"] = abstract
    if payload.get("is_retracted"):
        fields["updates"] = [Update(kind="retraction", source="openalex")]
    return Reference.model_validate(fields)


@record_parser(SERVICE)
def parse_works(payload: Any) -> list[Reference]:
    """The results of an OpenAlex list response."""
    results = payload.get("results") if isinstance(payload, Mapping) else None
    if not isinstance(results, list):
        raise ServiceError("an OpenAlex list without results", SERVICE)
    return [parse_work(item) for item in results if isinstance(item, Mapping)]


def fetch_work(client: HttpClient, doi: str) -> Reference:
    """The OpenAlex record of ``doi``."""
    s = client.settings
    url = work_url(s.base_url("openalex"), doi, s.secret("openalex_api_key"), s.mailto)
    return parse_work(load_json(client.get(SERVICE, url, identifier=doi), SERVICE, doi))


def search(client: HttpClient, text: str, rows: int = 5) -> list[Reference]:
    """OpenAlex's candidates for a bibliographic string (a billed search: use sparingly)."""
    s = client.settings
    url = search_url(s.base_url("openalex"), text, rows, s.secret("openalex_api_key"), s.mailto)
    return parse_works(load_json(client.get(SERVICE, url, identifier=text[:80]), SERVICE))
