"""Metadata records as a snapshot keeps them (pure).

A record is one work of one source: a Crossref item (the shape of the REST API's
``message.items``, which is also the shape of Crossref's public data file) or an OpenAlex
work (the works snapshot's JSON Lines).  Each keeps the source's own JSON, trimmed to the
keys the resolver's parsers read, so a record from the snapshot parses to exactly the
Reference the online service would give; the search text and the links between records
(update notices, preprint-of, identical-to) are taken out beside it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mesorefs.identifiers import is_doi, normalize_doi
from mesorefs.resolve._common import doi_from_url
from mesorefs.resolve.similarity import normalize_text

__all__ = [
    "SnapshotRecord",
    "canonical_choice",
    "crossref_record",
    "openalex_record",
    "record_from_json",
    "search_text",
    "with_notices",
]

# What the Crossref parser reads, and the links the snapshot follows.
_CROSSREF_KEYS = frozenset(
    """type title subtitle container-title short-container-title container-title-short
    volume issue page publisher publisher-location language DOI article-number ISSN ISBN
    author editor issued published published-print published-online abstract updated-by
    update-to relation""".split()
)
_OPENALEX_KEYS = frozenset(
    """id type title display_name ids doi publication_year publication_date authorships
    primary_location biblio abstract_inverted_index is_retracted""".split()
)
# Relations that make two DOIs versions of one work (Crossref's relation types).
SAME_WORK = frozenset(
    {"is-preprint-of", "has-preprint", "is-identical-to", "is-version-of", "has-version"}
)
_PREPRINT_TYPES = frozenset({"posted-content", "preprint"})


@dataclass(frozen=True)
class SnapshotRecord:
    """One work of one source, with what the index searches and what links it."""

    key: str
    """``<source>:<lower-case DOI>``, or ``openalex:<W id>`` for a work without a DOI."""
    source: str
    doi: str | None
    raw: str
    """The source's JSON of the work, trimmed to what the parsers read."""
    text: str
    """Title, authors, container, year, volume, issue and first page, normalized."""
    stamp: str
    """When the source last changed the record (ISO); the newer of two copies wins."""
    kind: str
    """The source's type of the work (``journal-article``, ``posted-content``, ...)."""
    year: int | None = None
    notices: tuple[tuple[str, str], ...] = field(default=())
    """Update notices this record issues: (DOI it updates, JSON of the updated-by entry)."""
    relations: tuple[tuple[str, str], ...] = field(default=())
    """(relation type, DOI) of other works this one names as versions of itself."""


def _first(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value) if value is not None else ""


def _plausible_year(value: Any) -> int | None:
    """``value`` as a year when it is one a calendar has (the store keeps 32 bits; JSON
    may say ``1e999`` or ``10**30``)."""
    if isinstance(value, bool):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return year if -9999 <= year <= 9999 else None


def _year(parts: Any) -> int | None:
    try:
        return _plausible_year(parts["date-parts"][0][0])
    except (KeyError, IndexError, TypeError):
        return None


def _first_page(page: Any) -> str:
    return str(page or "").split("-")[0].split("–")[0].strip()


def search_text(
    title: str, people: Iterable[str], container: str, year: int | None, numbers: Sequence[str]
) -> str:
    """The words a bibliographic search matches a record by, normalized as queries are."""
    parts = [title, *people, container, str(year or ""), *numbers]
    return normalize_text(" ".join(p for p in parts if p))


def _stamp(item: Mapping[str, Any]) -> str:
    for key in ("indexed", "deposited", "created"):
        value = item.get(key)
        if isinstance(value, Mapping) and value.get("date-time"):
            return str(value["date-time"])
    return ""


def crossref_record(item: Mapping[str, Any]) -> SnapshotRecord:
    """A Crossref work item as a record; ValueError when it has no valid DOI."""
    doi = str(item.get("DOI") or "")
    if not is_doi(doi):
        raise ValueError(f"a Crossref item without a valid DOI: {doi[:80]!r}")
    trimmed = {k: v for k, v in item.items() if k in _CROSSREF_KEYS}
    issued = next(
        (
            _year(item.get(k))
            for k in ("issued", "published", "published-print", "published-online")
            if _year(item.get(k)) is not None
        ),
        None,
    )
    people = [
        " ".join(str(p.get(k) or "") for k in ("given", "family", "name", "literal"))
        for p in (item.get("author") or item.get("editor") or [])
        if isinstance(p, Mapping)
    ]
    text = search_text(
        " ".join(filter(None, (_first(item.get("title")), _first(item.get("subtitle"))))),
        people,
        _first(item.get("container-title")),
        issued,
        [
            str(item.get("volume") or ""),
            str(item.get("issue") or ""),
            _first_page(item.get("page")),
        ],
    )
    notices = tuple(
        (
            normalize_doi(str(u["DOI"])),
            json.dumps(
                {
                    "DOI": doi.lower(),
                    "type": u.get("type"),
                    "label": u.get("label"),
                    "source": u.get("source"),
                    "updated": u.get("updated"),
                },
                sort_keys=True,
            ),
        )
        for u in item.get("update-to") or []
        if isinstance(u, Mapping) and is_doi(str(u.get("DOI") or ""))
    )
    return SnapshotRecord(
        key=f"crossref:{normalize_doi(doi)}",
        source="crossref",
        doi=normalize_doi(doi),
        raw=json.dumps(trimmed, ensure_ascii=False, sort_keys=True),
        text=text,
        stamp=_stamp(item),
        kind=str(item.get("type") or ""),
        year=issued,
        notices=notices,
        relations=_relations(item.get("relation")),
    )


