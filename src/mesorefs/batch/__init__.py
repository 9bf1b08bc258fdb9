"""Parse, resolve, lint and check many inputs at once, on a Dask cluster.

>>> report = run_batch(["archive/"], "results/", settings=Settings.load(
...     snapshot_dir="snapshot/"))                                   # doctest: +SKIP

Inputs are cut into partitions (:mod:`mesorefs.batch.plan`); each is done on a worker
(:mod:`mesorefs.batch.work`) and leaves its rows in ``out/parquet/part-<id>.parquet``
and ``out/jsonl/part-<id>.jsonl``: one row per reference or claim, with
:data:`~mesorefs.batch.work.COLUMNS`.  A failure is a row, never a lost input; a
rerun skips the partitions that have their Parquet file, except those an earlier run
could not do at all (their error rows stand in for them), which it does again;
``out/summary.json`` says what the last run did and what the output holds in all.
Needs the ``scale`` extra (dask, distributed, pyarrow).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from mesorefs.batch.plan import Partition, plan
from mesorefs.batch.work import (
    COLUMNS,
    PartitionResult,
    done_path,
    failure_rows,
    run_partition,
    without_secrets,
    write_partition_rows,
)
from mesorefs.errors import InputError, SettingsError
from mesorefs.library import atomic_write_text
from mesorefs.settings import Settings

__all__ = ["COLUMNS", "BatchReport", "Partition", "plan", "read_rows", "run_batch"]


@dataclass
class BatchReport:
    """What a batch run did (rows of partitions done before it are not counted again)."""

    out: str
    partitions: int = 0
    skipped: int = 0
    """Partitions already done by an earlier run."""
    done: int = 0
    failed: list[str] = field(default_factory=list)
    """Partitions whose every attempt killed its worker (their error rows were written)."""
    retried: int = 0
    """Partitions an earlier run could not do at all, done again by this one."""
    rows: int = 0
    errors: int = 0
    total_rows: int = 0
    """Rows in the output folder after this run, earlier runs' included."""
    total_errors: int = 0
    """Error rows among them: what a rerun after a failure still has to show."""
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    """CPU time of the workers on the partitions of this run."""
    peak_worker_rss: int = 0
    workers: int = 0
    worker_pids: list[int] = field(default_factory=list)


def _scale_imports() -> None:
    try:
        import dask  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise SettingsError(
            f"batch jobs need the scale extra (pip install 'mesorefs[scale]'): {exc}"
        ) from None


def _failed_rows(partition: Partition, error: BaseException, out: Path) -> int:
    """Error rows standing for a partition that could not be done at all: one per input
    (line, Parquet row or file), in both outputs; a marker says a rerun should retry it."""
    message = " ".join(f"the partition could not be done: {type(error).__name__}: {error}".split())
    rows = write_partition_rows(out, partition, failure_rows(partition, message[:500]))
    marker = _failed_marker(out, partition)
    marker.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(marker, message[:500] + "\n")
    return rows


def _failed_marker(out: Path, partition: Partition) -> Path:
    return out / "failed" / f"part-{partition.id}"


def _totals(out: Path) -> tuple[int, int]:
    """(rows, error rows) of every partition's Parquet file under ``out``."""
    import pyarrow.parquet as pq

    rows = errors = 0
    for path in sorted((out / "parquet").glob("part-*.parquet")):
        status = pq.read_table(path, columns=["status"]).column("status").to_pylist()
        rows += len(status)
        errors += sum(1 for value in status if value == "error")
    return rows, errors


def run_batch(
    inputs: Sequence[str | Path],
    out: str | Path,
    *,
    settings: Settings | None = None,
    workers: int = 2,
    scheduler: str | None = None,
    partition_rows: int = 5000,
    column: str | None = None,
    tls: tuple[str | None, str | None, str | None] | None = None,
    progress: Callable[[int, int, int], None] | None = None,
) -> BatchReport:
    """Run the job over ``inputs`` and write its rows under ``out``.

    ``workers`` worker processes on this machine (listening on 127.0.0.1 only), or the
    cluster at ``scheduler`` (``tls://host:8786``; ``workers`` is then ignored), reached
    with ``tls`` = (CA file, client certificate, client key) when given, else with Dask's
    own TLS configuration; ``workers=0`` runs everything in this process, without Dask.
    The settings sent to a cluster carry no API keys: each worker uses the keys of its
    own environment and config file.  ``progress(partitions_done, partitions, rows)``
    follows the run.
    """
    _scale_imports()
    from mesorefs.snapshot.store import row_groups

    settings = settings or Settings.load()
    started = time.perf_counter()
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    partitions = plan(
        inputs,
        partition_rows=partition_rows,
        column=column,
        parquet_groups=lambda path: row_groups(path, column),
    )
    if not partitions:
        raise InputError("nothing to do: no bibliography, JSON Lines, Parquet or document")
    report = BatchReport(str(root), partitions=len(partitions), workers=workers)
    retry = {p.id for p in partitions if _failed_marker(root, p).exists()}
    todo = [p for p in partitions if p.id in retry or not done_path(root, p).exists()]
    report.skipped = len(partitions) - len(todo)
    report.retried = len(retry & {p.id for p in todo})
    pids: set[int] = set()

    def finished(
        index: int,
        partition: Partition,
        result: PartitionResult | None,
        error: BaseException | None,
    ) -> None:
        if result is None:
            report.failed.append(partition.label)
            rows = _failed_rows(partition, error or RuntimeError("unknown"), root)
            report.rows += rows
            report.errors += rows
        else:
            _failed_marker(root, partition).unlink(missing_ok=True)  # ours: done this time
            report.rows += result.rows
            report.errors += result.errors
            report.cpu_seconds += result.cpu_seconds
            report.peak_worker_rss = max(report.peak_worker_rss, result.peak_rss)
            pids.add(result.worker_pid)
        report.done += 1
        if progress:
            progress(report.skipped + report.done, report.partitions, report.rows)

    if workers == 0 and not scheduler:
        task = partial(run_partition, settings=settings, out=root)
        for index, partition in enumerate(todo):
            try:
                result = task(partition)
            except Exception as exc:  # as a worker's failure: its rows are error rows
                finished(index, partition, None, exc)
            else:
                finished(index, partition, result, None)
    else:
        from mesorefs.batch.cluster import run_tasks

        # The workers get no API keys: they use those of their own environment.
        remote = partial(
            run_partition, settings=without_secrets(settings), out=root, local_secrets=True
        )
        run_tasks(
            remote,
            todo,
            [p.id for p in todo],
            workers=workers,
            scheduler=scheduler,
            tls=tls,
            finished=finished,
        )
    report.worker_pids = sorted(pids)
    report.total_rows, report.total_errors = _totals(root)
    report.seconds = time.perf_counter() - started
    atomic_write_text(root / "summary.json", json.dumps(asdict(report), indent=2))
    return report


def read_rows(out: str | Path) -> list[dict[str, object]]:
    """Every row a job wrote under ``out``, ordered by input id."""
    from mesorefs.snapshot.store import read_rows as read_parquet

    rows: list[dict[str, object]] = []
    for path in sorted((Path(out) / "parquet").glob("part-*.parquet")):
        rows.extend(read_parquet(path))
    return sorted(rows, key=lambda r: (str(r["input_id"]), str(r["kind"])))
