"""The read side of bibtexparser's pipeline: our middlewares, run in one walk.

bibtexparser splits the text; then each entry goes through our stack in turn:
``WrittenMiddleware`` keeps each value as written, ``MacroMiddleware`` resolves
``@string`` macros, ``ConcatenationMiddleware`` joins ``#`` concatenations,
bibtexparser's ``RemoveEnclosingMiddleware`` removes braces and quotes, and
``ReferenceMiddleware`` turns the entry into a ``Reference`` (or an ``UnreadEntry``).

bibtexparser's own ``parse_string`` runs each middleware over the whole library and
builds a new library after each; :func:`parse_in_one_walk` runs every middleware on
one block before the next block, and builds the library once.  The macros' values are
taken before the walk, as the library held them when it was split, so a ``@string``
whose braces the walk removes is read by later entries as the stack's separate passes
read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bibtexparser.library import Library as _BibLibrary
from bibtexparser.middlewares import RemoveEnclosingMiddleware
from bibtexparser.middlewares.middleware import BlockMiddleware
from bibtexparser.model import Block, Entry, MiddlewareErrorBlock
from bibtexparser.splitter import Splitter

from mesorefs.bibtex.keys import is_safe_key
from mesorefs.bibtex.lossless import is_well_formed_value, remember_written, split_pieces
from mesorefs.bibtex.refusals import PROBLEM_FIELDS, entry_problem
from mesorefs.lazy_re import lazy
from mesorefs.months import ABBREVIATIONS as MONTH_MACROS

__all__ = ["UnreadEntry", "parse_in_one_walk", "parse_stack"]

REFERENCE_KEY = "mesorefs_reference"
_WRITTEN_KEY = "mesorefs_written"
_BRACED_OR_QUOTED = lazy(r'^\s*(\{.*\}|".*")\s*$', re.S)


@dataclass(frozen=True)
class UnreadEntry:
    """An entry read for its fields only, with no ``Reference`` built from it
    (:func:`read_bibtex_fields`): written back as an entry nobody changed is."""

    entry_type: str
    key: str
    fields: tuple[tuple[str, str], ...]
    """(lower-case name, raw value with its braces or quotes), in the file's order."""


def _split_concatenation(value: str) -> list[str] | None:
    """Parts of ``a # {b} # "c"`` at depth zero, or None when there is no ``#``."""
    if "#" not in value:
        return None
    parts = [part.strip() for part in split_pieces(value)]
    return parts if len(parts) > 1 else None


class WrittenMiddleware(BlockMiddleware):
    """Keep each field exactly as written, before macros are resolved or braces removed."""

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True, allow_parallel_execution=True)

    def transform_entry(self, entry: Entry, library: _BibLibrary) -> Block:
        entry.parser_metadata[_WRITTEN_KEY] = [
            (f.key, f.value) for f in entry.fields if isinstance(f.value, str)
        ]
        return entry


class MacroMiddleware(BlockMiddleware):
    """A value that is a bare ``@string`` name (any case) becomes the macro's value as
    written, braces or quotes included; a braced or quoted value, a number and a name
    no macro has stay as they are.  What bibtexparser's ``ResolveStringReferences``
    does, as a block middleware, so it can run in :func:`parse_in_one_walk`."""

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True, allow_parallel_execution=True)
        self._values: tuple[_BibLibrary, dict[str, str]] | None = None

    def take_macros(self, library: _BibLibrary) -> dict[str, str]:
        """The macros' values by lower-case name, taken once per library."""
        if self._values is None or self._values[0] is not library:
            values = {k.lower(): s.value for k, s in library.strings_dict.items()}
            self._values = (library, values)
        return self._values[1]

    def transform_entry(self, entry: Entry, library: _BibLibrary) -> Block:
        values = self.take_macros(library)
        resolved = []
        for field in entry.fields:
            value = field.value
            if not isinstance(value, str) or _enclosed(value):
                continue
            found = values.get(value.lower())
            if found is not None:
                field.value = found
                resolved.append(field.key)
        if resolved:
            entry.parser_metadata["ResolveStringReferences"] = resolved
        return entry


