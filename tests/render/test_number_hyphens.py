"""Hyphens in report numbers, series numbers and editions, as citeproc-js prints them: a
range of two numbers takes the range dash, anything else keeps its hyphens and is one
number (issue 28's wide bench: "Nos. 92-68", "CS–89–31")."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.models import Reference
from mesorefs.render import format_bibliography

_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id/><title/><updated>2009-08-10T04:49:00+09:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><group delimiter=" ">
    <label variable="{field}" form="short"/><{element} variable="{field}"/>
  </group></layout></bibliography>
</style>"""


@pytest.mark.parametrize("element", ["text", "number"])
@pytest.mark.parametrize("field", ["number", "collection-number", "edition"])
@pytest.mark.parametrize(
    ("value", "printed"),
    [
        ("92-68", "92–68"),
        ("92 - 68", "92–68"),
        ("CS-89-31", "CS-89-31"),
        ("TR 92-68", "TR 92-68"),
        ("3,5-7", "3,5-7"),
    ],
    ids=["range", "spaced-range", "prefixed-chain", "words-and-range", "list"],
)
def test_hyphens_in_numbers(
    tmp_path: Path, element: str, field: str, value: str, printed: str
) -> None:
    """A range of two numbers gets an en dash; any other hyphen stays as written."""
    path = tmp_path / "style.csl"
    path.write_text(_STYLE.format(field=field, element=element), encoding="utf-8")
    ref = Reference.from_csl({"id": "x", "type": "report", "title": "T", field: value})
    (entry,) = format_bibliography([ref], str(path))
    assert entry.endswith(printed)


@pytest.mark.parametrize(
    ("value", "label"),
    [("92-68", "nos."), ("CS-89-31", "no."), ("TR 92-68", "no.")],
    ids=["range-plural", "chain-single", "words-single"],
)
def test_only_a_range_is_several_numbers(tmp_path: Path, value: str, label: str) -> None:
    """The label is plural for a range of two numbers only, as in citeproc-js."""
    path = tmp_path / "style.csl"
    path.write_text(_STYLE.format(field="number", element="number"), encoding="utf-8")
    ref = Reference.from_csl({"id": "x", "type": "report", "title": "T", "number": value})
    (entry,) = format_bibliography([ref], str(path))
    assert entry.startswith(f"{label} ")
