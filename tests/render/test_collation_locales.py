"""Sort keys compared in the document's language (render/collation.py, TAILORINGS and
SCRIPT_ORDER), as citeproc-js's collator compares them.

The expected orders are citeproc-js's (node's ``Intl.Collator`` for the locale, with the
options citeproc-js passes), and each one differs from the root order, so a language
that fell back to the root order fails here.  Found by benchmarks/csl_wide_bench.py:
chinese-gb7714-2005-author-date (zh-CN, an anonymous work's "佚名" sorts first),
iso690-author-date-cs (cs-CZ), iso690-numeric-sk (sk-SK) and apa-tr (tr-TR).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.render import format_bibliography
from mesorefs.render.collation import TAILORINGS, collation_key

_CASES = [
    ("cs-CZ", "Cyril", "Čapek"),
    ("cs-CZ", "Hruška", "Chalupa"),
    ("cs-CZ", "Rybář", "Řezníček"),
    ("sk-SK", "Azbuka", "Ärmel"),
    ("sk-SK", "Ozón", "Ôsmy"),
    ("tr-TR", "Ceylan", "Çelik"),
    ("tr-TR", "ılık", "iç"),
    ("tr-TR", "Ozun", "Öztürk"),
    ("es-ES", "Nuevo", "Ñandú"),
    ("pl-PL", "Lis", "Łada"),
    ("pl-PL", "Zawada", "Żak"),
    ("hr-HR", "Lukić", "Ljubić"),
    ("sl-SI", "Cvetko", "Čeh"),
    ("zh-CN", "佚名", "Abel"),
    ("ja-JP", "アベ", "Ωmega"),
    ("ja-JP", "王", "Ωmega"),
    ("en-US", "izmir", "ılıca"),
]


@pytest.mark.parametrize(
    ("locale", "before", "after"),
    _CASES,
    ids=[
        "cs-c-caron-after-c",
        "cs-ch-after-h",
        "cs-r-caron-after-r",
        "sk-a-umlaut-after-a",
        "sk-o-circumflex-after-o",
        "tr-c-cedilla-after-c",
        "tr-dotless-i-before-i",
        "tr-o-umlaut-after-o",
        "es-n-tilde-after-n",
        "pl-l-stroke-after-l",
        "pl-z-dot-after-z",
        "hr-lj-after-l",
        "sl-c-caron-after-c",
        "zh-han-before-latin",
        "ja-greek-after-kana",
        "ja-greek-after-han",
        "root-dotless-i-after-i",
    ],
)
def test_order_in_the_language(locale: str, before: str, after: str) -> None:
    """In its language the first word sorts first; in another language (English, or
    for the root case Turkish) not."""
    assert collation_key(before, locale) < collation_key(after, locale)
    other = "tr-TR" if locale == "en-US" else "en-US"
    assert collation_key(after, other) <= collation_key(before, other)


@pytest.mark.parametrize("locale", ["en-US", "de-DE", "fr-FR", "pt-BR", "ru-RU", None])
def test_languages_without_tailoring_sort_as_the_root(locale: str | None) -> None:
    """German's ä, French's é and English's č are their base letters (root order)."""
    assert collation_key("Čapek Ä é", locale) == collation_key("capek a e")


_LANGUAGES = sorted(TAILORINGS)


@given(
    st.sampled_from(_LANGUAGES),
    st.text(alphabet="abcčdhchıiñoöłsšzž ", min_size=1, max_size=12),
    st.sampled_from(".,;:'’()-"),
)
def test_punctuation_never_matters_in_any_language(language: str, text: str, mark: str) -> None:
    """Punctuation is ignored in every tailored language too."""
    middle = len(text) // 2
    with_mark = text[:middle] + mark + text[middle:]
    # a mark inside a contraction ("ch", "dž", "lj") splits it, as it does for citeproc-js
    contractions = [letters for letters in TAILORINGS[language] if len(letters) > 1]
    if any(c in text and text.count(c) != with_mark.count(c) for c in contractions):
        return
    assert collation_key(with_mark, language) == collation_key(text, language)


def _anonymous(year: int) -> Reference:
    return Reference(type="book", title="Wenxian", issued=PartialDate(year=year))


def test_chinese_bibliography_puts_an_anonymous_work_first() -> None:
    """GB/T 7714 author-date (zh-CN): "佚名" (no author) sorts before Latin names,
    as citeproc-js sorts it."""
    refs = [
        Reference(type="book", title="Alpha", authors=[Person(family="Abel", given="N")]),
        _anonymous(2006),
    ]
    entries = format_bibliography(refs, style="chinese-gb7714-2005-author-date")
    assert [e[:2] for e in entries] == ["佚名", "AB"]


def test_czech_bibliography_puts_ch_after_h() -> None:
    """ISO 690 author-date, Czech: Chalupa after Hruška, Čapek after Cyril."""
    refs = [
        Reference(type="book", title="T", authors=[Person(family=f, given="A")])
        for f in ("Chalupa", "Čapek", "Hruška", "Cyril")
    ]
    entries = format_bibliography(refs, style="iso690-author-date-cs")
    assert [e.split(",")[0] for e in entries] == ["CYRIL", "ČAPEK", "HRUŠKA", "CHALUPA"]
