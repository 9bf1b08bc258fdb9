"""A learned stance judgement: logistic regression over features of a (claim, sentence) pair.

Each passage the ranking returns for a reference (one sentence of a note, an
abstract or a full text, or a title) is described by a few numbers a reader would
look at: how much of the claim it covers (IDF weighted, all words and the words
specific to this library), the dense cosine of the shipped encoder, shared word
pairs, numbers the claim states that the sentence lacks, negation on one side
only, antonyms, negative-evidence and hedging phrases about the claim's words,
and a definition of the claim's subject that says something else.  A three-way
softmax (supports, contradicts, neutral) turns them into probabilities; its
weights live in ``data/stance.json`` and are rebuilt by ``training/train_stance.py``
on SciFact train only.  A reference takes the stance of its strongest sentence.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from mesorefs.claims.retrieve import ScoredPassage, content_tokens, tokenize
from mesorefs.claims.verify import (
    BaselineVerifier,
    Judgement,
    coverage,
    definition_differs,
    specific_tokens,
)

__all__ = [
    "FEATURES",
    "STANCE_FILE",
    "StanceModel",
    "pair_features",
]

STANCE_FILE = Path(__file__).resolve().parent / "data" / "stance.json"
LABELS = ("supports", "contradicts", "neutral")
FEATURES = (
    "dense",
    "coverage",
    "specific",
    "bigrams",
    "missing_numbers",
    "negative_evidence",
    "negation_mismatch",
    "antonym",
    "hedge",
    "claim_negated",
    "definition_differs",
    "dense_x_coverage",
    "is_title",
    "fused_rank",
    "bm25",
    "finding",
)

_HEDGE = re.compile(
    r"\b(?:may|might|could|possibly|potential(?:ly)?|suggests?|suggested|hypothes[ie]s|"
    r"unclear|remains? to be|controversial|debatable|claimed|theoretical|conjecture)\b",
    re.IGNORECASE,
)
# A sentence that reports a result rather than background ("we found", "was associated").
_FINDING = re.compile(
    r"\b(?:we (?:found|show|observed|demonstrate)|results? (?:show|suggest|indicate)|"
    r"(?:was|were) (?:associated|correlated|linked)|conclu(?:de|sion)|significant(?:ly)?|"
    r"compared with|odds ratio|hazard ratio)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _bigrams(text: str) -> set[tuple[str, str]]:
    tokens = content_tokens(text)
    return set(zip(tokens, tokens[1:], strict=False))


def _dense(scored: ScoredPassage) -> float:
    """The dense cosine rescaled to 0..1 (MiniLM cosines of related sentences run 0.2-0.8)."""
    if scored.dense is None:
        return 0.0
    return max(0.0, min(1.0, (scored.dense - 0.2) / 0.6))


_CUES = BaselineVerifier(scope=0.25)


def pair_features(
    claim: str,
    scored: ScoredPassage,
    idf: Mapping[str, float],
    specific: Mapping[str, float] | None = None,
) -> NDArray[np.float64]:
    """The numbers :data:`FEATURES` names for ``claim`` against one passage."""
    text = scored.passage.text
    mine = specific if specific is not None else specific_tokens(claim, idf)
    passage_tokens = set(content_tokens(text))
    total = sum(mine.values())
    specific_share = sum(w for t, w in mine.items() if t in passage_tokens) / total if total else 0
    lexical = coverage(claim, text, idf)
    claim_bigrams = _bigrams(claim)
    bigrams = len(claim_bigrams & _bigrams(text)) / len(claim_bigrams) if claim_bigrams else 0.0
    numbers = set(_NUMBER.findall(claim))
    missing = len(numbers - set(_NUMBER.findall(text))) / len(numbers) if numbers else 0.0
    cues = _CUES.contradiction_cues(claim, text, mine)
    negation = "negation mismatch" in cues
    antonym = "antonym" in cues
    negative = bool(set(cues) - {"negation mismatch", "antonym"})
    dense = _dense(scored)
    return np.asarray(
        [
            dense,
            lexical,
            specific_share,
            bigrams,
            missing,
            float(negative),
            float(negation),
            float(antonym),
            float(bool(_HEDGE.search(text))),
            float("not" in tokenize(claim)),
            float(definition_differs(claim, text, idf, 0.65)),
            dense * lexical,
            float(scored.passage.field == "title"),
            # The fused reciprocal ranks of the passage among all the library's passages:
            # how this sentence compares with the others, whatever the absolute scores.
            10.0 * scored.score,
            math.log1p(max(scored.lexical, 0.0)),
            float(bool(_FINDING.search(text))),
        ],
        dtype=np.float64,
    )


@dataclass(frozen=True)
class StanceModel:
    """Softmax regression over :func:`pair_features`; implements the ``Verifier`` protocol.

    ``support`` and ``contradict`` are the least probabilities at which a sentence
    supports or contradicts the claim; ``relevance`` the least probability of "not
    neutral" at which it bears on the claim.  All three were chosen on SciFact train
    (see ``data/stance.json``).
    """

    weights: tuple[tuple[float, ...], ...]
    """One row per label of ``LABELS``: a bias, then one weight per feature."""
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    support: float = 0.5
    contradict: float = 0.5
    relevance: float = 0.3
    version: str = "stance-lr/1"
    notes: dict[str, object] = field(default_factory=dict, compare=False)

    @classmethod
    def load(cls, path: str | Path = STANCE_FILE) -> StanceModel:
        """The model saved at ``path`` (the shipped one by default)."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path}: features {data['features']} are not {list(FEATURES)}")
        return cls(
            weights=tuple(tuple(float(v) for v in row) for row in data["weights"]),
            mean=tuple(float(v) for v in data["mean"]),
            scale=tuple(float(v) for v in data["scale"]),
            support=float(data["thresholds"]["supports"]),
            contradict=float(data["thresholds"]["contradicts"]),
            relevance=float(data["thresholds"]["relevance"]),
            version=str(data.get("version", "stance-lr/1")),
            notes=dict(data.get("notes", {})),
        )

    @property
    def name(self) -> str:
        return (
            f"{self.version} (supports>={self.support:g}, contradicts>={self.contradict:g},"
            f" relevance>={self.relevance:g})"
        )

    def probabilities(self, features: NDArray[np.float64]) -> NDArray[np.float64]:
        """Rows of (supports, contradicts, neutral) probabilities for rows of features."""
        x = (np.atleast_2d(features) - np.asarray(self.mean)) / np.asarray(self.scale)
        w = np.asarray(self.weights)
        z = x @ w[:, 1:].T + w[:, 0]
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        out: NDArray[np.float64] = e / e.sum(axis=1, keepdims=True)
        return out

    def judge(self, probs: NDArray[np.float64]) -> Judgement:
        """The judgement for one row of probabilities."""
        p_s, p_c, p_n = (float(v) for v in probs)
        relevance = round(1.0 - p_n, 3)
        cue = f"model: supports {p_s:.2f}, contradicts {p_c:.2f}, neutral {p_n:.2f}"
        if p_c >= self.contradict and p_c > p_s:
            return Judgement("contradicts", round(p_c, 3), relevance, (cue,))
        if p_s >= self.support and p_s > p_c:
            return Judgement("supports", round(p_s, 3), relevance, (cue,))
        return Judgement("neutral", round(p_n, 3), relevance, (cue,))

    def verify(
        self,
        claim: str,
        passages: Sequence[ScoredPassage],
        idf: Mapping[str, float],
    ) -> list[Judgement]:
        if not passages:
            return []
        specific = specific_tokens(claim, idf)
        rows = np.stack([pair_features(claim, p, idf, specific) for p in passages])
        return [self.judge(row) for row in self.probabilities(rows)]
