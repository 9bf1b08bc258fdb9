"""The CSL locale file's terms and date formats, given to the engine inside the style
(correction locale-file-terms of :mod:`mesorefs.render.corrections`).

pandoc's citeproc carries its own copy of the CSL locale files, older than the current
ones, and falls back to English for a term its copy lacks: the Czech "no-publisher"
prints "No publisher" where the Czech locale file says "Neuvedeno", and Japanese
prints "p." and "vol." where the Japanese file has "ページ" and "巻".  citeproc-js reads
the locale files as they are today.

CSL's own way to give terms is a ``<locale>`` element in the style, which overrides the
locale files.  So the engine gets, in a ``<locale>`` of the rendering's language, every
term and date format of the locale file that none of the style's own locales for that
language defines: what the style defines still wins, as CSL says (the style's
``<locale>`` elements come before the locale file), and what it leaves to the locale
file comes from today's file rather than pandoc's copy.  When a style's locale defines
any ordinal term, the file's ordinal terms are left out (CSL 1.0.2: such a style replaces
all of them).

The locale files (CC BY-SA 3.0, see NOTICE) ship as one compressed data file,
``data/csl-locales.json.gz`` (built by ``scripts/build_csl_locales.py``), read the
first time a rendering needs a locale.
"""

from __future__ import annotations

import gzip
import importlib.resources
import json
from functools import lru_cache
from xml.etree import ElementTree

from mesorefs.render.styles import CSL_NS

__all__ = ["DATA_FILE", "PRIMARY_DIALECTS", "locale_xml", "range_delimiter", "with_locale_file"]

_NS = f"{{{CSL_NS}}}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

DATA_FILE = "csl-locales.json.gz"
"""The locale files, by tag (``{"cs-CZ": "<locale ...>...</locale>", ...}``)."""

PRIMARY_DIALECTS = {
    "af": "af-ZA", "ar": "ar", "bal": "bal-PK", "bg": "bg-BG", "brh": "brh-PK",
    "ca": "ca-AD", "cs": "cs-CZ", "cy": "cy-GB", "da": "da-DK", "de": "de-DE",
    "el": "el-GR", "en": "en-US", "es": "es-ES", "et": "et-EE", "eu": "eu",
    "fa": "fa-IR", "fi": "fi-FI", "fr": "fr-FR", "gl": "gl-ES", "he": "he-IL",
    "hi": "hi-IN", "hr": "hr-HR", "hu": "hu-HU", "hy": "hy-AM", "id": "id-ID",
    "is": "is-IS", "it": "it-IT", "ja": "ja-JP", "km": "km-KH", "ko": "ko-KR",
    "la": "la", "lij": "lij-IT", "lt": "lt-LT", "lv": "lv-LV", "mn": "mn-MN",
    "ms": "ms-MY", "nb": "nb-NO", "nl": "nl-NL", "nn": "nn-NO", "pa": "pa-PK",
    "pl": "pl-PL", "pt": "pt-PT", "ro": "ro-RO", "ru": "ru-RU", "sk": "sk-SK",
    "sl": "sl-SI", "sr": "sr-RS", "sv": "sv-SE", "th": "th-TH", "tl": "tl-PH",
    "tr": "tr-TR", "uk": "uk-UA", "vi": "vi-VN", "zh": "zh-CN",
}  # fmt: skip
"""The locale file a language without a region reads (the CSL locales' primary dialects)."""


@lru_cache(maxsize=1)
def _locale_files() -> dict[str, str]:
    data = importlib.resources.files("mesorefs.render") / "data" / DATA_FILE
    files: dict[str, str] = json.loads(gzip.decompress(data.read_bytes()).decode("utf-8"))
    return files


def locale_xml(tag: str) -> str | None:
    """The CSL locale file for ``tag`` (its primary dialect for a bare language), or None."""
    files = _locale_files()
    if tag in files:
        return files[tag]
    primary = PRIMARY_DIALECTS.get(tag.split("-")[0])
    return files.get(primary) if primary else None


def _applies(locale: ElementTree.Element, tag: str) -> bool:
    """Whether a style's ``<locale>`` is read when rendering in ``tag``."""
    lang = locale.get(_XML_LANG)
    return lang is None or lang == tag or lang == tag.split("-")[0]


def _term_key(term: ElementTree.Element) -> tuple[str, str]:
    return term.get("name", ""), term.get("form", "long")


def _is_ordinal(name: str) -> bool:
    return name == "ordinal" or name.startswith("ordinal-")


@lru_cache(maxsize=64)
def with_locale_file(style_xml: str, locale: str | None) -> str:
    """The style with a ``<locale>`` of ``locale`` (en-US when None) holding what its
    locale file gives and the style's own locales for that language leave out."""
    tag = locale or "en-US"
    found = locale_xml(tag)
    if found is None:
        return style_xml
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    own = [loc for loc in root.findall(f"{_NS}locale") if _applies(loc, tag)]
    defined = {_term_key(t) for loc in own for t in loc.iter(f"{_NS}term")}
    dated = {d.get("form") for loc in own for d in loc.findall(f"{_NS}date")}
    own_ordinals = any(_is_ordinal(name) for name, _ in defined)
    file_root = ElementTree.fromstring(found.encode("utf-8"))
    added = ElementTree.Element(f"{_NS}locale")
    for date in file_root.findall(f"{_NS}date"):
        if date.get("form") not in dated:
            added.append(date)
    terms = ElementTree.SubElement(added, f"{_NS}terms")
    for term in file_root.iter(f"{_NS}term"):
        name = term.get("name", "")
        if _term_key(term) in defined or (own_ordinals and _is_ordinal(name)):
            continue
        terms.append(term)
    if not len(terms) and len(added) == 1:
        return style_xml
    # a locale without a language, after the style's own: the engine reads it after
    # every other locale of the style (and of the rewrites that insert one first, see
    # sortkeys.py), before its own copy of the locale file
    position = 0
    for k, child in enumerate(root):
        if child.tag in (f"{_NS}info", f"{_NS}locale"):
            position = k + 1
    root.insert(position, added)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(
        root, encoding="unicode"
    )


def _own_rank(locale: ElementTree.Element, tag: str) -> int:
    """The order in which CSL reads a style's ``<locale>`` for ``tag``: its own dialect,
    then its language, then a locale without a language."""
    lang = locale.get(_XML_LANG)
    return 0 if lang == tag else (1 if lang is not None else 2)


@lru_cache(maxsize=64)
def range_delimiter(style_xml: str, locale: str | None) -> str:
    """The term ``page-range-delimiter`` for rendering in ``locale`` (en-US when None):
    the style's own locales for that language first, then the locale file, else an en
    dash (CSL 1.0.2, "Page Ranges").  citeproc-js joins numeric ranges in page, volume,
    issue, number and edition with it, whether ``cs:text`` or ``cs:number`` prints them
    (fr-FR's non-breaking hyphen "92\u201168", es-ES's and tr-TR's hyphen "92-68"; wide
    bench, issue 28; suite fixture locale_PageRangeDelimiterTermDefined)."""
    tag = locale or "en-US"
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    own = sorted(
        (loc for loc in root.findall(f"{_NS}locale") if _applies(loc, tag)),
        key=lambda loc: _own_rank(loc, tag),
    )
    found = locale_xml(tag)
    sources = [*own, *([ElementTree.fromstring(found.encode("utf-8"))] if found else [])]
    for source in sources:
        for term in source.iter(f"{_NS}term"):
            if term.get("name") == "page-range-delimiter" and term.get("form", "long") == "long":
                return term.text or ""
    return "\u2013"
