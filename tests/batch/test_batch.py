"""Batch jobs: the same rows on a Dask cluster as in one process; nothing lost or doubled."""

from __future__ import annotations

import gzip
import json
import os
import signal
from collections import Counter
from pathlib import Path

import psutil
import pytest

from mesorefs.batch import COLUMNS, plan, read_rows, run_batch
from mesorefs.errors import InputError
from mesorefs.settings import Settings


def _rows(out: Path) -> list[dict[str, object]]:
    return read_rows(out)


def test_single_process_rows(strings_file: Path, tmp_path: Path, settings: Settings) -> None:
    """One row per line: matches with their DOI, bad lines as error rows."""
    report = run_batch(
        [strings_file], tmp_path / "out", settings=settings, workers=0, partition_rows=100
    )
    rows = _rows(tmp_path / "out")
    assert len(rows) == report.rows == 360 and report.partitions == 4
    errors = [r for r in rows if r["status"] == "error"]
    assert [r["input_id"] for r in errors] == [f"{strings_file}:6", "empty"]
    matched = [r for r in rows if r["status"] == "matched"]
    assert len(matched) > 300
    assert all(str(r["input_id"]).split("|")[0] == r["doi"] for r in matched)
    assert set(rows[0]) == set(COLUMNS)
    jsonl = sorted((tmp_path / "out" / "jsonl").glob("*.jsonl"))
    assert sum(len(p.read_text().splitlines()) for p in jsonl) == 360


def test_local_cluster_gives_the_same_rows(
    strings_file: Path, tmp_path: Path, settings: Settings
) -> None:
    """Two Dask workers write exactly the rows one process writes, and both work."""
    run_batch([strings_file], tmp_path / "one", settings=settings, workers=0, partition_rows=60)
    report = run_batch(
        [strings_file], tmp_path / "two", settings=settings, workers=2, partition_rows=60
    )
    assert _rows(tmp_path / "two") == _rows(tmp_path / "one")
    assert len(report.worker_pids) == 2 and report.peak_worker_rss > 0


def test_killed_worker_loses_and_doubles_nothing(
    strings_file: Path, tmp_path: Path, settings: Settings
) -> None:
    """A worker killed mid-job: its partitions are done again elsewhere, once each."""
    run_batch([strings_file], tmp_path / "one", settings=settings, workers=0, partition_rows=20)
    killed: list[int] = []

    def kill_a_worker(done: int, total: int, rows: int) -> None:
        if killed or done < 2:
            return
        workers = [
            p
            for p in psutil.Process().children(recursive=True)
            if "spawn_main" in " ".join(p.cmdline())
        ]
        victim = workers[-1]
        killed.append(victim.pid)
        os.kill(victim.pid, signal.SIGKILL)

    report = run_batch(
        [strings_file],
        tmp_path / "two",
        settings=settings,
        workers=2,
        partition_rows=20,
        progress=kill_a_worker,
    )
    assert killed
    rows = _rows(tmp_path / "two")
    assert rows == _rows(tmp_path / "one")
    assert not [k for k, n in Counter(r["input_id"] for r in rows).items() if n > 1]
    assert report.failed == []


def test_interrupted_job_resumes(strings_file: Path, tmp_path: Path, settings: Settings) -> None:
    """A rerun does only the partitions that have no rows yet, and ends complete."""
    out = tmp_path / "out"
    run_batch([strings_file], tmp_path / "whole", settings=settings, workers=0, partition_rows=50)

    class Interrupted(Exception):
        pass

    def stop_after_three(done: int, total: int, rows: int) -> None:
        if done == 3:
            raise Interrupted

    with pytest.raises(Interrupted):
        run_batch(
            [strings_file],
            out,
            settings=settings,
            workers=0,
            partition_rows=50,
            progress=stop_after_three,
        )
    assert len(list((out / "parquet").glob("*.parquet"))) == 3
    report = run_batch([strings_file], out, settings=settings, workers=0, partition_rows=50)
    assert (report.skipped, report.done) == (3, report.partitions - 3)
    assert _rows(out) == _rows(tmp_path / "whole")


