"""MR5xx: the bibliography against the document that cites it (``lint(..., document=...)``).

A citation marker is matched to entries by key (``[@key]``, ``\\cite{key}``), by first
author and year (``(Amin et al., 2006)``) or by number (``[3]``, through the document's
own reference list when it has one).  An entry of the document's reference list is
matched to an entry of the library by its title and first author.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mesorefs.bibtex.keys import fold_ascii
from mesorefs.dedupe import normalize_title
from mesorefs.lint._text import family_key, shown
from mesorefs.lint.context import LintContext
from mesorefs.lint.registry import Report, register
from mesorefs.lint.source import line_of, line_starts
from mesorefs.models import Reference

if TYPE_CHECKING:
    from mesorefs.claims.document import Block, Citation, Document

__all__ = ["CitationMap", "map_citations"]


@dataclass
class CitationMap:
    """Which entries the document cites, and what it cites that the library lacks."""

    cited: set[int] = field(default_factory=set)
    """Positions (in ``Library.items``) of entries the document cites."""
    missing: list[tuple[int, str]] = field(default_factory=list)
    """(offset in the document, what is missing) for citations with no entry."""


def _title_coverage(entry_words: set[str], ref: Reference) -> float:
    words = normalize_title(ref.title).split()
    if not words:
        return 0.0
    return sum(w in entry_words for w in words) / len(words)


def _match_bibliography(
    block: Block, by_family: dict[str, list[tuple[int, Reference]]]
) -> int | None:
    """The library entry a line of the document's reference list describes, if any."""
    words = set(normalize_title(block.text).split())
    best: tuple[float, int, int] | None = None
    for family in {fold_ascii(w).lower() for w in words}:
        for item, ref in by_family.get(family, ()):
            coverage = _title_coverage(words, ref)
            if coverage >= 0.8:
                score = (coverage, len(normalize_title(ref.title)), -item)
                if best is None or score > best:
                    best = score
    return -best[2] if best else None


def _all_citations(document: Document) -> list[Citation]:
    return [c for segment in document.segments for c in segment.citations]


def map_citations(document: Document, entries: Sequence[tuple[int, Reference]]) -> CitationMap:
    """Match every citation marker and reference-list line of ``document`` to entries."""
    out = CitationMap()
    by_key = {ref.key.lower(): item for item, ref in entries if ref.key}
    by_family: dict[str, list[tuple[int, Reference]]] = defaultdict(list)
    by_author_year: dict[tuple[str, str], list[int]] = defaultdict(list)
    for item, ref in entries:
        family = family_key(ref)
        if family:
            by_family[family].append((item, ref))
            if ref.year is not None:
                by_author_year[(family, str(ref.year))].append(item)
    numbered: list[int | None] = []
    for position, block in enumerate(document.bibliography, start=1):
        match = _match_bibliography(block, by_family)
        numbered.append(match)
        if match is None:
            out.missing.append(
                (block.start, f"reference list entry {position} ({shown(block.text, 70)})")
            )
        else:
            out.cited.add(match)
    for citation in _all_citations(document):
        if citation.style in ("pandoc", "latex"):
            for key in citation.keys:
                if key.lower() in by_key:
                    out.cited.add(by_key[key.lower()])
                else:
                    out.missing.append((citation.start, f"key {key!r} ({citation.marker})"))
        elif citation.style == "author-year":
            family = fold_ascii(citation.authors[0]).lower() if citation.authors else ""
            year = re.sub(r"\D", "", citation.year or "")
            items = by_author_year.get((family, year), [])
            if items:
                out.cited.update(items)
            else:
                out.missing.append((citation.start, f"{citation.marker}"))
        else:
            limit = len(document.bibliography) or len(entries)
            for number in citation.numbers:
                if not 1 <= number <= limit:
                    out.missing.append((citation.start, f"number {number} ({citation.marker})"))
                elif not document.bibliography:
                    out.cited.add(entries[number - 1][0])
    return out


def _map(ctx: LintContext) -> CitationMap | None:
    if ctx.document is None:
        return None
    cached = ctx.memo.get("citations")
    if isinstance(cached, CitationMap):
        return cached
    mapped = map_citations(ctx.document, ctx.entries)
    ctx.memo["citations"] = mapped
    return mapped


@register("MR501", "cited-not-in-bib", "error")
def cited_not_in_bib(ctx: LintContext) -> Iterator[Report]:
    """The document cites something the .bib does not have."""
    mapped = _map(ctx)
    if mapped is None or ctx.document is None:
        return
    starts = line_starts(ctx.document.text)
    for offset, what in mapped.missing:
        yield Report(
            f"the document cites {what}, which is not in the bibliography; add the entry "
            "or correct the citation",
            line=line_of(starts, offset),
            file=ctx.document_path,
        )


@register("MR502", "never-cited", "info")
def never_cited(ctx: LintContext) -> Iterator[Report]:
    """An entry the document never cites."""
    mapped = _map(ctx)
    if mapped is None:
        return
    for item, _ref in ctx.entries:
        if item not in mapped.cited:
            yield Report("the document never cites this entry; cite it or remove it", item)
