"""A term a note style writes in lower case stays so at the start of a note: citeproc-js
capitalizes the first term of a note and then applies the term's own text-case
(render/fixes.py, correction note-citations-in-footnotes).  Expected texts are
citeproc-js's (benchmarks/_citeproc_js.py) for the same sequences."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.models import Reference
from mesorefs.render import CiteItem, format_citations

_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><id/><title/><updated>2009-08-10T04:49:00+09:00</updated></info>
  <citation>
    <layout suffix=".">
      <choose>
        <if position="first"><names variable="author"><name/></names></if>
        <else-if position="ibid"><text term="ibid" text-case="%s"/></else-if>
      </choose>
    </layout>
  </citation>
</style>
"""


def test_oscola_writes_ibid_in_lower_case(zeta_book: Reference) -> None:
    """OSCOLA: "ibid" at the start of a note, with a locator and after a prefix that
    ends a sentence (issue 28: it was "Ibid")."""
    sequence = [
        [zeta_book],
        [zeta_book],
        [CiteItem(zeta_book, locator="5")],
        [CiteItem(zeta_book, locator="5", prefix="He said so.")],
    ]
    assert format_citations(sequence, style="oscola").citations[1:] == [
        "ibid.",
        "ibid 5.",
        "He said so. ibid.",
    ]


@pytest.mark.parametrize(
    ("case", "expected"),
    [("lowercase", "ibid."), ("uppercase", "IBID."), ("capitalize-first", "Ibid.")],
    ids=["lowercase", "uppercase", "capitalize-first"],
)
def test_the_term_s_text_case_wins(
    tmp_path: Path, case: str, expected: str, zeta_book: Reference
) -> None:
    """Whatever text-case the style gives the term is what the note starts with."""
    path = tmp_path / "note.csl"
    path.write_text(_STYLE.replace("%s", case), encoding="utf-8")
    assert format_citations([[zeta_book], [zeta_book]], style=str(path)).citations[1] == expected
