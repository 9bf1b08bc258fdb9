"""What a style's citation disambiguation can change in its bibliography, as pandoc's
citeproc renders it.

The engine keeps what disambiguation decides for each item (``DisambiguationData`` in
citeproc's ``Citeproc/Eval.hs``) and renders the bibliography afterwards with it, so an
entry can change through four channels, each read here from the style:

- a year suffix ("2020a", ``disambiguate-add-year-suffix``);
- name hints (``disambiguate-add-givenname``): ``formatName`` writes a hinted name in the
  long form (AddInitials) or long and not initialised (AddGivenName) wherever it prints
  it, bibliography included, so a hint shows there only where the bibliography writes
  names short (or counts them), or initialises given names;
- more names before "et al." (``disambiguate-add-names``), wherever a list is cut;
- the ``disambiguate="true"`` condition in what the bibliography renders.

Only the global given-name rules (``primary-name``, ``all-names`` and their
``-with-initials`` forms) give hints to items whose cites are not ambiguous; every other
decision is made only for items in a group of identical cites (``getAmbiguities``), so an
item that can be confused with no other keeps an entry that no disambiguation reaches.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree

from mesorefs.render.styles import CSL_NS

__all__ = ["ANY", "Reach", "decided", "hint_names", "reach"]

_NS = f"{{{CSL_NS}}}"
ANY = "*"
"""In :attr:`Reach.names`: names of any variable."""
_GLOBAL_RULES = frozenset(
    {"all-names", "all-names-with-initials", "primary-name", "primary-name-with-initials"}
)
# the hints a rule can give (citeproc's disambiguateCitations and addNameHint):
# True for a rule that can also write a given name in full (AddGivenName)
_GIVES_WHOLE_NAMES = {
    "all-names": True,
    "all-names-with-initials": False,
    "primary-name": True,
    "primary-name-with-initials": False,
    "by-cite": True,
}


@dataclass(frozen=True)
class Reach:
    """The channels through which disambiguation reaches a style's bibliography."""

    year_suffix: bool
    names: Mapping[str, frozenset[str] | None]
    """The name variables whose names a hint can change in the bibliography (:data:`ANY`:
    whichever), each with the item types it can for (None: any type)."""
    et_al_min: int | None
    """The least ``et-al-min`` of the lists the bibliography cuts, when disambiguation
    adds names (a list shorter than this is never cut); None: it never adds any."""
    condition: bool
    """The bibliography tests ``disambiguate="true"``."""
    global_names: bool
    """The style's given-name rule is global: hints for items that are not ambiguous."""

    @property
    def none(self) -> bool:
        """Nothing disambiguation decides shows in the bibliography."""
        return not (self.year_suffix or self.names or self.condition) and self.et_al_min is None


def _reached(
    root: ElementTree.Element, start: ElementTree.Element
) -> Iterator[ElementTree.Element]:
    """Every element ``start`` renders, through the macros it calls (each once)."""
    macros = {m.get("name"): m for m in root.findall(f"{_NS}macro")}
    seen: set[str] = set()
    todo = [start]
    while todo:
        for element in todo.pop().iter():
            yield element
            called = element.get("macro")
            if element.tag == f"{_NS}text" and called in macros and called not in seen:
                seen.add(str(called))
                todo.append(macros[called])


def _starts(root: ElementTree.Element, layout: ElementTree.Element) -> list[ElementTree.Element]:
    """The layout and the macros it reaches (:func:`_reached`)."""
    macros = {m.get("name"): m for m in root.findall(f"{_NS}macro")}
    called = {e.get("macro") for e in _reached(root, layout) if e.tag == f"{_NS}text"}
    return [layout, *(m for name, m in macros.items() if name in called)]


def _option(key: str, *sources: ElementTree.Element) -> str | None:
    for source in sources:
        if source.get(key) is not None:
            return source.get(key)
    return None


