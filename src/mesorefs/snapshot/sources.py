"""Source files of a snapshot: Crossref's public data file and OpenAlex's works snapshot.

* Crossref: gzipped (or plain) JSON, one object per file with the work items under
  ``items`` (the public data file) or ``message.items`` (a saved REST API answer).
* OpenAlex: gzipped (or plain) JSON Lines, one work per line.

A file's records are kept only once the whole file has been read: a damaged file (a cut
gzip stream, broken JSON, the wrong shape) is reported and skipped, never half taken.
JSON Lines are read line by line, so an OpenAlex part of several gigabytes needs memory
for its records, not for its text.

What a file may cost is bounded: it may decompress to at most :data:`MAX_RATIO` times its
size (or :data:`MIN_LIMIT`), a line of JSON Lines is at most :data:`MAX_LINE` bytes, and
JSON nested too deep is a damaged file; beyond a bound the file is skipped as damaged.
Only regular files are read (a FIFO or a device is refused before it is opened).  A work
that cannot be kept (a lone surrogate in its text) is counted as unusable and the rest of
its file is taken; a year no calendar has (``1e999``, ``10**30``) is left out.
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, cast

from mesorefs.errors import InputError
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


MAX_RATIO = 20
"""A file may decompress to at most this many times its size (gzipped JSON of real
works is 5 to 12 times smaller), or :data:`MIN_LIMIT`, whichever is more."""
MIN_LIMIT = 32 * 2**20
MAX_LINE = 16 * 2**20
"""The longest line of JSON Lines (one work) read, in bytes."""
_CHUNK = 2**20


class _Bounded:
    """A file's (decompressed) bytes, refused once there are more than ``limit`` of them,
    read in pieces so a gzip bomb or a file without line ends never fills memory."""

    def __init__(self, inner: IO[bytes], limit: int) -> None:
        self.inner = inner
        self.limit = limit
        self.count = 0

    def _take(self, data: bytes) -> bytes:
        self.count += len(data)
        if self.count > self.limit:
            raise ValueError(
                f"decompresses to more than {self.limit:,} bytes ({MAX_RATIO} times its "
                "size): damaged or not a source file"
            )
        return data

    def readline(self, size: int) -> bytes:
        """One line of at most ``size`` bytes (more is an error, not a cut line)."""
        line = self._take(self.inner.readline(min(size, self.limit - self.count) + 1))
        if len(line) > size:
            raise ValueError(f"a line longer than {size:,} bytes")
        return line

    def lines(self) -> Iterator[bytes]:
        while line := self.readline(MAX_LINE):
            yield line

    def rest(self, first: bytes) -> bytes:
        """``first`` and everything after it."""
        parts = [first]
        while chunk := self.inner.read(_CHUNK):
            parts.append(self._take(chunk))
        return b"".join(parts)


@contextmanager
def _opened(path: str) -> Iterator[_Bounded]:
    """The file at ``path`` for reading, decompressed when it is gzipped, bounded."""
    with open_binary(path) as raw:
        magic = raw.read(2)
        size = raw.seek(0, os.SEEK_END)
        raw.seek(0)
        limit = max(MIN_LIMIT, MAX_RATIO * size)
        if magic == _GZIP_MAGIC:
            with gzip.GzipFile(fileobj=raw) as unzipped:
                yield _Bounded(cast(IO[bytes], unzipped), limit)
        else:
            yield _Bounded(raw, limit)


def _works(handle: _Bounded) -> Iterator[tuple[str, Any]]:
    """(source, work) for each work in a file: one JSON object holding ``items`` (or
    ``message.items``), one work, or JSON Lines of works read line by line (an OpenAlex
    part is gigabytes)."""
    first = handle.readline(handle.limit)
    work = None
    if first.strip() and len(first) <= MAX_LINE:
        try:
            work = json.loads(first)
        except json.JSONDecodeError:
            work = None  # the first line is not a whole object: one JSON document
    if isinstance(work, Mapping) and "items" not in work and "message" not in work:
        source = _source_of(work)
        yield source, work
        for line in handle.lines():
            if line.strip():
                yield source, json.loads(line)
        return
    whole = json.loads(handle.rest(first))
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
                except (ValueError, TypeError, OverflowError, RecursionError):
                    result.unusable += 1  # not a work, or one that cannot be kept
    except (
        OSError,
        EOFError,
        zlib.error,
        ValueError,  # broken JSON, too long or too large (UnicodeDecodeError too)
        RecursionError,  # JSON nested too deep
        InputError,  # not a regular file
    ) as exc:
        # Nothing of a damaged file is kept, however far it was read.
        result.records.clear()
        result.unusable = 0
        reason = str(exc) if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
        result.error = " ".join(reason.split())[:300]
    return result
