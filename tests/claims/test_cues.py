"""Disagreement cues read from both the claim and the passage, never from the claim alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mesorefs.claims.cues import direction_differs, negation_differs, null_finding
from mesorefs.claims.verify import specific_tokens

CLAIM = "Vitamin D supplements lower blood pressure in adults."


def _specific(claim: str) -> dict[str, float]:
    return specific_tokens(claim, {})


@pytest.mark.parametrize(
    ("claim", "passage", "expected"),
    [
        (CLAIM, "Vitamin D supplements did not lower blood pressure in adults.", True),
        ("Vitamin D does not lower blood pressure.", "Vitamin D lowers blood pressure.", True),
        (
            "Vitamin D does not lower blood pressure.",
            "Vitamin D did not lower blood pressure.",
            False,
        ),
        (CLAIM, CLAIM, False),
        (CLAIM, "Not all trials were blinded; tattoo removal was not studied.", False),
    ],
    ids=["passage-negated", "claim-negated", "both-negated", "same", "negation-elsewhere"],
)
def test_negation_differs(claim: str, passage: str, expected: bool) -> None:
    """Negation counts only when exactly one side is negated about the claim's words."""
    assert negation_differs(claim, passage, _specific(claim)) is expected


@pytest.mark.parametrize(
    ("claim", "passage", "expected"),
    [
        (CLAIM, "Vitamin D supplements had no effect on blood pressure in adults.", True),
        (CLAIM, "There is no evidence that vitamin D supplements lower blood pressure.", True),
        (
            "Vitamin D has no effect on blood pressure.",
            "Vitamin D had no effect on blood pressure.",
            False,
        ),
        (CLAIM, "No effect of exercise on sleep was found in children.", False),
    ],
    ids=["no-effect", "no-evidence", "claim-also-null", "about-something-else"],
)
def test_null_finding(claim: str, passage: str, expected: bool) -> None:
    """A null finding about the claim's words disagrees with a claim that reports an effect."""
    assert null_finding(claim, passage, _specific(claim)) is expected


@pytest.mark.parametrize(
    ("claim", "passage", "expected"),
    [
        (
            "Exercise increases insulin sensitivity in adults.",
            "Exercise decreased insulin sensitivity in adults.",
            True,
        ),
        (
            "Exercise increases insulin sensitivity in adults.",
            "Exercise increased insulin sensitivity in adults.",
            False,
        ),
        (
            "Exercise increases insulin sensitivity in adults.",
            "Sleep decreased in children.",
            False,
        ),
    ],
    ids=["opposite", "same-direction", "other-subject"],
)
def test_direction_differs(claim: str, passage: str, expected: bool) -> None:
    """The opposite direction about the claim's own words is a disagreement."""
    assert direction_differs(claim, passage, _specific(claim)) is expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            "vitamin lowers raises no not effect blood pressure adults increased decreased"
            " evidence of the".split()
        ),
        min_size=1,
        max_size=12,
    )
)
def test_a_sentence_never_disagrees_with_itself(words: list[str]) -> None:
    """No cue fires for a passage that is the claim itself, whatever its words."""
    text = " ".join(words) + "."
    specific = _specific(text)
    assert not negation_differs(text, text, specific)
    assert not null_finding(text, text, specific)
    assert not direction_differs(text, text, specific)
