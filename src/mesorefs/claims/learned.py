"""A trained stance verifier: a small cross-encoder run by onnxruntime, without torch.

The model in ``data/verifier`` is all-MiniLM-L6-v2 (Apache-2.0) fine-tuned as a
3-way cross-encoder (supports / contradicts / neutral) by
``training/train_verifier.py``: first on licensed NLI and fact-verification pairs,
then on SciFact train; calibrated (a temperature and a per-label bias) on held-out
SciFact *train* claims and exported to int8 ONNX.  ``meta.json`` beside it records
the labels, the calibration, the decision thresholds, the input length and the
training data with its licences.

One forward pass judges a claim against one reference: its best passages (those
:func:`mesorefs.claims.retrieve.rank` chose) are put back in document order and read
together, so a rationale that spans two sentences is seen whole.  ``contradicts`` is
only said at or above a high, calibrated threshold, chosen on held-out training
claims to make it rare but right; a passage the model leans on but not that strongly
is ``neutral`` with a high ``relevance``, which :func:`mesorefs.claims.check.decide`
reports as ``needs review``.

:func:`load_learned_verifier` returns None when the model files, ``onnxruntime`` or
``tokenizers`` are missing; callers then fall back to
:class:`mesorefs.claims.verify.BaselineVerifier` and say so.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mesorefs.claims.encoder import open_onnx
from mesorefs.claims.evidence import Passage
from mesorefs.claims.retrieve import ScoredPassage
from mesorefs.claims.verify import Judgement, Stance, judge_probabilities

__all__ = [
    "LABELS",
    "MODEL_DIR",
    "LearnedVerifier",
    "evidence_text",
    "learned_model_available",
    "load_learned_verifier",
]

MODEL_DIR = Path(__file__).resolve().parent / "data" / "verifier"
MODEL_FILE = "model_int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "meta.json"
LABELS: tuple[Stance, Stance, Stance] = ("supports", "contradicts", "neutral")
_FIELD_ORDER = {"title": 0, "abstract": 1}


def evidence_text(passages: Sequence[Passage]) -> str:
    """The passages of one reference in reading order (title, abstract, ...), joined by spaces.

    Training builds its inputs with this same function, so what the model reads at run
    time is what it was trained on.
    """
    ordered = sorted(passages, key=lambda p: (_FIELD_ORDER.get(p.field, 2), p.start, p.index))
    return " ".join(" ".join(p.text.split()) for p in ordered)


def softmax(
    logits: NDArray[np.float32],
    temperature: float = 1.0,
    bias: Sequence[float] | NDArray[np.float32] | None = None,
) -> NDArray[np.float32]:
    """Row-wise softmax of ``logits / temperature + bias`` (the calibration in ``meta.json``)."""
    z = np.asarray(logits, dtype=np.float64) / max(temperature, 1e-6)
    if bias is not None:
        z = z + np.asarray(bias, dtype=np.float64)
    z -= z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    out: NDArray[np.float32] = (e / e.sum(axis=-1, keepdims=True)).astype(np.float32)
    return out


class LearnedVerifier:
    """Cross-encoder stance verifier; implements :class:`mesorefs.claims.verify.Verifier`.

    ``contradict`` and ``support`` are the least calibrated probabilities at which a
    reference contradicts or supports a claim (defaults from ``meta.json``);
    ``relevance`` is the least probability of "not neutral" at which a reference
    bears on a claim (below any stance threshold the verdict is then ``needs review``).
    The model loads on the first :meth:`verify` or :meth:`probabilities`.
    """

    def __init__(
        self,
        model_dir: str | Path = MODEL_DIR,
        *,
        contradict: float | None = None,
        support: float | None = None,
        relevance: float | None = None,
        threads: int | None = None,
    ) -> None:
        folder = Path(model_dir)
        self.model_path = folder / MODEL_FILE
        self.tokenizer_path = folder / TOKENIZER_FILE
        self.meta: dict[str, Any] = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        thresholds = self.meta.get("thresholds", {})
        self.contradict = float(
            contradict if contradict is not None else thresholds.get("contradicts", 0.9)
        )
        self.support = float(support if support is not None else thresholds.get("supports", 0.5))
        self.relevance = float(
            relevance if relevance is not None else thresholds.get("relevance", 0.5)
        )
        self.temperature = float(self.meta.get("temperature", 1.0))
        self.bias = np.asarray(self.meta.get("bias", [0.0, 0.0, 0.0]), dtype=np.float32)
        self.max_length = int(self.meta.get("max_length", 160))
        self.labels: tuple[str, ...] = tuple(self.meta.get("labels", LABELS))
        self.threads = threads or min(2, os.cpu_count() or 1)
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: tuple[str, ...] = ()
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        base = str(self.meta.get("name", "minilm-nli-scifact/1"))
        return f"{base} (contradicts>={self.contradict:g}, supports>={self.support:g})"

    @property
    def loaded(self) -> bool:
        return self._session is not None

    def load(self) -> None:
        """Import onnxruntime and tokenizers and load the model (once; thread-safe)."""
        with self._lock:
            if self._session is not None:
                return
            ort: Any = importlib.import_module("onnxruntime")
            tokenizers: Any = importlib.import_module("tokenizers")
            tokenizer = tokenizers.Tokenizer.from_file(str(self.tokenizer_path))
            tokenizer.enable_truncation(max_length=self.max_length)
            tokenizer.no_padding()
            session, self._inputs = open_onnx(ort, self.model_path, self.threads)
            self._tokenizer = tokenizer
            self._session = session

    def logits(self, claim: str, evidence: str) -> NDArray[np.float32]:
        """Raw logits (supports, contradicts, neutral) for one (claim, evidence) pair."""
        self.load()
        enc = self._tokenizer.encode(claim, evidence)
        ids = np.asarray([enc.ids], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.asarray([enc.type_ids], dtype=np.int64)
        out: NDArray[np.float32] = np.asarray(self._session.run(None, feed)[0], np.float32)[0]
        return out

    def probabilities(self, claim: str, evidence: Sequence[str]) -> NDArray[np.float32]:
        """Calibrated probabilities, one row (supports, contradicts, neutral) per text.

        Each pair runs alone: the int8 model quantizes activations per call, so a
        pair's probabilities never depend on its neighbours.
        """
        if not evidence:
            return np.zeros((0, 3), dtype=np.float32)
        rows = np.stack([self.logits(claim, text) for text in evidence])
        return softmax(rows, self.temperature, self.bias)

    def judge(self, probs: NDArray[np.float32]) -> Judgement:
        """The judgement for one row of calibrated probabilities."""
        p = {label: float(v) for label, v in zip(self.labels, probs, strict=True)}
        p_s, p_c, p_n = p["supports"], p["contradicts"], p["neutral"]
        return judge_probabilities(p_s, p_c, p_n, self.support, self.contradict)

    def verify(
        self,
        claim: str,
        passages: Sequence[ScoredPassage],
        idf: Mapping[str, float],
    ) -> list[Judgement]:
        """One judgement of the passages read together, repeated for each passage.

        ``passages`` are one reference's best passages, best first; the equal
        judgements make the caller show the best-ranked passage as the evidence.
        """
        if not passages:
            return []
        text = evidence_text([p.passage for p in passages])
        judgement = self.judge(self.probabilities(claim, [text])[0])
        return [judgement] * len(passages)


def learned_model_available(model_dir: str | Path = MODEL_DIR) -> bool:
    """Whether the verifier's files and the packages that run them are installed."""
    folder = Path(model_dir)
    if not all((folder / f).is_file() for f in (MODEL_FILE, TOKENIZER_FILE, META_FILE)):
        return False
    return all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "tokenizers"))


def load_learned_verifier(model_dir: str | Path = MODEL_DIR) -> LearnedVerifier | None:
    """The shipped learned verifier, or None when it cannot run here (model loads lazily)."""
    if not learned_model_available(model_dir):
        return None
    try:
        return LearnedVerifier(model_dir)
    except (OSError, ValueError):
        return None
