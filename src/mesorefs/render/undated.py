"""No year-suffix on an undated work where the style leaves the suffix to the engine
(correction no-suffix-without-date of :mod:`mesorefs.render.corrections`).

CSL 1.0.2 (``disambiguate-add-year-suffix``): unless the style renders the
``year-suffix`` variable itself, the suffix is appended to the first year rendered
through ``cs:date``; a cite that renders no date gets none.  citeproc-js writes two
undated works by "Anon." as "(Anon. [nedatováno])" twice; pandoc's citeproc appends
the suffix to the "no date" term: "(Anon. [nedatováno a])", "(Anon. [nedatováno b])"
(issue 28's wide bench: iso690-author-date-cs, its cites and entries of undated
works).  Given the term's text as a plain value, pandoc appends no suffix there, and
the cite prints what the term would: :func:`prepare_style` writes each ``<text
term="no date">`` of such a style as ``<text value="...">`` with the term's text for
the locale, read from a probe run (:func:`probe_style`, :func:`term_texts`).
"""

from __future__ import annotations

from functools import lru_cache
from xml.etree import ElementTree

import mesorefs.render.pandoc as pandoc
from mesorefs.render.styles import CSL_NS, citation_probe
from mesorefs.render.writers import write_inlines

__all__ = ["PROBE", "implicit_suffix", "prepare_style", "probe_style", "term_texts"]

_NS = f"{{{CSL_NS}}}"
_TERM = "no date"
_FORMS = ("long", "short")
_DELIMITER = "\u27e7"

PROBE = {"id": "no-date-probe", "type": "book", "title": "x"}
"""The item the probe run cites (the probe prints only terms)."""


def _terms(root: ElementTree.Element) -> list[ElementTree.Element]:
    return [t for t in root.iter(f"{_NS}text") if t.get("term") == _TERM]


@lru_cache(maxsize=32)
def implicit_suffix(style_xml: str) -> bool:
    """Whether the style adds year-suffixes to its citations without rendering the
    ``year-suffix`` variable, and prints the "no date" term somewhere."""
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    citation = root.find(f"{_NS}citation")
    if citation is None or citation.get("disambiguate-add-year-suffix") != "true":
        return False
    explicit = any(t.get("variable") == "year-suffix" for t in root.iter(f"{_NS}text"))
    return not explicit and bool(_terms(root))


@lru_cache(maxsize=32)
def probe_style(style_xml: str) -> str:
    """The style (its locale settings kept) with a citation that prints the "no date"
    term in each form, between :data:`_DELIMITER`."""
    root, layout = citation_probe(style_xml)
    layout.set("delimiter", _DELIMITER)
    group = ElementTree.SubElement(layout, f"{_NS}group", {"delimiter": _DELIMITER})
    for form in _FORMS:
        ElementTree.SubElement(group, f"{_NS}text", {"term": _TERM, "form": form})
    return ElementTree.tostring(root, encoding="unicode")


def term_texts(rendered_probe: str) -> dict[str, str] | None:
    """The term's text by form from the citation of :func:`probe_style`; None when the
    probe does not read as one text per form."""
    parts = rendered_probe.split(_DELIMITER)
    if len(parts) != len(_FORMS):
        return None
    return dict(zip(_FORMS, parts, strict=True))


@lru_cache(maxsize=32)
def prepare_style(style_xml: str, locale: str | None) -> str:
    """The style with its "no date" terms given as their text, where the style leaves
    the year-suffix to the engine (:func:`implicit_suffix`); as given otherwise."""
    if not implicit_suffix(style_xml):
        return style_xml
    probe = pandoc.run(
        [PROBE], [[str(PROBE["id"])]], probe_style(style_xml), locale, bibliography=False
    )
    texts = term_texts(write_inlines(probe.citations[0], "text"))
    if texts is None:
        return style_xml
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    for text in _terms(root):
        form = text.attrib.pop("form", "long")
        for attr in ("term", "plural"):
            text.attrib.pop(attr, None)
        text.set("value", texts.get(form, texts["long"]))
    return ElementTree.tostring(root, encoding="unicode")
