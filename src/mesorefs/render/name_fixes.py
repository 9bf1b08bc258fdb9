"""Corrections to names where pandoc's citeproc writes them differently from citeproc-js:
suffixes and hyphens of initials, particles, the comma before an institution, given
names written in full.

What each does, in which order, and the suite fixtures that justify it, is listed in
one place: :data:`mesorefs.render.corrections.CORRECTIONS`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree

from mesorefs.render.batch import NAME_VARIABLES
from mesorefs.render.standins import (
    FULL_STOP,
    GIVEN_SHOWN,
    HYPHEN,
    NAME_APART,
    SPACE,
    WHOLE_GIVEN_CLOSE,
    WHOLE_GIVEN_OPEN,
)
from mesorefs.render.styles import CSL_NS, Style
from mesorefs.render.writers import Output

__all__ = [
    "institution_tails",
    "join_institutions",
    "lengthened",
    "lengthened_probe",
    "normalize_initials",
    "preparer",
    "whole_given_names",
    "whole_only",
    "written_whole",
]

_NS = f"{{{CSL_NS}}}"
_CITATION, _BIBLIOGRAPHY = f"{_NS}citation", f"{_NS}bibliography"


_INITIALIZE_WITH = re.compile(r'\sinitialize-with="([^"]*)"')
_NO_INITIAL_HYPHEN = re.compile(r'\sinitialize-with-hyphen="false"')
_GIVEN_HYPHEN = re.compile(r"(?<=[\w.])-(?=\w)")


@dataclass(frozen=True)
class _NameTraits:
    bare_suffix: bool
    """Initials without periods (``initialize-with=""``): a suffix loses its period too."""
    unhyphenate: bool
    """``initialize-with-hyphen="false"``: hyphens in given names become spaces."""
    normalize_initials: bool
    """Every full name is printed with ``initialize="false"`` and an ``initialize-with``
    with a period: hyphenated initials are written as separate initials (see
    :func:`normalize_initials`)."""
    particle_in_family: bool
    """``demote-non-dropping-particle="never"``: "de la" belongs to "Cruz"."""


def _only_normalized(root: ElementTree.Element) -> bool:
    """Is every full-form ``<name>`` of the style ``initialize="false"`` with initials
    that end in a period?"""
    contexts = [(part, part) for part in root if part.tag in (_CITATION, _BIBLIOGRAPHY)]
    contexts += [(macro, root) for macro in root.findall(f"{_NS}macro")]
    found = False
    for part, options in contexts:
        for name in part.iter(f"{_NS}name"):
            if name.get("form") == "short":
                continue
            initialize = _option("initialize", name, options, root)
            if initialize != "false" or "." not in (
                _option("initialize-with", name, options, root) or ""
            ):
                return False
            found = True
    return found


def _option(key: str, *sources: ElementTree.Element) -> str | None:
    """A name option from the first of ``sources`` (innermost first) that sets it."""
    for source in sources:
        if (value := source.get(key)) is not None:
            return value
    return None


@lru_cache(maxsize=32)
def _name_traits(xml: str) -> _NameTraits:
    initials = _INITIALIZE_WITH.findall(xml)
    bare = bool(initials) and not any("." in i for i in initials)
    root = ElementTree.fromstring(xml.encode("utf-8"))
    return _NameTraits(
        bare,
        bool(_NO_INITIAL_HYPHEN.search(xml)),
        _only_normalized(root),
        root.get("demote-non-dropping-particle") == "never",
    )


# "de' Frinkle": lower-case particle words, the last ending in an apostrophe, a space
APOSTROPHE_PARTICLE = re.compile(r"^((?:[a-z]\S*\s+)*[a-z][^\s'’]*['’])(\s*)(?=\S)")
"""A family name that starts with a particle ending in an apostrophe (and the space
written after it)."""


def _apostrophe_space(family: str) -> str:
    """Fix 6: the space after an apostrophe particle, as a stand-in the engine keeps."""
    return APOSTROPHE_PARTICLE.sub(lambda m: m.group(1) + (SPACE if m.group(2) else ""), family)


_HYPHENATED_INITIALS = re.compile(r"[^\W\d_]\.?(?:\s*-\s*[^\W\d_]\.?)+")


def _prepare_name(name: Any, traits: _NameTraits, clashing: frozenset[str]) -> Any:
    if not isinstance(name, dict):
        return name
    name = dict(name)
    given = name.get("given")
    if traits.bare_suffix and isinstance(name.get("suffix"), str):
        name["suffix"] = name["suffix"].rstrip(".")
    if traits.unhyphenate and isinstance(given, str):
        name["given"] = _GIVEN_HYPHEN.sub(" ", given)
    particle, family = name.get("non-dropping-particle"), name.get("family")
    if isinstance(family, str):
        name["family"] = family = _apostrophe_space(family)
    if (
        traits.particle_in_family
        and isinstance(particle, str)
        and isinstance(family, str)
        and family.casefold() in clashing
    ):
        # one word to the engine, which would otherwise tell "M. J. de la Cruz" from
        # "M. Cruz" by initials; only then, as the stand-in sorts after every letter
        name["family"] = f"{particle} {family}".replace(" ", SPACE)
        del name["non-dropping-particle"]
    return name


def _clashing_families(items: list[dict[str, Any]]) -> frozenset[str]:
    """Family names the items spell with more than one non-dropping particle (or none)."""
    particles: dict[str, set[str]] = {}
    for item in items:
        for field in NAME_VARIABLES:
            for name in item.get(field) or []:
                if isinstance(name, dict) and isinstance(name.get("family"), str):
                    particle = name.get("non-dropping-particle")
                    spelled = particle.casefold() if isinstance(particle, str) else ""
                    particles.setdefault(name["family"].casefold(), set()).add(spelled)
    return frozenset(family for family, spelled in particles.items() if len(spelled) > 1)


def _initials_as_written(item: dict[str, Any]) -> dict[str, str]:
    """Hyphenated initials among the item's given names, each with its normalized form."""
    found = {}
    for field in NAME_VARIABLES:
        for name in item.get(field) or []:
            given = name.get("given") if isinstance(name, dict) else None
            if (
                isinstance(given, str)
                and given.isupper()
                and _HYPHENATED_INITIALS.fullmatch(given.strip())
            ):
                found[given.strip()] = " ".join(f"{c}." for c in given if c.isalpha())
    return found


