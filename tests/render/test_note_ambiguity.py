"""A note style's ``disambiguate="true"`` condition is decided on the works' subsequent
forms without note numbers (render/note_ambiguity.py, correction
note-disambiguate-condition).  Expected texts are citeproc-js's
(benchmarks/_citeproc_js.py) for the same sequences, except where the CSL specification
and citeproc-js disagree (said at the case)."""

from __future__ import annotations

import pytest

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.render import format_citations
from mesorefs.render.note_ambiguity import MARKER, applies, chosen, marker_style

_KNUTH = Person(family="Knuth", given="Donald E.")


def _book(title: str, year: int, author: Person = _KNUTH) -> Reference:
    return Reference(
        type="book",
        title=title,
        authors=[author],
        issued=PartialDate(year=year),
        publisher="Addison-Wesley",
    )


def _twice(refs: list[Reference]) -> list[list[Reference]]:
    return [[r] for r in refs] * 2


@pytest.mark.parametrize(
    ("refs", "expected"),
    [
        (
            [_book("TeX", 1986), _book("The METAFONTbook", 1986)],
            ["Knuth (n 1).", "Knuth (n 2)."],
        ),
        (
            [
                _book("TeX", 1986),
                _book("The METAFONTbook", 1986),
                _book("Digital Typography", 1999),
            ],
            ["Knuth (n 1).", "Knuth (n 2).", "Knuth (n 3)."],
        ),
    ],
    ids=["two-books-one-author", "three-books-one-author"],
)
def test_oscola_short_forms_told_apart_by_their_note_numbers_stay_short(
    refs: list[Reference], expected: list[str]
) -> None:
    """Works by one author whose short forms differ by their note numbers are not
    ambiguous: the short form is the author's name alone (citeproc-js agrees for two
    works; for three it adds the titles, which we do not copy)."""
    rendered = format_citations(_twice(refs), style="oscola").citations
    assert rendered[len(refs) :] == expected


def test_oscola_short_form_keeps_out_a_title_that_tells_nothing_apart() -> None:
    """Two works whose first notes read alike: the title, the short form's
    disambiguating content, tells them apart nowhere, so the short form stays the
    author's name alone (as citeproc-js writes it; pandoc added the title)."""
    one = Reference(type="document", title="Limits of Things", authors=[_KNUTH])
    other = Reference(
        type="document",
        title="Limits of Things",
        authors=[_KNUTH],
        issued=PartialDate(year=2003),
    )
    rendered = format_citations(_twice([one, other]), style="oscola").citations
    assert rendered[2:] == ["Knuth (n 1).", "Knuth (n 2)."]


_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="%s" version="1.0">
  <citation><layout><choose>
    <if disambiguate="true"><text variable="title"/></if>
    <else-if position="subsequent" disambiguate="true"><text variable="title"/></else-if>
    <else-if type="book" disambiguate="true" match="any"><text variable="title"/></else-if>
  </choose></layout></citation>
</style>"""


@pytest.mark.parametrize(
    ("cls", "expected"), [("note", True), ("in-text", False)], ids=["note", "in-text"]
)
def test_applies_to_note_styles_only(cls: str, expected: bool) -> None:
    """Only a note style's condition is taken over; in-text styles keep the engine's."""
    assert applies(_STYLE % cls) is expected


def test_marker_style_swaps_only_conditions_it_can_split() -> None:
    """A condition alone or under match="all" tests the marker; one under match="any"
    is left to the engine."""
    swapped = marker_style(_STYLE % "note")
    assert swapped.count(f'variable="{MARKER}"') == 2
    assert swapped.count('disambiguate="true"') == 1


@pytest.mark.parametrize(
    ("first", "marked", "expected"),
    [
        (["A", "A", "B"], ["A1", "A2", "B"], {"x", "y"}),
        (["A", "A", "B"], ["A", "A", "B"], set()),
        (["A", "B", "C"], ["A1", "B1", "C1"], set()),
    ],
    ids=["tells-apart", "tells-nothing-apart", "nothing-ambiguous"],
)
def test_chosen_marks_a_group_only_where_the_content_tells_it_apart(
    first: list[str], marked: list[str], expected: set[str]
) -> None:
    """A group of works whose citations read alike gets the condition only when the
    content it adds makes at least two of them differ."""
    ids = ["x", "y", "z"]

    def probe(items: list[dict[str, object]], clusters: list[list[str]], xml: str) -> list[str]:
        texts = marked if all(MARKER in i for i in items) else first
        return texts + [f"short {t} {k}" for k, t in enumerate(texts)]

    items = [{"id": i, "type": "book"} for i in ids]
    assert chosen(items, ids, probe, _STYLE % "note") == expected
