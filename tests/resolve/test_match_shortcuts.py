"""More of the scorer's shortcuts give exactly the answers of the definitions they
shortcut (beside tests/resolve/test_match_speed.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mesorefs.resolve.scoring import _abbreviated

_words = st.text(alphabet="abcdeiklnorst", min_size=1, max_size=12)


@given(token=_words, tokens=st.frozensets(_words, max_size=20))
def test_abbreviation_lookup_is_the_prefix_rule(token: str, tokens: frozenset[str]) -> None:
    """Looking the token's prefixes up finds a word of three letters or more that begins
    the token exactly when scanning every word does."""
    expected = any(len(t) >= 3 and token.startswith(t) for t in tokens)
    assert _abbreviated(token, tokens) == expected
