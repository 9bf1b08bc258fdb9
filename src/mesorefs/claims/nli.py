"""Stance from a local NLI cross-encoder (``nli:<model>``): a folder or a model id.

Any sequence-classification model transformers can load (a plain NLI checkpoint, a
sentence-transformers CrossEncoder folder, MiniCheck) judges (claim, passage) pairs.  The
label of each output comes from the model's ``id2label`` (:func:`stances_of`): entailment
supports, contradiction contradicts, neutral (and a two-label model's "unsupported") is
neutral.  Pairs go through in batches; a passage longer than the model reads is judged in
overlapping windows of words and its strongest window kept.  torch and transformers (the
``mesorefs[nli]`` extra) are imported only when this backend is chosen; it runs on the GPU
when torch sees one.  A folder holding an exported ``model.onnx`` (with ``tokenizer.json``
and ``config.json``) runs through onnxruntime instead, with no extra to install.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mesorefs.claims.retrieve import RankedReference, ScoredPassage
from mesorefs.claims.verify import Judgement, Stance
from mesorefs.errors import VerifierError

__all__ = [
    "NliVerifier",
    "judgement_from",
    "load_nli_verifier",
    "stance_of_label",
    "stances_of",
    "windows",
]

_SUPPORTS = {"entailment", "entails", "entailed", "entail", "support", "supports", "supported"}
_CONTRADICTS = {"contradiction", "contradicts", "contradict", "contradicted", "refutes", "refuted"}
_NEUTRAL = {
    "neutral",
    "notentailment",
    "nonentailment",
    "unsupported",
    "notsupported",
    "notenoughinfo",
    "nei",
}
INSTALL = "pip install 'mesorefs[nli]'"


def stance_of_label(label: str) -> Stance | None:
    """The stance a model's label names (``ENTAILMENT``, ``not_entailment``, ...), or None."""
    key = re.sub(r"[^a-z]", "", label.lower())
    if key in _SUPPORTS:
        return "supports"
    if key in _CONTRADICTS:
        return "contradicts"
    if key in _NEUTRAL:
        return "neutral"
    return None


def stances_of(id2label: Mapping[Any, str]) -> list[Stance]:
    """The stance of each output of a model, from its config's ``id2label``.

    VerifierError when a label is not one we know or no output means "supports".
    """
    ordered = sorted(((int(i), str(label)) for i, label in id2label.items()), key=lambda x: x[0])
    stances: list[Stance] = []
    for _, label in ordered:
        stance = stance_of_label(label)
        if stance is None:
            known = ", ".join(label for _, label in ordered)
            raise VerifierError(
                f"cannot read the model's labels ({known}): expected entailment / neutral /"
                " contradiction or supported / unsupported in id2label (its config.json)"
            )
        stances.append(stance)
    if "supports" not in stances:
        raise VerifierError("no output of the model means entailment or supported")
    return stances


def windows(text: str, size: int = 200, stride: int = 150) -> list[str]:
    """``text`` in overlapping windows of ``size`` words, ``stride`` apart (itself if short)."""
    words = text.split()
    if len(words) <= size:
        return [text]
    starts = range(0, max(len(words) - size, 0) + stride, stride)
    return [" ".join(words[s : s + size]) for s in starts if s < len(words)]


def judgement_from(probabilities: Sequence[float], stances: Sequence[Stance]) -> Judgement:
    """The judgement of one pair from the model's class probabilities.

    The most probable stance wins; ``relevance`` is how much the model leans away from
    neutral (the probability of supports and contradicts together).
    """
    total: dict[Stance, float] = {"supports": 0.0, "contradicts": 0.0, "neutral": 0.0}
    for p, stance in zip(probabilities, stances, strict=True):
        total[stance] += float(p)
    stance = max(total, key=lambda s: (total[s], s == "neutral"))
    relevance = round(total["supports"] + total["contradicts"], 3)
    return Judgement(stance, round(total[stance], 3), relevance, ("nli",))


