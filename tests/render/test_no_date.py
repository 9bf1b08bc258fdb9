"""An undated work's "no date" term gets no year-suffix the style does not place
(render/undated.py, correction no-suffix-without-date): CSL puts the implicit suffix
after a year a date prints, and an undated work prints none.  Expected texts are
citeproc-js's (benchmarks/_citeproc_js.py) for the same style and items (issue 28's wide
bench: ISO 690 Czech's "Anon., [nedatováno]")."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.models import Reference
from mesorefs.render import format_document

_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"
  default-locale="{locale}">
  <info><id/><title/><updated>2009-08-10T04:49:00+09:00</updated></info>{own}
  <citation disambiguate-add-year-suffix="true">
    <layout delimiter="; "><group delimiter=" "><names variable="author"/>{date}</group></layout>
  </citation>
  <bibliography>
    <layout>
      <group delimiter=". "><names variable="author"/>{date}<text variable="title"/></group>
    </layout>
  </bibliography>
</style>"""

_IMPLICIT = (
    '<choose><if variable="issued"><date variable="issued"><date-part name="year"/></date></if>'
    '<else><text term="no date" prefix="[" suffix="]"/></else></choose>'
)
_EXPLICIT = (
    '<choose><if variable="issued"><date variable="issued"><date-part name="year"/></date></if>'
    '<else><text term="no date" form="short"/><text variable="year-suffix" prefix="-"/></else>'
    "</choose>"
)
_OWN_TERM = '<locale><terms><term name="no date">undated</term></terms></locale>'


def _document(tmp_path: Path, locale: str, date: str, own: str = "") -> tuple[list[str], ...]:
    path = tmp_path / "style.csl"
    path.write_text(_STYLE.format(locale=locale, own=own, date=date), encoding="utf-8")
    refs = [
        Reference.from_csl({"id": k, "type": "book", "title": t, "author": [{"family": "Anon"}]})
        for k, t in (("a", "Augsburg"), ("b", "Berlin"))
    ]
    doc = format_document([[refs[0]], [refs[1]]], str(path))
    return doc.bibliography, doc.citations


@pytest.mark.parametrize(
    ("locale", "date", "own", "entries", "cites"),
    [
        (
            "cs-CZ",
            _IMPLICIT,
            "",
            ["Anon. [nedatováno]. Augsburg", "Anon. [nedatováno]. Berlin"],
            ["Anon [nedatováno]", "Anon [nedatováno]"],
        ),
        (
            "en-US",
            _IMPLICIT,
            "",
            ["Anon. [no date]. Augsburg", "Anon. [no date]. Berlin"],
            ["Anon [no date]", "Anon [no date]"],
        ),
        (
            "en-US",
            _IMPLICIT,
            _OWN_TERM,
            ["Anon. [undated]. Augsburg", "Anon. [undated]. Berlin"],
            ["Anon [undated]", "Anon [undated]"],
        ),
        (
            "en-US",
            _EXPLICIT,
            "",
            ["Anon. n.d. -a. Augsburg", "Anon. n.d. -b. Berlin"],
            ["Anon n.d. -a", "Anon n.d. -b"],
        ),
    ],
    ids=["czech", "english", "style-s-own-term", "explicit-suffix-kept"],
)
def test_no_year_suffix_on_the_no_date_term(
    tmp_path: Path, locale: str, date: str, own: str, entries: list[str], cites: list[str]
) -> None:
    """Two undated works by one author print the "no date" term bare, in the style's own
    words when it has them, unless the style places the year-suffix itself."""
    assert _document(tmp_path, locale, date, own) == (entries, cites)
