"""A citation that collapses by year but prints no names is one group of cites
(render/style_gaps.py), as citeproc-js joins it.

The expected texts are citeproc-js 2.4.63's for the same works.  Found by
benchmarks/csl_wide_bench.py: din-1505-2-alphanumeric, every citation of two works
("[see Gabo00, Kost99]", pandoc wrote "[see Gabo00; Kost99]").
"""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.render import CiteItem, format_citations
from mesorefs.render.style_gaps import prepare_style
from mesorefs.render.styles import CSL_NS


def _work(family: str, year: int) -> Reference:
    return Reference(
        type="book",
        title="Title",
        authors=[Person(family=family, given="A")],
        issued=PartialDate(year=year),
    )


def test_label_citation_joins_its_cites_as_one_group() -> None:
    """DIN 1505-2 alphanumeric: two works, one with a prefix, joined with ", "."""
    cites = [CiteItem(_work("Gabow", 2000), prefix="see "), CiteItem(_work("Koster", 1999))]
    document = format_citations([cites], style="din-1505-2-alphanumeric")
    assert document.citations == ["[see Gabo00, Kost99]"]


def _style(collapse: str, prints: str) -> str:
    return (
        f'<style xmlns="{CSL_NS}" class="in-text" version="1.0">'
        '<macro name="who"><names variable="author"/></macro>'
        f'<citation collapse="{collapse}" cite-group-delimiter=" / ">'
        f'<layout delimiter="; ">{prints}</layout></citation></style>'
    )


@pytest.mark.parametrize(
    ("collapse", "prints", "delimiter"),
    [
        ("year", '<text variable="citation-label"/>', " / "),
        ("year-suffix", '<text variable="citation-number"/>', " / "),
        ("year", '<text macro="who"/><date variable="issued"/>', "; "),
        ("citation-number", '<text variable="citation-number"/>', "; "),
    ],
    ids=["year-without-names", "year-suffix-without-names", "names-through-macro", "numbers"],
)
def test_only_a_year_collapse_without_names_changes_the_delimiter(
    collapse: str, prints: str, delimiter: str
) -> None:
    """The layout takes the group delimiter only where citeproc-js makes one group."""
    root = ElementTree.fromstring(prepare_style(_style(collapse, prints)).encode("utf-8"))
    layout = root.find(f"{{{CSL_NS}}}citation/{{{CSL_NS}}}layout")
    assert layout is not None and layout.get("delimiter") == delimiter
