"""Signs of disagreement between a claim and a passage, read from both sides.

Every cue compares the two texts; none looks at the claim alone (a claim that
merely contains "not" says nothing about the evidence).  A cue in the passage
counts only when it speaks about the claim's own specific words: the words
around it, within its clause, must hold at least ``scope`` of them (IDF
weighted).  The word lists are general English of scientific reporting, not of
any one topic; ``benchmarks/verdict_bench.py`` measures each cue on claim sets
it was not written for.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from mesorefs.claims.retrieve import content_tokens, tokenize

__all__ = [
    "direction_differs",
    "negated",
    "negation_differs",
    "null_finding",
    "share",
]

_RAW_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
_CLAUSE_BREAK = re.compile(r"[;:]|\s[–—]\s")
_BEFORE, _AFTER = 8, 10
"""How many words before and after a cue it reaches (within its clause)."""

_NEGATOR = re.compile(
    r"\b(?:no|not|never|without|nor|neither|none|cannot)\b|\b\w+n[’']t\b", re.IGNORECASE
)
# Reports of no effect, no evidence, or no knowledge: the way papers say "it was not found".
_NULL_FINDING = re.compile(
    r"\bno (?:\w+ ){0,2}(?:evidence|data|proof|support|effect|association|difference|"
    r"benefit|improvement|change|correlation|relationship)s?\b"
    r"|\b(?:lack|absence|paucity) of (?:\w+ )?(?:evidence|data|effect|association)\b"
    r"|\bnot (?:statistically )?significant(?:ly)?\b|\bno (?:statistically )?significant\b"
    r"|\b(?:not|never) (?:been )?(?:shown|proven|demonstrated|established|confirmed)\b"
    r"|\b(?:failed|fails) to\b|\b(?:did|does|do|was|were) not (?:\w+ )?"
    r"(?:affect|alter|change|differ|improve|reduce|increase|predict|associate)\w*\b",
    re.IGNORECASE,
)
# Words of direction and their opposites (stems, as :func:`tokenize` gives them).
_DIRECTIONS: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(tokenize(up)), frozenset(tokenize(down)))
    for up, down in (
        (
            "increase increases increased increasing higher elevated raise raised rise gain",
            "decrease decreases decreased decreasing lower reduced reduce reduces decline loss",
        ),
        ("more greater larger", "less fewer smaller"),
        ("improve improves improved improvement", "worsen worsens worsened worsening"),
        (
            "promote promotes activate activates induce induces",
            "inhibit inhibits suppress suppresses",
        ),
        ("positive positively", "negative negatively"),
    )
)


def share(specific: Mapping[str, float], tokens: set[str]) -> float:
    """IDF-weighted share of ``specific`` that ``tokens`` contains."""
    total = math.fsum(specific.values())
    return math.fsum(w for t, w in specific.items() if t in tokens) / total if total else 0.0


def _scope(text: str, start: int, end: int) -> set[str]:
    """Content tokens a cue at ``text[start:end]`` speaks about: nearby words in its clause."""
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in _CLAUSE_BREAK.finditer(text, end)), len(text))
    before = [m.group() for m in _RAW_WORD.finditer(text, left, start)][-_BEFORE:]
    after = [m.group() for m in _RAW_WORD.finditer(text, end, right)][:_AFTER]
    return set(content_tokens(" ".join(before + after)))


def _about(specific: Mapping[str, float], text: str, start: int, end: int, scope: float) -> bool:
    return bool(specific) and share(specific, _scope(text, start, end)) >= scope


def negated(text: str) -> bool:
    """Whether ``text`` holds a negator anywhere."""
    return bool(_NEGATOR.search(text))


def negation_differs(
    claim: str, text: str, specific: Mapping[str, float], scope: float = 0.25
) -> bool:
    """Whether one side is negated about the claim's words and the other is not.

    The passage must be about the claim (hold ``scope`` of its specific words);
    its negation counts only where it speaks about them.
    """
    if share(specific, set(content_tokens(text))) < scope:
        return False
    passage = any(
        _about(specific, text, m.start(), m.end(), scope) for m in _NEGATOR.finditer(text)
    )
    return negated(claim) != passage


def null_finding(claim: str, text: str, specific: Mapping[str, float], scope: float = 0.25) -> bool:
    """Whether the passage reports no effect / no evidence about the claim's words
    while the claim itself reports none of that."""
    if _NULL_FINDING.search(claim):
        return False
    return any(
        _about(specific, text, m.start(), m.end(), scope) for m in _NULL_FINDING.finditer(text)
    )


def direction_differs(
    claim: str, text: str, specific: Mapping[str, float], scope: float = 0.25
) -> bool:
    """Whether the passage says the opposite direction (up/down, more/less ...) about the
    claim's words, without also using the claim's own direction word."""
    claim_stems = set(tokenize(claim))
    passage_stems = set(tokenize(text))
    for up, down in _DIRECTIONS:
        for mine, other in ((up, down), (down, up)):
            if not claim_stems & mine or passage_stems & mine:
                continue
            for m in _RAW_WORD.finditer(text):
                if other & set(tokenize(m.group())) and _about(
                    specific, text, m.start(), m.end(), scope
                ):
                    return True
    return False
