"""Label (claim, passage) pairs as supports / contradicts / neutral, with a confidence.

:class:`Verifier` is the interface; :class:`BaselineVerifier` is a transparent
engine: IDF-weighted word overlap (blended with dense similarity when the ranking
had it) decides whether a passage bears on a claim, and the disagreement cues of
:mod:`mesorefs.claims.cues` (negation on one side only, a reported null finding,
the opposite direction) keep a passage from supporting it.  Every judgement lists
the cues it used.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from mesorefs.claims.cues import direction_differs, negation_differs, null_finding
from mesorefs.claims.retrieve import RankedReference, ScoredPassage, content_tokens

__all__ = [
    "BaselineVerifier",
    "Judgement",
    "RankedVerifier",
    "Stance",
    "Verifier",
    "coverage",
    "coverage_of",
    "judge_probabilities",
    "specific_tokens",
    "unverified",
]

Stance = Literal["supports", "contradicts", "neutral"]


@dataclass(frozen=True)
class Judgement:
    """A verifier's label for one (claim, passage) pair."""

    stance: Stance
    confidence: float
    relevance: float
    """How much the passage bears on the claim, 0..1, whatever its stance."""
    cues: tuple[str, ...] = ()
    failed: str | None = None
    """Why the backend gave no judgement (an endpoint that failed, an answer it could not
    read); the stance is then neutral and the statement needs review."""


def judge_probabilities(
    p_s: float, p_c: float, p_n: float, support: float, contradict: float
) -> Judgement:
    """A model's judgement from its supports / contradicts / neutral probabilities: a side
    when it clears its threshold and beats the other side, else neutral."""
    relevance = round(1.0 - p_n, 3)
    cue = f"model: supports {p_s:.2f}, contradicts {p_c:.2f}, neutral {p_n:.2f}"
    if p_c >= contradict and p_c > p_s:
        return Judgement("contradicts", round(p_c, 3), relevance, (cue,))
    if p_s >= support and p_s > p_c:
        return Judgement("supports", round(p_s, 3), relevance, (cue,))
    return Judgement("neutral", round(p_n, 3), relevance, (cue,))


NOT_FOUND_CUE = "reference not found by mesorefs verify"


def unverified(judgement: Judgement) -> Judgement:
    """A judgement of a passage of a reference verify found no record of: support turns
    neutral (it bears on the claim as much as before), with the reason as a cue."""
    if judgement.stance != "supports":
        return judgement
    return Judgement(
        "neutral", judgement.confidence, judgement.relevance, (*judgement.cues, NOT_FOUND_CUE)
    )


class Verifier(Protocol):
    """Anything that labels passages for a claim; ``name`` goes into every report."""

    @property
    def name(self) -> str: ...

    def verify(
        self,
        claim: str,
        passages: Sequence[ScoredPassage],
        idf: Mapping[str, float],
    ) -> list[Judgement]: ...


@runtime_checkable
class RankedVerifier(Verifier, Protocol):
    """A verifier that also weighs each reference against the other candidates."""

    def verify_ranked(
        self,
        claim: str,
        ranked: Sequence[RankedReference],
        chosen: Sequence[RankedReference],
        idf: Mapping[str, float],
    ) -> list[list[Judgement]]: ...


def _idf(token: str, idf: Mapping[str, float], default: float) -> float:
    return idf.get(token, default)


def coverage(claim: str, passage: str, idf: Mapping[str, float], top: float | None = None) -> float:
    """IDF-weighted share of the claim's content words that the passage contains (0..1).

    A word the library lacks weighs as its rarest word (``top``, the largest IDF of
    ``idf``: give it when scoring many passages, so it is not searched for each).
    """
    return coverage_of(claim, idf, top)(passage)


def coverage_of(
    claim: str, idf: Mapping[str, float], top: float | None = None
) -> Callable[[str], float]:
    """:func:`coverage` of ``claim`` as a function of the passage: the claim's words and
    their weight are read once for all the passages it is compared with."""
    claim_tokens = set(content_tokens(claim))
    default = max(idf.values(), default=1.0) if top is None else top
    total = math.fsum(_idf(t, idf, default) for t in claim_tokens)

    def cover(passage: str) -> float:
        if not claim_tokens:
            return 0.0
        passage_tokens = set(content_tokens(passage))
        hit = math.fsum(_idf(t, idf, default) for t in claim_tokens & passage_tokens)
        return hit / total if total else 0.0

    return cover


