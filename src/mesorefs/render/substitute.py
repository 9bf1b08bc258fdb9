"""Subsequent-author substitution as citeproc-js does it.

A style with ``subsequent-author-substitute`` (MLA's ``———``) replaces the names
of an entry that repeats the previous entry's names.  pandoc's citeproc and
citeproc-js disagree on when and what.  Under the default rule (``complete-all``)
citeproc-js

* compares only the names it prints: ``Wang, Shenliang, et al.`` repeats
  ``Wang, Shenliang`` whoever the hidden co-authors are;
* replaces all of them, "et al." included (``———.``, not ``———, et al.``);
* looks only at entries led by the variable of the style's first names element or
  of its first stand-in (MLA: ``composer``, then ``author``; a variable such as
  ``container-title`` when it stands in first): an entry led by a later stand-in
  (its editors, a title macro) is never replaced and is not compared with the next
  one.

So for such styles the engine renders without substitution, a second run with a
copy of the style that prints only those names tells what each entry prints, and
:func:`apply` replaces them here.  For the other rules pandoc substitutes, as
citeproc-js does in the CSL test suite (a title or a container title standing in for
missing names is replaced too: ``name_SubstitutePartialEach``,
``name_SubsequentAuthorSubstituteSingleField``).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree

from mesorefs.render.standins import AFFIX_SPACE, MARK_SPACE
from mesorefs.render.styles import CSL_NS
from mesorefs.render.tree import Node
from mesorefs.render.writers import write_inlines

__all__ = [
    "apply",
    "emulated",
    "marker",
    "names_only_style",
    "without_substitute",
]

_NS = f"{{{CSL_NS}}}"

Entry = tuple[str, list[dict[str, Any]]]
_SPACES = (AFFIX_SPACE, MARK_SPACE)


@lru_cache(maxsize=32)
def _bibliography(style_xml: str) -> tuple[str | None, bool, str]:
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    bib = root.find(f"{_NS}bibliography")
    if bib is None:
        return None, False, ""
    numbered = any(t.get("variable") == "citation-number" for t in bib.iter(f"{_NS}text"))
    rule = bib.get("subsequent-author-substitute-rule", "complete-all")
    return bib.get("subsequent-author-substitute"), numbered, rule


def marker(style_xml: str) -> str | None:
    """The style's subsequent-author substitute (``———``), or None."""
    return _bibliography(style_xml)[0] or None


def emulated(style_xml: str) -> bool:
    """Does the style substitute under the rule :func:`apply` carries out?"""
    sub, _, rule = _bibliography(style_xml)
    return bool(sub) and rule == "complete-all" and names_only_style(style_xml) is not None


def _leading_names(root: ElementTree.Element) -> ElementTree.Element | None:
    """The first ``<names>`` the bibliography's layout reaches, through its macros; where
    it is reached inside a ``<choose>``, a copy of that choose whose branches each keep
    only the names that lead them (OSCOLA: the interviewer of an interview, the author
    of anything else), as citeproc-js compares the names each entry prints first."""
    macros = {m.get("name"): m for m in root.findall(f"{_NS}macro")}
    layout = root.find(f"{_NS}bibliography/{_NS}layout")

    def walk(node: ElementTree.Element, seen: frozenset[str]) -> ElementTree.Element | None:
        for child in node:
            if child.tag == f"{_NS}names":
                return child
            if child.tag == f"{_NS}choose":
                choose = ElementTree.Element(child.tag, child.attrib)
                for branch in child:
                    kept = ElementTree.SubElement(choose, branch.tag, branch.attrib)
                    found = walk(branch, seen)
                    if found is not None:
                        kept.append(found)
                if any(len(branch) for branch in choose):
                    return choose
                continue
            name = child.get("macro") if child.tag == f"{_NS}text" else None
            if name is not None and name in macros and name not in seen:
                found = walk(macros[name], seen | {name})
            else:
                found = walk(child, seen)
            if found is not None:
                return found
        return None

    return None if layout is None else walk(layout, frozenset())


def _shown(names: ElementTree.Element) -> tuple[ElementTree.Element, list[str]]:
    """A names element as the names-only style prints it, and the variables it compares."""
    shown = copy.deepcopy(names)
    for attribute in ("prefix", "suffix"):
        shown.attrib.pop(attribute, None)
    variables = names.get("variable", "").split()
    for child in list(shown):
        if child.tag == f"{_NS}substitute":
            # the first stand-in names lead an entry as the names themselves do (MLA's
            # author under composer); later ones (editors) never take part
            first = next(iter(child), None)
            for other in list(child)[1:]:
                child.remove(other)
            if first is not None and first.tag == f"{_NS}names":
                variables += first.get("variable", "").split()
            elif first is not None and first.tag == f"{_NS}text" and first.get("variable"):
                # a variable standing in first is compared and replaced like names
                # (suite fixture name_SubsequentAuthorSubstituteSingleField)
                variables += first.get("variable", "").split()
            else:
                shown.remove(child)
        elif child.tag != f"{_NS}name":
            shown.remove(child)  # label and et-al go
    if shown.find(f"{_NS}name") is None:
        shown.insert(0, ElementTree.Element(f"{_NS}name"))
    # "et al." in superscript, so that it can be told from the names
    term = names.find(f"{_NS}et-al")
    et_al = ElementTree.SubElement(shown, f"{_NS}et-al", {"vertical-align": "sup"})
    if term is not None and term.get("term"):
        et_al.set("term", term.get("term", ""))
    return shown, variables