def _enclosed(value: str) -> bool:
    """Starts and ends with a brace, or with a quote (as bibtexparser tells it)."""
    return (value.startswith("{") and value.endswith("}")) or (
        value.startswith('"') and value.endswith('"')
    )


class ConcatenationMiddleware(BlockMiddleware):
    """Resolve ``#`` concatenations of macros, month names and literals, and macros
    defined through other macros (``jgrse = jgr # " B: Solid Earth"``) to any depth."""

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True, allow_parallel_execution=True)
        self._expanded: tuple[_BibLibrary, dict[str, str]] | None = None

    def take_macros(self, library: _BibLibrary) -> dict[str, str]:
        """Every ``@string``'s text, expanded once per library (not once per entry)."""
        if self._expanded is None or self._expanded[0] is not library:
            raw = {k.lower(): s.value for k, s in library.strings_dict.items()}
            expanded: dict[str, str] = {}
            for name in raw:
                _expand_macro(name, raw, expanded, set())
            self._expanded = (library, expanded)
        return self._expanded[1]

    def transform_entry(self, entry: Entry, library: _BibLibrary) -> Block:
        strings: dict[str, str] | None = None
        for field in entry.fields:
            if not isinstance(field.value, str):
                continue
            parts = _split_concatenation(field.value)
            if parts is None:
                # a macro whose own value was a bare macro ("a = b"): one more step
                bare = field.value.strip().lower()
                if _BARE_MACRO.fullmatch(bare) and bare not in MONTH_MACROS:
                    strings = self.take_macros(library) if strings is None else strings
                    if bare in strings:
                        field.value = "{" + strings[bare] + "}"
                continue
            strings = self.take_macros(library) if strings is None else strings
            field.value = _join_parts(parts, strings)
        return entry


_BARE_MACRO = lazy(r"[a-z_][^\s\"#%'(),={}]*")


def _join_parts(parts: list[str], strings: dict[str, str]) -> str:
    pieces = []
    for part in parts:
        if _BRACED_OR_QUOTED.match(part):
            pieces.append(part.strip()[1:-1])
        elif part.lower() in strings:
            pieces.append(strings[part.lower()])
        elif part.lower() in MONTH_MACROS:
            pieces.append(part.lower())
        else:
            pieces.append(part)
    return "".join(pieces)


def _expand_macro(
    name: str, raw: dict[str, str], expanded: dict[str, str], active: set[str]
) -> str:
    """The text of macro ``name`` with the macros it uses expanded; a macro that uses
    itself, directly or not, stops there and keeps its name."""
    if name in expanded:
        return expanded[name]
    if name in active or len(active) > 256:
        return name
    active.add(name)
    value = raw[name]
    parts = _split_concatenation(value) or [value.strip()]
    pieces = []
    for part in parts:
        key = part.lower()
        if _BRACED_OR_QUOTED.match(part):
            pieces.append(part.strip()[1:-1])
        elif key in raw and key != name:
            pieces.append(_expand_macro(key, raw, expanded, active))
        elif key in MONTH_MACROS:
            pieces.append(key)
        else:
            pieces.append(part)
    active.discard(name)
    expanded[name] = "".join(pieces)
    return expanded[name]


