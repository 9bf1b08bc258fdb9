"""The scorer's shortcuts give exactly the answers of the definitions they shortcut."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from mesorefs.resolve.scoring import _one_edit_in, _typo_of_any
from mesorefs.resolve.similarity import normalize_text
from mesorefs.resolve.similarity import ratio as _ratio

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


@given(token=_words, words=st.frozensets(_words, max_size=12))
def test_typo_search_is_the_ratio_rule(token: str, words: frozenset[str]) -> None:
    """The rapidfuzz pre-filter passes every word the difflib rule would accept."""
    expected = any(abs(len(c) - len(token)) <= 2 and _ratio(c, token) >= 0.8 for c in words)
    assert _typo_of_any(token, words) == expected


def _normalized_by_definition(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text).casefold()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


@given(text=st.text())
def test_normalize_text_matches_its_definition(text: str) -> None:
    """The ASCII shortcut gives what decomposing every text gives."""
    assert normalize_text(text) == _normalized_by_definition(text)
