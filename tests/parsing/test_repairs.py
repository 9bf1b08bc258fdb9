"""Label corrections that read the whole labelled sequence (parsing/repairs.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.parsing.repairs import repair
from mesorefs.parsing.tokens import tokenize


def _repaired(text: str, labels: list[str]) -> list[str]:
    tokens = tokenize(text)
    assert len(tokens) == len(labels), [t.text for t in tokens]
    scored = [(label, 0.9) for label in labels]
    repair(tokens, scored)
    return [label for label, _ in scored]


A, T, C, E, D, P, L = "author", "title", "container", "editor", "date", "pages", "location"


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        (
            "Roe, Ann. “Word and Flesh.” In What Are People For? 1990.",
            [A, A, T, T, T, T, T, T, T, T, D],
            [A, A, T, T, T, C, C, C, C, C, D],
        ),
        (
            "Roe, Ann (2014). 'Towards parameters', in M. Picallo (ed.), Variation now. Oxford.",
            [A, A, D, T, T, E, E, E, E, T, T, L],
            [A, A, D, T, T, E, E, E, E, C, C, L],
        ),
        (
            "Roe, A. (1999). “Be like” in British youth. Journal, 3, 1-9.",
            [A, A, D, T, T, T, T, T, C, "volume", P],
            [A, A, D, T, T, T, T, T, C, "volume", P],
        ),
        (
            "Roe, Ann. 1989. The Collector at Home, 1750–1850. New Haven.",
            [A, A, D, T, T, T, T, P, L, L],
            [A, A, D, T, T, T, T, T, L, L],
        ),
        (
            "Roe, Ann. The Collector at Home, 1750–1850. New Haven.",
            [A, A, T, T, T, T, D, L, L],
            [A, A, T, T, T, T, D, L, L],
        ),
        (
            "M. Ackermann et al. (Fermi-LAT), Phys. Rev. 115, 1 (2015).",
            [A, A, A, A, C, C, C, "volume", P, D],
            [A, A, A, A, "note", C, C, "volume", P, D],
        ),
        (
            "[2] Passenger cars: obstacle avoidance, 2011.",
            [T, T, T, T, T, D],
            ["other", T, T, T, T, D],
        ),
        (
            "5. Recipes for Ink. (2018). Revenge, 211–238.",
            [T, T, T, T, D, C, P],
            [T, T, T, T, D, C, P],
        ),
        (
            "12. Roe A, Poe B. Title. J. 2001.",
            [A, A, A, A, A, T, C, D],
            ["other", A, A, A, A, T, C, D],
        ),
        (
            "Brim, Orville G. and others. Personality. Stanford, 1962.",
            [A, A, A, T, T, T, L, D],
            [A, A, A, A, A, T, L, D],
        ),
        (
            "__________ . Psychology. New York, 1961.",
            [T, T, T, L, L, D],
            [A, A, T, L, L, D],
        ),
        (
            "———. Watt. Paris: Olympia Press, 1953.",
            [A, A, L, "publisher", "publisher", D],
            [A, T, L, "publisher", "publisher", D],
        ),
        (
            "———, and J. Roe. Watt. Paris, 1953.",
            [A, A, A, A, T, L, D],
            [A, A, A, A, T, L, D],
        ),
    ],
    ids=[
        "quoted-title-then-in",
        "in-after-the-editors",
        "quote-inside-a-title",
        "year-range-ends-a-title",
        "year-range-is-the-only-date",
        "collaboration-after-et-al",
        "bracketed-list-label",
        "number-starting-a-title",
        "numbered-before-names",
        "and-others",
        "dashes-for-the-author",
        "dashes-then-the-title",
        "dashes-then-more-authors",
    ],
)
def test_repair(text: str, labels: list[str], expected: list[str]) -> None:
    assert _repaired(text, labels) == expected


def test_repair_leaves_an_empty_sequence() -> None:
    labels: list[tuple[str, float]] = []
    repair([], labels)
    assert labels == []


_LABELS = st.sampled_from([A, T, C, E, D, P, L, "volume", "other"])


@given(st.lists(st.tuples(st.from_regex(r"[\w“”'.,\[\]()—-]{1,8}", fullmatch=True), _LABELS)))
def test_repair_only_relabels(pairs: list[tuple[str, str]]) -> None:
    """Whatever the tokens, a repair keeps one label per token and its confidence."""
    text = " ".join(word for word, _ in pairs)
    tokens = tokenize(text)
    labels = [(pairs[i % len(pairs)][1] if pairs else A, 0.5) for i in range(len(tokens))]
    repair(tokens, labels)
    assert len(labels) == len(tokens)
    assert all(confidence == 0.5 for _, confidence in labels)
