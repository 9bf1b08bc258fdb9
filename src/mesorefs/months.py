"""The one month table: BibTeX's month macros and the month names references are read in.

Pure data, at the bottom of the package beside :mod:`mesorefs.identifiers`; every
module that reads or writes a month takes its words from here.
"""

from __future__ import annotations

__all__ = ["ABBREVIATIONS", "ENGLISH", "ENGLISH_WORDS", "MONTH_NUMBERS", "SEASONS"]

ABBREVIATIONS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
"""BibTeX's month macros, January first."""

ENGLISH = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
"""The English month names, January first."""

_OTHER_NAMES: tuple[tuple[str, ...], ...] = (
    ("janvier", "januar", "enero"),
    ("février", "februar"),
    ("mars", "märz"),
    ("avril",),
    ("mai", "mayo"),
    ("juin", "juni"),
    ("juillet", "juli"),
    ("août",),
    ("septembre", "sept"),
    ("octobre", "oktober"),
    ("novembre",),
    ("décembre", "dezember"),
)
# French and German names, the Spanish ones seen in references, and "sept"

ENGLISH_WORDS = frozenset((*ABBREVIATIONS, "sept", *ENGLISH))
"""Every English way to write a month in a reference: macros, "sept" and full names."""

MONTH_NUMBERS: dict[str, int] = {
    word: number
    for number, words in enumerate(zip(ABBREVIATIONS, ENGLISH, strict=True), start=1)
    for word in (*words, *_OTHER_NAMES[number - 1])
}
"""A month's number (1-12) by any name we read, in lower case."""

SEASONS = ("spring", "summer", "autumn", "fall", "winter")
"""Seasons a journal issue may be dated by instead of a month."""
