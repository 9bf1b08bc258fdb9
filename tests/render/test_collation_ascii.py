"""The ASCII fast path of render/collation.py gives the key the character-by-character
reading gives."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.render import collation

_LANGUAGES = sorted({"en", "de", *collation.TAILORINGS, *collation.SCRIPT_ORDER})
_ASCII = st.text(alphabet=st.characters(max_codepoint=127), max_size=40)


@given(_ASCII, st.sampled_from(_LANGUAGES))
def test_ascii_key_is_the_general_key(text: str, language: str) -> None:
    """Any ASCII text, in any language, has the key the general reading gives it."""
    assert collation._key(text, language) == tuple(collation._elements(text, language))


@pytest.mark.parametrize(
    "text",
    ["Smith J 2020", "O'Rourke|1999a", "  12 3,45 x9 ", "a+b~c", "CHapter", "0001"],
    ids=["name-year", "apostrophe-bar", "digit-runs", "symbols", "ch-pair", "leading-zeros"],
)
@pytest.mark.parametrize("language", ["en", "cs", "tr", "zh"], ids=["en", "cs", "tr", "zh"])
def test_ascii_examples(text: str, language: str) -> None:
    """Names, years, digit runs, symbols and a Czech pair keep their general key."""
    assert collation._key(text, language) == tuple(collation._elements(text, language))


def test_tailored_ascii_language_takes_the_general_path() -> None:
    """A language that tailors ASCII letters (Czech 'ch') has no table: 'ch' stays one letter."""
    assert collation._ascii_table("cs") is None
    assert len(collation.collation_key("ch", "cs-CZ")) == 1
