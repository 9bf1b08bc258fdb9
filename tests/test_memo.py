"""The memo tables are found by walking the loaded modules, and cleared."""

from __future__ import annotations

import functools
import sys
import types
from collections.abc import Iterator

import pytest

from mesorefs.library import tidy_bibtex
from mesorefs.memo import clear_memo_tables, memo_tables


@pytest.fixture
def planted() -> Iterator[types.ModuleType]:
    """A module of the package, loaded for the test, holding caches of each kind."""
    module = types.ModuleType("mesorefs._planted_for_test")

    @functools.lru_cache(maxsize=64)
    def table(x: int) -> int:
        return x

    @functools.lru_cache(maxsize=1)
    def built() -> object:
        return object()

    class Holder:
        @staticmethod
        @functools.cache
        def method(x: int) -> int:
            return x

    Holder.__module__ = module.__name__
    module.table = table  # type: ignore[attr-defined]
    module.again = table  # type: ignore[attr-defined]
    module.built = built  # type: ignore[attr-defined]
    module.Holder = Holder  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    try:
        yield module
    finally:
        del sys.modules[module.__name__]


def test_finds_module_and_class_caches_once(planted: types.ModuleType) -> None:
    """A table under two names is found once; a class's cached method is found; a lazily
    built object (at most two entries) is not a table."""
    found = [name for name, _ in memo_tables(("mesorefs._planted_for_test",))]
    assert found == [
        "mesorefs._planted_for_test.table",
        "mesorefs._planted_for_test.Holder.method",
    ]


def test_clear_empties_every_table(planted: types.ModuleType) -> None:
    """After clearing, every table found holds nothing, and the count says how many."""
    planted.table(1)
    planted.Holder.method(2)
    assert clear_memo_tables(("mesorefs._planted_for_test",)) == 2
    assert planted.table.cache_info().currsize == 0
    assert planted.Holder.method.cache_info().currsize == 0


def test_tidy_leaves_nothing_behind_a_clear() -> None:
    """After a tidy fills mesorefs' tables, clearing leaves every one of them empty."""
    tidy_bibtex("@article{k, title = {Caf{\\'e} and DNA}, author = {M{\\\"u}ller, J.}}")
    tables = dict(memo_tables())
    assert any(cache.cache_info().currsize for cache in tables.values())
    clear_memo_tables()
    assert all(cache.cache_info().currsize == 0 for cache in tables.values())
