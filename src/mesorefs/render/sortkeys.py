"""A style's bibliography sort keys as citeproc-js writes them, rendered by the engine.

citeproc-js renders each ``<key>`` of the style's ``<sort>`` apart, in a mode of its
own: names in sort order ("family given", no "and", no "et al.", no label) with the
key's ``names-min``/``names-use-first``/``names-use-last``; a date as digits,
``1YYYYMMDD`` for its start and again for its end (zeros where a part is missing or not
asked for); only the dates of a macro that has a date of its own; a number variable as
its first integer.  :func:`key_style` rewrites the style so that the engine writes the
keys so, each after a marker, :func:`key_items` gives it one copy of each item per
group of keys (a key that prints names goes alone: the engine suppresses a variable
that stood in for names in the rest of the entry) and :func:`read_keys` reads them
back.  How the keys are compared: :mod:`mesorefs.render.collation`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree

from mesorefs.render.batch import drop_disambiguation
from mesorefs.render.name_fixes import APOSTROPHE_PARTICLE, whole_given_names
from mesorefs.render.standins import DATE_CLOSE, DATE_OPEN, DATE_PARTS, SORT_KEY, SPACE
from mesorefs.render.styles import CSL_NS

__all__ = ["citation_sort_style", "directions", "key_items", "key_style", "read_keys"]

GROUP = "mesorefs-sort-keys"
"""The stem of the variables that choose a group of keys in :func:`key_style`."""

_NS = f"{{{CSL_NS}}}"
_NAME_VARIABLES = frozenset(
    "author chair collection-editor compiler composer container-author contributor "
    "curator director editor editorial-director executive-producer guest host "
    "illustrator interviewer narrator organizer original-author performer producer "
    "recipient reviewed-author script-writer series-creator translator".split()
)
_DATE_VARIABLES = frozenset(
    "accessed available-date event-date issued original-date submitted".split()
)
_ET_AL = {"names-min": "et-al-min", "names-use-first": "et-al-use-first",
          "names-use-last": "et-al-use-last"}  # fmt: skip
_PARTS = ("year", "month", "day")
# how citeproc-js writes each name in a key: "family given"
_NAME_IN_KEY = {"name-as-sort-order": "all", "sort-separator": " "}
_DATE = re.compile(f"{DATE_OPEN}(.*?){DATE_CLOSE}", re.S)
_PART = re.compile(f"([{''.join(DATE_PARTS.values())}])([^{''.join(DATE_PARTS.values())}]*)")
_MARKER_PART = {v: k for k, v in DATE_PARTS.items()}
_KEY_INDEX = re.compile(f"{SORT_KEY}(\\d+)(n?){SORT_KEY}")
_NUMERIC_VARIABLES = frozenset(
    "call-number chapter-number collection-number division edition page issue locator "
    "locator-extra number number-of-pages number-of-volumes part-number printing-number "
    "section supplement-number version volume supplement".split()
)
_DIGIT_RUN = re.compile(r"[0-9]+")
_FIRST_INTEGER = re.compile(r"\s*(-?[0-9]+)")


def _tag(name: str) -> str:
    return f"{_NS}{name}"


def _sort_keys(root: ElementTree.Element) -> list[ElementTree.Element] | None:
    """The bibliography's sort keys, or None when the engine's order needs no help: no
    bibliography sort, or one by citation number (the order of first citation)."""
    bibliography = root.find(_tag("bibliography"))
    sort = bibliography.find(_tag("sort")) if bibliography is not None else None
    if sort is None:
        return None
    keys = sort.findall(_tag("key"))
    if not keys or any(k.get("variable") == "citation-number" for k in keys):
        return None
    return keys


def _date_parts(date: ElementTree.Element) -> list[str]:
    if date.get("form"):
        asked = date.get("date-parts", "year-month-day").split("-")
        return [p for p in _PARTS if p in asked]
    named = {p.get("name") for p in date.findall(_tag("date-part"))}
    return [p for p in _PARTS if p in named] or list(_PARTS)


def _marked_date(variable: str, parts: list[str]) -> ElementTree.Element:
    """A date that prints each asked-for part as a number after its marker."""
    date = ElementTree.Element(
        _tag("date"), {"variable": variable, "prefix": DATE_OPEN, "suffix": DATE_CLOSE}
    )
    for part in parts:
        attrs = {"name": part, "prefix": DATE_PARTS[part]}
        if part != "year":
            attrs["form"] = "numeric"
        ElementTree.SubElement(date, _tag("date-part"), attrs)
    return date


def _as_in_a_key(element: ElementTree.Element, et_al: dict[str, str]) -> None:
    """Names and dates under ``element`` written as citeproc-js writes them in a key."""
    for parent in element.iter():
        for k, child in enumerate(list(parent)):
            if child.tag == _tag("date") and child.get("variable"):
                parent.remove(child)
                parent.insert(k, _marked_date(str(child.get("variable")), _date_parts(child)))
    for name in element.iter(_tag("name")):
        name.attrib.update(_NAME_IN_KEY)
        name.attrib.pop("and", None)  # no "and" between names in a key
        name.attrib.update(et_al)
    for names in element.iter(_tag("names")):
        # no "et al." and no label ("(Eds.)") in a key
        for child in names.findall(_tag("et-al")) + names.findall(_tag("label")):
            names.remove(child)


_PRINTING = frozenset(_tag(t) for t in ("text", "number", "names", "label"))


def _dates_only(macro: ElementTree.Element) -> None:
    """In a key, citeproc-js writes only the dates of a macro that has a date of its
    own (Harvard's "no date" sorts as an empty key); what other macros it calls print
    stays."""
    for parent in macro.iter():
        for child in list(parent):
            if child.tag in _PRINTING and not child.get("macro"):
                parent.remove(child)


def _without_et_al() -> ElementTree.Element:
    """A locale that writes nothing for "et al." (a key has none)."""
    locale = ElementTree.Element(_tag("locale"))
    terms = ElementTree.SubElement(locale, _tag("terms"))
    for term in ("et-al", "and others"):
        ElementTree.SubElement(terms, _tag("term"), {"name": term})
    return locale


def _key_element(
    key: ElementTree.Element, root: ElementTree.Element, n: int
) -> ElementTree.Element:
    """What prints key ``n``: its variable, or a copy of its macro (and of the macros that
    macro calls) with names and dates as in a key."""
    et_al = {_ET_AL[a]: v for a, v in key.attrib.items() if a in _ET_AL}
    variable = key.get("variable")
    if variable in _DATE_VARIABLES:
        return _marked_date(variable, list(_PARTS))
    if variable in _NAME_VARIABLES:
        names = ElementTree.Element(_tag("names"), {"variable": variable})
        _as_in_a_key(names, et_al)
        return names
    if variable:
        return ElementTree.Element(_tag("text"), {"variable": variable})
    macros = {m.get("name"): m for m in root.findall(_tag("macro"))}
    copied: dict[str, str] = {}

    def copy_macro(name: str) -> str:
        if name in copied or name not in macros:
            return copied.get(name, name)
        copied[name] = f"{name} (sort key {n})"
        macro = copy.deepcopy(macros[name])
        macro.set("name", copied[name])
        if macro.find(f".//{_tag('date')}") is not None:
            _dates_only(macro)
        for call in macro.iter(_tag("text")):
            if call.get("macro"):
                call.set("macro", copy_macro(str(call.get("macro"))))
        _as_in_a_key(macro, et_al)
        root.append(macro)
        return copied[name]

    return ElementTree.Element(_tag("text"), {"macro": copy_macro(str(key.get("macro")))})


# attributes of <citation> that are not name options: they stay behind
_CITATION_ONLY = frozenset(
    "after-collapse-delimiter cite-group-delimiter collapse disambiguate-add-givenname "
    "disambiguate-add-names disambiguate-add-year-suffix givenname-disambiguation-rule "
    "near-note-distance year-suffix-delimiter".split()
)


@lru_cache(maxsize=32)
def citation_sort_style(style_xml: str) -> str | None:
    """The style with a bibliography that sorts as its citation sorts the cites of one
    citation (the citation's keys and name options), so that :func:`key_style` writes
    the keys citeproc-js sorts cites by; None when the citation does not sort or sorts
    by citation number (the engine's order needs no help)."""
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    citation = root.find(_tag("citation"))
    sort = citation.find(_tag("sort")) if citation is not None else None
    if citation is None or sort is None or not len(sort):
        return None
    old = root.find(_tag("bibliography"))
    if old is not None:
        root.remove(old)
    options = {k: v for k, v in citation.attrib.items() if k not in _CITATION_ONLY}
    bibliography = ElementTree.SubElement(root, _tag("bibliography"), options)
    bibliography.append(copy.deepcopy(sort))
    ElementTree.SubElement(bibliography, _tag("layout"))
    xml = ElementTree.tostring(root, encoding="unicode")
    return xml if _sort_keys(ElementTree.fromstring(xml.encode("utf-8"))) else None


@lru_cache(maxsize=32)
def key_groups(style_xml: str) -> tuple[tuple[int, ...], ...]:
    """The sort keys rendered together, by index: a key that prints names alone (the
    engine suppresses a variable that stood in for names in the rest of the entry,
    citeproc-js renders each key apart), every other key in one group."""
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    keys = _sort_keys(root) or []
    macros = {m.get("name"): m for m in root.findall(_tag("macro"))}

    def prints_names(element: ElementTree.Element, seen: frozenset[str]) -> bool:
        for child in element.iter():
            if child.tag == _tag("names"):
                return True
            called = child.get("macro", "") if child.tag == _tag("text") else ""
            fresh = called in macros and called not in seen
            if fresh and prints_names(macros[called], seen | {called}):
                return True
        return False

    named = [
        n
        for n, key in enumerate(keys)
        if key.get("variable") in _NAME_VARIABLES
        or (key.get("macro") in macros and prints_names(macros[key.get("macro")], frozenset()))
    ]
    rest = tuple(n for n in range(len(keys)) if n not in named)
    return tuple((n,) for n in named) + ((rest,) if rest else ())


@lru_cache(maxsize=32)
def short_name_groups(style_xml: str) -> frozenset[int]:
    """The key groups (see :func:`key_groups`) whose key writes names in the short form
    (``<name form="short">`` in the key's macro, or the bibliography's ``name-form``)."""
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    keys = _sort_keys(root) or []
    macros = {m.get("name"): m for m in root.findall(_tag("macro"))}
    bibliography = root.find(_tag("bibliography"))
    inherited = bibliography is not None and bibliography.get("name-form") == "short"

    def short(element: ElementTree.Element, seen: frozenset[str]) -> bool:
        for child in element.iter():
            default = "short" if inherited else "long"
            if child.tag == _tag("name") and child.get("form", default) == "short":
                return True
            called = child.get("macro", "") if child.tag == _tag("text") else ""
            if called in macros and called not in seen and short(macros[called], seen | {called}):
                return True
        return False

    found = set()
    for group, members in enumerate(key_groups(style_xml)):
        for n in members:
            macro = keys[n].get("macro")
            if macro in macros and short(macros[macro], frozenset({str(macro)})):
                found.add(group)
    return frozenset(found)


def _demoted(person: Any) -> Any:
    """A name as citeproc-js writes it in the short form in a key when particles are
    demoted: the non-dropping particle after the family name ("Last de")."""
    if not isinstance(person, dict) or not person.get("family"):
        return person
    particle = person.get("non-dropping-particle")
    if not isinstance(particle, str) or not particle:
        return person
    person = {k: v for k, v in person.items() if k != "non-dropping-particle"}
    person["family"] = f"{person['family']} {particle}"
    return person


def group_variable(group: int) -> str:
    """The variable that asks the key style for key group ``group``."""
    return f"{GROUP}-{group}"


@lru_cache(maxsize=32)
def key_style(style_xml: str) -> str | None:
    """A style whose bibliography entry is an item's sort keys of one group (see
    :func:`key_groups`; the item copy carries :func:`group_variable`), each after
    :data:`SORT_KEY`, its index and :data:`SORT_KEY` again; None when the engine's own
    order needs no help (see :func:`_sort_keys`)."""
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    keys = _sort_keys(root)
    bibliography = root.find(_tag("bibliography"))
    if keys is None or bibliography is None:
        return None
    drop_disambiguation(root)
    for child in list(bibliography):
        if child.tag in (_tag("sort"), _tag("layout")):
            bibliography.remove(child)
    # for <names> without <name>: the options <name> elements would inherit
    for element in (root, bibliography):
        element.attrib.pop("and", None)
    bibliography.attrib.update(_NAME_IN_KEY)
    root.insert(0, _without_et_al())
    if root.get("demote-non-dropping-particle") == "sort-only":
        # what citeproc-js writes in a key: "Gogh Vincent van"
        root.set("demote-non-dropping-particle", "display-and-sort")
    layout = ElementTree.SubElement(bibliography, _tag("layout"))
    choose = ElementTree.SubElement(layout, _tag("choose"))
    for group, members in enumerate(key_groups(style_xml)):
        branch = ElementTree.SubElement(
            choose, _tag("if" if group == 0 else "else-if"), {"variable": group_variable(group)}
        )
        for n in members:
            numeric = "n" if keys[n].get("variable") in _NUMERIC_VARIABLES else ""
            marker = f"{SORT_KEY}{n}{numeric}{SORT_KEY}"
            ElementTree.SubElement(branch, _tag("text"), {"value": marker})
            branch.append(_key_element(keys[n], root, n))
    return ElementTree.tostring(root, encoding="unicode")


@lru_cache(maxsize=32)
def directions(style_xml: str) -> tuple[int, ...]:
    """Per sort key of the bibliography: 1 ascending, -1 descending."""
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    return tuple(-1 if k.get("sort") == "descending" else 1 for k in _sort_keys(root) or [])


def _date_digits(segment: str) -> str:
    """A rendered date (marked parts) as citeproc-js's digits: start, then end."""
    seen: dict[str, list[int]] = {}
    for marker, text in _PART.findall(segment):
        # a range of one part is written in that part ("1885–1888"): start and end
        runs = [int(r) for r in _DIGIT_RUN.findall(text)][:2] or [0]
        if marker == DATE_PARTS["year"] and re.search(r"b\.?c", text, re.I):
            runs = [-value for value in runs]
        seen.setdefault(_MARKER_PART[marker], []).extend(runs)
    if not seen.get("year"):
        return ""
    out = ""
    for end in (0, 1):
        year = seen["year"][end] if len(seen["year"]) > end else 0
        out += f"0{9999 - -year:04d}" if year < 0 else f"1{year:04d}"
        for part in ("month", "day"):
            values = seen.get(part, [])
            out += f"{values[end] if len(values) > end else 0:02d}"
    return out


_BLANKS = re.compile(r"(\s+)")
_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")


def trailing_particles(given: str) -> tuple[str, str] | None:
    r"""``given`` split before its trailing run of lower-case words ("L. van" -> "L.",
    "van"), or None: what ``^(.*?\S)((?:\s+[a-z]\S*)+)$`` matches, in one pass over
    the words (that pattern backtracks quadratically on a long run of short words)."""
    text = given[:-1] if given.endswith("\n") else given  # $ matches before a final \n
    pieces = _BLANKS.split(text)  # word, blanks, word, ...: words[j] follows blanks[j - 1]
    words = pieces[0::2]
    if len(words) < 2 or not words[-1]:
        return None
    first = len(words)
    while first > 1 and words[first - 1][:1] in _LOWER:
        first -= 1
    if first == 1 and not words[0]:  # the prefix must end in a non-blank
        first = 2
    if first >= len(words):
        return None
    prefix = "".join(pieces[: 2 * first - 1])
    if "\n" in prefix:  # '.' does not cross a line
        return None
    return prefix, "".join(pieces[2 * first - 1 :])


def _as_keyed_in_never(person: Any) -> Any:
    """A name as citeproc-js writes it in a key when particles are never demoted: the
    dropping particle after the family name ("Rensburg van L."; lower-case words that
    end the given name are such a particle to citeproc-js: "L. van"), and a space after
    a particle that ends in an apostrophe ("d’ Wander")."""
    if not isinstance(person, dict) or not person.get("family"):
        return person
    person = dict(person)
    family = str(person["family"])
    non_dropping = person.get("non-dropping-particle")
    if isinstance(non_dropping, str) and non_dropping.endswith(("'", "’")):
        family = f"{non_dropping} {family}"
        del person["non-dropping-particle"]
    family = APOSTROPHE_PARTICLE.sub(lambda m: m.group(1) + SPACE, family)
    particle = person.pop("dropping-particle", None)
    given = person.get("given")
    if not particle and isinstance(given, str) and (split := trailing_particles(given)):
        person["given"], particle = split[0], split[1].strip()
    person["family"] = f"{family} {particle}" if particle else family
    return person


def _with_names_demoted(item: dict[str, Any]) -> dict[str, Any]:
    return {
        k: [_demoted(p) for p in v] if k in _NAME_VARIABLES and isinstance(v, list) else v
        for k, v in item.items()
    }


def key_items(items: Iterable[dict[str, Any]], style_xml: str) -> list[dict[str, Any]]:
    """One copy of each item per key group, for :func:`key_style`."""
    groups = range(len(key_groups(style_xml)))
    never = 'demote-non-dropping-particle="never"' in style_xml
    short = short_name_groups(style_xml)
    copies = []
    for item in items:
        if never:
            item = {
                k: [_as_keyed_in_never(p) for p in v]
                if k in _NAME_VARIABLES and isinstance(v, list)
                else v
                for k, v in item.items()
            }
        # names citeproc-js writes in full in the entry are so in its keys (names.py)
        item = whole_given_names(item, style_xml)
        demoted = item if never else _with_names_demoted(item)
        for g in groups:
            copy = demoted if g in short else item
            copies.append({**copy, "id": f"{item['id']}{SORT_KEY}{g}", group_variable(g): "1"})
    return copies


def _number(text: str) -> str:
    """A number variable as citeproc-js keys it: its first integer, else as written."""
    match = _FIRST_INTEGER.search(text)
    if not match:
        return text
    value = int(match.group(1))
    return str(10**20 - 1 + value if value < 0 else value)


def _read_keys(rendered: str) -> dict[int, str | None]:
    keys: dict[int, str | None] = {}
    pieces = _KEY_INDEX.split(rendered)
    for index, numeric, text in zip(pieces[1::3], pieces[2::3], pieces[3::3], strict=True):
        text = _DATE.sub(lambda m: _date_digits(m.group(1)), text)
        # citeproc-js leaves out the ellipsis before a last name (et-al-use-last)
        text = text.replace(" \u2026 ", " ").strip()
        if numeric and text:
            text = _number(text)
        keys[int(index)] = text or None
    return keys


def read_keys(entries: Iterable[tuple[str, str]], n_keys: int) -> dict[str, list[str | None]]:
    """The text of each item's keys (None when empty), from the entries of
    :func:`key_style` for :func:`key_items` (copy id, rendered text)."""
    keys: dict[str, list[str | None]] = {}
    for copy_id, rendered in entries:
        item_id = copy_id.rsplit(SORT_KEY, 1)[0]
        found = keys.setdefault(item_id, [None] * n_keys)
        for index, text in _read_keys(rendered).items():
            found[index] = text
    return keys
