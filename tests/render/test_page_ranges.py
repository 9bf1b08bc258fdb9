"""Page ranges, escaped hyphens and labels written into locators, as citeproc-js reads
them (fixes 5, 9 and 10 in mesorefs.render.fixes)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import Reference
from mesorefs.render import CiteItem, fixes, format_citations, locator_fixes
from mesorefs.render.standins import HYPHEN
from mesorefs.render.styles import find_style

_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0"{fmt}>
  <info><id/><title/><updated>2009-08-10T04:49:00+09:00</updated></info>
  <citation><layout><group delimiter=" ">
    <label variable="{variable}"{form}/><text variable="{variable}"/>
  </group></layout></citation>
</style>"""


def _style(tmp_path: Path, fmt: str = "", variable: str = "page", form: str = "") -> str:
    path = tmp_path / "style.csl"
    path.write_text(
        _STYLE.format(
            fmt=f' page-range-format="{fmt}"' if fmt else "",
            variable=variable,
            form=f' form="{form}"' if form else "",
        ),
        encoding="utf-8",
    )
    return str(path)


def _cite_pages(style: str, pages: str) -> str:
    ref = Reference.from_csl({"id": "x", "type": "book", "title": "T", "page": pages})
    (citation,) = format_citations([[CiteItem(ref)]], style=style).citations
    return citation


@pytest.mark.parametrize(
    ("fmt", "pages", "expected"),
    [
        ("", "N110 - 5", "pages N110-5"),
        ("expanded", "110 - N6", "pages 110-N6"),
        ("expanded", "N110 - P5", "pages N110-P5"),
        ("expanded", "N110 - N5", "pages N110–N115"),
        ("minimal", "n11564 - n1568", "pages n11564–8"),
        ("minimal", "n11564 - 1568", "pages n11564-1568"),
        ("chicago", "8n11564-8n1568", "pages 8n11564–68"),
        ("", "8n11564-8n1568", "pages 8n11564–8n1568"),
        ("expanded", "123N110 - N5, 456K200 - 99", "pages 123N110-N5, 456K200-99"),
        ("", "e1 - e5, 7 - 9", "pages e1–e5, 7–9"),
        ("", "12-N5, 7", "pages 12-N5, 7"),
        ("", "N1-N2-N3", "pages N1-N2–N3"),
        ("", "abc - def", "page abc-def"),
    ],
    ids=[
        "prefix-on-first",
        "prefix-on-last",
        "different-prefixes",
        "same-prefix-expanded",
        "same-prefix-minimal",
        "prefix-on-first-minimal",
        "digits-and-letters-prefix-chicago",
        "digits-and-letters-prefix",
        "composite",
        "composite-same-prefixes",
        "mixed-then-a-page",
        "chain-of-prefixed",
        "words",
    ],
)
def test_a_range_joins_page_numbers_of_the_same_prefix(
    tmp_path: Path, fmt: str, pages: str, expected: str
) -> None:
    """page_Expand, page_ExpandWeirdComposite, page_Minimal, page_ChicagoWeird (the
    other cases as citeproc-js 2.4 renders them)."""
    assert _cite_pages(_style(tmp_path, fmt), pages) == expected


@pytest.mark.parametrize(
    ("pages", "expected"),
    [("3\\-B", "page 3-B"), ("327\\-30", "page 327-30"), ("1\\-2-3", "pages 1-2–3")],
    ids=["number-and-letter", "two-numbers", "then-a-range"],
)
def test_an_escaped_hyphen_is_a_hyphen_in_one_page(
    tmp_path: Path, pages: str, expected: str
) -> None:
    """number_PlainHyphenOrEnDashAlwaysPlural."""
    assert _cite_pages(_style(tmp_path), pages) == expected


@pytest.mark.parametrize(
    ("locator", "expected"),
    [("327\\-30", "page 327-30"), ("427-30", "pages 427–430")],
    ids=["escaped", "range"],
)
def test_an_escaped_hyphen_in_a_locator(tmp_path: Path, locator: str, expected: str) -> None:
    """label_CollapsedPageNumberPluralDetection."""
    ref = Reference.from_csl({"id": "x", "type": "book", "title": "T"})
    style = _style(tmp_path, "expanded", "locator")
    (citation,) = format_citations([[CiteItem(ref, locator=locator)]], style=style).citations
    assert citation == expected