class _TorchScorer:
    """Class probabilities from a transformers model, in batches (GPU when torch sees one)."""

    def __init__(self, tokenizer: Any, model: Any, torch: Any, device: str, batch_size: int):
        self._tokenizer, self._model, self._torch = tokenizer, model, torch
        self.device, self.batch_size = device, batch_size
        limit = getattr(tokenizer, "model_max_length", 512)
        self.max_length = int(limit) if isinstance(limit, int) and 16 <= limit <= 4096 else 512

    def __call__(self, pairs: Sequence[tuple[str, str]]) -> list[list[float]]:
        torch = self._torch
        out: list[list[float]] = []
        for start in range(0, len(pairs), self.batch_size):
            batch = pairs[start : start + self.batch_size]
            encoded = self._tokenizer(
                [claim for claim, _ in batch],
                [passage for _, passage in batch],
                truncation=True,
                max_length=self.max_length,
                padding=True,
                return_tensors="pt",
            )
            encoded = {k: v.to(self.device) for k, v in encoded.items()}
            with torch.no_grad():
                logits = self._model(**encoded).logits
            out += torch.softmax(logits.float(), dim=-1).cpu().tolist()
        return out


class _OnnxScorer:
    """Class probabilities from an exported model (``model.onnx`` with ``tokenizer.json``)
    through onnxruntime and tokenizers, which the base install already has."""

    device = "cpu"

    def __init__(self, tokenizer: Any, session: Any, max_length: int, batch_size: int):
        self._tokenizer, self._session = tokenizer, session
        self.max_length, self.batch_size = max_length, batch_size
        self._inputs = {i.name for i in session.get_inputs()}

    def __call__(self, pairs: Sequence[tuple[str, str]]) -> list[list[float]]:
        import numpy as np

        out: list[list[float]] = []
        for start in range(0, len(pairs), self.batch_size):
            batch = pairs[start : start + self.batch_size]
            encodings = self._tokenizer.encode_batch(list(batch))
            width = max(len(e.ids) for e in encodings)
            feed = {
                "input_ids": [e.ids + [0] * (width - len(e.ids)) for e in encodings],
                "attention_mask": [
                    e.attention_mask + [0] * (width - len(e.ids)) for e in encodings
                ],
                "token_type_ids": [e.type_ids + [0] * (width - len(e.ids)) for e in encodings],
            }
            arrays = {k: np.array(v, dtype=np.int64) for k, v in feed.items() if k in self._inputs}
            logits = np.asarray(self._session.run(None, arrays)[0], dtype=np.float64)
            shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
            out += (shifted / shifted.sum(axis=1, keepdims=True)).tolist()
        return out


