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

needs_model = pytest.mark.skipif(
    not model_available(), reason="int8 MiniLM model or onnxruntime/tokenizers not installed"
)


@pytest.fixture(scope="module")
def encoder() -> OnnxEncoder:
    return OnnxEncoder(threads=1)


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
    again = OnnxEncoder(threads=1, cache_size=0).encode(list(reversed(texts)))
    np.testing.assert_allclose(again[::-1], out, atol=1e-5)
    batched = OnnxEncoder(threads=1, batch_size=3, cache_size=0).encode(texts)
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
def test_cache_is_bounded() -> None:
    small = OnnxEncoder(threads=1, cache_size=2)
    small.encode(["one", "two", "three"])
    assert len(small._cache) == 2
