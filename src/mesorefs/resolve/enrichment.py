"""What a second service's record of a matched work may add to it (PubMed, OpenAlex).

Pure: the identifiers, abstract and notices to take, and why a record that disagrees
with the matched work is not attached (a wrong PMID must never be attached)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mesorefs.models import Reference, Update
from mesorefs.resolve.decide import (
    ENRICH_TITLE_THRESHOLD,
)
from mesorefs.resolve.similarity import title_similarity

if TYPE_CHECKING:
    pass


_ENRICHING = ("pmid", "pmcid")


def _enrichment(ref: Reference, record: Reference) -> Reference:
    """The part of a PubMed record that enrichment may add to ``ref``."""
    data: dict[str, object] = {name: getattr(record, name) for name in _ENRICHING}
    if ref.is_empty("abstract"):
        data["abstract"] = record.abstract
    data["updates"] = record.updates
    types = record.extra.get("publication_types")
    data["extra"] = {"publication_types": types} if types else {}
    return Reference.model_validate(data)


def _openalex_disagreement(ref: Reference, record: Reference) -> str | None:
    """Why OpenAlex's work of ``ref.doi`` cannot be attached to ``ref`` (None: it can).

    The work must carry exactly our DOI (normalized) and a near-identical title.
    """
    if not record.doi:
        return "the work has no DOI"
    if not ref.doi or record.doi.lower() != ref.doi.lower():
        return f"its DOI is {record.doi}"
    if not ref.title or not record.title:
        return "no title to compare"
    sim = title_similarity(ref.title, record.title, "title" in ref.truncated)
    if sim < ENRICH_TITLE_THRESHOLD:
        return f"title differs (similarity {sim:.2f})"
    return None


def _openalex_enrichment(ref: Reference, record: Reference) -> tuple[Reference, list[str]]:
    """The part of an agreeing OpenAlex work that may be added to ``ref``, and what was
    withheld (PMID / PMCID that contradict the identifiers we already have)."""
    data: dict[str, object] = {}
    withheld: list[str] = []
    if ref.is_empty("abstract") and record.abstract:
        data["abstract"] = record.abstract
    clashes = [
        f"{name} {getattr(record, name)} (we have {getattr(ref, name)})"
        for name in ("pmid", "pmcid")
        if getattr(ref, name)
        and getattr(record, name)
        and str(getattr(ref, name)).lower() != str(getattr(record, name)).lower()
    ]
    if clashes:
        withheld.append("PMID/PMCID not taken, they contradict ours: " + "; ".join(clashes))
    else:
        for name in ("pmid", "pmcid"):
            if getattr(record, name) and ref.is_empty(name):
                data[name] = getattr(record, name)
    retracted = any(u.kind == "retraction" for u in record.updates)
    if retracted and not any(u.kind == "retraction" for u in ref.updates):
        data["updates"] = [Update(kind="retraction", source="openalex")]
    return Reference.model_validate(data), withheld


def _names_other_venue(ref: Reference) -> bool:
    """Does the entry cite a venue other than arXiv (so it describes a published version)?"""
    venue = ref.container_title or ref.container_title_short or ""
    return bool(venue.strip()) and "arxiv" not in venue.lower()
