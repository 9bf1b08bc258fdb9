"""A citation the style prints nothing for reads citeproc-js's error text inside the
citation layout's affixes (render/fixes.py ``no_printed_form``, correction
no-printed-form-in-layout-affixes).  Expected texts are citeproc-js's
(benchmarks/_citeproc_js.py) for the same item: issue 28's wide bench,
springer-basic-author-date w006."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.models import Reference
from mesorefs.render import format_citations

_ERROR = "[CSL STYLE ERROR: reference with no printed form.]"
_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id/><title/><updated>2009-08-10T04:49:00+09:00</updated></info>
  <citation><layout%s><names variable="author"><name/></names></layout></citation>
</style>"""


def _untitled() -> Reference:
    return Reference.from_csl({"id": "x", "type": "document", "title": "Utrecht"})


@pytest.mark.parametrize(
    ("affixes", "expected"),
    [(' prefix="(" suffix=")"', f"({_ERROR})"), ("", _ERROR)],
    ids=["parenthesized-layout", "bare-layout"],
)
def test_no_printed_form_stands_inside_the_layout_affixes(
    tmp_path: Path, affixes: str, expected: str
) -> None:
    """The error text takes the layout's prefix and suffix, or none when it has none."""
    path = tmp_path / "s.csl"
    path.write_text(_STYLE % affixes, encoding="utf-8")
    assert format_citations([[_untitled()]], style=str(path)).citations == [expected]


def test_springer_basic_author_date_writes_the_parentheses() -> None:
    """Springer's author-date citation of a work with neither author nor date."""
    rendered = format_citations([[_untitled()]], style="springer-basic-author-date").citations
    assert rendered == [f"({_ERROR})"]
