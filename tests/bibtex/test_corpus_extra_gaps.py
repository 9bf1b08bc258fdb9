"""Gaps found by corpus_bench on the wider bib corpus (issue 28): each defect as found."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.bibtex.meaning import same_meaning
from mesorefs.library import tidy_bibtex


def _field(text: str, name: str) -> str:
    line = next(x for x in text.splitlines() if x.strip().startswith(name + " "))
    return line.split("=", 1)[1].strip().rstrip(",")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("author", r"{Tr{\"a}g\textbackslash{}aardh, Johanna and Ek, Martin}"),
        ("note", r"{\verb+http://www.example.org/ea/1997/019/+}"),
        ("note", r"{see \textbackslash{}input and \verb|x|}"),
    ],
    ids=["typed-backslash-in-name", "verb-command", "both"],
)
def test_a_typed_backslash_and_a_kept_command_are_not_swapped(name: str, value: str) -> None:
    """A Zotero export's typed backslash (``\\textbackslash{}aardh``) must not become the
    command ``\\aardh``, nor a ``\\verb`` command a typed ``{\\textbackslash}verb``."""
    out = tidy_bibtex(f"@misc{{k, {name} = {value}, year = 2000}}\n")
    assert _field(out, name) == value
    assert tidy_bibtex(out) == out


@pytest.mark.parametrize(
    "title",
    [
        "{From {{Blindness}} to Blindness: Museums}",
        "{The {{City}} in {{History}}. {{Its}} Origins, Its Transformations}",
        "{{{Best}} Available Technology + Best Available Design}",
    ],
    ids=["repeated-word", "repeated-its", "repeated-best"],
)
def test_protection_of_one_occurrence_is_not_spread_to_the_others(title: str) -> None:
    """Better BibTeX protects a word where it stands; tidy must not brace the same word
    elsewhere in the title, which sentence case would then print capitalized."""
    out = tidy_bibtex(f"@article{{k, title = {title}, year = 2000}}\n")
    assert _field(out, "title") == title


@pytest.mark.parametrize(
    ("before", "after", "same"),
    [
        ("From {Blindness} to Blindness", "From {Blindness} to {Blindness}", False),
        ("Reusable Object-Oriented Software", "Reusable {Object}-Oriented Software", False),
        ("The HIV-Positive Patient", "The {HIV}-Positive Patient", True),
        ("Tracking SARS-CoV-2 in 3D", "Tracking {SARS-CoV-2} in {3D}", True),
        ("The iPhone Effect", "The {iPhone} Effect", True),
        ("Reading U.S.A. Today", "Reading {U.S.A.} Today", True),
    ],
    ids=["repeated-word", "plain-word", "acronym", "inner-capitals", "small-first", "periods"],
)
def test_the_guard_allows_added_protection_only_on_acronyms(
    before: str, after: str, same: bool
) -> None:
    """tidy's meaning guard accepts braces added to acronyms and inner capitals only."""
    assert same_meaning("title", before, after) is same


_WORD = st.from_regex(r"[A-Z][a-z]{2,8}", fullmatch=True)


@given(st.lists(_WORD, min_size=2, max_size=6))
def test_braces_added_to_a_capitalized_word_are_a_change(words: list[str]) -> None:
    """Bracing any plain capitalized word after the first changes what sentence case
    prints, so the guard refuses it."""
    title = " ".join(words)
    braced = " ".join([words[0], *("{" + w + "}" for w in words[1:])])
    assert not same_meaning("title", title, braced)


@pytest.mark.parametrize(
    "title",
    [
        "{Det Åbne Land}",
        "{Schutz des Bürgen zwischen Österreich und der Türkei}",
        r"{A Detection of Sgr A{\ast} in the Far Infrared}",
    ],
    ids=["capital-a-ring", "capital-o-umlaut", "math-symbol-in-text"],
)
def test_a_spelling_that_may_print_differently_is_kept(title: str) -> None:
    """A title's Unicode capital outside braces (sentence case lowers it in biber and
    pybtex, its macro group in BibTeX) and a macro with no ASCII text spelling (``\\ast``)
    are kept as the user wrote them in ASCII output."""
    out = tidy_bibtex(f"@article{{k, title = {title}, year = 2000}}\n")
    assert _field(out, "title") == title
    assert tidy_bibtex(out) == out


def test_a_unicode_capital_elsewhere_still_becomes_a_macro() -> None:
    """Outside titles the ASCII spelling is still written: sentence case never applies."""
    out = tidy_bibtex("@article{k, journal = {Ärzteblatt}, title = {Plain}, year = 2000}\n")
    assert _field(out, "journal") == '{{\\"A}rzteblatt}'
