"""What a style asks for that pandoc's citeproc leaves out (render/style_gaps.py), as
citeproc-js prints it: strip-periods on a title, the short year, a term-only group that
keeps its outer group (issue 28)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import Reference
from mesorefs.render import format_bibliography, format_citations, style_gaps
from mesorefs.render.corrections import CORRECTIONS
from mesorefs.render.standins import SHOWN, STRIP_CLOSE, STRIP_OPEN, YEAR_CLOSE, YEAR_OPEN

_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id/><title/><updated>2009-08-10T04:49:00+09:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <macro name="m"><text variable="container-title"/></macro>
  <bibliography><layout>{layout}</layout></bibliography>
</style>"""


def _entry(tmp_path: Path, layout: str, item: dict[str, object]) -> str:
    path = tmp_path / "style.csl"
    path.write_text(_STYLE.format(layout=layout), encoding="utf-8")
    ref = Reference.from_csl({"id": "x", "type": "article-journal", "title": "T", **item})
    (entry,) = format_bibliography([ref], str(path))
    return entry


@pytest.mark.parametrize(
    ("layout", "item", "expected"),
    [
        (
            '<text variable="container-title" strip-periods="true"/>',
            {"container-title": "J. Appl. Phys."},
            "J Appl Phys",
        ),
        (
            '<text variable="container-title" strip-periods="true" prefix="[" suffix="]"/>',
            {"container-title": "Phys. Rev."},
            "[Phys Rev]",
        ),
        (
            '<text variable="container-title" strip-periods="true" suffix="."/>',
            {"container-title": "Phys. Rev."},
            "Phys Rev.",
        ),
        (
            '<text variable="title" strip-periods="true" suffix="!"/>',
            {"title": "Cats, dogs etc."},
            "Cats, dogs etc!",
        ),
        (
            '<text macro="m" strip-periods="true"/>',
            {"container-title": "J. Appl. Phys."},
            "J Appl Phys",
        ),
        (
            '<text variable="container-title" suffix="."/>',
            {"container-title": "J. Appl. Phys."},
            "J. Appl. Phys.",
        ),
    ],
    ids=["plain", "affixes", "period-suffix", "title", "macro", "not-stripped"],
)
def test_strip_periods_strips_a_titles_last_period(
    tmp_path: Path, layout: str, item: dict[str, object], expected: str
) -> None:
    """strip-periods takes every period out of a title field, the last one too."""
    assert _entry(tmp_path, layout, item) == expected


@pytest.mark.parametrize(
    ("date", "parts", "expected"),
    [
        ([2024, 12, 8], '<date-part name="day" suffix="."/><date-part name="month" '
         'form="numeric" suffix="."/><date-part name="year" form="short"/>', "8.12.24"),
        ([2003, 1, 2], '<date-part name="year" form="short" prefix="(" suffix=")"/>', "(03)"),
        ([1999], '<date-part name="year" form="short"/>', "99"),
        ([1999], '<date-part name="year"/>', "1999"),
    ],
    ids=["day-month-year", "affixes", "year-only", "long-form"],
)  # fmt: skip
def test_the_short_year_is_two_digits(
    tmp_path: Path, date: list[int], parts: str, expected: str
) -> None:
    """form="short" on the year prints its last two digits, as citeproc-js does."""
    layout = f'<date variable="issued">{parts}</date>'
    assert _entry(tmp_path, layout, {"issued": {"date-parts": [date]}}) == expected


_ONLINE = (
    '<text variable="title"/><group prefix=" {{" suffix="}}" delimiter=". ">'
    '<group delimiter=": "><text term="accessed"/><date variable="accessed" form="text"/>'
    "</group>{inner}</group>"
)


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        ('<group prefix="[" suffix="]"><text term="online"/></group>', "T {[online]}"),
        (
            '<group prefix="[" suffix="]"><choose><if variable="medium">'
            '<text variable="medium"/></if><else><text term="online"/></else></choose></group>',
            "T {[online]}",
        ),
        ('<text term="online"/>', "T"),
        ('<group><text variable="note"/><text term="online"/></group>', "T"),
    ],
    ids=["term-group", "term-in-else", "bare-term", "term-beside-variable"],
)
def test_a_term_only_group_counts_as_content(tmp_path: Path, inner: str, expected: str) -> None:
    """A nested group that calls no variable and prints a term keeps its outer group, as
    in citeproc-js; a bare term, or one beside an empty variable, does not."""
    assert _entry(tmp_path, _ONLINE.format(inner=inner), {}) == expected


