"""A defect of citeproc-js's the wide CSL bench does not count against mesorefs: quotes
doubled where a quoted element sits in another.

CSL locales define ``open-quote``/``close-quote`` and, for a quotation within a
quotation, ``open-inner-quote``/``close-inner-quote`` (CSL 1.0.2, "Quotes" among the
punctuation terms).  Where a style puts ``quotes="true"`` on an element whose output is
already quoted by the style (american-sociological-association's
``<text macro="title" quotes="true"/>``, whose macro writes
``<text variable="title" quotes="true"/>`` for some types), citeproc-js writes the outer
quotes twice, ``““A Title.””``, where pandoc's citeproc writes the inner ones,
``“‘A Title.’”``, as the locale's terms say.

:func:`inner_quoted` writes such doubled quotes in citeproc-js's text as an outer and an
inner pair; the bench applies it only where the texts differ (an entry that agrees as
written agrees so) and counts apart how many entries and citations agree only so.
"""

from __future__ import annotations

import re
from functools import lru_cache
from xml.etree import ElementTree

_NS = "{http://purl.org/net/xbiblio/csl}"
_TERMS = ("open-quote", "close-quote", "open-inner-quote", "close-inner-quote")


@lru_cache(maxsize=32)
def quote_terms(locale_xml: str) -> tuple[str, str, str, str]:
    """The locale's open, close, open-inner and close-inner quotes."""
    root = ElementTree.fromstring(locale_xml.encode("utf-8"))
    found = {
        term.get("name"): term.text or ""
        for term in root.iter(f"{_NS}term")
        if term.get("name") in _TERMS and term.get("form") in (None, "long")
    }
    open_, close, inner_open, inner_close = (found.get(t, "") for t in _TERMS)
    return open_, close, inner_open, inner_close


@lru_cache(maxsize=32)
def _doubled(open_: str, close: str) -> re.Pattern[str]:
    o, c = re.escape(open_), re.escape(close)
    return re.compile(f"{o}{o}((?:(?!{o}|{c}).)*){c}{c}")


def inner_quoted(text: str, quotes: tuple[str, str, str, str]) -> str:
    """``text`` with each doubled pair of outer quotes (``““x””``) written as an outer and
    an inner pair (``“‘x’”``); unchanged where the locale's quotes are not all defined or
    the inner ones are the outer ones."""
    open_, close, inner_open, inner_close = quotes
    if not all(quotes) or (inner_open, inner_close) == (open_, close):
        return text
    pattern = _doubled(open_, close)
    return pattern.sub(lambda m: f"{open_}{inner_open}{m[1]}{inner_close}{close}", text)
