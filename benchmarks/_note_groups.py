"""A defect of citeproc-js's the wide CSL bench does not count against mesorefs: a note
style's ``disambiguate="true"`` content in the short forms of three or more works.

The CSL specification (1.0.2, "Choose") renders that content "only if it disambiguates
two otherwise identical citations".  In a note style whose short form carries its
first note's number ("Knuth (n 80)"), citeproc-js renders it in the short forms of the
works of a group of three or more whose short forms read alike without the note
number (OSCOLA: "Knuth, TeX (n 80)", "Knuth, 'Fundamental Algorithms' (n 152)"), even
where it tells them apart by nothing (three chapters "Semigroups of Recurrences"), and
never for a group of two ("Knuth (n 1)", "Knuth (n 2)"): the size of the group decides,
which no reading of the specification does.  mesorefs (pandoc's citeproc) renders the
content where the citations read alike as written.

:func:`groups` finds, with citeproc-js itself, the works of such groups (each work's short
form from a run of the style without note numbers and with the condition false, every
work cited twice); :func:`neutral_style` is the style with the condition false.  The
bench renders the sequence once more with it and, only where the texts differ, only
for a citation of a work of such a group, compares ours with that rendering; the
summary says how many citations agree only so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree

_CSL = "http://purl.org/net/xbiblio/csl"
_NS = f"{{{_CSL}}}"
_NEVER = "mesorefs-bench-never"
"""A variable no item has: the condition that tests it is never true."""
_NOTE_NUMBER = "first-reference-note-number"
_SPACES = re.compile(r"\s+")

Render = Callable[[list[dict[str, Any]], str, list[list[dict[str, Any]]]], list[str]]
"""citeproc-js: (items, style xml, sequence) -> the sequence's texts."""


def _root(style_xml: str) -> ElementTree.Element:
    ElementTree.register_namespace("", _CSL)
    return ElementTree.fromstring(style_xml.encode("utf-8"))


@lru_cache(maxsize=16)
def applies(style_xml: str) -> bool:
    """A note style with a ``disambiguate="true"`` condition."""
    if 'disambiguate="true"' not in style_xml:
        return False
    root = _root(style_xml)
    return root.get("class") == "note"


def neutral_style(style_xml: str, note_numbers: bool = True) -> str:
    """The style with every ``disambiguate="true"`` condition false (a condition alone,
    or with others under ``match="all"``: it tests a variable no item has), and without
    the first note's number when ``note_numbers`` is False."""
    root = _root(style_xml)
    for element in root.iter():
        if element.get("disambiguate") != "true" or "variable" in element.attrib:
            continue
        if set(element.attrib) - {"disambiguate", "match"} and element.get("match", "all") != "all":
            continue
        del element.attrib["disambiguate"]
        element.set("variable", _NEVER)
    if not note_numbers:
        for parent in list(root.iter()):
            for child in list(parent):
                if child.get("variable") == _NOTE_NUMBER and not child.tag.endswith("if"):
                    parent.remove(child)
    return ElementTree.tostring(root, encoding="unicode")


def groups(items: list[dict[str, Any]], style_xml: str, render: Render) -> frozenset[str]:
    """The ids of the works whose short forms, without note numbers and without the
    condition's content, read like those of two or more other works."""
    if len(items) < 3:
        return frozenset()
    twice = [[{"id": item["id"]}] for item in items] * 2  # the second time: short forms
    texts = render(items, neutral_style(style_xml, note_numbers=False), twice)[len(items) :]
    by_text: dict[str, list[str]] = defaultdict(list)
    for item, text in zip(items, texts, strict=True):
        by_text[_SPACES.sub(" ", text).strip()].append(item["id"])
    return frozenset(i for ids in by_text.values() if len(ids) >= 3 for i in ids)
