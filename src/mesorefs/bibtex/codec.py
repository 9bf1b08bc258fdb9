"""Read and write BibTeX text through bibtexparser's middleware pipeline.

Reading: bibtexparser splits the text and the middlewares of
:mod:`~mesorefs.bibtex.read_stack`, run in one walk over the blocks, resolve
``@string`` macros and concatenations, remove enclosings and turn each entry into a
``Reference``.  Anything that cannot be read is kept verbatim as a
``Verbatim`` block and reported with its line, so a file with one broken
entry among a thousand loses nothing.

Writing: each Reference becomes a bibtexparser ``Entry`` with fields in a
fixed order; comments, ``@string``/``@preamble`` blocks and broken entries
are written back verbatim, in place.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from bibtexparser.entrypoint import parse_string, write_string
from bibtexparser.library import Library as _BibLibrary
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ExplicitComment,
    Field,
    ImplicitComment,
    MiddlewareErrorBlock,
    ParsingFailedBlock,
    Preamble,
    String,
)
from bibtexparser.writer import BibtexFormat

from mesorefs.bibtex.keys import is_safe_key, safe_key
from mesorefs.bibtex.latex import mask_plain, unicode_to_latex, unmask_plain
from mesorefs.bibtex.lossless import is_well_formed_value, tidy_fields
from mesorefs.bibtex.read_stack import (
    REFERENCE_KEY,
    UnreadEntry,
    parse_in_one_walk,
    parse_stack,
)
from mesorefs.lazy_re import lazy

if TYPE_CHECKING:
    # The models (pydantic) and the conversion load when a Reference is first built or
    # written: ``tidy`` of entries that keep their keys builds none.
    from mesorefs.models import Reference

__all__ = [
    "BibtexDocument",
    "BibtexProblem",
    "UnreadEntry",
    "Verbatim",
    "read_bibtex",
    "read_bibtex_fields",
    "write_bibtex",
]

_STRING_BLOCK = lazy(r"@\s*string", re.IGNORECASE)


@dataclass(frozen=True)
class Verbatim:
    """A block kept exactly as it was written: comments, macros, broken entries."""

    raw: str
    line: int
    kind: Literal["comment", "string", "preamble", "failed"]
    reference: Reference | None = None
    """For an entry kept as written, what BibTeX reads from it (a field given twice
    counts once, its first value), so styles and checks can use it; never written."""


@dataclass(frozen=True)
class BibtexProblem:
    """Something in the input a user should know about; ``line`` is 1-based."""

    kind: Literal[
        "unparseable",
        "duplicate-key",
        "duplicate-field",
        "invalid-entry",
        "missing-key",
        "unsafe-key",
    ]
    line: int
    message: str
    key: str | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, object]:
        """The problem as ``mesorefs tidy --json`` reports it (docs/cli-json.md)."""
        return {"kind": self.kind, "line": self.line, "key": self.key, "message": self.message}

    def __str__(self) -> str:
        if self.line <= 0:  # not from a line of a file (a CSL-JSON or RIS record)
            return f"{self.source}: {self.message}" if self.source else self.message
        where = f"{self.source}:{self.line}" if self.source else f"line {self.line}"
        return f"{where}: {self.message}"


@dataclass
class BibtexDocument:
    """What a .bib file held: references and verbatim blocks in order, and the problems."""

    items: list[Reference | Verbatim]
    problems: list[BibtexProblem]


def _first_error_line(error: Exception) -> str:
    """The error in words: bibtexparser's reason when it gives one, never a class name."""
    reason = getattr(error, "abort_reason", None)
    text = (reason if isinstance(reason, str) else str(error)).strip().splitlines()
    if text:
        return " ".join(text[0].replace("`", "").split())
    return "its braces or quotes do not balance"


def _reparse_single(
    raw: str, strings: Sequence[String] = (), build: bool = True
) -> Reference | UnreadEntry | None:
    """An entry the file's parse kept as written, read on its own so its data is kept (as
    ``_read`` reads, with ``build``); ``strings`` are the file's parsed ``@string`` blocks,
    so its macros resolve.  The stages its text cannot need are left out, as there."""
    seed = _BibLibrary(list(strings), fail_on_duplicate_key=False) if strings else None
    stack = parse_stack(
        strings=bool(strings) or _STRING_BLOCK.search(raw) is not None,
        concatenation=bool(strings) or "#" in raw,  # a macro's own value may hold "#"
        build=build,
    )
    library = parse_string(raw, parse_stack=stack, library=seed)
    for entry in library.entries:
        reference: Reference | UnreadEntry | None = entry.parser_metadata.get(REFERENCE_KEY)
        if reference is not None:
            return reference
    return None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cycle collector while building many small objects that form no cycles.

    Otherwise it rescans the growing heap again and again: a third of the time
    of reading or writing a large file.  Cycles made meanwhile are freed later.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_bibtex(text: str, source: str | None = None) -> BibtexDocument:
    """Read BibTeX or BibLaTeX text; never raises for bad entries, reports them."""
    with _collector_paused():
        items, problems = _read(text, source, build=True)
    return BibtexDocument([item for item in items if not isinstance(item, UnreadEntry)], problems)


