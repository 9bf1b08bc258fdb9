"""Split a long bibliography into independent runs of the engine.

pandoc's citeproc spends time quadratic (and worse) in the number of items
on *global* name disambiguation (``givenname-disambiguation-rule`` =
``primary-name``, ``all-names`` and their ``-with-initials`` variants): 1,000
APA entries take over 20 s in one run.  Items can only be confused with one
another when they share a family name that disambiguation looks at, so
items are grouped by those names (generously: accents and case folded),
whole groups are packed into chunks rendered in parallel, and a fast extra
run, with the style's own sort but no disambiguation, gives the global
order.  A family name that belongs to a single person (one spelling of the given
names) needs no given names to tell it apart, so its items are grouped by name and
year only (what year suffixes and added names look at): a bibliography of one author
pair over many years stays in small runs instead of one quadratic one.

Under the primary-name rules, a family name several people carry (a thousand Smiths)
is split by year too.  What the engine gives each of those names depends on the other
names of the family it sees (citeproc's ``namesMap``: given names or initials added when
another name of the family exists, and whether another has the same initials), so each
run is given, beside its items, stand-ins (:attr:`Chunk.witnesses`): copies of items from
other years whose names make the run see what the whole bibliography shows.  A stand-in
gets a year no item of its run has, so it cannot be confused with them, and its entry is
dropped.  This is exact only where the engine's reading of the names is known, so it is
used only for names of plain letters (:func:`_plain_person`); other families stay whole.

An item that can be confused with no other (its group holds it alone, and no name of it
is carried by someone else) gets nothing from disambiguation: it goes in larger runs of
the style without disambiguation (:func:`without_disambiguation`), which cost the
engine a third less.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree

import mesorefs.render.reach as reach
import mesorefs.render.substitute as substitute
from mesorefs.render.styles import CSL_NS

__all__ = [
    "CHUNK",
    "NAME_VARIABLES",
    "PLAIN_CHUNK",
    "SORT_CARRIER",
    "Chunk",
    "chunks",
    "drop_disambiguation",
    "needs_splitting",
    "sort_only_style",
    "stand_in",
    "without_disambiguation",
]

CHUNK = 150
"""Items per engine run when a bibliography is split."""
PLAIN_CHUNK = 1000
"""Items per engine run of items that need no disambiguation (the engine's cost per item
is then flat, so longer runs only spread its start-up wider)."""
SPLIT_LEAST = 40
"""Items a shared family name needs before it is split by year (see :class:`Chunk`)."""
SORT_CARRIER = "call-number"
"""The variable that carries each item's id through the sort-only run."""

_NS = f"{{{CSL_NS}}}"
_GLOBAL_RULES = {
    "all-names",
    "all-names-with-initials",
    "primary-name",
    "primary-name-with-initials",
}
NAME_VARIABLES = ("author", "editor", "translator", "collection-editor", "container-author")
"""The name lists the fixes and the disambiguation groups look at."""


def _citation(style_xml: str) -> ElementTree.Element | None:
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    return root.find(f"{_NS}citation")


def disambiguation_rule(style_xml: str) -> str | None:
    """The global given-name rule when the style disambiguates names globally, else None."""
    citation = _citation(style_xml)
    if citation is None or citation.get("disambiguate-add-givenname") != "true":
        return None
    rule = citation.get("givenname-disambiguation-rule", "by-cite")
    return rule if rule in _GLOBAL_RULES else None


def needs_splitting(style_xml: str, n_items: int) -> bool:
    """Whether a bibliography of ``n_items`` is worth splitting for this style: one that
    disambiguates names globally, or one whose entries can be rendered apart (see
    :func:`_apart`)."""
    if n_items <= CHUNK:
        return False
    return disambiguation_rule(style_xml) is not None or _apart(style_xml)


@lru_cache(maxsize=32)
def _apart(style_xml: str) -> bool:
    """Whether the engine writes an entry of this style the same in any run that holds
    the items its disambiguation could confuse it with: no citation number (the place in
    the run) and no subsequent-author substitution the engine does itself (one we do, see
    substitute.py, sees the whole bibliography)."""
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    if any("citation-number" in e.get("variable", "").split() for e in root.iter()):
        return False
    return substitute.marker(style_xml) is None or substitute.emulated(style_xml)


