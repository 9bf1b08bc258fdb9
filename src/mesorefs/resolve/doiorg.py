"""doi.org content negotiation: CSL-JSON for DOIs of any registration agency."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mesorefs.errors import ServiceError
from mesorefs.models import Reference
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

__all__ = ["CSL_ACCEPT", "csl_url", "fetch_csl", "parse_csl"]

SERVICE = "doi"
CSL_ACCEPT = "application/vnd.citationstyles.csl+json"


def csl_url(base: str, doi: str) -> str:
    """``{base}/{doi}``; ask for CSL-JSON with the ``Accept`` header :data:`CSL_ACCEPT`."""
    return f"{base.rstrip('/')}/{path_part(doi.lower())}"


@record_parser(SERVICE)
def parse_csl(payload: Any) -> Reference:
    """A CSL-JSON item as served by doi.org (Crossref's flavour included) as a Reference."""
    if not isinstance(payload, Mapping):
        raise ServiceError("CSL-JSON that is not an object", SERVICE)
    fields: dict[str, Any] = {"type": csl_type(payload.get("type"))}
    title = first(payload.get("title"))
    if title:
        fields["title"] = strip_markup(title)
    for ours, theirs in (
        ("container_title", "container-title"),
        ("container_title_short", "container-title-short"),
    ):
        value = first(payload.get(theirs))
        if value:
            fields[ours] = strip_markup(value)
    for ours, theirs in (
        ("volume", "volume"),
        ("issue", "issue"),
        ("pages", "page"),
        ("publisher", "publisher"),
        ("doi", "DOI"),
        ("language", "language"),
    ):
        value = payload.get(theirs)
        if isinstance(value, (str, int)) and str(value).strip():
            fields[ours] = str(value)
    issn = first(payload.get("ISSN"))
    if issn:
        fields["issn"] = issn
    if fields.get("doi"):
        fields["url"] = f"https://doi.org/{fields['doi']}"
    add_people(fields, "authors", payload.get("author"))
    add_people(fields, "editors", payload.get("editor"))
    issued = date_from_parts(payload.get("issued"))
    if issued:
        fields["issued"] = issued
    if isinstance(payload.get("abstract"), str):
        abstract = strip_markup(payload["abstract"])
        if abstract:
            fields["abstract"] = abstract
    return Reference.model_validate(fields)


def fetch_csl(client: HttpClient, doi: str) -> Reference:
    """The CSL-JSON record of ``doi`` through doi.org (redirects followed)."""
    url = csl_url(client.settings.base_url("doi"), doi)
    response = client.get("doi", url, headers={"Accept": CSL_ACCEPT}, identifier=doi)
    if response.status == 204 or not response.text.strip():
        raise ServiceError("no metadata available", SERVICE, doi, response.status)
    return parse_csl(load_json(response, SERVICE, doi))
