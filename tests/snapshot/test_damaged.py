"""Hostile sources and damaged snapshots: skipped, counted, or a one-line error."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import mesorefs.snapshot.sources as sources
from mesorefs.errors import InputError
from mesorefs.snapshot import build_snapshot, open_snapshot
from mesorefs.snapshot.records import record_from_json
from mesorefs.snapshot.sources import read_source
from mesorefs.snapshot.storage import list_files
from snapshot.conftest import matching_items, write_gz

DEEP = b"[" * 100_000 + b"]" * 100_000


def _item(year: str = "2020", title: str = '"A title"') -> bytes:
    return (
        '{"items": [{"DOI": "10.5555/odd", "type": "journal-article", '
        f'"title": [{title}], "issued": {{"date-parts": [[{year}]]}}}}]}}'
    ).encode()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(DEEP, id="deep-json"),
        pytest.param(b'{"id": "https://openalex.org/W1"}\n' + DEEP + b"\n", id="deep-jsonl"),
        pytest.param(gzip.compress(DEEP), id="deep-gzip"),
        pytest.param(gzip.compress(b'{"items": [')[:-4], id="cut-gzip"),
    ],
)
def test_bad_source_is_skipped_and_the_rest_built(tmp_path: Path, content: bytes) -> None:
    """A damaged source file is skipped with its reason; the good one is built."""
    good = write_gz(tmp_path / "good.json.gz", {"items": matching_items()[:10]})
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    report = build_snapshot([good, bad], tmp_path / "snap", partitions=2)
    assert report.records == 10
    assert [path for path, _ in report.skipped] == [str(bad)]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        pytest.param("1e999", None, id="1e999"),
        pytest.param(str(10**30), None, id="10-to-the-30"),
        pytest.param("-1e999", None, id="minus-1e999"),
        pytest.param("true", None, id="bool"),
        pytest.param("1999", 1999, id="plain"),
    ],
)
def test_impossible_years_are_left_out(tmp_path: Path, year: str, expected: int | None) -> None:
    """A year no calendar has is dropped from the record, which is still built."""
    (tmp_path / "odd.json").write_bytes(_item(year))
    result = read_source(str(tmp_path / "odd.json"))
    assert result.error is None and [r.year for r in result.records] == [expected]
    report = build_snapshot([tmp_path / "odd.json"], tmp_path / "snap", partitions=1)
    assert report.records == 1 and not report.skipped


def test_lone_surrogate_record_is_unusable_not_fatal(tmp_path: Path) -> None:
    """A record whose text holds a lone surrogate is counted unusable; the file is built."""
    items = json.dumps({"items": matching_items()[:3]})[:-2] + ", "
    text = items + _item(title='"Wading \\ud800 birds"').decode()[len('{"items": [') :]
    (tmp_path / "odd.json").write_text(text, encoding="utf-8")
    report = build_snapshot([tmp_path / "odd.json"], tmp_path / "snap", partitions=1)
    assert (report.records, report.unusable, report.skipped) == (3, 1, [])
    with pytest.raises(ValueError):
        record_from_json("crossref", json.loads(_item(title='"\\udc00"'))["items"][0])


def test_gzip_bomb_is_refused_within_its_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that decompresses to more than MAX_RATIO times its size is skipped."""
    monkeypatch.setattr(sources, "MIN_LIMIT", 1 << 20)
    bomb = tmp_path / "bomb.json.gz"
    bomb.write_bytes(gzip.compress(b'{"items": [' + b" " * (8 << 20) + b"]}"))
    result = read_source(str(bomb))
    assert result.error is not None and "decompresses to more than" in result.error
    assert result.records == []


def test_line_too_long_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A JSON Lines line longer than MAX_LINE makes the file damaged, not a memory hog."""
    monkeypatch.setattr(sources, "MAX_LINE", 1000)
    lines = [json.dumps({"id": "https://openalex.org/W1", "title": "x"})]
    lines.append(json.dumps({"id": "https://openalex.org/W2", "title": "y" * 5000}))
    (tmp_path / "works.jsonl").write_text("\n".join(lines) + "\n")
    result = read_source(str(tmp_path / "works.jsonl"))
    assert result.error is not None and "longer than 1,000 bytes" in result.error


def test_fifo_source_is_refused_without_opening_it(tmp_path: Path) -> None:
    """A FIFO named as a source is a one-line error at once (opening it would block)."""
    fifo = tmp_path / "source.json.gz"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        list_files(fifo)
    result = read_source(str(fifo))  # a FIFO that turns up in a folder later
    assert result.error is not None and "not a regular file" in result.error
    with pytest.raises(InputError, match="not a regular file"):
        build_snapshot([fifo], tmp_path / "snap")


def _snapshot(tmp_path: Path) -> Path:
    source = write_gz(tmp_path / "a.json.gz", {"items": matching_items()[:20]})
    build_snapshot([source], tmp_path / "snap", partitions=2)
    return tmp_path / "snap"


def _index(snap: Path) -> Path:
    return snap / json.loads((snap / "manifest.json").read_text())["indexes"]["crossref"]


def _cut(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: max(1, path.stat().st_size // 2)])


DAMAGES: list[tuple[str, Callable[[Path], Path]]] = [
    ("garbage-versions", lambda s: (s / "versions.parquet").write_bytes(b"PAR1 no PAR1") and s),
    ("index-meta-deleted", lambda s: (_index(s) / "meta.json").unlink() or _index(s)),
    ("index-folder-deleted", lambda s: shutil.rmtree(_index(s)) or _index(s)),
    (
        "index-store-truncated",
        lambda s: [_cut(p) for p in _index(s).glob("*.store")] and _index(s),
    ),
    ("index-meta-truncated", lambda s: _cut(_index(s) / "meta.json") or _index(s)),
]


@pytest.mark.parametrize(("name", "damage"), DAMAGES, ids=[n for n, _ in DAMAGES])
def test_damaged_snapshot_opens_as_one_line_error(
    tmp_path: Path, name: str, damage: Callable[[Path], Path]
) -> None:
    """Opening a snapshot with a damaged file raises an InputError naming the file."""
    snap = _snapshot(tmp_path)
    damage(snap)
    wanted = "versions.parquet" if name == "garbage-versions" else _index(snap).name
    with pytest.raises(InputError) as caught:
        open_snapshot.__wrapped__(str(snap), tmp_path / "cache")
    assert wanted in str(caught.value) and "\n" not in str(caught.value)


def test_truncated_partition_is_one_line_on_rebuild(tmp_path: Path) -> None:
    """A cut records partition stops a rebuild with an InputError naming the partition."""
    snap = _snapshot(tmp_path)
    part = max((snap / "records").glob("*.parquet"), key=lambda p: p.stat().st_size)
    _cut(part)
    more = write_gz(tmp_path / "b.json.gz", {"items": matching_items()[20:25]})
    with pytest.raises(InputError) as caught:
        build_snapshot([more], snap)
    assert part.name in str(caught.value) and "damaged snapshot partition" in str(caught.value)
