"""Embeddings kept on disk: a rerun embeds only what changed, and a bad store never stops
a check (issue 32)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mesorefs.claims import check_claims
from mesorefs.claims.encoder import DIMENSION, OnnxEncoder, load_default_encoder, model_available
from mesorefs.claims.vector_store import VectorStore, text_key
from mesorefs.models import Reference

needs_model = pytest.mark.skipif(not model_available(), reason="int8 MiniLM not installed")


def test_store_round_trip(tmp_path: Path) -> None:
    """Vectors put in come back bit for bit; keys never put are absent."""
    store = VectorStore(tmp_path / "v.sqlite", 4)
    vectors = {b"a": np.arange(4, dtype=np.float32), b"b": np.ones(4, dtype=np.float32)}
    store.put(vectors)
    again = VectorStore(tmp_path / "v.sqlite", 4)
    found = again.get([b"a", b"b", b"c"])
    assert set(found) == {b"a", b"b"}
    assert np.array_equal(found[b"a"], vectors[b"a"])
    assert again.problem is None


def test_reading_creates_nothing(tmp_path: Path) -> None:
    """A lookup in a store that was never written makes no file."""
    store = VectorStore(tmp_path / "sub" / "v.sqlite", 4)
    assert store.get([b"a"]) == {}
    assert not (tmp_path / "sub").exists()


def test_keys_depend_on_encoder_and_text() -> None:
    """The same text under another encoder, or another text, has another key."""
    assert text_key(b"m1", "x") != text_key(b"m2", "x")
    assert text_key(b"m1", "x") != text_key(b"m1", "y")
    assert text_key(b"m1", "x") == text_key(b"m1", "x")


@pytest.mark.parametrize("damage", ["garbage", "folder"], ids=["not-sqlite", "a-folder"])
def test_a_damaged_store_is_reported_and_skipped(tmp_path: Path, damage: str) -> None:
    """A store that is not a database (or is a folder) gives one problem, no exception."""
    path = tmp_path / "v.sqlite"
    if damage == "garbage":
        path.write_bytes(b"not a database at all" * 100)
    else:
        path.mkdir()
    store = VectorStore(path, 4)
    store.put({b"a": np.zeros(4, dtype=np.float32)})
    assert store.get([b"a"]) == {}
    assert store.problem is not None and str(path) in store.problem
    if damage == "garbage":
        assert path.read_bytes().startswith(b"not a database")  # left as it was


@needs_model
def test_a_rerun_embeds_nothing_it_has_seen(tmp_path: Path) -> None:
    """A second encoder with the same store answers from disk without loading the model,
    with the same vectors; a changed text loads the model again."""
    texts = ["Mesotherapy injects small doses into the skin.", "Needles stay under 4 mm."]
    first = load_default_encoder(cache_dir=tmp_path)
    assert isinstance(first, OnnxEncoder)
    vectors = first.encode(texts)
    second = load_default_encoder(cache_dir=tmp_path)
    assert isinstance(second, OnnxEncoder)
    assert np.array_equal(second.encode(texts), vectors)
    assert not second.loaded
    assert second.encode(["A sentence never seen."]).shape == (1, DIMENSION)
    assert second.loaded


@needs_model
def test_check_reports_a_store_it_could_not_use(tmp_path: Path) -> None:
    """check_claims still ranks densely and says which cache it could not use."""
    (tmp_path / "embeddings.sqlite").write_bytes(b"garbage" * 500)
    encoder = load_default_encoder(cache_dir=tmp_path)
    refs = [Reference(key="a", title="Mesotherapy for cellulite", annote="It did not work.")]
    report = check_claims("Mesotherapy cures cellulite.", refs, encoder=encoder)
    assert report.ranking.startswith("bm25+")
    assert any("embedding cache" in w for w in report.warnings)
