"""Building, updating and opening a snapshot."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import fsspec
import pytest

from mesorefs.errors import InputError, NotFound
from mesorefs.snapshot import build_snapshot
from mesorefs.snapshot.catalogue import Snapshot
from mesorefs.snapshot.sources import read_source
from mesorefs.snapshot.store import read_rows

from .conftest import PLOS, matching_items, notice_of, preprint_of, real_items, write_gz


def test_build_reads_every_source_kind(sources: Path, tmp_path: Path) -> None:
    """Gzipped batches, a saved API answer and OpenAlex JSON Lines all become records."""
    report = build_snapshot([sources], tmp_path / "snap")
    expected = len({i["DOI"].lower() for i in matching_items() + real_items()}) + 1
    assert (report.records, report.files_read, report.skipped) == (expected, 3, [])
    snapshot = Snapshot(str(tmp_path / "snap"), tmp_path / "cache")
    assert snapshot.sources == ["crossref", "openalex"]
    reference, source = snapshot.work(PLOS.upper())
    assert (source, reference.doi) == ("crossref", PLOS)
    assert snapshot.work("10.7717/peerj.4375")[1] == "openalex"
    assert report.index_bytes > 0 and report.parquet_bytes > 0


def test_search_finds_a_record_by_its_reference_string(sources: Path, tmp_path: Path) -> None:
    """A rendered reference finds its own record first."""
    build_snapshot([sources], tmp_path / "snap")
    snapshot = Snapshot(str(tmp_path / "snap"), tmp_path / "cache")
    item = matching_items()[7]
    text = f"{item['author'][0]['family']}. {item['title'][0]}. {item['container-title'][0]}"
    assert snapshot.search(text, rows=5)[0].doi == item["DOI"].lower()
    assert snapshot.search("zzzz qqqq", rows=5) == []


def test_unknown_doi_is_not_found(sources: Path, tmp_path: Path) -> None:
    """A DOI the snapshot lacks raises NotFound, as an online service's 404 does."""
    build_snapshot([sources], tmp_path / "snap")
    with pytest.raises(NotFound):
        Snapshot(str(tmp_path / "snap"), tmp_path / "cache").work("10.9999/absent")


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="cut-gzip"),
        pytest.param(lambda data: gzip.compress(b'{"items": [{"DOI": "10.1/x"'), id="broken-json"),
        pytest.param(lambda data: gzip.compress(b'{"rows": []}'), id="wrong-shape"),
        pytest.param(lambda data: b"\x1f\x8b" + b"\x00" * 40, id="not-gzip"),
    ],
)
def test_damaged_file_is_skipped_whole(tmp_path: Path, damage: object) -> None:
    """A damaged file is reported and none of it is taken; the others are built."""
    folder = tmp_path / "sources"
    folder.mkdir()
    good = write_gz(folder / "a.json.gz", {"items": matching_items()[:50]})
    data = gzip.compress(json.dumps({"items": matching_items()[50:100]}).encode())
    (folder / "b.json.gz").write_bytes(damage(data))  # type: ignore[operator]
    report = build_snapshot([folder], tmp_path / "snap")
    assert report.records == 50
    assert [p for p, _ in report.skipped] == [str(folder / "b.json.gz")]
    assert read_source(str(good)).error is None


def _stamp(year: int) -> dict[str, str]:
    return {"date-time": f"{year}-01-01T00:00:00Z"}


def test_rebuild_updates_records_in_place(tmp_path: Path) -> None:
    """A newer copy replaces a record, an older one is ignored, the rest stays."""
    items = matching_items()[:40]
    first = tmp_path / "first.json.gz"
    write_gz(
        first, {"items": [{**i, "indexed": {"date-time": "2024-01-01T00:00:00Z"}} for i in items]}
    )
    build_snapshot([first], tmp_path / "snap")
    changed = {
        **items[0],
        "title": ["A corrected title"],
        "indexed": {"date-time": "2025-01-01T00:00:00Z"},
    }
    stale = {
        **items[1],
        "title": ["An old title"],
        "indexed": {"date-time": "2023-01-01T00:00:00Z"},
    }
    second = write_gz(tmp_path / "second.json.gz", {"items": [changed, stale]})
    report = build_snapshot([second], tmp_path / "snap")
    assert (report.records, report.replaced, report.kept, report.added) == (40, 1, 1, 0)
    snapshot = Snapshot(str(tmp_path / "snap"), tmp_path / "cache")
    assert snapshot.work(items[0]["DOI"])[0].title == "A corrected title"
    assert snapshot.work(items[1]["DOI"])[0].title == items[1]["title"][0]
    assert len(list((tmp_path / "snap" / "index").iterdir())) == 1  # the old index is gone


def test_notices_and_versions_are_linked(tmp_path: Path) -> None:
    """A retraction notice reaches its work; a preprint names its version of record."""
    plos = real_items()[0]
    items = [plos, notice_of(plos, "10.1371/notice.1"), preprint_of(plos, "10.1101/2011.0001")]
    report = build_snapshot([write_gz(tmp_path / "s.json.gz", {"items": items})], tmp_path / "snap")
    assert (report.notices, report.versions) == (1, 2)
    snapshot = Snapshot(str(tmp_path / "snap"), tmp_path / "cache")
    updates = snapshot.work(PLOS)[0].updates
    assert ("retraction", "10.1371/notice.1") in [(u.kind, u.doi) for u in updates]
    assert snapshot.canonical("10.1101/2011.0001") == PLOS
    assert snapshot.canonical(PLOS) is None
    assert list(read_rows(tmp_path / "snap" / "versions.parquet")) == [
        {"doi": "10.1101/2011.0001", "canonical": PLOS},
        {"doi": PLOS, "canonical": PLOS},
    ]


def test_snapshot_on_other_storage_is_copied_once(sources: Path, tmp_path: Path) -> None:
    """An fsspec URL works: the index comes to the local cache, then is reused."""
    build_snapshot([sources], tmp_path / "snap")
    memory = fsspec.filesystem("memory")
    memory.put(str(tmp_path / "snap"), "/shared/snap", recursive=True)
    try:
        snapshot = Snapshot("memory://shared/snap", tmp_path / "cache")
        assert snapshot.work(PLOS)[0].doi == PLOS
        copies = list((tmp_path / "cache" / "snapshots").rglob("meta.json"))
        Snapshot("memory://shared/snap", tmp_path / "cache")
        assert list((tmp_path / "cache" / "snapshots").rglob("meta.json")) == copies
    finally:
        memory.rm("/shared", recursive=True)


def test_not_a_snapshot_is_one_line(tmp_path: Path) -> None:
    """A folder without a manifest is refused with its name."""
    with pytest.raises(InputError, match="not a snapshot"):
        Snapshot(str(tmp_path), tmp_path / "cache")


def test_no_sources_is_refused(tmp_path: Path) -> None:
    """An empty source folder is an input error, not an empty snapshot."""
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no source files"):
        build_snapshot([tmp_path / "empty"], tmp_path / "snap")


def test_missing_source_is_refused(tmp_path: Path) -> None:
    """A source path that does not exist is named, not built as nothing."""
    with pytest.raises(InputError, match=r"absent\.json\.gz: no such file"):
        build_snapshot([tmp_path / "absent.json.gz"], tmp_path / "snap")
