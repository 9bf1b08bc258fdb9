"""A rerun after a failed run retries what failed and reports the output as a whole."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import mesorefs.batch.work as work
from mesorefs.batch import read_rows, run_batch
from mesorefs.settings import Settings

LINES = [
    json.dumps({"id": f"r{n}", "text": f"Wading birds of the coast, part {n}. 2002."})
    for n in range(3)
]


def test_a_rerun_retries_a_failed_partition(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A partition an earlier run could not do is done again; the summary counts the
    whole output, so a rerun that only skips still says what is wrong."""
    inputs = tmp_path / "in.jsonl"
    inputs.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    real = work.partition_rows

    def broken(partition: Any, settings: Any) -> Iterator[dict[str, Any]]:
        raise RuntimeError("the worker fell over")
        yield {}

    monkeypatch.setattr(work, "partition_rows", broken)
    first = run_batch([inputs], out, settings=settings, workers=0)
    assert (first.errors, first.total_errors) == (3, 3)

    monkeypatch.setattr(work, "partition_rows", real)
    second = run_batch([inputs], out, settings=settings, workers=0)
    assert (second.retried, second.skipped, second.done) == (1, 0, 1)
    assert second.total_rows == 3
    assert all("could not be done" not in (r["error"] or "") for r in read_rows(out))
    assert not (out / "failed").exists() or not any((out / "failed").iterdir())

    third = run_batch([inputs], out, settings=settings, workers=0)
    assert (third.skipped, third.done, third.rows) == (1, 0, 0)
    assert (third.total_rows, third.total_errors) == (second.total_rows, second.total_errors)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["total_rows"] == 3
