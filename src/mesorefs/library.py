"""A collection of References: read and write by file type, look up, tidy, dedupe."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mesorefs.bibtex.codec import (
    BibtexProblem,
    Verbatim,
    read_bibtex,
    write_bibtex,
)
from mesorefs.bibtex.keys import assign_keys
from mesorefs.bibtex.tidy import Tidied, tidy_bibtex
from mesorefs.bibtex.tidy import renamed_keys as _renamed
from mesorefs.errors import InputError, InvalidIdentifier
from mesorefs.models import Reference
from mesorefs.outputs import atomic_write_text
from mesorefs.textfile import read_text_file

if TYPE_CHECKING:
    from mesorefs.dedupe import DedupeReport

__all__ = [
    "Library",
    "Tidied",
    "atomic_write_text",
    "library_format",
    "tidy_bibtex",
]

_FORMATS = {".bib": "bibtex", ".bibtex": "bibtex", ".json": "csl-json", ".ris": "ris"}


def library_format(path: str | os.PathLike[str], format: str | None = None) -> str:
    """``format`` when given (checked), else the format the file's suffix names."""
    path = Path(path)
    if format:
        if format not in set(_FORMATS.values()):
            raise InputError(f"unknown format {format!r} (use bibtex, csl-json or ris)")
        return format
    try:
        return _FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(_FORMATS))
        raise InputError(f"unknown file type {path.suffix!r} (known: {known})", str(path)) from None


class Library:
    """References in order, with the blocks of a .bib that are kept verbatim between them."""

    def __init__(
        self,
        references: Iterable[Reference | Verbatim] = (),
        problems: Iterable[BibtexProblem] = (),
    ) -> None:
        self.items: list[Reference | Verbatim] = list(references)
        self.problems: list[BibtexProblem] = list(problems)

    # -- reading ---------------------------------------------------------------------

    @classmethod
    def from_bibtex(cls, text: str, source: str | None = None) -> Library:
        document = read_bibtex(text, source)
        return cls(document.items, document.problems)

    @classmethod
    def from_csl_json(cls, text: str, source: str | None = None) -> Library:
        from mesorefs.formats.csl_json import loads_csl_json  # only what the format needs

        return cls(loads_csl_json(text, source))

    @classmethod
    def from_ris(cls, text: str, source: str | None = None) -> Library:
        from mesorefs.formats.ris import loads_ris

        return cls(loads_ris(text, source))

    @classmethod
    def read(
        cls, path: str | os.PathLike[str], format: str | None = None, encoding: str | None = None
    ) -> Library:
        """Read a .bib, CSL-JSON .json or .ris file (by suffix unless ``format`` says).

        UTF-8 and UTF-16 are recognised; ``encoding`` reads anything else.
        """
        file = Path(path)
        kind = library_format(file, format)
        text = read_text_file(file, encoding)
        return cls.loads(text, kind, str(file))

    @classmethod
    def loads(cls, text: str, format: str, source: str | None = None) -> Library:
        """Read ``text`` in ``format`` (bibtex, csl-json, ris)."""
        if format == "bibtex":
            return cls.from_bibtex(text, source)
        if format == "csl-json":
            return cls.from_csl_json(text, source)
        if format == "ris":
            return cls.from_ris(text, source)
        raise InputError(f"unknown format {format!r} (use bibtex, csl-json or ris)")

    # -- writing ---------------------------------------------------------------------

    def to_bibtex(self, ascii_only: bool = True) -> str:
        return write_bibtex(self.items, ascii_only=ascii_only)

    def to_csl_json(self) -> str:
        from mesorefs.formats.csl_json import dumps_csl_json

        return dumps_csl_json(self.references)

    def to_ris(self) -> str:
        from mesorefs.formats.ris import dumps_ris

        return dumps_ris(self.references)

    def dumps(self, format: str) -> str:
        if format == "bibtex":
            return self.to_bibtex()
        if format == "csl-json":
            return self.to_csl_json()
        if format == "ris":
            return self.to_ris()
        raise InputError(f"unknown format {format!r} (use bibtex, csl-json or ris)")

    def write(self, path: str | os.PathLike[str], format: str | None = None) -> None:
        """Write in the format the suffix names (or ``format``), as
        :func:`mesorefs.outputs.write_bytes` writes: a file replaced whole, keeping its
        mode, owner and extended attributes."""
        file = Path(path)
        atomic_write_text(file, self.dumps(library_format(file, format)))

    # -- access ----------------------------------------------------------------------

    @property
    def references(self) -> list[Reference]:
        return [item for item in self.items if isinstance(item, Reference)]

    @property
    def readable(self) -> list[Reference]:
        """The references, with those of entries kept as written that BibTeX would still
        read (a field given twice), in file order: what a style renders."""
        out = []
        for item in self.items:
            reference = item if isinstance(item, Reference) else item.reference
            if reference is not None:
                out.append(reference)
        return out

    @property
    def verbatim(self) -> list[Verbatim]:
        return [item for item in self.items if isinstance(item, Verbatim)]

    def __iter__(self) -> Iterator[Reference]:
        return iter(self.references)

    def __len__(self) -> int:
        return len(self.references)

    def keys(self) -> list[str]:
        return [r.key for r in self.references if r.key]

    def get(self, key: str) -> Reference | None:
        """The first reference with this key (keys compare case-insensitively, as BibTeX's)."""
        wanted = key.lower()
        return next((r for r in self.references if r.key and r.key.lower() == wanted), None)

    def __getitem__(self, key: str) -> Reference:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def find(self, identifier: str) -> Reference | None:
        """The reference with this DOI, PMID, PMCID or arXiv id (any common form)."""
        from mesorefs import identifiers

        text = identifier.strip()
        for kind, normalize in (
            ("doi", identifiers.normalize_doi),
            ("pmcid", identifiers.normalize_pmcid),
            ("arxiv", identifiers.normalize_arxiv),
            ("pmid", identifiers.normalize_pmid),
        ):
            try:
                value = normalize(text)
            except InvalidIdentifier:
                continue
            for reference in self.references:
                mine = getattr(reference, kind)
                if mine and mine.lower() == value.lower():
                    return reference
        return None

    def add(self, reference: Reference) -> None:
        self.items.append(reference)

    # -- whole-library operations ------------------------------------------------------

    def with_keys(self) -> Library:
        """A copy where every reference has a safe key; safe existing keys are never renamed.

        A key BibTeX cannot hold (``}``, a line break, ``,``: see ``keys.is_safe_key``)
        is replaced by a generated one, and each replacement is reported in ``problems``.
        """
        before = self.references
        after = assign_keys(before)
        problems = self.problems + _renamed(before, after)
        keyed = iter(after)
        return Library(
            [item if isinstance(item, Verbatim) else next(keyed) for item in self.items],
            problems,
        )

    def deduplicated(self) -> tuple[Library, DedupeReport]:
        """Records of the same work merged (first wins); the report says what was merged."""
        from mesorefs.dedupe import dedupe

        merged, report = dedupe(self.references)
        replacement = dict(zip(report.kept_positions, merged, strict=True))
        items: list[Reference | Verbatim] = []
        position = 0
        for item in self.items:
            if isinstance(item, Verbatim):
                items.append(item)
                continue
            if position in replacement:
                items.append(replacement[position])
            position += 1
        return Library(items, self.problems), report


