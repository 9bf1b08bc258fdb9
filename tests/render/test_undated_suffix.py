"""An undated work gets no year-suffix where the style leaves the suffix to the engine
(render/undated.py, correction no-suffix-without-date).  CSL appends an implicit
suffix to the first year rendered through cs:date; expected texts are citeproc-js's
(benchmarks/_citeproc_js.py) for the same items: issue 28's wide bench,
iso690-author-date-cs."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.models import Reference
from mesorefs.render import format_citations
from mesorefs.render.undated import implicit_suffix, term_texts

_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id>x</id><title>x</title><updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="year-date">
    <choose>
      <if variable="issued"><date variable="issued"><date-part name="year"/></date></if>
      <else><text term="no date" prefix="[" suffix="]"/></else>
    </choose>
  </macro>
  <citation disambiguate-add-year-suffix="true">
    <layout prefix="(" suffix=")" delimiter="; ">
      <group delimiter=" ">
        <names variable="author"><name form="short"/></names>
        <text macro="year-date"/>{explicit}
      </group>
    </layout>
  </citation>
  <bibliography>
    <layout>
      <group delimiter=". ">
        <names variable="author"><name form="short"/></names>
        <text macro="year-date"/>
        <text variable="title"/>
      </group>
    </layout>
  </bibliography>
</style>"""


def _book(key: str, family: str, year: int | None) -> Reference:
    item = {"id": key, "type": "book", "title": key.title(), "author": [{"family": family}]}
    if year:
        item["issued"] = {"date-parts": [[year]]}
    return Reference.from_csl(item)


_WORKS = [_book("one", "Doe", None), _book("two", "Doe", None)]
_DATED = [_book("three", "Roe", 2001), _book("four", "Roe", 2001)]


def test_undated_works_get_no_suffix_and_dated_ones_keep_theirs(tmp_path: Path) -> None:
    """Two undated works by one author stay "[no date]"; two of 2001 are 2001a, 2001b,
    in citations and entries."""
    path = tmp_path / "s.csl"
    path.write_text(_STYLE.format(explicit=""), encoding="utf-8")
    document = format_citations([[r] for r in _WORKS + _DATED], style=str(path))
    assert document.citations == [
        "(Doe [no date])",
        "(Doe [no date])",
        "(Roe 2001a)",
        "(Roe 2001b)",
    ]
    assert document.bibliography == [
        "Doe. [no date]. One",
        "Doe. [no date]. Two",
        "Roe. 2001a. Three",
        "Roe. 2001b. Four",
    ]


def test_iso690_cs_writes_undated_anonymous_works_without_letters() -> None:
    """iso690-author-date-cs: "(Anon. [nedatováno])" for each undated anonymous work."""
    works = [
        Reference.from_csl({"id": k, "type": "book", "title": k}) for k in ("Utrecht", "Berlin")
    ]
    document = format_citations([[w] for w in works], style="iso690-author-date-cs")
    assert document.citations == ["(Anon. [nedatováno])", "(Anon. [nedatováno])"]


@pytest.mark.parametrize(
    ("explicit", "expected"),
    [("", True), ('\n        <text variable="year-suffix"/>', False)],
    ids=["implicit", "explicit"],
)
def test_only_a_style_with_an_implicit_suffix_is_rewritten(explicit: str, expected: bool) -> None:
    """A style that renders year-suffix itself (APA's "n.d.-a") is left as it is."""
    assert implicit_suffix(_STYLE.format(explicit=explicit)) is expected


def test_a_probe_that_does_not_read_as_two_forms_gives_nothing() -> None:
    """An unexpected probe text leaves the style as it is."""
    assert term_texts("n.d.") is None
    assert term_texts("no date\u27e7n.d.") == {"long": "no date", "short": "n.d."}
