"""Locators go to the engine with a word of their label that the citation's locale
knows (render/locator_terms.py, correction locator-label-terms).  Expected texts are
citeproc-js's (benchmarks/_citeproc_js.py) for the same cites."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import Reference
from mesorefs.render import CiteItem, format_citations
from mesorefs.render.locator_terms import ENGINE_LABELS, label_words


def _probe_text(forms: dict[str, list[str]]) -> str:
    return "".join(
        f"\u27e6{label}|{k}|{word}\u27e7"
        for label, words in forms.items()
        for k, word in enumerate(words)
    )


@given(
    st.dictionaries(
        st.sampled_from(ENGINE_LABELS),
        st.lists(st.sampled_from(["a.", "A.", "b", "cc", "d d", ""]), min_size=6, max_size=6),
    )
)
def test_a_chosen_word_is_read_as_its_own_label(forms: dict[str, list[str]]) -> None:
    """Each chosen word is one of its label's forms and no label the engine lists
    earlier has it (case aside): the engine reads it as that label."""
    chosen = label_words(_probe_text(forms))
    for label, word in chosen.items():
        assert word in forms[label]
        earlier = ENGINE_LABELS[: ENGINE_LABELS.index(label)]
        taken = {w.casefold() for other in earlier for w in forms.get(other, [])}
        assert word.casefold() not in taken


def test_a_label_whose_every_word_is_taken_is_left_out() -> None:
    """A word the engine reads as an earlier label is no word for this one: with
    "bölüm" its only form, section gets none (chapter, listed first, owns it)."""
    probe = _probe_text(
        {"chapter": ["böl.", "bölüm", "", "", "bölümler", ""], "section": ["bölüm"] + [""] * 5}
    )
    assert label_words(probe) == {"chapter": "böl."}


def _cite(
    book: Reference, style: str, label: str, locator: str, prefix: str = "", suffix: str = ""
) -> str:
    book = book.model_copy(update={"url": "https://example.org/a"})
    cite = CiteItem(book, locator=locator, label=label, prefix=prefix, suffix=suffix)
    return format_citations([[cite]], style=style).citations[0]


@pytest.mark.parametrize(
    ("style", "label", "locator", "suffix", "expected"),
    [
        (
            "oscola",
            "chapter",
            "3",
            ", for example",
            "Ann Zeta, Alpha Book (Pub 2001) ch 3 <https://example.org/a>, for example.",
        ),
        (
            "oscola",
            "section",
            "2.1",
            "",
            "Ann Zeta, Alpha Book (Pub 2001) s 2.1 <https://example.org/a>.",
        ),
        ("apa-tr", "chapter", "3", "", "(Zeta, 2001, böl. 3)"),
        ("apa-tr", "section", "2.1", "", "(Zeta, 2001, blm. 2.1)"),
        ("apa", "chapter", "3", "", "(Zeta, 2001, Chapter 3)"),
    ],
    ids=["oscola-chapter", "oscola-section", "turkish-chapter", "turkish-section", "apa-chapter"],
)
def test_the_style_s_term_stands_at_the_locator(
    style: str, label: str, locator: str, suffix: str, expected: str, zeta_book: Reference
) -> None:
    """The locator is printed where the style puts it, with the style's own term, not
    after the citation as suffix text ("(n 1), chap. 3")."""
    assert _cite(zeta_book, style, label, locator, suffix=suffix) == expected
