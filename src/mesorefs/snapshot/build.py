"""Build or update a snapshot from source files (see :mod:`mesorefs.snapshot`).

1. Every source file is read whole (:func:`~mesorefs.snapshot.sources.read_source`); a
   damaged one is reported and skipped.  Records go to their partition's staging file.
2. Each partition is merged with what it held: a record replaces its older copy (by the
   source's own last-change stamp; the later file on a tie), and keeps it otherwise.
3. Links are gathered: update notices (a retraction names the DOI it retracts) are
   joined onto the works they update, and works linked as versions of one another
   (preprint of, identical to) get one canonical DOI.
4. A new index per source is written beside the old one, and the manifest is switched
   to it in one rename, so a reader never sees half a snapshot.  Then the index folders
   no manifest names any more are removed: only folders mesorefs made (see
   :mod:`mesorefs.snapshot.layout`), never a path taken on trust from the manifest.

A build holds the snapshot's lock throughout; a second build of the same snapshot is
refused while the first runs.
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from mesorefs.errors import InputError
from mesorefs.library import atomic_write_text
from mesorefs.snapshot.index import IndexedRecord, build_index
from mesorefs.snapshot.keys import keys_of_raw
from mesorefs.snapshot.layout import (
    FORMAT,
    MANIFEST,
    VERSIONS,
    build_lock,
    index_folder,
    make_index_folder,
    make_staging_folder,
    match_marker_mode,
    orphan_indexes,
    read_manifest,
    remove_index,
    remove_orphan_staging,
)
from mesorefs.snapshot.records import SnapshotRecord, canonical_choice, with_notices
from mesorefs.snapshot.sources import read_source
from mesorefs.snapshot.storage import is_url, list_files
from mesorefs.snapshot.store import (
    partition_of,
    partition_path,
    read_partition,
    write_partition,
    write_rows,
)

__all__ = ["MANIFEST", "BuildReport", "build_snapshot"]

_SPILL_RECORDS = 200_000


@dataclass
class BuildReport:
    """What a build did."""

    location: str
    records: int = 0
    added: int = 0
    replaced: int = 0
    kept: int = 0
    """Incoming records older than the copy the snapshot already had."""
    files_read: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """Damaged source files, with the reason, none of whose records were taken."""
    unusable: int = 0
    notices: int = 0
    versions: int = 0
    """Works with another DOI of the same work in the snapshot."""
    seconds: float = 0.0
    parquet_bytes: int = 0
    index_bytes: int = 0


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


class _Staging:
    """Incoming records per partition, spilled to Parquet when there are many."""

    def __init__(self, root: Path, partitions: int) -> None:
        self.folder = root / f".staging-{uuid.uuid4().hex[:8]}"
        self.partitions = partitions
        self.pending: dict[int, list[SnapshotRecord]] = defaultdict(list)
        self.count = 0
        self.spills = 0

    def add(self, records: Iterable[SnapshotRecord]) -> None:
        for record in records:
            self.pending[partition_of(record.key, self.partitions)].append(record)
            self.count += 1
        if self.count >= _SPILL_RECORDS:
            self.spill()

    def spill(self) -> None:
        if not self.folder.exists():
            make_staging_folder(self.folder.parent, self.folder.name)
        for partition, records in self.pending.items():
            write_partition(self.folder / f"p{partition:04d}-{self.spills:05d}.parquet", records)
        self.pending.clear()
        self.count = 0
        self.spills += 1

    def incoming(self, partition: int) -> Iterator[SnapshotRecord]:
        for path in sorted(self.folder.glob(f"p{partition:04d}-*.parquet")):
            yield from read_partition(path)
        yield from self.pending.get(partition, [])

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _merge(
    existing: Sequence[SnapshotRecord], incoming: Iterable[SnapshotRecord], report: BuildReport
) -> list[SnapshotRecord]:
    merged = {r.key: r for r in existing}
    for record in incoming:
        old = merged.get(record.key)
        if old is None:
            report.added += 1
        elif record.stamp >= old.stamp:
            report.replaced += 1
        else:
            report.kept += 1
            continue
        merged[record.key] = record
    return sorted(merged.values(), key=lambda r: r.key)


def _canonical(
    groups: dict[str, set[str]], facts: dict[str, tuple[str, int | None]]
) -> dict[str, str]:
    """DOI -> canonical DOI for every DOI that shares its work with another present one."""
    parent: dict[str, str] = {}

    def find(doi: str) -> str:
        parent.setdefault(doi, doi)
        while parent[doi] != doi:
            parent[doi] = parent[parent[doi]]
            doi = parent[doi]
        return doi

    for doi, others in groups.items():
        for other in others:
            parent[find(other)] = find(doi)
    members: dict[str, list[str]] = defaultdict(list)
    for doi in parent:
        if doi in facts:
            members[find(doi)].append(doi)
    chosen: dict[str, str] = {}
    for group in members.values():
        if len(group) < 2:
            continue
        canonical = canonical_choice([(d, *facts[d]) for d in group])
        chosen.update({d: canonical for d in group})
    return chosen


def build_snapshot(
    sources: Sequence[str | Path],
    out: str | Path,
    *,
    partitions: int = 32,
    threads: int = 2,
    progress: Callable[[str, int, int], None] | None = None,
) -> BuildReport:
    """Build the snapshot at ``out`` from ``sources`` (files or folders), or update it.

    ``progress(stage, done, total)`` is told how far each stage is.  Returns what was
    done; damaged source files are in ``skipped`` and leave the snapshot as it was for
    their records.
    """
    if is_url(out):
        raise InputError(
            "a snapshot is built on a local disk; copy it to shared storage afterwards",
            str(out),
        )
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    with build_lock(root):
        return _build(sources, root, partitions, threads, progress)


def _build(
    sources: Sequence[str | Path],
    root: Path,
    partitions: int,
    threads: int,
    progress: Callable[[str, int, int], None] | None,
) -> BuildReport:
    started = time.perf_counter()
    manifest = read_manifest(root)
    remove_orphan_staging(root)
    if manifest is not None:
        partitions = manifest.partitions
    report = BuildReport(str(root))
    files = [f for source in sources for f in list_files(source)]
    if not files:
        raise InputError("no source files", ", ".join(map(str, sources)))
    staging = _Staging(root, partitions)
    try:
        for done, path in enumerate(files, 1):
            result = read_source(path)
            if result.error:
                report.skipped.append((path, result.error))
            else:
                report.files_read += 1
                report.unusable += result.unusable
                staging.add(result.records)
            if progress:
                progress("read", done, len(files))
        notices: dict[str, set[str]] = defaultdict(set)
        versions: dict[str, set[str]] = defaultdict(set)
        facts: dict[str, tuple[str, int | None]] = {}
        sources_present: set[str] = set()
        for partition in range(partitions):
            part = partition_path(root, partition)
            existing = read_partition(part)
            incoming = list(staging.incoming(partition))
            records = _merge(existing, incoming, report) if incoming else existing
            if incoming:
                write_partition(part, records)
            for record in records:
                sources_present.add(record.source)
                report.records += 1
                for target, entry in record.notices:
                    notices[target].add(entry)
                if record.doi and record.source == "crossref":
                    facts[record.doi] = (record.kind, record.year)
                    for _, other in record.relations:
                        versions[record.doi].add(other)
            if progress:
                progress("merge", partition + 1, partitions)
    finally:
        staging.remove()
    canonical = _canonical(versions, facts)
    report.notices = sum(len(v) for v in notices.values())
    report.versions = len(canonical)
    write_rows(
        root / "updates.parquet",
        (
            {"doi": d, "notice": n}
            for d, entries in sorted(notices.items())
            for n in sorted(entries)
        ),
        ["doi", "notice"],
    )
    write_rows(
        root / VERSIONS,
        ({"doi": d, "canonical": c} for d, c in sorted(canonical.items())),
        ["doi", "canonical"],
    )
    build_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    indexes: dict[str, str] = {}
    for source in sorted(sources_present):
        folder = index_folder(source, build_id)

        def documents(source: str = source) -> Iterator[IndexedRecord]:
            for partition in range(partitions):
                for record in read_partition(partition_path(root, partition)):
                    if record.source != source:
                        continue
                    raw = record.raw
                    if source == "crossref" and record.doi in notices:
                        raw = with_notices(raw, sorted(notices[record.doi]))
                    keys = tuple(keys_of_raw(source, raw))
                    yield IndexedRecord(record.key, record.doi, record.text, raw, keys)
                if progress:
                    progress(f"index {source}", partition + 1, partitions)

        build_index(make_index_folder(root, folder), documents(), threads=threads)
        match_marker_mode(root / folder)
        indexes[source] = folder
    atomic_write_text(
        root / MANIFEST,
        json.dumps(
            {
                "format": FORMAT,
                "partitions": partitions,
                "records": report.records,
                "indexes": indexes,
                "built": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            },
            indent=2,
        ),
    )
    # The old indexes and those of builds killed half-way: ours, and named by no manifest.
    for folder in orphan_indexes(root, set(indexes.values())):
        remove_index(root, folder)
    report.parquet_bytes = _size(root / "records")
    report.index_bytes = _size(root / "index")
    report.seconds = time.perf_counter() - started
    return report