def read_bibtex_fields(
    text: str, source: str | None = None
) -> tuple[list[Reference | Verbatim | UnreadEntry], list[BibtexProblem]]:
    """What :func:`read_bibtex` reads, with each entry whose key is kept kept as its fields
    (``UnreadEntry``) instead of a ``Reference``: what ``tidy`` needs to write it back.

    The same entries are refused and the same problems reported.  An entry that needs
    a new key (none, or one BibTeX cannot hold) is read as a Reference: keys are made
    from the data.
    """
    with _collector_paused():
        return _read(text, source, build=False)


_COMMENTED_AT = "\ufdd3"  # a Unicode noncharacter: never in real text
_COMMENTED_AT_LINE = lazy(r"%[^\n]*@")  # every "%" line with an "@" (and more)


def _mask_commented_entries(text: str) -> str:
    """Hide the ``@`` of ``%`` lines between entries, so ``%@BOOK{...}`` stays a comment."""
    if _COMMENTED_AT_LINE.search(text) is None:  # no "%" line holds an "@": nothing to hide
        return text
    out: list[str] = []
    depth = 0
    for line in text.splitlines(keepends=True):
        if depth == 0 and line.lstrip().startswith("%"):
            out.append(line.replace("@", _COMMENTED_AT))
            continue
        depth = max(0, depth + line.count("{") - line.count("}"))
        out.append(line)
    return "".join(out)


def _unmask(raw: str) -> str:
    return raw.replace(_COMMENTED_AT, "@")


def _read(
    text: str, source: str | None, build: bool
) -> tuple[list[Reference | Verbatim | UnreadEntry], list[BibtexProblem]]:
    text = _mask_commented_entries(text)
    stack = parse_stack(
        strings=_STRING_BLOCK.search(text) is not None, concatenation="#" in text, build=build
    )
    library = parse_in_one_walk(text, stack)
    items: list[Reference | Verbatim | UnreadEntry] = []
    problems: list[BibtexProblem] = []
    lines: list[str] | None = None
    blocks = library.blocks
    macros = library.strings  # bibtexparser reads copies of them, enclosing put back
    skip_until = -1
    for index, block in enumerate(blocks):
        if index < skip_until:
            continue
        line = (block.start_line or 0) + 1
        raw = _unmask((block.raw or "").strip())
        if isinstance(block, Entry):
            reference = block.parser_metadata[REFERENCE_KEY]
            items.append(reference)
            if not block.key.strip():
                problems.append(_missing_key(line, source))
        elif isinstance(block, DuplicateBlockKeyBlock):
            reference = _reparse_single(raw, macros, build)
            key = block.key
            if key.strip():
                problems.append(
                    BibtexProblem("duplicate-key", line, f"duplicate key {key!r}", key, source)
                )
            else:
                problems.append(_missing_key(line, source))
            items.append(reference if reference is not None else Verbatim(raw, line, "failed"))
        elif isinstance(block, ParsingFailedBlock):
            kind: Literal["unparseable", "duplicate-field", "invalid-entry"] = "unparseable"
            message = f"could not parse entry: {_first_error_line(block.error)}"
            readable: Reference | None = None
            if isinstance(block, DuplicateFieldKeyBlock):
                kind = "duplicate-field"
                fields = ", ".join(sorted(block.duplicate_keys))
                readable = _first_values(block, macros)
                message = f"field(s) given twice: {fields}; entry kept as written" + (
                    "; the first value counts, as in BibTeX" if readable is not None else ""
                )
            elif isinstance(block, MiddlewareErrorBlock):
                kind = "invalid-entry"
                message = f"entry kept as written: {_first_error_line(block.error)}"
            else:
                # The splitter gave up inside the entry: keep everything up to the next
                # block exactly as written, so writing it back cannot change how it splits.
                lines = lines if lines is not None else text.splitlines(keepends=True)
                skip_until = _next_real_block(blocks, index)
                end = (
                    (blocks[skip_until].start_line or 0) if skip_until < len(blocks) else len(lines)
                )
                head = (block.raw or "").lstrip().split("\n", 1)[0]
                at = lines[line - 1].find(head) if end > line - 1 and head else -1
                if at >= 0:  # text before the "@" on its line belongs to the block before
                    span = lines[line - 1][at:] + "".join(lines[line:end])
                    raw = _unmask(span.strip())
            key_match = re.match(r"@\w+\s*[{(]\s*([^,\s]+)", raw)
            problems.append(
                BibtexProblem(
                    kind, line, message, key_match.group(1) if key_match else None, source
                )
            )
            items.append(Verbatim(raw, line, "failed", readable))
        elif isinstance(block, String):
            items.append(Verbatim(raw, line, "string"))
        elif isinstance(block, Preamble):
            items.append(Verbatim(raw, line, "preamble"))
        elif isinstance(block, (ExplicitComment, ImplicitComment)) and raw:
            items.append(Verbatim(raw, line, "comment"))
    return items, problems


