"""Look every entry up and decide its outcome: the thin, networked part of verify.

For one entry (:func:`verify_entry`):

1. **By identifier.**  The first of DOI, PMID, arXiv id the entry has (an arXiv id also
   from its URL, journal or note: :func:`arxiv_in_text`) is looked up
   (:meth:`~mesorefs.resolve.Resolver.record_by_doi` and friends: Crossref, DataCite,
   doi.org, PubMed, arXiv, or the snapshot).  A record of the same work
   (:func:`~mesorefs.verify.compare.same_work`) decides: ``confirmed`` when no field
   disagrees, ``mismatch`` otherwise.
2. **By search**, when the entry has no identifier, its identifier names nothing, or it
   names another work: the bibliographic search of the resolver (Crossref's, or the
   snapshot's), then the title alone, then OpenAlex's when ``search_openalex`` is on.
   Among the candidates that are the entry's work, the one it describes best decides.
   A wrong identifier is then itself a difference (``mismatch``, with the right one as
   the fix); with no candidate that is the work, the outcome is ``not-found``, naming
   where it looked and the closest candidate (the record the identifier names, if any).
3. **Failures** of a lookup (network, rate limit, deadline, an unreadable answer) make
   the entry ``unchecked``, never ``confirmed``.

:func:`verify_references` runs the entries in parallel within the services' limits
(one :class:`~mesorefs.resolve.http.HttpClient`: rate limits, concurrency, cache,
deadlines), as :meth:`~mesorefs.resolve.Resolver.resolve_many` does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from mesorefs.errors import NotFound, ResolveError
from mesorefs.identifiers import arxiv_base, find_identifiers
from mesorefs.models import Reference
from mesorefs.resolve import arxiv, openalex
from mesorefs.resolve.resolver import Resolver, bibliographic_query
from mesorefs.resolve.scoring import score_reference
from mesorefs.verify.compare import FieldDifference, differences, same_work, title_agrees
from mesorefs.verify.model import EntryResult, Outcome
from mesorefs.verify.webpage import page_record

__all__ = ["arxiv_in_text", "verify_entry", "verify_references"]

_IDENTIFIERS = ("doi", "pmid", "arxiv")
_ID_SERVICE = {"doi": "crossref/datacite/doi.org", "pmid": "pubmed", "arxiv": "arxiv"}


def _lookup(resolver: Resolver, kind: str, value: str) -> tuple[Reference, str]:
    if kind == "doi":
        record, source = resolver.record_by_doi(value)
        if resolver.snapshot is not None and not resolver.online:
            source = f"snapshot ({source})"
        return record, source
    if kind == "pmid":
        return resolver.record_by_pmid(value), "pubmed"
    return resolver.record_by_arxiv(value), "arxiv"


def _identifier_of(record: Reference, kind: str) -> str | None:
    value: str | None = getattr(record, kind)
    if kind == "arxiv" and value:
        return arxiv_base(value)
    return value


def _rank(entry: Reference, record: Reference) -> tuple[int, float, float]:
    """Lower is better: fewer differences, then a closer title, then a higher score."""
    title = title_agrees(entry.title, record.title) if entry.title and record.title else 0.0
    return (len(differences(entry, record)), -title, -score_reference(entry, record).score)


def _search(
    resolver: Resolver, entry: Reference, searched: list[str]
) -> tuple[Reference | None, str, Reference | None]:
    """(the entry's work or None, where it was found, the closest candidate seen)."""
    where = "snapshot" if resolver.snapshot is not None else "crossref"
    queries = [bibliographic_query(entry)]
    if entry.title and entry.title != queries[0]:
        queries.append(entry.title)
    seen: list[Reference] = []

    def look(records: Sequence[Reference], source: str) -> tuple[Reference, str] | None:
        seen.extend(records)
        works = [r for r in records if same_work(entry, r)]
        if works:
            return min(works, key=lambda r: _rank(entry, r)), source
        return None

    for query in queries:
        if not query.strip():
            continue
        searched.append(f"{where} search {query[:80]!r}")
        found = look(resolver.search(query), where)
        if found:
            return found[0], found[1], None
    online = resolver.snapshot is None or resolver.online
    if online and resolver.settings.search_openalex and queries[0].strip():
        searched.append(f"openalex search {queries[0][:80]!r}")
        found = look(openalex.search(resolver.http, queries[0]), "openalex")
        if found:
            return found[0], found[1], None
    closest = max(seen, key=lambda r: score_reference(entry, r).score) if seen else None
    return None, where, closest


def _judged(
    entry: Reference,
    record: Reference,
    source: str,
    via: str,
    searched: list[str],
    extra: Sequence[FieldDifference] = (),
) -> EntryResult:
    found = [*extra, *differences(entry, record)]
    outcome: Outcome = "mismatch" if found else "confirmed"
    return EntryResult(entry, outcome, via, source, record, found, searched)


def _wrong_identifier(
    kind: str, value: str, named: Reference | None, work: Reference
) -> FieldDifference:
    right = _identifier_of(work, kind)
    what = f"names {named.title!r}" if named is not None and named.title else "names no record"
    return FieldDifference(
        kind,
        value,
        right or f"no {kind}",
        {kind: right},
        f"the entry's {kind} {what}; the work has "
        + (f"{kind} {right}" if right else f"no {kind}"),
    )


def verify_entry(resolver: Resolver, entry: Reference) -> EntryResult:
    """The outcome of one entry (see the module docstring); never raises a ResolveError."""
    searched: list[str] = []
    try:
        return _verify(resolver, entry, searched)
    except ResolveError as exc:
        return EntryResult(entry, "unchecked", searched=searched, reason=str(exc))
    except ValueError as exc:  # a record we could not read
        reason = f"unusable record: {' '.join(str(exc).split())[:200]}"
        return EntryResult(entry, "unchecked", searched=searched, reason=reason)


def arxiv_in_text(entry: Reference) -> str | None:
    """An arXiv id the entry gives outside its ``eprint`` field: in its URL, its journal or
    ``howpublished`` (``arXiv preprint arXiv:2101.00001``) or its note."""
    for text in (entry.url, entry.container_title, entry.note):
        for found in find_identifiers(text or ""):
            if found.kind == "arxiv":
                return found.value
    return None


def _verify(resolver: Resolver, entry: Reference, searched: list[str]) -> EntryResult:
    wrong: tuple[str, str, Reference | None] | None = None
    ids = {kind: getattr(entry, kind) for kind in _IDENTIFIERS}
    ids["arxiv"] = ids["arxiv"] or arxiv_in_text(entry)
    for kind in _IDENTIFIERS:
        value = ids[kind]
        if not value:
            continue
        offline = not resolver.online
        if kind == "pmid" and offline:
            searched.append(f"pmid:{value} not looked up (snapshot only)")
            continue
        try:
            if kind == "arxiv" and offline:  # the snapshot may hold arXiv's DataCite DOI
                record, source = _lookup(resolver, "doi", arxiv.arxiv_doi(arxiv_base(value)))
            else:
                record, source = _lookup(resolver, kind, value)
        except NotFound:
            if kind == "arxiv" and offline:
                searched.append(f"arxiv:{value} not in the snapshot (arXiv not asked)")
                continue
            where = "snapshot" if offline else _ID_SERVICE[kind]
            searched.append(f"{where} {kind}:{value}: no such record")
            wrong = (kind, value, None)
            break
        searched.append(f"{source} {kind}:{value}")
        if same_work(entry, record):
            return _judged(entry, record, source, kind, searched)
        wrong = (kind, value, record)
        break
    if not entry.title and not entry.authors:
        if wrong is None:
            return EntryResult(
                entry, "unchecked", searched=searched, reason="no title or author to look up"
            )
        return EntryResult(
            entry,
            "not-found",
            searched=searched,
            closest=wrong[2],
            reason=f"{wrong[0]}:{wrong[1]} names no record of this entry",
        )
    work, source, closest = _search(resolver, entry, searched)
    if work is not None:
        extra = [] if wrong is None else [_wrong_identifier(*wrong, work)]
        if wrong is not None and getattr(entry, wrong[0]) is None:
            # The id was read from a URL or a note: no field of ours to set.
            extra = [replace(extra[0], fix=None)]
        return _judged(entry, work, source, "search", searched, extra)
    if wrong is not None and wrong[2] is not None:
        closest = wrong[2]
        reason = f"{wrong[0]}:{wrong[1]} names another work, and no record of this one was found"
    elif wrong is not None:
        reason = f"{wrong[0]}:{wrong[1]} names no record, and no record of the work was found"
    else:
        reason = "no record of the work was found"
    if entry.type == "document" or (entry.url and not entry.container_title):
        return _web_page(resolver, entry, searched, closest, reason)
    return EntryResult(entry, "not-found", searched=searched, closest=closest, reason=reason)


def _web_page(
    resolver: Resolver,
    entry: Reference,
    searched: list[str],
    closest: Reference | None,
    reason: str,
) -> EntryResult:
    """An entry no service knows that names a web page: the page, read online, confirms it
    when it carries the entry's title; a page that is gone (404, 410) means not found;
    anything else leaves it unchecked (a page is not a catalogue: no accusation)."""
    url = entry.url or ""
    if not resolver.online or not url.lower().startswith(("http://", "https://")):
        why = "offline" if not resolver.online else "no http(s) URL"
        return EntryResult(
            entry,
            "unchecked",
            searched=searched,
            closest=closest,
            reason=f"{reason}; a web page, not fetched ({why})",
        )
    try:
        page = resolver.http.get("web", url, headers={"Accept": "text/html"})
    except NotFound:
        searched.append(f"web {url}: gone")
        return EntryResult(
            entry,
            "not-found",
            searched=searched,
            closest=closest,
            reason=f"{reason}; the web page it names is gone",
        )
    searched.append(f"web {url}")
    record = page_record(page.text, url)
    if record is not None and same_work(entry, record):
        return _judged(entry, record, "web", "web", searched)
    said = f"titled {record.title!r}" if record is not None else "without a title"
    return EntryResult(
        entry,
        "unchecked",
        searched=searched,
        closest=record or closest,
        reason=f"{reason}; the web page it names is {said}",
    )


def verify_references(
    resolver: Resolver,
    refs: Sequence[Reference],
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[EntryResult]:
    """The outcome of each of ``refs``, in order, looked up concurrently within limits.

    Without a ``deadline`` setting the run gets ``run_seconds + entry_seconds * n``;
    entries left when it ends are ``unchecked``.
    """
    total = len(refs)
    if resolver.settings.deadline is None and resolver.online:
        resolver.http.limit_run(
            resolver.settings.run_seconds + resolver.settings.entry_seconds * total
        )
    results: list[EntryResult | None] = [None] * total
    lock = threading.Lock()
    done = 0
    size = workers or max(1, min(8, sum(conc for _, conc in resolver.http.limits.values())))

    def run(index: int) -> None:
        nonlocal done
        result = verify_entry(resolver, refs[index])
        with lock:
            results[index] = result
            done += 1
            count = done
        if progress is not None:
            progress(count, total)

    if size == 1 or total <= 1:
        for i in range(total):
            run(i)
    else:
        with ThreadPoolExecutor(max_workers=size) as pool:
            list(pool.map(run, range(total)))
    return [r for r in results if r is not None]
