"""Splitting a long bibliography into engine runs (render/batch.py)."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.render import batch, format_bibliography
from mesorefs.render.styles import CSL_NS, find_style

_APA = find_style("apa").xml


def _item(item_id: str, *families: str) -> dict[str, Any]:
    return {"id": item_id, "author": [{"family": f, "given": "A"} for f in families]}


def test_only_global_name_disambiguation_needs_splitting() -> None:
    assert batch.needs_splitting(_APA, batch.CHUNK + 1)
    assert not batch.needs_splitting(_APA, batch.CHUNK)
    assert not batch.needs_splitting(find_style("ieee").xml, 10 * batch.CHUNK)


def test_items_that_could_be_confused_share_a_chunk() -> None:
    items = [
        _item("a", "Smith"),
        _item("b", "Jones"),
        _item("c", "smíth"),  # folded: the same family name
        _item("d", "Jones", "Lee"),
        {"id": "e", "title": "No names"},
        {"id": "f", "title": "None either"},
    ]
    chunks = batch.chunks(items, _APA, size=2)
    where = {items[i]["id"]: n for n, chunk in enumerate(chunks) for i in chunk.members}
    assert where["a"] == where["c"]
    assert where["b"] == where["d"]
    assert where["e"] == where["f"]
    assert sorted(i for chunk in chunks for i in chunk.members) == list(range(len(items)))


def test_sort_only_style_keeps_the_sort_and_prints_the_carrier() -> None:
    root = ElementTree.fromstring(batch.sort_only_style(_APA).encode("utf-8"))
    ns = {"csl": CSL_NS}
    assert root.find("csl:bibliography/csl:sort", ns) is not None
    (text,) = root.findall("csl:bibliography/csl:layout/*", ns)
    assert text.get("variable") == batch.SORT_CARRIER
    citation = root.find("csl:citation", ns)
    assert citation is not None
    assert not [a for a in citation.attrib if a.startswith("disambiguate-")]


def _refs(n: int) -> list[Reference]:
    families = ["Cruz", "Dalton", "Beck", "Smith", "Delgado", "Okafor", "Ng", "Ames"]
    refs = [
        Reference(
            type="book",
            title=f"Work {i}",
            authors=[Person(family=families[i % len(families)], given=f"{chr(65 + i % 26)}.")],
            issued=PartialDate(year=1950 + i % 40),
        )
        for i in range(n)
    ]
    refs.append(
        Reference(
            type="book",
            title="Particle",
            authors=[Person(family="Cruz", given="M. J.", particle="de la")],
            issued=PartialDate(year=2000),
        )
    )
    return refs


def test_a_split_bibliography_equals_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split or not, the entries and their order are the same, and "de la Cruz" (a
    particle also seen without: see fixes.py) sorts as written, between D-a and D-e-l."""
    refs = _refs(batch.CHUNK + 20)
    split = format_bibliography(refs, "apa")
    families = [e.split(",")[0] for e in split]
    assert families.index("Dalton") < families.index("de la Cruz") < families.index("Delgado")
    monkeypatch.setattr(batch, "needs_splitting", lambda style_xml, n_items: False)
    assert format_bibliography(refs, "apa") == split


def test_one_author_pair_over_many_years_is_split_by_year() -> None:
    """Items of one person (one spelling of the given names) group by name and year, so a
    long list of one author pair renders in small runs; two people named Smith go apart only
    with each other's name beside them."""
    same = [
        {**_item(f"s{i}", "Smith", "Jones"), "issued": {"date-parts": [[2000 + i % 10]]}}
        for i in range(400)
    ]
    chunks = batch.chunks(same, _APA, size=50)
    assert max(len(chunk.members) for chunk in chunks) <= 50
    for chunk in chunks:
        years = {same[i]["issued"]["date-parts"][0][0] for i in chunk.members}
        assert all(
            sum(1 for i in chunk.members if same[i]["issued"]["date-parts"][0][0] == y) == 40
            for y in years
        )
    two_smiths = [
        {"id": "a", "author": [{"family": "Smith", "given": "A"}], "issued": {"date-parts": [[1]]}},
        {"id": "b", "author": [{"family": "Smith", "given": "B"}], "issued": {"date-parts": [[2]]}},
    ]
    # two people named Smith go apart by year, each run with the other as a stand-in
    runs = batch.chunks(two_smiths, _APA, size=1, split_least=1)
    assert sorted((run.members, run.witnesses) for run in runs) == [([0], [1]), ([1], [0])]


def test_same_authors_split_by_year_render_as_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Year suffixes (2001a, 2001b) come out the same when same-author items are split."""
    refs = [
        Reference(
            key=f"k{i}",
            title=f"Study {i}",
            authors=[Person(family="Smith", given="John"), Person(family="Jones", given="Mary")],
            issued=PartialDate(year=2001 + i % 3),
        )
        for i in range(batch.CHUNK + 30)
    ]
    split = format_bibliography(refs, "apa")
    assert any("2001b" in entry for entry in split)
    monkeypatch.setattr(batch, "needs_splitting", lambda style_xml, n_items: False)
    assert format_bibliography(refs, "apa") == split
