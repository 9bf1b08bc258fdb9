"""Resolver: find the record of a reference, validate it, merge it; one or many at once.

The flow of :meth:`Resolver.resolve` (find, validate, merge, enrich), the snapshot and
the HTTP client it asks through are described in :mod:`mesorefs.resolve`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timezone
from functools import partial
from typing import TYPE_CHECKING

import mesorefs.resolve.arxiv as arxiv
import mesorefs.resolve.crossref as crossref
import mesorefs.resolve.datacite as datacite
import mesorefs.resolve.doiorg as doiorg
import mesorefs.resolve.openalex as openalex
import mesorefs.resolve.pubmed as pubmed
from mesorefs.errors import NotFound, RateLimited, ResolveError, ServiceError, SettingsError
from mesorefs.identifiers import arxiv_base
from mesorefs.models import Reference
from mesorefs.resolve.decide import (
    STRING_THRESHOLD,
    THRESHOLD,
    choose,
    disagreement,
    mismatch_reason,
)
from mesorefs.resolve.enrichment import (
    _enrichment,
    _names_other_venue,
    _openalex_disagreement,
    _openalex_enrichment,
)
from mesorefs.resolve.http import Clock, HttpClient, SessionLike
from mesorefs.resolve.merge import merge
from mesorefs.resolve.results import (
    Candidate,
    ResolveResult,
    Status,
    _noted,
    _withheld_notes,
    bibliographic_query,
)
from mesorefs.resolve.scoring import MatchScore, score_reference, score_string
from mesorefs.resolve.snapshot_match import choose_in_snapshot
from mesorefs.settings import Settings

if TYPE_CHECKING:
    from mesorefs.snapshot.catalogue import Snapshot

__all__ = ["Candidate", "ResolveResult", "Resolver", "Status", "bibliographic_query"]

_ARXIV_DOI_PREFIX = "10.48550/"


class Resolver:
    """Resolve references online: Crossref, DataCite, doi.org, PubMed, OpenAlex, arXiv;
    politely, cached (see the module docstring for the flow).

    ``session`` replaces the HTTP session (tests hand in their own); ``clock`` the time
    source of the rate limiter.  The resolver is safe to use from several threads.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        session: SessionLike | None = None,
        *,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings or Settings.load()
        self.http = HttpClient(self.settings, session=session, clock=clock)
        self.threshold = self.settings.match_threshold or THRESHOLD
        self.string_threshold = self.settings.match_threshold or STRING_THRESHOLD
        self._openalex_paused: str | None = None
        self.snapshot = _open_snapshot(self.settings)
        self.online = self.snapshot is None or self.settings.online_fallback

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Resolver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- records by identifier -----------------------------------------------------

    def record_by_doi(self, doi: str) -> tuple[Reference, str]:
        """The record of ``doi`` and the service that gave it.

        Crossref first; for a DOI Crossref does not hold, the agency decides: DataCite's
        API for DataCite DOIs, doi.org content negotiation for the others.  With a
        snapshot, the snapshot's record (Crossref's, else OpenAlex's); the services only
        with ``online_fallback``.
        """
        if self.snapshot is not None:
            try:
                return self.snapshot.work(doi)
            except NotFound:
                if not self.online:
                    raise
        try:
            return crossref.fetch_work(self.http, doi), "crossref"
        except NotFound:
            pass
        try:
            agency = crossref.fetch_agency(self.http, doi)
        except NotFound:
            agency = "unknown"
        if agency == "crossref":
            raise NotFound("Crossref names itself the agency but has no record", "crossref", doi)
        if agency == "datacite":
            try:
                return datacite.fetch_doi(self.http, doi), "datacite"
            except NotFound:
                pass
        return doiorg.fetch_csl(self.http, doi), "doi.org"

    def record_by_pmid(self, pmid: str) -> Reference:
        """The PubMed record of ``pmid`` (abstract, MeSH, publication types)."""
        self._require_online("pubmed", f"pmid:{pmid}")
        return pubmed.fetch_records(self.http, [pmid])[0]

    def record_by_arxiv(self, arxiv_id: str) -> Reference:
        """arXiv's record of ``arxiv_id`` (a version in the id asks for that version).

        NotFound when arXiv does not know the id; ServiceError when it answers with the
        record of another id.
        """
        self._require_online("arxiv", f"arxiv:{arxiv_id}")
        records = arxiv.fetch(self.http, [arxiv_id])
        wanted = arxiv_base(arxiv_id)
        for record in records:
            if record.arxiv == wanted:
                return record
        raise ServiceError(f"answered with arxiv:{records[0].arxiv}", "arxiv", arxiv_id)

    def pmid_for(self, kind: str, value: str) -> str | None:
        """The PMID of a DOI or PMCID, or None."""
        ids = pubmed.search_ids(self.http, pubmed.id_term(kind, value), retmax=2)
        return ids[0] if len(ids) == 1 else None

    def search(self, text: str, rows: int = 5) -> list[Reference]:
        """Crossref's candidates for a bibliographic string (the snapshot's, with one)."""
        if self.snapshot is not None:
            return self.snapshot.search(text, rows)
        return crossref.search(self.http, text, rows)

    def _require_online(self, service: str, identifier: str) -> None:
        if not self.online:
            raise NotFound(
                "not in the snapshot, which holds no such records (online_fallback is off)",
                service,
                identifier,
            )

    def _online_search(
        self,
        base: Reference,
        query: str,
        found: ResolveResult,
        score: Callable[[Reference], MatchScore],
        threshold: float,
    ) -> ResolveResult:
        """After the snapshot's search found no match: Crossref's, with ``online_fallback``
        (``score`` rates a candidate as the snapshot's candidates were rated)."""
        if self.snapshot is None or not self.online:
            return found
        records = crossref.search(self.http, query)
        online = self._decide(base, [(r, score(r)) for r in records], threshold, "crossref", query)
        if online.ok:
            return replace(online, notes=[*online.notes, f"snapshot: {found.reason}"])
        return found

    # -- resolving -----------------------------------------------------------------

    def resolve(self, ref: Reference) -> ResolveResult:
        """Find, validate and merge the record of ``ref``.

        A DOI already in the entry is looked up and checked against the entry's title
        and authors (``mismatch`` when they disagree).  Without a DOI, a PMID is looked
        up the same way; otherwise Crossref is searched and the candidates are scored:
        ``matched`` above the threshold, else ``abstained`` with the candidates.
        Without DOI or PMID, an arXiv id is looked up in arXiv and checked the same way.
        A match with a DOI is then enriched from PubMed and OpenAlex (see
        :meth:`enrich_pubmed`, :meth:`enrich_openalex`).  Raises ResolveError subclasses
        when the service that finds the record fails; enrichment failures are notes.
        """
        return self._enriched(self._resolve(ref))

    def _resolve(self, ref: Reference) -> ResolveResult:
        if ref.doi:
            try:
                record, source = self.record_by_doi(ref.doi)
            except NotFound as exc:
                return ResolveResult(ref, "not_found", reason=str(exc), error=exc)
            return self._validate_identified(ref, record, source, f"doi:{ref.doi}")
        if ref.pmid:
            try:
                record = self.record_by_pmid(ref.pmid)
            except NotFound as exc:
                return ResolveResult(ref, "not_found", reason=str(exc), error=exc)
            return self._validate_identified(ref, record, "pubmed", f"pmid:{ref.pmid}")
        if ref.arxiv:
            try:
                record = self.record_by_arxiv(ref.arxiv)
            except NotFound as exc:
                return ResolveResult(ref, "not_found", reason=str(exc), error=exc)
            return self._resolve_arxiv(ref, record)
        query = bibliographic_query(ref)
        if not query:
            return ResolveResult(ref, "abstained", reason="nothing to search for")
        records = self.search(query)
        scored = [(r, score_reference(ref, r)) for r in records]
        result = self._decide(ref, scored, self.threshold, "crossref", query)
        below = result.score is None or result.score < self.threshold
        if result.status == "abstained" and below and self.settings.search_openalex:
            result = self._search_openalex(ref, query, result)
        if not result.ok:
            result = self._online_search(
                ref, query, result, partial(score_reference, ref), self.threshold
            )
        return result

    def _resolve_arxiv(self, ref: Reference, record: Reference) -> ResolveResult:
        """Validate and merge arXiv's record of ``ref.arxiv`` (see the module docstring)."""
        published = record.hints.get(arxiv.PUBLISHED_DOI)
        keep = {"arxiv": ref.arxiv}  # the entry's own spelling, with its version if any
        notes: list[str] = []
        if _names_other_venue(ref):
            keep["doi"] = None
            notes.append(
                f"arXiv DOI {record.doi} not added: the entry cites "
                f"{ref.container_title or ref.container_title_short}, not the preprint"
            )
        record = record.model_copy(update=keep)
        result = self._validate_identified(ref, record, "arxiv", f"arxiv:{ref.arxiv}")
        if not result.ok:
            return result
        if published and ref.doi is None:
            merged = result.reference
            hints = {**merged.hints, arxiv.PUBLISHED_DOI: published}
            result = replace(result, reference=merged.model_copy(update={"hints": hints}))
            notes.append(
                f"arXiv lists the published version doi:{published} "
                '(hints["published-doi"]); the preprint is kept as cited'
            )
        return replace(result, notes=[*result.notes, *notes])

    def _search_openalex(
        self, ref: Reference, query: str, crossref: ResolveResult
    ) -> ResolveResult:
        """OpenAlex's search after Crossref's found nothing at the threshold; same scoring."""
        try:
            if self.snapshot is not None and self.snapshot.has("openalex"):
                records = self.snapshot.search(query, source="openalex")
            elif self.online:
                records = openalex.search(self.http, query)
            else:
                return crossref
        except (ResolveError, ValueError) as exc:
            return _noted(crossref, f"OpenAlex search failed: {exc}")
        scored = [(r, score_reference(ref, r)) for r in records]
        found = self._decide(ref, scored, self.threshold, "openalex", query)
        if found.ok:
            return replace(found, notes=[*found.notes, f"Crossref: {crossref.reason}"])
        candidates = sorted(
            [*crossref.candidates, *found.candidates], key=lambda c: c.score, reverse=True
        )
        return replace(
            crossref,
            candidates=candidates,
            score=candidates[0].score if candidates else None,
            reason=f"crossref: {crossref.reason}; openalex: {found.reason}",
        )

    def resolve_string(self, text: str, entry: Reference | None = None) -> ResolveResult:
        """Match a raw reference string: Crossref search, then validation against the string."""
        base = entry or Reference()
        if not text.strip():
            return ResolveResult(base, "abstained", reason="empty reference string")
        if self.snapshot is not None:
            choice = choose_in_snapshot(
                self.snapshot, text, self.string_threshold, self.snapshot.parse_hit
            )
            result = self._decide(
                base,
                choice.scored,
                self.string_threshold,
                "crossref",
                text,
                chosen=(choice.index, choice.reason),
            )
        else:
            scored = [(r, score_string(text, r)) for r in self.search(text)]
            result = self._decide(base, scored, self.string_threshold, "crossref", text)
        if not result.ok:
            result = self._online_search(
                base, text, result, partial(score_string, text), self.string_threshold
            )
        return self._enriched(result)

    # -- PubMed enrichment ---------------------------------------------------------

    def _enriched(self, result: ResolveResult) -> ResolveResult:
        if not result.ok:
            return result
        doi = result.reference.doi or ""
        if doi.startswith(_ARXIV_DOI_PREFIX):
            return result  # an arXiv preprint: neither PubMed nor OpenAlex adds to arXiv's record
        result = self._canonical_noted(result)
        if self.settings.enrich_pubmed:
            if self.online:
                result = self.enrich_pubmed(result)
            else:
                result = _noted(result, "PubMed not asked: resolving against the snapshot only")
        openalex_here = self.online or (self.snapshot is not None and self.snapshot.has("openalex"))
        if self.settings.enrich_openalex and result.source != "openalex" and openalex_here:
            result = self.enrich_openalex(result)
        return result

    def enrich_pubmed(self, result: ResolveResult) -> ResolveResult:
        """Add PubMed's PMID, PMCID, abstract and publication types to a DOI match.

        Runs when the matched reference has a DOI and no PMID: the DOI is searched in
        PubMed, and exactly one hit is fetched and attached only when it agrees with the
        matched reference (:func:`~mesorefs.resolve.decide.disagreement`), so a wrong
        PMID is never attached.  The abstract is added only when the reference has none;
        retraction and correction notices become updates.  Nothing here fails the
        resolve: a service error, an ambiguous or a disagreeing record is recorded in
        ``notes`` and ``reason``, and the result is returned as it was.
        """
        ref = result.reference
        if not result.ok or not ref.doi or ref.pmid or "pmid" in ref.locked:
            return result
        try:
            ids = pubmed.search_ids(self.http, pubmed.id_term("doi", ref.doi), retmax=2)
            if not ids:
                return _noted(result, f"PubMed has no record of doi:{ref.doi}")
            if len(ids) > 1:
                return _noted(
                    result, f"PubMed: several records for doi:{ref.doi}; none attached", True
                )
            record = pubmed.fetch_records(self.http, ids)[0]
        except ResolveError as exc:
            return _noted(result, f"PubMed enrichment failed: {exc}", True)
        except ValueError as exc:  # a record we could not read
            return _noted(result, f"PubMed enrichment failed: unusable record: {exc}", True)
        problem = disagreement(ref, record)
        if record.pmid != ids[0]:
            problem = f"efetch answered with pmid:{record.pmid}"
        if problem:
            return _noted(result, f"PubMed record pmid:{ids[0]} not attached: {problem}", True)
        merged = merge(
            ref,
            _enrichment(ref, record),
            "pubmed",
            retrieved=datetime.now(timezone.utc),
            confidence=1.0,
            detail=f"pmid:{record.pmid}",
        )
        return replace(
            result,
            reference=merged.reference,
            changes=[*result.changes, *merged.changes],
            conflicts=[*result.conflicts, *merged.conflicts],
            notes=[
                *result.notes,
                f"PubMed record pmid:{record.pmid} attached",
                *_withheld_notes("pubmed", merged.withheld),
            ],
        )

    # -- OpenAlex enrichment -------------------------------------------------------

    def enrich_openalex(self, result: ResolveResult) -> ResolveResult:
        """Add OpenAlex's abstract, PMID, PMCID and retraction flag to a DOI match.

        Runs when the matched reference has a DOI and still no abstract (and the abstract
        is not locked).  OpenAlex's work of the DOI (a singleton lookup, free of charge)
        is attached only when it carries exactly our DOI and a title at least
        :data:`~mesorefs.resolve.decide.ENRICH_TITLE_THRESHOLD` similar to ours.  The
        abstract is rebuilt from the inverted index; PMID and PMCID are added when
        missing and withheld when either contradicts one we have; ``is_retracted``
        becomes a retraction update unless one is already known.  Nothing here fails the
        resolve: errors and disagreements go to ``notes`` and ``reason``.  After a rate
        limit, OpenAlex is not asked again by this resolver.
        """
        ref = result.reference
        if not result.ok or not ref.doi or not ref.is_empty("abstract") or "abstract" in ref.locked:
            return result
        if self._openalex_paused:
            return _noted(result, f"OpenAlex not asked: {self._openalex_paused}")
        try:
            record = self._openalex_work(ref.doi)
        except NotFound:
            return _noted(result, f"OpenAlex has no record of doi:{ref.doi}")
        except RateLimited as exc:
            self._openalex_paused = f"rate limited earlier ({exc})"
            return _noted(result, f"OpenAlex enrichment failed: {exc}", True)
        except ResolveError as exc:
            return _noted(result, f"OpenAlex enrichment failed: {exc}", True)
        except ValueError as exc:  # a record we could not read
            return _noted(result, f"OpenAlex enrichment failed: unusable record: {exc}", True)
        problem = _openalex_disagreement(ref, record)
        if problem:
            return _noted(result, f"OpenAlex work of doi:{ref.doi} not attached: {problem}", True)
        addition, withheld = _openalex_enrichment(ref, record)
        merged = merge(
            ref,
            addition,
            "openalex",
            retrieved=datetime.now(timezone.utc),
            confidence=1.0,
            detail=f"openalex:doi:{ref.doi}",
        )
        added = [c.field for c in merged.changes]
        if addition.updates:
            added.append("retraction")
        summary = f" ({', '.join(added)})" if added else ": nothing to add"
        notes = [f"OpenAlex work of doi:{ref.doi} attached{summary}", *withheld]
        return replace(
            result,
            reference=merged.reference,
            changes=[*result.changes, *merged.changes],
            conflicts=[*result.conflicts, *merged.conflicts],
            notes=[*result.notes, *notes, *_withheld_notes("openalex", merged.withheld)],
        )

    def _openalex_work(self, doi: str) -> Reference:
        if self.snapshot is not None and self.snapshot.has("openalex"):
            try:
                return self.snapshot.source_work("openalex", doi)
            except NotFound:
                if not self.online:
                    raise
        self._require_online("openalex", f"doi:{doi}")
        return openalex.fetch_work(self.http, doi)

    def _canonical_noted(self, result: ResolveResult) -> ResolveResult:
        """Name the DOI a snapshot keeps as the version of record, when it is another."""
        doi = result.reference.doi
        canonical = self.snapshot.canonical(doi) if self.snapshot is not None and doi else None
        if canonical is None:
            return result
        merged = result.reference
        hints = {**merged.hints, "canonical-doi": canonical}
        return replace(
            result,
            reference=merged.model_copy(update={"hints": hints}),
            notes=[
                *result.notes,
                f"doi:{doi} is a version of doi:{canonical}, the snapshot's version of record "
                '(hints["canonical-doi"])',
            ],
        )

    def _decide(
        self,
        ref: Reference,
        scored: Sequence[tuple[Reference, MatchScore]],
        threshold: float,
        source: str,
        query: str,
        *,
        chosen: tuple[int | None, str] | None = None,
    ) -> ResolveResult:
        """Accept one of ``scored`` or abstain; ``chosen``: the index and reason
        :func:`~mesorefs.resolve.decide.choose` gave already."""
        candidates = sorted(
            (Candidate(r, s.score, source, s) for r, s in scored),
            key=lambda c: c.score,
            reverse=True,
        )
        index, reason = chosen if chosen is not None else choose(scored, threshold)
        if index is None:
            best = candidates[0].score if candidates else None
            return ResolveResult(ref, "abstained", best, candidates, reason, source=source)
        record, score = scored[index]
        return self._merged(ref, record, source, score.score, candidates, reason, query)

    def _validate_identified(
        self, ref: Reference, record: Reference, source: str, detail: str
    ) -> ResolveResult:
        candidate = Candidate(record, 1.0, source)
        problem = mismatch_reason(ref, record)
        if problem:
            return ResolveResult(
                ref,
                "mismatch",
                0.0,
                [candidate],
                f"{detail} belongs to another work: {problem}",
                source=source,
            )
        return self._merged(ref, record, source, 1.0, [candidate], f"record of {detail}", detail)

    def _merged(
        self,
        ref: Reference,
        record: Reference,
        source: str,
        score: float,
        candidates: list[Candidate],
        reason: str,
        detail: str,
    ) -> ResolveResult:
        result = merge(
            ref,
            record,
            source,
            retrieved=datetime.now(timezone.utc),
            confidence=score,
            detail=record.url or detail[:200],
        )
        return ResolveResult(
            result.reference,
            "matched",
            score,
            candidates,
            reason,
            result.changes,
            result.conflicts,
            source,
            notes=_withheld_notes(source, result.withheld),
        )

    # -- batch -----------------------------------------------------------------------

    def resolve_many(
        self,
        refs: Iterable[Reference],
        progress: Callable[[int, int, ResolveResult], None] | None = None,
        *,
        workers: int | None = None,
    ) -> list[ResolveResult]:
        """Resolve many references concurrently within each service's limits.

        Failures come back as results with status ``error`` (never raised); results are
        in the order of ``refs``.  Without a ``deadline`` setting the run has one of
        ``run_seconds + entry_seconds * len(refs)`` (15 s + 4 s an entry by default).
        ``progress(done, total, result)`` is called as each one
        finishes.
        """
        items = list(refs)
        total = len(items)
        if self.settings.deadline is None and self.online:
            # Whatever the servers do (answer in 25 s, advertise one request an hour), a
            # batch ends: the entries left are error results, never lost.
            self.http.limit_run(self.settings.run_seconds + self.settings.entry_seconds * total)
        results: list[ResolveResult | None] = [None] * total
        done = 0
        lock = threading.Lock()
        size = workers or max(1, min(8, sum(conc for _, conc in self.http.limits.values())))

        def run(index: int) -> None:
            nonlocal done
            ref = items[index]
            try:
                result = self.resolve(ref)
            except ResolveError as exc:
                result = ResolveResult(ref, "error", reason=str(exc), error=exc)
            except ValueError as exc:  # a record we could not read
                error = ServiceError(f"unusable record: {exc}")
                result = ResolveResult(ref, "error", reason=str(error), error=error)
            with lock:
                results[index] = result
                done += 1
                count = done
            if progress is not None:
                progress(count, total, result)

        with ThreadPoolExecutor(max_workers=size) as pool:
            list(pool.map(run, range(total)))
        return [r for r in results if r is not None]


def _open_snapshot(settings: Settings) -> Snapshot | None:
    if not settings.snapshot_dir:
        return None
    try:
        from mesorefs.snapshot.catalogue import open_snapshot
    except ImportError as exc:
        raise SettingsError(
            f"a snapshot needs the scale extra (pip install 'mesorefs[scale]'): {exc}",
            "snapshot_dir",
        ) from None
    return open_snapshot(settings.snapshot_dir, settings.cache_dir)
