"""A cite's suffix that starts with a word is set apart by a space, as citeproc-js
sets it (render/affixes.py, spaced_suffix).  Expected texts are citeproc-js's
(benchmarks/_citeproc_js.py) for the same cites."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import Reference
from mesorefs.render import CiteItem, format_citations
from mesorefs.render.affixes import spaced_suffix


@pytest.mark.parametrize(
    ("suffix", "expected"),
    [
        ("for a counter-example", " for a counter-example"),
        ("émphasis", " émphasis"),
        ("(emphasis added)", " (emphasis added)"),
        ("[sic]", " [sic]"),
        ("& passim", " & passim"),
        (", for example", ", for example"),
        (" already spaced", " already spaced"),
        ("5 more", "5 more"),
        ("<i>x</i>", "<i>x</i>"),
    ],
    ids=[
        "word",
        "accented",
        "parenthesis",
        "bracket",
        "ampersand",
        "comma",
        "space",
        "digit",
        "markup",
    ],
)
def test_spaced_suffix(suffix: str, expected: str) -> None:
    """Only a suffix that starts with a letter, "&", "[" or "(" gets a space."""
    assert spaced_suffix(suffix) == expected


@given(st.text())
def test_spacing_keeps_the_suffix(suffix: str) -> None:
    """The suffix is kept whole; at most one space is put before it."""
    spaced = spaced_suffix(suffix)
    assert spaced in (suffix, " " + suffix)


@pytest.mark.parametrize(
    ("locator", "label", "expected"),
    [
        ("4.2", "section", "(Zeta, 2001, Section 4.2 for a counter-example)"),
        ("4", "page", "(Zeta, 2001, p. 4 for a counter-example)"),
        (None, "page", "(Zeta, 2001 for a counter-example)"),
    ],
    ids=["after-a-section", "after-a-page", "without-a-locator"],
)
def test_a_worded_suffix_is_not_glued_on(
    locator: str | None, label: str, expected: str, zeta_book: Reference
) -> None:
    """ "4.2for a counter-example" (issue 28) and ", for a counter-example" are gone."""
    cite = CiteItem(zeta_book, locator=locator, label=label, suffix="for a counter-example")
    assert format_citations([[cite]], style="apa").citations == [expected]