@lru_cache(maxsize=1 << 16)
def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _family(person: dict[str, Any]) -> str:
    if person.get("literal"):
        return _fold(str(person["literal"]))
    parts = (person.get("non-dropping-particle"), person.get("family"))
    family = _fold(" ".join(str(p) for p in parts if p))
    # "van den Berg" may be sorted and shown as "Berg": key on the last word too.
    return family.rsplit(" ", 1)[-1]


def _year(item: dict[str, Any]) -> str:
    issued = item.get("issued")
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return str(parts[0][0])
    return ""


def _chosen(item: dict[str, Any], all_names: bool) -> list[dict[str, Any]]:
    chosen: list[dict[str, Any]] = []
    for variable in NAME_VARIABLES:
        people = item.get(variable) or []
        chosen.extend(people if all_names else people[:1])
    return chosen


@dataclass
class Chunk:
    """One engine run of a split bibliography."""

    members: list[int]
    """Indexes of the items rendered."""
    witnesses: list[int] = field(default_factory=list)
    """Indexes of items whose stand-ins (:func:`stand_in`) go with the run, so that the
    engine sees the names of the members' families as the whole bibliography shows them."""
    disambiguate: bool = True
    """False: no member can be confused with another item, so the run needs no
    disambiguation (:func:`without_disambiguation`)."""


def _canonical(person: dict[str, Any]) -> str:
    return json.dumps(person, sort_keys=True, ensure_ascii=False)


def _is_upper(c: str) -> bool:
    return unicodedata.category(c) == "Lu"


def _is_lower(c: str) -> bool:
    return unicodedata.category(c) == "Ll"


_UNSAFE = frozenset("'\"’,\u2013")


def _plain_text(text: object) -> bool:
    """Plain letters (ASCII, or upper- or lower-case letters), each word capitalised, with
    nothing the engine reads as a particle, a suffix or a quoted unit."""
    if not isinstance(text, str) or not text.strip():
        return False
    if any(c in _UNSAFE or not (c.isascii() or _is_upper(c) or _is_lower(c)) for c in text):
        return False
    return all(_is_upper(word[0]) for word in text.split())


def _plain_person(person: dict[str, Any]) -> bool:
    """Whether the engine reads this person's name as written (no particles split off, no
    suffix, no literal), so that :func:`_initials` reproduces its comparison of them."""
    if not set(person) <= {"family", "given"} or not _plain_text(person.get("family")):
        return False
    family = str(person["family"])
    if any(c.isspace() or c in ".-" for c in family):
        return False
    return "given" not in person or _plain_text(person["given"])


def _initials(given: str) -> str:
    """The given name as citeproc compares it for ``initialsMatch``: its ``initialize``
    with initials on, no hyphen and an empty suffix (for a :func:`_plain_person`)."""
    words: list[tuple[bool, str]] = []  # (already an initial, text)
    current = ""
    for c in given:
        if c == ".":
            if current:
                words.append((True, current))
            current = ""
        elif c == "-":
            if current:
                words.append((False, current))
            current = "-"
        elif c == " ":
            if len(current) == 1:
                words.append((True, current))
            elif current:
                words.append((False, current))
            current = ""
        else:
            current += c
    if len(current) == 1:
        words.append((True, current))
    elif current:
        words.append((False, current))
    out = []
    for initial, word in words:
        if initial:
            out.append(word)
        elif all(_is_lower(c) for c in word):
            out.append(f" {word} ")
        elif word[0] == "-":
            out.append(word[1] if len(word) > 1 and _is_upper(word[1]) else "")
        elif _is_upper(word[0]):
            rest = word[2:]
            if len(word) > 2 and _is_upper(word[1]) and all(_is_lower(c) for c in rest):
                out.append(word[0] + word[1].lower())
            else:
                out.append(word[0])
        else:
            out.append(word)
    return "".join(out).replace(" -", "-").strip(" ")


def _shared_families(items: Sequence[dict[str, Any]], all_names: bool) -> frozenset[str]:
    """Family names that come with more than one name (as the engine tells names apart)."""
    names: dict[str, set[str]] = {}
    for item in items:
        for person in _chosen(item, all_names):
            names.setdefault(_family(person), set()).add(_canonical(person))
    return frozenset(family for family, seen in names.items() if len(seen) > 1)


