"""DataCite REST API: a DOI's record (JSON:API)."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from mesorefs.errors import ServiceError
from mesorefs.models import PartialDate, Person, Reference
from mesorefs.resolve._common import (
    csl_type,
    load_json,
    path_part,
    record_parser,
    strip_markup,
)
from mesorefs.resolve.http import HttpClient

__all__ = ["doi_url", "fetch_doi", "parse_doi"]

SERVICE = "datacite"


def doi_url(base: str, doi: str) -> str:
    """``{base}/dois/{doi}``."""
    return f"{base.rstrip('/')}/dois/{path_part(doi.lower(), keep_slashes=False)}"


def _creator(data: Mapping[str, Any]) -> Person | None:
    family = data.get("familyName")
    given = data.get("givenName")
    name = data.get("name")
    if family:
        return Person(family=str(family), given=str(given) if given else None)
    if not name:
        return None
    if data.get("nameType") == "Personal" and "," in str(name):
        fam, giv = (part.strip() for part in str(name).split(",", 1))
        return Person(family=fam, given=giv or None)
    return Person(literal=str(name))


@record_parser(SERVICE)
def parse_doi(payload: Any) -> Reference:
    """A DataCite ``/dois/{doi}`` response as a Reference."""
    data = payload.get("data") if isinstance(payload, Mapping) else None
    attrs = data.get("attributes") if isinstance(data, Mapping) else None
    if not isinstance(attrs, Mapping):
        raise ServiceError("a DataCite response without data.attributes", SERVICE)
    types = attrs.get("types") or {}
    fields: dict[str, Any] = {
        "type": csl_type(types.get("citeproc") if isinstance(types, Mapping) else None, "document")
    }
    for entry in attrs.get("titles") or []:
        if isinstance(entry, Mapping) and entry.get("title") and not entry.get("titleType"):
            fields["title"] = strip_markup(str(entry["title"]))
            break
    authors = [
        p for c in attrs.get("creators") or [] if isinstance(c, Mapping) if (p := _creator(c))
    ]
    if authors:
        fields["authors"] = authors
    publisher = attrs.get("publisher")
    if isinstance(publisher, Mapping):
        publisher = publisher.get("name")
    if publisher:
        fields["publisher"] = str(publisher)
    year = attrs.get("publicationYear")
    if year:
        with contextlib.suppress(TypeError, ValueError):
            fields["issued"] = PartialDate(year=int(year))
    container = attrs.get("container") or {}
    if isinstance(container, Mapping):
        if container.get("title"):
            fields["container_title"] = str(container["title"])
        for ours in ("volume", "issue"):
            if container.get(ours):
                fields[ours] = str(container[ours])
        if container.get("firstPage"):
            last = container.get("lastPage")
            fields["pages"] = f"{container['firstPage']}-{last}" if last else container["firstPage"]
    for entry in attrs.get("descriptions") or []:
        if isinstance(entry, Mapping) and entry.get("descriptionType") == "Abstract":
            abstract = strip_markup(str(entry.get("description") or ""))
            if abstract:
                fields["abstract"] = abstract
                break
    doi = attrs.get("doi") or (data.get("id") if isinstance(data, Mapping) else None)
    if doi:
        fields["doi"] = str(doi)
        fields["url"] = f"https://doi.org/{doi}"
    if attrs.get("language"):
        fields["language"] = str(attrs["language"])
    return Reference.model_validate(fields)


def fetch_doi(client: HttpClient, doi: str) -> Reference:
    """The DataCite record of ``doi``."""
    url = doi_url(client.settings.base_url("datacite"), doi)
    return parse_doi(load_json(client.get("datacite", url, identifier=doi), SERVICE, doi))
