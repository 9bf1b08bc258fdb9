"""The snapshot's key lookup: strings of its records find them by key, strings of records
it does not hold find nothing to accept, and a snapshot without keys is searched."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.resolve.resolver import Resolver
from mesorefs.settings import Settings
from mesorefs.snapshot import build_snapshot
from mesorefs.snapshot.catalogue import Snapshot, open_snapshot

from .conftest import load, matching_items, write_gz


@pytest.fixture
def snapshot_dir(tmp_path: Path) -> Path:
    items = matching_items()
    build_snapshot([write_gz(tmp_path / "items.json.gz", {"items": items})], tmp_path / "snap")
    return tmp_path / "snap"


def _strings() -> list[tuple[str, str, str]]:
    """(style, string, DOI) of the matching set's strings."""
    return [
        (style, text, row["doi"].lower())
        for row in load("matching_strings.json")
        for style, text in row["strings"].items()
    ]


def test_strings_find_their_record_by_key(snapshot_dir: Path, tmp_path: Path) -> None:
    """Most strings (seven in ten) of the snapshot's own records find their record among
    the keyed records, in every style; no string finds more than the lookup's rows."""
    snapshot = Snapshot(str(snapshot_dir), tmp_path / "cache")
    by_style: dict[str, list[bool]] = {}
    for style, text, doi in _strings():
        found = snapshot.lookup(text)
        assert len(found) <= 8
        by_style.setdefault(style, []).append(doi in {(r.doi or "").lower() for r in found})
    for style, hits in by_style.items():
        assert sum(hits) / len(hits) >= 0.7, style


def test_key_matches_are_the_search_matches(
    snapshot_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A string matched through its keys gets the record the search would have given it,
    with the same score; a snapshot without keys (built before them) is searched."""
    settings = Settings.load(
        env={},
        config_file=tmp_path / "none.toml",
        cache_dir=tmp_path / "cache",
        cache=False,
        snapshot_dir=str(snapshot_dir),
        enrich_pubmed=False,
        enrich_openalex=False,
    )
    open_snapshot.cache_clear()
    keyed = Resolver(settings)
    results = [keyed.resolve_string(text) for _, text, _ in _strings()]
    open_snapshot.cache_clear()
    searched = Resolver(settings)
    assert searched.snapshot is not keyed.snapshot
    for reader in searched.snapshot._readers.values():  # type: ignore[union-attr]
        monkeypatch.setattr(reader, "has_keys", False)
    assert searched.snapshot.lookup(_strings()[0][1]) == []  # type: ignore[union-attr]
    matched = 0
    for (_, text, _), ours in zip(_strings(), results, strict=True):
        theirs = searched.resolve_string(text)
        assert (ours.status, ours.score, ours.reference.doi) == (
            theirs.status,
            theirs.score,
            theirs.reference.doi,
        )
        matched += ours.status == "matched"
    assert matched > 300
    open_snapshot.cache_clear()


def test_absent_records_are_not_found_by_key(tmp_path: Path) -> None:
    """Strings of records the snapshot lacks match nothing through keys."""
    items = matching_items()
    kept, left = items[: len(items) // 2], {i["DOI"].lower() for i in items[len(items) // 2 :]}
    build_snapshot([write_gz(tmp_path / "half.json.gz", {"items": kept})], tmp_path / "half")
    snapshot = Snapshot(str(tmp_path / "half"), tmp_path / "cache")
    for _, text, doi in _strings():
        if doi in left:
            assert doi not in {(r.doi or "").lower() for r in snapshot.lookup(text)}


@pytest.mark.parametrize(("rows", "found"), [(3, 3), (2, 0)], ids=["all-returned", "cut-off"])
def test_key_held_by_more_records_than_returned(tmp_path: Path, rows: int, found: int) -> None:
    """A lookup returns every record holding its keys, or none when a key is held by more
    records than it returns (the left-out ones could make a match ambiguous)."""
    from mesorefs.snapshot.index import IndexedRecord, IndexReader, build_index

    records = [
        IndexedRecord(f"crossref:10.1/{n}", f"10.1/{n}", "a b c", "{}", ("t a b c 2001",))
        for n in range(3)
    ]
    build_index(tmp_path / "index", records, threads=1)
    reader = IndexReader(tmp_path / "index")
    assert len(reader.lookup(["t a b c 2001", "t x y z 2001"], rows)) == found
