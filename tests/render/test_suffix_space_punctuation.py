"""A space that ends an element's suffix (or a fixed text) stays before a comma or a
period that follows, as citeproc-js writes affixes as they are (render/style_gaps.py,
correction suffix-space-before-punctuation; issue 28's wide bench: ISO 690's
"Computation . [s.l.]", ABNT's "Title. , 1990a", GOST's "USA: , 2014").  Expected texts
are citeproc-js's (benchmarks/_citeproc_js.py) for the same style and items, but where
citeproc-js writes its stray period (a suffix's ". " before another "."), which is not
copied."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import Reference
from mesorefs.render import format_bibliography, style_gaps
from mesorefs.render.standins import AFFIX_SPACE, MARK_SPACE

_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id/><title/><updated>2009-08-10T04:49:00+09:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography{bib}><layout{layout_suffix}>{layout}</layout></bibliography>
</style>"""

_ITEMS = [
    {
        "id": "x",
        "type": "book",
        "title": "Graph Theory",
        "publisher": "Pub",
        "author": [{"family": "Knuth", "given": "Donald E."}],
        "issued": {"date-parts": [[1999]]},
    },
    {
        "id": "y",
        "type": "book",
        "title": "Other Work",
        "publisher": "Pub",
        "author": [{"family": "Knuth", "given": "Donald E."}],
        "issued": {"date-parts": [[2001]]},
    },
]


def _entries(
    tmp_path: Path,
    layout: str,
    *,
    layout_suffix: str = "",
    bib: str = "",
    n: int = 1,
    output: str = "text",
) -> list[str]:
    path = tmp_path / "style.csl"
    style = _STYLE.format(bib=bib, layout_suffix=layout_suffix, layout=layout)
    path.write_text(style, encoding="utf-8")
    refs = [Reference.from_csl(item) for item in _ITEMS[:n]]
    return format_bibliography(refs, str(path), output=output)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("layout", "layout_suffix", "expected"),
    [
        (
            '<group suffix=". "><text variable="title" suffix=" "/></group>'
            '<text variable="publisher"/>',
            "",
            "Graph Theory . Pub",
        ),
        ('<text variable="title" suffix=" "/><text value=", x"/>', "", "Graph Theory , x"),
        (
            '<text variable="title" suffix=". "/><text variable="publisher" prefix=", "/>',
            "",
            "Graph Theory. , Pub",
        ),
        (
            '<text variable="title" suffix=", "/><text variable="publisher" prefix=", "/>',
            "",
            "Graph Theory, , Pub",
        ),
        ('<text variable="title" suffix=" "/>', ' suffix="."', "Graph Theory ."),
        (
            '<text variable="title" font-style="italic" suffix=" "/><text value="."/>',
            "",
            "Graph Theory .",
        ),
        (
            '<group><text variable="title"/><text value=": "/><text variable="volume"/></group>'
            '<text variable="publisher" prefix=", "/>',
            "",
            "Graph Theory: , Pub",
        ),
    ],
    ids=[
        "group-period",
        "comma",
        "period-then-comma",
        "comma-then-comma",
        "layout",
        "italic",
        "fixed-text",
    ],
)
def test_the_suffix_space_stays_before_punctuation(
    tmp_path: Path, layout: str, layout_suffix: str, expected: str
) -> None:
    """The space a suffix ends in is printed before the comma or period that follows."""
    assert _entries(tmp_path, layout, layout_suffix=layout_suffix) == [expected]


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        (
            '<text variable="title" suffix=" "/><text variable="publisher" prefix=" "/>',
            "Graph Theory Pub",
        ),
        ('<text variable="title" suffix=" "/>', "Graph Theory"),
        (
            '<text variable="title" suffix=". "/><text variable="publisher" prefix=". "/>',
            "Graph Theory. Pub",
        ),
    ],
    ids=["beside-a-space", "at-the-end", "stray-period-not-copied"],
)
def test_the_suffix_space_is_not_doubled_left_at_the_end_or_a_stray_period(
    tmp_path: Path, layout: str, expected: str
) -> None:
    """Beside another space it is one space, at the end none, and between a mark and a
    period the marks merge as before (citeproc-js's "Theory. . Pub" is not copied)."""
    assert _entries(tmp_path, layout) == [expected]


def test_html_keeps_the_space_outside_the_markup(tmp_path: Path) -> None:
    """In HTML the kept space stands after the italic title, before the period."""
    layout = '<text variable="title" font-style="italic" suffix=" "/><text value="."/>'
    (entry,) = _entries(tmp_path, layout, output="html")
    assert "<i>Graph Theory</i> ." in entry
    assert AFFIX_SPACE not in entry and MARK_SPACE not in entry


def test_a_substituted_author_keeps_its_period(tmp_path: Path) -> None:
    """A repeated author's names, followed by the names' suffix ". ", become "---." (the
    names' final period stays with the substitute, as before)."""
    layout = (
        '<group delimiter=". "><names variable="author" suffix=". ">'
        '<name initialize-with=". " name-as-sort-order="all"/></names>'
        '<text variable="title"/></group>'
    )
    entries = _entries(tmp_path, layout, bib=' subsequent-author-substitute="---"', n=2)
    assert entries == ["Knuth, D. E. Graph Theory", "---. Other Work"]


@given(st.text(alphabet=["a", " ", ".", ",", ":", AFFIX_SPACE, MARK_SPACE], max_size=30))
def test_finish_leaves_no_stand_in_and_no_new_double_space(text: str) -> None:
    """Whatever the engine hands back, the stand-ins are gone and none became a space
    beside another space."""
    finished = style_gaps.finish(text)
    assert AFFIX_SPACE not in finished and MARK_SPACE not in finished
    plain = text.replace(AFFIX_SPACE, "").replace(MARK_SPACE, "")
    assert finished.count("  ") <= plain.count("  ")


@pytest.mark.parametrize(
    ("rendered", "output", "finished"),
    [
        (f"Doe, JQ n.d.,{AFFIX_SPACE}", "html", "Doe, JQ n.d., "),
        (f"Doe, JQ n.d.,{AFFIX_SPACE}", "text", "Doe, JQ n.d.,"),
        (f"a <i>Title</i>{MARK_SPACE}", "markdown", "a <i>Title</i>"),
        (
            f'<div class="csl-right-inline">(Series: a title).{MARK_SPACE}</div>',
            "html",
            '<div class="csl-right-inline">(Series: a title).</div>',
        ),
    ],
    ids=["html-entry-end-kept", "text-end-dropped", "end-after-markup", "html-block-end-trimmed"],
)
def test_a_final_space_is_kept_only_where_the_engine_keeps_one(
    rendered: str, output: str, finished: str
) -> None:
    """A suffix's final space at the end of an HTML entry stays (suite fixture
    bugreports_UnisaHarvardInitialization), but not at the end of a second-field-align
    block (variables_ContainerTitleShort) nor in the other outputs."""
    assert style_gaps.finish(rendered, output) == finished
