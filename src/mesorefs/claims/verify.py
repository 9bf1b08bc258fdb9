"""Label (claim, passage) pairs as supports / contradicts / neutral, with a confidence.

:class:`Verifier` is the interface; :class:`BaselineVerifier` is a transparent
engine: IDF-weighted word overlap (blended with dense similarity when the ranking
had it) decides whether a passage bears on a claim, and explicit cues decide its
stance: negative-evidence phrases ("no evidence", "only theoretical", "not
shown", "separate technique", "wrongly" ...), negation that only one side has,
antonyms ("increase" vs "decrease"), and a definition of the claim's subject
that does not say what the claim says.  A cue counts only when the words around
it (its clause, a few words either side) hold enough of the claim's specific
words, so "rather than a treatment for any disease" in a note does not contradict
a claim about needles.  Supports and contradicts share one confidence scale (the
passage's similarity), so a much more relevant supporting passage outweighs a
weak contradiction.  Every judgement lists the cues it used.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from mesorefs.claims.retrieve import RankedReference, ScoredPassage, content_tokens, tokenize

__all__ = [
    "BaselineVerifier",
    "Judgement",
    "RankedVerifier",
    "Stance",
    "Verifier",
    "coverage",
    "definition_differs",
    "judge_probabilities",
    "specific_tokens",
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


_NEGATIVE_EVIDENCE = [
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in [
        ("no evidence", r"\bno (?:\w+ ){0,2}(?:evidence|data|proof|support)\b"),
        (
            "evidence lacking",
            r"\b(?:lack|lacking|absence|shortage|paucity) of\b|\bis lacking\b|\blittle data\b",
        ),
        ("unknown", r"\bunknown\b|\bunclear\b|\bnot (?:well )?(?:known|understood|established)\b"),
        (
            "not shown",
            r"\b(?:not|never) (?:been )?(?:shown|proven|demonstrated|substantiated|confirmed)\b",
        ),
        ("only theoretical", r"\bonly theoretical\b|\bconjecture\b|\bspeculative\b|\bunproven\b"),
        (
            "separate technique",
            r"\bseparate (?:technique|procedure|treatment|method)\b|\bdistinct from\b",
        ),
        ("wrongly", r"\bwrongly\b|\bmistakenly\b|\berroneously\b|\bmisconception\b"),
        ("no significant", r"\bno (?:statistically )?significant\b|\bnot significant(?:ly)?\b"),
        (
            "no benefit",
            r"\bno (?:\w+ )?(?:benefit|effect|improvement|difference|change|association)\b",
        ),
        ("failed", r"\bfailed to\b|\bdid not\b|\bdoes not\b|\bwas not\b|\bwere not\b"),
        (
            "few studies",
            r"\bfew (?:\w+ )?(?:studies|trials)\b|\bno published\b|\bnot (?:been )?published\b",
        ),
        (
            "not effective",
            r"\b(?:ineffective|not (?:very )?effective|questionable|controversial|debatable)\b",
        ),
        ("rather than", r"\brather than\b|\binstead of\b"),
    ]
]
_ANTONYMS = [
    (
        {
            "increas",
            "increase",
            "rais",
            "raise",
            "higher",
            "elevat",
            "elevate",
            "gain",
            "enhanc",
            "enhance",
        },
        {
            "decreas",
            "decrease",
            "reduc",
            "reduce",
            "lower",
            "declin",
            "decline",
            "loss",
            "diminish",
            "suppress",
        },
    ),
    ({"improve", "benefit", "effective", "efficacy"}, {"worsen", "harm", "ineffective"}),
    ({"painless", "painfree"}, {"pain", "painful", "sting", "burn"}),
    ({"safe", "safety"}, {"unsafe", "risk", "necrosis"}),
    ({"promote", "activate", "induce", "stimulate"}, {"inhibit", "block", "prevent", "suppress"}),
    ({"more", "greater"}, {"less", "fewer", "smaller"}),
]
_DEFINITION_CLAIM = re.compile(
    r"^\s*(?P<subject>[A-Z][\w\s-]{1,60}?)\s+(?:(?:is|are)\s+(?:a|an)\s+|refers to\s+|means\s+"
    r"|(?:is|are) defined as\s+)(?:(?:type|kind|form|method|way|technique|procedure) of\b)?",
)
_DEFINITION_PASSAGE = re.compile(
    r"\b(?:defines?|describes?|presents?|characteri[sz]es?)\b.{0,60}?\bas\b"
    r"|\b(?:is|are) (?:defined|described) as\b",
    re.IGNORECASE,
)


def definition_differs(claim: str, text: str, idf: Mapping[str, float], support: float) -> bool:
    """Whether ``text`` defines the subject that ``claim`` defines, in other words.

    The claim must read "X is a ..." and the passage must define or describe X; the
    definitions differ when the passage covers less than ``support`` of the claim's
    predicate.
    """
    definition = _DEFINITION_CLAIM.match(claim)
    if not definition or not _DEFINITION_PASSAGE.search(text):
        return False
    subject = set(content_tokens(definition.group("subject")))
    if not subject or not subject <= set(content_tokens(text)):
        return False
    return coverage(claim[definition.end() :], text, idf) < support


def _idf(token: str, idf: Mapping[str, float], default: float) -> float:
    return idf.get(token, default)


def coverage(claim: str, passage: str, idf: Mapping[str, float]) -> float:
    """IDF-weighted share of the claim's content words that the passage contains (0..1)."""
    claim_tokens = set(content_tokens(claim))
    if not claim_tokens:
        return 0.0
    passage_tokens = set(content_tokens(passage))
    default = max(idf.values(), default=1.0)
    total = sum(_idf(t, idf, default) for t in claim_tokens)
    hit = sum(_idf(t, idf, default) for t in claim_tokens & passage_tokens)
    return hit / total if total else 0.0