def test_corrupt_inputs_become_error_rows(tmp_path: Path, settings: Settings) -> None:
    """A .bib that cannot be read, a binary .jsonl and a broken Parquet file are rows."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "broken.bib").write_bytes(b"\xff\xfe\x00\x00garbage\x00")
    (folder / "binary.jsonl").write_bytes(gzip.compress(b"{}"))
    (folder / "cut.parquet").write_bytes(b"PAR1 not really")
    (folder / "good.bib").write_text(
        "@article{plos, title={Modern Statistical Methods in Ecology}, doi={10.9999/none}}\n",
        encoding="utf-8",
    )
    report = run_batch([folder], tmp_path / "out", settings=settings, workers=0, column="text")
    rows = {str(r["input_id"]).rsplit("/", 1)[-1]: r for r in _rows(tmp_path / "out")}
    assert rows["broken.bib"]["status"] == "error"
    assert rows["cut.parquet"]["status"] == "error"
    assert all(r["status"] == "error" for k, r in rows.items() if k.startswith("binary.jsonl"))
    assert rows["good.bib#plos"]["status"] == "not_found"
    assert report.errors == sum(r["status"] == "error" for r in rows.values())


def test_documents_beside_their_bibliography_give_claim_rows(
    tmp_path: Path, settings: Settings
) -> None:
    """paper.md with paper.bib: one row per claim, with its verdict."""
    from mesorefs.cli.common import _example_path

    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "paper.md").write_text(_example_path("article.txt").read_text(encoding="utf-8"))
    (folder / "paper.bib").write_text(_example_path("references.bib").read_text(encoding="utf-8"))
    run_batch(
        [folder],
        tmp_path / "out",
        settings=settings.model_copy(update={"snapshot_dir": None}),
        workers=0,
    )
    claims = [r for r in _rows(tmp_path / "out") if r["kind"] == "claim"]
    assert len(claims) > 10
    verdicts = Counter(str(r["status"]) for r in claims)
    # The shipped judge takes no side (issue 26): the example's claims need review or
    # are unsupported, each row saying which.
    assert verdicts["unsupported"] + verdicts["needs review"] >= 10
    assert set(verdicts) <= {"unsupported", "needs review", "not checked"}
    assert all(json.loads(str(r["findings"]))["claim"] for r in claims)


def test_plan_needs_a_column_for_parquet(tmp_path: Path) -> None:
    """A Parquet input without --column is refused in one line."""
    (tmp_path / "refs.parquet").write_bytes(b"")
    with pytest.raises(InputError, match="column"):
        plan([tmp_path / "refs.parquet"], parquet_groups=lambda p: [])


def test_partition_ids_are_stable(strings_file: Path) -> None:
    """The same inputs cut the same way give the same partition ids (resumable)."""
    assert [p.id for p in plan([strings_file], partition_rows=7)] == [
        p.id for p in plan([strings_file], partition_rows=7)
    ]


def test_existing_cluster_by_address(
    strings_file: Path, tmp_path: Path, settings: Settings
) -> None:
    """--scheduler: the job runs on a cluster started elsewhere, with the same rows."""
    from distributed import LocalCluster

    run_batch([strings_file], tmp_path / "one", settings=settings, workers=0, partition_rows=90)
    with LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as cluster:
        report = run_batch(
            [strings_file],
            tmp_path / "remote",
            settings=settings,
            scheduler=cluster.scheduler_address,
            partition_rows=90,
        )
    assert report.done == 4
    assert _rows(tmp_path / "remote") == _rows(tmp_path / "one")


def test_parquet_column_in_row_groups(tmp_path: Path, settings: Settings) -> None:
    """A Parquet column of strings, in several row groups, gives one row per value."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from snapshot.conftest import load

    texts = [row["strings"]["apa"] for row in load("matching_strings.json")[:45]]
    texts[3] = None  # a missing value is an error row, not a lost one
    table = pa.table({"id": list(range(45)), "text": texts})
    pq.write_table(table, tmp_path / "refs.parquet", row_group_size=10)
    report = run_batch(
        [tmp_path / "refs.parquet"],
        tmp_path / "out",
        settings=settings,
        workers=0,
        column="text",
        partition_rows=20,
    )
    rows = _rows(tmp_path / "out")
    assert report.partitions == 3 and len(rows) == 45
    assert sorted(int(str(r["input_id"]).rsplit(":", 1)[1]) for r in rows) == list(range(45))
    assert [r["status"] for r in rows if str(r["input_id"]).endswith(":3")] == ["error"]