class NliVerifier:
    """A sequence-classification NLI model judging each (claim, passage) pair."""

    relevance = 0.5

    def __init__(
        self,
        model_name: str,
        scorer: Any,
        stances: Sequence[Stance],
        runtime: str = "transformers",
    ) -> None:
        self.model_name = model_name
        self.backend = f"nli:{model_name}"
        self.stances = list(stances)
        self.device = scorer.device
        self.runtime = runtime
        self.warnings: list[str] = []
        self.probabilities = scorer
        self.max_length = scorer.max_length
        # Words per window: a word is often two or three tokens, and the claim shares the room.
        self.window = max(16, self.max_length // 3)

    @property
    def name(self) -> str:
        labels = "/".join(self.stances)
        return (
            f"{self.backend} (NLI cross-encoder, {self.runtime}, outputs {labels}, {self.device})"
        )

    def verify_ranked(
        self,
        claim: str,
        ranked: Sequence[RankedReference],
        chosen: Sequence[RankedReference],
        idf: Mapping[str, float],
    ) -> list[list[Judgement]]:
        """The passages of every chosen reference in one run of batches (a GPU stays busy)."""
        flat = [scored for ref in chosen for scored in ref.passages]
        judged = self.verify(claim, flat, idf)
        out: list[list[Judgement]] = []
        for ref in chosen:
            out.append(judged[: len(ref.passages)])
            judged = judged[len(ref.passages) :]
        return out

    def verify(
        self,
        claim: str,
        passages: Sequence[ScoredPassage],
        idf: Mapping[str, float],
    ) -> list[Judgement]:
        pairs: list[tuple[str, str]] = []
        owners: list[int] = []
        for i, scored in enumerate(passages):
            for window in windows(scored.passage.text, self.window, self.window * 3 // 4):
                pairs.append((claim, window))
                owners.append(i)
        try:
            probabilities = self.probabilities(pairs)
        except Exception as error:  # a runtime failure (memory, a broken weight) is one warning
            first = (str(error).strip().splitlines() or [""])[0][:200]
            reason = f"the model failed ({type(error).__name__}: {first})"
            self.warnings.append(f"{self.backend}: {reason}")
            return [
                Judgement("neutral", 0.0, 0.0, ("verifier failed",), failed=reason)
                for _ in passages
            ]
        best: list[Judgement | None] = [None] * len(passages)
        for owner, row in zip(owners, probabilities, strict=True):
            judged = judgement_from(row, self.stances)
            old = best[owner]
            if old is None or _strength(judged) > _strength(old):
                best[owner] = judged
        return [j if j is not None else Judgement("neutral", 1.0, 0.0) for j in best]


def _strength(judgement: Judgement) -> tuple[bool, float]:
    """A window that takes a side beats one that does not; then the more confident."""
    stance_taken = judgement.stance != "neutral"
    return stance_taken, judgement.confidence if stance_taken else judgement.relevance


def _is_path(model: str) -> bool:
    return model.startswith(("/", ".", "~")) or "\\" in model or Path(model).exists()


def load_nli_verifier(model: str, batch_size: int = 16) -> NliVerifier:
    """The NLI verifier of a local folder or model id; VerifierError when it cannot load.

    A folder with ``model.onnx`` runs through onnxruntime (no extra needed); any other
    goes to transformers (the ``mesorefs[nli]`` extra).
    """
    where = f"nli:{model}"
    if _is_path(model) and not Path(model).expanduser().is_dir():
        raise VerifierError(f"{where}: no such model folder")
    if _is_path(model) and (Path(model).expanduser() / "model.onnx").is_file():
        return _load_onnx(model, Path(model).expanduser(), batch_size)
    try:
        torch = importlib.import_module("torch")
        transformers = importlib.import_module("transformers")
    except ImportError as error:
        raise VerifierError(f"{where}: needs {error.name or 'torch'}: {INSTALL}") from None
    source = str(Path(model).expanduser()) if _is_path(model) else model
    quiet = getattr(getattr(transformers, "utils", None), "logging", None)
    if quiet is not None and hasattr(quiet, "disable_progress_bar"):
        quiet.disable_progress_bar()  # the report is the output, not loading bars
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(source)
        network = transformers.AutoModelForSequenceClassification.from_pretrained(source)
    except Exception as error:  # transformers raises OSError, ValueError, KeyError, ...
        first = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
        raise VerifierError(f"{where}: cannot load the model: {first}") from None
    try:
        stances = stances_of(network.config.id2label)
    except VerifierError as error:
        raise VerifierError(f"{where}: {error}") from None
    device = "cuda" if torch.cuda.is_available() else "cpu"
    network.to(device)
    network.eval()
    scorer = _TorchScorer(tokenizer, network, torch, device, batch_size)
    return NliVerifier(model, scorer, stances)


def _load_onnx(model: str, folder: Path, batch_size: int) -> NliVerifier:
    """An exported model: ``model.onnx``, ``tokenizer.json`` and ``config.json`` (labels)."""
    where = f"nli:{model}"
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        stances = stances_of(config.get("id2label") or {})
    except (OSError, ValueError, AttributeError) as error:
        raise VerifierError(f"{where}: config.json with id2label needed ({error})") from None
    except VerifierError as error:
        raise VerifierError(f"{where}: {error}") from None
    try:
        onnxruntime: Any = importlib.import_module("onnxruntime")
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        session = onnxruntime.InferenceSession(
            str(folder / "model.onnx"), providers=["CPUExecutionProvider"]
        )
    except Exception as error:  # onnxruntime and tokenizers raise their own kinds
        first = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
        raise VerifierError(f"{where}: cannot load the ONNX model: {first}") from None
    limit = config.get("max_position_embeddings", 512)
    max_length = int(limit) if isinstance(limit, int) and 16 <= limit <= 4096 else 512
    tokenizer.enable_truncation(max_length)
    scorer = _OnnxScorer(tokenizer, session, max_length, batch_size)
    return NliVerifier(model, scorer, stances, runtime="onnxruntime")
