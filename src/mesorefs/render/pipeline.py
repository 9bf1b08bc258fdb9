"""Rendering, start to end: references numbered for the engine, corrected on the way in
and out (:mod:`mesorefs.render.corrections`), run through pandoc
(:mod:`mesorefs.render.pandoc`), written in the output format
(:mod:`mesorefs.render.writers`).

The public functions (:func:`format_bibliography`, :func:`format_citation`,
:func:`format_citations`, :func:`format_document`) are re-exported by
:mod:`mesorefs.render`.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import mesorefs.render.affixes as affixes
import mesorefs.render.batch as batch
import mesorefs.render.capitalize_first as capitalize_first
import mesorefs.render.cite_order as cite_order
import mesorefs.render.empty_macros as empty_macros
import mesorefs.render.etal as etal
import mesorefs.render.fixes as fixes
import mesorefs.render.keyed as keyed
import mesorefs.render.literal_quotes as literal_quotes
import mesorefs.render.locale_file as locale_file
import mesorefs.render.locator_fixes as locator_fixes
import mesorefs.render.locator_terms as locator_terms
import mesorefs.render.name_fixes as names
import mesorefs.render.pandoc as pandoc
import mesorefs.render.sorting as sorting
import mesorefs.render.style_gaps as style_gaps
import mesorefs.render.substitute as substitute
import mesorefs.render.title_probes as title_probes
import mesorefs.render.undated as undated
from mesorefs.errors import RenderError
from mesorefs.models import Reference
from mesorefs.render.styles import Style, check_locale, find_style
from mesorefs.render.writers import OUTPUTS, Output, write_blocks, write_inlines

__all__ = [
    "Citation",
    "CiteItem",
    "Library",
    "RenderedDocument",
    "format_bibliography",
    "format_citation",
    "format_citations",
    "format_document",
]

_WORKERS = max(1, min(4, os.cpu_count() or 1))
_KEY_CHUNK = 400  # items per engine run of sort keys, once a bibliography is this long


_Clusters = Sequence[Sequence[str | pandoc.CiteSpec]]


@dataclass(frozen=True)
class CiteItem:
    """One work in a citation, with what the writer adds to it: ``[see @key, p. 23]``."""

    work: Reference | str
    """The cited work, or its key in the library."""
    locator: str | None = None
    label: str = "page"
    """The CSL locator label: page, chapter, section, figure, ..."""
    prefix: str = ""
    suffix: str = ""
    suppress_author: bool = False
    """``-@key``: the year (or number) only, the author named in the text."""
    author_in_text: bool = False
    """``@key`` in running text: "Smith (2005)"."""


@dataclass(frozen=True)
class Citation:
    """One citation of a document: its works and, in a note style, its footnote number."""

    items: Sequence[CiteItem | Reference | str]
    note: int | None = None


class _KeyLookup(Protocol):
    def get(self, key: str, /) -> Reference | None: ...


Library = Mapping[str, Reference] | _KeyLookup | Iterable[Reference]
"""Where citation keys are looked up: a mapping key -> Reference, an object with
``get(key)`` (such as a library), or References whose ``key`` is set."""


@dataclass(frozen=True)
class RenderedDocument:
    """A document's citations, in order, and the bibliography of the works it cites."""

    citations: list[str]
    """Each citation; in a note style, what its footnote holds."""
    bibliography: list[str]
    in_text: list[str] = dataclasses.field(default_factory=list)
    """In a note style, for each citation, what stands in the running text before its
    footnote mark: the names of a citation whose works all have the author in the
    text ("S. P. Amin et al."), "" for the others (empty in other styles)."""


def _check_output(output: str) -> Output:
    if output not in OUTPUTS:
        raise RenderError(f"unknown output {output!r} (choose from {', '.join(OUTPUTS)})")
    return output


