"""A macro that prints nothing and calls no variable is not content of the group around
it (render/empty_macros.py), as CSL 1.0.2 and citeproc-js have it (issue 28's wide bench:
universite-de-montreal-apa's "Document inédit", american-geophysical-union's "In .")."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.models import Reference
from mesorefs.render import empty_macros, format_bibliography
from mesorefs.render.corrections import by_name

_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id/><title/><updated>2009-08-10T04:49:00+09:00</updated></info>
  <macro name="editors"><choose><if type="chapter"><names variable="editor"/></if></choose></macro>
  <macro name="container"><text variable="container-title"/></macro>
  <macro name="m">{macro}</macro>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout>
    <group delimiter=". "><text variable="title"/><text macro="m"/></group>
  </layout></bibliography>
</style>"""


def _entry(tmp_path: Path, macro: str, item: dict[str, object]) -> str:
    path = tmp_path / "style.csl"
    path.write_text(_STYLE.format(macro=macro), encoding="utf-8")
    ref = Reference.from_csl({"id": "x", "type": "manuscript", "title": "T", **item})
    (entry,) = format_bibliography([ref], str(path))
    return entry


@pytest.mark.parametrize(
    ("macro", "item", "expected"),
    [
        # the defect: the empty "editors" macro made the group of empty fields count
        (
            '<group><text macro="editors"/><text macro="container"/></group>'
            '<text value="Unpublished"/>',
            {},
            "T",
        ),
        (
            '<group><text term="in" suffix=" "/><text macro="editors"/>'
            '<text macro="container"/></group>',
            {},
            "T",
        ),
        # a filled variable still prints the group
        (
            '<group><text macro="editors"/><text macro="container"/></group>'
            '<text value="Unpublished"/>',
            {"container-title": "Box"},
            "T. BoxUnpublished",
        ),
        # the macro prints when its branch is taken
        (
            '<group delimiter=" "><text macro="editors"/><text macro="container"/></group>',
            {"type": "chapter", "editor": [{"family": "Ed"}]},
            "T. Ed",
        ),
        # a group with no variable but the empty macro prints its text (CSL: it calls
        # none), as pandoc printed it: the macro is left alone
        ('<group><text macro="editors"/></group><text value="Unpublished"/>', {}, "T. Unpublished"),
    ],
    ids=["group-of-empty-fields", "term-in-empty-group", "filled", "branch-taken", "no-variable"],
)
def test_empty_macro_is_not_content(
    tmp_path: Path, macro: str, item: dict[str, object], expected: str
) -> None:
    """An empty macro that calls no variable neither keeps nor drops the group around it."""
    assert _entry(tmp_path, macro, item) == expected


def _style(macro: str) -> str:
    return _STYLE.format(macro=macro)


@pytest.mark.parametrize(
    ("macro", "changed"),
    [
        ('<group><text macro="editors"/><text macro="container"/></group>', True),
        ('<group><text macro="editors"/></group>', False),
        ('<group><text value="x"/><text macro="editors"/><text macro="container"/></group>', True),
        (
            '<group><text value="x"/><text macro="editors"/>'
            '<choose><if type="book"><text variable="edition"/></if></choose></group>',
            False,
        ),
        ('<text macro="editors"/><text macro="container"/>', True),
    ],
    ids=[
        "beside-a-variable",
        "alone",
        "fixed-text-and-a-variable",
        "fixed-text-and-a-variable-in-a-branch",
        "in-a-macro",
    ],
)
def test_marked_only_where_every_call_allows(macro: str, changed: bool) -> None:
    """The macro gets the empty variable only where the group around each call calls
    another variable whatever branches are taken, or calls one in a branch and prints no
    fixed text of its own."""
    prepared = empty_macros.prepare_style(_style(macro))
    assert (empty_macros.EMPTY_VARIABLE in prepared) is changed


def test_listed_as_a_correction() -> None:
    """The correction is in the stack with its hook."""
    assert empty_macros.prepare_style in by_name("empty-macro-is-not-content").hooks
