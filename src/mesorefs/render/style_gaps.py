"""What a style asks for that pandoc's citeproc leaves out, carried through the engine by
stand-ins in the style's affixes and finished here.

* ``strip-periods`` on a title field: a title's final period travels through the engine
  as a stand-in (correction title-end-punctuation), which ``strip-periods`` does not
  see (``J Appl Phys.`` where citeproc-js writes ``J Appl Phys``).  The element's
  output goes out between :data:`STRIP_OPEN` and :data:`STRIP_CLOSE`, and
  :func:`finish` drops the stand-in between them.
* The short year (``<date-part name="year" form="short"/>``): pandoc prints the whole
  year (``8.12.2024``), citeproc-js its last two digits (``8.12.24``).  The year goes
  out between :data:`YEAR_OPEN` and :data:`YEAR_CLOSE`, and :func:`finish` shortens it.
* ``text-case`` on a ``<text macro>``: citeproc-js does not apply it (the bibtex
  style's ``<text macro="author-short" text-case="lowercase"/>`` prints ``Gabow``);
  pandoc does (``gabow``).  It is taken off.
* Initials of a name written with ``initialize="false"`` and an empty
  ``initialize-with`` (OSCOLA's notes): citeproc-js keeps the space between an initial
  and a whole given name (``S Doaitse Swierstra``), pandoc runs them together
  (``SDoaitse``).  Each initial goes out followed by :data:`INITIAL_END`, which
  :func:`finish` makes a space before a whole name and nothing elsewhere.
* A group that calls no variable but prints a term, inside a group whose variables are
  all empty: citeproc-js counts its output as content and prints the outer group
  (IEEE's ``[Online]. Available: URL`` for a work with a URL but no access date);
  pandoc counts only variables and drops the outer group.  The term goes to the engine
  beside a variable every item has (:data:`SHOWN_VARIABLE`, the stand-in
  :data:`SHOWN`), so pandoc counts it too; :func:`finish` takes the stand-in out.

* A space that ends an element's suffix (``suffix=" "``, ``", "``) or a fixed text
  (GOST's ``<text value=": "/>``, then ``", 2014"``: ``USA: , 2014``), kept before a
  comma or a period that follows: citeproc-js writes the affixes as they are
  (``Graph Theory and Sparse Matrix Computation . [s.l.]``, ISO 690's title group closed
  by ``". "`` after a container title with the suffix ``" "``; ``Title. , 1990a`` in
  ABNT), pandoc drops the space (``Computation.``, ``Title., 1990a``).  The space goes
  to the engine as a stand-in (:data:`AFFIX_SPACE` after a word, :data:`MARK_SPACE`
  after a mark), which :func:`finish` makes a space, or nothing beside another space.
  Between a mark and a period it is dropped and the marks are merged as
  the engine merges them (``". "`` then ``"."`` gives ``.``): citeproc-js's stray
  period (``Utrecht. .``) is not copied.

* A citation that collapses by year (``collapse="year"``, ``"year-suffix"``,
  ``"year-suffix-ranged"``) but prints no names (DIN 1505-2 alphanumeric's labels):
  citeproc-js finds every cite's names alike (none) and joins all the cites of a
  citation as one group, with the ``cite-group-delimiter`` (``[see Gabo00, Kost99]``);
  pandoc finds no group and joins them with the layout's delimiter
  (``[see Gabo00; Kost99]``).  The layout's delimiter becomes the group delimiter.

The style is rewritten only for the engine runs that print (:func:`prepare_style`), and
the items those runs read get the variable (:func:`prepare_items`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree

from mesorefs.render.macro_calls import MacroCalls
from mesorefs.render.standins import (
    AFFIX_SPACE,
    INITIAL_END,
    MARK_SPACE,
    SHOWN,
    STRIP_CLOSE,
    STRIP_OPEN,
    YEAR_CLOSE,
    YEAR_OPEN,
)
from mesorefs.render.standins import END_MARKS as _END_MARKS
from mesorefs.render.styles import CSL_NS

__all__ = ["SHOWN_VARIABLE", "finish", "prepare_items", "prepare_style"]

_NS = f"{{{CSL_NS}}}"
SHOWN_VARIABLE = "mesorefs-shown"
"""A variable no style names, which every item gets with the value :data:`SHOWN`."""

# the title fields whose final period travels as a stand-in (fixes._TITLE_FIELDS)
_TITLE_FIELDS = frozenset(
    ("title", "container-title", "collection-title", "event-title", "title-short")
)
_STRIPPED = re.compile(f"{STRIP_OPEN}([^{STRIP_OPEN}{STRIP_CLOSE}]*){STRIP_CLOSE}")
_YEAR = re.compile(f"{YEAR_OPEN}([^{YEAR_OPEN}{YEAR_CLOSE}]*){YEAR_CLOSE}")
_LONG_YEAR = re.compile(r"\d{3,}")
_INITIAL_BEFORE_WORD = re.compile(f"{INITIAL_END}(?=[^\\W\\d_][^\\W\\d_])")
_SPACES = f"{AFFIX_SPACE}{MARK_SPACE}"
_SPACE_RUN = re.compile(f"[{_SPACES}]{{2,}}")
# beside whitespace (markup between aside: HTML tags, LaTeX's braces, Markdown's
# emphasis) or at the end (the same markup aside); in HTML the engine's writer keeps a
# final space of the entry itself (suite fixture bugreports_UnisaHarvardInitialization:
# "n.d., </div>") but trims one that closes a block of a second-field-align entry
# (variables_ContainerTitleShort: "(Series: a title).</div>")
_SPACE_BESIDE = re.compile(f"(?<=\\s)[{_SPACES}]|[{_SPACES}](?=(?:</?[a-z][^>]*>|[}}*_])*\\s)")
_SPACE_AT_END = re.compile(f"[{_SPACES}](?=(?:</?[a-z][^>]*>|[}}*_])*$)")
_SPACE_CLOSING_BLOCK = re.compile(f"[{_SPACES}](?=(?:</div>)+$)")
# the engine's merging of a mark and a period that follows it: the period goes, but
# after a comma
_MARK_THEN_PERIOD = re.compile(f"([.:;!?]){MARK_SPACE}\\.|(,){MARK_SPACE}(?=\\.)")
_SUFFIXED = frozenset(
    f"{_NS}{t}" for t in ("text", "number", "names", "date", "date-part", "label", "group")
)
_MARKS_BEFORE_SPACE = frozenset(".,:;!?")


def _kept_space(suffix: str) -> str | None:
    """The stand-in for the space a suffix ends in (None: no single final space)."""
    if not suffix.endswith(" ") or suffix[-2:-1].isspace():
        return None
    return MARK_SPACE if suffix[-2:-1] in _MARKS_BEFORE_SPACE else AFFIX_SPACE


def _affixed(element: ElementTree.Element, before: str, after: str) -> None:
    element.set("prefix", element.get("prefix", "") + before)
    element.set("suffix", after + element.get("suffix", ""))


class _Rewrite(MacroCalls):
    def __init__(self, root: ElementTree.Element) -> None:
        super().__init__(root)
        self.changed = False

    def _shows_text(self, element: ElementTree.Element) -> bool:
        """A term, a fixed value, or a macro of only those."""
        if element.tag != f"{_NS}text":
            return False
        if element.get("term") or element.get("value"):
            return True
        return bool(element.get("macro")) and not self.calls_variable(element)

    def mark_terms(self, container: ElementTree.Element) -> None:
        """Put the shown variable beside the first term of ``container`` (a group or a
        branch) when it calls no variable itself: its output then counts as content."""
        children = list(container)
        if any(c.tag != f"{_NS}choose" and self.calls_variable(c) for c in children):
            return  # the variables it calls decide, in both engines
        chooses = [c for c in children if c.tag == f"{_NS}choose"]
        if any(self.calls_variable(c) for c in chooses):
            for choose in chooses:
                for branch in choose:
                    self.mark_terms(branch)
            return
        for index, child in enumerate(children):
            if self._shows_text(child):
                # the stand-in goes first: after the term it would keep the engine from
                # merging the term's final punctuation with what follows ("n.d.." for "n.d.")
                wrapper = ElementTree.Element(f"{_NS}group")
                container.remove(child)
                ElementTree.SubElement(wrapper, f"{_NS}text", {"variable": SHOWN_VARIABLE})
                wrapper.append(child)
                container.insert(index, wrapper)
                self.changed = True
                return

    def mark_nested(self, node: ElementTree.Element, inside: bool, seen: frozenset[str]) -> None:
        """:meth:`mark_terms` for each group inside a group that calls a variable (only
        there can its terms keep an outer group the engine would drop), through macros."""
        for child in list(node):
            if child.tag == f"{_NS}group":
                if inside:
                    self.mark_terms(child)
                self.mark_nested(child, inside or self.calls_variable(child), seen)
                continue
            macro = child.get("macro") if child.tag == f"{_NS}text" else None
            if macro is not None:
                if macro in self.macros and macro not in seen:
                    self.mark_nested(self.macros[macro], inside, seen | {macro})
                continue
            self.mark_nested(child, inside, seen)


@lru_cache(maxsize=32)
def prepare_style(style_xml: str) -> str:
    """The style with the stand-ins of the module's doc in its affixes and term groups."""
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    rewrite = _Rewrite(root)
    for element in root.iter(f"{_NS}text"):
        stripped = element.get("strip-periods") == "true" and element.get("quotes") != "true"
        titled = element.get("variable") in _TITLE_FIELDS or element.get("macro")
        if stripped and titled:
            _affixed(element, STRIP_OPEN, STRIP_CLOSE)
            rewrite.changed = True
    for element in _initials_run_together(root):
        element.set("initialize-with", INITIAL_END)
        rewrite.changed = True
    for element in root.iter(f"{_NS}text"):
        if element.get("macro") and element.attrib.pop("text-case", None) is not None:
            rewrite.changed = True  # citeproc-js cases no macro's output as a whole
    for element in root.iter(f"{_NS}date-part"):
        if element.get("name") == "year" and element.get("form") == "short":
            _affixed(element, YEAR_OPEN, YEAR_CLOSE)
            rewrite.changed = True
    for element in (e for e in root.iter() if e.tag in _SUFFIXED):
        # a suffix, or a fixed text (GOST's <text value=": "/>), that ends in a space
        for attribute in ("value", "suffix") if element.tag == f"{_NS}text" else ("suffix",):
            written = element.get(attribute, "")
            kept = _kept_space(written)
            if kept is not None:
                element.set(attribute, written[:-1] + kept)
                rewrite.changed = True
    for layout in root.iter(f"{_NS}layout"):
        rewrite.mark_nested(layout, False, frozenset())
    citation = root.find(f"{_NS}citation")
    cites = citation.find(f"{_NS}layout") if citation is not None else None
    if citation is not None and cites is not None and _one_group(citation, cites, rewrite):
        cites.set("delimiter", citation.get("cite-group-delimiter", ", "))
        rewrite.changed = True
    if not rewrite.changed:
        return style_xml
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(
        root, encoding="unicode"
    )


