"""The works of one citation are in the style's order when some carry a prefix or a
suffix (render/cite_order.py, correction affixed-cites-sorted).  Expected texts are
citeproc-js's (benchmarks/_citeproc_js.py) for the same citations."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.render import CiteItem, format_citations
from mesorefs.render.cite_order import DELIMITER, in_order

_ZETA = Reference(
    type="book",
    title="Alpha Book",
    authors=[Person(family="Zeta", given="Ann")],
    issued=PartialDate(year=2001),
    publisher="Pub",
)
_ADAMS = Reference(
    type="article-journal",
    title="Beta article",
    authors=[Person(family="Adams", given="Bob")],
    issued=PartialDate(year=1999),
    container_title="Journal",
    volume="3",
    pages="1-10",
)
_MILLER = Reference(
    type="book",
    title="Gamma",
    authors=[Person(family="Miller", given="Cat")],
    issued=PartialDate(year=2010),
    publisher="P2",
)


@given(st.lists(st.sampled_from("abcd"), min_size=1, max_size=6), st.randoms())
def test_in_order_follows_the_probe(ids: list[str], rng: object) -> None:
    """The cites come back in the order the probe printed their ids, each once."""
    cluster = list(range(len(ids)))
    order = list(range(len(ids)))
    rng.shuffle(order)  # type: ignore[attr-defined]
    probe = DELIMITER.join(ids[k] for k in order)
    result = in_order(cluster, ids, probe)
    assert sorted(result) == cluster
    assert [ids[k] for k in result] == [ids[k] for k in order]


def test_a_probe_that_does_not_name_each_cite_keeps_the_order() -> None:
    """An unexpected probe text changes nothing."""
    assert in_order(["x", "y"], ["a", "b"], f"a{DELIMITER}c") == ["x", "y"]


@pytest.mark.parametrize(
    ("style", "cites", "expected"),
    [
        ("apa", [CiteItem(_ZETA, prefix="see "), _ADAMS], "(Adams, 1999; see Zeta, 2001)"),
        (
            "apa",
            [_MILLER, CiteItem(_ADAMS, suffix=", x"), _ZETA],
            "(Adams, 1999, x; Miller, 2010; Zeta, 2001)",
        ),
        (
            "apa",
            [CiteItem(_ZETA, locator="3"), CiteItem(_ADAMS, prefix="also")],
            "(also Adams, 1999; Zeta, 2001, p. 3)",
        ),
    ],
    ids=["prefix", "suffix", "prefix-and-locator"],
)
def test_affixed_cites_are_sorted(
    style: str, cites: list[CiteItem | Reference], expected: str
) -> None:
    """Each cite takes its affixes to its place in the style's order."""
    assert format_citations([cites], style=style).citations == [expected]


def test_numbers_follow_the_first_citations() -> None:
    """In a numeric style the sort is by citation number, from the whole document."""
    document = format_citations(
        [[_MILLER], [_ADAMS], [CiteItem(_ADAMS, prefix="see "), _MILLER]], style="vancouver"
    )
    assert document.citations[2] == "(1,see 2)"
