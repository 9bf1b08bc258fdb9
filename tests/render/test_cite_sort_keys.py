"""The works of one citation with an affix are sorted by the citation's sort keys as
citeproc-js writes and compares them (render/cite_order.py ``by_keys``,
render/sortkeys.py ``citation_sort_style``; correction affixed-cites-sorted).  Expected
texts are citeproc-js's (benchmarks/_citeproc_js.py) for the same citations; the cases
are the wide bench's pairs (issue 28)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.render import CiteItem, format_citations
from mesorefs.render.cite_order import by_keys
from mesorefs.render.sortkeys import citation_sort_style, directions

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
