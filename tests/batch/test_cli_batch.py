"""`mesorefs snapshot build` and `mesorefs batch` through the command line."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mesorefs.cli import main
from snapshot.conftest import matching_items, write_gz


@pytest.fixture(autouse=True)
def _no_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "none.toml").write_text("", encoding="utf-8")  # an empty config
    monkeypatch.setenv("MESOREFS_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("MESOREFS_CACHE_DIR", str(tmp_path / "cache"))


def test_build_reports_and_fails_on_a_damaged_file(tmp_path: Path) -> None:
    """The build prints its counts; a damaged source is one error line and exit 1."""
    write_gz(tmp_path / "a.json.gz", {"items": matching_items()[:30]})
    (tmp_path / "b.json.gz").write_bytes(gzip.compress(b'{"items": [')[:-4])
    result = CliRunner().invoke(
        main,
        [
            "snapshot",
            "build",
            str(tmp_path / "a.json.gz"),
            str(tmp_path / "b.json.gz"),
            "-o",
            str(tmp_path / "snap"),
        ],
    )
    assert result.exit_code == 1
    assert "30 records" in result.output
    assert "b.json.gz: skipped" in result.stderr


def test_batch_writes_rows_and_reruns_nothing(tmp_path: Path) -> None:
    """The batch command resolves strings against a snapshot; a rerun does nothing."""
    items = matching_items()[:30]
    write_gz(tmp_path / "a.json.gz", {"items": items})
    runner = CliRunner()
    built = runner.invoke(
        main,
        ["snapshot", "build", str(tmp_path / "a.json.gz"), "-o", str(tmp_path / "snap"), "--json"],
    )
    assert json.loads(built.output)["records"] == 30
    strings = tmp_path / "strings.jsonl"
    strings.write_text(
        "".join(
            json.dumps(
                {"id": i["DOI"], "text": f"{i['title'][0]}. {i.get('container-title', [''])[0]}"}
            )
            + "\n"
            for i in items
            if i.get("title")
        ),
        encoding="utf-8",
    )
    args = [
        "batch",
        str(strings),
        "-o",
        str(tmp_path / "out"),
        "--snapshot-dir",
        str(tmp_path / "snap"),
        "--workers",
        "0",
        "--json",
    ]
    first = json.loads(runner.invoke(main, args).output)
    assert first["rows"] == len(strings.read_text().splitlines()) and first["errors"] == 0
    again = json.loads(runner.invoke(main, args).output)
    assert (again["skipped"], again["done"]) == (first["partitions"], 0)


def test_batch_without_inputs_is_one_line(tmp_path: Path) -> None:
    """A missing input is a usage error naming it."""
    result = CliRunner().invoke(main, ["batch", str(tmp_path / "absent"), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "absent: no such file or folder" in result.stderr
