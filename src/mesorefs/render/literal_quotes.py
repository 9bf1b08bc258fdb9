"""Quotation marks and apostrophes written in the data, printed as citeproc-js prints them.

* Typographic double quotes in a field (``“Curly”``): citeproc-js reads them as
  quotation markup only where they are the locale's own outer quotes (US English,
  Dutch, Brazilian Portuguese, ...); in other locales they are text and print as
  written (a German entry keeps ``“Curly”``, where ``„…“`` would be the locale's).
  pandoc reads them as a quotation in every locale and prints the locale's quotes.
  Outside :data:`CURLY_DOUBLE_LOCALES` they go to the engine as stand-ins.
* An apostrophe in ``note``: pandoc reads that field as plain text and leaves a
  straight apostrophe straight (``it's``); citeproc-js makes it typographic as in
  every other field (``it’s``).
"""

from __future__ import annotations

import re
from typing import Any

from mesorefs.render.standins import LITERAL_CLOSE, LITERAL_OPEN

__all__ = ["CURLY_DOUBLE_LOCALES", "finish", "prepare_items"]

CURLY_DOUBLE_LOCALES = frozenset(
    (
        "af-ZA", "da-DK", "en-US", "es-CL", "es-MX", "fa-IR", "hi-IN", "id-ID", "km-KH",
        "ko-KR", "lv-LV", "ms-MY", "nl-NL", "pt-BR", "sk-SK", "th-TH", "tl-PH", "tr-TR",
        "vi-VN",
    )
)  # fmt: skip
"""The CSL locales whose outer quotes (``open-quote``, ``close-quote``) are “ and ”."""

# a span in typographic double quotes, with no other double quote inside
_CURLY_SPAN = re.compile('\u201c([^\u201c\u201d\u201e"]*)\u201d')
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
_KEPT = frozenset(("id", "type", "URL", "DOI", "ISBN", "ISSN", "PMID", "PMCID"))


def _literal(locale: str | None) -> bool:
    """Whether typographic double quotes are text, not markup, in ``locale``."""
    if locale is None or locale in ("en", "en-US"):
        return False
    return locale not in CURLY_DOUBLE_LOCALES


def _quotes_kept(value: str) -> str:
    return _CURLY_SPAN.sub(lambda m: f"{LITERAL_OPEN}{m[1]}{LITERAL_CLOSE}", value)


def prepare_items(items: list[dict[str, Any]], locale: str | None) -> list[dict[str, Any]]:
    """The items with the marks of the module's doc as the engine should see them."""
    literal = _literal(locale)
    prepared = []
    for item in items:
        changed: dict[str, Any] = {}
        note = item.get("note")
        if isinstance(note, str) and "'" in note:
            changed["note"] = _APOSTROPHE.sub("\u2019", note)
        if literal:
            for key, value in item.items():
                if key not in _KEPT and isinstance(value, str) and "\u201c" in value:
                    changed[key] = _quotes_kept(changed.get(key, value))
        prepared.append({**item, **changed} if changed else item)
    return prepared


def finish(rendered: str) -> str:
    """The rendered text with the stand-ins turned back into the quotes written."""
    return rendered.replace(LITERAL_OPEN, "\u201c").replace(LITERAL_CLOSE, "\u201d")
