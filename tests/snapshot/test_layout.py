"""What a snapshot build may touch: manifest paths checked, only its own folders deleted."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from mesorefs.errors import InputError
from mesorefs.snapshot import build_snapshot, open_snapshot
from mesorefs.snapshot.layout import (
    MARKER,
    build_lock,
    make_index_folder,
    make_staging_folder,
    parse_manifest,
)
from snapshot.conftest import matching_items, write_gz


def _build(tmp_path: Path, name: str = "a", count: int = 20) -> Path:
    source = write_gz(tmp_path / f"{name}.json.gz", {"items": matching_items()[:count]})
    build_snapshot([source], tmp_path / "snap", partitions=2)
    return tmp_path / "snap"


def _manifest(snap: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((snap / "manifest.json").read_text())
    return data


@pytest.mark.parametrize(
    "escape",
    [
        pytest.param(lambda victim: str(victim), id="absolute"),
        pytest.param(lambda victim: "index/../../victim", id="dotdot"),
        pytest.param(lambda victim: "../victim", id="parent"),
        pytest.param(lambda victim: "index/crossref-x/../../../victim", id="nested-dotdot"),
    ],
)
def test_manifest_path_outside_is_refused_and_untouched(tmp_path: Path, escape: Any) -> None:
    """An index path leading out of the snapshot is a damaged manifest; nothing is deleted."""
    snap = _build(tmp_path)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("mine")
    manifest = _manifest(snap)
    manifest["indexes"]["crossref"] = escape(victim)
    (snap / "manifest.json").write_text(json.dumps(manifest))
    source = write_gz(tmp_path / "b.json.gz", {"items": matching_items()[20:25]})
    with pytest.raises(InputError) as caught:
        build_snapshot([source], snap)
    assert "manifest.json" in str(caught.value) and "indexes.crossref" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert (victim / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize(
    ("change", "key"),
    [
        pytest.param({"partitions": 0}, "partitions", id="partitions-0"),
        pytest.param({"partitions": "abc"}, "partitions", id="partitions-abc"),
        pytest.param({"partitions": None}, "partitions", id="partitions-missing"),
        pytest.param({"partitions": True}, "partitions", id="partitions-bool"),
        pytest.param({"partitions": 10**30}, "partitions", id="partitions-huge"),
        pytest.param({"records": -1}, "records", id="records-negative"),
        pytest.param({"indexes": []}, "indexes", id="indexes-list"),
        pytest.param({"indexes": {"evil": "index/evil"}}, "indexes.evil", id="unknown-source"),
        pytest.param(
            {"indexes": {"crossref": "index/openalex-20200101T000000-abcdef"}},
            "indexes.crossref",
            id="other-source-folder",
        ),
    ],
)
def test_odd_manifest_values_are_one_line_errors(change: dict[str, Any], key: str) -> None:
    """Each wrong or missing manifest value is an InputError naming the file and key."""
    data: dict[str, Any] = {"format": 1, "partitions": 4, "records": 0, "indexes": {}}
    data.update(change)
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(InputError) as caught:
        parse_manifest(json.dumps(data), "snap/manifest.json")
    assert f"'{key}'" in str(caught.value) and "snap/manifest.json" in str(caught.value)


def test_killed_build_orphan_is_removed_and_foreign_folder_kept(tmp_path: Path) -> None:
    """A later build removes index folders of its own making no manifest names, only those."""
    snap = _build(tmp_path)
    orphan = make_index_folder(snap, "index/crossref-20200101T000000-abc123")
    (orphan / "half-written").write_text("x")
    foreign = snap / "index" / "crossref-20200101T000000-def456"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("no marker")
    odd = snap / "index" / "notes"
    odd.mkdir()
    (odd / MARKER).write_text("a marker, but not a name mesorefs makes")
    before = set(_manifest(snap)["indexes"].values())
    _build(tmp_path, "b")
    after = set(_manifest(snap)["indexes"].values())
    assert not orphan.exists()
    assert (foreign / "keep.txt").exists() and (odd / MARKER).exists()
    assert not any((snap / folder).exists() for folder in before - after)
    assert all((snap / folder / MARKER).is_file() for folder in after)


def test_a_second_build_is_refused_while_one_runs(tmp_path: Path) -> None:
    """The build lock: a build of a snapshot another build holds is a one-line error."""
    (tmp_path / "snap").mkdir()
    source = write_gz(tmp_path / "a.json.gz", {"items": matching_items()[:3]})
    with build_lock(tmp_path / "snap"), pytest.raises(InputError, match="another build"):
        build_snapshot([source], tmp_path / "snap")


def test_index_files_follow_the_umask(tmp_path: Path) -> None:
    """Every index file (tantivy's .managed.json included) is 0644 under umask 022."""
    old = os.umask(0o022)
    try:
        snap = _build(tmp_path)
    finally:
        os.umask(old)
    files = [p for p in (snap / "index").rglob("*") if p.is_file()]
    assert any(p.name == ".managed.json" for p in files)
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in files} == {p.name: 0o644 for p in files}


def test_unreadable_index_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An index tantivy cannot open (no permission to read .managed.json) is an InputError."""
    import tantivy

    snap = _build(tmp_path)

    def refuse(path: str) -> None:
        raise ValueError("Failed to open file for read: PermissionDenied '.managed.json'")

    monkeypatch.setattr(tantivy.Index, "open", refuse)
    with pytest.raises(InputError) as caught:
        open_snapshot.__wrapped__(str(snap), tmp_path / "cache")
    assert "damaged or unreadable snapshot index" in str(caught.value)
    assert str(snap / "index") in str(caught.value) and "\n" not in str(caught.value)


def test_killed_build_staging_is_removed_and_lookalike_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A staging folder with mesorefs' marker left by a killed build goes; one without stays."""
    import mesorefs.snapshot.build as build

    monkeypatch.setattr(build, "_SPILL_RECORDS", 5)  # spill, so staging is made and used
    snap = _build(tmp_path)
    orphan = make_staging_folder(snap, ".staging-0badcafe")
    (orphan / "p0000-00000.parquet").write_text("x")
    lookalike = snap / ".staging-12345678"
    lookalike.mkdir()
    (lookalike / "keep.txt").write_text("no marker")
    report = build_snapshot(
        [write_gz(tmp_path / "b.json.gz", {"items": matching_items()[20:40]})], snap
    )
    assert report.records == 40
    assert not orphan.exists() and (lookalike / "keep.txt").exists()
    assert sorted(p.name for p in snap.glob(".staging-*")) == [lookalike.name]
