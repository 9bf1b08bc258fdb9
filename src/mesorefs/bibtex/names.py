"""BibTeX name lists <-> ``Person``.

Splitting follows BibTeX's own rules (``and`` at brace depth 0, ``von
Last, Jr, First``) through bibtexparser's name functions; the parts are
then turned into Unicode.  Writing gives ``Family, Given and ...`` with
organisations braced as one unit.

Names are read into plain parts (:class:`~mesorefs.name_parts.NameParts`, checked as
``Person`` checks them): ``tidy`` writes them back without loading pydantic, and
:func:`parse_names` makes the ``Person`` models of them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from mesorefs.bibtex.latex import (
    latex_to_unicode,
    read_recurring,
    unicode_to_latex,
    write_recurring,
)
from mesorefs.lazy_re import lazy
from mesorefs.name_parts import InvalidName, NameParts, name_parts

if TYPE_CHECKING:
    from mesorefs.models import Person

__all__ = ["format_names", "model_error", "parse_names", "parts_of_names"]


def _is_braced_unit(name: str) -> bool:
    """``{World Health Organization}``: one group spanning the whole name."""
    if not (name.startswith("{") and name.endswith("}")):
        return False
    depth = 0
    for i, char in enumerate(name):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and i != len(name) - 1:
                return False
    return True


def _join(parts: list[str]) -> str | None:
    text = read_recurring(" ".join(parts))
    return text or None


# An accent group such as {\"u} or {\'\i}: it never changes how a name splits.
_ACCENT_GROUP = lazy(r"\{\\[^{}]*(?:\{[^{}]*\}[^{}]*)?\}")
_PLAIN = lazy(r"[^{}\\,]+")
# BibTeX's separator: "and" in any case between its four whitespace characters.
# (?!(?<=B)B) first: a match starts only at the first blank of a run (the same matches;
# tried from every blank of a long run, the pattern took time quadratic in its length)
_AND = lazy(r"(?!(?<=[ \t\r\n])[ \t\r\n])[ \t\r\n]+and[ \t\r\n]+", re.IGNORECASE)
_BRACE = lazy(r"[{}]")
_ESCAPED_SPACE_OR_BRACE = lazy(r"\\[ \t\r\n{}]")


# A family name braced whole, with plain words inside: one unit, as BibTeX reads it.
_BRACED_FAMILY = lazy(r"\s*\{[^{}\\,]*\}\s*")


def _is_plain(text: str) -> bool:
    return not text or bool(_PLAIN.fullmatch(_ACCENT_GROUP.sub("x", text)))


def _plain_family_given(name: str) -> NameParts | None:
    """The common ``Family, Given`` (accents allowed, no particle) read without the full rules."""
    family, comma, given = name.partition(",")
    if comma and _BRACED_FAMILY.fullmatch(family):  # ADS writes "{Swope}, William C."
        family = family.strip()[1:-1]
        if not family.strip():
            return None
    if not comma or not _is_plain(family) or not _is_plain(given):
        return None
    words = family.split()
    if not words or any(word[:1].islower() for word in words):
        return None  # a particle ("van der Berg"): let BibTeX's rules decide
    family, given = " ".join(words), " ".join(given.split())
    return name_parts(family=read_recurring(family), given=read_recurring(given) or None)


def _split_names(value: str) -> list[str]:
    """Split at ``and`` outside braces.

    A plain split is right when the braces nest and every piece balances
    them: then each ``and`` it split at stood at depth zero.  Otherwise
    BibTeX's full rules.
    """
    names = _AND.split(value.strip(" \t\r\n"))
    plain = not ("{" in value or "}" in value or "\\" in value)
    if not plain and (
        _ESCAPED_SPACE_OR_BRACE.search(value)
        or not _well_nested(value)
        or any(name.count("{") != name.count("}") for name in names)
    ):
        names = split_multiple_persons_names(value)
    return names


def _well_nested(value: str) -> bool:
    depth = 0
    for brace in _BRACE.findall(value):
        depth += 1 if brace == "{" else -1
        if depth < 0:
            return False
    return depth == 0


# biblatex's extended name format, which Better BibLaTeX writes:
# "family=Waal, given=Henri, prefix=van de, useprefix=true".
_NAME_KEY = lazy(r"\s*([A-Za-z][A-Za-z-]*)\s*=\s*(.*?)\s*", re.S)
_EXTENDED_PARTS = frozenset({"family", "given", "prefix", "suffix"})


def _extended_name(name: str) -> NameParts | None:
    """The person an extended-format name gives, or None when it is not one."""
    if "=" not in name:
        return None
    parts: dict[str, str] = {}
    for piece in _split_top_commas(name):
        match = _NAME_KEY.fullmatch(piece)
        if match is None:
            return None
        key, value = match.group(1).lower(), match.group(2)
        if len(value) >= 2 and value[0] == "{" and value[-1] == "}" and _well_nested(value[1:-1]):
            value = value[1:-1]
        parts[key] = latex_to_unicode(value).strip()
    if not parts.get("family") and not parts.get("given"):
        return None
    if not parts.get("family"):
        return name_parts(literal=parts["given"])
    return name_parts(
        family=parts["family"],
        given=parts.get("given") or None,
        particle=parts.get("prefix") or None,
        suffix=parts.get("suffix") or None,
    )


def _split_top_commas(value: str) -> list[str]:
    pieces: list[str] = []
    depth = 0
    start = 0
    for i, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            pieces.append(value[start:i])
            start = i + 1
    pieces.append(value[start:])
    return pieces


@lru_cache(maxsize=1 << 14)  # names recur across a bibliography; the parts are immutable
def parts_of_name(name: str) -> NameParts:
    """One BibTeX name (LaTeX, or biblatex's extended ``family=..., given=...``) -> its parts.

    :class:`~mesorefs.name_parts.InvalidName` (a ``ValueError``) for one that names no one.
    """
    name = name.strip()
    plain = _plain_family_given(name)
    if plain is not None:
        return plain
    extended = _extended_name(name)
    if extended is not None:
        return extended
    if _is_braced_unit(name) and " " in name.strip("{}").strip():
        return name_parts(literal=latex_to_unicode(name[1:-1]))
    try:
        parts = parse_single_name_into_parts(name, strict=False)
    except InvalidNameError:
        return name_parts(literal=latex_to_unicode(name) or name)
    family = _join(parts.last)
    if not family:
        return name_parts(literal=latex_to_unicode(name) or name)
    return name_parts(
        family=family,
        given=_join(parts.first),
        particle=_join(parts.von),
        suffix=_join(parts.jr),
    )


# An accent written as a control symbol outside braces (\~n, \'{e}): "~" must not part
# words and "'" must not end one, so it is braced as the special character it is.
_BARE_ACCENT = lazy(r"(?<![{\\])\\([~'`^\"=.])(\{[^{}]*\}|\\?[A-Za-z])")
_CONTROL_SPACE = lazy(r"\\[ \t\r\n]")


def _as_name_tokens(value: str) -> str:
    if "\\" not in value:
        return value
    value = _BARE_ACCENT.sub(r"{\\\1\2}", value)
    return _CONTROL_SPACE.sub(" ", value)  # "L.\ Thiele": a space between words


def parts_of_names(value: str) -> list[NameParts]:
    """A BibTeX ``author``/``editor`` value -> each person's parts, in order."""
    if not value.strip():
        return []
    value = _as_name_tokens(value)
    # a name that is only spacing ("~", "\\ ") names nobody
    return [parts_of_name(n) for n in _split_names(value) if read_recurring(n).strip()]


@lru_cache(maxsize=1 << 14)
def parse_name(name: str) -> Person:
    """One BibTeX name -> Person (:func:`parts_of_name`, made a model)."""
    return _person(parts_of_name(name))


@lru_cache(maxsize=1 << 14)  # Person is immutable
def _person(parts: NameParts) -> Person:
    from mesorefs.models import Person  # pydantic: loaded by the readers that build models

    return Person.from_parts(parts)


def parse_names(value: str) -> list[Person]:
    """A BibTeX ``author``/``editor`` value -> people, in order.

    A name that names no one raises the model's own error (pydantic's
    ``ValidationError``), as building its ``Person`` does.
    """
    try:
        return [_person(parts) for parts in parts_of_names(value)]
    except InvalidName as error:
        raise model_error(error) from None


def model_error(error: InvalidName) -> ValueError:
    """The error ``Person`` gives for the parts ``error`` refused (its message is the one
    users see for an entry kept as written)."""
    from mesorefs.models import Person

    try:
        Person(**error.parts)
    except ValueError as refused:
        return refused
    return error  # not reached: the parts fail the model's checks as they failed ours


def _encode_part(text: str, ascii_only: bool) -> str:
    encoded = write_recurring(text, ascii_only=ascii_only)  # name parts recur
    # A part holding " and " or a comma would be split again when read back.
    if " and " in encoded or "," in encoded:
        return "{" + encoded + "}"
    return encoded


@lru_cache(maxsize=1 << 14)
def format_name(person: Person | NameParts, ascii_only: bool = True) -> str:
    """``Family, Given``; ``von Family, Jr, Given``; ``{Organisation}``."""
    if person.literal:
        return "{" + unicode_to_latex(person.literal, ascii_only=ascii_only) + "}"
    assert person.family is not None
    family = _encode_part(person.family, ascii_only)
    if " " in person.family and not person.particle:
        # "García Márquez" has no particle; a lower-case first word would read as one.
        first_word = person.family.split()[0]
        if first_word[:1].islower():
            family = "{" + family + "}"
    if person.particle:
        family = f"{_encode_part(person.particle, ascii_only)} {family}"
    out = family
    if person.suffix:
        out += f", {_encode_part(person.suffix, ascii_only)}"
    if person.given:
        out += f", {_encode_part(person.given, ascii_only)}"
    elif person.suffix:
        out += ", "
    return out


def format_names(people: list[Person] | list[NameParts], ascii_only: bool = True) -> str:
    return " and ".join(format_name(p, ascii_only) for p in people)