COMMON_IDF = math.log(2)
"""The IDF of a word found in half of the references (``build_index``'s smoothed IDF)."""


def specific_tokens(
    claim: str, idf: Mapping[str, float], top: float | None = None
) -> dict[str, float]:
    """The claim's content words that set it apart within this library, with their IDF.

    A word found in more than half of the references (``mesotherapy`` in a list of
    mesotherapy papers) names the topic, not what the claim says about it, and is
    left out.  In a library too small for that to mean anything (no word is that
    rare) every content word counts.  ``top``: the largest IDF of ``idf``, when known.
    """
    default = max(idf.values(), default=1.0) if top is None else top
    weights = {t: _idf(t, idf, default) for t in set(content_tokens(claim))}
    if default < COMMON_IDF:
        return weights
    return {t: w for t, w in weights.items() if w >= COMMON_IDF}


@dataclass(frozen=True)
class BaselineVerifier:
    """Similarity plus the disagreement cues of :mod:`mesorefs.claims.cues`; not learned.

    ``relevance`` is the least similarity at which a passage bears on a claim;
    ``support`` the least at which a passage with no disagreement cue supports it;
    ``contradict`` the least at which a passage with a cue contradicts it (above 1:
    never); ``dense_weight`` the share of the dense cosine in the similarity (when
    the ranking had one).  A cue counts only when the words around it hold at least
    ``scope`` of the claim's specific words.  A passage with a cue never supports.

    Both sides are off by default (thresholds above 1): on the training splits of
    SciFact and Check-COVID no similarity threshold makes "supports" right 85 % of the
    time (the best reach 0.778 and 0.600 with 15 or more calls; ``python
    training/train_verdicts.py`` prints this), and the cues alone never made
    "contradicts" right 70 % of the time.  Give thresholds to make it take sides.
    """

    relevance: float = 0.6
    support: float = 2.0
    contradict: float = 2.0
    dense_weight: float = 0.5
    scope: float = 0.25

    @classmethod
    def lexical(cls) -> BaselineVerifier:
        """The engine for lexical-only similarity (no dense encoder)."""
        return cls(relevance=0.5, dense_weight=0.0)

    @property
    def name(self) -> str:
        sides = [
            f"{side}>={threshold:g}" if threshold <= 1 else f"never {side}"
            for side, threshold in (("supports", self.support), ("contradicts", self.contradict))
        ]
        return (
            f"baseline-cues/3 ({', '.join(sides)}, relevance>={self.relevance:g},"
            f" dense weight {self.dense_weight:g}, cue scope>={self.scope:g})"
        )

    def similarity(self, claim: str, scored: ScoredPassage, idf: Mapping[str, float]) -> float:
        """Word coverage, blended with the dense cosine when there is one."""
        lexical = coverage(claim, scored.passage.text, idf)
        if scored.dense is None:
            return lexical
        dense = max(0.0, min(1.0, (scored.dense - 0.2) / 0.6))
        return (1 - self.dense_weight) * lexical + self.dense_weight * dense

    def verify(
        self,
        claim: str,
        passages: Sequence[ScoredPassage],
        idf: Mapping[str, float],
    ) -> list[Judgement]:
        specific = specific_tokens(claim, idf)
        return [self._one(claim, p, idf, specific) for p in passages]

    def contradiction_cues(self, claim: str, text: str, specific: Mapping[str, float]) -> list[str]:
        """Names of the cues by which ``text`` disagrees with ``claim`` (empty: none)."""
        found = [
            ("negation differs", negation_differs),
            ("no effect reported", null_finding),
            ("opposite direction", direction_differs),
        ]
        return [name for name, cue in found if cue(claim, text, specific, self.scope)]

    def _one(
        self,
        claim: str,
        scored: ScoredPassage,
        idf: Mapping[str, float],
        specific: Mapping[str, float],
    ) -> Judgement:
        sim = self.similarity(claim, scored, idf)
        if sim < self.relevance:
            return Judgement("neutral", round(1 - sim, 3), sim)
        cues = self.contradiction_cues(claim, scored.passage.text, specific)
        if cues:
            if sim >= self.contradict:
                return Judgement("contradicts", round(min(0.95, sim), 3), sim, tuple(cues))
            return Judgement("neutral", round(sim, 3), sim, tuple(cues))
        if sim >= self.support:
            return Judgement("supports", round(min(0.95, sim), 3), sim, ("similar",))
        return Judgement("neutral", round(0.5 + 0.5 * (self.support - sim), 3), sim)
