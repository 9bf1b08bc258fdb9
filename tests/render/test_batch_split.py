"""Shared family names split by year with stand-ins, and runs without disambiguation
(render/batch.py)."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.render import batch, format_bibliography
from mesorefs.render.styles import CSL_NS, find_style

_APA = find_style("apa").xml
_CHICAGO = find_style("chicago-author-date").xml


def _item(item_id: str, family: str, given: str | None, year: int) -> dict[str, Any]:
    person = {"family": family} if given is None else {"family": family, "given": given}
    return {"id": item_id, "author": [person], "issued": {"date-parts": [[year]]}}


@pytest.mark.parametrize(
    ("given", "initials"),
    [
        ("John", "J"),
        ("John Ronald", "JR"),
        ("J. R.", "JR"),
        ("J R", "JR"),
        ("Jean-Pierre", "JP"),
        ("J.-P.", "J-P"),
        ("Ji-ping", "J"),
        ("THomas", "Th"),
        ("Émile", "É"),
        ("Mary Ann", "MA"),
    ],
    ids=[
        "word",
        "two-words",
        "initials-with-periods",
        "initials-with-spaces",
        "hyphenated",
        "hyphenated-initials",
        "hyphen-then-lower-case",
        "two-capitals",
        "accented",
        "double-name",
    ],
)
def test_initials_are_citeprocs(given: str, initials: str) -> None:
    """Given names reduce to the initials citeproc compares in ``initialsMatch``."""
    assert batch._initials(given) == initials


@pytest.mark.parametrize(
    ("person", "plain"),
    [
        ({"family": "Smith", "given": "Anna"}, True),
        ({"family": "Müller", "given": "Jürgen"}, True),
        ({"family": "Smith"}, True),
        ({"family": "Berg", "given": "Anna", "non-dropping-particle": "van den"}, False),
        ({"family": "van Berg", "given": "Anna"}, False),
        ({"family": "O'Brien", "given": "Anna"}, False),
        ({"family": "Smith", "given": "Anna, Jr."}, False),
        ({"family": "Smith", "given": "Ludwig van"}, False),
        ({"family": "Smith", "given": "\ue040Anna\ue041"}, False),
        ({"literal": "World Health Organization"}, False),
    ],
    ids=[
        "plain",
        "accented",
        "no-given",
        "particle",
        "particle-in-family",
        "apostrophe",
        "suffix-in-given",
        "particle-in-given",
        "stand-in-characters",
        "literal",
    ],
)
def test_only_plain_names_are_split(person: dict[str, Any], plain: bool) -> None:
    """A name the engine might read other than as written keeps its family whole."""
    assert batch._plain_person(person) is plain


def test_a_shared_family_goes_apart_by_year_with_the_names_it_needs() -> None:
    """Smiths of different years go to different runs; each run sees another Smith, and one
    with the same initials, wherever the whole bibliography has one."""
    items = [
        _item("a", "Smith", "Anna", 2001),
        _item("b", "Smith", "Annabel", 2002),
        _item("c", "Smith", "Bruno", 2003),
    ]
    runs = batch.chunks(items, _APA, size=1, split_least=1)
    by_members = {tuple(run.members): run.witnesses for run in runs}
    assert set(by_members) == {(0,), (1,), (2,)}
    assert by_members[(0,)] == [1]  # another Smith, with Anna's initial
    assert by_members[(1,)] == [0]
    assert len(by_members[(2,)]) == 1  # another Smith; none shares Bruno's initial


def test_a_shared_family_of_few_items_stays_whole() -> None:
    """Below ``split_least`` items, a shared family is one group: no stand-ins needed."""
    items = [_item("a", "Smith", "Anna", 2001), _item("b", "Smith", "Bruno", 2002)]
    (run,) = batch.chunks(items, _APA, size=1, split_least=3)
    assert sorted(run.members) == [0, 1]
    assert run.witnesses == []


def test_a_family_with_an_unplain_name_stays_whole() -> None:
    """One name the engine might parse keeps the whole family in one run."""
    items = [
        _item("a", "Smith", "Anna", 2001),
        _item("b", "Smith", "Ludwig van", 2002),
    ]
    (run,) = batch.chunks(items, _APA, size=1, split_least=1)
    assert sorted(run.members) == [0, 1]
    assert run.witnesses == []


def test_items_that_cannot_be_confused_run_without_disambiguation() -> None:
    """An item alone in its group, whose names nobody else carries, goes to a plain run."""
    items = [
        _item("a", "Smith", "Anna", 2001),
        _item("b", "Smith", "Anna", 2001),
        _item("c", "Jones", "Carl", 2001),
    ]
    runs = batch.chunks(items, _APA)
    plain = [run for run in runs if not run.disambiguate]
    assert [run.members for run in plain] == [[2]]
    root = ElementTree.fromstring(batch.without_disambiguation(_APA).encode("utf-8"))
    citation = root.find(f"{{{CSL_NS}}}citation")
    assert citation is not None
    assert not [a for a in citation.attrib if "disambiguat" in a]


def test_a_stand_in_keeps_the_names_and_takes_a_free_year() -> None:
    """A stand-in has its own id, a year after its run's, and the names of its item."""
    items = [_item("a", "Smith", "Anna", 2001), _item("b", "Smith", "Bruno", 1999)]
    year = batch.free_year(items)
    copy = batch.stand_in(items[0], 0, year)
    assert year == 2002
    assert copy["id"] not in {i["id"] for i in items}
    assert copy["author"] == items[0]["author"]
    assert copy["issued"] == {"date-parts": [[2002]]}


