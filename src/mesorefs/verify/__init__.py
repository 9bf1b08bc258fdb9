"""Verify a bibliography: is each entry a real work, and does it describe it correctly?

:func:`verify_bibliography` gives every entry of one or more files one outcome
(``confirmed``, ``mismatch``, ``not-found``, ``unchecked``) with its evidence, online
through the resolver's services or offline against a snapshot, the same way.  The
pieces: :mod:`~mesorefs.verify.compare` (pure field comparison with the tolerances),
:mod:`~mesorefs.verify.run` (lookups, in parallel within the services' limits),
:mod:`~mesorefs.verify.report` (text, JSON, GitHub annotations, the fix diff).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from mesorefs.verify.model import EntryResult, VerifyReport

if TYPE_CHECKING:
    from mesorefs.settings import Settings

__all__ = ["EntryResult", "VerifyReport", "verify_bibliography"]


def verify_bibliography(
    sources: Sequence[str | Path],
    settings: Settings | None = None,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> VerifyReport:
    """The outcome of every entry of the files ``sources`` (.bib, CSL-JSON, RIS).

    ``settings`` is a :class:`~mesorefs.settings.Settings` (None: loaded as usual); its
    ``snapshot_dir`` makes the check run against a local snapshot.  Failures of lookups
    are ``unchecked`` results, never raised; a file that cannot be read raises
    :class:`~mesorefs.errors.InputError`.
    """
    from mesorefs.library import Library, library_format
    from mesorefs.lint.source import SourceMap
    from mesorefs.resolve import Resolver
    from mesorefs.textfile import read_text_file
    from mesorefs.verify.run import verify_references

    files = []
    for source in sources:
        text = read_text_file(source)
        kind = library_format(source, None)
        refs = Library.loads(text, kind, str(source)).references
        files.append((str(source), refs, SourceMap(text) if kind == "bibtex" else None))
    everything = [ref for _, refs, _ in files for ref in refs]
    with Resolver(settings) as resolver:  # one run: one deadline for every file's entries
        found = iter(verify_references(resolver, everything, workers=workers, progress=progress))
    results: list[EntryResult] = []
    for path, refs, lines in files:
        for index, ref in enumerate(refs):
            entry = lines.take(ref.key) if lines is not None else None
            line = entry.line if entry is not None else None
            results.append(replace(next(found), file=path, line=line, index=index))
    return VerifyReport(results)