def _resolve(
    cited: Reference | str, library: Library | None, index: dict[str, Reference] | None
) -> Reference:
    if isinstance(cited, Reference):
        return cited
    found: Reference | None = None
    if index is not None:
        found = index.get(cited)
    elif library is not None and hasattr(library, "get"):
        found = library.get(cited)
    if found is None:
        where = "the library" if library is not None else "no library (pass library=...)"
        raise RenderError(f"unknown citation key {cited!r} in {where}")
    return found


def _index(library: Library | None) -> dict[str, Reference] | None:
    if library is None or hasattr(library, "get"):
        return None
    return {ref.key: ref for ref in library if isinstance(ref, Reference) and ref.key}


@lru_cache(maxsize=64)
def _title_cased(
    style_xml: str, locale: str | None, probes: tuple[str, ...]
) -> tuple[frozenset[str], ...]:
    """For each probe work (title_probes.py, as JSON text), the title fields the style
    title-cases, as the engine renders it."""
    works = [json.loads(p) for p in probes]
    cited = [[fixes.NAMELESS_PROBE["id"]]]
    nocite = [p["id"] for p in works]
    probe = pandoc.run([*works, fixes.NAMELESS_PROBE], cited, style_xml, locale, nocite=nocite)
    texts = {item_id: write_blocks(blocks, "text") for item_id, blocks in probe.bibliography}
    nameless = write_inlines(probe.citations[0], "text")
    return tuple(fixes.title_cased_fields(texts.get(p["id"], ""), nameless) for p in works)


@lru_cache(maxsize=64)
def _and_term(style_xml: str, locale: str | None) -> str:
    """The locale's "and" as the engine writes it for this style (locator_fixes.and_term)."""
    probe = pandoc.run(
        [locator_fixes.AND_PROBE],
        [[locator_fixes.AND_PROBE["id"]]],
        locator_fixes.and_probe_style(style_xml),
        locale,
        bibliography=False,
    )
    return locator_fixes.and_term(write_inlines(probe.citations[0], "text"))


