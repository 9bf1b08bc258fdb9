"""A macro that prints nothing and calls no variable is not content of the group around
it (correction empty-macro-is-not-content of :mod:`mesorefs.render.corrections`).

CSL 1.0.2, cs:group: a group is suppressed when it calls at least one variable and
every variable it calls is empty; "when a cs:group contains a child cs:macro, if the
cs:macro is non-empty, it is treated as a non-empty variable".  A macro that, for an
item, prints nothing and calls no variable (its ``<choose>`` takes no branch) is
therefore neither: citeproc-js ignores it.  pandoc's citeproc counts every macro call
that is not "all its variables empty" as a non-empty variable, this one too, and so
prints the group around it.  universite-de-montreal-apa's ``container`` macro printed
"Document inédit" after an unpublished work's title, as its group of container fields
(all empty) called the ``container-contributors`` macro, whose ``<choose>`` names no
branch for a manuscript (issue 28's wide bench: 22 entries of 200).

:func:`prepare_style` gives each ``<choose>`` of such a macro (one made only of
``<choose>`` elements) an ``<else>`` (or fills an empty branch) that calls
:data:`EMPTY_VARIABLE`, a variable no item has: the macro then calls a variable, all
empty, and pandoc counts it as empty.  Where the macro is called, the group around it
then sees one more empty variable, which is what CSL says only where that group calls
another variable: the macro is changed only when every call of it is in a group that
calls another variable whatever branches are taken, or calls one in some branch and
prints no fixed text of its own (else it is left as pandoc writes it).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from xml.etree import ElementTree

from mesorefs.render.macro_calls import CALLS, MacroCalls
from mesorefs.render.styles import CSL_NS

__all__ = ["EMPTY_VARIABLE", "prepare_style"]

_NS = f"{{{CSL_NS}}}"
EMPTY_VARIABLE = "mesorefs-empty"
"""A variable no style names and no item has: calling it calls an empty variable."""

_CONTAINERS = frozenset(f"{_NS}{t}" for t in ("group", "macro", "layout"))
_FIXED = frozenset(f"{_NS}{t}" for t in ("label",))
_BRANCHES = frozenset(f"{_NS}{t}" for t in ("if", "else-if", "else"))


class _Style(MacroCalls):
    def __init__(self, root: ElementTree.Element) -> None:
        super().__init__(root)
        self.root = root
        self.parent = {child: node for node in root.iter() for child in node}

    def container(self, element: ElementTree.Element) -> ElementTree.Element | None:
        """The group, macro or layout whose suppression ``element``'s output counts in
        (through ``<choose>`` branches); None for anything else (a substitute, ...)."""
        node = self.parent.get(element)
        while node is not None and (node.tag in _BRANCHES or node.tag == f"{_NS}choose"):
            node = self.parent.get(node)
        return node if node is not None and node.tag in _CONTAINERS else None

    def always_calls(
        self, element: ElementTree.Element, seen: frozenset[str] = frozenset()
    ) -> bool:
        """Whether ``element`` calls a variable whatever branches are taken."""
        if element.tag in CALLS or (element.tag == f"{_NS}text" and element.get("variable")):
            return True
        macro = element.get("macro") if element.tag == f"{_NS}text" else None
        if macro is not None:
            body = self.macros.get(macro)
            if body is None or macro in seen:
                return False
            return any(self.always_calls(c, seen | {macro}) for c in body)
        if element.tag == f"{_NS}group":
            return any(self.always_calls(c, seen) for c in element)
        if element.tag == f"{_NS}choose":
            branches = list(element)
            return element.find(f"{_NS}else") is not None and all(
                any(self.always_calls(c, seen) for c in branch) for branch in branches
            )
        return False

    def safe_call(self, call: ElementTree.Element) -> bool:
        """Whether one more empty variable at ``call`` leaves its container's suppression
        as CSL decides it: the container calls another variable whatever branches are
        taken, or calls one in some branch and prints no fixed text, term or label of its
        own (outside its branches)."""
        container = self.container(call)
        if container is None:
            return False
        if container.tag == f"{_NS}layout":
            return True
        top = call
        while self.parent.get(top) is not container:
            top = self.parent[top]
        others = [c for c in container if c is not top]
        if any(self.always_calls(c) for c in others):
            return True
        if any(_fixed(c) for c in others):
            return False
        return any(self.calls_variable(c) for c in others)


def _through_chooses(node: ElementTree.Element) -> Iterator[ElementTree.Element]:
    """The children of ``node``, those of its ``<choose>`` branches in their place."""
    for child in node:
        if child.tag == f"{_NS}choose":
            for branch in child:
                yield from _through_chooses(branch)
        else:
            yield child


def _fixed(element: ElementTree.Element) -> bool:
    """A term, a fixed value or a label: output that calls no variable."""
    if element.tag in _FIXED:
        return True
    return element.tag == f"{_NS}text" and bool(element.get("term") or element.get("value"))


def _only_chooses(node: ElementTree.Element) -> bool:
    return len(node) > 0 and all(c.tag == f"{_NS}choose" for c in node)


def _mark(choose: ElementTree.Element) -> bool:
    """Give ``choose`` an empty variable wherever it prints nothing and calls nothing: an
    ``<else>`` where it has none, an empty branch, a branch of only chooses (in turn)."""
    changed = False
    for branch in choose:
        if len(branch) == 0:
            ElementTree.SubElement(branch, f"{_NS}text", {"variable": EMPTY_VARIABLE})
            changed = True
        elif _only_chooses(branch):
            changed = any([_mark(c) for c in branch]) or changed
    if choose.find(f"{_NS}else") is None:
        otherwise = ElementTree.SubElement(choose, f"{_NS}else")
        ElementTree.SubElement(otherwise, f"{_NS}text", {"variable": EMPTY_VARIABLE})
        changed = True
    return changed


@lru_cache(maxsize=32)
def prepare_style(style_xml: str) -> str:
    """The style with each macro of only ``<choose>`` elements calling
    :data:`EMPTY_VARIABLE` where it prints nothing, when every call of it allows."""
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    style = _Style(root)
    calls: dict[str, list[ElementTree.Element]] = {}
    for text in root.iter(f"{_NS}text"):
        name = text.get("macro")
        if name is not None:
            calls.setdefault(name, []).append(text)
    changed = False
    for name, macro in style.macros.items():
        if name is None or not _only_chooses(macro) or not calls.get(name):
            continue
        if all(style.safe_call(call) for call in calls[name]):
            changed = any([_mark(choose) for choose in macro]) or changed
    if not changed:
        return style_xml
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(
        root, encoding="unicode"
    )
