"""Fixtures for the rendering tests: the seed's seven references."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mesorefs.models import PartialDate, Person, Reference

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def seed_refs() -> list[Reference]:
    """The seed article's references, from verified values only."""
    items = json.loads((DATA / "seed-references.json").read_text(encoding="utf-8"))
    return [Reference.from_csl(item) for item in items]


@pytest.fixture(scope="session")
def zeta_book() -> Reference:
    """One book by one author, cited in the citation tests whose expected texts come from
    citeproc-js (benchmarks/_citeproc_js.py) for the same item."""
    return Reference(
        type="book",
        title="Alpha Book",
        authors=[Person(family="Zeta", given="Ann")],
        issued=PartialDate(year=2001),
        publisher="Pub",
    )
