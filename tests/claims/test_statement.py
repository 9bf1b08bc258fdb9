"""A frame of attribution is not part of the statement to check."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.claims.statement import statement_core


@pytest.mark.parametrize(
    ("text", "core"),
    [
        ("Studies show that vitamin D lowers blood pressure.", "Vitamin D lowers blood pressure."),
        ("It has been reported that masks reduce transmission.", "Masks reduce transmission."),
        (
            "Early in the pandemic, various reports suggested that ARBs might raise the risk.",
            "ARBs might raise the risk.",
        ),
        ("Smith et al. found that aspirin prevents strokes.", "Aspirin prevents strokes."),
        ("It is well known that smoking causes cancer.", "Smoking causes cancer."),
        ("Vitamin D lowers blood pressure.", "Vitamin D lowers blood pressure."),
        ("The data show that.", "The data show that."),
        (
            "Patients that received aspirin had fewer strokes.",
            "Patients that received aspirin had fewer strokes.",
        ),
    ],
    ids=[
        "studies-show",
        "passive",
        "adverbial-and-reports",
        "named",
        "known",
        "no-frame",
        "too-short",
        "relative-that",
    ],
)
def test_statement_core(text: str, core: str) -> None:
    """A leading frame of reporting or knowing goes; the statement and other sentences stay."""
    assert statement_core(text) == core


@given(st.text(max_size=120))
def test_core_is_a_tail_of_the_text(text: str) -> None:
    """What remains is always the end of the text (first letter aside), never new words."""
    core = statement_core(text)
    assert core == text or text.endswith(core[1:])
