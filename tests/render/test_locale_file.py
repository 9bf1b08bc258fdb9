"""The CSL locale file's terms reach the engine through a ``<locale>`` in the style
(render/locale_file.py, correction locale-file-terms): what the style's own locales leave
out comes from today's locale file, what they define still wins.  Expected texts are
citeproc-js's (benchmarks/_citeproc_js.py) for the same style and item (issue 28)."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import Reference
from mesorefs.render import format_bibliography, locale_file
from mesorefs.render.styles import CSL_NS, LOCALES

_NS = f"{{{CSL_NS}}}"
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_AFTER_TITLE = '<group delimiter=". "><text variable="title"/><text term="no-publisher"/></group>'
_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"
  default-locale="{locale}">
  <info><id/><title/><updated>2009-08-10T04:49:00+09:00</updated></info>
  {own}
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout>{layout}</layout></bibliography>
</style>"""


def _entry(tmp_path: Path, locale: str, layout: str, own: str = "") -> str:
    path = tmp_path / "style.csl"
    path.write_text(_STYLE.format(locale=locale, own=own, layout=layout), encoding="utf-8")
    ref = Reference.from_csl(
        {"id": "x", "type": "article-journal", "title": "T", "volume": "20", "page": "208-213"}
    )
    (entry,) = format_bibliography([ref], str(path))
    return entry


@pytest.mark.parametrize(
    ("locale", "layout", "expected"),
    [
        ("cs-CZ", _AFTER_TITLE, "T. neuvedeno"),
        (
            "ja-JP",
            '<group delimiter=", "><label variable="volume" form="short"/>'
            '<label variable="page" form="short"/></group>',
            "巻, ページ",
        ),
        ("de-DE", _AFTER_TITLE, "T. ohne Verlag"),
    ],
    ids=["czech-no-publisher", "japanese-labels", "german-no-publisher"],
)
def test_terms_come_from_the_locale_file(
    tmp_path: Path, locale: str, layout: str, expected: str
) -> None:
    """A term the style leaves to the locale file prints as today's file (and citeproc-js)
    has it, where pandoc's own copy printed English."""
    assert _entry(tmp_path, locale, layout) == expected


@pytest.mark.parametrize(
    "own",
    [
        '<locale><terms><term name="no-publisher">s. n.</term></terms></locale>',
        '<locale xml:lang="cs"><terms><term name="no-publisher">s. n.</term></terms></locale>',
        '<locale xml:lang="cs-CZ"><terms><term name="no-publisher">s. n.</term></terms></locale>',
    ],
    ids=["no-language", "language", "dialect"],
)
def test_the_style_s_own_terms_win(tmp_path: Path, own: str) -> None:
    """A term the style's own locale for the language defines prints as the style says."""
    assert _entry(tmp_path, "cs-CZ", _AFTER_TITLE, own) == "T. s. n."


def test_another_language_s_terms_do_not_count(tmp_path: Path) -> None:
    """A term the style defines only for another language comes from the locale file."""
    own = '<locale xml:lang="fr"><terms><term name="no-publisher">s. é.</term></terms></locale>'
    assert _entry(tmp_path, "cs-CZ", _AFTER_TITLE, own) == "T. neuvedeno"


def _added(style_xml: str, locale: str) -> ElementTree.Element:
    """The locale element with_locale_file adds (the last locale of the result)."""
    root = ElementTree.fromstring(locale_file.with_locale_file(style_xml, locale))
    return root.findall(f"{_NS}locale")[-1]


def test_the_added_locale_comes_after_the_style_s_own_and_has_no_language() -> None:
    """The added locale is read after every locale of the style (and of a rewrite that
    inserts one first, such as the sort keys' blank "et al."), before pandoc's copy."""
    own = '<locale><terms><term name="et-al">u. a.</term></terms></locale>'
    style = _STYLE.format(locale="de-DE", own=own, layout='<text variable="title"/>')
    root = ElementTree.fromstring(locale_file.with_locale_file(style, "de-DE"))
    tags = [child.tag for child in root]
    locales = [k for k, tag in enumerate(tags) if tag == f"{_NS}locale"]
    assert len(locales) == 2
    assert locales[1] == locales[0] + 1
    assert root[locales[1]].get(_LANG) is None


def test_ordinals_stay_the_style_s_when_it_defines_any() -> None:
    """A style whose locale defines an ordinal term gets none of the file's (CSL 1.0.2:
    such a style replaces all of them); the file's other terms still come."""
    own = '<locale><terms><term name="ordinal">.</term></terms></locale>'
    style = _STYLE.format(locale="en-US", own=own, layout='<text variable="title"/>')
    names = [t.get("name", "") for t in _added(style, "en-US").iter(f"{_NS}term")]
    assert names
    assert not [n for n in names if n == "ordinal" or n.startswith("ordinal-")]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["page", "volume", "issue", "no-publisher", "et-al", "edition"]),
            st.sampled_from(["long", "short", "symbol", "verb"]),
        ),
        max_size=6,
    )
)
def test_no_term_the_style_defines_is_added(defined: list[tuple[str, str]]) -> None:
    """Whatever (name, form) pairs the style's locale defines, the added locale holds none
    of them."""
    terms = "".join(f'<term name="{n}" form="{f}">x</term>' for n, f in defined)
    own = f'<locale xml:lang="de"><terms>{terms}</terms></locale>'
    style = _STYLE.format(locale="de-DE", own=own, layout='<text variable="title"/>')
    added = {
        (t.get("name"), t.get("form", "long")) for t in _added(style, "de-DE").iter(f"{_NS}term")
    }
    assert added.isdisjoint(set(defined))


@pytest.mark.parametrize("tag", sorted(LOCALES))
def test_every_locale_has_its_file(tag: str) -> None:
    """Each locale CSL names has its locale file among the shipped data."""
    found = locale_file.locale_xml(tag)
    assert found is not None
    assert ElementTree.fromstring(found).get(_LANG) == tag


@pytest.mark.parametrize(
    ("language", "dialect"), [("de", "de-DE"), ("pt", "pt-PT"), ("en", "en-US")], ids=str
)
def test_a_bare_language_reads_its_primary_dialect(language: str, dialect: str) -> None:
    """A locale given as a language alone reads the file of its primary dialect."""
    assert locale_file.locale_xml(language) == locale_file.locale_xml(dialect)


def test_an_unknown_locale_leaves_the_style_alone() -> None:
    """A locale with no file (none CSL names) changes nothing."""
    style = _STYLE.format(locale="xx-XX", own="", layout='<text variable="title"/>')
    assert locale_file.with_locale_file(style, "xx-XX") == style
