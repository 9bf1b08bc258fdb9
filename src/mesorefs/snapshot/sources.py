"""Source files of a snapshot: Crossref's public data file and OpenAlex's works snapshot.

* Crossref: gzipped (or plain) JSON, one object per file with the work items under
  ``items`` (the public data file) or ``message.items`` (a saved REST API answer).
* OpenAlex: gzipped (or plain) JSON Lines, one work per line.

A file's records are kept only once the whole file has been read: a damaged file (a cut
gzip stream, broken JSON, the wrong shape) is reported and skipped, never half taken.
JSON Lines are read line by line, so an OpenAlex part of several gigabytes needs memory
for its records, not for its text.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, cast

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


@contextmanager
def _opened(path: str) -> Iterator[IO[bytes]]:
    """The file at ``path`` for reading, decompressed when it is gzipped."""
    with open_binary(path) as raw:
        magic = raw.read(2)
        raw.seek(0)
        if magic == _GZIP_MAGIC:
            with gzip.GzipFile(fileobj=raw) as unzipped:
                yield cast(IO[bytes], unzipped)
        else:
            yield raw


def _works(handle: IO[bytes]) -> Iterator[tuple[str, Any]]:
    """(source, work) for each work in a file: one JSON object holding ``items`` (or
    ``message.items``), one work, or JSON Lines of works read line by line (an OpenAlex
    part is gigabytes)."""
    first = handle.readline()
    try:
        work = json.loads(first) if first.strip() else None
    except json.JSONDecodeError:
        work = None  # the first line is not a whole object: one JSON document
    if isinstance(work, Mapping) and "items" not in work and "message" not in work:
        source = _source_of(work)
        yield source, work
        for line in handle:
            if line.strip():
                yield source, json.loads(line)
        return
    whole = json.loads(first + handle.read())
    if not isinstance(whole, Mapping):
        raise ValueError("neither a JSON object nor JSON Lines of works")
    message = whole.get("message")
    items = message.get("items") if isinstance(message, Mapping) else whole.get("items")
    if isinstance(items, list):
        for item in items:
            yield "crossref", item
    elif "DOI" in whole or "id" in whole:  # a file of one work, spread over lines
        yield _source_of(whole), whole
    else:
        raise ValueError("a JSON object without items")


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
        with _opened(path) as handle:
            for source, work in _works(handle):
                try:
                    result.records.append(record_from_json(source, work))
                except ValueError:
                    result.unusable += 1
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as exc:
        # Nothing of a damaged file is kept, however far it was read.
        result.records.clear()
        result.unusable = 0
        result.error = f"{type(exc).__name__}: {exc}"[:300]
    return result