def _first_values(block: DuplicateFieldKeyBlock, strings: Sequence[String]) -> Reference | None:
    """The entry as BibTeX reads it: each field's first value, later ones ignored."""
    entry = block.ignore_error_block
    if not isinstance(entry, Entry):
        return None
    seen: set[str] = set()
    fields = []
    for field in entry.fields:
        if field.key.lower() not in seen and isinstance(field.value, str):
            seen.add(field.key.lower())
            fields.append(f"  {field.key} = {field.value}")
    text = f"@{entry.entry_type}{{{entry.key},\n" + ",\n".join(fields) + "\n}"
    found = _reparse_single(text, strings)  # built: a Reference, never an UnreadEntry
    return None if isinstance(found, UnreadEntry) else found


def _next_real_block(blocks: Sequence[Block], index: int) -> int:
    """Index of the first block after ``index`` that is not text between entries."""
    k = index + 1
    while k < len(blocks) and isinstance(blocks[k], ImplicitComment):
        k += 1
    return k


def _missing_key(line: int, source: str | None) -> BibtexProblem:
    return BibtexProblem("missing-key", line, "entry has no key; tidy gives it one", None, source)


class _VerbatimBlock(ImplicitComment):
    """Written back exactly as read."""


_URL_FIELDS = frozenset({"url", "doi"})


def _balanced(value: str) -> bool:
    """BibTeX's own rule: every brace counts, and depth never drops below zero."""
    opening = value.count("{")
    if opening != value.count("}"):
        return False
    if opening == 0:  # most values: no brace at all
        return True
    depth = 0
    for match in re.finditer(r"[{}]", value):
        depth += 1 if match.group() == "{" else -1
        if depth < 0:
            return False
    return depth == 0


def _safe_value(name: str, value: str, braced: bool) -> str:
    """The value enclosed so that nothing in it can end its field or its entry.

    Every value leaves here balanced: one whose braces do not balance (a ``}`` from a
    record or an ``extra`` field) is written as text, or with ``%7B``/``%7D`` in a URL
    or DOI, so it reads back as itself and cannot close the field early.
    """
    if not braced:  # a month macro, or a value kept as the file wrote it
        return value if is_well_formed_value(value) else _safe_value(name, value, True)
    if not _balanced(value):
        if name in _URL_FIELDS:
            value = value.replace("{", "%7B").replace("}", "%7D")
        else:
            value = unmask_plain(unicode_to_latex(mask_plain(value)))
    return "{" + value + "}"


def _entry(reference: Reference | UnreadEntry, ascii_only: bool) -> Entry:
    """The entry with its values already enclosed (month macros are not).

    The key is written only when it is safe (``keys.is_safe_key``); any other is
    replaced by ``keys.safe_key`` (``Library.with_keys`` gives it a proper one first
    and reports it), so a key holding ``}`` and a line break cannot start an entry.
    """
    if isinstance(reference, UnreadEntry):
        entry_type = reference.entry_type
        fields = tidy_fields(reference.fields, entry_type, ascii_only)
    else:
        from mesorefs.bibtex.convert import reference_to_fields

        entry_type, fields = reference_to_fields(reference, ascii_only)
    built = [Field(name, _safe_value(name, value, braced)) for name, value, braced in fields]
    key = reference.key or ""
    return Entry(entry_type, key if not key or is_safe_key(key) else safe_key(key), built)


def write_bibtex(
    items: Iterable[Reference | Verbatim | UnreadEntry], ascii_only: bool = True
) -> str:
    """BibTeX text for references and verbatim blocks, in the order given."""
    with _collector_paused():
        return _write_items(items, ascii_only)


def _write_items(items: Iterable[Reference | Verbatim | UnreadEntry], ascii_only: bool) -> str:
    blocks: list[Block] = []
    seen: set[str] = set()
    for item in items:
        if isinstance(item, Verbatim):
            blocks.append(_VerbatimBlock(item.raw))
        elif (item.key or "").lower() in seen:
            # bibtexparser's library refuses a second block with the same key: write the
            # duplicate on its own and carry it as text, so it is kept and not renamed.
            single = _BibLibrary(blocks=[_entry(item, ascii_only)])
            blocks.append(_VerbatimBlock(_write(single).strip()))
        else:
            seen.add((item.key or "").lower())
            blocks.append(_entry(item, ascii_only))
    return _write(_BibLibrary(blocks=blocks, fail_on_duplicate_key=False))


def _write(library: _BibLibrary) -> str:
    bib_format = BibtexFormat()  # type: ignore[no-untyped-call]
    bib_format.indent = "  "
    bib_format.block_separator = "\n"
    # _entry encloses the values itself: no middleware pass over the library.
    text: str = write_string(library, unparse_stack=[], bibtex_format=bib_format)
    return text


def problems_of(items: Sequence[Reference | Verbatim]) -> list[Verbatim]:
    """The verbatim blocks that are broken entries."""
    return [i for i in items if isinstance(i, Verbatim) and i.kind == "failed"]
