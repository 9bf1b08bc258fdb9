"""Commands for whole archives: ``snapshot build`` and ``batch``."""

from __future__ import annotations

import sys
from dataclasses import asdict

import click

from mesorefs.cli.app import (
    main,
)
from mesorefs.cli.common import (
    EXIT_PROBLEMS,
    _echo,
    _emit_json,
    _progress,
    _rows_progress,
    friendly_errors,
)
from mesorefs.errors import InputError

# -- corpus scale ------------------------------------------------------------------------


@main.group()
def snapshot() -> None:
    """Build a local metadata snapshot to resolve whole archives against."""


@snapshot.command(name="build")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("-o", "--output", "out", required=True, metavar="DIR", help="The snapshot folder.")
@click.option(
    "--partitions",
    type=click.IntRange(1, 4096),
    default=32,
    show_default=True,
    help="Parquet partitions of a new snapshot (an existing one keeps its own).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
@friendly_errors
def snapshot_build(sources: tuple[str, ...], out: str, partitions: int, as_json: bool) -> None:
    """Read Crossref's public data file and OpenAlex's works snapshot into DIR.

    SOURCE is a file or a folder of them: gzipped JSON with the work items under
    "items" (Crossref) or gzipped JSON Lines of works (OpenAlex).  Building into an
    existing snapshot updates it: newer records replace older ones.  A damaged file is
    reported and skipped (exit 1); the rest is built.
    """
    try:
        from mesorefs.snapshot import build_snapshot
    except ImportError as exc:
        raise InputError(
            f"snapshots need the scale extra (pip install 'mesorefs[scale]'): {exc}"
        ) from None
    with _progress(100, "building") as tick:

        def step(stage: str, done: int, total: int) -> None:
            tick(int(100 * done / max(total, 1)))

        report = build_snapshot(sources, out, partitions=partitions, progress=step)
    if as_json:
        _emit_json({"schema": "mesorefs.snapshot/1", **asdict(report)})
    else:
        _echo(
            f"{report.location}: {report.records:,} records ({report.added:,} added, "
            f"{report.replaced:,} replaced, {report.kept:,} older copies ignored); "
            f"{report.files_read} files read; {report.notices} update notices; "
            f"{report.versions} works with another version; "
            f"Parquet {report.parquet_bytes / 2**20:.1f} MiB, "
            f"index {report.index_bytes / 2**20:.1f} MiB; {report.seconds:.1f} s"
        )
        if report.unusable:
            _echo(f"mesorefs: warning: {report.unusable} items were not works", err=True)
    for path, reason in report.skipped:
        _echo(f"mesorefs: error: {path}: skipped, {reason}", err=True)
    if report.skipped:
        sys.exit(EXIT_PROBLEMS)


@main.command(name="batch")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", "out", required=True, metavar="DIR", help="Where rows go.")
@click.option("--snapshot-dir", metavar="DIR", help="The metadata snapshot to resolve against.")
@click.option(
    "--online-fallback", is_flag=True, help="Ask the services for what the snapshot lacks."
)
@click.option(
    "--workers",
    type=click.IntRange(0, 512),
    default=2,
    show_default=True,
    help="Worker processes of the local Dask cluster (0: no cluster, this process).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Use this Dask cluster (tls://host:8786; plain tcp:// only on a trusted network).",
)
@click.option(
    "--tls-ca-file",
    metavar="FILE",
    help="With a tls:// scheduler: the CA that signed the cluster's certificates "
    "(default: Dask's distributed.comm.tls.ca-file).",
)
@click.option(
    "--tls-cert", metavar="FILE", help="With a tls:// scheduler: this client's certificate."
)
@click.option("--tls-key", metavar="FILE", help="With a tls:// scheduler: this client's key.")
@click.option(
    "--partition-rows",
    type=click.IntRange(1, 10_000_000),
    default=5000,
    show_default=True,
    help="Reference strings per partition (JSON Lines and Parquet inputs).",
)
@click.option("--column", help="The Parquet column that holds the reference strings.")
@click.option("--json", "as_json", is_flag=True, help="Print the run's report as JSON.")
@friendly_errors
def batch_command(
    inputs: tuple[str, ...],
    out: str,
    snapshot_dir: str | None,
    online_fallback: bool,
    workers: int,
    scheduler: str | None,
    tls_ca_file: str | None,
    tls_cert: str | None,
    tls_key: str | None,
    partition_rows: int,
    column: str | None,
    as_json: bool,
) -> None:
    """Resolve, lint and check many inputs at once; one row per reference or claim.

    INPUT is a file or folder: bibliographies (.bib, .ris, CSL-JSON .json), JSON Lines
    of reference strings (.jsonl), a Parquet column of them (--column), and documents
    beside a .bib of the same name (their claims are checked).  Rows go to
    DIR/parquet and DIR/jsonl; a rerun skips finished partitions.  Exit 1 when some
    rows are errors.
    """
    from mesorefs.batch import run_batch
    from mesorefs.settings import Settings

    settings = Settings.load(snapshot_dir=snapshot_dir, online_fallback=online_fallback or None)
    with _rows_progress() as step:
        report = run_batch(
            inputs,
            out,
            settings=settings,
            workers=workers,
            scheduler=scheduler,
            partition_rows=partition_rows,
            column=column,
            tls=(tls_ca_file, tls_cert, tls_key),
            progress=step,
        )
    if as_json:
        _emit_json({"schema": "mesorefs.batch/1", **asdict(report)})
    else:
        retried = f", {report.retried} of them retried" if report.retried else ""
        _echo(
            f"{report.out}: {report.partitions} partitions ({report.skipped} done before, "
            f"{report.done} now{retried}); this run {report.rows:,} rows, "
            f"{report.errors:,} errors; the output {report.total_rows:,} rows, "
            f"{report.total_errors:,} errors; {report.seconds:.1f} s"
        )
    if report.total_errors:  # the output's state, earlier runs' rows included
        sys.exit(EXIT_PROBLEMS)
