"""The "no date" term without a year-suffix the style does not place (correction
no-date-without-year-suffix of :mod:`mesorefs.render.corrections`).

CSL puts the year-suffix of ambiguous cites where the style prints the ``year-suffix``
variable, or else after the first year a ``<date>`` prints; an undated work prints no
year, so it gets none (citeproc-js: ``Anon., [nedatováno]``, ISO 690 Czech).  pandoc's
citeproc appends the suffix to the "no date" term as well (``[nedatováno a]``).  In a
style that never prints the ``year-suffix`` variable, each ``<text term="no date">``
goes to the engine as a term of another name (:data:`TERM`) with the same words, which
a ``<locale>`` of the style gives in every form the style's own locales or the locale
file give "no date" (:mod:`mesorefs.render.locale_file`).
"""

from __future__ import annotations

import copy
from functools import lru_cache
from xml.etree import ElementTree

from mesorefs.render.locale_file import locale_xml
from mesorefs.render.styles import CSL_NS

__all__ = ["TERM", "without_year_suffix"]

_NS = f"{{{CSL_NS}}}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NO_DATE = "no date"
TERM = "mesorefs-no-date"
"""The name the "no date" term goes to the engine under."""


def _forms(locales: list[ElementTree.Element]) -> dict[str, ElementTree.Element]:
    """Each form of "no date" from the first of ``locales`` that defines it."""
    found: dict[str, ElementTree.Element] = {}
    for locale in locales:
        for term in locale.iter(f"{_NS}term"):
            if term.get("name") == _NO_DATE:
                found.setdefault(term.get("form", "long"), term)
    return found


@lru_cache(maxsize=64)
def without_year_suffix(style_xml: str, locale: str | None) -> str:
    """The style with its "no date" terms renamed (see the module's doc), when it never
    prints the year-suffix variable; else the style as it is."""
    if f'term="{_NO_DATE}"' not in style_xml or 'variable="year-suffix"' in style_xml:
        return style_xml
    tag = locale or "en-US"
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    own = root.findall(f"{_NS}locale")
    # the style's locales as the engine reads them: the dialect, the language, any
    ranked = [
        *(loc for loc in own if loc.get(_XML_LANG) == tag),
        *(loc for loc in own if loc.get(_XML_LANG) == tag.split("-")[0] != tag),
        *(loc for loc in own if loc.get(_XML_LANG) is None),
    ]
    found = locale_xml(tag)
    if found is not None:
        ranked.append(ElementTree.fromstring(found.encode("utf-8")))
    forms = _forms(ranked)
    if not forms:
        return style_xml
    for element in root.iter(f"{_NS}text"):
        if element.get("term") == _NO_DATE:
            element.set("term", TERM)
    added = ElementTree.Element(f"{_NS}locale")
    terms = ElementTree.SubElement(added, f"{_NS}terms")
    for form, term in forms.items():
        renamed = ElementTree.SubElement(terms, f"{_NS}term", {**term.attrib, "name": TERM})
        renamed.set("form", form)
        renamed.text = term.text
        renamed.extend(copy.deepcopy(child) for child in term)
    position = max((k + 1 for k, c in enumerate(root) if c.tag == f"{_NS}locale"), default=1)
    root.insert(position, added)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(
        root, encoding="unicode"
    )
