"""Crossref REST API: work by DOI, query.bibliographic search, agency (pure parts + glue)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from mesorefs.errors import ServiceError
from mesorefs.models import Reference, Update
from mesorefs.resolve._common import (
    add_people,
    csl_type,
    date_from_parts,
    first,
    load_json,
    path_part,
    record_parser,
    strip_markup,
)
from mesorefs.resolve.http import HttpClient
from mesorefs.resolve.record_view import RecordView, record_view

__all__ = [
    "agency_url",
    "fetch_agency",
    "fetch_work",
    "parse_agency",
    "parse_update",
    "parse_view",
    "parse_work",
    "parse_works",
    "search",
    "search_url",
    "work_url",
]

SERVICE = "crossref"

_UPDATE_KINDS = {
    "retraction": "retraction",
    "partial_retraction": "retraction",
    "withdrawal": "withdrawal",
    "removal": "withdrawal",
    "correction": "correction",
    "erratum": "correction",
    "corrigendum": "correction",
    "expression_of_concern": "expression-of-concern",
    "expression-of-concern": "expression-of-concern",
}


def work_url(base: str, doi: str) -> str:
    """``{base}/works/{doi}`` with the DOI percent-encoded (its slashes kept)."""
    return f"{base.rstrip('/')}/works/{path_part(doi.lower())}"


def agency_url(base: str, doi: str) -> str:
    """``{base}/works/{doi}/agency``: which registration agency holds the DOI."""
    return f"{work_url(base, doi)}/agency"


def search_url(base: str, text: str, rows: int = 5) -> str:
    """A query.bibliographic search, as Crossref advises for reference matching."""
    if not text.strip():
        raise ValueError("an empty bibliographic query")
    if not 1 <= rows <= 1000:
        raise ValueError("rows must be between 1 and 1000")
    query = urlencode({"query.bibliographic": text, "rows": str(rows)})
    return f"{base.rstrip('/')}/works?{query}"


def _message(payload: Any, expected: str) -> Any:
    if not isinstance(payload, Mapping):
        raise ServiceError("unexpected response shape", SERVICE)
    if "message" in payload:
        if payload.get("status") not in (None, "ok"):
            raise ServiceError(f"request failed: {payload.get('message-type')}", SERVICE)
        kind = payload.get("message-type")
        if kind is not None and kind != expected:
            raise ServiceError(f"expected a {expected}, got {kind}", SERVICE)
        return payload["message"]
    return payload


@record_parser(SERVICE)
def parse_update(data: Mapping[str, Any]) -> Update:
    """One ``updated-by`` entry as an Update (retraction, correction, ...)."""
    raw_kind = str(data.get("type", "")).lower()
    kind = _UPDATE_KINDS.get(raw_kind, "other")
    updated = date_from_parts(data.get("updated"))
    source = data.get("source")
    return Update.model_validate(
        {
            "kind": kind,
            "doi": str(data["DOI"]).lower() if data.get("DOI") else None,
            "date": updated.iso() if updated else None,
            "source": f"crossref:{source}" if source else "crossref",
            "label": data.get("label") or raw_kind or None,
        }
    )


@record_parser(SERVICE)
def parse_work(payload: Any) -> Reference:
    """A Crossref work (the envelope or the bare message) as a Reference."""
    item = _message(payload, "work")
    if not isinstance(item, Mapping):
        raise ServiceError("a work is not an object", SERVICE)
    return _item_to_reference(item)


@record_parser(SERVICE)
def parse_view(payload: Any) -> RecordView:
    """A Crossref work's fields that matching reads (:mod:`mesorefs.resolve.record_view`)."""
    item = _message(payload, "work")
    if not isinstance(item, Mapping):
        raise ServiceError("a work is not an object", SERVICE)
    return record_view(_item_fields(item, whole=False))


def _item_to_reference(item: Mapping[str, Any]) -> Reference:
    return Reference.model_validate(_item_fields(item))