def _relations(relation: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(relation, Mapping):
        return ()
    found = []
    for kind, targets in relation.items():
        if kind not in SAME_WORK or not isinstance(targets, list):
            continue
        for target in targets:
            if not isinstance(target, Mapping) or target.get("id-type") != "doi":
                continue
            value = str(target.get("id") or "")
            if is_doi(value):
                found.append((str(kind), normalize_doi(value)))
    return tuple(sorted(set(found)))


def openalex_record(work: Mapping[str, Any]) -> SnapshotRecord:
    """An OpenAlex work as a record; ValueError when it has no id."""
    work_id = str(work.get("id") or "").rstrip("/").rsplit("/", 1)[-1]
    if not work_id:
        raise ValueError("an OpenAlex work without an id")
    trimmed = {k: v for k, v in work.items() if k in _OPENALEX_KEYS}
    ids = work.get("ids") if isinstance(work.get("ids"), Mapping) else {}
    doi = doi_from_url(str(work.get("doi") or (ids or {}).get("doi") or "") or None)
    doi = normalize_doi(doi) if doi and is_doi(doi) else None
    people = [
        str((a.get("author") or {}).get("display_name") or a.get("raw_author_name") or "")
        for a in work.get("authorships") or []
        if isinstance(a, Mapping)
    ]
    source = ((work.get("primary_location") or {}).get("source")) or {}
    biblio = work.get("biblio") if isinstance(work.get("biblio"), Mapping) else {}
    given = work.get("publication_year")
    year = _plausible_year(given) if isinstance(given, int) else None
    text = search_text(
        str(work.get("title") or work.get("display_name") or ""),
        people,
        str(source.get("display_name") or ""),
        year,
        [str((biblio or {}).get(k) or "") for k in ("volume", "issue", "first_page")],
    )
    return SnapshotRecord(
        key=f"openalex:{doi}" if doi else f"openalex:{work_id}",
        source="openalex",
        doi=doi,
        raw=json.dumps(trimmed, ensure_ascii=False, sort_keys=True),
        text=text,
        stamp=str(work.get("updated_date") or ""),
        kind=str(work.get("type") or ""),
        year=year,
    )


def record_from_json(source: str, data: Any) -> SnapshotRecord:
    """A record of ``source`` (``crossref`` or ``openalex``); ValueError when unusable."""
    if not isinstance(data, Mapping):
        raise ValueError("a record is not a JSON object")
    record = crossref_record(data) if source == "crossref" else openalex_record(data)
    for text in (record.key, record.raw, record.text, record.stamp, record.kind):
        text.encode("utf-8")  # UnicodeEncodeError (a ValueError) on a lone surrogate
    return record


def with_notices(raw: str, notices: Sequence[str]) -> str:
    """A Crossref item's JSON with the notices that update it added to ``updated-by``
    (the public data file keeps them on the notices; the REST API joins them)."""
    if not notices:
        return raw
    item = json.loads(raw)
    known = item.get("updated-by") if isinstance(item.get("updated-by"), list) else []
    have = {(str(u.get("DOI") or "").lower(), u.get("type")) for u in known if isinstance(u, dict)}
    for notice in sorted(notices):
        entry = json.loads(notice)
        if (entry["DOI"], entry.get("type")) not in have:
            known.append({k: v for k, v in entry.items() if v is not None})
    item["updated-by"] = known
    return json.dumps(item, ensure_ascii=False, sort_keys=True)


def canonical_choice(members: Sequence[tuple[str, str, int | None]]) -> str:
    """The DOI that stands for a work known under several: ``(doi, type, year)`` each.

    The version of record (not a preprint) first, then the earliest, then the lowest DOI,
    so the choice does not depend on the order records were read in.
    """
    return min(
        members,
        key=lambda m: (m[1] in _PREPRINT_TYPES, m[2] if m[2] is not None else 10**6, m[0]),
    )[0]