COMMON_IDF = math.log(2)
"""The IDF of a word found in half of the references (``build_index``'s smoothed IDF)."""


def specific_tokens(claim: str, idf: Mapping[str, float]) -> dict[str, float]:
    """The claim's content words that set it apart within this library, with their IDF.

    A word found in more than half of the references (``mesotherapy`` in a list of
    mesotherapy papers) names the topic, not what the claim says about it, and is
    left out.  In a library too small for that to mean anything (no word is that
    rare) every content word counts.
    """
    default = max(idf.values(), default=1.0)
    weights = {t: _idf(t, idf, default) for t in set(content_tokens(claim))}
    if default < COMMON_IDF:
        return weights
    return {t: w for t, w in weights.items() if w >= COMMON_IDF}


def _share(specific: Mapping[str, float], tokens: set[str]) -> float:
    """IDF-weighted share of ``specific`` that ``tokens`` contains."""
    total = sum(specific.values())
    return sum(w for t, w in specific.items() if t in tokens) / total if total else 0.0


_RAW_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
_CLAUSE_BREAK = re.compile(r"[;:]|\s[–—]\s")
_BEFORE, _AFTER = 8, 10
"""How many words before and after a cue it reaches (within its clause)."""


def _scope(text: str, start: int, end: int) -> set[str]:
    """Content tokens a cue at ``text[start:end]`` speaks about: nearby words in its clause."""
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in _CLAUSE_BREAK.finditer(text, end)), len(text))
    before = [m.group() for m in _RAW_WORD.finditer(text, left, start)][-_BEFORE:]
    after = [m.group() for m in _RAW_WORD.finditer(text, end, right)][:_AFTER]
    return set(content_tokens(" ".join(before + after)))


_NEGATOR = re.compile(
    r"\b(?:no|not|never|without|nor|neither|none|cannot)\b|\b\w+n[’']t\b", re.IGNORECASE
)


def _negated(text: str) -> bool:
    return "not" in tokenize(text)


