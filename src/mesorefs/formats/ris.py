"""RIS <-> References, through rispy (the only module that imports it)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import rispy
from pydantic import ValidationError

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


def _person(name: str) -> Person | None:
    if not name.strip(" ,"):
        return None
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return Person(family=family, given=given or None)
    return Person(literal=name.strip())


def _people(names: Any) -> list[Person]:
    found = [_person(str(name)) for name in names or []]
    return [person for person in found if person is not None]


def _date(entry: dict[str, Any]) -> PartialDate | None:
    for field in ("date", "year", "publication_year"):
        text = str(entry.get(field) or "")
        parts = [p for p in text.replace("-", "/").split("/") if p.strip()]
        if parts and re.fullmatch(r"[0-9]{4}", parts[0].strip()[:4]):
            year = int(parts[0].strip()[:4])
            month_text = parts[1].strip() if len(parts) > 1 else ""
            month = int(month_text) if re.fullmatch(r"[0-9]{1,2}", month_text) else None
            if month is not None and not 1 <= month <= 12:
                month = None
            day_text = parts[2].strip() if len(parts) > 2 and month is not None else ""
            day = int(day_text) if re.fullmatch(r"[0-9]{1,2}", day_text) else None
            if day is not None and not 1 <= day <= 31:
                day = None
            return PartialDate(year=year, month=month, day=day)
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
            "authors": _people(entry.get("authors") or entry.get("first_authors")),
            "editors": _people(entry.get("secondary_authors")),
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


_RECORD_START = re.compile(r"^[ \t]*TY  -", re.MULTILINE)


def _record_lines(text: str) -> list[int]:
    """The 1-based line of each record's ``TY  -``, counting newlines once, from each
    record to the next (counting from the start for each was quadratic)."""
    lines: list[int] = []
    line, counted = 1, 0
    for match in _RECORD_START.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        lines.append(line)
    return lines


def loads_ris(text: str, source: str | None = None) -> list[Reference]:
    """Read RIS text; a record we cannot use raises InputError with its line."""
    try:
        entries = rispy.loads(text)
    except Exception as error:  # rispy raises plain IOError/ValueError on bad input
        raise InputError(f"not valid RIS: {str(error).splitlines()[0]}", source) from None
    starts = _record_lines(text)
    if not starts and text.strip():
        raise InputError("no RIS records (no line starts with 'TY  - ')", source, line=1)
    if len(entries) < len(starts):  # rispy drops a record that is not closed
        raise InputError(
            "a record without its closing 'ER  - ' line", source, line=starts[len(entries)]
        )
    references = []
    for index, entry in enumerate(entries):
        line: int | None = starts[index] if len(starts) == len(entries) else None
        try:
            reference = _reference(entry)
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(part) for part in problem["loc"])
            message = f"{where}: {problem['msg']}" if where else str(problem["msg"])
            raise InputError(message, source, line=line, item=index) from None
        except ValueError as error:
            raise InputError(str(error).splitlines()[0], source, line=line, item=index) from None
        reference._plain_text = True  # RIS holds text, never LaTeX
        references.append(reference)
    return references


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
        month, day = reference.issued.month, reference.issued.day
        if month:  # DA (YYYY/MM/DD/) keeps what PY (the year) cannot
            shown_day = f"{day:02d}" if day else ""
            entry["date"] = f"{reference.issued.year:04d}/{month:02d}/{shown_day}/"
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