_YEAR_COLLAPSES = frozenset(("year", "year-suffix", "year-suffix-ranged"))


def _one_group(
    citation: ElementTree.Element, layout: ElementTree.Element, rewrite: _Rewrite
) -> bool:
    """Whether citeproc-js joins all the cites of a citation as one year group: it
    collapses by year and its layout prints no names (through its macros)."""
    if citation.get("collapse") not in _YEAR_COLLAPSES:
        return False
    pending, seen = [layout], set()
    while pending:
        element = pending.pop()
        for node in element.iter():
            if node.tag == f"{_NS}names":
                return False
            macro = node.get("macro") if node.tag == f"{_NS}text" else None
            if macro in rewrite.macros and macro not in seen:
                seen.add(macro)
                pending.append(rewrite.macros[macro])
    return True


def _initials_run_together(root: ElementTree.Element) -> list[ElementTree.Element]:
    """The ``<name initialize="false">`` elements whose ``initialize-with`` is empty (their
    own, or the style's where neither citation nor bibliography sets one)."""
    inherited = root.get("initialize-with")
    for part in ("citation", "bibliography"):
        element = root.find(f"{_NS}{part}")
        if element is not None and element.get("initialize-with") not in (None, inherited):
            inherited = None  # it depends on where a macro is called: left alone
    return [
        name
        for name in root.iter(f"{_NS}name")
        if name.get("initialize") == "false" and name.get("initialize-with", inherited) == ""
    ]