def _word_spans(text: str, stems: set[str]) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` whose stems are in ``stems``."""
    return [
        (m.start(), m.end()) for m in _RAW_WORD.finditer(text) if stems & set(tokenize(m.group()))
    ]


@dataclass(frozen=True)
class BaselineVerifier:
    """Similarity plus explicit cues; transparent and fast, not learned.

    ``relevance`` is the least similarity at which a passage bears on a claim;
    ``support`` the least at which a cue-free passage supports it; ``dense_weight``
    the share of the dense cosine in the similarity (when the ranking had one).
    A passage contradicts a claim only when it bears on it and a cue (negative
    evidence, negation, antonym) speaks about the claim's own subject: the words
    around the cue must hold at least ``scope`` of the claim's specific words (IDF
    weighted; words common to most references, such as the topic, do not count).

    The defaults were chosen on SciFact train only (mixed pools, k=20, dense ranking
    with the int8 MiniLM) by the mean of label-only F1 and UNSUPPORTED-flag F1: a
    72-point grid (relevance 0.3-0.6, support 0.5-0.75, dense weight 0.25/0.5/0.75)
    on a seeded 400-claim sample, then its leaders with scope 0.25/0.4 on all 809
    claims, where these score label-only F1 0.419, UNSUPPORTED F1 0.748 (always
    flagging: 0.742), CONTRADICTED F1 0.327; 5-fold cross-validation inside train
    gives 0.411 / 0.732 / 0.317 (the surface is flat: the leaders are within 0.005).
    :meth:`lexical` gives the thresholds chosen for lexical-only ranking.
    """

    relevance: float = 0.6
    support: float = 0.65
    dense_weight: float = 0.5
    scope: float = 0.25

    @classmethod
    def lexical(cls) -> BaselineVerifier:
        """The engine tuned for lexical-only similarity (no dense encoder).

        Chosen on a seeded 400-claim sample of SciFact train (mixed pools, k=20, BM25
        ranking) from relevance 0.3-0.5 x support 0.4-0.7 x scope 0.25/0.4, by the mean
        of label-only F1 and UNSUPPORTED-flag F1: label-only F1 0.399, UNSUPPORTED F1
        0.763 (always flagging: 0.769); every fold of a 5-fold cross-validation chose it.
        """
        return cls(relevance=0.5, support=0.5, dense_weight=0.0, scope=0.25)

    @property
    def name(self) -> str:
        return (
            f"baseline-cues/2 (relevance>={self.relevance:g}, support>={self.support:g},"
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

    def _about(self, specific: Mapping[str, float], text: str, start: int, end: int) -> bool:
        """Whether the cue at ``text[start:end]`` speaks about the claim's specific words."""
        return bool(specific) and _share(specific, _scope(text, start, end)) >= self.scope

    def contradiction_cues(self, claim: str, text: str, specific: Mapping[str, float]) -> list[str]:
        """Names of the cues by which ``text`` contradicts ``claim`` (empty: none)."""
        cues = [
            name
            for name, pattern in _NEGATIVE_EVIDENCE
            if any(self._about(specific, text, m.start(), m.end()) for m in pattern.finditer(text))
        ]
        claim_negated = _negated(claim)
        passage_negated = any(
            self._about(specific, text, m.start(), m.end()) for m in _NEGATOR.finditer(text)
        )
        if claim_negated:
            # A negative claim agrees with negative evidence; a passage that says the
            # same thing without any negation contradicts it.
            if passage_negated or cues or _negated(text):
                return []
            shared = _share(specific, set(content_tokens(text)))
            return ["negation mismatch"] if shared >= self.scope else []
        if passage_negated and not cues:
            cues.append("negation mismatch")
        claim_stems = set(tokenize(claim))
        passage_stems = set(tokenize(text))
        for left, right in _ANTONYMS:
            for mine, other in ((left, right), (right, left)):
                if not claim_stems & mine or passage_stems & mine:
                    continue
                spans = _word_spans(text, other & passage_stems)
                if any(self._about(specific, text, s, e) for s, e in spans):
                    cues.append("antonym")
                    break
            if "antonym" in cues:
                break
        return cues

    def _one(
        self,
        claim: str,
        scored: ScoredPassage,
        idf: Mapping[str, float],
        specific: Mapping[str, float],
    ) -> Judgement:
        text = scored.passage.text
        sim = self.similarity(claim, scored, idf)
        if definition_differs(claim, text, idf, self.support):
            return Judgement(
                "contradicts",
                round(min(0.95, 0.55 + 0.3 * sim), 3),
                max(sim, self.relevance),
                ("definition differs",),
            )
        if sim < self.relevance:
            return Judgement("neutral", round(1 - sim, 3), sim)
        cues = self.contradiction_cues(claim, text, specific)
        if cues:
            # On the same scale as support: a contradiction is as strong as the passage
            # is relevant, so a much more relevant supporting passage outweighs it.
            return Judgement("contradicts", round(min(0.95, sim), 3), sim, tuple(cues))
        if sim >= self.support:
            return Judgement("supports", round(min(0.95, sim), 3), sim, ("similar",))
        return Judgement("neutral", round(0.5 + 0.5 * (self.support - sim), 3), sim)
