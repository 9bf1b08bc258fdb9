"""``capitalize-first`` capitalizes a lowercase first word with a digit as citeproc-js
does (render/capitalize_first.py; issue 28's wide bench: Chicago's "Lncs4957")."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import Reference
from mesorefs.render import capitalize_first, format_bibliography
from mesorefs.render.corrections import by_name
from mesorefs.render.standins import CAPITALIZE

_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id/><title/><updated>2009-08-10T04:49:00+09:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout>
    <text variable="title" suffix=". "/>
    <text variable="publisher" text-case="capitalize-first" font-style="{style}"/>
  </layout></bibliography>
</style>"""


@pytest.mark.parametrize(
    ("publisher", "expected"),
    [
        ("lncs4957", "Lncs4957"),
        ("x2 press", "X2 press"),
        ("springer verlag", "Springer verlag"),
        ("4th estate", "4th estate"),
        ("eBay2 press", "eBay2 press"),
    ],
    ids=["digits", "first-word-only", "no-digit", "digit-first", "not-lowercase"],
)
@pytest.mark.parametrize("output", ["text", "html", "latex", "markdown"])
@pytest.mark.parametrize("style", ["normal", "italic"])
def test_capitalize_first_with_digits(
    tmp_path: Path, publisher: str, expected: str, output: str, style: str
) -> None:
    """The first word is capitalized when it is lowercase, digits or not, in every output."""
    path = tmp_path / "style.csl"
    path.write_text(_STYLE.format(style=style), encoding="utf-8")
    ref = Reference.from_csl({"id": "x", "type": "book", "title": "T", "publisher": publisher})
    (entry,) = format_bibliography([ref], str(path), output)  # type: ignore[arg-type]
    assert expected in entry
    assert CAPITALIZE not in entry


@given(st.text(alphabet=st.characters(blacklist_characters=CAPITALIZE)))
def test_finish_leaves_text_without_the_stand_in(text: str) -> None:
    """Text with no stand-in comes back as it is."""
    assert capitalize_first.finish(text) == text


@given(st.text(), st.text(alphabet=st.characters(blacklist_characters=CAPITALIZE)))
def test_finish_changes_at_most_the_case(before: str, after: str) -> None:
    """Finishing takes the stand-ins out and changes nothing else but letter case."""
    finished = capitalize_first.finish(before + CAPITALIZE + after)
    assert CAPITALIZE not in finished
    assert finished.lower() == (before + after).replace(CAPITALIZE, "").lower()


def test_listed_as_a_correction() -> None:
    """The correction is in the stack with both hooks."""
    hooks = by_name("capitalize-first-with-digits").hooks
    assert capitalize_first.prepare_style in hooks and capitalize_first.finish in hooks
