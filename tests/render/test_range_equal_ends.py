"""A page range whose two ends are the same page keeps both ends, as citeproc-js
prints it, whatever the style's page-range-format (issue 28: "100-100" gave "100–0",
"xxx-xxx" gave "xxx–")."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.models import Reference
from mesorefs.render import format_bibliography

_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"{fmt}>
  <info><id/><title/><updated>2009-08-10T04:49:00+09:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><group delimiter=" ">
    <label variable="page" form="short"/><text variable="page"/>
  </group></layout></bibliography>
</style>"""

_FORMATS = ["minimal", "minimal-two", "chicago", "chicago-16", "expanded", ""]


def _entry(tmp_path: Path, fmt: str, pages: str) -> str:
    path = tmp_path / "style.csl"
    path.write_text(
        _STYLE.format(fmt=f' page-range-format="{fmt}"' if fmt else ""), encoding="utf-8"
    )
    # as CSL-JSON gives it: a Reference built in Python reads "100-100" as page 100
    ref = Reference.from_csl({"id": "x", "type": "article-journal", "title": "T", "page": pages})
    (entry,) = format_bibliography([ref], str(path))
    return entry


@pytest.mark.parametrize("fmt", _FORMATS, ids=[f or "no-format" for f in _FORMATS])
@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("100-100", "pp. 100–100"),
        ("1000--1000", "pp. 1000–1000"),
        ("5-5", "pp. 5–5"),
        ("xxx-xxx", "pp. xxx–xxx"),
        ("iv – iv", "pp. iv–iv"),
        ("S12-S12", "pp. S12–S12"),
        ("e100-e100", "pp. e100–e100"),
    ],
    ids=["digits", "double-hyphen", "one-digit", "roman", "roman-spaced", "prefix", "e-prefix"],
)
def test_equal_ends_are_kept(tmp_path: Path, fmt: str, pages: str, expected: str) -> None:
    """A range from a page to itself prints both ends and counts as several pages."""
    assert _entry(tmp_path, fmt, pages) == expected


@pytest.mark.parametrize(
    ("pages", "expected"),
    [("100-108", "pp. 100–8"), ("321-328", "pp. 321–8"), ("xi-xiv", "pp. xi–xiv")],
    ids=["digits", "three-digits", "roman"],
)
def test_unequal_ends_are_still_shortened(tmp_path: Path, pages: str, expected: str) -> None:
    """Only equal ends are kept whole: a minimal style still shortens other ranges."""
    assert _entry(tmp_path, "minimal", pages) == expected
