"""The order links reach the report in: strongest first, a neutral link by its relevance."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.claims.check import _merge
from mesorefs.claims.parts import Part
from mesorefs.claims.results import Evidence, Link, PartResult, link_order


def _link(
    key: str, stance: str, score: float, relevance: float, rank: int = 1, related: bool = False
) -> Link:
    return Link(
        key=key,
        stance=stance,
        score=score,
        relevance=relevance,
        rank=rank,
        evidence=Evidence(field="abstract", text="a passage", start=0, end=9),
        related=related,
    )


def _part(*links: Link) -> PartResult:
    return PartResult(
        part=Part(text="a statement", query="a statement", start=0, end=11),
        verdict="unsupported",
        explanation="",
        links=links,
    )


def test_the_closest_unrelated_link_comes_first() -> None:
    """Among links beside the point, the most relevant leads (not the most confidently neutral)."""
    far = _link("far", "neutral", score=0.99, relevance=0.01, rank=1)
    near = _link("near", "neutral", score=0.80, relevance=0.20, rank=2)
    assert [lk.key for lk in sorted((far, near), key=link_order)] == ["near", "far"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (_link("side", "supports", 0.6, 0.6), _link("related", "neutral", 0.1, 0.9, related=True)),
        (_link("related", "neutral", 0.5, 0.5, related=True), _link("closer", "neutral", 0.1, 0.9)),
        (_link("sure", "contradicts", 0.9, 0.9), _link("unsure", "supports", 0.7, 0.9)),
    ],
    ids=["side-before-neutral", "related-before-unrelated", "confidence-within-a-side"],
)
def test_order_between_kinds(first: Link, second: Link) -> None:
    """A side taken beats related, related beats unrelated, confidence orders a side."""
    assert link_order(first) < link_order(second)


def test_merge_keeps_each_references_most_relevant_neutral_passage() -> None:
    """Over a claim's parts, a reference is shown by its closest passage, not its farthest."""
    weak = _link("ref", "neutral", score=0.97, relevance=0.03)
    strong = _link("ref", "neutral", score=0.70, relevance=0.30)
    merged = _merge([_part(weak), _part(strong)])
    assert [lk.relevance for lk in merged] == [0.30]


@given(st.lists(st.floats(0, 1), min_size=1, max_size=8))
def test_unrelated_links_sorted_by_relevance(relevances: list[float]) -> None:
    """For any neutral, unrelated links, the order is by relevance, highest first."""
    links = [_link(f"k{i}", "neutral", 1 - r, r, rank=i) for i, r in enumerate(relevances)]
    ordered = [lk.relevance for lk in sorted(links, key=link_order)]
    assert ordered == sorted(relevances, reverse=True)
