"""The works of one citation with an affix are sorted by the citation's sort keys as
citeproc-js writes and compares them (render/cite_order.py ``by_keys``,
render/sortkeys.py ``citation_sort_style``; correction affixed-cites-sorted).  Expected
texts are citeproc-js's (benchmarks/_citeproc_js.py) for the same citations; the cases
are the wide bench's pairs (issue 28)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.render import CiteItem, format_citations, keyed
from mesorefs.render.cite_order import by_keys
from mesorefs.render.sortkeys import citation_sort_style, directions, read_keys
from mesorefs.render.standins import DATE_CLOSE, DATE_OPEN, DATE_PARTS, SORT_KEY
from mesorefs.render.styles import find_style

_ANONYMOUS = Reference(type="book", title="Utrecht", publisher="Pub")
_DOE = Reference(
    type="book",
    title="Some Book",
    authors=[Person(family="Doe", given="John")],
    issued=PartialDate(year=1998),
    publisher="Pub",
)

_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id>x</id><title>x</title><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation et-al-min="3" et-al-use-first="1" collapse="year">{sort}
    <layout><names variable="author"/></layout>
  </citation>
  <bibliography>
    <sort><key variable="title"/></sort>
    <layout><text variable="title"/></layout>
  </bibliography>
</style>"""


@pytest.mark.parametrize(
    ("style", "cites", "expected"),
    [
        (
            "gost-r-7-0-5-2008",
            [CiteItem(_ANONYMOUS), CiteItem(_DOE, prefix="see ")],
            "[see Doe, 1998; Utrecht, ]",
        ),
        (
            "din-1505-2",
            [CiteItem(_ANONYMOUS), CiteItem(_DOE, suffix="for a counter-example")],
            "(Doe, 1998 for a counter-example; Utrecht)",
        ),
    ],
    ids=["gost-prefix", "din-suffix"],
)
def test_a_work_with_no_author_goes_after_the_named_ones(
    style: str, cites: list[CiteItem], expected: str
) -> None:
    """A cite whose first sort key (the author) is empty sorts last, affix and all."""
    assert format_citations([cites], style=style).citations == [expected]


def test_the_citation_sort_becomes_the_bibliography_sort() -> None:
    """The key style sorts as the citation does, with the citation's name options and
    none of its disambiguation or grouping attributes."""
    xml = citation_sort_style(
        _STYLE.format(sort='<sort><key variable="author"/><key variable="issued"/></sort>')
    )
    assert xml is not None
    assert directions(xml) == (1, 1)
    assert 'et-al-min="3"' in xml.split("<bibliography")[1]
    assert "collapse" not in xml.split("<bibliography")[1]


@pytest.mark.parametrize(
    "sort",
    ["", "<sort/>", '<sort><key variable="citation-number"/></sort>'],
    ids=["no-sort", "empty-sort", "citation-number"],
)
def test_no_key_style_where_the_engine_order_needs_no_help(sort: str) -> None:
    """A citation that does not sort, or sorts by citation number, gets no key style."""
    assert citation_sort_style(_STYLE.format(sort=sort)) is None


_KEYS = st.one_of(st.none(), st.sampled_from(["Adams", "adams", "Doe", "Zeta", "Ōta"]))


@given(st.lists(st.tuples(_KEYS, _KEYS), min_size=1, max_size=6))
def test_by_keys_puts_empty_keys_last_and_keeps_ties_as_cited(
    rows: list[tuple[str | None, str | None]],
) -> None:
    """Every cite comes back once; a cite with an empty first key follows every cite
    with one; cites with equal keys keep their order."""
    ids = [f"i{n}" for n in range(len(rows))]
    keys: dict[str, list[str | None]] = {i: list(row) for i, row in zip(ids, rows, strict=True)}
    cluster = list(range(len(rows)))
    result = by_keys(cluster, ids, keys, (1, 1), "en-US")
    assert sorted(result) == cluster
    firsts = [rows[k][0] is None for k in result]
    assert firsts == sorted(firsts)
    for a, b in itertools.pairwise(result):
        if rows[a] == rows[b]:
            assert a < b


def _engine_keys(items: list[dict[str, Any]], style_xml: str) -> dict[str, list[str | None]]:
    found = keyed.item_keys(items, style_xml, "en-US", chunk=400)
    assert found is not None
    return found[0]


def test_a_year_range_written_in_one_part_is_keyed_as_start_and_end() -> None:
    """A range the engine writes inside the year part ("1885–1888") gives citeproc-js's
    digits for its start and its end, not one run of eight digits."""
    rendered = f"{SORT_KEY}0{SORT_KEY}{DATE_OPEN}{DATE_PARTS['year']}1885–1888{DATE_CLOSE}"
    assert read_keys([(f"x{SORT_KEY}0", rendered)], 1) == {"x": ["118850000118880000"]}


def test_a_range_and_a_single_year_are_cited_in_citeproc_js_order() -> None:
    """harvard-cite-them-right sorts its cites by the year: 1885–1888 before 1993."""
    jaffe = Reference.from_csl(
        {
            "id": "j",
            "type": "book",
            "title": "Regesta",
            "editor": [{"family": "Jaffé", "given": "Philipp"}],
            "issued": {"date-parts": [[1885], [1888]]},
        }
    )
    cites = [CiteItem(_DOE, locator="12", suffix="for a counter-example"), CiteItem(jaffe)]
    assert format_citations([cites], style="harvard-cite-them-right").citations == [
        "(Jaffé, 1885–1888; Doe, 1998, p. 12 for a counter-example)"
    ]


_LAST = {"family": "Last", "given": "Ann", "non-dropping-particle": "de"}
_KRATSCH = {"family": "Kratsch", "given": "Dieter"}


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("american-sociological-association", "Last de"),  # sort-only, short form
        ("cse-name-year", "Last de"),
        ("sage-harvard", "de Last"),  # particles never demoted
    ],
    ids=["asa", "cse", "never"],
)
def test_a_short_name_in_a_citation_key_demotes_its_particle(style: str, expected: str) -> None:
    """In a key written in the short form, the non-dropping particle follows the family
    name unless the style never demotes it (citeproc-js's citation_sort keys)."""
    key_xml = citation_sort_style(find_style(style).xml)
    assert key_xml is not None
    item = {"id": "a", "type": "book", "title": "T", "author": [_LAST]}
    first = _engine_keys([item], key_xml)["a"]
    assert any(key is not None and key.startswith(expected) for key in first)


def test_a_demoted_particle_sorts_the_cite_by_its_family_name() -> None:
    """ASA cites "de Last" among the L's: after Kratsch, though it carries the suffix."""
    last = Reference.from_csl(
        {"id": "l", "type": "book", "title": "A", "author": [_LAST], "issued": _YEAR_2006}
    )
    kratsch = Reference.from_csl(
        {"id": "k", "type": "book", "title": "B", "author": [_KRATSCH], "issued": _YEAR_1990}
    )
    cites = [CiteItem(last, suffix="for a counter-example"), CiteItem(kratsch)]
    assert format_citations([cites], style="american-sociological-association").citations == [
        "(Kratsch 1990; de Last 2006 for a counter-example)"
    ]


_YEAR_2006 = {"date-parts": [[2006]]}
_YEAR_1990 = {"date-parts": [[1990]]}
