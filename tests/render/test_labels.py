"""Citation labels as citeproc-js makes them (render/labels.py).

The expected labels are citeproc-js 2.4.63's for the same CSL-JSON, rendered with a
style that prints ``citation-label``.  Found by benchmarks/csl_wide_bench.py:
din-1505-2-alphanumeric and american-mathematical-society-label, whose bibliographies
are sorted by the label.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.render import format_bibliography, format_citation
from mesorefs.render.labels import citation_label, prepare_items


def _people(*families: str) -> list[dict[str, str]]:
    return [{"family": f, "given": "A"} for f in families]


def _year(year: int | str) -> dict[str, Any]:
    return {"date-parts": [[year]]}


@pytest.mark.parametrize(
    ("item", "label"),
    [
        ({"author": _people("Knuth"), "issued": _year(1968)}, "Knut68"),
        ({"author": _people("Roe", "Noakes"), "issued": _year(1978)}, "RoNo78"),
        ({"author": _people("Agrawal", "Klein", "Ravi"), "issued": _year(1993)}, "AgKR93"),
        (
            {"author": _people("Benker", "Fritzemeier", "Geiger", "Harrer", "Kessner"),
             "issued": _year(2009)},
            "BFGH09",
        ),
        ({"author": _people("van der Waals"), "issued": _year(1873)}, "Waal73"),
        ({"author": [{"literal": "The CGAL Project"}], "issued": _year(2020)}, "Cgal20"),
        ({"title": "On the Theory of Sets", "issued": _year(2001)}, "Onth01"),
        ({"author": _people("Smith")}, "Smit00"),
        ({"editor": _people("Łukasiewicz", "O’Brien"), "issued": _year("1930")}, "ŁuOb30"),
        ({"author": _people("王"), "title": "A Study", "issued": _year(2015)}, "Astu15"),
        ({"author": _people("Al"), "issued": _year(2007)}, "Al07"),
    ],
    ids=[
        "one-name-four-letters",
        "two-names-two-each",
        "three-names-two-one-one",
        "four-or-more-one-each",
        "particle-left-out",
        "literal-without-article",
        "title-without-short-words",
        "no-year",
        "editor-apostrophe",
        "non-latin-name-gives-title",
        "short-name",
    ],
)  # fmt: skip
def test_label_as_citeproc_js(item: dict[str, Any], label: str) -> None:
    """The label is the one citeproc-js writes for the same item."""
    assert citation_label({"id": "x", "type": "book", "title": "T", **item}) == label


@given(
    st.lists(st.from_regex(r"[A-Z][a-z]{0,9}", fullmatch=True), min_size=1, max_size=6),
    st.integers(1000, 2999),
)
def test_label_is_letters_then_two_digits_of_the_year(families: list[str], year: int) -> None:
    """A label of Latin names is at most four letters, each name's first capital, then
    the year's last two digits."""
    label = citation_label({"author": _people(*families), "issued": _year(year)})
    assert label.endswith(f"{year % 100:02d}")
    letters = label[:-2]
    assert 1 <= len(letters) <= 4 and letters[0] == families[0][0]


def test_a_label_given_in_the_data_is_kept() -> None:
    """An item's own citation-label goes to the engine as written."""
    style = '<text variable="citation-label"/>'
    given_label = {"id": "a", "citation-label": "Mine", "author": _people("Knuth")}
    assert prepare_items([given_label], style) == [given_label]
    assert prepare_items([{"id": "b"}], "<text/>") == [{"id": "b"}]


def _work(*families: str, year: int = 1993) -> Reference:
    return Reference(
        type="book",
        title="Elimination orderings",
        authors=[Person(family=f, given="A") for f in families],
        issued=PartialDate(year=year),
    )


def test_label_style_writes_and_sorts_by_the_labels() -> None:
    """DIN 1505-2 alphanumeric: three authors give AgKR93, which sorts after AgKm93
    (two authors), as in citeproc-js's bibliography (pandoc's AgKlRa93 sorted first)."""
    refs = [_work("Agrawal", "Klein", "Ravi"), _work("Agrawal", "Kmiecik")]
    entries = format_bibliography(refs, style="din-1505-2-alphanumeric")
    assert [e.split("]")[0] for e in entries] == ["[AgKm93", "[AgKR93"]
    cited = format_citation(refs[0], style="american-mathematical-society-label")
    assert "AgKR93" in cited
