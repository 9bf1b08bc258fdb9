"""Subsequent-author substitution only where there are authors to substitute.

A style with ``subsequent-author-substitute`` (MLA's ``———``) replaces the names
of an entry that repeats the previous entry's names.  pandoc's citeproc also
replaces a title that stood in for missing names (two ``Editorial Board``
entries in a row); citeproc-js, like the CSL specification, replaces names only.
Entries without names that pandoc substituted are rendered again from a copy of
the style without the attribute.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree

from mesorefs.render.styles import CSL_NS

__all__ = ["NAME_VARIABLES", "marker", "nameless", "repair", "without_substitute"]

_NS = f"{{{CSL_NS}}}"
NAME_VARIABLES = (
    "author",
    "editor",
    "translator",
    "composer",
    "director",
    "interviewer",
    "illustrator",
    "original-author",
    "recipient",
    "reviewed-author",
    "collection-editor",
    "container-author",
    "editorial-director",
)

Entry = tuple[str, list[dict[str, Any]]]


@lru_cache(maxsize=32)
def _bibliography(style_xml: str) -> tuple[str | None, bool]:
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    bib = root.find(f"{_NS}bibliography")
    if bib is None:
        return None, False
    numbered = any(t.get("variable") == "citation-number" for t in bib.iter(f"{_NS}text"))
    return bib.get("subsequent-author-substitute"), numbered


def marker(style_xml: str) -> str | None:
    """The style's subsequent-author substitute (``———``), or None."""
    return _bibliography(style_xml)[0] or None


@lru_cache(maxsize=32)
def without_substitute(style_xml: str) -> str:
    """The style without subsequent-author substitution."""
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    for bib in root.iter(f"{_NS}bibliography"):
        bib.attrib.pop("subsequent-author-substitute", None)
        bib.attrib.pop("subsequent-author-substitute-rule", None)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(
        root, encoding="unicode"
    )


def nameless(item: dict[str, Any]) -> bool:
    """Does the CSL-JSON item have no names at all?"""
    return not any(item.get(v) for v in NAME_VARIABLES)


def repair(
    entries: list[Entry],
    items: Sequence[dict[str, Any]],
    style_xml: str,
    text: Callable[[list[dict[str, Any]]], str],
    render: Callable[[list[dict[str, Any]], str, list[str]], list[Entry]],
) -> list[Entry]:
    """``entries`` with every substituted entry that has no names rendered again.

    ``text`` gives an entry's plain text; ``render(items, style_xml, ids)`` runs the
    engine for the bibliography of ``ids``.
    """
    sub = marker(style_xml)
    if not sub:
        return entries
    by_id = {item["id"]: item for item in items}
    wrong = [
        item_id
        for item_id, blocks in entries
        if nameless(by_id[item_id]) and text(blocks).startswith(sub)
    ]
    if not wrong:
        return entries
    # A numbered bibliography needs every entry to keep its number; otherwise only the
    # nameless entries run again (no names: nothing to disambiguate among the others).
    ids = [item_id for item_id, _ in entries] if _bibliography(style_xml)[1] else wrong
    chosen = [by_id[i] for i in ids]
    again = dict(render(chosen, without_substitute(style_xml), ids))
    fixed = set(wrong)
    return [(i, again[i] if i in fixed else blocks) for i, blocks in entries]
