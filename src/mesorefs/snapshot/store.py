"""The snapshot's records in partitioned Parquet (the only module that imports pyarrow).

``records/part-NNN.parquet`` holds the records whose key hashes to partition NNN; a
partition is rewritten whole, through a temporary file, so a reader sees the old
partition or the new one.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from mesorefs.errors import InputError
from mesorefs.outputs import replacing
from mesorefs.snapshot.records import SnapshotRecord

__all__ = [
    "partition_of",
    "partition_path",
    "read_groups",
    "read_partition",
    "read_rows",
    "row_groups",
    "write_partition",
    "write_rows",
]

_SCHEMA = pa.schema(
    [
        ("key", pa.string()),
        ("source", pa.string()),
        ("doi", pa.string()),
        ("kind", pa.string()),
        ("year", pa.int32()),
        ("stamp", pa.string()),
        ("text", pa.string()),
        ("raw", pa.string()),
        ("notices", pa.string()),
        ("relations", pa.string()),
    ]
)


def partition_of(key: str, partitions: int) -> int:
    return zlib.crc32(key.encode("utf-8")) % partitions


def partition_path(root: Path, index: int) -> Path:
    return root / "records" / f"part-{index:04d}.parquet"


def _columns(records: Sequence[SnapshotRecord]) -> dict[str, list[Any]]:
    return {
        "key": [r.key for r in records],
        "source": [r.source for r in records],
        "doi": [r.doi for r in records],
        "kind": [r.kind for r in records],
        "year": [r.year for r in records],
        "stamp": [r.stamp for r in records],
        "text": [r.text for r in records],
        "raw": [r.raw for r in records],
        "notices": [json.dumps(r.notices) if r.notices else None for r in records],
        "relations": [json.dumps(r.relations) if r.relations else None for r in records],
    }


def _write_table(path: Path, table: pa.Table) -> None:
    """Write a Parquet file through a temporary one, so readers see all of it or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temp:
        pq.write_table(table, temp, compression="zstd")


def write_partition(path: Path, records: Sequence[SnapshotRecord]) -> None:
    """Write ``records`` as the partition at ``path`` (replacing it whole)."""
    _write_table(path, pa.Table.from_pydict(_columns(records), schema=_SCHEMA))


def _pairs(text: str | None) -> tuple[tuple[str, str], ...]:
    return tuple((str(a), str(b)) for a, b in json.loads(text)) if text else ()


def read_partition(path: Path) -> list[SnapshotRecord]:
    """The records of the partition at ``path`` (none when it does not exist)."""
    if not path.exists():
        return []
    try:
        columns = pq.read_table(path).to_pydict()
        return _records(columns)
    except (OSError, ValueError, KeyError, TypeError) as exc:  # pyarrow's are ValueErrors
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise InputError(f"damaged snapshot partition ({reason})", str(path)) from None


def _records(columns: dict[str, list[Any]]) -> list[SnapshotRecord]:
    return [
        SnapshotRecord(
            key=columns["key"][i],
            source=columns["source"][i],
            doi=columns["doi"][i],
            raw=columns["raw"][i],
            text=columns["text"][i],
            stamp=columns["stamp"][i],
            kind=columns["kind"][i],
            year=columns["year"][i],
            notices=_pairs(columns["notices"][i]),
            relations=_pairs(columns["relations"][i]),
        )
        for i in range(len(columns["key"]))
    ]


def write_rows(path: Path, rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> int:
    """Write dictionaries as a Parquet file with ``columns`` (strings, numbers, None);
    through a temporary file.  Returns the number of rows."""
    data: dict[str, list[Any]] = {name: [] for name in columns}
    count = 0
    for row in rows:
        count += 1
        for name in columns:
            data[name].append(row.get(name))
    _write_table(path, pa.Table.from_pydict(data))
    return count


def read_rows(
    path: str | Path | IO[bytes], columns: Sequence[str] | None = None
) -> Iterator[dict[str, Any]]:
    """The rows of a Parquet file (a path or an open binary file) as dictionaries."""
    table = pq.read_table(path, columns=list(columns) if columns else None)
    yield from table.to_pylist()


def row_groups(path: str | Path, column: str | None = None) -> list[int]:
    """The number of rows of each row group of a Parquet file (from its footer);
    InputError when ``column`` is given and the file has no such column."""
    parquet = pq.ParquetFile(path)
    if column is not None and column not in parquet.schema_arrow.names:
        names = ", ".join(parquet.schema_arrow.names)[:200]
        raise InputError(f"no column {column!r} (it has: {names})", str(path))
    metadata = parquet.metadata
    return [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]


def read_groups(path: str | Path, column: str, groups: Sequence[int]) -> list[Any]:
    """One column of some row groups of a Parquet file."""
    table = pq.ParquetFile(path).read_row_groups(list(groups), columns=[column])
    return list(table.column(column).to_pylist())