class ReferenceMiddleware(BlockMiddleware):
    """Turn each entry's fields into a ``Reference`` kept in the block's metadata; with
    ``build=False`` into an ``UnreadEntry``, refusing the entries a Reference refuses,
    unless its key must be made new (from the Reference's data)."""

    def __init__(self, build: bool = True) -> None:
        super().__init__(allow_inplace_modification=True, allow_parallel_execution=True)
        self.build = build

    def transform_entry(self, entry: Entry, library: _BibLibrary) -> Block:
        for name, raw in entry.parser_metadata[_WRITTEN_KEY]:
            if not is_well_formed_value(raw):
                # The splitter guessed where this value ends; written back, it would be
                # read differently.  Keep the whole entry as it is.
                return MiddlewareErrorBlock(
                    entry, ValueError(f"field {name!r} is not a well-formed BibTeX value")
                )
        fields = {f.key: f.value for f in entry.fields if isinstance(f.value, str)}
        if not self.build and is_safe_key(entry.key):
            problem = entry_problem(fields)
            if problem is not None:
                return MiddlewareErrorBlock(entry, problem)
            written = entry.parser_metadata[_WRITTEN_KEY]
            entry.parser_metadata[REFERENCE_KEY] = UnreadEntry(
                entry.entry_type.lower(),
                entry.key,
                tuple((name.lower(), value) for name, value in written),
            )
            return entry
        from mesorefs.bibtex.convert import entry_to_reference

        try:
            reference = entry_to_reference(entry.entry_type, entry.key, fields)
        except ValueError as error:  # pydantic's ValidationError among them
            return MiddlewareErrorBlock(entry, error)
        remember_written(reference, entry.entry_type, entry.parser_metadata[_WRITTEN_KEY])
        entry.parser_metadata[REFERENCE_KEY] = reference
        return entry


def parse_stack(
    strings: bool = True, concatenation: bool = True, build: bool = True
) -> list[BlockMiddleware]:
    """Our stack, without the stages the text cannot need (no ``@string``, no ``#``)."""
    return [
        WrittenMiddleware(),
        *([MacroMiddleware()] if strings else []),
        *([ConcatenationMiddleware()] if concatenation else []),
        RemoveEnclosingMiddleware(allow_inplace_modification=True),
        ReferenceMiddleware(build),
    ]


def parse_in_one_walk(text: str, stack: list[BlockMiddleware]) -> _BibLibrary:
    """What ``parse_string(text, parse_stack=stack)`` gives, each block taken through
    every middleware in turn and one library built at the end.

    Every middleware of ``stack`` is a ``BlockMiddleware`` that changes blocks in place
    and gives one block for one; those that read the file's macros take them first.
    """
    library = Splitter(bibstr=text).split()
    for middleware in stack:
        if isinstance(middleware, (MacroMiddleware, ConcatenationMiddleware)):
            middleware.take_macros(library)
    reader = stack[-1]
    fields_only = (
        isinstance(stack[0], WrittenMiddleware)
        and isinstance(reader, ReferenceMiddleware)
        and not reader.build
    )
    blocks: list[Block] = []
    for block in library.blocks:
        if fields_only and isinstance(block, Entry) and is_safe_key(block.key):
            blocks.append(_kept_entry(block, stack, library))
            continue
        for middleware in stack:
            transformed = middleware.transform_block(block, library)
            if not isinstance(transformed, Block):
                raise TypeError(f"{type(middleware).__name__} gave {type(transformed)}")
            block = transformed
        blocks.append(block)
    return _BibLibrary(blocks=blocks, fail_on_duplicate_key=False)


def _kept_entry(entry: Entry, stack: list[BlockMiddleware], library: _BibLibrary) -> Block:
    """An entry ``ReferenceMiddleware(build=False)`` keeps as written (its key is safe).

    It is written back from its values as written (``WrittenMiddleware``'s record), so
    of its resolved values only those that can refuse it (``PROBLEM_FIELDS``) are read:
    only they go through the stages between the first and the last.
    """
    stack[0].transform_block(entry, library)
    checked = [f for f in entry.fields if f.key.lower() in PROBLEM_FIELDS]
    names = Entry(entry.entry_type, entry.key, checked, entry.start_line, entry.raw)
    names.parser_metadata.update(entry.parser_metadata)
    block: Block = names
    for middleware in stack[1:]:
        transformed = middleware.transform_block(block, library)
        if not isinstance(transformed, Block):
            raise TypeError(f"{type(middleware).__name__} gave {type(transformed)}")
        block = transformed
    if isinstance(block, MiddlewareErrorBlock):
        return MiddlewareErrorBlock(entry, block.error)
    entry.parser_metadata[REFERENCE_KEY] = block.parser_metadata[REFERENCE_KEY]
    return entry