def _item_fields(item: Mapping[str, Any], *, whole: bool = True) -> dict[str, Any]:
    """A Reference's fields from a Crossref work; those a view has only, unless ``whole``."""
    fields: dict[str, Any] = {"type": csl_type(item.get("type"))} if whole else {}
    title = first(item.get("title"))
    subtitle = first(item.get("subtitle"))
    if title:
        title = strip_markup(title)
        if subtitle and title and subtitle.lower() not in title.lower():
            title = f"{title}: {strip_markup(subtitle)}"
        fields["title"] = title
    for ours, theirs in (
        ("container_title", "container-title"),
        ("container_title_short", "short-container-title"),
    ):
        value = first(item.get(theirs))
        if value:
            fields[ours] = strip_markup(value)
    if not fields.get("container_title_short") and item.get("container-title-short"):
        fields["container_title_short"] = first(item.get("container-title-short"))
    for ours, theirs in (
        ("volume", "volume"),
        ("issue", "issue"),
        ("pages", "page"),
        ("publisher", "publisher"),
        ("publisher_place", "publisher-location"),
        ("language", "language"),
        ("doi", "DOI"),
    ):
        value = item.get(theirs)
        if isinstance(value, (str, int)) and str(value).strip():
            fields[ours] = str(value)
    if not fields.get("pages") and item.get("article-number"):
        fields["number"] = str(item["article-number"])
    add_people(fields, "authors", item.get("author"))
    add_people(fields, "editors", item.get("editor"))
    for key in ("issued", "published", "published-print", "published-online"):
        issued = date_from_parts(item.get(key))
        if issued is not None:
            fields["issued"] = issued
            break
    if not whole:
        return fields
    issn = first(item.get("ISSN"))
    if issn:
        fields["issn"] = issn
    isbn = first(item.get("ISBN"))
    if isbn:
        fields["isbn"] = isbn
    if item.get("DOI"):
        fields["url"] = f"https://doi.org/{item['DOI']}"
    abstract = strip_markup(item.get("abstract")) if isinstance(item.get("abstract"), str) else None
    if abstract:
        fields["abstract"] = abstract
    updates = [parse_update(u) for u in item.get("updated-by") or [] if isinstance(u, Mapping)]
    if updates:
        fields["updates"] = updates
    return fields


@record_parser(SERVICE)
def parse_works(payload: Any) -> list[Reference]:
    """The items of a work-list (a search result) as References, in the service's order."""
    message = _message(payload, "work-list")
    items = message.get("items") if isinstance(message, Mapping) else None
    if not isinstance(items, list):
        raise ServiceError("a work-list without items", SERVICE)
    return [_item_to_reference(item) for item in items if isinstance(item, Mapping)]


@record_parser(SERVICE)
def parse_agency(payload: Any) -> str:
    """The registration agency id (``crossref``, ``datacite``, ``medra``, ...)."""
    message = _message(payload, "work-agency")
    agency = message.get("agency") if isinstance(message, Mapping) else None
    if not isinstance(agency, Mapping) or not agency.get("id"):
        raise ServiceError("an agency response without an agency", SERVICE)
    return str(agency["id"]).lower()


# -- glue -------------------------------------------------------------------------


def fetch_work(client: HttpClient, doi: str) -> Reference:
    """The Crossref record of ``doi``."""
    url = work_url(client.settings.base_url("crossref"), doi)
    return parse_work(load_json(client.get("crossref", url, identifier=doi), SERVICE, doi))


def fetch_agency(client: HttpClient, doi: str) -> str:
    """The registration agency of ``doi``."""
    url = agency_url(client.settings.base_url("crossref"), doi)
    return parse_agency(load_json(client.get("crossref", url, identifier=doi), SERVICE, doi))


def search(client: HttpClient, text: str, rows: int = 5) -> list[Reference]:
    """Crossref's best candidates for a bibliographic string."""
    url = search_url(client.settings.base_url("crossref"), text, rows)
    return parse_works(load_json(client.get("crossref-list", url, identifier=text[:60]), SERVICE))
