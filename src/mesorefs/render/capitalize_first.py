"""``text-case="capitalize-first"`` on a variable whose first word holds a digit
(correction capitalize-first-with-digits of :mod:`mesorefs.render.corrections`).

CSL 1.0.2 (text-case): "capitalize-first" capitalizes the first character of the first
word, if the word is lowercase.  citeproc-js does so for a word with digits as for any
(Chicago's publisher ``lncs4957`` prints ``Lncs4957``, ``x2`` prints ``X2``); pandoc's
citeproc leaves a word with a digit as it is (``lncs4957``), while it capitalizes
``k-12``.  :func:`prepare_style` puts :data:`CAPITALIZE` at the end of the prefix of
each ``<text variable>`` with ``text-case="capitalize-first"``, and :func:`finish`
capitalizes the first letter of a lowercase first word with a digit after it, and takes
it out (issue 28's wide bench: chicago-author-date, taylor-and-francis-chicago-author-date).
"""

from __future__ import annotations

import re
from functools import lru_cache
from xml.etree import ElementTree

from mesorefs.render.standins import CAPITALIZE
from mesorefs.render.styles import CSL_NS

__all__ = ["finish", "prepare_style"]

_NS = f"{{{CSL_NS}}}"

# the stand-in, the markup the output format opens (HTML tags, LaTeX commands and
# braces, Markdown emphasis), then the first word
_FIRST_WORD = re.compile(f"{CAPITALIZE}((?:</?[a-z][^>]*>|\\\\[a-zA-Z]+\\{{|[*_{{}}])*)(\\S*)")


@lru_cache(maxsize=32)
def prepare_style(style_xml: str) -> str:
    """The style with :data:`CAPITALIZE` before each variable it capitalizes first."""
    if 'text-case="capitalize-first"' not in style_xml:
        return style_xml
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    changed = False
    for text in root.iter(f"{_NS}text"):
        if text.get("variable") and text.get("text-case") == "capitalize-first":
            text.set("prefix", text.get("prefix", "") + CAPITALIZE)
            changed = True
    if not changed:
        return style_xml
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(
        root, encoding="unicode"
    )


def _capitalized(match: re.Match[str]) -> str:
    markup, word = match[1], match[2]
    lowercase = not any(c.isupper() for c in word)
    if word[:1].islower() and lowercase and any(c.isdigit() for c in word):
        word = word[0].upper() + word[1:]
    return markup + word


def finish(rendered: str) -> str:
    """The rendered text with the first word after each :data:`CAPITALIZE` capitalized
    where pandoc left it (a lowercase word with a digit), and the stand-ins taken out."""
    if CAPITALIZE not in rendered:
        return rendered
    return _FIRST_WORD.sub(_capitalized, rendered).replace(CAPITALIZE, "")
