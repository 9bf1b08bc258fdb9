"""Source files of a snapshot: Crossref's public data file and OpenAlex's works snapshot.

* Crossref: gzipped (or plain) JSON, one object per file with the work items under
  ``items`` (the public data file) or ``message.items`` (a saved REST API answer).
* OpenAlex: gzipped (or plain) JSON Lines, one work per line.

A file is read whole before any of it is used: a damaged file (a cut gzip stream, broken
JSON, the wrong shape) is reported and skipped, never half taken.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mesorefs.snapshot.records import SnapshotRecord, record_from_json
from mesorefs.snapshot.storage import open_binary

__all__ = ["SourceFile", "read_source"]

_GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class SourceFile:
    """What one source file gave: its records, or why it was skipped."""

    path: str
    records: list[SnapshotRecord] = field(default_factory=list)
    unusable: int = 0
    """Items that are not works (no DOI in a Crossref item, no id in an OpenAlex work)."""
    error: str | None = None


def _decompressed(data: bytes) -> bytes:
    if data[:2] != _GZIP_MAGIC:
        return data
    return gzip.decompress(data)


def _items(text: str) -> tuple[str, list[Any]]:
    """The source and the work objects of a file's text."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            whole = json.loads(stripped)
        except json.JSONDecodeError:
            whole = None  # not one object: JSON Lines
        if isinstance(whole, Mapping):
            message = whole.get("message")
            items = message.get("items") if isinstance(message, Mapping) else whole.get("items")
            if isinstance(items, list):
                return "crossref", items
            if "DOI" in whole or "id" in whole:  # a file of one work
                return _source_of(whole), [whole]
            raise ValueError("a JSON object without items")
    works = [json.loads(line) for line in text.splitlines() if line.strip()]
    if not works:
        raise ValueError("no works in the file")
    return _source_of(works[0]), works


def _source_of(work: Any) -> str:
    if isinstance(work, Mapping) and "DOI" in work:
        return "crossref"
    if isinstance(work, Mapping) and "openalex.org" in str(work.get("id") or ""):
        return "openalex"
    raise ValueError("neither a Crossref item nor an OpenAlex work")


def read_source(path: str) -> SourceFile:
    """Every record of the file at ``path``, or the reason it cannot be used."""
    result = SourceFile(path)
    try:
        with open_binary(path) as handle:
            data = _decompressed(handle.read())
        source, items = _items(data.decode("utf-8"))
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as exc:
        result.error = f"{type(exc).__name__}: {exc}"[:300]
        return result
    for item in items:
        try:
            result.records.append(record_from_json(source, item))
        except ValueError:
            result.unusable += 1
    return result
