"""Which works a note style's ``disambiguate="true"`` condition is true for (correction
note-disambiguate-condition).

The CSL specification renders that condition's content "only if it disambiguates two
otherwise identical citations". pandoc's citeproc finds the works whose citations read
alike, and renders the content for them whether it tells them apart or not: two works
that print the same author and title in their first notes ("Clive Constraint, 'Limits
of Things'.") get the title again in every short form ("Constraint, 'Limits of Things'
(n 4)"), where it tells nothing apart and citeproc-js writes "Constraint (n 4)".

Here the engine's test is taken over. A probe cites every cited work twice, its first
form and then its short form (with its note number, as the reader sees it), with the
condition false and with it true (the condition becomes a test of the variable
:data:`MARKER`, which only the chosen items carry). Works whose first forms, or whose
short forms, read alike are ambiguous; the condition is true for all of such a group
when it tells at least two of them apart there, and false when it tells none apart.
Justified by the wide bench's oscola short forms (w143/w191, alike in all they print).

Not copied: citeproc-js renders the content in the short forms of three or more works
by one author (w080/w152/w175 by Knuth: "Knuth, TeX (n 80)") though their note numbers
tell them apart, even where it tells nothing apart (three chapters "Semigroups of
Recurrences"), and not for two such works ("Knuth (n 1)", "Knuth (n 2)").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from xml.etree import ElementTree

import mesorefs.render.pandoc as pandoc
from mesorefs.render.styles import CSL_NS
from mesorefs.render.writers import write_inlines

__all__ = ["MARKER", "applies", "chosen", "engine_probe", "marked_items", "marker_style"]

MARKER = "mesorefs-disambiguate"
"""The item variable the style's ``disambiguate="true"`` condition tests instead."""

_NS = f"{{{CSL_NS}}}"

Probe = Callable[[list[dict[str, Any]], list[list[str]], str], list[str]]
"""Renders items' citations with a style: (items, clusters of ids, style xml) -> texts."""


def engine_probe(locale: str | None) -> Probe:
    """A :data:`Probe` that runs the engine in ``locale`` (the citations in HTML, so that
    italics tell texts apart as citeproc-js's comparison does)."""

    def probe(items: list[dict[str, Any]], clusters: list[list[str]], xml: str) -> list[str]:
        found = pandoc.run(items, clusters, xml, locale, bibliography=False, in_notes=True)
        return [write_inlines(c, "html") for c in found.citations]

    return probe


def _root(style_xml: str) -> ElementTree.Element:
    ElementTree.register_namespace("", CSL_NS)
    return ElementTree.fromstring(style_xml.encode("utf-8"))


def applies(style_xml: str) -> bool:
    """Whether the style is a note style whose citation tests ``disambiguate``."""
    if 'disambiguate="true"' not in style_xml:
        return False
    root = _root(style_xml)
    return root.get("class") == "note" and any(e.get("disambiguate") == "true" for e in root.iter())


def _swap_condition(root: ElementTree.Element) -> None:
    for element in root.iter():
        if element.get("disambiguate") != "true" or "variable" in element.attrib:
            continue
        others = set(element.attrib) - {"disambiguate", "match"}
        if others and element.get("match", "all") != "all":
            continue  # "any" or "none" of several conditions: the test cannot be split
        del element.attrib["disambiguate"]
        element.set("variable", MARKER)


def marker_style(style_xml: str) -> str:
    """The style with its ``disambiguate="true"`` conditions (alone, or with other
    conditions under ``match="all"`` and no variable test) testing :data:`MARKER`
    instead."""
    root = _root(style_xml)
    _swap_condition(root)
    return ElementTree.tostring(root, encoding="unicode")


def marked_items(items: Sequence[dict[str, Any]], ids: frozenset[str]) -> list[dict[str, Any]]:
    """The items, those in ``ids`` carrying :data:`MARKER`."""
    return [{**item, MARKER: "1"} if item["id"] in ids else dict(item) for item in items]


def chosen(
    items: Sequence[dict[str, Any]], cited: Sequence[str], probe: Probe, style_xml: str
) -> frozenset[str]:
    """The cited items the condition is true for (see the module docstring)."""
    wanted = list(dict.fromkeys(cited))
    if len(wanted) < 2:
        return frozenset()
    by_id = {item["id"]: item for item in items}
    subset = [by_id[i] for i in wanted if i in by_id]
    n = len(wanted)
    clusters = [[i] for i in wanted] * 2  # first forms, then short forms (never ibid)
    xml = marker_style(style_xml)
    with ThreadPoolExecutor(max_workers=2) as pool:
        plain_f = pool.submit(probe, subset, clusters, xml)
        marked_f = pool.submit(probe, marked_items(subset, frozenset(wanted)), clusters, xml)
        plain, marked = plain_f.result(), marked_f.result()
    out: set[str] = set()
    for start in (0, n):  # the first forms, the short forms
        groups: dict[str, list[int]] = defaultdict(list)
        for k in range(n):
            groups[plain[start + k]].append(k)
        for members in groups.values():
            if len(members) > 1 and len({marked[start + k] for k in members}) > 1:
                out.update(wanted[k] for k in members)
    return frozenset(out)
