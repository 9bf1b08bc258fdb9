"""A style's sort keys as citeproc-js writes them (render/sortkeys.py).

The expected keys are citeproc-js's (``registry[id].sortkeys``, its ``|`` read as a
space) for the same items and style.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest

from mesorefs.render import fixes, sortkeys
from mesorefs.render import name_fixes as names
from mesorefs.render import pandoc as engine
from mesorefs.render.standins import DATE_CLOSE, DATE_OPEN, DATE_PARTS, SORT_KEY, SPACE
from mesorefs.render.styles import CSL_NS, find_style
from mesorefs.render.writers import write_blocks

_APA = find_style("apa").xml
_HARVARD = find_style("harvard-cite-them-right").xml
_YEAR, _MONTH, _DAY = (DATE_PARTS[p] for p in ("year", "month", "day"))


def _keys(items: list[dict[str, Any]], style_xml: str) -> dict[str, list[str | None]]:
    key_xml = sortkeys.key_style(style_xml)
    assert key_xml is not None
    copies = sortkeys.key_items(items, style_xml)
    result = engine.run(copies, [], key_xml, "en-US", nocite=[c["id"] for c in copies])
    entries = [
        (i, fixes.finish(names.written_whole(write_blocks(b, "text"), style_xml), "text"))
        for i, b in result.bibliography
    ]
    return sortkeys.read_keys(entries, len(sortkeys.directions(style_xml)))


@pytest.mark.parametrize("style", ["ieee", "american-medical-association", "vancouver"], ids=str)
def test_no_help_where_the_style_sorts_by_citation_number(style: str) -> None:
    assert sortkeys.key_style(find_style(style).xml) is None


def test_no_help_without_a_bibliography_sort() -> None:
    root = ElementTree.fromstring(_APA.encode("utf-8"))
    bibliography = root.find(f"{{{CSL_NS}}}bibliography")
    assert bibliography is not None
    bibliography.remove(bibliography.find(f"{{{CSL_NS}}}sort"))  # type: ignore[arg-type]
    assert sortkeys.key_style(ElementTree.tostring(root, encoding="unicode")) is None


def test_a_key_that_prints_names_is_rendered_alone() -> None:
    assert sortkeys.key_groups(_APA) == ((0,), tuple(range(1, 10)))
    assert sortkeys.directions(_APA) == (1,) * 10


def test_read_keys_gives_dates_as_citeproc_js_digits_and_numbers_by_first_integer() -> None:
    entry = (
        f"{SORT_KEY}0{SORT_KEY}Smith J., … Lee C."
        f"{SORT_KEY}1{SORT_KEY}{DATE_OPEN}{_YEAR}2012{_MONTH}3{DATE_CLOSE}"
        f"{SORT_KEY}2{SORT_KEY}{DATE_OPEN}{_YEAR}2001{_YEAR}2003{DATE_CLOSE}"
        f"{SORT_KEY}3n{SORT_KEY}90B–95"
        f"{SORT_KEY}4{SORT_KEY}"
    )
    keys = sortkeys.read_keys([(f"x{SORT_KEY}0", entry)], 6)
    assert keys == {
        "x": [
            "Smith J., Lee C.",  # et-al-use-last's ellipsis is not in a key
            "120120300100000000",
            "120010000120030000",
            "90",
            None,
            None,
        ]
    }


def test_trailing_lower_case_given_names_follow_the_family_name_when_never_demoted() -> None:
    item = {"id": "a", "author": [{"family": "Rensburg", "given": "L. van"}]}
    (copy, *_) = sortkeys.key_items([item], _APA)
    assert copy["author"] == [{"family": "Rensburg van", "given": "L."}]
    (copy, *_) = sortkeys.key_items([item], _HARVARD)
    assert copy["author"] == item["author"]


def test_a_particle_ending_in_an_apostrophe_is_followed_by_a_space_when_never_demoted() -> None:
    item = {"id": "a", "author": [{"family": "d'Wander"}, {"family": "Gogh", **_VAN}]}
    (copy, *_) = sortkeys.key_items([item], _APA)
    assert copy["author"] == [{"family": f"d'{SPACE}Wander"}, {"family": "Gogh", **_VAN}]


_VAN = {"non-dropping-particle": "van"}


def test_the_engine_writes_apa_keys_as_citeproc_js_does() -> None:
    items = [
        {
            "id": "a",
            "type": "article-journal",
            "title": "Experimental testing of fluidized bed thermal storage",
            "author": [
                {"family": "Elsayed", "given": "M. M."},
                {"family": "Megahed", "given": "I. E."},
                {"family": "El-Refaee", "given": "M. M."},
            ],
            "issued": {"date-parts": [[1988]]},
            "volume": "5",
        },
        {
            "id": "b",
            "type": "book",
            "title": "Contents pages",
            "editor": [{"family": "Lee", "given": "Min"}],
        },
    ]
    keys = _keys(items, fixes.prepare_style(find_style("apa")))
    assert keys["a"][:6] == [
        "Elsayed M. M., Megahed I. E., El-Refaee M. M.",
        "1",
        "119880000100000000",
        None,
        "Experimental testing of fluidized bed thermal storage",
        "5",
    ]
    assert keys["b"][:5] == ["Lee M.", "0", None, None, "Contents pages"]  # no "(Ed.)"


def test_harvard_sorts_an_undated_item_by_an_empty_date_key() -> None:
    items = [{"id": "a", "type": "book", "title": "T", "author": [{"family": "Smith"}]}]
    assert _keys(items, _HARVARD)["a"] == ["Smith", None, "T"]  # not "no date"


def _author(*people: tuple[str, str]) -> dict[str, Any]:
    return {"type": "book", "title": "T", "author": [{"family": f, "given": g} for f, g in people]}


_EDITED = {
    **_author(("Smith", "John"), ("Lee", "M")),
    "editor": [{"family": "Smith", "given": "Jane"}],
}


@pytest.mark.parametrize(
    ("item", "key"),
    [
        (_author(("Smith", "Jane"), ("Smith", "John")), "Smith Jane, Smith John"),
        (_author(("Smith", "Jane"), ("Smith", "Bob")), "Smith J., Smith B."),
        (_author(("Smith", "Mary Ann"), ("Smith", "Mark A.")), "Smith Mary Ann, Smith Mark A."),
        (
            _author(("Dupont", "Jean-Paul"), ("Dupont", "Jean-Pierre")),
            "Dupont Jean-Paul, Dupont Jean-Pierre",
        ),
        (_author(("Smith", "Jane"), ("Smith", "John"), ("Lee", "Y"), ("Kim", "W")), "Smith Jane"),
        (_EDITED, "Smith J., Lee M."),
    ],
    ids=["same-initials", "other-initials", "spaces-and-periods", "hyphens", "et-al", "editor"],
)
def test_harvard_keys_write_in_full_a_name_written_in_full_in_the_entry(
    item: dict[str, Any], key: str
) -> None:
    """citeproc-js's keys (names.py, fix 7): a given name in full where another name of
    the item's list has the same family name and initials; an editor the citation does
    not print is registered only when the entry writes it, after the keys."""
    keys = _keys([{**item, "id": "a"}], fixes.prepare_style(find_style("harvard-cite-them-right")))
    assert keys["a"][0] == key
