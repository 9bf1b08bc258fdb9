"""Names planted in the cache folder (issue 27 audit): a symlink, a FIFO, a hard link or
a device under a cache file's name is never written through, read from or waited on."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from mesorefs.claims.bm25 import Bm25Cache, build, corpus_key
from mesorefs.claims.claim_cache import FORMAT, ClaimCache, RunRecord
from mesorefs.claims.vector_store import VectorStore
from mesorefs.errors import OutputError
from mesorefs.outputs import cache_file_problem, open_cache_file, write_cache_file
from mesorefs.resolve.http.session import check_cache

KEY = "ab" * 32
VICTIM = b"root:x:0:0:root:/root:/bin/sh\n"


def _symlink(name: Path, victim: Path) -> None:
    name.symlink_to(victim)


def _fifo(name: Path, victim: Path) -> None:
    os.mkfifo(name)


def _folder(name: Path, victim: Path) -> None:
    name.mkdir()


def _device(name: Path, victim: Path) -> None:
    os.mknod(name, stat.S_IFCHR | 0o666, os.makedev(1, 5))  # a /dev/zero of its own


PLANTS: list[tuple[str, Callable[[Path, Path], None]]] = [
    ("symlink", _symlink),
    ("fifo", _fifo),
    ("folder", _folder),
]
if os.geteuid() == 0:
    PLANTS.append(("device", _device))


@pytest.fixture(params=[p for _, p in PLANTS], ids=[n for n, _ in PLANTS])
def plant(request: pytest.FixtureRequest) -> Callable[[Path, Path], None]:
    """One kind of thing that is not a regular file of ours."""
    plant: Callable[[Path, Path], None] = request.param
    return plant


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "outside" / "passwd"
    victim.parent.mkdir()
    victim.write_bytes(VICTIM)
    return victim


def test_claim_cache_neither_reads_nor_writes_a_planted_name(
    tmp_path: Path, plant: Callable[[Path, Path], None]
) -> None:
    """A claim result's name holding a link, FIFO, folder or device: a miss, and the write
    is refused (the cache is reported unused) without touching what the link names."""
    victim = _victim(tmp_path)
    folder = tmp_path / "cache" / "claims"
    folder.mkdir(parents=True)
    plant(folder / f"{KEY}.json", victim)
    cache = ClaimCache(folder)
    assert cache.run(KEY) is None  # a FIFO would block here for ever
    cache.keep_run(KEY, RunRecord("bm25", "engine", "baseline"))
    assert victim.read_bytes() == VICTIM
    assert cache.problem is not None and "left alone" in cache.problem


def test_claim_cache_reads_no_result_through_a_symlink(tmp_path: Path) -> None:
    """A valid result reached through a symlink is not read (it may be anyone's file)."""
    outside = tmp_path / "elsewhere.json"
    outside.write_text(
        f'{{"format": "{FORMAT}", "key": "{KEY}", '
        '"value": {"ranking": "r", "engine": "e", "verifier": "v"}}'
    )
    folder = tmp_path / "claims"
    folder.mkdir()
    (folder / f"{KEY}.json").symlink_to(outside)
    assert ClaimCache(folder).run(KEY) is None


def test_claim_cache_replaces_a_hard_linked_file_by_name_only(tmp_path: Path) -> None:
    """A result file hard-linked to a file outside the cache: a new file takes the name,
    and the other name keeps its text."""
    victim = _victim(tmp_path)
    folder = tmp_path / "claims"
    folder.mkdir()
    os.link(victim, folder / f"{KEY}.json")
    cache = ClaimCache(folder)
    cache.keep_run(KEY, RunRecord("bm25", "engine", "baseline"))
    assert victim.read_bytes() == VICTIM
    assert cache.run(KEY) == RunRecord("bm25", "engine", "baseline")


def test_bm25_cache_neither_reads_nor_writes_a_planted_name(
    tmp_path: Path, plant: Callable[[Path, Path], None]
) -> None:
    """An index's name holding a link, FIFO, folder or device: built, not written there."""
    victim = _victim(tmp_path)
    corpus = [["needle", "depth"], ["roller", "skin"]]
    folder = tmp_path / "bm25"
    folder.mkdir()
    plant(folder / f"{corpus_key(corpus)}.npz", victim)
    cache = Bm25Cache(folder)
    index = cache.index(corpus)
    assert index.num_docs == build(corpus).num_docs
    assert victim.read_bytes() == VICTIM
    assert cache.problem is not None


def test_embedding_cache_leaves_a_planted_name_alone(
    tmp_path: Path, plant: Callable[[Path, Path], None]
) -> None:
    """embeddings.sqlite holding a link, FIFO, folder or device: not used, not opened."""
    victim = _victim(tmp_path)
    path = tmp_path / "embeddings.sqlite"
    plant(path, victim)
    store = VectorStore(path, dimension=2)
    assert store.get([b"k"]) == {}
    assert store.problem is None or "not a regular file" in store.problem
    assert victim.read_bytes() == VICTIM


def test_http_cache_leaves_a_planted_name_where_it_is(
    tmp_path: Path, plant: Callable[[Path, Path], None]
) -> None:
    """http-cache.sqlite holding a link, FIFO or device: not used, never renamed (a folder
    of this user is damaged, and moved aside: tests/resolve/test_limits.py)."""
    if plant is _folder:
        pytest.skip("a folder of ours is moved aside, as a damaged cache is")
    victim = _victim(tmp_path)
    path = tmp_path / "http-cache.sqlite"
    plant(path, victim)
    before = path.lstat()
    warning, use = check_cache(path)
    assert not use and warning is not None and "not a regular file" in warning
    assert path.lstat().st_ino == before.st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["http-cache.sqlite", "outside"]
    assert victim.read_bytes() == VICTIM


def test_write_cache_file_refuses_what_is_not_a_regular_file(
    tmp_path: Path, plant: Callable[[Path, Path], None]
) -> None:
    """The cache writer raises one OutputError and leaves the name as it was."""
    victim = _victim(tmp_path)
    name = tmp_path / "x.json"
    plant(name, victim)
    kind = stat.S_IFMT(name.lstat().st_mode)
    with pytest.raises(OutputError, match="left alone"):
        write_cache_file(name, b"{}")
    assert stat.S_IFMT(name.lstat().st_mode) == kind
    assert cache_file_problem(name) is not None
    assert open_cache_file(name) is None
    assert victim.read_bytes() == VICTIM


def test_write_cache_file_writes_a_new_file(tmp_path: Path) -> None:
    """A missing or regular name gets the bytes, and reads back through open_cache_file."""
    name = tmp_path / "x.json"
    for data in (b"first", b"second"):
        write_cache_file(name, data)
        handle = open_cache_file(name)
        assert handle is not None
        with handle:
            assert handle.read() == data
    assert cache_file_problem(name) is None
