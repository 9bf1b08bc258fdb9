"""A snapshot and inputs for batch jobs, from the matching set's real records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mesorefs.settings import Settings
from mesorefs.snapshot import build_snapshot
from snapshot.conftest import load, matching_items, real_items, write_gz


@pytest.fixture(scope="session")
def snapshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("snapshot")
    items = matching_items() + real_items()
    build_snapshot([write_gz(folder / "items.json.gz", {"items": items})], folder / "snap")
    return folder / "snap"


@pytest.fixture
def settings(tmp_path: Path, snapshot_dir: Path) -> Settings:
    return Settings.load(
        env={},
        config_file=tmp_path / "none.toml",
        cache=False,
        cache_dir=tmp_path / "cache",
        snapshot_dir=str(snapshot_dir),
    )


@pytest.fixture
def strings_file(tmp_path: Path) -> Path:
    """JSON Lines of the matching set's strings in three styles, and two bad lines."""
    path = tmp_path / "inputs" / "strings.jsonl"
    path.parent.mkdir()
    lines = [
        json.dumps({"id": f"{row['doi']}|{style}", "text": text})
        for row in load("matching_strings.json")
        for style, text in row["strings"].items()
    ]
    lines[5] = "this line is not JSON"
    lines[9] = json.dumps({"id": "empty", "text": ""})
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