@lru_cache(maxsize=32)
def reach(style_xml: str) -> Reach:
    """Which of the channels (see the module) the style opens."""
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    citation = root.find(f"{_NS}citation")
    bibliography = root.find(f"{_NS}bibliography")
    layout = bibliography.find(f"{_NS}layout") if bibliography is not None else None
    if citation is None or bibliography is None or layout is None:
        return Reach(False, {}, None, False, False)
    rendered = list(_reached(root, layout))
    given = citation.get("disambiguate-add-givenname") == "true"
    rule = citation.get("givenname-disambiguation-rule", "by-cite")
    rule = rule if rule in _GIVES_WHOLE_NAMES else "by-cite"
    names: dict[str, frozenset[str] | None] = {}
    if given:

        def shows_hints(name: ElementTree.Element) -> bool:
            form = _option("form", name) or _option("name-form", bibliography, root)
            if form in ("short", "count"):
                return True
            initialize = _option("initialize", name, bibliography, root)
            initialize_with = _option("initialize-with", name, bibliography, root)
            return (
                _GIVES_WHOLE_NAMES[rule] and initialize_with is not None and (initialize != "false")
            )

        macros = {m.get("name"): m for m in root.findall(f"{_NS}macro")}
        found: dict[str, frozenset[str] | None] = {}
        seen: set[tuple[str, bool | None, frozenset[str] | None]] = set()

        def note(variables: list[str], types: frozenset[str] | None) -> None:
            for variable in variables or [ANY]:
                if variable in found and (found[variable] is None or types is None):
                    found[variable] = None
                else:
                    found[variable] = (found.get(variable) or frozenset()) | (types or set())
                    if types is None:
                        found[variable] = None

        def visit(
            element: ElementTree.Element, enclosing: bool | None, types: frozenset[str] | None
        ) -> None:
            """``enclosing``: whether the <names> whose substitute this is shows hints
            (a <names> without <name> writes names as it says, CSL 1.0.2 "Substitute";
            None outside a substitute: as the bibliography says); ``types``: the item
            types it is rendered for (None: any)."""
            if element.tag == f"{_NS}names":
                name = element.find(f"{_NS}name")
                if name is not None:
                    hints = shows_hints(name)
                elif enclosing is None:
                    hints = shows_hints(bibliography)
                else:
                    hints = enclosing or shows_hints(bibliography)
                if hints:
                    note(element.get("variable", "").split(), types)
                for child in element:
                    if child.tag == f"{_NS}substitute":
                        for inner in child:
                            visit(inner, hints, types)
                return
            called = element.get("macro") if element.tag == f"{_NS}text" else None
            if called in macros:
                key = (str(called), enclosing, types)
                if key not in seen:
                    seen.add(key)
                    for child in macros[called]:
                        visit(child, enclosing, types)
                return
            for child in element:
                narrowed = types
                only_type = (
                    set(child.attrib) <= {"type", "match"} and child.get("match", "any") == "any"
                )
                if child.tag in (f"{_NS}if", f"{_NS}else-if") and child.get("type") and only_type:
                    branch = frozenset(str(child.get("type")).split())
                    narrowed = branch if types is None else types & branch
                visit(child, enclosing, narrowed)

        visit(layout, None, None)
        names = found
    et_al_min = None
    if citation.get("disambiguate-add-names") == "true":
        cuts = [e.get("et-al-min") for e in rendered if e.tag == f"{_NS}name"]
        cuts += [bibliography.get("et-al-min"), root.get("et-al-min")]
        numbers = [int(c) for c in cuts if c is not None and c.strip().isdigit()]
        # a value the engine cannot read as a number: every list may be cut
        unread = any(c is not None and not c.strip().isdigit() for c in cuts)
        et_al_min = 0 if unread else min(numbers, default=None)
    condition = any(
        e.get("disambiguate") is not None
        for e in rendered
        if e.tag in (f"{_NS}if", f"{_NS}else-if")
    )
    return Reach(
        year_suffix=citation.get("disambiguate-add-year-suffix") == "true",
        names=names,
        et_al_min=et_al_min,
        condition=condition,
        global_names=given and rule in _GLOBAL_RULES,
    )


def hint_names(found: Reach, item: dict[str, Any]) -> list[dict[str, Any]]:
    """The names of ``item`` whose hints could show in its entry (see :attr:`Reach.names`)."""
    kind = item.get("type")
    names: list[dict[str, Any]] = []
    for variable, value in item.items():
        if not isinstance(value, list):
            continue
        for listed in (variable, ANY):
            types = found.names.get(listed, frozenset())
            if listed in found.names and (types is None or kind in types):
                names.extend(p for p in value if isinstance(p, dict))
                break
    return names


def decided(found: Reach, item: dict[str, Any]) -> bool:
    """Whether a decision disambiguation makes for a group of identical cites (a year
    suffix, the condition, names before "et al.") could change the entry of ``item``, were
    it in such a group (name hints apart: :func:`hint_names`)."""
    if found.year_suffix or found.condition:
        return True
    cut = found.et_al_min
    return cut is not None and any(
        isinstance(v, list) and v and len(v) >= cut for v in item.values()
    )
