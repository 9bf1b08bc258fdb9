"""Verify's findings as text for people, JSON for programs, and GitHub annotations.

JSON schema ``mesorefs.verify/1`` (see docs/cli-json.md)::

    {
      "schema": "mesorefs.verify/1",
      "summary": {"entries": 3, "confirmed": 1, "mismatch": 1, "not-found": 1, "unchecked": 0},
      "exit_code": 1,
      "entries": [
        {
          "key": "smith2020",
          "file": "refs.bib", "line": 12,          # line null when unknown
          "outcome": "confirmed" | "mismatch" | "not-found" | "unchecked",
          "via": "doi" | "pmid" | "arxiv" | "search" | null,
          "source": "crossref",                    # where the record came from, or null
          "record": {"doi": ..., "pmid": ..., "arxiv": ..., "title": ..., "authors": [...],
                     "year": ..., "venue": ..., "volume": ..., "pages": ...} | null,
          "differences": [{"field": "year", "entry": "2019", "record": "2015",
                           "detail": "4 years apart", "fix": {"year": "2015"} | null}],
          "searched": ["crossref doi:10.1/x", "crossref search '...'"],
          "closest": {... as record ...} | null,   # not-found / unchecked only
          "reason": "..."                          # why, for not-found and unchecked
        }
      ]
    }

Within one schema version fields are only ever added, never renamed or removed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from mesorefs.errors import InputError
from mesorefs.inputs import load_json
from mesorefs.models import PartialDate, Person, Reference
from mesorefs.verify.model import EntryResult, VerifyReport

__all__ = [
    "SCHEMA",
    "format_github",
    "format_json",
    "format_text",
    "not_found_keys",
    "record_dict",
]

SCHEMA = "mesorefs.verify/1"


def _people(people: Sequence[Person]) -> list[str]:
    return [p.sort_name for p in people]


def record_dict(record: Reference) -> dict[str, Any]:
    """The identifying part of a record, as JSON."""
    return {
        "doi": record.doi,
        "pmid": record.pmid,
        "arxiv": record.arxiv,
        "title": record.title,
        "authors": _people(record.authors),
        "year": record.year,
        "venue": record.container_title or record.container_title_short,
        "volume": record.volume,
        "pages": record.pages,
    }


def _json_value(value: Any) -> Any:
    if isinstance(value, list):
        return [p.sort_name if isinstance(p, Person) else p for p in value]
    if isinstance(value, PartialDate):
        return str(value.year) if value.year is not None else None
    return value


_FIX_NAMES = {"issued": "year", "container_title": "venue"}


def _entry_dict(result: EntryResult) -> dict[str, Any]:
    return {
        "key": result.key,
        "file": result.file,
        "line": result.line,
        "outcome": result.outcome,
        "via": result.via,
        "source": result.source,
        "record": record_dict(result.record) if result.record is not None else None,
        "differences": [
            {
                "field": d.field,
                "entry": d.entry,
                "record": d.record,
                "detail": d.detail,
                "fix": (
                    {_FIX_NAMES.get(k, k): _json_value(v) for k, v in d.fix.items()}
                    if d.fix is not None
                    else None
                ),
            }
            for d in result.differences
        ],
        "searched": list(result.searched),
        "closest": record_dict(result.closest) if result.closest is not None else None,
        "reason": result.reason,
    }


def format_json(report: VerifyReport) -> str:
    """The report as a ``mesorefs.verify/1`` JSON document (see the module doc)."""
    document = {
        "schema": SCHEMA,
        "summary": {"entries": len(report.results), **report.counts()},
        "exit_code": report.exit_code,
        "entries": [_entry_dict(r) for r in report.results],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _identified(record: Reference) -> str:
    for kind in ("doi", "pmid", "arxiv"):
        value = getattr(record, kind)
        if value:
            return f"{kind}:{value}"
    return repr((record.title or "")[:80])


def _how(result: EntryResult) -> str:
    record = result.record
    if record is None:
        return ""
    via = "its " + result.via.upper() if result.via in ("doi", "pmid") else f"its {result.via} id"
    if result.via == "search":
        via = "a search match"
    return f"{result.source} record {_identified(record)}, by {via}"


def messages(result: EntryResult) -> list[str]:
    """The lines that say what verify found about one entry (one per finding)."""
    if result.outcome == "confirmed":
        return [f"confirmed: {_how(result)}"]
    if result.outcome == "mismatch":
        return [
            f"mismatch: {d.describe()}; {_how(result)}"
            + ("; fix available" if d.fix is not None else "")
            for d in result.differences
        ]
    where = "; ".join(result.searched) or "nowhere"
    closest = ""
    if result.closest is not None:
        closest = f"; closest: {_identified(result.closest)}"
        if result.closest.title and not closest.endswith(repr(result.closest.title[:80])):
            closest += f" {result.closest.title!r}"
    return [f"{result.outcome}: {result.reason} (searched: {where}){closest}"]


def format_text(report: VerifyReport, show_confirmed: bool = False) -> str:
    """One line per finding (``file:line: key: outcome: ...``) and a count line.

    The caller escapes the text for the terminal (it holds the records' text)."""
    lines = []
    for result in report.results:
        if result.outcome == "confirmed" and not show_confirmed:
            continue
        where = f"{result.file or '-'}:{result.line}" if result.line else (result.file or "-")
        for message in messages(result):
            lines.append(f"{where}: {result.key}: {message}")
    counts = report.counts()
    summary = ", ".join(f"{n} {outcome}" for outcome, n in counts.items())
    total = len(report.results)
    lines.append(f"{total} entr{'y' if total == 1 else 'ies'}: {summary}")
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_LEVEL = {"mismatch": "error", "not-found": "error", "unchecked": "warning"}


def format_github(report: VerifyReport) -> str:
    """GitHub Actions workflow commands, one per finding (as ``lint --format github``)."""
    lines = []
    for result in report.results:
        level = _LEVEL.get(result.outcome)
        if level is None:
            continue
        props = []
        if result.file:
            props.append(f"file={_escape_property(result.file)}")
        if result.line is not None:
            props.append(f"line={result.line}")
        props.append(f"title={_escape_property(f'verify {result.outcome}')}")
        for message in messages(result):
            text = _escape_data(f"{result.key}: {message}")
            lines.append(f"::{level} {','.join(props)}::{text}")
    return "\n".join(lines) + ("\n" if lines else "")


def not_found_keys(text: str, source: str | None = None) -> list[str]:
    """The keys of the entries a ``mesorefs verify --json`` report found no record of.

    ``text`` must be such a report (``mesorefs.verify/1``); anything else is one
    :class:`InputError` naming ``source``.
    """
    data = load_json(text, source)
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InputError(f"not a {SCHEMA} report (mesorefs verify --json)", source)
    entries = data.get("entries")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise InputError("its entries are not a list of objects", source)
    return [str(e["key"]) for e in entries if e.get("outcome") == "not-found" and e.get("key")]