class _Job:
    """References numbered for the engine, whatever their keys are (or lack)."""

    def __init__(self, style: str, locale: str | None, links: bool = False) -> None:
        self.style: Style = find_style(style)
        self.links = links
        self.locale = check_locale(locale) if locale else self.style.default_locale
        xml = locale_file.with_locale_file(fixes.prepare_style(self.style), self.locale)
        self.xml = undated.prepare_style(xml, self.locale)
        self.items: list[dict[str, Any]] = []
        self._ids: dict[int, str] = {}
        self._items_by_id: dict[str, dict[str, Any]] = {}

    def add(self, ref: Reference) -> str:
        known = self._ids.get(id(ref))
        if known is not None:
            return known
        item_id = f"i{len(self.items)}"
        self._ids[id(ref)] = item_id
        item = ref.to_csl()
        item.pop("custom", None)
        item["id"] = item_id
        self.items.append(item)
        self._items_by_id[item_id] = item
        return item_id

    def bibliography(self, ids: list[str]) -> list[substitute.Entry]:
        """The entries for ``ids`` (cited by nothing), split across runs when that is faster."""
        items, style_xml = self._prepared()
        if not batch.needs_splitting(style_xml, len(items)):
            result, printed = self._rendered(items, [], ids, style_xml)
            return self._substituted(result.bibliography, items, printed, style_xml)
        # a correction that reads the engine's disambiguation keeps its items with it
        pinned = frozenset(
            n
            for n, item in enumerate(items)
            if names.whole_given_names(item, style_xml) is not item
        )
        chunks = batch.chunks(items, style_xml, entries_only=pinned)
        runs = [self._chunk_run(items, chunk, style_xml) for chunk in chunks]
        with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
            ranked = sorting.RANK in items[0]
            order = None if ranked else pool.submit(self._engine_order, ids, style_xml)
            parts = list(
                pool.map(
                    lambda run: self._rendered(run[0], [], [i["id"] for i in run[0]], run[1]),
                    runs,
                )
            )
        # the stand-ins' entries (ids not among the items) are dropped
        by_id = {i: blocks for result, _ in parts for i, blocks in result.bibliography}
        printed = {i: blocks for _, part in parts for i, blocks in part.items()}
        if order is None:  # each item's place is its rank
            in_order = [i["id"] for i in sorted(items, key=lambda i: str(i[sorting.RANK]))]
        else:
            in_order = order.result()
        ordered = [(item_id, by_id[item_id]) for item_id in in_order]
        return self._substituted(ordered, items, printed, style_xml)

    @staticmethod
    def _chunk_run(
        items: list[dict[str, Any]], chunk: batch.Chunk, style_xml: str
    ) -> tuple[list[dict[str, Any]], str]:
        """The items of one engine run of a split bibliography (its members, then the
        stand-ins it needs, see batch.py) and the style it runs with."""
        members = [items[i] for i in chunk.members]
        if not chunk.disambiguate:
            return members, batch.without_disambiguation(style_xml)
        year = batch.free_year([*members, *(items[i] for i in chunk.witnesses)])
        stand_ins = [batch.stand_in(items[i], n, year + n) for n, i in enumerate(chunk.witnesses)]
        return [*members, *stand_ins], style_xml

    def run(
        self,
        clusters: _Clusters,
        *,
        nocite: list[str] | None = None,
        bibliography: bool,
        note_numbers: Sequence[int] | None = None,
    ) -> pandoc.EngineResult:
        prepared, style_xml = self._prepared()
        clusters = [[self._cite(c, style_xml) for c in cluster] for cluster in clusters]
        clusters = cite_order.ordered(
            clusters, prepared, style_xml, self.locale, keys_of=self._cite_keys
        )
        result, printed = self._rendered(
            prepared, clusters, nocite, style_xml, bibliography, note_numbers
        )
        entries = self._substituted(result.bibliography, prepared, printed, style_xml)
        return dataclasses.replace(result, bibliography=entries)

    def _cite(self, cite: str | pandoc.CiteSpec, style_xml: str) -> str | pandoc.CiteSpec:
        """A cite with its affixes and locator as the engine should see them
        (affixes.spaced_suffix, fixes.mark_sentence_end, locator_fixes.prepare_locator,
        locator_terms.label_words)."""
        if isinstance(cite, str):
            return cite
        if cite.suffix:
            cite = dataclasses.replace(cite, suffix=affixes.spaced_suffix(cite.suffix))
        if cite.prefix:
            cite = dataclasses.replace(cite, prefix=fixes.mark_sentence_end(cite.prefix))
        if not cite.locator:
            return cite
        and_term = "and"
        if locator_fixes.joins_with_a_word(cite.locator):
            and_term = _and_term(style_xml, self.locale)
        locator, label = locator_fixes.locator_label(cite.locator, cite.label)
        locator = locator_fixes.prepare_locator(locator, style_xml, and_term)
        term = locator_terms.engine_words(style_xml, self.locale).get(label)
        return dataclasses.replace(cite, locator=locator, label=label, term=term)

    def _engine_order(self, ids: list[str], style_xml: str) -> list[str]:
        """The bibliography's item ids in the engine's own order, from a run that only
        sorts (for a style whose order needs no help, see sortkeys.py)."""
        items = fixes.prepare_items(self.items, self.style, locale=self.locale)
        carried = [{**item, batch.SORT_CARRIER: item["id"]} for item in items]
        xml = batch.sort_only_style(style_xml)
        result = pandoc.run(carried, [], xml, self.locale, nocite=ids)
        return [item_id for item_id, _ in result.bibliography]

    def _source(self) -> list[dict[str, Any]]:
        """The items with their particles as written: the keys see them as citeproc-js
        does (see names.py)."""
        return fixes.prepare_items(
            self.items, self.style, merge_particles=False, locale=self.locale
        )

    def _cite_keys(self, key_xml: str, wanted: frozenset[str]) -> keyed.Keys | None:
        """The sort keys of the items ``wanted`` under a key style (cite_order.ordered)."""
        source = [item for item in self._source() if item["id"] in wanted]
        return keyed.item_keys(source, key_xml, self.locale, _KEY_CHUNK)

    def _ranks(self, style_xml: str) -> dict[str, str] | None:
        """Each item's place in the bibliography as citeproc-js sorts it (sorting.py),
        or None when the engine's own order needs no help."""
        found = keyed.item_keys(self._source(), style_xml, self.locale, _KEY_CHUNK)
        if found is None:
            return None
        keys, directions = found
        unkeyed = [None] * len(directions)  # an item the engine wrote no keys for
        in_order = sorting.order(
            ((i["id"], keys.get(i["id"], unkeyed)) for i in self.items), directions, self.locale
        )
        return {item_id: sorting.rank_value(n) for n, item_id in enumerate(in_order)}

    def _rendered(
        self,
        items: list[dict[str, Any]],
        clusters: _Clusters,
        nocite: list[str] | None,
        style_xml: str,
        bibliography: bool = True,
        note_numbers: Sequence[int] | None = None,
    ) -> tuple[pandoc.EngineResult, dict[str, list[pandoc.Node]]]:
        """The engine's citations and entries, the entries with the given names citeproc-js
        writes in full (correction whole-given-names): a probe run tells which names the citation's
        disambiguation lengthened, a run with the others marked gives each entry that says
        what the unmarked run's says but for those names.  The citations and every other
        entry come from the unmarked run: marked names are new names to the engine's
        disambiguation."""
        marked = [names.whole_given_names(i, style_xml) for i in items] if bibliography else items
        if all(m is i for m, i in zip(marked, items, strict=True)):
            return self._run(items, clusters, nocite, style_xml, bibliography, note_numbers)
        with ThreadPoolExecutor(max_workers=2) as pool:
            unmarked = pool.submit(
                self._run, items, clusters, nocite, style_xml, bibliography, note_numbers
            )
            probe = pandoc.run(
                items,
                clusters,
                names.lengthened_probe(style_xml),
                self.locale,
                nocite=nocite,
                note_numbers=note_numbers,
                in_notes=fixes.in_notes(style_xml),
            )
            kept = {i: names.lengthened(write_blocks(b, "text")) for i, b in probe.bibliography}
            marked = [
                names.whole_given_names(i, style_xml, kept.get(i["id"], frozenset())) for i in items
            ]
            whole, whole_printed = self._run(
                marked, clusters, nocite, style_xml, bibliography, note_numbers
            )
            result, printed = unmarked.result()
        whole_entries = dict(whole.bibliography)
        entries = []
        for item_id, blocks in result.bibliography:
            candidate = whole_entries.get(item_id)
            if candidate is not None and names.whole_only(
                write_blocks(candidate, "text"), write_blocks(blocks, "text"), style_xml
            ):
                blocks = candidate
                if item_id in whole_printed:
                    printed[item_id] = whole_printed[item_id]
            entries.append((item_id, blocks))
        return dataclasses.replace(result, bibliography=entries), printed

    def _run(
        self,
        items: list[dict[str, Any]],
        clusters: _Clusters,
        nocite: list[str] | None,
        style_xml: str,
        bibliography: bool = True,
        note_numbers: Sequence[int] | None = None,
    ) -> tuple[pandoc.EngineResult, dict[str, list[pandoc.Node]]]:
        """One engine run and, for styles whose subsequent-author substitution we carry
        out ourselves, the names each entry prints (see substitute.py)."""
        emulated = bibliography and substitute.emulated(style_xml)
        xml = substitute.without_substitute(style_xml) if emulated else style_xml
        xml = empty_macros.prepare_style(style_gaps.prepare_style(xml))
        xml = capitalize_first.prepare_style(xml)
        result = pandoc.run(
            literal_quotes.prepare_items(style_gaps.prepare_items(items, xml), self.locale),
            clusters,
            xml,
            self.locale,
            nocite=nocite,
            bibliography=bibliography,
            note_numbers=note_numbers,
            in_notes=fixes.in_notes(style_xml),
            links=self.links,
        )
        if fixes.puts_punctuation_in_quotes(self.locale):
            result = pandoc.EngineResult(
                citations=[fixes.punctuation_into_quotes(c) for c in result.citations],
                bibliography=[
                    (i, fixes.blocks_punctuation_into_quotes(b)) for i, b in result.bibliography
                ],
                in_text=[fixes.punctuation_into_quotes(c) for c in result.in_text],
            )
        names_xml = substitute.names_only_style(style_xml) if emulated else None
        if names_xml is None:
            return result, {}
        printed = pandoc.run(items, clusters, names_xml, self.locale, nocite=nocite)
        return result, dict(printed.bibliography)

    def _substituted(
        self,
        entries: list[substitute.Entry],
        items: list[dict[str, Any]],
        printed: dict[str, list[pandoc.Node]],
        style_xml: str,
    ) -> list[substitute.Entry]:
        if substitute.emulated(style_xml):
            return substitute.apply(entries, items, printed, style_xml)
        return entries

    def _prepared(self) -> tuple[list[dict[str, Any]], str]:
        """The items and the style XML as the engine should see them: corrected (corrections.py)
        and, where the style sorts its bibliography, ranked in citeproc-js's order."""
        style_xml = self.xml
        probes, probe_of = title_probes.probes(self.items, style_xml)
        cased = _title_cased(style_xml, self.locale, probes)
        title_cased = {item_id: cased[n] for item_id, n in probe_of.items()}
        items = fixes.prepare_items(self.items, self.style, title_cased, locale=self.locale)
        ranks = self._ranks(style_xml)
        if ranks is None:
            return items, style_xml
        ranked = [{**item, sorting.RANK: ranks[item["id"]]} for item in items]
        return ranked, sorting.ranked_style(style_xml)

    def finish_entry(self, item_id: str, rendered: str, fmt: Output) -> str:
        """A rendered bibliography entry, tidied (see :mod:`mesorefs.render.corrections`)."""
        item = self._items_by_id[item_id]
        rendered = names.normalize_initials(rendered, item, self.style)
        rendered = fixes.margin_space(rendered, fmt, self.style.xml)
        return self.finish_citation([item_id], rendered, fmt, entry=True)

    def finish_citation(
        self, ids: list[str], rendered: str, fmt: Output, *, entry: bool = False
    ) -> str:
        """A rendered citation of ``ids`` (or ``entry`` of one id), tidied."""
        rendered = literal_quotes.finish(style_gaps.finish(rendered, fmt))
        rendered = capitalize_first.finish(rendered)
        style_xml = self.xml
        et_al = etal.term_for(style_xml, self.locale)
        rendered = etal.joined(names.written_whole(rendered, style_xml), et_al)
        for item_id in ids:
            item = self._items_by_id[item_id]
            rendered = names.join_institutions(rendered, names.institution_tails(item), fmt)
        return fixes.finish(rendered, fmt, self.locale, citation=not entry)


