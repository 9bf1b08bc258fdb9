"""Engine runs of a bibliography alone (render/batch.py, ``chunks(entries_only=...)``):
items that no disambiguation decision can reach go to runs without it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.render import batch, format_bibliography
from mesorefs.render.styles import find_style

_APA = find_style("apa").xml
_MLA = find_style("modern-language-association").xml


def _item(item_id: str, family: str, given: str, year: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": item_id,
        "type": "article-journal",
        "author": [{"family": family, "given": given}],
        "issued": {"date-parts": [[year]]},
        **extra,
    }


def test_one_author_in_mla_needs_no_disambiguation_run() -> None:
    """MLA adds no year suffix and no hint shows for one name: every entry of one author
    goes to runs without disambiguation, in runs of ``plain_size``."""
    items = [_item(f"k{i}", "Doe", "Jane", 1950 + i % 70) for i in range(300)]
    runs = batch.chunks(items, _MLA, plain_size=100, entries_only=frozenset())
    assert all(not run.disambiguate for run in runs)
    assert sorted(len(run.members) for run in runs) == [100, 100, 100]


def test_mla_splits_but_numbered_styles_do_not() -> None:
    """A style whose entries do not depend on their run splits; one with citation
    numbers does not."""
    assert batch.needs_splitting(_MLA, batch.CHUNK + 1)
    assert not batch.needs_splitting(find_style("vancouver").xml, 10 * batch.CHUNK)


def test_global_rules_keep_the_whole_bibliography_chunks() -> None:
    """Under a global given-name rule the entries-only chunks are those of :func:`chunks`
    (the before/after check still finds differences there)."""
    items = [
        _item("a", "Smith", "Anna", 2001),
        _item("b", "Smith", "Anna", 2001),
        _item("c", "Smith", "Bruno", 2002),
        _item("d", "Jones", "Carl", 2001),
    ]
    shape = [(r.members, r.witnesses, r.disambiguate) for r in batch.chunks(items, _APA)]
    entries = batch.chunks(items, _APA, entries_only=frozenset())
    assert [(r.members, r.witnesses, r.disambiguate) for r in entries] == shape


def test_pinned_items_stay_with_the_engines_disambiguation() -> None:
    """An item a correction reads the disambiguation for is never sent to a plain run."""
    items = [_item(f"k{i}", f"Family{i}", "Ann", 2000) for i in range(5)]
    runs = batch.chunks(items, _MLA, entries_only=frozenset({3}))
    (run,) = [run for run in runs if 3 in run.members]
    assert run.disambiguate


_PEOPLE = st.lists(
    st.tuples(
        st.sampled_from(["Smith", "Jones", "Li"]),
        st.sampled_from(["Anna", "Annabel", "Bruno", "B."]),
        st.integers(1990, 1993),
    ),
    max_size=40,
)


@given(people=_PEOPLE, style=st.just(_MLA))
@settings(max_examples=60, deadline=None)
def test_items_that_could_share_a_cite_share_a_run(
    people: list[tuple[str, str, int]], style: str
) -> None:
    """Every item is a member of one run; two items of one family and year (whose cites
    could be identical) are in one run whenever either is in a run with disambiguation."""
    items = [_item(f"i{n}", f, g, y) for n, (f, g, y) in enumerate(people)]
    runs = batch.chunks(items, style, size=5, plain_size=7, entries_only=frozenset())
    assert sorted(i for run in runs for i in run.members) == list(range(len(items)))
    where = {i: run for run in runs for i in run.members}
    for a, (fa, _, ya) in enumerate(people):
        for b, (fb, _, yb) in enumerate(people):
            if (fa, ya) == (fb, yb) and (where[a].disambiguate or where[b].disambiguate):
                assert where[a] is where[b]


def _doe(n: int) -> list[Reference]:
    return [
        Reference(
            key=f"k{i}",
            type="article-journal",
            title=f"Fat study {i}",
            authors=[Person(family="Doe", given="Jane")],
            issued=PartialDate(year=1950 + i % 70),
        )
        for i in range(n)
    ]


def _mixed(n: int) -> list[Reference]:
    """Smiths with given names alike and not, some in one year, long author lists."""
    givens = ["Anna", "Annabel", "Bruno", "B.", "Carla"]
    refs = []
    for i in range(n):
        authors = [Person(family="Smith" if i % 3 else f"Fam{i % 40}", given=givens[i % 5])]
        if i % 7 == 0:
            authors += [Person(family=f"Co{k}", given="K.") for k in range(i % 25)]
        refs.append(
            Reference(
                key=f"m{i}",
                type="article-journal",
                title=f"Work {i % 11}",
                authors=authors,
                issued=PartialDate(year=2000 + i % 4),
            )
        )
    return refs


@pytest.mark.parametrize(
    ("style", "refs"),
    [
        ("modern-language-association", _doe(batch.CHUNK + 30)),
        ("apa", _mixed(batch.CHUNK + 30)),
        ("chicago-author-date", _mixed(batch.CHUNK + 30)),
        ("harvard-cite-them-right", _mixed(batch.CHUNK + 30)),
    ],
    ids=["mla-one-author", "apa-mixed", "chicago-mixed", "harvard-mixed"],
)
def test_plain_runs_render_as_one_run(
    style: str, refs: list[Reference], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries sent to runs without disambiguation are the entries of one run of the
    whole bibliography: suffixes, added names and order alike."""
    split = format_bibliography(refs, style)
    monkeypatch.setattr(batch, "needs_splitting", lambda style_xml, n_items: False)
    assert format_bibliography(refs, style) == split
