"""The learned stance verifier (model tests are skipped when the shipped model is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mesorefs.claims import check_claims
from mesorefs.claims.evidence import Passage
from mesorefs.claims.learned import (
    LABELS,
    MODEL_DIR,
    LearnedVerifier,
    evidence_text,
    learned_model_available,
    load_learned_verifier,
    softmax,
)
from mesorefs.claims.retrieve import ScoredPassage
from mesorefs.claims.verify import Verifier

needs_model = pytest.mark.skipif(
    not learned_model_available(), reason="learned verifier model or onnxruntime not installed"
)


def _passage(text: str, field: str = "abstract", start: int = 0, index: int = 0) -> Passage:
    return Passage("ref1", field, text, start, start + len(text), index)  # type: ignore[arg-type]


def _fake_model_dir(tmp_path: Path, **thresholds: float) -> Path:
    meta = {"name": "test-verifier/0", "temperature": 1.0, "thresholds": thresholds}
    (tmp_path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return tmp_path


def test_missing_model_gives_none(tmp_path: Path) -> None:
    assert not learned_model_available(tmp_path)
    assert load_learned_verifier(tmp_path) is None


def test_evidence_text_reads_in_document_order() -> None:
    passages = [
        _passage("Second  sentence.", start=40, index=1),
        _passage("A title", field="title"),
        _passage("First sentence.", start=0, index=0),
    ]
    assert evidence_text(passages) == "A title First sentence. Second sentence."


def test_softmax_temperature_and_bias() -> None:
    logits = np.asarray([[2.0, 0.0, -1.0]], dtype=np.float32)
    sharp, flat = softmax(logits, 1.0), softmax(logits, 4.0)
    np.testing.assert_allclose(sharp.sum(axis=1), 1.0, atol=1e-6)
    assert sharp[0, 0] > flat[0, 0] > 1 / 3
    shifted = softmax(logits, 1.0, [0.0, 3.0, 0.0])
    assert shifted[0, 1] > shifted[0, 0]


def test_thresholds_make_contradiction_rare(tmp_path: Path) -> None:
    verifier = LearnedVerifier(
        _fake_model_dir(tmp_path, contradicts=0.8, supports=0.5, relevance=0.5)
    )
    assert not verifier.loaded  # construction never loads the model
    assert verifier.name.startswith("test-verifier/0")
    sure = verifier.judge(np.asarray([0.05, 0.9, 0.05], dtype=np.float32))
    assert (sure.stance, sure.confidence) == ("contradicts", 0.9)
    # Leaning towards contradiction but below the threshold: neutral yet relevant,
    # which the checker reports as "needs review".
    unsure = verifier.judge(np.asarray([0.2, 0.7, 0.1], dtype=np.float32))
    assert unsure.stance == "neutral"
    assert unsure.relevance >= verifier.relevance
    support = verifier.judge(np.asarray([0.6, 0.1, 0.3], dtype=np.float32))
    assert support.stance == "supports"
    off_topic = verifier.judge(np.asarray([0.1, 0.05, 0.85], dtype=np.float32))
    assert off_topic.stance == "neutral"
    assert off_topic.relevance < verifier.relevance
    overridden = LearnedVerifier(tmp_path, contradict=0.95)
    assert overridden.judge(np.asarray([0.05, 0.9, 0.05], dtype=np.float32)).stance == "neutral"


def test_no_passages_needs_no_model(tmp_path: Path) -> None:
    verifier = LearnedVerifier(_fake_model_dir(tmp_path))
    assert verifier.verify("A claim.", [], {}) == []
    assert verifier.probabilities("A claim.", []).shape == (0, 3)
    assert not verifier.loaded


@needs_model
def test_shipped_model_is_lazy_and_described() -> None:
    verifier = load_learned_verifier()
    assert verifier is not None
    assert not verifier.loaded
    assert verifier.model_path.parent == MODEL_DIR
    assert tuple(verifier.labels) == LABELS
    assert 0.0 < verifier.support <= verifier.contradict < 1.0
    engine: Verifier = verifier  # satisfies the protocol check_claims takes
    assert engine.name.startswith("minilm-nli-scifact/")


@needs_model
def test_shipped_model_tells_stance() -> None:
    verifier = load_learned_verifier()
    assert verifier is not None
    claim = "Vitamin D supplementation reduces the risk of fractures in older adults."
    support = "Vitamin D supplementation reduced the risk of fractures in older adults."
    contra = (
        "Vitamin D supplementation did not reduce the risk of fractures in older adults; "
        "fracture rates were higher in the vitamin D group."
    )
    off_topic = "The telescope was mounted on a ship to observe the solar eclipse."
    probs = verifier.probabilities(claim, [support, contra, off_topic])
    assert probs.shape == (3, 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    # What the shipped model gets right: the refutation is more contradictory than the
    # paraphrase, and the unrelated passage more neutral than either.
    assert probs[1, 1] > probs[0, 1]
    assert probs[2, 2] > max(probs[0, 2], probs[1, 2])
    scored = [ScoredPassage(_passage(support), 1.0, 1.0, None)]
    judgements = verifier.verify(claim, scored, {})
    assert len(judgements) == 1
    assert judgements[0].cues and judgements[0].cues[0].startswith("model:")


@needs_model
def test_check_claims_accepts_the_learned_engine(seed_refs: list[object]) -> None:
    verifier = load_learned_verifier()
    assert verifier is not None
    text = (
        "Mesotherapy is a type of therapy where the patient's own blood is used to treat "
        "their scalp condition. Mesotherapy injections are used for body contouring."
    )
    report = check_claims(text, seed_refs, verifier=verifier)  # type: ignore[arg-type]
    assert report.engine == verifier.name
    assert report.claims
    verdicts = {c.verdict for c in report.claims}
    assert verdicts <= {
        "supported",
        "partly supported",
        "contradicted",
        "needs review",
        "unsupported",
        "not checked",
    }
