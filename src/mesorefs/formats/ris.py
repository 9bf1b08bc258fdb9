"""RIS <-> References, through rispy (the only module that imports it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import rispy

from mesorefs.errors import InputError
from mesorefs.models import PartialDate, Person, Reference

__all__ = ["dumps_ris", "loads_ris"]

_RIS_TO_CSL = {
    "JOUR": "article-journal",
    "JFULL": "article-journal",
    "MGZN": "article-magazine",
    "NEWS": "article-newspaper",
    "BOOK": "book",
    "EBOOK": "book",
    "CHAP": "chapter",
    "ECHAP": "chapter",
    "CONF": "paper-conference",
    "CPAPER": "paper-conference",
    "THES": "thesis",
    "RPRT": "report",
    "ELEC": "webpage",
    "WEB": "webpage",
    "DATA": "dataset",
    "COMP": "software",
    "PAT": "patent",
    "UNPB": "manuscript",
    "PAMP": "pamphlet",
    "GEN": "document",
}
_CSL_TO_RIS = {
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "book": "BOOK",
    "chapter": "CHAP",
    "paper-conference": "CONF",
    "thesis": "THES",
    "report": "RPRT",
    "webpage": "ELEC",
    "dataset": "DATA",
    "software": "COMP",
    "patent": "PAT",
    "manuscript": "UNPB",
    "pamphlet": "PAMP",
}


def _person(name: str) -> Person:
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return Person(family=family, given=given or None)
    return Person(literal=name.strip())


def _date(entry: dict[str, Any]) -> PartialDate | None:
    for field in ("date", "year", "publication_year"):
        text = str(entry.get(field) or "")
        parts = [p for p in text.replace("-", "/").split("/") if p.strip()]
        if parts and parts[0].strip()[:4].isdigit():
            year = int(parts[0].strip()[:4])
            month = int(parts[1]) if len(parts) > 1 and parts[1].strip().isdigit() else None
            if month is not None and not 1 <= month <= 12:
                month = None
            return PartialDate(year=year, month=month)
    return None


def _reference(entry: dict[str, Any]) -> Reference:
    pages = entry.get("start_page")
    if pages and entry.get("end_page"):
        pages = f"{pages}-{entry['end_page']}"
    urls = entry.get("urls") or []
    title = entry.get("title") or entry.get("primary_title")
    container = (
        entry.get("secondary_title") or entry.get("journal_name") or entry.get("alternate_title3")
    )
    return Reference.model_validate(
        {
            "key": entry.get("id"),
            "type": _RIS_TO_CSL.get(entry.get("type_of_reference", ""), "document"),
            "title": title,
            "authors": [
                _person(a) for a in entry.get("authors") or entry.get("first_authors") or []
            ],
            "editors": [_person(a) for a in entry.get("secondary_authors") or []],
            "issued": _date(entry),
            "container_title": container,
            "container_title_short": entry.get("alternate_title2") or entry.get("alternate_title1"),
            "volume": entry.get("volume"),
            "issue": entry.get("number"),
            "pages": pages,
            "publisher": entry.get("publisher"),
            "publisher_place": entry.get("place_published"),
            "abstract": entry.get("abstract"),
            "doi": entry.get("doi"),
            "issn": entry.get("issn"),
            "url": urls[0] if urls else None,
            "language": entry.get("language"),
            "note": "; ".join(entry.get("notes") or []) or None,
        }
    )


def loads_ris(text: str, source: str | None = None) -> list[Reference]:
    """Read RIS text."""
    try:
        entries = rispy.loads(text)
    except Exception as error:  # rispy raises plain IOError/ValueError on bad input
        raise InputError(f"not valid RIS: {str(error).splitlines()[0]}", source) from None
    return [_reference(e) for e in entries]


def _entry(reference: Reference) -> dict[str, Any]:
    entry: dict[str, Any] = {"type_of_reference": _CSL_TO_RIS.get(reference.type, "GEN")}
    if reference.key:
        entry["id"] = reference.key
    if reference.title:
        entry["title"] = reference.title
    if reference.authors:
        entry["authors"] = [
            p.literal or ", ".join(x for x in (p.sort_name, p.given) if x)
            for p in reference.authors
        ]
    if reference.issued:
        entry["year"] = str(reference.issued.year)
    if reference.container_title:
        entry["secondary_title"] = reference.container_title
    if reference.container_title_short:
        entry["alternate_title2"] = reference.container_title_short
    for ours, theirs in (
        ("volume", "volume"),
        ("issue", "number"),
        ("publisher", "publisher"),
        ("publisher_place", "place_published"),
        ("abstract", "abstract"),
        ("doi", "doi"),
        ("issn", "issn"),
        ("language", "language"),
    ):
        if getattr(reference, ours):
            entry[theirs] = getattr(reference, ours)
    if reference.pages:
        start, _, end = reference.pages.partition("-")
        entry["start_page"] = start
        if end:
            entry["end_page"] = end
    if reference.url:
        entry["urls"] = [reference.url]
    return entry


def dumps_ris(references: Iterable[Reference]) -> str:
    """RIS text for the references."""
    text: str = rispy.dumps([_entry(r) for r in references])
    return text
