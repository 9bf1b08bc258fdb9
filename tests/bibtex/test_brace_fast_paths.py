"""The one-pair and no-brace shortcuts of the brace checks (issue 32) decide as reading
every brace does."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from mesorefs.bibtex import codec, lossless

BRACE_TEXT = st.text(alphabet="ab {}", max_size=12)


def _closes_at_end_by_each_brace(raw: str) -> bool:
    depth = 0
    for m in re.finditer(r"[{}]", raw):
        depth += 1 if m.group() == "{" else -1
        if depth == 0 and m.start() != len(raw) - 1:
            return False
    return depth == 0


def _balanced_by_each_brace(value: str) -> bool:
    depth = 0
    for char in value:
        if char in "{}":
            depth += 1 if char == "{" else -1
            if depth < 0:
                return False
    return depth == 0


@given(BRACE_TEXT)
def test_closes_at_end_agrees_with_each_brace(raw: str) -> None:
    """Whether the opening brace closes at the end is what reading every brace says."""
    assert lossless._closes_at_end(raw) == _closes_at_end_by_each_brace(raw)


@given(BRACE_TEXT)
def test_balanced_agrees_with_each_brace(value: str) -> None:
    """Whether a value's braces balance is what reading every brace says."""
    assert codec._balanced(value) == _balanced_by_each_brace(value)