def _show_all(element: ElementTree.Element, variables: list[str]) -> ElementTree.Element | None:
    """``element`` (names, or a choose of them) as printed by the names-only style."""
    if element.tag == f"{_NS}names":
        if not element.get("variable"):
            return None
        shown, compared = _shown(element)
        variables += compared
        return shown
    choose = ElementTree.Element(element.tag, element.attrib)
    for branch in element:
        kept = ElementTree.SubElement(choose, branch.tag, branch.attrib)
        for child in branch:
            done = _show_all(child, variables)
            if done is not None:
                kept.append(done)
    return choose


@lru_cache(maxsize=32)
def _names_only(style_xml: str) -> tuple[str, tuple[str, ...]] | None:
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    leading = _leading_names(root)
    layout = root.find(f"{_NS}bibliography/{_NS}layout")
    if leading is None or layout is None:
        return None
    variables: list[str] = []
    shown = _show_all(leading, variables)
    if shown is None or not variables:
        return None
    for child in list(layout):
        layout.remove(child)
    layout.attrib.clear()
    layout.append(shown)
    bib = root.find(f"{_NS}bibliography")
    if bib is not None:
        bib.attrib.pop("subsequent-author-substitute", None)
        bib.attrib.pop("subsequent-author-substitute-rule", None)
    xml = '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(
        root, encoding="unicode"
    )
    return xml, tuple(dict.fromkeys(variables))


def names_only_style(style_xml: str) -> str | None:
    """A copy of the style whose bibliography prints only the first names element of
    each entry (no label, no affixes; "et al." in superscript); None if it has none."""
    found = _names_only(style_xml)
    return found[0] if found else None


def _without_superscripts(value: Any) -> Any:
    """A copy of a piece of pandoc's tree without its superscripts, at any depth."""
    if isinstance(value, list):
        return [
            _without_superscripts(v)
            for v in value
            if not (isinstance(v, dict) and v.get("t") == "Superscript")
        ]
    if isinstance(value, dict) and "c" in value:
        return {**value, "c": _without_superscripts(value["c"])}
    return value


def _printed(blocks: list[Node]) -> tuple[str, str] | None:
    """The names an entry of the names-only style prints, and the same without et al."""
    if not blocks or blocks[0].get("t") not in ("Para", "Plain"):
        return None
    inlines = blocks[0]["c"]
    printed = write_inlines(inlines, "text").strip()
    key = write_inlines(_without_superscripts(inlines), "text").strip().rstrip(",;:").strip()
    return (printed, key) if printed else None


def _replace_leading(inlines: list[Node], printed: str, sub: str) -> list[Node] | None:
    """``inlines`` with the leading ``printed`` names replaced by ``sub``; None when
    they do not start with them."""
    consumed = ""
    for i, node in enumerate(inlines):
        text = write_inlines([node], "text")
        if printed.startswith(consumed + text):
            consumed += text
            if consumed != printed:
                continue
            rest = inlines[i + 1 :]
        elif node.get("t") == "Str" and (consumed + text).startswith(printed):
            rest = [{"t": "Str", "c": text[len(printed) - len(consumed) :]}, *inlines[i + 1 :]]
        else:
            return None
        # the names' final period also ended the part: "Wang, S., et al. Title" -> "———. Title"
        after = write_inlines(rest, "text")
        # (a suffix's final space may come as a stand-in, see style_gaps.py)
        if printed.endswith(".") and (not after or after[0].isspace() or after[0] in _SPACES):
            sub += "."
        return [{"t": "Str", "c": sub}, *rest]
    return None


def apply(
    entries: list[Entry],
    items: Sequence[dict[str, Any]],
    names: dict[str, list[Node]],
    style_xml: str,
) -> list[Entry]:
    """``entries`` (rendered without substitution, in order) with the names of each entry
    that repeats the previous one's replaced, as citeproc-js does (see the module's doc).

    ``names`` holds each entry's rendering in :func:`names_only_style`."""
    sub = marker(style_xml)
    found = _names_only(style_xml)
    if not sub or found is None:
        return entries
    variables = found[1]
    by_id = {item["id"]: item for item in items}
    last: str | None = None
    result = []
    for item_id, blocks in entries:
        item = by_id.get(item_id, {})
        printed = _printed(names.get(item_id, []))
        if not any(item.get(v) for v in variables) or printed is None:
            result.append((item_id, blocks))
            continue
        text, key = printed
        replaced = None
        if key == last and blocks and blocks[0].get("t") in ("Para", "Plain"):
            replaced = _replace_leading(blocks[0]["c"], text, sub)
        if replaced is not None:
            blocks = [{"t": blocks[0]["t"], "c": replaced}, *blocks[1:]]
        result.append((item_id, blocks))
        last = key
    return result


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
