"""Which parts of a CSL style call a variable, directly or through its macros (for the
style rewrites of :mod:`~mesorefs.render.style_gaps` and :mod:`~mesorefs.render.empty_macros`)."""

from __future__ import annotations

from xml.etree import ElementTree

from mesorefs.render.styles import CSL_NS

__all__ = ["CALLS", "MacroCalls"]

_NS = f"{{{CSL_NS}}}"
CALLS = frozenset(f"{_NS}{t}" for t in ("number", "date", "names"))
"""Elements that always call a variable."""


class MacroCalls:
    """A style's macros, and whether an element calls a variable (answers kept per macro)."""

    def __init__(self, root: ElementTree.Element) -> None:
        self.macros = {m.get("name"): m for m in root.findall(f"{_NS}macro")}
        self._calls: dict[str, bool] = {}

    def calls_variable(
        self, element: ElementTree.Element, seen: frozenset[str] = frozenset()
    ) -> bool:
        """Whether ``element`` calls a variable anywhere (any branch, through macros)."""
        if element.tag in CALLS or (element.tag == f"{_NS}text" and element.get("variable")):
            return True
        macro = element.get("macro") if element.tag == f"{_NS}text" else None
        if macro is not None:
            if macro in seen or macro not in self.macros:
                return False
            if macro not in self._calls:
                self._calls[macro] = self.calls_variable(self.macros[macro], seen | {macro})
            return self._calls[macro]
        return any(self.calls_variable(child, seen) for child in element)
