"""One partition of a batch job, done where it runs: read, resolve, lint, check; write rows.

Every input gives rows, whatever goes wrong: a reference that cannot be resolved, a line
that is not JSON, a file that cannot be read each become a row with status ``error``
and the reason.  The rows are written through temporary files (JSON Lines, then the
Parquet file whose presence marks the partition done), so a worker killed half-way
leaves nothing a rerun would mistake for finished work, and a partition done twice
(its first worker died after writing) is written twice with the same rows.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from mesorefs.batch.plan import Partition
from mesorefs.errors import MesorefsError
from mesorefs.library import Library, atomic_write_text
from mesorefs.models import Reference
from mesorefs.resolve.record_view import RecordView
from mesorefs.resolve.resolver import Resolver, ResolveResult
from mesorefs.resolve.snapshot_match import (
    StringChoice,
    choose_in_snapshot,
    choose_many_in_snapshot,
)
from mesorefs.settings import Settings

__all__ = [
    "COLUMNS",
    "PartitionResult",
    "done_path",
    "failure_rows",
    "run_partition",
    "without_secrets",
    "write_partition_rows",
]

COLUMNS = ("input_id", "kind", "status", "doi", "score", "findings", "error")

_RESOLVERS: dict[str, Resolver] = {}


@dataclass(frozen=True)
class PartitionResult:
    """What a worker reports back: counts and costs, not the rows (those are on disk)."""

    id: str
    rows: int
    errors: int
    cpu_seconds: float
    peak_rss: int
    worker_pid: int


def done_path(out: Path, partition: Partition) -> Path:
    return out / "parquet" / f"part-{partition.id}.parquet"


def _secret_fields() -> list[str]:
    return [
        name for name, info in Settings.model_fields.items() if "SecretStr" in str(info.annotation)
    ]


def without_secrets(settings: Settings) -> Settings:
    """``settings`` without their API keys: what is sent to a cluster's workers, which
    read their own keys from their environment and config file."""
    return settings.model_copy(update={name: None for name in _secret_fields()})


def _with_local_secrets(settings: Settings) -> Settings:
    """``settings`` with the keys they lack taken from this process's environment and
    config file (a worker's own), when it has them."""
    missing = [name for name in _secret_fields() if getattr(settings, name) is None]
    if not missing:
        return settings
    try:
        local = Settings.load()
    except MesorefsError:
        return settings
    found = {name: getattr(local, name) for name in missing if getattr(local, name) is not None}
    return settings.model_copy(update=found) if found else settings


def _resolver(settings: Settings) -> Resolver:
    """One resolver per worker process and settings (its snapshot opened once)."""
    key = settings.model_dump_json()
    if key not in _RESOLVERS:
        _RESOLVERS[key] = Resolver(settings)
    return _RESOLVERS[key]


def _row(
    input_id: str,
    kind: str,
    status: str,
    doi: str | None = None,
    score: float | None = None,
    findings: Any = None,
    error: str | None = None,
) -> dict[str, Any]:
    return {
        "input_id": _text(input_id),
        "kind": kind,
        "status": status,
        "doi": _text(doi),
        "score": score,
        "findings": _text(json.dumps(findings, ensure_ascii=False)) if findings else None,
        "error": _text(error),
    }


def _text(value: str | None) -> str | None:
    """``value`` as text that can be written (a lone surrogate shown as ``\\udXXX``)."""
    if value is None:
        return None
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _is_text(value: str) -> bool:
    """Can ``value`` be written as UTF-8 (no lone surrogate)?"""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _resolved_row(input_id: str, result: ResolveResult, findings: Any = None) -> dict[str, Any]:
    ok = result.status == "matched"
    return _row(
        input_id,
        "reference",
        result.status,
        doi=result.reference.doi if ok else None,
        score=result.score,
        findings=findings,
        error=result.reason if result.status == "error" else None,
    )


def _safely(base: Reference, attempt: Callable[[], ResolveResult]) -> ResolveResult:
    """``attempt()``, its failure as a result (as ``resolve_many`` returns them)."""
    try:
        return attempt()
    except MesorefsError as exc:
        return ResolveResult(base, "error", reason=str(exc))
    except ValueError as exc:  # a record we could not read
        return ResolveResult(base, "error", reason=f"unusable record: {exc}")


def _library_rows(partition: Partition, resolver: Resolver) -> Iterator[dict[str, Any]]:
    from mesorefs.lint import lint

    try:
        library = Library.read(partition.path)
    except MesorefsError as exc:
        yield _row(partition.path, "file", "error", error=str(exc))
        return
    findings: dict[str | None, list[dict[str, Any]]] = {}
    for finding in lint(library, path=partition.path):
        findings.setdefault(finding.key, []).append(
            {"check": finding.check, "severity": finding.severity, "message": finding.message}
        )
    for number, ref in enumerate(library.references, 1):
        input_id = f"{partition.path}#{ref.key or number}"
        result = _safely(ref, partial(resolver.resolve, ref))
        yield _resolved_row(input_id, result, findings.get(ref.key))


def _line_items(partition: Partition) -> Iterator[tuple[str, str | None, str | None]]:
    """(input id, text, problem) of each line of the partition's slice."""
    with open(partition.path, "rb") as handle:
        handle.seek(partition.offset)
        for number in range(partition.start, partition.stop):
            line = handle.readline().decode("utf-8", errors="replace")
            where = f"{partition.path}:{number + 1}"
            try:
                value = json.loads(line)
            except ValueError as exc:
                yield where, None, f"not JSON: {exc}"
                continue
            except RecursionError:
                yield where, None, "not JSON: nested too deep"
                continue
            if isinstance(value, dict):
                text = value.get("text")
                ident = value.get("id")
                if ident is not None and not _is_text(str(ident)):
                    yield where, None, "the id is not text (a lone surrogate)"
                    continue
                where = str(ident) if ident is not None else where
            else:
                text = value
            if isinstance(text, str) and not _is_text(text):
                yield where, None, "the reference string is not text (a lone surrogate)"
                continue
            if not isinstance(text, str) or not text.strip():
                yield where, None, "no reference string (a JSON string, or an object with text)"
                continue
            yield where, text, None


def _parquet_items(partition: Partition) -> Iterator[tuple[str, str | None, str | None]]:
    from mesorefs.snapshot.store import read_groups

    column = partition.column or ""
    values = read_groups(partition.path, column, partition.groups)
    for number, value in enumerate(values, partition.start):
        where = f"{partition.path}:{number}"
        if not isinstance(value, str) or not value.strip():
            yield where, None, f"no reference string in column {column!r}"
        else:
            yield where, value, None


def _input_ids(partition: Partition) -> list[str]:
    """What names each input of ``partition`` in an error row standing for all of them:
    its line (JSON Lines, from 1) or row (Parquet, from 0); the file for the rest."""
    if partition.kind == "lines":
        return [f"{partition.path}:{n + 1}" for n in range(partition.start, partition.stop)]
    if partition.kind == "parquet":
        return [f"{partition.path}:{n}" for n in range(partition.start, partition.stop)]
    return [partition.path]


def failure_rows(partition: Partition, message: str) -> list[dict[str, Any]]:
    """One error row per input of ``partition``, for a partition that could not be done."""
    kind = "reference" if partition.kind in ("lines", "parquet") else "file"
    return [_row(i, kind, "error", error=message) for i in _input_ids(partition)]


def _string_row(input_id: str, text: str, resolver: Resolver) -> dict[str, Any]:
    """The row of one reference string.

    Against a snapshot alone, the row is the snapshot's decision
    (:func:`~mesorefs.resolve.snapshot_match.choose_in_snapshot`, which
    ``resolve_string`` takes too), taken on views of the records, which score as their
    References do: the References, the merged reference, the candidates and the
    enrichment notes that ``resolve_string`` adds are not in a row, so they are not made.
    """
    snapshot = resolver.snapshot if _snapshot_alone(resolver) else None
    if snapshot is None or not text.strip():
        result = _safely(Reference(), partial(resolver.resolve_string, text))
        return _resolved_row(input_id, result)
    try:
        choice = choose_in_snapshot(snapshot, text, resolver.string_threshold, snapshot.view_hit)
    except (MesorefsError, ValueError) as exc:
        return _choice_row(input_id, exc)
    return _choice_row(input_id, choice)


def _snapshot_alone(resolver: Resolver) -> bool:
    return resolver.snapshot is not None and not resolver.online


def _choice_row(input_id: str, choice: StringChoice[RecordView] | Exception) -> dict[str, Any]:
    """The row of a string's snapshot decision, or of the failure that stopped it."""
    if isinstance(choice, MesorefsError):
        return _row(input_id, "reference", "error", error=str(choice))
    if isinstance(choice, ValueError):  # a record we could not read
        return _row(input_id, "reference", "error", error=f"unusable record: {choice}")
    if isinstance(choice, Exception):  # one bad line is one error row, never a lost batch
        return _row(input_id, "reference", "error", error=_failure(choice))
    status = "matched" if choice.ok else "abstained"
    return _row(input_id, "reference", status, doi=choice.doi, score=choice.best)


STRING_CHUNK = 100
"""Strings a worker matches together against a snapshot, stage by stage
(:func:`~mesorefs.resolve.snapshot_match.choose_many_in_snapshot`)."""


def _chunk_rows(
    items: list[tuple[str, str | None, str | None]], resolver: Resolver
) -> Iterator[dict[str, Any]]:
    """The rows of some lines or values, in their order; the strings a snapshot alone
    decides are matched together."""
    snapshot = resolver.snapshot if _snapshot_alone(resolver) else None
    texts = [text for _, text, _ in items if snapshot is not None and text and text.strip()]
    choices = iter(
        choose_many_in_snapshot(snapshot, texts, resolver.string_threshold, snapshot.view_hit)
        if snapshot is not None and texts
        else []
    )
    for input_id, text, problem in items:
        if text is None:
            yield _row(input_id, "reference", "error", error=problem)
        elif snapshot is not None and text.strip():
            yield _choice_row(input_id, next(choices))
        else:
            try:
                yield _string_row(input_id, text, resolver)
            except Exception as exc:  # one bad line is one error row, never a lost batch
                yield _row(input_id, "reference", "error", error=_failure(exc))


def _string_rows(partition: Partition, resolver: Resolver) -> Iterator[dict[str, Any]]:
    """One row per line or value of the slice, whatever goes wrong with any of them."""
    items = iter(_line_items(partition) if partition.kind == "lines" else _parquet_items(partition))
    done = 0
    chunk: list[tuple[str, str | None, str | None]] = []
    while True:
        try:
            item = next(items, None)
        except (OSError, ValueError, KeyError, RecursionError) as exc:
            # The file could not be read on: the lines it did not give are error rows.
            yield from _chunk_rows(chunk, resolver)
            yield from failure_rows(partition, f"unreadable: {_failure(exc)}")[done:]
            return
        if item is None:
            break
        done += 1
        chunk.append(item)
        if len(chunk) >= STRING_CHUNK:
            yield from _chunk_rows(chunk, resolver)
            chunk = []
    yield from _chunk_rows(chunk, resolver)


def _failure(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]


def _claim_rows(partition: Partition, settings: Settings) -> Iterator[dict[str, Any]]:
    from mesorefs.claims.check import check_claims
    from mesorefs.textfile import read_text_file

    try:
        text = read_text_file(Path(partition.path))
        library = Library.read(partition.bibliography or "")
        report = check_claims(
            text,
            library.references,
            verifier=settings.verifier,
            base_dir=Path(partition.path).parent,
        )
    except MesorefsError as exc:
        yield _row(partition.path, "document", "error", error=str(exc))
        return
    dois = {ref.key: ref.doi for ref in library.references}
    for result in report.claims:
        data = result.to_dict()
        links = data.get("links") or []
        best = links[0] if links else {}
        yield _row(
            f"{partition.path}#{result.claim.id}",
            "claim",
            result.verdict,
            doi=dois.get(best.get("key")),
            score=best.get("score"),
            findings={
                "claim": result.claim.text,
                "explanation": data.get("explanation"),
                "links": links[:3],
            },
        )


def partition_rows(partition: Partition, settings: Settings) -> Iterator[dict[str, Any]]:
    """The rows of ``partition``."""
    if partition.kind == "unreadable":
        yield _row(partition.path, "file", "error", error=f"unreadable: {partition.reason}")
    elif partition.kind == "library":
        yield from _library_rows(partition, _resolver(settings))
    elif partition.kind == "document":
        yield from _claim_rows(partition, settings)
    else:
        yield from _string_rows(partition, _resolver(settings))


def run_partition(
    partition: Partition, settings: Settings, out: Path, *, local_secrets: bool = False
) -> PartitionResult:
    """Do ``partition`` and write its rows under ``out`` (see the module docstring).

    ``local_secrets``: the settings came without API keys (:func:`without_secrets`); use
    the keys of this process's environment and config file.
    """
    started = time.process_time()
    if local_secrets:
        settings = _with_local_secrets(settings)
    rows = list(partition_rows(partition, settings))
    write_partition_rows(out, partition, rows)
    return PartitionResult(
        partition.id,
        len(rows),
        sum(r["status"] == "error" for r in rows),
        time.process_time() - started,
        peak_memory(),
        os.getpid(),
    )


def write_partition_rows(out: Path, partition: Partition, rows: list[dict[str, Any]]) -> int:
    """Write ``rows`` as the partition's JSON Lines, then its Parquet file (which marks
    it done); the number of rows."""
    from mesorefs.snapshot.store import write_rows

    jsonl = out / "jsonl" / f"part-{partition.id}.jsonl"
    jsonl.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(jsonl, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return write_rows(done_path(out, partition), rows, COLUMNS)


def peak_memory() -> int:
    """This process's peak resident memory in bytes.

    Linux's high-water mark where there is one: ``ru_maxrss`` survives exec, so a worker
    spawned from a large process would report its parent's peak.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