_FAMILIES = st.sampled_from(["Smith", "Jones", "Li", "Müller"])
_GIVEN = st.sampled_from([None, "Anna", "Annabel", "A.", "Bruno", "Jean-Pierre", "J.-P.", "Ji"])


@given(st.lists(st.tuples(_FAMILIES, _GIVEN, st.integers(1990, 1995)), max_size=40))
@settings(max_examples=60, deadline=None)
def test_every_item_is_a_member_of_one_run(people: list[tuple[str, str | None, int]]) -> None:
    """Each item is rendered in exactly one run, never beside a stand-in of itself, and a
    run's stand-ins have years none of its members have."""
    items = [_item(f"i{n}", f, g, y) for n, (f, g, y) in enumerate(people)]
    runs = batch.chunks(items, _CHICAGO, size=5, split_least=1)
    members = sorted(i for run in runs for i in run.members)
    assert members == list(range(len(items)))
    for run in runs:
        assert not set(run.members) & set(run.witnesses)
        year = batch.free_year([*(items[i] for i in run.members)])
        assert all(year > items[i]["issued"]["date-parts"][0][0] for i in run.members)


def _same_family(n: int) -> list[Reference]:
    givens = ["Anna", "Annabel", "Bruno", "B.", "Carla", "Jean-Pierre", "J.-P.", "Jürgen"]
    return [
        Reference(
            key=f"k{i}",
            type="book",
            title=f"Work {i}",
            authors=[Person(family="Smith", given=givens[i % len(givens)] + "x" * (i // 80))],
            issued=PartialDate(year=2001 + i % 5),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("style", ["apa", "chicago-author-date"], ids=["apa", "chicago"])
def test_a_shared_family_split_by_year_renders_as_one_run(
    style: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries of many people named Smith, split by year with stand-ins, are the entries
    of one run: added initials and given names, year suffixes and order alike."""
    refs = _same_family(batch.CHUNK + 40)
    split = format_bibliography(refs, style)
    assert any("2001b" in entry for entry in split)
    monkeypatch.setattr(batch, "needs_splitting", lambda style_xml, n_items: False)
    assert format_bibliography(refs, style) == split