@pytest.mark.parametrize(
    ("item_type", "extra"),
    [("article-journal", {"container-title": "J"}), ("report", {"publisher": "P"})],
    ids=["article", "report"],
)
def test_ieee_says_online_for_a_url_without_doi(item_type: str, extra: dict[str, str]) -> None:
    """IEEE writes "[Online]. Available: URL" for a work with a URL, no DOI, no access date."""
    ref = Reference.from_csl(
        {
            "id": "x",
            "type": item_type,
            "title": "With URL",
            "URL": "https://example.org/a",
            "issued": {"date-parts": [[2020]]},
            **extra,
        }
    )
    (entry,) = format_bibliography([ref], "ieee")
    assert entry.endswith("[Online]. Available: https://example.org/a")


def test_items_get_the_shown_variable_only_where_the_style_names_it() -> None:
    """The shown variable goes to the engine only with a style that uses it."""
    items = [{"id": "x", "type": "book"}]
    assert style_gaps.prepare_items(items, "<style/>") is items
    (item,) = style_gaps.prepare_items(items, f'<text variable="{style_gaps.SHOWN_VARIABLE}"/>')
    assert item[style_gaps.SHOWN_VARIABLE] == SHOWN


@given(st.text(alphabet=st.characters(max_codepoint=0x2FF)))
def test_finish_leaves_text_without_stand_ins_alone(text: str) -> None:
    """Text with no stand-in of this module comes out of finish as it went in."""
    assert style_gaps.finish(text) == text


@given(st.integers(min_value=100, max_value=9999), st.sampled_from(["", "a", "b"]))
def test_finish_shortens_a_marked_year(year: int, suffix: str) -> None:
    """A marked year keeps its last two digits and its year suffix."""
    marked = f"x {YEAR_OPEN}{year}{suffix}{YEAR_CLOSE}."
    assert style_gaps.finish(marked) == f"x {str(year)[-2:]}{suffix}."


def test_finish_drops_a_titles_end_mark_only_where_stripped() -> None:
    """The end-mark stand-in of a title goes only between the strip-periods marks."""
    end = "\ue000"
    marked = f"{STRIP_OPEN}Phys{end}{STRIP_CLOSE} and Phys{end}"
    assert style_gaps.finish(marked) == f"Phys and Phys{end}"


def test_every_public_function_is_a_listed_hook() -> None:
    """Each public function of style_gaps carries out a correction listed in corrections.py."""
    hooks = {h for c in CORRECTIONS for h in c.hooks}
    public = [style_gaps.finish, style_gaps.prepare_items, style_gaps.prepare_style]
    assert [f.__name__ for f in public if f not in hooks] == []
    assert sorted(style_gaps.__all__) == sorted([f.__name__ for f in public] + ["SHOWN_VARIABLE"])


@pytest.mark.parametrize("case", ["lowercase", "uppercase", "capitalize-first", "title"])
def test_text_case_on_a_macro_is_not_applied(tmp_path: Path, case: str) -> None:
    """citeproc-js does not case a macro's output as a whole: the bibtex style's
    lower-cased author macro prints "Gabow", not "gabow"."""
    layout = f'<text macro="m" text-case="{case}"/>'
    item = {"container-title": "Journal of Graph Theory"}
    assert _entry(tmp_path, layout, item) == "Journal of Graph Theory"


def test_the_bibtex_styles_key_keeps_the_names_case() -> None:
    """The bibtex style's citation key is the author's family name as written."""
    ref = Reference.from_csl(
        {
            "id": "x",
            "type": "book",
            "title": "T",
            "author": [{"family": "Gabow", "given": "H."}],
            "issued": {"date-parts": [[2000]]},
        }
    )
    (entry,) = format_bibliography([ref], "bibtex")
    assert "{Gabow_2000" in entry


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("S. Doaitse", "S Doaitse Swierstra"),
        ("S Doaitse", "S Doaitse Swierstra"),
        ("J. R.", "JR Swierstra"),
        ("J. Doe Jr", "J Doe Jr Swierstra"),
        ("Sam", "Sam Swierstra"),
    ],
    ids=["initial-and-name", "initial-no-period", "two-initials", "initial-name-suffix", "whole"],
)
def test_oscola_notes_keep_the_space_after_an_initial(given: str, written: str) -> None:
    """initialize="false" with an empty initialize-with (OSCOLA's notes): an initial
    before a whole given name keeps its space, as in citeproc-js ("SDoaitse" before)."""
    ref = Reference.from_csl(
        {
            "id": "x",
            "type": "book",
            "title": "T",
            "author": [{"family": "Swierstra", "given": given}],
            "publisher": "P",
            "issued": {"date-parts": [[2000]]},
        }
    )
    (note,) = format_citations([[ref]], "oscola").citations
    assert note.startswith(written + ",")
