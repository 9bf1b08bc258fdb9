"""Numeric ranges take the locale's page-range-delimiter term, whether cs:text or
cs:number prints them, as citeproc-js joins them (issue 28, wide bench: fr-FR's
non-breaking hyphen "92‑68" in iso690-author-date-fr, the hyphen of es-ES and tr-TR
in iso690-author-date-es and apa-tr; we wrote an en dash everywhere)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.models import Reference
from mesorefs.render import format_bibliography
from mesorefs.render.locale_file import range_delimiter

_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"
 default-locale="{locale}">
  <info><id/><title/><updated>2009-08-10T04:49:00+09:00</updated></info>{own}
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><group delimiter=" | ">
    <text variable="number"/><number variable="number"/><text variable="volume"/>
  </group></layout></bibliography>
</style>"""

_OWN = """
  <locale xml:lang="{lang}"><terms><term name="page-range-delimiter">=</term></terms></locale>"""


def _entry(tmp_path: Path, locale: str, own: str = "") -> str:
    path = tmp_path / f"style-{locale}.csl"
    path.write_text(_STYLE.format(locale=locale, own=own), encoding="utf-8")
    ref = Reference.from_csl(
        {"id": "x", "type": "report", "title": "T", "number": "92-68", "volume": "3-4"}
    )
    (entry,) = format_bibliography([ref], str(path))
    return entry


@pytest.mark.parametrize(
    ("locale", "dash"),
    [("en-US", "\u2013"), ("de-DE", "\u2013"), ("fr-FR", "\u2011"), ("es-ES", "-"), ("tr-TR", "-")],
    ids=["en-US-en-dash", "de-DE-en-dash", "fr-FR-nb-hyphen", "es-ES-hyphen", "tr-TR-hyphen"],
)
def test_ranges_take_the_locale_delimiter(tmp_path: Path, locale: str, dash: str) -> None:
    """number (through cs:text and cs:number) and volume ranges use the locale's term."""
    expected = f"92{dash}68 | 92{dash}68 | 3{dash}4"
    assert _entry(tmp_path, locale) == expected


@pytest.mark.parametrize("lang", ["fr-FR", "fr", "none"], ids=["dialect", "language", "no-lang"])
def test_the_style_own_term_wins(tmp_path: Path, lang: str) -> None:
    """A page-range-delimiter in the style's locale for the language beats the locale file."""
    own = _OWN.format(lang=lang).replace(' xml:lang="none"', "")
    assert _entry(tmp_path, "fr-FR", own) == "92=68 | 92=68 | 3=4"


def test_another_language_locale_is_not_read() -> None:
    """A style locale for another language leaves the locale file's term in force."""
    xml = _STYLE.format(locale="fr-FR", own=_OWN.format(lang="de"))
    assert range_delimiter(xml, "fr-FR") == "\u2011"
    assert range_delimiter(xml, "de-DE") == "="


def test_no_term_anywhere_gives_an_en_dash() -> None:
    """Without the term in the style or a locale file, the delimiter is CSL's en dash."""
    assert range_delimiter(_STYLE.format(locale="xx-XX", own=""), "xx-XX") == "\u2013"