def _split_families(
    items: Sequence[dict[str, Any]], shared: frozenset[str], rule: str, least: int
) -> frozenset[str]:
    """Shared family names whose items may go apart by year with stand-ins: under a
    primary-name rule, every name of the family plain and each the first author of its
    item, and at least ``least`` items of the family."""
    if not rule.startswith("primary-name"):
        return frozenset()
    spoiled: set[str] = set()
    count: dict[str, int] = {}
    for item in items:
        authors = item.get("author") or []
        for variable in NAME_VARIABLES:
            for person in (item.get(variable) or [])[:1]:
                family = _family(person)
                count[family] = count.get(family, 0) + 1
                first_author = bool(authors) and person is authors[0]
                if not first_author or not _plain_person(person):
                    spoiled.add(family)
    # a family of few items is cheaper whole than with a stand-in beside each
    spoiled.update(family for family, n in count.items() if n < least)
    return shared - spoiled


def _keys(item: dict[str, Any], all_names: bool, whole: frozenset[str] = frozenset()) -> list[str]:
    """Grouping keys: the family names disambiguation looks at; a family name outside
    ``whole`` (the names that must be seen together) goes with the item's year."""
    year = _year(item)
    keys: list[str] = []
    for person in _chosen(item, all_names):
        family = _family(person)
        keys.append(f"n:{family}" if family in whole else f"n:{family}|y:{year}")
    return keys or ["-"]  # nameless items (cited by title) all go together


class _Witnesses:
    """Per family split by year, where to find another name of the family, and another
    name with the same initials, for each name."""

    def __init__(self, items: Sequence[dict[str, Any]], split: frozenset[str]) -> None:
        self.split = split
        # exact family -> canonical name -> index of its first item
        self.names: dict[str, dict[str, int]] = {}
        # (exact family, initials) -> canonical name -> index of its first item
        self.alike: dict[tuple[str, str], dict[str, int]] = {}
        for index, item in enumerate(items):
            for person, family, initials in self._people(item):
                name = _canonical(person)
                self.names.setdefault(family, {}).setdefault(name, index)
                if initials is not None:
                    self.alike.setdefault((family, initials), {}).setdefault(name, index)

    def _people(self, item: dict[str, Any]) -> list[tuple[dict[str, Any], str, str | None]]:
        people = []
        for person in (item.get("author") or [])[:1]:
            if _family(person) in self.split:
                given = person.get("given")
                initials = _initials(given) if isinstance(given, str) else None
                people.append((person, str(person["family"]), initials))
        return people

    def needed(self, items: Sequence[dict[str, Any]], members: list[int]) -> list[int]:
        """Indexes of items whose names the run of ``members`` must also see."""
        seen: dict[str, set[str]] = {}
        seen_alike: dict[tuple[str, str], set[str]] = {}
        wanted: list[int] = []

        def add(index: int) -> None:
            for person, family, initials in self._people(items[index]):
                seen.setdefault(family, set()).add(_canonical(person))
                if initials is not None:
                    seen_alike.setdefault((family, initials), set()).add(_canonical(person))

        for index in members:
            add(index)
        for index in members:
            for person, family, initials in self._people(items[index]):
                name = _canonical(person)
                pools = [(seen.get(family, set()), self.names[family])]
                if initials is not None:
                    pools.append(
                        (seen_alike.get((family, initials), set()), self.alike[family, initials])
                    )
                for present, everywhere in pools:
                    if present - {name}:
                        continue
                    other = next((i for n, i in everywhere.items() if n != name), None)
                    if other is not None:
                        wanted.append(other)
                        add(other)
        return wanted


def _joined(keys: Sequence[list[str]]) -> dict[int, list[int]]:
    """The items (by index) that share a key, directly or through others, each group in
    index order under its root (union-find)."""
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for index, item_keys in enumerate(keys):
        for key in item_keys:
            if key in owner:
                parent[find(index)] = find(owner[key])
            else:
                owner[key] = index
    groups: dict[int, list[int]] = {}
    for index in range(len(keys)):
        groups.setdefault(find(index), []).append(index)
    return groups


