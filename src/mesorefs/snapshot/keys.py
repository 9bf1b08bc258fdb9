"""Exact lookup keys of a record, and the keys a reference string could match (pure).

Before the bibliographic search (BM25 over every word), the snapshot looks a string up
by keys, which costs a few lookups in the index's term dictionary instead of scoring
long posting lists:

* ``t <first three words of the title> <year>``, normalized as searches are;
* ``n <volume> <first page> <year>`` (each one word holding a digit);
* ``a <first author's surname> <first page> <year>`` (the last word of the surname),
  for the styles that print neither title nor volume.

A record has at most one of each; a string has one title key per run of three words
and year it prints, one number key per volume and page it could print (a word holding
a digit and one of the :data:`NUMBER_SPAN` next such words) and year, and one author
key per name among its first :data:`LEADING_NAMES` words, page and year.
Keys only propose candidates: every candidate is scored as the search's are, and a
string whose keys find no match is searched as before.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from mesorefs.resolve.similarity import normalize_text

__all__ = [
    "LEADING_NAMES",
    "MAX_STRING_KEYS",
    "NUMBER_SPAN",
    "NUMBER_WORDS",
    "keys_of_raw",
    "record_keys",
    "string_keys",
]

NUMBER_SPAN = 3
"""A page is one of the next this many numbers after a volume (``12.3 (2001): 345``)..."""
NUMBER_WORDS = 6
"""... within this many words (``vol. 12, no. 3, pp. 345``)."""
LEADING_NAMES = 3
"""The first author's surname is among the string's first this many names (words of
two letters or more without a digit)."""
MAX_STRING_KEYS = 400
"""A string longer than any reference gives no more keys than this."""

_YEAR = re.compile(r"(1[5-9]|20)\d\d")
_DIGIT = re.compile(r"\d")


def _number(word: str) -> bool:
    return _DIGIT.search(word) is not None


def _first_word(value: str) -> str:
    words = normalize_text(value).split()
    return words[0] if words else ""


def record_keys(
    title: str, year: int | None, volume: str, page: str, surname: str = ""
) -> list[str]:
    """The keys of a record with this title, year, volume, page (range) and first
    author's surname."""
    if year is None or not _YEAR.fullmatch(str(year)):
        return []
    keys = []
    words = normalize_text(title).split()
    if len(words) >= 3:
        keys.append(f"t {' '.join(words[:3])} {year}")
    volume_words = normalize_text(volume).split()
    first = _first_word(re.split(r"[-–—]", page, maxsplit=1)[0]) if page else ""
    if not first or not _number(first):
        return keys
    if len(volume_words) == 1 and _number(volume_words[0]):
        keys.append(f"n {volume_words[0]} {first} {year}")
    names = normalize_text(surname).split()
    if names and _name(names[-1]):
        keys.append(f"a {names[-1]} {first} {year}")
    return keys


def _name(word: str) -> bool:
    return len(word) >= 2 and not _number(word)


def _first(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value and value[0] is not None else ""
    return str(value) if value is not None else ""


def _crossref_year(item: Mapping[str, Any]) -> int | None:
    for key in ("issued", "published", "published-print", "published-online"):
        try:
            year = item[key]["date-parts"][0][0]
        except (KeyError, IndexError, TypeError):
            continue
        if isinstance(year, int) and not isinstance(year, bool):
            return year
        if isinstance(year, str) and year.isdigit():
            return int(year)
    return None


def _surname(people: Any, family: str, whole: str) -> str:
    """The surname of the first person of a list of objects (``family``), or the last
    word of the whole name (``whole``)."""
    if not isinstance(people, list) or not people or not isinstance(people[0], Mapping):
        return ""
    person = people[0]
    return _first(person.get(family)) if family else _first(person.get(whole))


def keys_of_raw(source: str, raw: str) -> list[str]:
    """The keys of a snapshot record from its stored JSON (``crossref`` or ``openalex``);
    none for JSON that is not a work."""
    try:
        item = json.loads(raw)
    except ValueError:
        return []
    if not isinstance(item, Mapping):
        return []
    if source == "crossref":
        return record_keys(
            _first(item.get("title")),
            _crossref_year(item),
            _first(item.get("volume")),
            _first(item.get("page")),
            _surname(item.get("author") or item.get("editor"), "family", ""),
        )
    biblio = item.get("biblio") if isinstance(item.get("biblio"), Mapping) else {}
    year = item.get("publication_year")
    authorships = item.get("authorships")
    first_author = (
        authorships[0].get("author")
        if isinstance(authorships, list) and authorships and isinstance(authorships[0], Mapping)
        else None
    )
    return record_keys(
        _first(item.get("title") or item.get("display_name")),
        year if isinstance(year, int) and not isinstance(year, bool) else None,
        _first((biblio or {}).get("volume")),
        _first((biblio or {}).get("first_page")),
        _surname([first_author], "", "display_name"),
    )


def string_keys(text: str) -> list[str]:
    """Every key a record printed in the reference string ``text`` could have."""
    words = normalize_text(text).split()
    numbers = [i for i, word in enumerate(words) if _DIGIT.search(word)]
    years = list(dict.fromkeys(words[i] for i in numbers if _YEAR.fullmatch(words[i])))
    if not years:
        return []
    keys: list[str] = []
    runs = [" ".join(words[i : i + 3]) for i in range(len(words) - 2) if not words[i].isdigit()]
    pairs = [
        f"{words[a]} {words[b]}"
        for n, a in enumerate(numbers)
        for b in numbers[n + 1 : n + 1 + NUMBER_SPAN]
        if b - a <= NUMBER_WORDS
    ]
    names = [w for w in words[:12] if _name(w)][:LEADING_NAMES]
    pages = list(dict.fromkeys(words[i] for i in numbers))
    for year in years:
        keys.extend(f"t {run} {year}" for run in runs)
        keys.extend(f"n {pair} {year}" for pair in pairs)
        keys.extend(f"a {name} {page} {year}" for name in names for page in pages)
    return list(dict.fromkeys(keys))[:MAX_STRING_KEYS]
