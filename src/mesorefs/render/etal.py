"""An "et al." term in a script without spaces joins the names without one.

citeproc-js writes the space before the "et-al" term only when the term starts with a
letter of a script that spaces its words ("romanesque": Latin, Greek, Cyrillic, ...);
before a Chinese or Japanese term it writes none (``Gibbons A等``, GB/T 7714 in zh-CN),
while a delimiter that precedes the term (``AAA, BBB, CCC, 等``) stays.  pandoc's
citeproc always writes the space.  A probe run gives the term as the engine writes it
for the style and locale (:func:`probe_style`, :func:`term`), and :func:`joined`
takes out the space between a name and that term (issue 28's wide bench:
chinese-gb7714-2005-author-date citations).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree

import mesorefs.render.pandoc as pandoc
from mesorefs.render.labels import ROMANESQUE
from mesorefs.render.styles import CSL_NS, citation_probe
from mesorefs.render.writers import write_inlines

__all__ = ["PROBE", "joined", "probe_style", "term", "term_for"]

_NS = f"{{{CSL_NS}}}"

PROBE: dict[str, Any] = {
    "id": "et-al-probe",
    "type": "book",
    "author": [{"family": "Alpha"}, {"family": "Omega"}],
}
"""An item whose first name, followed by the "et al." term, shows that term."""
_AFTER_NAME = re.compile(r"Alpha\s+(.+)$")
_ROMANESQUE_START = re.compile(f"^[&{ROMANESQUE}]")
# a name delimiter (or other punctuation) before the term keeps its space
_KEPT_BEFORE = ",;，；、"


@lru_cache(maxsize=32)
def probe_style(style_xml: str) -> str:
    """The style (its locale settings kept) with a citation that prints :data:`PROBE`'s
    first name and the "et al." term."""
    root, layout = citation_probe(style_xml)
    names = ElementTree.SubElement(layout, f"{_NS}names", {"variable": "author"})
    ElementTree.SubElement(
        names,
        f"{_NS}name",
        {"et-al-min": "2", "et-al-use-first": "1", "delimiter-precedes-et-al": "never"},
    )
    return ElementTree.tostring(root, encoding="unicode")


def term(rendered_probe: str) -> str | None:
    """The "et al." term from the citation of :data:`PROBE` in :func:`probe_style` when
    it starts in a script without spaces (citeproc-js's test); None otherwise."""
    match = _AFTER_NAME.search(rendered_probe.strip())
    if not match:
        return None
    found = match.group(1).strip()
    return None if not found or _ROMANESQUE_START.match(found) else found


@lru_cache(maxsize=64)
def term_for(style_xml: str, locale: str | None) -> str | None:
    """:func:`term` for the style and locale, from one probe run of the engine."""
    probe = pandoc.run(
        [PROBE], [[str(PROBE["id"])]], probe_style(style_xml), locale, bibliography=False
    )
    return term(write_inlines(probe.citations[0], "text"))


def joined(rendered: str, et_al: str | None) -> str:
    """``rendered`` with no space between a name and ``et_al`` (a term from :func:`term`);
    a delimiter's space before it stays."""
    if not et_al or et_al not in rendered:
        return rendered
    spaced = re.compile(f"(?<=[^\\s{re.escape(_KEPT_BEFORE)}]) (?={re.escape(et_al)})")
    return spaced.sub("", rendered)