def _pack(groups: list[tuple[list[int], int]], size: int) -> list[list[int]]:
    """Whole groups (indexes, and what they weigh in a run) packed first-fit, heaviest
    first, into runs weighing at most ``size`` (a heavier group alone)."""
    packed: list[list[int]] = []
    loads: list[int] = []
    open_from = 0  # every run before this one is full (a group weighs at least 1)
    for group, weight in sorted(groups, key=lambda g: g[1], reverse=True):
        for n in range(open_from, len(loads)):
            if loads[n] + weight <= size:
                packed[n].extend(group)
                loads[n] += weight
                break
        else:
            packed.append(list(group))
            loads.append(weight)
        while open_from < len(loads) and loads[open_from] >= size:
            open_from += 1
    return packed


def chunks(
    items: Sequence[dict[str, Any]],
    style_xml: str,
    size: int = CHUNK,
    plain_size: int = PLAIN_CHUNK,
    split_least: int = SPLIT_LEAST,
    *,
    entries_only: frozenset[int] | None = None,
) -> list[Chunk]:
    """``items`` in runs no two of which hold items that could be confused, with the
    stand-ins each run needs; items that can be confused with none in runs of their own.

    ``entries_only``: the bibliography alone is wanted (no citation), so an item goes to
    a run without disambiguation wherever nothing disambiguation decides can reach its
    entry (:mod:`mesorefs.render.reach`); the set holds the indexes of items that need
    the engine's disambiguation whatever it decides (a correction reads it)."""
    # under a global rule, the stress set of format_split_diff.py still differs (editors
    # and directors given year suffixes a whole run does not give): not used there yet
    if entries_only is not None and disambiguation_rule(style_xml) is None:
        return _entry_chunks(items, style_xml, size, plain_size, split_least, entries_only)
    rule = disambiguation_rule(style_xml) or "primary-name"
    all_names = rule.startswith("all-names")
    shared = _shared_families(items, all_names)
    split = _split_families(items, shared, rule, split_least)
    whole = shared - split  # once: it is as long as the bibliography's shared names
    groups = _joined([_keys(item, all_names, whole) for item in items])
    confusable: list[list[int]] = []
    plain: list[list[int]] = []
    for group in groups.values():
        alone = len(group) == 1 and not any(
            _family(p) in shared for p in _chosen(items[group[0]], all_names)
        )
        (plain if alone else confusable).append(group)
    witnesses = _Witnesses(items, split)

    def needed(members: list[int]) -> list[int]:
        return list(dict.fromkeys(witnesses.needed(items, members))) if split else []

    # a run's stand-ins cost the engine as much as its members
    weighed = [(group, len(group) + len(needed(group))) for group in confusable]
    runs = [Chunk(members, needed(members)) for members in _pack(weighed, size)]
    runs += [
        Chunk(members, disambiguate=False)
        for members in _pack([(group, len(group)) for group in plain], plain_size)
    ]
    return runs


def stand_in(item: dict[str, Any], number: int, year: int) -> dict[str, Any]:
    """A copy of ``item`` for :attr:`Chunk.witnesses`: its names as they are, its own id
    (``number``) and a year (``year``) that no member of its run has."""
    return {**item, "id": f"{item['id']}~{number}", "issued": {"date-parts": [[year]]}}


def free_year(items: Sequence[dict[str, Any]]) -> int:
    """A year after every year of ``items``."""
    years = [int(y) for y in (_year(i) for i in items) if y.lstrip("-").isdigit()]
    return max([*years, 0]) + 1


@lru_cache(maxsize=32)
def without_disambiguation(style_xml: str) -> str:
    """The style with its citation's disambiguation taken off (for runs of items that
    can be confused with no other)."""
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    citation = root.find(f"{_NS}citation")
    if citation is not None:
        for attr in [a for a in citation.attrib if a.startswith("disambiguate-")]:
            del citation.attrib[attr]
        citation.attrib.pop("givenname-disambiguation-rule", None)
    return ElementTree.tostring(root, encoding="unicode")


def drop_disambiguation(root: ElementTree.Element) -> None:
    """Take disambiguation and author substitution off a style's citation and
    bibliography: a run that only sorts or writes keys must not change names."""
    for element in (root.find(f"{_NS}citation"), root.find(f"{_NS}bibliography")):
        if element is None:
            continue
        for attr in [a for a in element.attrib if a.startswith("disambiguate-")]:
            del element.attrib[attr]
        element.attrib.pop("givenname-disambiguation-rule", None)
        element.attrib.pop("subsequent-author-substitute", None)


