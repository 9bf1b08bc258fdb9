"""``tidy`` of a .bib text: entries that keep their keys are written from their fields,
with no ``Reference`` built, so tidying loads neither the models nor pydantic.

:class:`mesorefs.library.Library` gives the same text (``from_bibtex(text).with_keys()
.to_bibtex()``); this is the short way there, which the ``tidy`` command takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mesorefs.bibtex.codec import (
    BibtexProblem,
    UnreadEntry,
    Verbatim,
    read_bibtex_fields,
    write_bibtex,
)

if TYPE_CHECKING:
    from mesorefs.models import Reference

__all__ = ["Tidied", "renamed_keys", "tidy_bibtex"]


def tidy_bibtex(text: str, source: str | None = None, ascii_only: bool = True) -> str:
    """Normalized BibTeX with keys for entries that have none; idempotent."""
    return Tidied.of(text, source, ascii_only).text


def renamed_keys(before: list[Reference], after: list[Reference]) -> list[BibtexProblem]:
    """A problem for each key ``assign_keys`` replaced (a key that was there, unsafe)."""
    return [
        BibtexProblem(
            "unsafe-key",
            0,
            f"key {old.key[:60]!r} is not a safe BibTeX key; written as {new.key!r}",
            new.key,
        )
        for old, new in zip(before, after, strict=True)
        if old.key and old.key != new.key
    ]


@dataclass(frozen=True)
class Tidied:
    """A .bib text tidied: what ``Library.from_bibtex(text).with_keys().to_bibtex()`` gives,
    with the library's problems and its number of entries."""

    text: str
    problems: list[BibtexProblem]
    entries: int

    @classmethod
    def of(cls, text: str, source: str | None = None, ascii_only: bool = True) -> Tidied:
        """Tidy ``text``. An entry whose key is kept is written from its fields, with no
        ``Reference`` built; one that needs a new key is read into a Reference, whose
        data the key is made from."""
        items, problems = read_bibtex_fields(text, source)
        # what is neither kept as written nor read for its fields is a Reference
        before: list[Reference] = [
            item for item in items if not isinstance(item, (UnreadEntry, Verbatim))
        ]
        if before:
            from mesorefs.bibtex.keys import assign_keys

            kept = [item.key for item in items if isinstance(item, UnreadEntry)]
            after = assign_keys(before, kept)
            problems += renamed_keys(before, after)
            keyed = iter(after)
            items = [
                item if isinstance(item, (UnreadEntry, Verbatim)) else next(keyed) for item in items
            ]
        entries = sum(1 for item in items if not isinstance(item, Verbatim))
        return cls(write_bibtex(items, ascii_only=ascii_only), problems, entries)
