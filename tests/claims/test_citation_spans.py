"""A position is inside the union of citation spans exactly when some span holds it."""

from __future__ import annotations

from bisect import bisect_right

from hypothesis import given
from hypothesis import strategies as st

from mesorefs.claims.citations import _merged, find_citations

spans = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda p: (p[0], p[0] + p[1])),
    max_size=12,
)


@given(spans, st.integers(0, 90))
def test_merged_spans_agree_with_every_span(taken: list[tuple[int, int]], pos: int) -> None:
    """Bisecting the merged spans finds a position exactly when a span holds it."""
    starts, ends = _merged(taken)
    at = bisect_right(starts, pos) - 1
    assert (at >= 0 and pos < ends[at]) == any(a <= pos < b for a, b in taken)
    assert all(e < s for e, s in zip(ends, starts[1:], strict=False))


def test_narrative_key_inside_a_bracket_is_not_counted_twice() -> None:
    """`@b` inside `[see @b]` is the bracketed citation's; a bare `@c` outside is its own."""
    found = find_citations("As [see @b, p. 3] showed, @c agrees.")
    assert [(c.keys, c.narrative) for c in found] == [(("b",), False), (("c",), True)]
