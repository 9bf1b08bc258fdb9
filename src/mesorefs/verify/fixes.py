"""The corrections verify proposes, as a unified diff of the .bib file; nothing is written.

Each mismatch's fixes are applied to the entry as read; the entry is written with the
library's BibTeX writer, and each changed field's line of that output replaces the field's
line in the file as the user wrote it (or is added before the entry's closing brace), so
the diff shows only the fields that change.  An entry whose fields span several lines
falls back to the writer's whole entry.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mesorefs.lint.source import BIBTEX_NAMES, SourceMap
from mesorefs.models import Reference
from mesorefs.verify.model import EntryResult, VerifyReport

if TYPE_CHECKING:
    from mesorefs.library import Library

__all__ = ["fix_diff", "fixed_entry", "proposed_fixes"]

_FIELD = re.compile(r"^(\s*)([A-Za-z][\w.:-]*)(\s*=\s*)(.*?)(,?)\s*$")


def fixed_entry(result: EntryResult) -> Reference | None:
    """The entry with every proposed fix applied (None: nothing to fix)."""
    if result.outcome != "mismatch":
        return None
    updates: dict[str, Any] = {}
    for difference in result.differences:
        for name, value in (difference.fix or {}).items():
            if name not in result.entry.locked:
                updates.setdefault(name, value)
    if not updates:
        return None
    return result.entry.model_copy(update=updates)


def _one_line(value: str) -> bool:
    """Is ``value`` (what follows ``name =`` on a line) a whole braced or quoted value?"""
    if value.startswith("{"):
        depth = 0
        for i, ch in enumerate(value):
            depth += {"{": 1, "}": -1}.get(ch, 0)
            if depth == 0:
                return i == len(value) - 1
        return False
    if value.startswith('"'):
        return len(value) > 1 and value.endswith('"')
    return bool(re.fullmatch(r"[\w.-]+", value))


def _field_lines(lines: Sequence[str]) -> dict[str, tuple[int, re.Match[str]]]:
    found: dict[str, tuple[int, re.Match[str]]] = {}
    for number, line in enumerate(lines):
        match = _FIELD.match(line)
        if match and _one_line(match.group(4)):
            found.setdefault(match.group(2).lower(), (number, match))
    return found


def _patched(original: list[str], written: list[str], changed: Sequence[str]) -> list[str] | None:
    """``original`` (one entry's lines) with the ``changed`` fields' lines of ``written``
    (the writer's lines of the fixed entry); None when a field cannot be placed."""
    ours, theirs = _field_lines(original), _field_lines(written)
    named = {m.group(2).lower() for line in original if (m := _FIELD.match(line))}
    out = list(original)
    added: list[str] = []
    for name in changed:
        names = BIBTEX_NAMES.get(name, (name,))
        new = next((theirs[n] for n in names if n in theirs), None)
        old = next((ours[n] for n in names if n in ours), None)
        if old is None and any(n in named for n in names):
            return None  # the field spans several lines: left to the writer
        if new is None:
            if old is None:
                continue
            return None  # the fix removes a field: left to the writer
        _, match = new
        if old is not None:
            number, was = old
            if any(n in ours for n in names if n != was.group(2).lower()):
                return None  # two fields hold it: left to the writer
            out[number] = (
                f"{was.group(1)}{was.group(2)}{was.group(3)}{match.group(4)}{was.group(5)}"
            )
        else:
            added.append(f"{match.group(1)}{match.group(2)}{match.group(3)}{match.group(4)}")
    if added:
        close = max((i for i, line in enumerate(out) if line.strip() in ("}", ")")), default=None)
        if close is None:
            return None
        last = max((i for i in range(close) if out[i].strip()), default=None)
        if last is not None and not out[last].rstrip().endswith((",", "{", "(")):
            out[last] = out[last].rstrip() + ","
        body = [line + "," for line in added[:-1]] + added[-1:]
        out[close:close] = body
    return out


def fix_diff(path: str, text: str, library: Library, results: Sequence[EntryResult]) -> str:
    """A unified diff from ``text`` (the file as read) to the file with the proposed fixes.

    ``library`` is the file as read; ``results`` the verify results of its references, in
    order.  Nothing is written.
    """
    from mesorefs.library import Library as Written

    fixes = {r.index: (r, fixed) for r in results if (fixed := fixed_entry(r)) is not None}
    if not fixes:
        return ""
    lines = text.splitlines()
    places = SourceMap(text)
    replacements: list[tuple[int, int, list[str]]] = []
    for index, ref in enumerate(library.references):
        entry = places.take(ref.key)
        if index not in fixes or entry is None:
            continue
        result, fixed = fixes[index]
        changed = list(dict.fromkeys(k for d in result.differences for k in (d.fix or {})))
        written = Written([fixed]).to_bibtex().splitlines()
        end = entry.end_line
        while end > entry.line and not lines[end - 1].strip():
            end -= 1
        original = lines[entry.line - 1 : end]
        patched = _patched(original, written, changed)
        replacements.append((entry.line - 1, end, patched if patched is not None else written))
    after = list(lines)
    for start, end, new in sorted(replacements, reverse=True):
        after[start:end] = new
    diff = difflib.unified_diff(
        [line + "\n" for line in lines],
        [line + "\n" for line in after],
        fromfile=path,
        tofile=path,
    )
    return "".join(diff)


def proposed_fixes(report: VerifyReport) -> str:
    """Unified diffs of every BibTeX file of ``report`` with its proposed fixes applied
    (the files are read again; nothing is written)."""
    from mesorefs.library import Library as Read
    from mesorefs.library import library_format
    from mesorefs.textfile import read_text_file

    files: dict[str, list[EntryResult]] = {}
    for result in report.results:
        if result.file and fixed_entry(result) is not None:
            files.setdefault(result.file, []).append(result)
    diffs = []
    for path, results in files.items():
        if library_format(path, None) != "bibtex":
            continue
        text = read_text_file(path)
        diffs.append(fix_diff(path, text, Read.loads(text, "bibtex", path), results))
    return "".join(diffs)