NO_PRINTED_FORM = fixes.NO_PRINTED_FORM
"""A citation the style prints nothing for (fixes.no_printed_form)."""


def _printed(blocks: list[pandoc.Node]) -> bool:
    """False for an entry the style prints nothing for, which citeproc-js leaves out of
    the bibliography (suite fixture sort_OmittedBibRefNonNumericStyle)."""
    return bool(write_blocks(blocks, "text").strip())


def format_bibliography(
    refs: Iterable[Reference],
    style: str = "apa",
    output: Output = "text",
    locale: str | None = None,
    *,
    links: bool = False,
) -> list[str]:
    """Every reference as a bibliography entry, sorted and numbered as the style says.

    Numbered styles that number by first citation number the references in
    the order given.  ``locale`` (``"en-US"``, ``"de-DE"``) overrides the
    style's default language.  ``links``: in HTML, Markdown and LaTeX, URLs and DOIs
    become links (and a title links to its work when the style prints neither); by
    default the text is the style's alone, as citeproc-js writes it.
    """
    fmt = _check_output(output)
    job = _Job(style, locale, links)
    ids = [job.add(ref) for ref in refs]
    if not ids:
        return []
    entries = []
    for item_id, blocks in job.bibliography(ids):
        text = write_blocks(blocks, "text")
        if text.strip():  # else the style prints nothing for it (see _printed)
            rendered = text if fmt == "text" else write_blocks(blocks, fmt)
            entries.append(job.finish_entry(item_id, rendered, fmt))
    return entries


