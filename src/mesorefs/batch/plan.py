"""What a batch job is made of: its inputs cut into partitions (pure but for listing files).

Inputs are files or folders:

* a bibliography (``.bib``, ``.ris``, CSL-JSON ``.json``): one partition per file, one
  row per reference;
* JSON Lines of reference strings (``.jsonl``; each line ``{"id": ..., "text": ...}`` or
  a JSON string): partitions of ``partition_rows`` lines;
* a Parquet file with a column of reference strings (``column``): partitions of
  ``partition_rows`` rows;
* a document (``.md``, ``.txt``, ``.tex``, ``.html``) beside a bibliography of the same
  name (``paper.md`` and ``paper.bib``): one partition, one row per claim.

An input of one of these kinds that cannot be read (not a regular file, a dangling link,
no permission) is an ``unreadable`` partition: one error row naming it, the rest of the
job goes on.  A FIFO or a device is never opened.

A partition's id is a digest of what it covers, so a rerun finds the partitions it has
finished.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from mesorefs.errors import InputError

__all__ = ["Partition", "PartitionKind", "plan"]

PartitionKind = Literal["library", "lines", "parquet", "document", "unreadable"]

BIBLIOGRAPHIES = (".bib", ".ris", ".json")
DOCUMENTS = (".md", ".markdown", ".txt", ".tex", ".html", ".htm")


@dataclass(frozen=True)
class Partition:
    """A slice of one input: rows ``start`` to ``stop`` (lines or Parquet rows)."""

    kind: PartitionKind
    path: str
    start: int = 0
    stop: int = 0
    column: str | None = None
    bibliography: str | None = None
    """For a document: the bibliography its claims are checked against."""
    reason: str | None = None
    """For an unreadable input: why."""
    offset: int = 0
    """For JSON Lines: the byte where line ``start`` begins (no rescanning the file)."""
    groups: tuple[int, ...] = ()
    """For Parquet: the row groups that hold rows ``start`` to ``stop``."""

    @property
    def id(self) -> str:
        where = Path(self.path).resolve()  # the same partition whatever the working folder
        text = f"{self.kind}|{where}|{self.start}|{self.stop}|{self.column}|{self.bibliography}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]

    @property
    def label(self) -> str:
        return f"{self.path}[{self.start}:{self.stop}]" if self.stop else self.path


def _files(inputs: Sequence[str | Path]) -> list[Path]:
    """The files of ``inputs``: each given file, and everything but folders under each
    given folder (a FIFO or a dangling link among them becomes an error row)."""
    files: list[Path] = []
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if not p.is_dir()))
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            raise InputError("no such file or folder", str(path))
    return files


def _kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in DOCUMENTS:
        return "document"
    if suffix in BIBLIOGRAPHIES:
        return "library"
    return {".jsonl": "lines", ".parquet": "parquet"}.get(suffix)


def _not_regular(path: Path) -> str | None:
    """Why ``path`` cannot be read as an input (checked without opening it), or None."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return exc.strerror or str(exc)
    return None if stat.S_ISREG(mode) else "not a regular file (a FIFO or device is not read)"


def _line_slices(path: Path, size: int) -> list[tuple[int, int, int]]:
    """(first line, line after the last, byte offset of the first) per ``size`` lines."""
    slices = []
    start = offset = position = lines = 0
    with path.open("rb") as handle:
        for line in handle:
            if lines - start == size:
                slices.append((start, lines, offset))
                start, offset = lines, position
            lines += 1
            position += len(line)
    if lines > start:
        slices.append((start, lines, offset))
    return slices


def _group_slices(counts: Sequence[int], size: int) -> list[tuple[int, int, tuple[int, ...]]]:
    """Consecutive row groups of about ``size`` rows: (first row, row after, groups)."""
    slices: list[tuple[int, int, tuple[int, ...]]] = []
    start = row = 0
    groups: list[int] = []
    for group, count in enumerate(counts):
        groups.append(group)
        row += count
        if row - start >= size:
            slices.append((start, row, tuple(groups)))
            start, groups = row, []
    if groups and row > start:
        slices.append((start, row, tuple(groups)))
    return slices


def plan(
    inputs: Sequence[str | Path],
    *,
    partition_rows: int = 5000,
    column: str | None = None,
    parquet_groups: Callable[[Path], list[int]] | None = None,
) -> list[Partition]:
    """The partitions of ``inputs``; files of other kinds are left out, and a file that
    cannot even be sized becomes an ``unreadable`` partition (an error row)."""
    if partition_rows < 1:
        raise InputError(f"partition_rows must be at least 1, not {partition_rows}")
    files = _files(inputs)
    stems = {(p.parent, p.stem): p for p in files if p.suffix.lower() == ".bib"}
    partitions: list[Partition] = []
    for path in files:
        suffix = path.suffix.lower()
        kind = _kind(path)
        if kind is None or (kind == "document" and (path.parent, path.stem) not in stems):
            continue
        problem = _not_regular(path)
        if problem is not None:
            partitions.append(Partition("unreadable", str(path), reason=problem))
            continue
        try:
            if suffix in DOCUMENTS:
                bibliography = stems.get((path.parent, path.stem))
                if bibliography is not None:
                    partitions.append(
                        Partition("document", str(path), bibliography=str(bibliography))
                    )
            elif suffix in BIBLIOGRAPHIES:
                partitions.append(Partition("library", str(path)))
            elif suffix == ".jsonl":
                partitions.extend(
                    Partition("lines", str(path), a, b, offset=offset)
                    for a, b, offset in _line_slices(path, partition_rows)
                )
            elif suffix == ".parquet":
                if not column:
                    raise InputError("a Parquet input needs --column (the reference strings)")
                if parquet_groups is None:
                    raise InputError("Parquet inputs need the scale extra")
                partitions.extend(
                    Partition("parquet", str(path), a, b, column, groups=groups)
                    for a, b, groups in _group_slices(parquet_groups(path), partition_rows)
                )
        except (OSError, ValueError) as exc:  # pyarrow's errors are ValueErrors
            partitions.append(Partition("unreadable", str(path), reason=str(exc)[:200]))
    return partitions
