"""The word a locator's label goes to the engine with (correction locator-label-terms of
:mod:`mesorefs.render.corrections`).

Pandoc's citeproc has no locator field: it reads the label and the locator from the
start of a cite's suffix ("chap. 3, for example"), recognising a label by the terms of
the citation's locale as the style amends it, every form and number of the terms of
the labels it knows, case aside.  A word it does not find there is not a label, and
the whole locator stays suffix text after the citation ("Zeta (n 1), chap. 3" where
OSCOLA writes "Zeta (n 1) ch 3"; after the URL in a style that prints one).  When two
labels share a word ("bölüm" is both chapter and section in Turkish) the one pandoc
lists first wins.  So each label goes to the engine with a word of its own in that
locale: a probe run prints every form of every label's term as the style's locale
gives it (:func:`probe_style`), and :func:`label_words` picks for each label the first
of its forms (short, long, symbol; singular first) that pandoc would read as that
label.
"""

from __future__ import annotations

import re
from functools import lru_cache
from xml.etree import ElementTree

import mesorefs.render.pandoc as pandoc
from mesorefs.render.styles import CSL_NS, citation_probe
from mesorefs.render.writers import write_inlines

__all__ = ["ENGINE_LABELS", "engine_words", "label_words", "probe_style"]

_NS = f"{{{CSL_NS}}}"

ENGINE_LABELS = (
    "book", "chapter", "column", "figure", "folio", "issue", "line", "note", "opus",
    "page", "number-of-pages", "paragraph", "part", "section", "sub-verbo", "verse",
    "volume",
)  # fmt: skip
"""The labels pandoc's citeproc reads in a suffix, in its order (the first of two
labels with the same word wins).  Other CSL labels (table, equation, ...) never reach
it as labels."""

_FORMS = (
    ("short", "false"),
    ("long", "false"),
    ("symbol", "false"),
    ("short", "true"),
    ("long", "true"),
    ("symbol", "true"),
)
"""The forms of a term, in the order a label's word is chosen from them."""

_OPEN, _CLOSE = "\u27e6", "\u27e7"
_MARK = re.compile(f"{_OPEN}([a-z-]+)\\|(\\d)\\|([^{_CLOSE}]*){_CLOSE}")


@lru_cache(maxsize=32)
def probe_style(style_xml: str) -> str:
    """The style (its locale settings) with a citation that prints every form of the
    term of each label in :data:`ENGINE_LABELS`, each marked with its label and form."""
    root, layout = citation_probe(style_xml)
    for label in ENGINE_LABELS:
        for k, (form, plural) in enumerate(_FORMS):
            attributes = {
                "term": label,
                "form": form,
                "plural": plural,
                "prefix": f"{_OPEN}{label}|{k}|",
                "suffix": _CLOSE,
            }
            ElementTree.SubElement(layout, f"{_NS}text", attributes)
    return ElementTree.tostring(root, encoding="unicode")


def label_words(rendered_probe: str) -> dict[str, str]:
    """For each label, a word of its term that the engine reads as that label and no
    other, from the citation of :func:`probe_style` (a label without one is left out)."""
    forms: dict[str, list[str]] = {label: [""] * len(_FORMS) for label in ENGINE_LABELS}
    for match in _MARK.finditer(rendered_probe):
        label, k, word = match.group(1), int(match.group(2)), match.group(3).strip()
        if label in forms:
            forms[label][k] = word
    owner: dict[str, str] = {}  # word (case-folded) -> the label pandoc reads it as
    for label in ENGINE_LABELS:
        for word in forms[label]:
            if word:
                owner.setdefault(word.casefold(), label)
    chosen = {}
    for label in ENGINE_LABELS:
        for word in forms[label]:
            if word and owner.get(word.casefold()) == label:
                chosen[label] = word
                break
    return chosen


_PROBE_ITEM = {"id": "label-probe", "type": "book", "title": "Probe"}


@lru_cache(maxsize=64)
def engine_words(style_xml: str, locale: str | None) -> dict[str, str]:
    """Each locator label's word that the engine reads as that label in this style and
    locale, from a probe run (:func:`probe_style`, :func:`label_words`)."""
    probe = pandoc.run(
        [_PROBE_ITEM], [[_PROBE_ITEM["id"]]], probe_style(style_xml), locale, bibliography=False
    )
    return label_words(write_inlines(probe.citations[0], "text"))
