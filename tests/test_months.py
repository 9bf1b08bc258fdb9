"""The one month table (mesorefs.months)."""

from __future__ import annotations

import pytest

from mesorefs.months import ABBREVIATIONS, ENGLISH, ENGLISH_WORDS, MONTH_NUMBERS


@pytest.mark.parametrize("number", range(1, 13), ids=lambda n: f"month{n}")
def test_each_month_is_read_by_macro_and_english_name(number: int) -> None:
    """A month's BibTeX macro and its English name both read as its number."""
    assert MONTH_NUMBERS[ABBREVIATIONS[number - 1]] == number
    assert MONTH_NUMBERS[ENGLISH[number - 1]] == number


def test_english_words_are_read_as_months() -> None:
    """Every English month word is a key of the table, and the table holds only 1-12."""
    assert MONTH_NUMBERS.keys() >= ENGLISH_WORDS
    assert set(MONTH_NUMBERS.values()) == set(range(1, 13))


def test_macros_are_the_first_three_letters() -> None:
    """Each macro is the first three letters of the English name (BibTeX's convention)."""
    assert [name[:3] for name in ENGLISH] == list(ABBREVIATIONS)
