"""A defect of citeproc-js's the wide CSL bench does not count against mesorefs: short
names with a demoted particle.

The CSL specification (1.0.2, "Name-part Order") writes a name in the short form as
"[non-dropping-particle] [family]" ("van Gogh"), whatever ``name-as-sort-order`` says:
only the long form has a sort order.  citeproc-js, where a ``<name form="short">`` has
``name-as-sort-order`` and the style demotes particles in display
(``demote-non-dropping-particle="display-and-sort"``, the default), writes the particle
after the family name with the name's sort-separator: "(Last, de, 2006)" in
norma-portuguesa-405, "[Mises von, 2010]" in gost-r-7-0-5-2008.  pandoc's citeproc
writes "de Last" as the specification says.

:func:`spec_order` writes such names in citeproc-js's citation text back in the
specification's order; the bench applies it only to citations, only for a style
:func:`demoted_short_separators` finds such a name in, and only where the texts differ
(a citation that agrees as written agrees so).  The summary says how many citations
agree only so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree

_NS = "{http://purl.org/net/xbiblio/csl}"
_NAME_VARIABLES = ("author", "editor", "translator", "collection-editor", "container-author")


@lru_cache(maxsize=128)
def demoted_short_separators(style_xml: str) -> tuple[str, ...]:
    """The sort-separators of the style's short names that citeproc-js writes in sort
    order with the particle demoted; () when there is none (or the style never demotes
    particles in display)."""
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    if root.get("demote-non-dropping-particle", "display-and-sort") != "display-and-sort":
        return ()
    found = {
        name.get("sort-separator", ", ")
        for name in root.iter(f"{_NS}name")
        if name.get("form") == "short" and name.get("name-as-sort-order")
    }
    return tuple(sorted(found))


def _particled(items: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
    """(family, non-dropping particle) of every name with such a particle."""
    out = []
    for item in items:
        for variable in _NAME_VARIABLES:
            for person in item.get(variable) or []:
                family, particle = person.get("family"), person.get("non-dropping-particle")
                if isinstance(family, str) and isinstance(particle, str) and particle:
                    out.append((family, particle))
    return out


def spec_order(text: str, items: Iterable[dict[str, Any]], separators: tuple[str, ...]) -> str:
    """citeproc-js's citation ``text`` with each short name of ``items`` written
    "family<separator>particle" put back as "particle family"."""
    for family, particle in _particled(items):
        for separator in separators:
            demoted = re.escape(family + separator + particle) + r"(?!\w)"
            text = re.sub(r"(?<!\w)" + demoted, f"{particle} {family}", text)
    return text