def format_citation(
    refs_or_keys: Sequence[Reference | str] | Reference | str,
    style: str = "apa",
    library: Library | None = None,
    output: Output = "text",
    locale: str | None = None,
    *,
    links: bool = False,
) -> str:
    """One in-text citation (or note) of the given works, as if they were all a document cites."""
    if isinstance(refs_or_keys, (Reference, str)):
        refs_or_keys = [refs_or_keys]
    document = format_document([refs_or_keys], style, library, output, locale, links=links)
    return document.citations[0]


def format_document(
    citations: Sequence[Sequence[Reference | str]],
    style: str = "apa",
    library: Library | None = None,
    output: Output = "text",
    locale: str | None = None,
    *,
    links: bool = False,
) -> RenderedDocument:
    """Each citation of a document, in order, and the bibliography of only the works cited.

    Each element of ``citations`` is one citation (a cluster) of one or more
    works, given as References or as keys looked up in ``library``.
    """
    sequence = [Citation(c) for c in citations]
    return format_citations(sequence, style, library, output, locale, links=links)


def format_citations(
    sequence: Sequence[Citation | Sequence[CiteItem | Reference | str]],
    style: str = "apa",
    library: Library | None = None,
    output: Output = "text",
    locale: str | None = None,
    *,
    links: bool = False,
) -> RenderedDocument:
    """A document's citations in order, with locators, affixes and positions, and its
    bibliography.

    The engine sees the whole sequence, so a note style writes "Ibid." or a short
    form where the work was cited before, and disambiguation spans the document.
    Footnote numbers default to 1, 2, ... in order.  ``links`` as in
    :func:`format_bibliography`.
    """
    fmt = _check_output(output)
    job = _Job(style, locale, links)
    index = _index(library)
    citations = [c if isinstance(c, Citation) else Citation(c) for c in sequence]
    clusters: list[list[pandoc.CiteSpec]] = []
    for citation in citations:
        cluster = []
        for cited in citation.items:
            item = cited if isinstance(cited, CiteItem) else CiteItem(cited)
            item_id = job.add(_resolve(item.work, library, index))
            cluster.append(_spec(item_id, item))
        clusters.append(cluster)
    if any(not cluster for cluster in clusters):
        raise RenderError("a citation must cite at least one work")
    if not clusters:
        return RenderedDocument(citations=[], bibliography=[])
    notes = [c.note if c.note is not None else n for n, c in enumerate(citations, start=1)]
    result = job.run(clusters, bibliography=True, note_numbers=notes)
    return RenderedDocument(
        citations=[
            job.finish_citation([spec.id for spec in cluster], write_inlines(c, fmt), fmt)
            if write_inlines(c, "text").strip()
            else fixes.no_printed_form(job.xml)
            for cluster, c in zip(clusters, result.citations, strict=True)
        ],
        in_text=[
            job.finish_citation([spec.id for spec in cluster], write_inlines(names, fmt), fmt)
            for cluster, names in zip(clusters, result.in_text, strict=True)
        ]
        if result.in_text
        else [],
        bibliography=[
            job.finish_entry(item_id, write_blocks(blocks, fmt), fmt)
            for item_id, blocks in result.bibliography
            if _printed(blocks)
        ],
    )


def _spec(item_id: str, item: CiteItem) -> pandoc.CiteSpec:
    if item.suppress_author and item.author_in_text:
        raise RenderError("a cite cannot both suppress its author and put it in the text")
    mode = "NormalCitation"
    if item.suppress_author:
        mode = "SuppressAuthor"
    elif item.author_in_text:
        mode = "AuthorInText"
    locator = str(item.locator) if item.locator not in (None, "") else None
    return pandoc.CiteSpec(
        item_id, locator, item.label, item.prefix, item.suffix, mode, rich_affixes=True
    )
