"""MR2xx: identifiers: syntax (offline), presence, and whether they name this work (online)."""

from __future__ import annotations

from collections.abc import Iterator

from mesorefs import identifiers
from mesorefs.errors import InvalidIdentifier
from mesorefs.lint._text import label
from mesorefs.lint.context import LintContext
from mesorefs.lint.model import Fix
from mesorefs.lint.registry import Report, register

_NORMALIZERS = {
    "pmid": identifiers.normalize_pmid,
    "pmcid": identifiers.normalize_pmcid,
    "arxiv": identifiers.normalize_arxiv,
    "isbn": identifiers.normalize_isbn,
    "issn": identifiers.normalize_issn,
}
# Types of works that normally have a DOI, PMID, ISBN or arXiv id.
_IDENTIFIED_TYPES = frozenset(
    {"article-journal", "article", "paper-conference", "chapter", "book", "report", "dataset"}
)


def _reason(error: InvalidIdentifier) -> str:
    text = str(error)
    return text.split(": ", 1)[1] if ": " in text else text


@register("MR201", "invalid-doi", "error")
def invalid_doi(ctx: LintContext) -> Iterator[Report]:
    """A DOI that is not a DOI (``10.`` prefix, 4-9 digit registrant, a suffix, no spaces)."""
    for item, ref in ctx.entries:
        if not ref.doi:
            continue
        try:
            identifiers.normalize_doi(ref.doi)
        except InvalidIdentifier as error:
            found = identifiers.find_dois(ref.doi)
            fix = None
            if len(found) == 1:
                fix = Fix(f"keep only the DOI {found[0]} found in the field", (("doi", found[0]),))
            advice = f"it holds the DOI {found[0]}" if fix else "correct it or remove it"
            yield Report(
                f"DOI {ref.doi!r} is not valid ({_reason(error)}); {advice}",
                item,
                field="doi",
                fix=fix,
            )


@register("MR202", "invalid-identifier", "error")
def invalid_identifier(ctx: LintContext) -> Iterator[Report]:
    """A PMID, PMCID, arXiv id, ISBN or ISSN with the wrong shape or check digit."""
    for item, ref in ctx.entries:
        for name, normalize in _NORMALIZERS.items():
            value = getattr(ref, name)
            if not value:
                continue
            try:
                normalize(value)
            except InvalidIdentifier as error:
                yield Report(
                    f"{label(name)} {value!r} is not valid ({_reason(error)}); correct or "
                    "remove it",
                    item,
                    field=name,
                )


@register("MR203", "missing-identifier", "info")
def missing_identifier(ctx: LintContext) -> Iterator[Report]:
    """A published work with no DOI, PMID, PMCID, arXiv id or ISBN to find it by."""
    for item, ref in ctx.entries:
        if ref.type not in _IDENTIFIED_TYPES or ref.doi or ref.pmid or ref.pmcid:
            continue
        if ref.arxiv or ref.isbn:
            continue
        yield Report(
            "no DOI or other identifier; add one (`mesorefs resolve` looks it up) so "
            "readers and tools can find the work",
            item,
            field="doi",
        )


@register("MR204", "doi-mismatch", "error", online=True)
def doi_mismatch(ctx: LintContext) -> Iterator[Report]:
    """The DOI resolves to a different work (its title or authors disagree with the entry)."""
    for item, _ref in ctx.entries:
        result = ctx.resolution(item)
        if result is not None and result.status == "mismatch":
            yield Report(
                f"{result.reason}; correct the DOI or the entry",
                item,
                field="doi",
            )


@register("MR205", "doi-not-found", "error", online=True)
def doi_not_found(ctx: LintContext) -> Iterator[Report]:
    """The DOI (or PMID) is registered nowhere: a typo or a DOI that was never minted."""
    for item, ref in ctx.entries:
        result = ctx.resolution(item)
        if result is None or result.status != "not_found":
            continue
        field = "doi" if ref.doi else "pmid"
        value = ref.doi or ref.pmid
        yield Report(
            f"{label(field)} {value} is not registered ({result.reason}); check it against "
            "the publisher's page",
            item,
            field=field,
        )


@register("MR209", "work-not-found", "error", online=True)
def work_not_found(ctx: LintContext) -> Iterator[Report]:
    """No record of the work where ``mesorefs verify`` looks: it may not exist."""
    for item, _ref in ctx.entries:
        result = ctx.verification(item)
        resolved = ctx.resolution(item)
        if result is None or result.outcome != "not-found":
            continue
        if resolved is not None and resolved.status == "not_found":
            continue  # MR205 already says its identifier is registered nowhere
        yield Report(
            f"no record of this work was found ({result.reason}); check that it exists"
            " (`mesorefs verify` names where it looked)",
            item,
            field="title",
        )


@register("MR206", "missing-doi", "warning", online=True)
def missing_doi(ctx: LintContext) -> Iterator[Report]:
    """No DOI, although a confident match with a DOI exists."""
    for item, ref in ctx.entries:
        if ref.doi or "doi" in ref.locked:
            continue
        result = ctx.resolution(item)
        if result is None or result.status != "matched" or not result.reference.doi:
            continue
        doi = result.reference.doi
        score = f" (score {result.score:.2f})" if result.score is not None else ""
        yield Report(
            f"no DOI, but {result.source or 'the resolver'} matches this entry{score} to "
            f"DOI {doi}; add it",
            item,
            field="doi",
            fix=Fix(f"add DOI {doi} from {result.source or 'the resolver'}", (("doi", doi),)),
        )


@register("MR207", "online-check-failed", "info", online=True)
def online_check_failed(ctx: LintContext) -> Iterator[Report]:
    """The online checks could not look this entry up (offline, not cached, service down)."""
    for item, _ref in ctx.entries:
        result = ctx.resolution(item)
        if result is not None and result.status == "error":
            yield Report(f"not checked online: {result.reason}; run again later", item)
    if ctx.resolve_error:
        yield Report(f"not checked online: {ctx.resolve_error}", file=ctx.path)


@register("MR208", "unchecked", "error", online=True)
def unchecked(ctx: LintContext) -> Iterator[Report]:
    """The online checks could not run at all (no network, every lookup failed): nothing
    online was checked, so a clean result would mean nothing."""
    failed = [ctx.resolution(item) for item, _ref in ctx.entries]
    if ctx.resolve_error:
        reason = ctx.resolve_error
    elif failed and all(r is not None and r.status == "error" for r in failed):
        first = failed[0]
        reason = first.reason if first is not None and first.reason else "every lookup failed"
    else:
        return
    count = len(ctx.entries)
    yield Report(
        f"online checks did not run ({reason}); {count} entr{'y' if count == 1 else 'ies'} "
        "unchecked: run again with the network (or pass --allow-unchecked)",
        file=ctx.path,
    )
