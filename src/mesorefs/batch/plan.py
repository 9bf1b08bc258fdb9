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

A partition's id is a digest of what it covers, so a rerun finds the partitions it has
finished.
"""

from __future__ import annotations

import hashlib
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

    @property
    def id(self) -> str:
        text = f"{self.kind}|{self.path}|{self.start}|{self.stop}|{self.column}|{self.bibliography}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]

    @property
    def label(self) -> str:
        return f"{self.path}[{self.start}:{self.stop}]" if self.stop else self.path


def _files(inputs: Sequence[str | Path]) -> list[Path]:
    files: list[Path] = []
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise InputError("no such file or folder", str(path))
    return files


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def _ranges(total: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(start + size, total)) for start in range(0, total, size)]


def plan(
    inputs: Sequence[str | Path],
    *,
    partition_rows: int = 5000,
    column: str | None = None,
    parquet_rows: Callable[[Path], int] | None = None,
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
                    Partition("lines", str(path), a, b)
                    for a, b in _ranges(_count_lines(path), partition_rows)
                )
            elif suffix == ".parquet":
                if not column:
                    raise InputError("a Parquet input needs --column (the reference strings)")
                if parquet_rows is None:
                    raise InputError("Parquet inputs need the scale extra")
                partitions.extend(
                    Partition("parquet", str(path), a, b, column)
                    for a, b in _ranges(parquet_rows(path), partition_rows)
                )
        except (OSError, ValueError) as exc:  # pyarrow's errors are ValueErrors
            partitions.append(Partition("unreadable", str(path), reason=str(exc)[:200]))
    return partitions
