"""What every check reads: the library, where its entries are, the document, the resolver."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from mesorefs.bibtex.codec import Verbatim
from mesorefs.errors import ResolveError
from mesorefs.library import Library
from mesorefs.lint.model import CheckInfo, Finding, Report
from mesorefs.lint.source import SourceEntry, SourceMap
from mesorefs.models import Reference

if TYPE_CHECKING:
    from mesorefs.claims.document import Document
    from mesorefs.resolve.resolver import ResolveResult
    from mesorefs.verify.model import EntryResult

__all__ = ["LintContext", "ResolverLike"]


class ResolverLike(Protocol):
    """The part of :class:`~mesorefs.resolve.Resolver` online checks use (tests pass a fake)."""

    def resolve_many(self, refs: Iterable[Reference]) -> list[ResolveResult]: ...
    def search(self, text: str, rows: int = 5) -> list[Reference]: ...


@dataclass
class LintContext:
    """A library being linted, with the locations of its entries and the optional extras."""

    library: Library
    path: str | None = None
    source_text: str | None = None
    document: Document | None = None
    document_path: str | None = None
    resolver: ResolverLike | None = None
    year: int = field(default_factory=lambda: datetime.date.today().year)
    entries: list[tuple[int, Reference]] = field(init=False)
    """``(position in library.items, reference)`` for every reference, in order."""
    _where: dict[int, SourceEntry] = field(init=False, default_factory=dict)
    _source: SourceMap | None = field(init=False, default=None)
    _resolved: dict[int, ResolveResult] | None = field(init=False, default=None)
    _verified: dict[int, EntryResult] | None = field(init=False, default=None)
    resolve_error: str | None = field(init=False, default=None)
    memo: dict[str, object] = field(init=False, default_factory=dict)
    """Results checks share within one run (e.g. the document's citation map)."""

    def __post_init__(self) -> None:
        self.entries = [
            (i, item) for i, item in enumerate(self.library.items) if isinstance(item, Reference)
        ]
        if self.source_text is not None:
            self._source = SourceMap(self.source_text)
            for index, item in enumerate(self.library.items):
                if isinstance(item, Reference):
                    entry = self._source.take(item.key)
                    if entry is not None:
                        self._where[index] = entry

    @property
    def references(self) -> list[Reference]:
        return [ref for _, ref in self.entries]

    @property
    def failed_blocks(self) -> list[tuple[int, Verbatim]]:
        """Entries the codec could not read, kept verbatim."""
        return [
            (i, item)
            for i, item in enumerate(self.library.items)
            if isinstance(item, Verbatim) and item.kind == "failed"
        ]

    # -- locations -------------------------------------------------------------------

    def line(self, item: int | None, field_name: str | None = None) -> int | None:
        """The line of an entry (and of one of its fields when the text is known)."""
        if item is None:
            return None
        entry = self._where.get(item)
        if entry is not None and self._source is not None:
            return self._source.field_line(entry, field_name)
        block = self.library.items[item] if 0 <= item < len(self.library.items) else None
        return block.line if isinstance(block, Verbatim) else None

    def finding(self, check: CheckInfo, report: Report) -> Finding:
        """A finding of ``check`` at the place ``report`` names."""
        key = report.key
        if key is None and report.item is not None:
            block = self.library.items[report.item]
            key = block.key if isinstance(block, Reference) else None
        line = report.line if report.line is not None else self.line(report.item, report.field)
        return Finding(
            check=check.id,
            name=check.name,
            severity=report.severity or check.severity,
            message=report.message,
            key=key,
            field=report.field,
            file=report.file or self.path,
            line=line,
            item=report.item,
            fix=report.fix,
        )

    # -- online ----------------------------------------------------------------------

    def resolution(self, item: int) -> ResolveResult | None:
        """The resolver's result for the entry at ``item`` (None offline).

        All entries are resolved in one batch the first time any check asks, so the
        resolver's concurrency, rate limits and cache serve every online check.
        """
        if self.resolver is None:
            return None
        if self._resolved is None:
            self._resolved = {}
            try:
                results = self.resolver.resolve_many(self.references)
            except ResolveError as error:  # a resolver that raises instead of reporting
                self.resolve_error = str(error)
                results = []
            for (index, _), result in zip(self.entries, results, strict=False):
                self._resolved[index] = result
        return self._resolved.get(item)

    def search(self, text: str, rows: int = 5) -> Sequence[Reference]:
        """Candidates from the resolver's bibliographic search ([] offline or on failure)."""
        if self.resolver is None or not text.strip():
            return []
        try:
            return self.resolver.search(text, rows)
        except ResolveError:
            return []

    def verification(self, item: int) -> EntryResult | None:
        """``mesorefs verify``'s outcome for the entry at ``item`` (None offline, or with a
        resolver that is not a :class:`~mesorefs.resolve.Resolver`). All entries are
        verified in one batch the first time a check asks."""
        from mesorefs.resolve.resolver import Resolver

        if not isinstance(self.resolver, Resolver):
            return None
        if self._verified is None:
            from mesorefs.verify.run import verify_references

            results = verify_references(self.resolver, self.references)
            self._verified = {index: r for (index, _), r in zip(self.entries, results, strict=True)}
        return self._verified.get(item)
