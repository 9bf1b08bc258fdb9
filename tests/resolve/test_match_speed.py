"""The scorer's shortcuts give exactly the answers of the definitions they shortcut."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from mesorefs.resolve.match import _near, _one_edit_in, _ratio

_words = st.text(alphabet="abcdeiklnorst", min_size=1, max_size=12)


def _one_edit_by_definition(token: str, joined: str) -> bool:
    pattern = "|".join(
        f"{re.escape(token[:i])}.?{re.escape(token[i + 1 :])}" for i in range(len(token))
    )
    return re.search(pattern, joined) is not None


@given(token=_words, joined=st.text(alphabet="abcdeiklnorst", max_size=60))
def test_one_edit_matches_its_definition(token: str, joined: str) -> None:
    """The half-token precheck never changes whether a one-edit stretch is found."""
    assert _one_edit_in(token, joined) == _one_edit_by_definition(token, joined)


@given(a=_words, b=_words)
def test_near_is_the_ratio_rule(a: str, b: str) -> None:
    """The letter-count bound rejects only pairs the ratio would reject."""
    expected = abs(len(a) - len(b)) <= 2 and _ratio(a, b) >= 0.8
    assert _near(a, b) == expected
