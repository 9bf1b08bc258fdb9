"""An "et al." term in a script without spaces follows the name without one
(render/etal.py), as citeproc-js writes it.

The expected texts are citeproc-js 2.4.63's for the same items and style.  Found by
benchmarks/csl_wide_bench.py: chinese-gb7714-2005-author-date citations ("Gibbons A等").
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.render import format_bibliography, format_citation
from mesorefs.render.etal import joined, term


@pytest.mark.parametrize(
    ("probe", "found"),
    [("Alpha 等", "等"), ("Alpha ほか", "ほか"), ("Alpha et al.", None), ("Alpha и др.", None)],
    ids=["chinese", "japanese-kana", "latin", "cyrillic"],
)
def test_term_only_for_a_script_without_spaces(probe: str, found: str | None) -> None:
    """Only a term that does not start with a Latin, Greek, Cyrillic, ... letter counts."""
    assert term(probe) == found


@pytest.mark.parametrize(
    ("rendered", "expected"),
    [
        ("(Gibbons A 等, 1988)", "(Gibbons A等, 1988)"),
        ("SMITH J, DOE A, ROE B, 等. 1990.", "SMITH J, DOE A, ROE B, 等. 1990."),
        ("(Smith 等; Doe 等)", "(Smith等; Doe等)"),
        ("田中、 等", "田中、 等"),
    ],
    ids=["after-a-name", "after-the-delimiter", "twice", "after-ideographic-comma"],
)
def test_joined_after_a_name_not_after_a_delimiter(rendered: str, expected: str) -> None:
    """The space between a name and the term goes; a delimiter before it stays."""
    assert joined(rendered, "等") == expected


@given(st.text(alphabet="abc ,.等", max_size=30))
def test_joined_only_takes_out_spaces(text: str) -> None:
    """Joining never changes anything but spaces, and nothing without a term."""
    assert joined(text, "等").replace(" ", "") == text.replace(" ", "")
    assert joined(text, None) == text


def _work() -> Reference:
    return Reference(
        type="book",
        title="T",
        authors=[Person(family="Gibbons", given="Alan"), Person(family="Rytter", given="W")],
        issued=PartialDate(year=1988),
    )


def test_chinese_citation_joins_et_al_and_entry_keeps_the_delimiter() -> None:
    """GB/T 7714 author-date: "(Gibbons等, 1988)", as citeproc-js writes it."""
    style = "chinese-gb7714-2005-author-date"
    assert format_citation(_work(), style=style) == "(Gibbons等, 1988)"
    many = Reference(
        type="book",
        title="U",
        authors=[Person(family=f, given="A") for f in ("Smith", "Doe", "Roe", "Poe")],
        issued=PartialDate(year=1990),
    )
    assert format_bibliography([many], style=style) == ["SMITH A, DOE A, ROE A, 等. 1990. U[M]."]


def test_latin_et_al_keeps_its_space() -> None:
    """APA's "et al." keeps the space before it."""
    three = Reference(
        type="book",
        title="T",
        authors=[Person(family=f, given="A") for f in ("Gibbons", "Rytter", "Doe")],
        issued=PartialDate(year=1988),
    )
    assert format_citation(three, style="apa") == "(Gibbons et al., 1988)"
