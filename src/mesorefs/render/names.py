"""Where pandoc's citeproc writes names differently from citeproc-js, and what we do.

Like :mod:`mesorefs.render.fixes`, each fix is measured by ``benchmarks/csl_bench.py``
and changes only what the engine is given or how its output is tidied.

1. In styles whose names are initialised without periods (``initialize-with=""``,
   as in AMA and Vancouver) citeproc-js writes a suffix without its period:
   ``Gates HL Jr``.
2. Styles with ``initialize-with-hyphen="false"`` (AMA, Vancouver): pandoc keeps
   the hyphen (``Han M-O``) and drops a lower-case part (``Min-jun`` gives ``M``);
   citeproc-js writes ``Han MO`` and ``Lee M jun``.  Hyphens in given names
   become spaces, which pandoc then reads as citeproc-js does.
3. Before an institution that ends a name list citeproc-js writes the comma with
   "and" only from three names on, whatever ``delimiter-precedes-last`` says
   (``Okonkwo, C. & WHO``, ``Lee, M., Smith, J., & WHO``); rendered entries and
   citations are adjusted for the institutions their items end with.
4. In styles that print every full name with ``initialize="false"`` and a
   period in ``initialize-with`` (Chicago, MLA) citeproc-js writes hyphenated
   initials apart in the bibliography (``Han, M. O.``); pandoc keeps ``M.-O.``.
   A given name added to a citation to tell two authors apart stays as written.
5. In styles with ``demote-non-dropping-particle="never"`` (APA, MLA) pandoc adds
   initials to tell "M. J. de la Cruz" from "M. Cruz"; citeproc-js does not, as the
   particle belongs to the family name.  When a family name comes with and without
   a particle, the particle goes to the engine inside the family name (the
   bibliography is sorted from the names as written, see sorting.py).
6. A particle that ends in an apostrophe keeps the space written after it
   ("de' Frinkle"; pandoc writes "de’Frinkle"): suite fixture
   sort_LeadingApostropheOnNameParticle.
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
from mesorefs.render.standins import SPACE
from mesorefs.render.styles import CSL_NS, Style
from mesorefs.render.writers import Output

__all__ = [
    "institution_tails",
    "join_institutions",
    "normalize_initials",
    "preparer",
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
