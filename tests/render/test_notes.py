"""A note style's citations as citeproc-js writes them (render/fixes.py, fix 7): not
capitalized by the engine, except a citation that starts with a term ("Ibid.").
Expected texts from the CSL suite fixtures named in each test."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.models import Person, Reference
from mesorefs.render import CiteItem, format_citations

_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><id/><title/><updated>2009-08-10T04:49:00+09:00</updated></info>
  <citation>
    <layout prefix="(" suffix=".)">
      <choose>
        <if position="first">
          <names variable="author"><name/></names>
        </if>
        <else><text term="ibid"/></else>
      </choose>
    </layout>
  </citation>
</style>
"""


@pytest.fixture
def note_style(tmp_path: Path) -> str:
    path = tmp_path / "note.csl"
    path.write_text(_STYLE, encoding="utf-8")
    return str(path)


def test_a_particle_that_starts_a_note_keeps_its_case(note_style: str) -> None:
    """magic_CapitalizeFirstOccurringNameParticle, nameorder_Short."""
    ref = Reference(type="book", title="T", authors=[Person(family="Simone", particle="de")])
    assert format_citations([[ref]], style=note_style).citations == ["(de Simone.)"]


def test_a_term_that_starts_a_note_is_capitalized(note_style: str) -> None:
    """position_FirstTrueOnlyOnce, magic_TermCapitalizationWithPrefix, and after the
    layout's prefix, integration_IbidOnInsert."""
    ref = Reference(type="book", title="T", authors=[Person(family="Doe")])
    sequence = [[ref], [ref], [CiteItem(ref, prefix="see")]]
    assert format_citations(sequence, style=note_style).citations == [
        "(Doe.)",
        "(Ibid.)",
        "(see ibid.)",
    ]
