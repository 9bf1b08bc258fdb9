"""Pandoc citations in Markdown: parsed into cite items and written in a style."""

from __future__ import annotations

import pytest

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.render import CiteItem
from mesorefs.render.markdown import find_markers, parse_cites, render_markdown

LIBRARY = [
    Reference(
        key="smith2005", type="book", title="A book",
        authors=[Person(family="Smith", given="Jane")], issued=PartialDate(year=2005),
    ),
    Reference(
        key="roe2010", type="book", title="B book",
        authors=[Person(family="Roe", given="Ann")], issued=PartialDate(year=2010),
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("inside", "expected"),
    [
        ("@smith2005", [CiteItem("smith2005")]),
        ("see @smith2005, p. 23", [CiteItem("smith2005", locator="23", prefix="see")]),
        (
            "@smith2005, chap. 3, emphasis added; -@roe2010",
            [
                CiteItem("smith2005", locator="3", label="chapter", suffix=", emphasis added"),
                CiteItem("roe2010", suppress_author=True),
            ],
        ),
        ("@smith2005, pp. 33-35", [CiteItem("smith2005", locator="33-35")]),
        ("@smith2005, and elsewhere", [CiteItem("smith2005", suffix=", and elsewhere")]),
    ],
    ids=["bare", "prefix-locator", "label-suffix-suppress", "page-range", "suffix-only"],
)
def test_parse_cites(inside: str, expected: list[CiteItem]) -> None:
    assert list(parse_cites(inside)) == expected


def test_markers_in_text_and_brackets_but_not_e_mail() -> None:
    text = "As @smith2005 [p. 4] says [see @roe2010]. Mail me@example.org."
    markers = find_markers(text)
    assert [text[m.start : m.end] for m in markers] == ["@smith2005 [p. 4]", "[see @roe2010]"]
    assert markers[0].cites[0].author_in_text and markers[0].cites[0].locator == "4"


def test_render_markdown_replaces_markers_and_appends_the_bibliography() -> None:
    text = "As @smith2005 [p. 4] says [see @roe2010, p. 2].\n"
    out = render_markdown(text, LIBRARY, style="apa")
    assert out.startswith("As Smith (2005, p. 4) says (see Roe, 2010, p. 2).\n\n## References\n")
    assert "Roe, A. (2010)." in out and "Smith, J. (2005)." in out


def test_text_without_citations_is_returned_as_is() -> None:
    assert render_markdown("No citations here.\n", LIBRARY) == "No citations here.\n"