_FORMAT_NAMES = {"bibtex": "BibTeX", "csl-json": "CSL-JSON", "ris": "RIS"}
# The fields of a Reference that say how mesorefs got the work, not what the work is: every
# other field is compared after a conversion.
_BOOKKEEPING = frozenset(
    {"extra", "bibtex_type", "provenance", "locked", "truncated", "protected", "hints", "csl"}
)


@dataclass(frozen=True)
class Loss:
    """Something a conversion did not carry: an entry's field, or a block that is no entry."""

    key: str | None
    line: int | None
    field: str | None
    message: str

    def to_dict(self) -> dict[str, object]:
        return {"key": self.key, "line": self.line, "field": self.field, "message": self.message}


def not_carried(before: Library, after: Library, to: str) -> list[Loss]:
    """What ``before`` holds that ``after`` (the written text read back) lost, one item per
    entry and field; blocks that are not entries (comments, unreadable entries) too."""
    target = _FORMAT_NAMES[to]
    lost: list[Loss] = []

    def add(key: str | None, line: int | None, field: str | None, message: str) -> None:
        lost.append(Loss(key, line, field, message))

    for item in before.verbatim if to != "bibtex" else ():
        if item.kind == "failed":
            add(None, item.line, None, "an entry BibTeX could not read whole, not converted")
        elif item.kind in ("comment", "preamble"):
            add(None, item.line, None, f"@{item.kind} not carried ({target} has no place for it)")
    back = after.references
    by_key = {ref.key: ref for ref in back if ref.key}
    for index, ref in enumerate(before.references):
        other = by_key.get(ref.key) if ref.key else None
        if other is None and index < len(back):
            other = back[index]
        who = ref.key or f"entry {index + 1}"
        if other is None:
            add(who, None, None, "not carried")
            continue
        for field in (f for f in type(ref).model_fields if f not in _BOOKKEEPING):
            value, kept = getattr(ref, field), getattr(other, field)
            if not value or value == kept:
                continue
            how = "has no place for it" if not kept else "reads it back differently"
            whole = "" if not kept else " whole"
            add(who, None, field, f"{field} not carried{whole} ({target} {how})")
        for field, value in ref.extra.items():
            if value and other.extra.get(field) != value:
                add(who, None, field, f"{field} not carried ({target} has no place for it)")
    return lost
