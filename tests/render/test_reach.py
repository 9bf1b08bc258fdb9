"""What a style's disambiguation can change in its bibliography (render/reach.py)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.render import reach
from mesorefs.render.styles import CSL_NS, find_style


def _style(citation: str = "", bibliography: str = "", layout: str = "", macros: str = "") -> str:
    return (
        f'<style xmlns="{CSL_NS}" class="in-text" version="1.0">{macros}'
        f'<citation {citation}><layout><names variable="author"/></layout></citation>'
        f"<bibliography {bibliography}><layout>{layout}</layout></bibliography></style>"
    )


_LONG = '<names variable="author"><name/></names>'
_SHORT = '<names variable="editor"><name form="short"/></names>'
_CUT = '<names variable="author"><name et-al-min="3"/></names>'
_INITIALS = '<names variable="author"><name initialize-with=". "/></names>'


@pytest.mark.parametrize(
    ("citation", "layout", "names"),
    [
        ('disambiguate-add-givenname="true"', _LONG, {}),
        ('disambiguate-add-givenname="true"', _SHORT, {"editor": None}),
        ("", _SHORT, {}),
        ('disambiguate-add-givenname="true"', _INITIALS, {"author": None}),
        (
            'disambiguate-add-givenname="true" '
            'givenname-disambiguation-rule="primary-name-with-initials"',
            _INITIALS,
            {},
        ),
        (
            'disambiguate-add-givenname="true"',
            f'<choose><if type="treaty">{_SHORT}</if><else>{_LONG}</else></choose>',
            {"editor": frozenset({"treaty"})},
        ),
    ],
    ids=[
        "long-names",
        "short-names",
        "no-added-given-names",
        "initials-by-cite",
        "initials-with-initials-rule",
        "short-for-one-type",
    ],
)
def test_name_hints_reach_where_the_bibliography_writes_them_otherwise(
    citation: str, layout: str, names: dict[str, Any]
) -> None:
    """A hint reaches a name list that the bibliography writes short or initialised (an
    initialised one only under a rule that can add whole given names), for the types
    that print it."""
    assert dict(reach.reach(_style(citation, layout=layout)).names) == names


def test_a_substitute_writes_names_as_its_names_element_says() -> None:
    """A ``<names>`` without ``<name>`` in a substitute shows hints where the names it
    substitutes for would."""
    layout = (
        '<names variable="author"><name form="short"/>'
        '<substitute><names variable="editor"/></substitute></names>'
    )
    found = reach.reach(_style('disambiguate-add-givenname="true"', layout=layout))
    assert set(found.names) == {"author", "editor"}


def test_macros_count_only_where_the_bibliography_calls_them() -> None:
    """Short names in a macro only the citation calls do not reach the bibliography."""
    macros = f'<macro name="cited">{_SHORT}</macro><macro name="listed">{_LONG}</macro>'
    style = _style('disambiguate-add-givenname="true"', layout='<text macro="listed"/>')
    style = style.replace("<citation", macros + "<citation", 1)
    assert dict(reach.reach(style).names) == {}
    called = style.replace('macro="listed"', 'macro="cited"')
    assert dict(reach.reach(called).names) == {"editor": None}


@pytest.mark.parametrize(
    ("citation", "bibliography", "layout", "expected"),
    [
        ('disambiguate-add-names="true"', 'et-al-min="7"', _LONG, 7),
        ('disambiguate-add-names="true"', 'et-al-min="7"', _CUT, 3),
        ("", 'et-al-min="7"', _LONG, None),
        ('disambiguate-add-names="true"', "", _LONG, None),
    ],
    ids=["bibliography-cut", "name-cut", "no-added-names", "no-cut"],
)  # fmt: skip
def test_added_names_reach_lists_the_bibliography_cuts(
    citation: str, bibliography: str, layout: str, expected: int | None
) -> None:
    """Names before "et al." matter only where disambiguation adds names and the
    bibliography cuts a list."""
    assert reach.reach(_style(citation, bibliography, layout)).et_al_min == expected


def test_year_suffix_and_condition_are_read_from_the_style() -> None:
    """The year suffix comes from the citation, the condition from what the bibliography
    renders."""
    plain = reach.reach(_style())
    assert not plain.year_suffix and not plain.condition
    suffixed = reach.reach(_style('disambiguate-add-year-suffix="true"'))
    assert suffixed.year_suffix
    tested = reach.reach(_style(layout=f'<choose><if disambiguate="true">{_LONG}</if></choose>'))
    assert tested.condition


@pytest.mark.parametrize(
    ("style", "year_suffix", "global_names"),
    [("apa", True, True), ("modern-language-association", False, False), ("ieee", False, False)],
    ids=["apa", "mla", "ieee"],
)
def test_shipped_styles(style: str, year_suffix: bool, global_names: bool) -> None:
    """APA adds year suffixes under a global rule; MLA and IEEE add none."""
    found = reach.reach(find_style(style).xml)
    assert (found.year_suffix, found.global_names) == (year_suffix, global_names)


_NAMES = st.lists(
    st.fixed_dictionaries({"family": st.sampled_from(["Smith", "Li"]), "given": st.just("A")}),
    max_size=6,
)


@given(authors=_NAMES, editors=_NAMES, kind=st.sampled_from(["book", "treaty"]))
def test_hint_names_are_names_of_reached_lists(
    authors: list[dict[str, str]], editors: list[dict[str, str]], kind: str
) -> None:
    """The names whose hints could show are exactly those of the lists the style writes
    so, for the item's type."""
    layout = f'<choose><if type="treaty">{_SHORT}</if></choose>{_LONG}'
    found = reach.reach(_style('disambiguate-add-givenname="true"', layout=layout))
    item = {"type": kind, "author": authors, "editor": editors}
    expected = editors if kind == "treaty" else []
    assert reach.hint_names(found, item) == expected


@given(count=st.integers(0, 30))
def test_a_list_is_decided_only_from_the_cut(count: int) -> None:
    """Without a year suffix or the condition, an item is reached only through a list as
    long as the least cut."""
    found = reach.reach(_style('disambiguate-add-names="true"', 'et-al-min="7"', _LONG))
    item = {"author": [{"family": f"F{n}"} for n in range(count)]}
    assert reach.decided(found, item) == (count >= 7)