_SYMBOL_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><id/><title/><updated>2009-08-10T04:49:00+09:00</updated></info>
  <locale><terms>{terms}</terms></locale>
  <citation><layout><group delimiter=" ">
    <label variable="locator"/><text variable="locator"/>
  </group></layout></citation>
</style>"""


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        ('<term name="and" form="symbol">AMPERSAND</term>', "pages 213 AMPERSAND 235"),
        ('<term name="and" form="symbol">&amp;</term>', "pages 213 &amp; 235"),
        (
            '<term name="and">und</term><term name="and" form="symbol">und</term>',
            "pages 213 &amp; 235",
        ),
        ("", "pages 213 &amp; 235"),
    ],
    ids=["own-symbol", "ampersand", "same-as-the-word", "none"],
)
def test_an_ampersand_in_a_locator_is_the_styles_symbol_and(
    tmp_path: Path, terms: str, expected: str
) -> None:
    """label_PluralWithLocalizedAmpersand, label_PluralWithAmpersand."""
    path = tmp_path / "style.csl"
    path.write_text(_SYMBOL_STYLE.format(terms=terms), encoding="utf-8")
    ref = Reference.from_csl({"id": "x", "type": "book", "title": "T"})
    cited = [[CiteItem(ref, locator="213 & 235")]]
    (citation,) = format_citations(cited, style=str(path), output="html").citations
    assert citation == expected


@pytest.mark.parametrize(
    ("locator", "label", "expected"),
    [
        ("vol. 1, fol. 186", "page", ("1, fol. 186", "volume")),
        ("p. 5", "chapter", ("5", "page")),
        ("ch. 3", "page", ("3", "chapter")),
        ("pp. 5-6", "page", ("5-6", "page")),
        ("xyz. 4", "page", ("xyz. 4", "page")),
        ("vol.1", "page", ("vol.1", "page")),
        ("12", "line", ("12", "line")),
    ],
    ids=["volume", "page-over-chapter", "chapter", "pages", "unknown", "no-space", "none"],
)
def test_a_label_written_into_a_locator(
    locator: str, label: str, expected: tuple[str, str]
) -> None:
    """locator_TrickyEntryForPlurals: citeproc-js reads "vol." as the locator's label."""
    assert locator_fixes.locator_label(locator, label) == expected


@pytest.mark.parametrize(
    ("form", "locator", "expected"),
    [
        ("short", "vol. 1, fol. 186", "vol. 1, fol. 186"),
        ("short", "vol. 1-3", "vols. 1–3"),
        ("", "ch. 3", "chapter 3"),
    ],
    ids=["volume-short", "volumes", "chapter-long"],
)
def test_the_written_label_is_printed_as_the_styles_label(
    tmp_path: Path, form: str, locator: str, expected: str
) -> None:
    ref = Reference.from_csl({"id": "x", "type": "book", "title": "T"})
    style = _style(tmp_path, variable="locator", form=form)
    (citation,) = format_citations([[CiteItem(ref, locator=locator)]], style=style).citations
    assert citation == expected


_PREFIXES = st.sampled_from(["", "N", "n", "e", "S", "CO", "8n", "123N", "000c"])
_NUMBERS = st.integers(min_value=1, max_value=99999).map(str)


@given(_PREFIXES, _NUMBERS, _PREFIXES, _NUMBERS, st.sampled_from(["-", "–", " - "]))
def test_only_numbers_of_the_same_prefix_make_a_range(
    low_prefix: str, low: str, high_prefix: str, high: str, dash: str
) -> None:
    """A dash between numbers with different prefixes reaches the engine protected, as a
    hyphen; between the same prefixes it is left to the engine."""
    pages = f"{low_prefix}{low}{dash}{high_prefix}{high}"
    (item,) = fixes.prepare_items([{"id": "x", "page": pages}], find_style("apa"))
    if low_prefix == high_prefix:
        assert HYPHEN not in item["page"]
    else:
        assert fixes.finish(item["page"], "text") == f"{low_prefix}{low}-{high_prefix}{high}"


@given(st.text(alphabet="0123456789NnAeiv -–,&\\", max_size=24))
def test_page_preparation_changes_only_dashes_and_the_spaces_around_them(pages: str) -> None:
    (item,) = fixes.prepare_items([{"id": "x", "page": pages}], find_style("apa"))

    def bare(text: str) -> str:
        return re.sub(r"[\s\-–]", "", text)

    assert bare(fixes.finish(item["page"], "text")) == bare(pages.replace("\\-", "-"))
