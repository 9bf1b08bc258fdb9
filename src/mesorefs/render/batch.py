"""Split a long bibliography into independent runs of the engine.

pandoc's citeproc spends time quadratic (and worse) in the number of items
on *global* name disambiguation (``givenname-disambiguation-rule`` =
``primary-name``, ``all-names`` and their ``-with-initials`` variants): 1,000
APA entries take over 20 s in one run.  Items can only be confused with one
another when they share a family name that disambiguation looks at, so
items are grouped by those names (generously: accents and case folded),
whole groups are packed into chunks rendered in parallel, and a fast extra
run, with the style's own sort but no disambiguation, gives the global
order.  A family name that belongs to a single person (one spelling of the given
names) needs no given names to tell it apart, so its items are grouped by name and
year only (what year suffixes and added names look at): a bibliography of one author
pair over many years stays in small runs instead of one quadratic one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree

from mesorefs.render.styles import CSL_NS

__all__ = [
    "CHUNK",
    "NAME_VARIABLES",
    "SORT_CARRIER",
    "chunks",
    "drop_disambiguation",
    "needs_splitting",
    "sort_only_style",
]

CHUNK = 150
"""Items per engine run when a bibliography is split."""
SORT_CARRIER = "call-number"
"""The variable that carries each item's id through the sort-only run."""

_NS = f"{{{CSL_NS}}}"
_GLOBAL_RULES = {
    "all-names",
    "all-names-with-initials",
    "primary-name",
    "primary-name-with-initials",
}
NAME_VARIABLES = ("author", "editor", "translator", "collection-editor", "container-author")
"""The name lists the fixes and the disambiguation groups look at."""


def _citation(style_xml: str) -> ElementTree.Element | None:
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    return root.find(f"{_NS}citation")


def disambiguation_rule(style_xml: str) -> str | None:
    """The global given-name rule when the style disambiguates names globally, else None."""
    citation = _citation(style_xml)
    if citation is None or citation.get("disambiguate-add-givenname") != "true":
        return None
    rule = citation.get("givenname-disambiguation-rule", "by-cite")
    return rule if rule in _GLOBAL_RULES else None


def needs_splitting(style_xml: str, n_items: int) -> bool:
    """Whether a bibliography of ``n_items`` is worth splitting for this style."""
    return n_items > CHUNK and disambiguation_rule(style_xml) is not None


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _family(person: dict[str, Any]) -> str:
    if person.get("literal"):
        return _fold(str(person["literal"]))
    parts = (person.get("non-dropping-particle"), person.get("family"))
    family = _fold(" ".join(str(p) for p in parts if p))
    # "van den Berg" may be sorted and shown as "Berg": key on the last word too.
    return family.rsplit(" ", 1)[-1]


def _given(person: dict[str, Any]) -> str:
    return _fold(str(person.get("given") or ""))


def _year(item: dict[str, Any]) -> str:
    issued = item.get("issued")
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return str(parts[0][0])
    return ""


def _chosen(item: dict[str, Any], all_names: bool) -> list[dict[str, Any]]:
    chosen: list[dict[str, Any]] = []
    for variable in NAME_VARIABLES:
        people = item.get(variable) or []
        chosen.extend(people if all_names else people[:1])
    return chosen


def _keys(item: dict[str, Any], all_names: bool, shared: frozenset[str] = frozenset()) -> list[str]:
    """Grouping keys: the family names disambiguation looks at; a family name outside
    ``shared`` (the names several people carry) goes with the item's year."""
    year = _year(item)
    keys: list[str] = []
    for person in _chosen(item, all_names):
        family = _family(person)
        keys.append(f"n:{family}" if family in shared else f"n:{family}|y:{year}")
    return keys or ["-"]  # nameless items (cited by title) all go together


def _shared_families(items: Sequence[dict[str, Any]], all_names: bool) -> frozenset[str]:
    """Family names that come with more than one spelling of the given names."""
    givens: dict[str, set[str]] = {}
    for item in items:
        for person in _chosen(item, all_names):
            givens.setdefault(_family(person), set()).add(_given(person))
    return frozenset(family for family, names in givens.items() if len(names) > 1)


def chunks(items: Sequence[dict[str, Any]], style_xml: str, size: int = CHUNK) -> list[list[int]]:
    """Indexes of ``items`` in chunks no two of which hold items that could be confused."""
    rule = disambiguation_rule(style_xml) or "primary-name"
    all_names = rule.startswith("all-names")
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    shared = _shared_families(items, all_names)
    for index, item in enumerate(items):
        for key in _keys(item, all_names, shared):
            if key in owner:
                parent[find(index)] = find(owner[key])
            else:
                owner[key] = index
    groups: dict[int, list[int]] = {}
    for index in range(len(items)):
        groups.setdefault(find(index), []).append(index)
    packed: list[list[int]] = []
    for group in sorted(groups.values(), key=len, reverse=True):
        for chunk in packed:
            if len(chunk) + len(group) <= size:
                chunk.extend(group)
                break
        else:
            packed.append(list(group))
    return packed


def drop_disambiguation(root: ElementTree.Element) -> None:
    """Take disambiguation and author substitution off a style's citation and
    bibliography: a run that only sorts or writes keys must not change names."""
    for element in (root.find(f"{_NS}citation"), root.find(f"{_NS}bibliography")):
        if element is None:
            continue
        for attr in [a for a in element.attrib if a.startswith("disambiguate-")]:
            del element.attrib[attr]
        element.attrib.pop("givenname-disambiguation-rule", None)
        element.attrib.pop("subsequent-author-substitute", None)


def sort_only_style(style_xml: str) -> str:
    """The style with its bibliography sort kept and each entry reduced to the item's id."""
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    drop_disambiguation(root)
    bibliography = root.find(f"{_NS}bibliography")
    if bibliography is not None:
        layout = bibliography.find(f"{_NS}layout")
        if layout is not None:
            bibliography.remove(layout)
        layout = ElementTree.SubElement(bibliography, f"{_NS}layout")
        ElementTree.SubElement(layout, f"{_NS}text", {"variable": SORT_CARRIER})
    return ElementTree.tostring(root, encoding="unicode")
