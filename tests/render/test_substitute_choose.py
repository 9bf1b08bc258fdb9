"""Subsequent-author substitution where the names that lead an entry depend on its type
(a ``<choose>`` around them, as in OSCOLA): each entry's own leading names are compared,
as citeproc-js compares them (issue 28: OSCOLA's "——" was not applied)."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest

from mesorefs.models import Reference
from mesorefs.render import format_bibliography, substitute
from mesorefs.render.styles import CSL_NS, find_style

_NS = {"csl": CSL_NS}


def _book(key: str, title: str, family: str = "Swierstra", kind: str = "book") -> Reference:
    return Reference.from_csl(
        {
            "id": key,
            "type": kind,
            "title": title,
            "author": [{"family": family, "given": "Sam"}],
            "publisher": "P",
            "container-title": "J",
            "issued": {"date-parts": [[2020]]},
        }
    )


def test_oscola_replaces_a_repeated_author() -> None:
    """OSCOLA writes "——" for the author of an entry that repeats the one before."""
    refs = [_book("a", "First"), _book("b", "Second"), _book("c", "Third", "Adams")]
    entries = format_bibliography(refs, "oscola")
    assert [e.split(",")[0] for e in entries] == ["Adams S", "Swierstra S", "——"]


def test_oscola_compares_across_types() -> None:
    """A book and an article by one author: the second entry still gets the dash."""
    refs = [_book("a", "A Book"), _book("b", "An Article", kind="article-journal")]
    first, second = format_bibliography(refs, "oscola")
    assert first.startswith("Swierstra S, ") and second.startswith("——, ")


def test_names_only_style_keeps_the_choose_of_leading_names() -> None:
    """OSCOLA's names-only copy keeps a choose: the interviewer leads an interview, the
    author (or its first stand-in) anything else."""
    xml = substitute.names_only_style(find_style("oscola").xml)
    assert xml is not None
    root = ElementTree.fromstring(xml.encode("utf-8"))
    (choose,) = root.findall("csl:bibliography/csl:layout/*", _NS)
    assert choose.tag == f"{{{CSL_NS}}}choose"
    leading = [n.get("variable") for n in choose.iter(f"{{{CSL_NS}}}names")]
    assert leading[0] == "interviewer" and "author" in leading


_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id/><title/><updated>2009-08-10T04:49:00+09:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography subsequent-author-substitute="--">
    <sort><key variable="title"/></sort>
    <layout><choose>
      <if type="book"><names variable="author"/></if>
      <else><names variable="editor"/></else>
    </choose><text variable="title" prefix=". "/></layout>
  </bibliography>
</style>"""


@pytest.mark.parametrize(
    ("second_type", "expected"),
    [("book", "--. B"), ("article-journal", "Roe. B")],
    ids=["same-names", "other-variable-leads"],
)
def test_each_branch_compares_its_own_names(
    tmp_path: Path, second_type: str, expected: str
) -> None:
    """The names compared are those the entry's branch prints: an article led by its
    editor is not replaced for its author."""
    path = tmp_path / "style.csl"
    path.write_text(_STYLE, encoding="utf-8")
    person = [{"family": "Doe"}]
    first = {"id": "a", "type": "book", "title": "A", "author": person}
    second = {"id": "b", "type": second_type, "title": "B", "author": person}
    second["editor"] = [{"family": "Roe"}]
    refs = [Reference.from_csl(first), Reference.from_csl(second)]
    assert format_bibliography(refs, str(path)) == ["Doe. A", expected]
