"""Cutting inputs into partitions: every line and row group once, in order."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from mesorefs.batch.plan import _group_slices, _line_slices


@given(
    lines=st.lists(st.text(alphabet="ab\u00e9{}", max_size=8), max_size=40),
    size=st.integers(1, 9),
)
def test_line_slices_cover_every_line_once(tmp_path_factory, lines: list[str], size: int) -> None:
    """Slices of JSON Lines start where their first line starts and miss none."""
    path = Path(tmp_path_factory.mktemp("lines")) / "x.jsonl"
    data = "".join(f"{line}\n" for line in lines).encode("utf-8")
    path.write_bytes(data)
    slices = _line_slices(path, size)
    assert [n for a, b, _ in slices for n in range(a, b)] == list(range(len(lines)))
    assert all(b - a <= size for a, b, _ in slices)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(f"{line}\n".encode()))
    assert [offset for _, _, offset in slices] == [starts[a] for a, _, _ in slices]


@given(counts=st.lists(st.integers(0, 30), max_size=20), size=st.integers(1, 50))
def test_group_slices_cover_every_group_once(counts: list[int], size: int) -> None:
    """Row groups are taken whole and in order, rows counted from zero."""
    slices = _group_slices(counts, size)
    taken = [g for _, _, groups in slices for g in groups]
    assert taken == sorted(set(taken))
    assert {g for g, count in enumerate(counts) if count} <= set(taken)
    assert sum(b - a for a, b, _ in slices) == sum(counts)
    for a, b, groups in slices:
        assert b - a == sum(counts[g] for g in groups)
