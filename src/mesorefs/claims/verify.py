"""Label (claim, passage) pairs as supports / contradicts / neutral, with a confidence.

:class:`Verifier` is the interface; :class:`BaselineVerifier` is a transparent
engine: IDF-weighted word overlap (plus dense similarity when the ranking had
it) decides whether a passage bears on a claim, and explicit cues decide its
stance: negative-evidence phrases ("no evidence", "only theoretical", "not
shown", "separate technique", "wrongly" ...), negation that only one side has,
antonyms ("increase" vs "decrease"), and a definition of the claim's subject
that does not say what the claim says.  Every judgement lists the cues it used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from mesorefs.claims.retrieve import ScoredPassage, content_tokens, tokenize

__all__ = [
    "BaselineVerifier",
    "Judgement",
    "Stance",
    "Verifier",
    "coverage",
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


def _negated(text: str) -> bool:
    return "not" in tokenize(text)


@dataclass(frozen=True)
class BaselineVerifier:
    """Similarity plus explicit cues; transparent and fast, not learned.

    ``relevance`` is the least similarity at which a passage bears on a claim;
    ``support`` the least at which a cue-free passage supports it.
    """

    relevance: float = 0.4
    support: float = 0.5
    dense_weight: float = 0.5

    @property
    def name(self) -> str:
        return f"baseline-cues/1 (relevance>={self.relevance:g}, support>={self.support:g})"

    def similarity(self, claim: str, scored: ScoredPassage, idf: Mapping[str, float]) -> float:
        """Word coverage, averaged with the dense cosine when there is one."""
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
        return [self._one(claim, p, idf) for p in passages]

    def _one(self, claim: str, scored: ScoredPassage, idf: Mapping[str, float]) -> Judgement:
        text = scored.passage.text
        sim = self.similarity(claim, scored, idf)
        cues: list[str] = []
        definition = _DEFINITION_CLAIM.match(claim)
        if definition and _DEFINITION_PASSAGE.search(text):
            subject = set(content_tokens(definition.group("subject")))
            if subject and subject <= set(content_tokens(text)):
                predicate = claim[definition.end() :]
                if coverage(predicate, text, idf) < self.support:
                    cues.append("definition differs")
                    return Judgement(
                        "contradicts",
                        round(0.55 + 0.3 * sim, 3),
                        max(sim, self.relevance),
                        tuple(cues),
                    )
        if sim < self.relevance:
            return Judgement("neutral", round(1 - sim, 3), sim)
        cues.extend(name for name, pattern in _NEGATIVE_EVIDENCE if pattern.search(text))
        claim_negated, passage_negated = _negated(claim), _negated(text)
        if claim_negated != passage_negated and not cues:
            cues.append("negation mismatch")
        elif claim_negated and cues:
            cues = []  # a negative claim agrees with negative evidence
        claim_stems, passage_stems = set(tokenize(claim)), set(tokenize(text))
        for left, right in _ANTONYMS:
            if (claim_stems & left and passage_stems & right and not passage_stems & left) or (
                claim_stems & right and passage_stems & left and not passage_stems & right
            ):
                cues.append("antonym")
                break
        if cues:
            return Judgement("contradicts", round(min(0.95, 0.4 + 0.5 * sim), 3), sim, tuple(cues))
        if sim >= self.support:
            return Judgement("supports", round(min(0.95, sim), 3), sim, ("similar",))
        return Judgement("neutral", round(0.5 + 0.5 * (self.support - sim), 3), sim)