def sort_only_style(style_xml: str) -> str:
    """The style with its bibliography sort kept and each entry reduced to the item's id."""
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    drop_disambiguation(root)
    bibliography = root.find(f"{_NS}bibliography")
    if bibliography is not None:
        layout = bibliography.find(f"{_NS}layout")
        if layout is not None:
            bibliography.remove(layout)
        layout = ElementTree.SubElement(bibliography, f"{_NS}layout")
        ElementTree.SubElement(layout, f"{_NS}text", {"variable": SORT_CARRIER})
    return ElementTree.tostring(root, encoding="unicode")


def _people(item: dict[str, Any]) -> list[dict[str, Any]]:
    """Every name of every name list of ``item``."""
    return [
        p
        for value in item.values()
        if isinstance(value, list)
        for p in value
        if isinstance(p, dict)
    ]


def _carried(items: Sequence[dict[str, Any]]) -> frozenset[str]:
    """Family names that more than one name carries, over every list: a name hint (see
    reach.py) needs another name of its family."""
    names: dict[str, set[str]] = {}
    for item in items:
        for person in _people(item):
            names.setdefault(_family(person), set()).add(_canonical(person))
    return frozenset(family for family, seen in names.items() if len(seen) > 1)


def _entry_chunks(
    items: Sequence[dict[str, Any]],
    style_xml: str,
    size: int,
    plain_size: int,
    split_least: int,
    pinned: frozenset[int],
) -> list[Chunk]:
    """:func:`chunks` for a bibliography alone.  What disambiguation decides for an item
    reaches its entry only through the channels of :func:`reach.reach`: a global name
    hint (for a name of a family another name carries), or a decision made for a group
    of identical cites, which needs a group (items sharing a key, as :func:`chunks`
    groups them).  An item reached by neither goes to a run without disambiguation."""
    found = reach.reach(style_xml)
    rule = disambiguation_rule(style_xml)
    all_names = rule is not None and rule.startswith("all-names")
    carried = _carried(items)

    def hinted(index: int) -> bool:
        return any(_family(p) in carried for p in reach.hint_names(found, items[index]))

    hints = {n for n in range(len(items)) if hinted(n)}
    shared = _shared_families(items, all_names) if rule is not None else frozenset()
    if rule is None:  # no global hints: a family goes whole, and cites may lack the year
        whole = frozenset(_family(p) for item in items for p in _chosen(item, False))
        split: frozenset[str] = frozenset()
    else:
        # a family no hint reaches splits by year at any size: its items that share
        # no year with another go to runs without disambiguation
        reached = {_family(p) for n in hints for p in _chosen(items[n], all_names)}
        count: dict[str, int] = {}
        for n in hints:
            for variable in NAME_VARIABLES:
                for person in (items[n].get(variable) or [])[:1]:
                    count[_family(person)] = 0
        for item in items:
            for variable in NAME_VARIABLES:
                for person in (item.get(variable) or [])[:1]:
                    family = _family(person)
                    if family in count:
                        count[family] += 1
        few = {family for family, n in count.items() if n < split_least}
        split = _split_families(items, shared, rule, 1) - (reached & few)
        whole = shared - split
    keys: list[list[str]] = []
    for item in items:
        # a cite may print the names of a list the fixes do not look at (a director's)
        others = [
            f"n:{_family(value[0])}"
            for variable, value in item.items()
            if variable not in NAME_VARIABLES
            and isinstance(value, list)
            and value
            and isinstance(value[0], dict)
        ]
        keys.append(_keys(item, all_names, whole) + others)
    groups = _joined(keys)
    confusable: list[list[int]] = []
    plain: list[list[int]] = []
    for group in groups.values():
        needs = any(n in pinned for n in group)
        if rule is not None:
            needs = needs or any(n in hints for n in group)
        if len(group) > 1:
            needs = needs or any(n in hints or reach.decided(found, items[n]) for n in group)
        (confusable if needs else plain).append(group)
    witnesses = _Witnesses(items, split)

    def needed(members: list[int]) -> list[int]:
        return list(dict.fromkeys(witnesses.needed(items, members))) if split else []

    weighed = [(group, len(group) + len(needed(group))) for group in confusable]
    runs = [Chunk(members, needed(members)) for members in _pack(weighed, size)]
    # nothing decided for one reaches another's entry: a plain group may go apart
    alone = [([index], 1) for group in plain for index in group]
    runs += [Chunk(members, disambiguate=False) for members in _pack(alone, plain_size)]
    return runs
