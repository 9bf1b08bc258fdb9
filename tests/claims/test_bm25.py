"""BM25 as arrays: bm25s's scores to the bit, and indexes kept on disk between runs
(issue 32: a rerun over an unchanged library imports neither bm25s nor scipy)."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mesorefs.claims import bm25
from mesorefs.claims.bm25 import Bm25, Bm25Cache, build, corpus_key, scores
from mesorefs.claims.retrieve import tokenize

DATA = Path(__file__).parent / "data"


def _sample() -> tuple[list[list[str]], list[list[str]]]:
    """Real text: the passages of tests/claims/data/behaviour_sample.jsonl as a corpus, one
    document per sentence and one per passage, and each sentence as a query."""
    lines = (DATA / "behaviour_sample.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    sentences = [s for row in rows for s in row["sentences"]]
    passages = [" ".join(row["sentences"]) for row in rows]
    corpus = [tokenize(text) for text in sentences + passages]
    return corpus, [tokenize(s) for s in sentences]


def _theirs(corpus: list[list[str]], query: list[str]) -> Any:
    """bm25s's own scores for ``query``, as ``retrieve`` asked for them before."""
    model = bm25s.BM25()
    model.index([tokens or ["\x00"] for tokens in corpus] or [["\x00"]], show_progress=False)
    ids = [model.vocab_dict[t] for t in query if t in model.vocab_dict]
    if not ids:
        return np.zeros(len(corpus))
    return np.asarray(model.get_scores_from_ids(ids), dtype=np.float64)[: len(corpus)]


@pytest.mark.parametrize("half", ["sentences", "passages"], ids=["sentences", "passages"])
def test_scores_are_bm25s_scores_on_real_text(half: str) -> None:
    """Every query's scores equal bm25s's, bit for bit, on real sentences and passages."""
    corpus, queries = _sample()
    n = len(queries)
    part = corpus[:n] if half == "sentences" else corpus[n:]
    index = build(part)
    model = bm25s.BM25()
    model.index([tokens or ["\x00"] for tokens in part], show_progress=False)
    for query in queries:
        ids = [model.vocab_dict[t] for t in query if t in model.vocab_dict]
        theirs = np.asarray(model.get_scores_from_ids(ids), dtype=np.float64)[: len(part)]
        ours = scores(index, query, len(part))
        assert ours.tobytes() == theirs.tobytes()


_WORDS = st.sampled_from(["alpha", "beta", "gamma", "delta", "not", "x1", "b-12", "zeta"])


@settings(max_examples=60, deadline=None)
@given(
    corpus=st.lists(st.lists(_WORDS, max_size=12), max_size=8),
    query=st.lists(_WORDS | st.just("absent"), max_size=6),
)
def test_scores_match_bm25s_on_any_corpus(corpus: list[list[str]], query: list[str]) -> None:
    """Empty documents, an empty corpus, repeated and unknown query tokens: bm25s's scores."""
    ours = scores(build(corpus), query, len(corpus))
    assert ours.tobytes() == _theirs(corpus, query).tobytes()


def test_the_cache_gives_back_what_was_built(tmp_path: Path, monkeypatch: Any) -> None:
    """A second index of the same corpus comes from the folder, with the same scores, and
    builds nothing."""
    corpus, queries = _sample()
    first = Bm25Cache(tmp_path / "bm25").index(corpus)
    monkeypatch.setattr(bm25, "build", _no_build)
    again = Bm25Cache(tmp_path / "bm25").index(corpus)
    assert dict(again.vocab) == dict(first.vocab)
    for query in queries[:10]:
        assert (
            scores(again, query, len(corpus)).tobytes()
            == scores(first, query, len(corpus)).tobytes()
        )


def _no_build(corpus: object) -> Bm25:
    raise AssertionError("built again")


def test_keys_follow_every_token() -> None:
    """A changed, added or moved token gives another key; the same tokens the same key."""
    base = [["a", "b"], ["c"]]
    assert corpus_key(base) == corpus_key([["a", "b"], ["c"]])
    for other in ([["a", "b"], ["d"]], [["a"], ["b", "c"]], [["c"], ["a", "b"]], [["a", "b"]]):
        assert corpus_key(other) != corpus_key(base)


def _npy() -> bytes:
    """A well-formed .npy file: an array, not an index."""
    buffer = io.BytesIO()
    np.save(buffer, np.arange(3))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "damage",
    [b"", b"PK\x03\x04 not a zip", b"\x93NUMPY garbage", _npy()],
    ids=["empty", "bad-zip", "bad-array", "lone-array"],
)
def test_a_damaged_file_is_built_again(tmp_path: Path, damage: bytes) -> None:
    """A damaged cache file is neither trusted nor fatal: the index is built and replaced."""
    corpus = [["a", "b"], ["b", "c"]]
    folder = tmp_path / "bm25"
    folder.mkdir()
    path = folder / f"{corpus_key(corpus)}.npz"
    path.write_bytes(damage)
    cache = Bm25Cache(folder)
    index = cache.index(corpus)
    assert scores(index, ["b"], 2).tobytes() == _theirs(corpus, ["b"]).tobytes()
    assert cache.problem is None
    assert path.stat().st_size > len(damage)  # replaced by the built index


def test_an_unwritable_folder_is_reported_once(tmp_path: Path) -> None:
    """A cache folder that cannot be made gives one problem and the index all the same."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = Bm25Cache(blocker / "bm25")
    for _ in range(2):
        index = cache.index([["a"], ["b"]])
        assert scores(index, ["a"], 2)[0] > 0
    assert cache.warnings == [cache.problem]
    assert cache.problem is not None and str(blocker / "bm25") in cache.problem


def test_only_the_newest_are_kept(tmp_path: Path) -> None:
    """Past ``keep`` indexes, the least recently used are removed."""
    cache = Bm25Cache(tmp_path, keep=2)
    cache.index([["first"]])
    os.utime(tmp_path / f"{corpus_key([['first']])}.npz", ns=(1, 1))
    cache.index([["second"]])
    cache.index([["third"]])
    names = {p.name for p in tmp_path.glob("*.npz")}
    assert names == {f"{corpus_key([[w]])}.npz" for w in ("second", "third")}


@pytest.mark.parametrize(
    "stranger",
    ["mine.npz", "ABCDEF.npz", "link"],
    ids=["user-named-file", "other-pattern", "symlink-with-our-name"],
)
def test_pruning_removes_only_its_own_files(tmp_path: Path, stranger: str) -> None:
    """A file the cache did not name, or a link under its name, survives pruning."""
    cache = Bm25Cache(tmp_path, keep=1)
    if stranger == "link":
        target = tmp_path / "user-data.npz"
        target.write_bytes(b"user data")
        placed = tmp_path / f"{'0' * 64}.npz"
        placed.symlink_to(target)
        os.utime(placed, ns=(1, 1), follow_symlinks=False)
    else:
        placed = tmp_path / stranger
        placed.write_bytes(b"user data")
        os.utime(placed, ns=(1, 1))
    cache.index([["first"]])
    cache.index([["second"]])
    assert placed.is_symlink() or placed.read_bytes() == b"user data"
    assert {p.name for p in tmp_path.glob("*.npz")} >= {
        placed.name,
        f"{corpus_key([['second']])}.npz",
    }
