"""Author and editor strings to :class:`~mesorefs.models.Person` lists.

Handles inverted names (``Shea, M. J.``), natural order (``M.J. Shea``,
``John Smith``), Vancouver (``Pérez-Higueras JJ``), initials without
periods (``AM Rotunda``), ``;``-separated lists, ``and``/``&`` joins,
``et al.`` and group authors.
"""

from __future__ import annotations

import re

from mesorefs.models import Person

__all__ = ["format_initials", "is_initials", "parse_names"]

_ET_AL = re.compile(r"\bet\.?\s*al\b\.?|\band others\b|\bu\.\s*a\.|\[?…\]?|\.\.\.", re.IGNORECASE)
_EDITOR_MARK = re.compile(
    r"\(\s*(?:eds?|hrsg|dir|coord|trans)\.?\s*\)|\b(?:eds?|editors?|hrsg|edited by|ed\. by)\b\.?|"
    r"^\s*in:?\s+",
    re.IGNORECASE,
)
_JOIN = re.compile(r"\s*(?:,?\s+(?:and|und|et|y|e|&)\s+|\s*&\s*)", re.IGNORECASE)
_INITIAL_TOKEN = re.compile(r"^(?:[A-ZÀ-Þ](?:[a-z]|h)?\.?-?){1,4}$")
_ORG_WORDS = re.compile(
    r"\b(?:organi[sz]ation|society|group|committee|consortium|collaboration|association|"
    r"institute|council|agency|department|ministry|office|bureau|center|centre|foundation|"
    r"university|board|network|team|project|inc|ltd|corporation|company|commission|who)\b",
    re.IGNORECASE,
)
_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "du",
        "la",
        "le",
        "ten",
        "ter",
        "dos",
        "das",
        "zu",
        "vander",
    ]
)


def is_initials(token: str) -> bool:
    """``M.``, ``MJ``, ``M.J.``, ``J.-P.``: a token made only of initials."""
    core = token.strip(",;")
    if not core:
        return False
    if core.isupper() and core.isalpha() and len(core) <= 3:
        return True
    return bool(_INITIAL_TOKEN.match(core)) and ("." in core or len(core) == 1)


def format_initials(text: str) -> str:
    """``AM`` -> ``A. M.``; ``M.J.`` -> ``M. J.``; other given names are kept."""
    parts: list[str] = []
    for token in text.split():
        core = token.strip(",;")
        if core.isupper() and core.isalpha() and len(core) <= 3:
            parts.extend(f"{ch}." for ch in core)
        elif "." in core and "-" not in core and all(len(p) <= 2 for p in core.split(".") if p):
            parts.extend(f"{p}." for p in core.split(".") if p)
        else:
            parts.append(core)
    return " ".join(parts)


def _person(text: str) -> Person | None:
    text = text.strip(" ,;:.")
    if not text or not any(ch.isalpha() for ch in text):
        return None
    if "," in text:
        family, _, given = text.partition(",")
        family, given = family.strip(), given.strip(" ,.")
        if not family:
            return None
        return _with_particle(family, format_initials(given) if given else None)
    tokens = text.split()
    if len(tokens) == 1:
        return Person(family=tokens[0])
    if len(tokens) > 5 or _ORG_WORDS.search(text):
        return Person(literal=text)
    if is_initials(tokens[-1]) and not is_initials(tokens[0]):
        # Vancouver: family first, initials last.
        return _with_particle(" ".join(tokens[:-1]), format_initials(tokens[-1]))
    k = 0
    while k < len(tokens) - 1 and is_initials(tokens[k]):
        k += 1
    if k:
        return _with_particle(" ".join(tokens[k:]), format_initials(" ".join(tokens[:k])))
    # Natural order: the family name is the last word with its particles.
    j = len(tokens) - 1
    while j > 1 and tokens[j - 1].lower() in _PARTICLES:
        j -= 1
    given = " ".join(tokens[:j])
    return _with_particle(" ".join(tokens[j:]), format_initials(given) or None)


def _with_particle(family: str, given: str | None) -> Person:
    words = family.split()
    k = 0
    while k < len(words) - 1 and words[k].lower() in _PARTICLES and words[k][0].islower():
        k += 1
    particle = " ".join(words[:k]) or None
    return Person(family=" ".join(words[k:]), given=given or None, particle=particle)


def _looks_given(piece: str) -> bool:
    tokens = piece.split()
    return bool(tokens) and all(is_initials(t) for t in tokens)


def parse_names(text: str) -> tuple[list[Person], bool]:
    """People named in an author or editor string, and whether it said ``et al.``."""
    text = " ".join(text.split())
    et_al = bool(_ET_AL.search(text))
    text = _ET_AL.sub(" ", text)
    text = _EDITOR_MARK.sub(" ", text)
    text = text.strip(" ,;:.()[]")
    if not text:
        return [], et_al
    if ";" in text:
        pieces = [p for p in (s.strip() for s in re.split(r";", text)) if p]
        people = []
        for piece in pieces:
            for sub in _JOIN.split(piece):
                person = _person(sub)
                if person:
                    people.append(person)
        return people, et_al
    chunks = [c for c in _JOIN.split(text) if c.strip()]
    pieces = []
    for chunk in chunks:
        pieces.extend(p.strip() for p in chunk.split(",") if p.strip())
    people = []
    i = 0
    # Inverted lists ("Family, Given, Family, Given") pair up family and given pieces.
    commas = [c.strip() for c in text.split(",")]
    first_words = commas[0].split()
    inverted = (
        len(commas) >= 2
        and 0 < len(first_words) <= 3
        and not any(is_initials(t) for t in first_words)
        and (_looks_given(commas[1]) or 0 < len(commas[1].split()) <= 2)
        and not _JOIN.match(", " + commas[1])
    )
    while i < len(pieces):
        piece = pieces[i]
        nxt = pieces[i + 1] if i + 1 < len(pieces) else None
        pair = (
            nxt is not None
            and inverted
            and not _looks_given(piece)
            and (i == 0 or _looks_given(nxt))
        )
        if pair:
            person = _person(f"{piece}, {nxt}")
            i += 2
        else:
            person = _person(piece)
            i += 1
        if person:
            people.append(person)
    return people, et_al
