"""The trailing-particle split of a given name (render/sortkeys.trailing_particles): the
same answer as the pattern it replaced, in time linear in the name (issue 27 audit)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.render.sortkeys import trailing_particles

PATTERN = re.compile(r"^(.*?\S)((?:\s+[a-z][^\s]*)+)$")
"""What citeproc-js's reading was written as first (quadratic on long runs of words)."""


def _by_pattern(given: str) -> tuple[str, str] | None:
    match = PATTERN.match(given)
    return None if match is None else (match.group(1), match.group(2))


@given(st.text(alphabet=" \n\t\u00a0abzAXY.é'", max_size=16))
def test_split_is_the_patterns(given: str) -> None:
    """On any short name of blanks, lower- and upper-case words, the split is the pattern's."""
    assert trailing_particles(given) == _by_pattern(given)


@pytest.mark.parametrize(
    ("given", "split"),
    [
        ("L. van", ("L.", " van")),
        ("Ludwig van der", ("Ludwig", " van der")),
        ("Ludwig", None),
        ("van der", ("van", " der")),
        ("L. van\n", ("L.", " van")),
        ("L.\nM. van", None),
        ("L. van ", None),
    ],
    ids=["one", "two", "none", "all-lower", "final-newline", "newline-in-given", "final-blank"],
)
def test_known_splits(given: str, split: tuple[str, str] | None) -> None:
    """Known names split as the pattern splits them."""
    assert trailing_particles(given) == split == _by_pattern(given)


@pytest.mark.parametrize("last", ["Xavier", "van"], ids=["capital-last", "particle-last"])
def test_a_long_run_of_short_words(last: str) -> None:
    """200,000 one-letter words then one more: split as the words say (the run is the
    particle when every word is lower case; none when the last is capitalised).  Speed
    on such names: benchmarks/safety/regex.py."""
    given = "A " + "a " * 200_000 + last
    split = trailing_particles(given)
    if last == "van":
        assert split == ("A", " " + "a " * 200_000 + "van")
    else:
        assert split is None
