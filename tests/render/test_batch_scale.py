"""Splitting a long bibliography costs in proportion to its length (render/batch.py):
the packing is first-fit without rescanning full runs, and the names that must stay
together are worked out once, not once per item."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.render import batch
from mesorefs.render.styles import find_style

_APA = find_style("apa").xml


def _first_fit(groups: list[tuple[list[int], int]], size: int) -> list[list[int]]:
    """First-fit decreasing as written in the textbook: every run is looked at."""
    packed: list[list[int]] = []
    loads: list[int] = []
    for group, weight in sorted(groups, key=lambda g: g[1], reverse=True):
        for n, load in enumerate(loads):
            if load + weight <= size:
                packed[n].extend(group)
                loads[n] += weight
                break
        else:
            packed.append(list(group))
            loads.append(weight)
    return packed


@given(
    weights=st.lists(st.integers(min_value=1, max_value=40), max_size=200),
    size=st.integers(min_value=1, max_value=60),
)
def test_packing_is_first_fit(weights: list[int], size: int) -> None:
    """Skipping full runs packs exactly as first-fit decreasing does."""
    groups = [([n], w) for n, w in enumerate(weights)]
    assert batch._pack(groups, size) == _first_fit(groups, size)


class _Counted(frozenset[str]):
    """A frozenset that counts how often it is subtracted from."""

    subtractions = 0

    def __sub__(self, other: Any) -> frozenset[str]:
        type(self).subtractions += 1
        return frozenset(self) - other


@pytest.mark.parametrize("count", [50, 400], ids=["50-items", "400-items"])
def test_names_kept_together_are_found_once(count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The names that must be seen together are computed once per bibliography: the
    work does not grow with items times shared names."""
    items = [
        {
            "id": f"i{n}",
            "author": [{"family": f"Fam{n % 20}", "given": f"Given{n}"}],
            "issued": {"date-parts": [[1990 + n % 7]]},
        }
        for n in range(count)
    ]
    real = batch._shared_families
    monkeypatch.setattr(batch, "_shared_families", lambda *args: _Counted(real(*args)))
    _Counted.subtractions = 0
    runs = batch.chunks(items, _APA)
    # one in _split_families, one in chunks; never one per item
    assert _Counted.subtractions == 2
    assert sorted(i for run in runs for i in run.members) == list(range(count))