def normalize_initials(rendered: str, item: dict[str, Any], style: Style) -> str:
    """A bibliography entry with hyphenated initials (``M.-O.``) written as citeproc-js
    writes them in styles that print every full name ``initialize="false"``: ``M. O.``.
    (Citations keep them: citeproc-js prints a given name added to tell authors apart as
    it is written.)"""
    if not _name_traits(style.xml).normalize_initials:
        return rendered
    for written, normalized in _initials_as_written(item).items():
        rendered = rendered.replace(written, normalized)
    return rendered


def preparer(
    items: list[dict[str, Any]], style: Style, *, merge_particles: bool = True
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A function that gives each of ``items`` (copied) the names the engine should see
    for ``style``; ``merge_particles=False`` keeps particles apart (for sorting)."""
    traits = _name_traits(style.xml)
    clashing: frozenset[str] = frozenset()
    if merge_particles and traits.particle_in_family:
        clashing = _clashing_families(items)

    def prepare(item: dict[str, Any]) -> dict[str, Any]:
        item = dict(item)
        for field in NAME_VARIABLES:
            names = item.get(field)
            if isinstance(names, list):
                item[field] = [_prepare_name(n, traits, clashing) for n in names]
        return item

    return prepare


def institution_tails(item: dict[str, Any]) -> list[tuple[str, int]]:
    """For each name list of ``item`` that ends with an institution (a literal name):
    that name and the length of the list."""
    tails = []
    for variable in NAME_VARIABLES:
        names = item.get(variable)
        if isinstance(names, list) and len(names) >= 2 and isinstance(names[-1], dict):
            literal = names[-1].get("literal")
            if isinstance(literal, str) and literal:
                tails.append((literal, len(names)))
    return tails


_AND = r"(&amp;|&|and)"


def join_institutions(rendered: str, tails: list[tuple[str, int]], output: Output) -> str:
    """Before an institution that ends a name list, citeproc-js puts a comma with the
    "and" only when the list has three names or more, whatever the style's
    ``delimiter-precedes-last`` says (``Okonkwo, C. & WHO``; ``Lee, M., Smith, J., & WHO``)."""
    for literal, count in tails:
        shown = html.escape(literal, quote=False) if output == "html" else literal
        name = re.escape(shown)
        if count == 2:
            rendered = re.sub(rf",\s{_AND}\s(?={name})", r" \1 ", rendered)
        else:
            rendered = re.sub(rf"(?<=[^,\s])\s{_AND}\s(?={name})", r", \1 ", rendered)
    return rendered


_CITED_NAMES = ("author", "editor", "translator")
"""The name lists a citation prints, the first the item has (CSL's usual substitution)."""


@lru_cache(maxsize=32)
def _whole_suffix(xml: str) -> str | None:
    """What the engine writes after a given name it keeps whole (whole-given-names): the initials'
    suffix of the style's full-form names, when the style adds given names by cite and
    every such name is initialised with one suffix (trailing spaces aside); else None,
    and given names are left alone (names not initialised are written whole anyway)."""
    root = ElementTree.fromstring(xml.encode("utf-8"))
    citation = root.find(_CITATION)
    if citation is None or citation.get("disambiguate-add-givenname") != "true":
        return None
    if citation.get("givenname-disambiguation-rule", "by-cite") != "by-cite":
        return None
    contexts = [(part, part) for part in root if part.tag in (_CITATION, _BIBLIOGRAPHY)]
    contexts += [(macro, root) for macro in root.findall(f"{_NS}macro")]
    suffixes = set()
    for part, options in contexts:
        for name in part.iter(f"{_NS}name"):
            if name.get("form") == "short":
                continue
            initialize_with = _option("initialize-with", name, options, root)
            if initialize_with is None or _option("initialize", name, options, root) == "false":
                return None
            suffixes.add(initialize_with.rstrip(" "))
    if len(suffixes) != 1 or "" in suffixes:
        return None
    return suffixes.pop()


def _given_key(given: str) -> str:
    """A given name as citeproc-js's name register compares it: periods as spaces."""
    return " ".join(given.replace(".", " ").split())


def _initials_key(given: str) -> str:
    """A given name's initials as the register compares them ("Jean-Paul": "J-P")."""
    joined = re.sub(r"\s*-\s*", "-", _given_key(given))  # "J.-P." is "J -P" to the register
    return " ".join("-".join(p[:1] for p in word.split("-")) for word in joined.split())


def _registered_key(name: Any) -> tuple[str, str, str] | None:
    if not isinstance(name, dict):
        return None
    family, given = name.get("family"), name.get("given")
    if not isinstance(family, str) or not isinstance(given, str) or not _given_key(given):
        return None
    return " ".join(family.replace(".", " ").split()), _initials_key(given), _given_key(given)


def _cited(item: dict[str, Any]) -> str | None:
    return next((v for v in _CITED_NAMES if isinstance(item.get(v), list) and item[v]), None)


def _written_in_full(item: dict[str, Any], lengthened: frozenset[int]) -> set[tuple[str, int]]:
    """The names (variable, index) citeproc-js writes in full in ``item`` (whole-given-names), but
    for those of the cited list the citation's disambiguation lengthened (indexes)."""
    cited = _cited(item)
    registered = [_registered_key(n) for n in item[cited]] if cited else []
    full = set()
    for variable in NAME_VARIABLES:
        names = item.get(variable)
        if not isinstance(names, list):
            continue
        keys = [_registered_key(n) for n in names]
        for index, key in enumerate(keys):
            # the cited list is registered before anything is written, others as written
            seen = registered if variable == cited else registered + keys[:index]
            if variable == cited and index in lengthened:
                continue  # written as the citation's disambiguation left it
            if key and any(o and o[:2] == key[:2] and o[2] != key[2] for o in seen):
                full.add((variable, index))
    return full


def _marked(given: str) -> str:
    """One word to the engine (its spaces, hyphens and periods as stand-ins) that starts
    with no capital, so it is not initialised, and ends in a period, so the engine writes
    the initials' suffix after it, which :func:`written_whole` takes off."""
    word = given.replace(" ", SPACE).replace("-", HYPHEN).replace(".", FULL_STOP)
    return f"{WHOLE_GIVEN_OPEN}{word}{WHOLE_GIVEN_CLOSE}."


def whole_given_names(
    item: dict[str, Any], style_xml: str, lengthened: frozenset[int] = frozenset()
) -> dict[str, Any]:
    """``item`` (copied if changed) with the given names citeproc-js writes in full
    marked so that the engine writes them whole (whole-given-names); ``lengthened``: the indexes of
    the names of the cited list the citation's disambiguation lengthened (see
    :func:`lengthened`), which keep what it gave them."""
    if _whole_suffix(style_xml) is None:
        return item
    full = _written_in_full(item, lengthened)
    if not full:
        return item
    item = dict(item)
    for variable in {v for v, _ in full}:
        item[variable] = [
            {**n, "given": _marked(n["given"])} if (variable, k) in full else n
            for k, n in enumerate(item[variable])
        ]
    return item


@lru_cache(maxsize=32)
def _marked_name(style_xml: str) -> re.Pattern[str]:
    """A given name of :func:`whole_given_names` as the engine writes it: marked, then
    the initials' suffix."""
    suffix = re.escape(_whole_suffix(style_xml) or "")
    return re.compile(
        f"{WHOLE_GIVEN_OPEN}([^{WHOLE_GIVEN_CLOSE}]*){WHOLE_GIVEN_CLOSE}(?:{suffix})?"
    )


def written_whole(rendered: str, style_xml: str) -> str:
    """``rendered`` with the marks of :func:`whole_given_names` taken off (the stand-ins
    inside are turned back by fixes.finish)."""
    if WHOLE_GIVEN_OPEN not in rendered:
        return rendered
    return _marked_name(style_xml).sub(lambda m: m.group(1).replace(FULL_STOP, "."), rendered)


def whole_only(written: str, plain: str, style_xml: str) -> bool:
    """Whether ``written``, from items marked by :func:`whole_given_names`, says what
    ``plain``, from the same items unmarked, says but for the marked names."""
    pieces = _marked_name(style_xml).split(written)[::2]  # the text between marked names
    return re.fullmatch(".+?".join(map(re.escape, pieces)), plain, re.S) is not None


@lru_cache(maxsize=32)
def lengthened_probe(style_xml: str) -> str:
    """The style with its citation (so the engine disambiguates as it does for the style)
    and a bibliography that writes each item's cited names short, :data:`NAME_APART`
    between them and :data:`GIVEN_SHOWN` before a given name the disambiguation added."""
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    bibliography = root.find(_BIBLIOGRAPHY)
    if bibliography is None:
        bibliography = ElementTree.SubElement(root, _BIBLIOGRAPHY)
    for element in (root, bibliography):
        for option in ("and", "subsequent-author-substitute"):  # nothing between names
            element.attrib.pop(option, None)
    layout = bibliography.find(f"{_NS}layout")
    if layout is not None:
        bibliography.remove(layout)
    choose = ElementTree.SubElement(
        ElementTree.SubElement(bibliography, f"{_NS}layout"), f"{_NS}choose"
    )
    for n, variable in enumerate(_CITED_NAMES):
        branch = ElementTree.SubElement(
            choose, f"{_NS}{'if' if n == 0 else 'else-if'}", {"variable": variable}
        )
        names = ElementTree.SubElement(branch, f"{_NS}names", {"variable": variable})
        attrs = {"form": "short", "delimiter": NAME_APART, "delimiter-precedes-last": "always"}
        attrs |= {"et-al-min": "10000", "et-al-use-first": "10000"}
        name = ElementTree.SubElement(names, f"{_NS}name", attrs)
        ElementTree.SubElement(name, f"{_NS}name-part", {"name": "given", "prefix": GIVEN_SHOWN})
    return ElementTree.tostring(root, encoding="unicode")


def lengthened(probe_entry: str) -> frozenset[int]:
    """The indexes of the cited names the disambiguation lengthened, from an entry of
    :func:`lengthened_probe`."""
    return frozenset(
        k for k, name in enumerate(probe_entry.split(NAME_APART)) if GIVEN_SHOWN in name
    )
