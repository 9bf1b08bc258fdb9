"""Compare an entry with the record of its work, field by field, with the tolerances (pure).

Two questions, kept apart:

* :func:`same_work`: is this record the work the entry means at all (its title, or for
  an entry without one, the structured score of :mod:`mesorefs.resolve.match`)?
* :func:`differences`: which of the entry's fields describe that work wrongly
  (title, authors, year, venue, volume, pages), each with the record's value and the
  fix that would make the entry agree.

What is tolerated, so that an entry written as people write it is not accused:

* case, accents, LaTeX markup and punctuation (all compared normalized);
* a title without its subtitle, or with it when the record has none;
* initials for given names, a shortened author list ("and others", or simply the first
  few), surnames with particles or accents spelled differently;
* a year one off (online first against the issue), a preprint up to
  :data:`PREPRINT_YEARS` years before its published version, any year for a book
  (editions and reprints);
* an abbreviated venue (``J. Biol. Chem.``, ``PNAS``), a preprint server against the
  journal that published the work; volume and pages are not compared then.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.resolve.match import (
    THRESHOLD,
    container_similarity,
    normalize_text,
    score_reference,
    surname_key,
    title_similarity,
)

__all__ = [
    "FIELDS",
    "PREPRINT_YEARS",
    "FieldDifference",
    "differences",
    "is_preprint",
    "same_work",
    "title_agrees",
]

FIELDS = ("title", "authors", "year", "venue", "volume", "pages")
"""The fields compared, in the order they are reported."""

PREPRINT_YEARS = 3
"""How many years a preprint may come before the published version it is checked against."""

SAME_WORK_TITLE = 0.75
"""From this title similarity on, a record is taken for the entry's work (and its other
differences are then errors of description, not another work)."""

TITLE_AGREES = 0.9
"""From this title similarity on, a title describes the record correctly."""

_BOOKISH = frozenset({"book", "chapter", "thesis", "report", "entry", "entry-encyclopedia"})
_PREPRINT_WORDS = ("arxiv", "biorxiv", "medrxiv", "ssrn", "preprint", "chemrxiv", "psyarxiv")
_PREPRINT_PREFIXES = ("10.48550/", "10.1101/", "10.2139/ssrn", "10.26434/chemrxiv")


@dataclass(frozen=True)
class FieldDifference:
    """One field the entry describes wrongly: what it says, what the record says, the fix.

    ``fix`` maps mesorefs field names to the values that would correct the entry (None:
    no safe fix, e.g. an author list the record gives only in part).
    """

    field: str
    entry: str
    record: str
    fix: dict[str, Any] | None = None
    detail: str = ""

    def describe(self) -> str:
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.field}: the entry has {self.entry!r}, the record {self.record!r}{detail}"


def _venue(ref: Reference) -> str:
    return ref.container_title or ref.container_title_short or ""


def is_preprint(ref: Reference) -> bool:
    """Is ``ref`` a preprint (an arXiv id without another venue, a preprint server or DOI)?"""
    doi = (ref.doi or "").lower()
    if doi.startswith(_PREPRINT_PREFIXES):
        return True
    venue = _venue(ref).lower()
    if any(word in venue for word in _PREPRINT_WORDS):
        return True
    if ref.type in ("posted-content", "article") and not venue and ref.arxiv:
        return True
    return bool(ref.arxiv) and not venue


def _main_title(title: str) -> str:
    """A title without its subtitle (the part before the first colon, dash or question mark)."""
    return re.split(r"[:?!]|\s[-–—]\s|\.\s", title, maxsplit=1)[0]


def title_agrees(entry_title: str, record_title: str, truncated: bool = False) -> float:
    """How well the entry's title names the record's, in [0, 1]: the similarity of the
    whole titles, or of a title and the other's main title (a subtitle left out).  HTML
    character references (``&#x00F3;``, ``&lt;sup&gt;``) are read as what they stand for."""
    entry_title, record_title = html.unescape(entry_title), html.unescape(record_title)
    whole = title_similarity(entry_title, record_title, truncated)
    if whole >= TITLE_AGREES:
        return whole
    best = whole
    pairs = ((_main_title(entry_title), record_title), (entry_title, _main_title(record_title)))
    for a, b in pairs:
        na, nb = normalize_text(a), normalize_text(b)
        if len(na.split()) >= 3 and na == nb:
            best = max(best, TITLE_AGREES)
    return best


def same_work(entry: Reference, record: Reference) -> bool:
    """Is ``record`` the work ``entry`` names (however wrongly it describes it)?

    With both titles: the titles must be close (:data:`SAME_WORK_TITLE`).  Without a
    title on one side: the structured score of the two must reach the match threshold.
    """
    if entry.title and record.title:
        truncated = "title" in entry.truncated
        return title_agrees(entry.title, record.title, truncated) >= SAME_WORK_TITLE
    return score_reference(entry, record).score >= THRESHOLD


def _keys(people: Sequence[Person]) -> list[frozenset[str]]:
    """Each person's surname keys: the family name (or the literal name), and for one of
    several words (a whole name put in the family field, a double surname) each word; for a
    family name of one or two letters (an initial: a name written in the wrong order),
    the given name's words too."""
    keys = []
    for person in people:
        name = person.family or person.literal or ""
        whole = surname_key(name)
        if not whole or whole == "others":
            continue
        words = [surname_key(w) for w in normalize_text(name).split()]
        if len(whole) <= 2 and person.given:
            # "Swathika R" read as given "Swathika", family "R": the order is the other.
            words += [surname_key(w) for w in normalize_text(person.given).split()]
            words.append(surname_key(person.given))
        keys.append(frozenset([whole, *(w for w in words if len(w) >= 2)]))
    return keys


def _surnames_match(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) >= 4 and len(b) >= 4 and (a in b or b in a):
        return True  # a particle or a second surname: "vanderberg" / "berg"
    if len(a) >= 5 and abs(len(a) - len(b)) <= 2:
        return title_similarity(a, b) >= 0.85
    return False


def _found(key: frozenset[str], among: Sequence[frozenset[str]]) -> bool:
    return any(_surnames_match(a, b) for other in among for a in key for b in other)


def _names_text(people: Sequence[Person], limit: int = 6) -> str:
    names = [p.sort_name for p in people[:limit]]
    more = ", ..." if len(people) > limit else ""
    return "; ".join(names) + more


def _author_difference(entry: Reference, record: Reference) -> FieldDifference | None:
    ours, theirs = _keys(entry.authors), _keys(record.authors)
    if not ours or not theirs:
        return None
    found = [_found(k, theirs) for k in ours]
    first_ok = _found(ours[0], theirs[:2])
    missing = [p for p, ok in zip(entry.authors, found, strict=False) if not ok]
    problems = []
    if not first_ok:
        problems.append("first author not the record's")
    if sum(found) * 2 < len(ours):
        problems.append("fewer than half the authors are the record's")
    elif len(missing) >= 2:
        problems.append(f"{len(missing)} authors not the record's")
    if not problems:
        return None
    return FieldDifference(
        "authors",
        _names_text(entry.authors),
        _names_text(record.authors),
        {"authors": list(record.authors)},
        "; ".join(problems),
    )


def _year_difference(entry: Reference, record: Reference) -> FieldDifference | None:
    if entry.year is None or record.year is None:
        return None
    gap = entry.year - record.year
    if abs(gap) <= 1:
        return None  # online first against the issue
    if entry.type in _BOOKISH or record.type in _BOOKISH or entry.edition:
        return None  # editions and reprints
    if (is_preprint(entry) or is_preprint(record)) and abs(gap) <= PREPRINT_YEARS:
        return None  # a preprint against its published version (or another server's copy)
    return FieldDifference(
        "year",
        str(entry.year),
        str(record.year),
        {"issued": PartialDate(year=record.year)},
        f"{abs(gap)} years apart",
    )


def _acronym(text: str) -> str:
    return "".join(w[0] for w in normalize_text(text).split() if w not in {"of", "the", "and"})


_VENUE_STOP = frozenset({"of", "the", "and", "in", "on", "for", "de", "la", "und", "der", "et"})
_CONFERENCE = frozenset({"paper-conference", "chapter", "entry", "entry-encyclopedia"})


def _venue_words(text: str) -> list[str]:
    return [w for w in normalize_text(text).split() if w not in _VENUE_STOP]


def _shortens(short: str, word: str) -> bool:
    """Is ``short`` an abbreviation of ``word``: a prefix, or its letters in order from
    the same first letter (``natl`` of ``national``)?"""
    if word.startswith(short):
        return True
    if len(short) < 3 or short[0] != word[0]:
        return False
    rest = iter(word[1:])
    return all(ch in rest for ch in short[1:])


def _abbreviates(ours: str, theirs: str) -> bool:
    """Does ``ours`` abbreviate ``theirs`` word by word, in order (``Proc Natl Acad Sci
    USA`` of ``Proceedings of the National Academy of Sciences``)?"""
    short, full = _venue_words(ours), _venue_words(theirs)
    if not short or not full:
        return False
    matched, j = 0, 0
    for word in short:
        k = j
        while k < len(full) and not _shortens(word, full[k]):
            k += 1
        if k < len(full):
            matched += 1
            j = k + 1
    return matched >= 0.8 * len(short) and matched >= 0.6 * len(full)


def _venue_difference(entry: Reference, record: Reference) -> FieldDifference | None:
    ours = _venue(entry)
    names = [v for v in (record.container_title, record.container_title_short) if v]
    if not ours or not names:
        return None
    cut = "container_title" in entry.truncated
    best = max(container_similarity(ours, name, cut) for name in names)
    if best >= 0.8 or any(_abbreviates(ours, name) for name in names):
        return None
    compact = normalize_text(ours).replace(" ", "")
    if len(compact) >= 3 and any(compact == _acronym(name) for name in names):
        return None  # "PNAS"
    # Proceedings go by many names ("Proc. CVPR", "CVPR 2019"): one shared word will do.
    conference = record.type in _CONFERENCE or entry.type in _CONFERENCE
    if conference and any(set(_venue_words(ours)) & set(_venue_words(n)) for n in names):
        return None
    return FieldDifference(
        "venue",
        ours,
        names[0],
        {"container_title": names[0]},
        f"similarity {best:.2f}",
    )


def _first_page(pages: str | None) -> str | None:
    match = re.match(r"\s*([A-Za-z]?\d+[A-Za-z]?)", pages or "")
    return match.group(1).lower().lstrip("0") if match else None


def _number_differences(entry: Reference, record: Reference) -> list[FieldDifference]:
    found = []
    if (
        entry.volume
        and record.volume
        and normalize_text(entry.volume) != normalize_text(record.volume)
    ):
        found.append(
            FieldDifference("volume", entry.volume, record.volume, {"volume": record.volume})
        )
    ours, theirs = _first_page(entry.pages), _first_page(record.pages)
    if ours and theirs and ours != theirs:
        found.append(
            FieldDifference("pages", entry.pages or "", record.pages or "", {"pages": record.pages})
        )
    return found


def differences(entry: Reference, record: Reference) -> list[FieldDifference]:
    """The fields ``entry`` describes ``record`` wrongly, in :data:`FIELDS` order.

    Only fields both sides have are compared; see the module docstring for what is
    tolerated.  When the entry or the record is a preprint, they are compared on title,
    authors and year only.
    """
    found: list[FieldDifference] = []
    if entry.title and record.title:
        sim = title_agrees(entry.title, record.title, "title" in entry.truncated)
        if sim < TITLE_AGREES:
            found.append(
                FieldDifference(
                    "title",
                    entry.title,
                    record.title,
                    {"title": record.title},
                    f"similarity {sim:.2f}",
                )
            )
    for check in (_author_difference, _year_difference):
        difference = check(entry, record)
        if difference is not None:
            found.append(difference)
    if is_preprint(entry) or is_preprint(record):
        return found  # a preprint has no journal, volume or pages to compare
    venue = _venue_difference(entry, record)
    if venue is not None:
        found.append(venue)
    found.extend(_number_differences(entry, record))
    return found
