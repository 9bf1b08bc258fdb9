"""The citation label of a label style (``[AgKR93]``), as citeproc-js makes it.

CSL leaves ``citation-label`` to the processor when the item has none.  citeproc-js
builds it from the first name variable the item has (author, then chair, editor, ...,
in :data:`NAME_VARIABLES` order), its "trigraph": the first four letters of one name,
two of each of two names, two of the first and one of each other of three names, one
of each of the first four names of four or more; then the last two digits of the year
(``00`` without one).  Each name part is the family name (or the literal name) less
lower-case particles written in it, a leading "a", "an" or "the", and what is not a
letter; its first letter capital, the rest small.  An item without names takes the
first four letters of its title, short words left out.  pandoc's citeproc takes two
letters of each of three names (``AgKlRa93``) and something else again for a work
without names, so the bibliography of a label style, sorted by its labels, came out
in another order (issue 28's wide bench: din-1505-2-alphanumeric,
american-mathematical-society-label).  :func:`prepare_items` gives the engine the
label citeproc-js would write, where the item has none of its own.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["NAME_VARIABLES", "ROMANESQUE", "citation_label", "prepare_items", "uses_labels"]

NAME_VARIABLES = (
    "author chair collection-editor compiler composer container-author contributor "
    "curator director editor editor-translator editorial-director executive-producer "
    "guest host illustrator interviewer narrator organizer original-author performer "
    "producer recipient reviewed-author script-writer series-creator translator "
    "commenter"
).split()
"""The name variables in the order citeproc-js looks for a label's names."""

# letters per name, by how many names the item has (four and more: the last)
_LETTERS = ((4,), (2, 2), (2, 1, 1), (1, 1, 1, 1))
_YEAR_DIGITS = 2
ROMANESQUE = (
    "a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4"
    "\u05d6-\u05ff\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218-\u021b\u202a-\u202e"
)
"""What citeproc-js calls "romanesque", as a regular expression's character class:
Latin (with Latin-1 and Extended-A), Greek, Cyrillic, Hebrew, Arabic and Thai letters
and a few joiners; what it keeps of a name in a label."""
_NOT_A_LETTER = re.compile(f"[^{ROMANESQUE}]")
_PARTICLES = re.compile(r"^([ '\u2019a-z]+\s+)")
_ARTICLE = re.compile(r"^(a\s+|the\s+|an\s+)")
# the words citeproc-js leaves out of a title that stands in for the names
_SHORT_WORDS = frozenset(
    "about above across afore after against al along alongside amid amidst among amongst "
    "anenst apropos apud around as aside astride at athwart atop barring before behind "
    "below beneath beside besides between beyond but by circa despite down during et "
    "except for forenenst from given in inside into lest like modulo near next "
    "notwithstanding of off on onto out over per plus pro qua sans since than through "
    "throughout thruout till to toward towards under underneath until unto up upon "
    "versus vs. v. vs v via vis-à-vis with within without or yet so and nor a an the de "
    "d' von van c ca".split()
)
_TITLE_LETTERS = 4


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:].lower()


def _name_part(person: Any) -> str | None:
    """What of one name goes into the label ("" when nothing is left, None when the
    name has neither a family name nor a literal one)."""
    if not isinstance(person, dict):
        return None
    if person.get("family"):
        name = _PARTICLES.sub("", str(person["family"]))
    elif person.get("literal"):
        name = str(person["literal"])
    else:
        return None
    article = _ARTICLE.match(name.lower())
    if article:
        name = name[len(article.group(1)) :]
    return _NOT_A_LETTER.sub("", name)


def _from_names(item: dict[str, Any]) -> tuple[str, int] | None:
    """The names' part of the label and how many names there are, from the first name
    variable the item has; None when it has none."""
    for variable in NAME_VARIABLES:
        names = item.get(variable)
        if not names or not isinstance(names, list):
            continue
        letters = _LETTERS[min(len(names), len(_LETTERS)) - 1]
        label = ""
        for person, count in zip(names, letters, strict=False):
            part = _name_part(person)
            if part is None:
                continue
            if not part:
                break
            label += _capitalized(part[:count])
        return label, len(names)
    return None


def _from_title(item: dict[str, Any]) -> str:
    title = item.get("title")
    if not isinstance(title, str):
        return ""
    words = [w for w in title.split() if w not in _SHORT_WORDS]
    return _capitalized("".join(words)[:_TITLE_LETTERS])


def _year(item: dict[str, Any]) -> str:
    issued = item.get("issued")
    year = "0000"
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            first = parts[0][0]
            if isinstance(first, (int, str)) and str(first).strip():
                year = str(first).strip()
    return year[-_YEAR_DIGITS:]


def citation_label(item: dict[str, Any]) -> str:
    """The label citeproc-js gives a CSL-JSON item that has none: ``AgKR93``."""
    named = _from_names(item)
    label = named[0] if named else ""
    if not label:
        label = _from_title(item)
    return label + _year(item)


def uses_labels(style_xml: str) -> bool:
    """Whether the style prints or sorts by ``citation-label``."""
    return 'variable="citation-label"' in style_xml


def prepare_items(items: list[dict[str, Any]], style_xml: str) -> list[dict[str, Any]]:
    """The items, each with the citation label citeproc-js would write unless it has
    one of its own, for a style that uses labels; the items as given for another."""
    if not uses_labels(style_xml):
        return items
    return [
        item if item.get("citation-label") else {**item, "citation-label": citation_label(item)}
        for item in items
    ]
