"""BibLaTeX fields with a CSL variable the model does not hold, both ways. Pure.

A reference keeps such variables in ``Reference.csl``, as CSL-JSON has them, and the
styles print them ("Translated by ...", "Accessed ...").  Read from a .bib, the field
also stays in ``extra``, verbatim, so the entry is written back as it was; a reference
from CSL-JSON gets the BibLaTeX field when it is written as BibTeX.  Only fields that
mean the same in both are mapped; the rest stay in ``extra`` or ``csl`` alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from mesorefs.bibtex.latex import latex_to_unicode
from mesorefs.bibtex.names import format_names, parse_names
from mesorefs.models import Person

__all__ = ["NAME_FIELDS", "csl_from_fields", "fields_from_csl", "iso_date"]

NAME_FIELDS = {"translator": "translator", "bookauthor": "container-author"}
DATE_FIELDS = {"urldate": "accessed", "origdate": "original-date", "eventdate": "event-date"}
TEXT_FIELDS = {
    "shorttitle": "title-short",
    "pagetotal": "number-of-pages",
    "volumes": "number-of-volumes",
    "chapter": "chapter-number",
    "part": "part-number",
    "version": "version",
    "venue": "event-place",
    "origtitle": "original-title",
    "origpublisher": "original-publisher",
    "origlocation": "original-publisher-place",
    "pubstate": "status",
    "keywords": "keyword",
}

_DAY = r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?"
_DATE = re.compile(rf"^{_DAY}(?:/{_DAY})?$")


def _date_parts(text: str) -> dict[str, Any] | None:
    """``2001-03/2002-04`` -> CSL date-parts; None for what is not an ISO date or range
    (written back as a literal date would say less than the field does)."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    groups = [int(g) if g else None for g in match.groups()]
    start = [g for g in groups[:3] if g is not None]
    end = [g for g in groups[3:] if g is not None]
    if any(not 1 <= p <= (12 if k % 3 == 1 else 31) for k, p in enumerate(groups) if k % 3 and p):
        return None  # month 13, day 45: not a date
    return {"date-parts": [start, end] if end else [start]}


def iso_date(date: Mapping[str, Any]) -> str | None:
    """CSL date-parts -> ``2001-03`` or ``2001-03/2002-04``; None for other forms."""
    parts = date.get("date-parts")
    if not isinstance(parts, list) or not 1 <= len(parts) <= 2:
        return None
    written = []
    for part in parts:
        numbers = [_number(p) for p in part] if isinstance(part, list) else []
        if not numbers or None in numbers or len(numbers) > 3:
            return None
        year, *rest = numbers
        limits = (12, 31)  # a season (month 21-24) has no ISO form
        if (
            year is None
            or not 0 <= year <= 9999
            or any(n is None or not 1 <= n <= limit for n, limit in zip(rest, limits, strict=False))
        ):
            return None
        written.append("-".join([f"{year:04d}", *(f"{n:02d}" for n in rest if n is not None)]))
    return "/".join(written)


def _number(value: Any) -> int | None:
    """A date part: CSL-JSON allows a number or a string of digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def csl_from_fields(fields: Mapping[str, str]) -> dict[str, Any]:
    """The CSL variables a .bib entry's fields (lower-case names, LaTeX values) give."""
    out: dict[str, Any] = {}
    for field, variable in NAME_FIELDS.items():
        try:
            people = parse_names(fields.get(field, ""))
        except ValueError:  # no name can be read from it ("~,"): left in ``extra`` alone
            continue
        if people:
            out[variable] = [p.to_csl() for p in people]
    for field, variable in DATE_FIELDS.items():
        date = _date_parts(fields.get(field, ""))
        if date is not None:
            out[variable] = date
    date = _date_parts(fields.get("date", ""))
    if date is not None and len(date["date-parts"]) == 2:
        out["issued"] = date  # a range; the model holds its start
    for field, variable in TEXT_FIELDS.items():
        if fields.get(field):
            out[variable] = latex_to_unicode(fields[field])
    return out


def fields_from_csl(
    csl: Mapping[str, Any], text: Callable[[str], str], ascii_only: bool
) -> list[tuple[str, str]]:
    """BibLaTeX fields for the mapped CSL variables of a reference (``text`` encodes a
    Unicode value as LaTeX), in a fixed order."""
    out: list[tuple[str, str]] = []
    for field, variable in NAME_FIELDS.items():
        people = csl.get(variable)
        if isinstance(people, list) and people and all(isinstance(p, dict) for p in people):
            persons = [Person.from_csl(p) for p in people if p.get("family") or p.get("literal")]
            if len(persons) == len(people):
                out.append((field, format_names(persons, ascii_only)))
    for field, variable in DATE_FIELDS.items():
        value = csl.get(variable)
        written = iso_date(value) if isinstance(value, dict) else None
        if written:
            out.append((field, written))
    for field, variable in TEXT_FIELDS.items():
        value = csl.get(variable)
        if isinstance(value, (str, int)) and str(value).strip():
            out.append((field, text(str(value))))
    return out
