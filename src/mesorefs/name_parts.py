"""A person's name as plain parts, checked as :class:`mesorefs.models.Person` checks them.

The BibTeX name reader (:mod:`mesorefs.bibtex.names`) splits names into these, so
``tidy``, which writes names back without building a model, never loads pydantic;
``Person.from_parts`` makes the model of them.  A ``NameParts`` exists exactly when the
``Person`` of the same parts does: each part's spaces are tidied the same way (blank is
absent), and a name needs a family or a literal part.
"""

from __future__ import annotations

from typing import NamedTuple

from mesorefs.inputs import repair_surrogates

__all__ = ["InvalidName", "NameParts", "name_parts", "tidy_name_part"]


class InvalidName(ValueError):
    """Parts that make no name: neither a family name nor a literal one."""

    def __init__(self, parts: dict[str, str | None]) -> None:
        super().__init__("a person needs a family name or a literal name")
        self.parts = parts
        """The parts as given (before tidying): ``Person(**parts)`` fails the same way."""


class NameParts(NamedTuple):
    """Family, given, particle, suffix and literal (an organisation), as ``Person`` has."""

    family: str | None
    given: str | None
    particle: str | None
    suffix: str | None
    literal: str | None


def tidy_name_part(value: str | None) -> str | None:
    """A name part without stray spaces (" C" from a feed is "C"); blank is absent."""
    if value is None:
        return None
    return " ".join(repair_surrogates(value).split()) or None


def name_parts(
    *,
    family: str | None = None,
    given: str | None = None,
    particle: str | None = None,
    suffix: str | None = None,
    literal: str | None = None,
) -> NameParts:
    """The parts tidied; :class:`InvalidName` when they hold no family and no literal."""
    parts = NameParts(
        tidy_name_part(family),
        tidy_name_part(given),
        tidy_name_part(particle),
        tidy_name_part(suffix),
        tidy_name_part(literal),
    )
    if not (parts.family or parts.literal):
        given_parts = {"family": family, "given": given, "particle": particle}
        raise InvalidName({**given_parts, "suffix": suffix, "literal": literal})
    return parts
