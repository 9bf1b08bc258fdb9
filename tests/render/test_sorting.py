"""The bibliography in citeproc-js's order (render/sorting.py), and year suffixes
following it; the expected orders are citeproc-js's for the same items."""

from __future__ import annotations

from itertools import pairwise
from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.errors import RenderError
from mesorefs.models import PartialDate, Person, Reference
from mesorefs.render import format_bibliography, format_citations, sorting
from mesorefs.render import pandoc as engine
from mesorefs.render.standins import SORT_KEY
from mesorefs.render.styles import CSL_NS, find_style


def test_order_by_keys_each_in_its_direction_empty_keys_last() -> None:
    keys = [
        ("a", ["Smith", "2001"]),
        ("b", ["Smith", "2003"]),
        ("c", [None, "1999"]),
        ("d", ["Jones", None]),
        ("e", ["Jones", "1990"]),
    ]
    assert sorting.order(keys, [1, 1]) == ["e", "d", "a", "b", "c"]
    assert sorting.order(keys, [1, -1]) == ["e", "d", "b", "a", "c"]
    assert sorting.order(keys, [-1, 1]) == ["a", "b", "e", "d", "c"]


@given(st.lists(st.sampled_from(["x", "X", "x.", "y"]), min_size=1, max_size=8))
def test_ties_keep_the_order_given(values: list[str]) -> None:
    keys = [(str(n), [v]) for n, v in enumerate(values)]
    ordered = sorting.order(keys, [1])
    for first, second in pairwise(ordered):
        if values[int(first)].lower().strip(".") == values[int(second)].lower().strip("."):
            assert int(first) < int(second)


def test_ranked_style_sorts_by_the_rank_alone() -> None:
    ranked = sorting.ranked_style(find_style("apa").xml)
    root = ElementTree.fromstring(ranked.encode("utf-8"))
    keys = root.findall(f"{{{CSL_NS}}}bibliography/{{{CSL_NS}}}sort/{{{CSL_NS}}}key")
    assert [k.attrib for k in keys] == [{"variable": sorting.RANK}]
    assert sorting.rank_value(7) < sorting.rank_value(10)


def _untitled(title: str) -> Reference:
    issued = PartialDate(year=2017)
    return Reference(type="chapter", title=title, container_title="Guide", issued=issued)


def test_numbers_in_keys_sort_by_value() -> None:
    refs = [_untitled("Chapter 15. Strategy"), _untitled("Chapter 3. Execution")]
    entries = format_bibliography(refs, style="apa")
    assert [e.split(".")[0] for e in entries] == ["Chapter 3", "Chapter 15"]


def test_apostrophes_and_case_do_not_count() -> None:
    refs = [
        Reference(type="book", title="T", authors=[Person(family=f, given="A")])
        for f in ("O’Rourke", "Ono", "RING", "Rinaldi")
    ]
    entries = format_bibliography(refs, style="apa")
    assert [e.split(",")[0] for e in entries] == ["Ono", "O’Rourke", "Rinaldi", "RING"]


def test_year_suffixes_follow_the_bibliography_order() -> None:
    """Two papers alike but for the volume: 51 sorts before 124, so it is 2012a."""
    refs = [
        Reference(
            key=f"v{volume}",
            type="article-journal",
            title="DNA polyfluorophores",
            container_title="Journal",
            authors=[Person(family="Wang", given="S.")],
            issued=PartialDate(year=2012),
            volume=volume,
        )
        for volume in ("124", "51")
    ]
    entries = format_bibliography(refs, style="apa")
    assert [e.split("Journal, ")[1][:3] for e in entries] == ["51.", "124"]
    assert ["2012a" in entries[0], "2012b" in entries[1]] == [True, True]
    document = format_citations([[refs[0]], [refs[1]]], style="apa")
    assert document.citations == ["(Wang, 2012b)", "(Wang, 2012a)"]


def test_a_particle_ending_in_an_apostrophe_sorts_as_a_word_of_its_own() -> None:
    """sort_LeadingApostropheOnNameParticle: citeproc-js keys "d’ Wander" before
    "de’ Frinkle", and prints the space written after "de'"."""
    refs = [
        Reference(type="book", title="T", authors=[Person(family=family, given="A")])
        for family in ("de' Frinkle", "d'Wander")
    ]
    entries = format_bibliography(refs, style="apa")
    assert [e.split(",")[0] for e in entries] == ["d’Wander", "de’ Frinkle"]


def test_the_engines_own_order_when_the_key_run_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """A style the key rewrite does not suit still renders, in the engine's order."""
    run = engine.run

    def failing_key_run(items: Any, *args: Any, **kwargs: Any) -> engine.EngineResult:
        if any(SORT_KEY in str(item["id"]) for item in items):
            raise RenderError("pandoc failed: the key style")
        return run(items, *args, **kwargs)

    monkeypatch.setattr(engine, "run", failing_key_run)
    refs = [_untitled("Chapter 15. Strategy"), _untitled("Chapter 3. Execution")]
    assert [e.split(".")[0] for e in format_bibliography(refs, style="apa")] == [
        "Chapter 15",
        "Chapter 3",
    ]


def test_a_name_written_in_full_sorts_after_its_initials() -> None:
    """citeproc-js's Harvard order (names.py, fix 7): "Smith, Jane and Smith, John" keys
    as "Smith Jane", after "Smith, J. and Wu, X."."""
    smiths = [Person(family="Smith", given=g) for g in ("Jane", "John")]
    refs = [
        Reference(type="book", title="A", authors=smiths),
        Reference(type="book", title="B", authors=[smiths[1], Person(family="Wu", given="Xi")]),
    ]
    entries = format_bibliography(refs, style="harvard-cite-them-right")
    assert [e.split(") ")[1][0] for e in entries] == ["B", "A"]