def prepare_items(items: list[dict[str, Any]], style_xml: str) -> list[dict[str, Any]]:
    """The items with :data:`SHOWN_VARIABLE` set, where the style names it."""
    if SHOWN_VARIABLE not in style_xml:
        return items
    return [{**item, SHOWN_VARIABLE: SHOWN} for item in items]


def _short_year(match: re.Match[str]) -> str:
    return _LONG_YEAR.sub(lambda m: m[0][-2:], match[1], count=1)


def finish(rendered: str, output: str = "text") -> str:
    """The rendered text (in ``output``: text, html, markdown, latex) with the stand-ins of
    the module's doc carried out and removed."""
    if STRIP_OPEN in rendered:
        rendered = _STRIPPED.sub(lambda m: m[1].replace(_END_MARKS["."], ""), rendered)
    if INITIAL_END in rendered:
        # an initial before a whole given name keeps its space ("S Doaitse"), one before
        # another initial or the family name does not ("JR Smith")
        rendered = _INITIAL_BEFORE_WORD.sub(" ", rendered)
    if YEAR_OPEN in rendered:
        rendered = _YEAR.sub(_short_year, rendered)
    if AFFIX_SPACE in rendered or MARK_SPACE in rendered:
        # nested suffixes that each end in a space make one space
        rendered = _SPACE_RUN.sub(lambda m: m[0][0], rendered)
        rendered = _MARK_THEN_PERIOD.sub(lambda m: m[1] or m[2], rendered)
        rendered = _SPACE_BESIDE.sub("", rendered)
        end = _SPACE_CLOSING_BLOCK if output == "html" else _SPACE_AT_END
        rendered = end.sub("", rendered)
        rendered = rendered.replace(AFFIX_SPACE, " ").replace(MARK_SPACE, " ")
    for mark in (INITIAL_END, SHOWN, STRIP_OPEN, STRIP_CLOSE, YEAR_OPEN, YEAR_CLOSE):
        rendered = rendered.replace(mark, "")
    return rendered
