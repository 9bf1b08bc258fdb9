"""The shipped int8 all-MiniLM-L6-v2 encoder (skipped when the model or onnxruntime is absent)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mesorefs.claims.encoder import (
    DIMENSION,
    MODEL_DIR,
    OnnxEncoder,
    load_default_encoder,
    model_available,
)
from mesorefs.claims.evidence import Passage
from mesorefs.claims.retrieve import build_index, default_encoder, rank

needs_model = pytest.mark.skipif(
    not model_available(), reason="int8 MiniLM model or onnxruntime/tokenizers not installed"
)


@pytest.fixture
def encoder(dense_encoder: OnnxEncoder) -> OnnxEncoder:
    """The session's encoder (conftest.py): the model loads once for all tests."""
    return dense_encoder


def _sibling(loaded: OnnxEncoder, *, batch_size: int = 1, cache_size: int = 100_000) -> OnnxEncoder:
    """Another encoder with its own options and cache, sharing the loaded model session."""
    loaded.encode(["warm up"])
    other = OnnxEncoder(threads=1, batch_size=batch_size, cache_size=cache_size)
    other._session, other._tokenizer, other._inputs = (
        loaded._session,
        loaded._tokenizer,
        loaded._inputs,
    )
    return other


def test_missing_model_means_no_default(tmp_path: Path) -> None:
    assert not model_available(tmp_path)
    assert OnnxEncoder(tmp_path).loaded is False  # construction never touches the files


def test_empty_input_needs_no_model(tmp_path: Path) -> None:
    out = OnnxEncoder(tmp_path).encode([])
    assert out.shape == (0, DIMENSION)
    assert out.dtype == np.float32


@needs_model
def test_default_encoder_is_lazy() -> None:
    default = load_default_encoder()
    assert default is not None
    assert default.model_path.parent == MODEL_DIR
    assert not default.loaded


@needs_model
def test_shape_order_and_normalisation(encoder: OnnxEncoder) -> None:
    texts = ["Mesotherapy uses injections.", "A much longer sentence " * 80, "Short."]
    out = encoder.encode(texts)
    assert out.shape == (3, DIMENSION)
    assert out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    # Caching and order do not change a text's vector (one text per model call).
    again = _sibling(encoder, cache_size=0).encode(list(reversed(texts)))
    np.testing.assert_allclose(again[::-1], out, atol=1e-5)
    batched = _sibling(encoder, batch_size=3, cache_size=0).encode(texts)
    assert float(np.min(np.sum(batched * out, axis=1))) > 0.95
    np.testing.assert_allclose(encoder.encode([texts[1], texts[1]]), out[[1, 1]], atol=1e-6)


@needs_model
def test_paraphrase_ranks_above_unrelated(encoder: OnnxEncoder) -> None:
    claim, paraphrase, unrelated = encoder.encode(
        [
            "Mesotherapy involves the use of injections.",
            "Describes mesotherapy as a course of injections placed into the fatty layer "
            "under the skin.",
            "The stock market closed higher on Friday after strong earnings reports.",
        ]
    )
    assert float(claim @ paraphrase) > float(claim @ unrelated) + 0.3
    assert float(claim @ paraphrase) > 0.5


@needs_model
def test_cache_is_bounded(encoder: OnnxEncoder) -> None:
    small = _sibling(encoder, cache_size=2)
    small.encode(["one", "two", "three"])
    assert len(small._cache) == 2


@needs_model
def test_dense_ranking_finds_a_paraphrase_without_shared_words(encoder: OnnxEncoder) -> None:
    texts = {
        "stocks": "Markets rallied after the earnings season.",
        "pasta": "Hair in the kitchen sink: treated water for cooking.",
        "meso": "Injections into the scalp were used against alopecia.",
    }
    passages = [Passage(k, "annote", v, 0, len(v), 0) for k, v in texts.items()]
    claim = "Baldness can be managed with needle shots in the head."
    lexical = build_index(passages)
    dense = build_index(passages, encoder=encoder)
    assert lexical.ranking == "bm25"
    assert dense.ranking == "bm25+all-MiniLM-L6-v2"
    ranked = rank(dense, claim)
    assert ranked[0].key == "meso"
    assert ranked[0].passages[0].dense is not None


@needs_model
def test_default_encoder_prefers_onnx() -> None:
    assert isinstance(default_encoder(), OnnxEncoder)
