"""Locators as citeproc-js reads them, prepared for pandoc (corrections label-inside-locator
and several-pages-locator of :mod:`mesorefs.render.corrections`): several pages joined by
"&" or "and", and a label written inside the locator.  The word a label goes to the
engine with is :mod:`mesorefs.render.locator_terms`'s job."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree

from mesorefs.render.fixes import ESCAPED_HYPHEN
from mesorefs.render.standins import (
    AMPERSAND,
    COMMA,
    HYPHEN,
    PLURAL,
    SPACE,
)
from mesorefs.render.styles import CSL_NS, citation_probe

_NS = f"{{{CSL_NS}}}"

__all__ = [
    "and_probe_style",
    "and_term",
    "joins_with_a_word",
    "locator_label",
    "prepare_locator",
]


_AND_TERM = re.compile(r'<term name="and">([^<]+)</term>')
_AND_SYMBOL = re.compile(r'<term name="and" form="symbol">([^<]+)</term>')


@lru_cache(maxsize=32)
def _ampersand(style_xml: str, and_term: str) -> str:
    """What an ampersand between numbers prints as: the style's symbol "and", unless it
    is the text "and" too (citeproc-js then keeps "&")."""
    symbols = [html.unescape(s).strip() for s in _AND_SYMBOL.findall(style_xml)]
    words = {and_term, *(html.unescape(w).strip() for w in _AND_TERM.findall(style_xml))}
    if not symbols or symbols[-1] in words | {"&", ""}:
        return AMPERSAND
    return symbols[-1]


@lru_cache(maxsize=32)
def _several(style_xml: str, and_term: str) -> re.Pattern[str]:
    """Numbers joined as citeproc-js joins the parts of a number variable: "&", "and"
    (with or without a comma before it), the locale's "and" or the style's own."""
    words = {"and", and_term, *(w.strip() for w in _AND_TERM.findall(style_xml))} - {""}
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\w\s*&\s*\w|\w,?\s+(?:{alternatives})\s+\w")


AND_PROBE: dict[str, Any] = {
    "id": "and-probe",
    "type": "book",
    "author": [{"family": "Alpha"}, {"family": "Omega"}],
}
"""An item whose names, joined with the locale's "and", show that term."""
_JOINED = re.compile(r"Alpha,?\s+(.+?)\s+Omega")


@lru_cache(maxsize=32)
def and_probe_style(style_xml: str) -> str:
    """The style (its locale settings) with a citation that prints :data:`AND_PROBE`'s
    names joined by the "and" term."""
    root, layout = citation_probe(style_xml)
    names = ElementTree.SubElement(layout, f"{_NS}names", {"variable": "author"})
    ElementTree.SubElement(names, f"{_NS}name", {"and": "text"})
    return ElementTree.tostring(root, encoding="unicode")


def and_term(rendered_probe: str) -> str:
    """The "and" term, from the citation of :data:`AND_PROBE` in :func:`and_probe_style`."""
    match = _JOINED.search(rendered_probe)
    return match.group(1) if match else "and"


_WORD_BETWEEN_NUMBERS = re.compile(r"\d,?\s+\S+\s+\d")


def joins_with_a_word(locator: str) -> bool:
    """Whether a locator has a word between two numbers (which may be the locale's "and")."""
    return bool(_WORD_BETWEEN_NUMBERS.search(locator))


# The abbreviations citeproc-js reads as a label at the start of a locator, for the
# locator types CSL and pandoc know
_EMBEDDED_LABELS = {
    "bk": "book", "ch": "chapter", "col": "column", "fig": "figure", "fol": "folio",
    "l": "line", "n": "note", "no": "issue", "op": "opus", "p": "page", "pp": "page",
    "para": "paragraph", "pt": "part", "r": "rule", "sec": "section", "sv": "sub-verbo",
    "supp": "supplement", "tbl": "table", "vol": "volume", "vrs": "verse",
}  # fmt: skip
_LEADING_LABEL = re.compile(r"^\s*([a-z]+)\.\s+(?=\S)")


def locator_label(locator: str, label: str) -> tuple[str, str]:
    """The locator and its label, a label written at the start of the locator
    ("vol. 1, fol. 186") taking the place of the one given (label-inside-locator)."""
    match = _LEADING_LABEL.match(locator)
    if match is None or match.group(1) not in _EMBEDDED_LABELS:
        return locator, label
    return locator[match.end() :], _EMBEDDED_LABELS[match.group(1)]


_SPACED_RANGE = re.compile(r"(?<=\d)\s+([-–])\s*(?=\d)|(?<=\d)\s*([-–])\s+(?=\d)")


def prepare_locator(locator: str, style_xml: str, and_term: str = "and") -> str:
    """A locator as the engine should see it (correction several-pages-locator);
    ``and_term``: the locale's "and" (see :func:`and_term`)."""
    # "100 - 103" is a range to citeproc-js ("pp. 100–103"), to pandoc a word; "327\-30"
    # is one page, its hyphen as written
    locator = _SPACED_RANGE.sub(lambda m: m.group(1) or m.group(2), locator)
    locator = locator.replace(ESCAPED_HYPHEN, HYPHEN)
    if not _several(style_xml, and_term).search(locator):
        return locator
    ampersand = _ampersand(style_xml, and_term)
    one_word = locator.replace(",", COMMA).replace("&", ampersand).replace(" ", SPACE)
    return one_word + PLURAL
