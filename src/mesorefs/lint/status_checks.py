"""MR4xx: the work's status: retracted, corrected, a preprint that has been published.

These read what the entry already records (``updates``, the other entries) offline, and
add what the resolver knows when one is given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from mesorefs.dedupe import normalize_title
from mesorefs.lint._text import family_key, is_preprint, who
from mesorefs.lint.context import LintContext
from mesorefs.lint.registry import Report, register
from mesorefs.models import Reference, Update

_RETRACTED = ("retraction", "withdrawal")
_AMENDED = ("correction", "expression-of-concern")


def _updates(ctx: LintContext, item: int, ref: Reference) -> list[Update]:
    """The entry's notices plus the resolver's, without repeats."""
    found = list(ref.updates)
    result = ctx.resolution(item)
    if result is not None and result.status == "matched":
        found += result.reference.updates
    unique: dict[tuple[str, str | None, str | None], Update] = {}
    for update in found:
        unique.setdefault((update.kind, (update.doi or "").lower() or None, update.date), update)
    return list(unique.values())


def _describe(update: Update) -> str:
    parts = [update.label or update.kind.replace("-", " ")]
    if update.date:
        parts.append(f"of {update.date}")
    if update.doi:
        parts.append(f"(doi:{update.doi})")
    return " ".join(parts)


@register("MR401", "retracted", "error")
def retracted(ctx: LintContext) -> Iterator[Report]:
    """The work was retracted or withdrawn."""
    for item, ref in ctx.entries:
        notices = [u for u in _updates(ctx, item, ref) if u.kind in _RETRACTED]
        if notices:
            what = "; ".join(_describe(u) for u in notices)
            yield Report(
                f"this work was retracted: {what}; do not cite it as evidence (cite the "
                "retraction notice if you discuss it)",
                item,
            )


@register("MR402", "corrected", "warning")
def corrected(ctx: LintContext) -> Iterator[Report]:
    """The work has a correction or an expression of concern."""
    for item, ref in ctx.entries:
        notices = [u for u in _updates(ctx, item, ref) if u.kind in _AMENDED]
        if notices:
            what = "; ".join(_describe(u) for u in notices)
            yield Report(
                f"this work has a notice: {what}; read it and check that what you cite still holds",
                item,
            )


def _search_text(ref: Reference) -> str:
    family = ref.first_author_family or ""
    return f"{family} {ref.title or ''}".strip()


@register("MR403", "preprint-published", "warning")
def preprint_published(ctx: LintContext) -> Iterator[Report]:
    """A preprint whose published version exists (in the library, or online)."""
    published: dict[tuple[str, str], list[tuple[int, Reference]]] = defaultdict(list)
    preprints: list[tuple[int, Reference]] = []
    for item, ref in ctx.entries:
        title = normalize_title(ref.title)
        if not title:
            continue
        if is_preprint(ref):
            preprints.append((item, ref))
        else:
            published[(title, family_key(ref))].append((item, ref))
    for item, ref in preprints:
        matches = published.get((normalize_title(ref.title), family_key(ref)))
        if matches:
            other_item, other = matches[0]
            yield Report(
                f"this preprint was published: {who(other, other_item)} is the published "
                "version; cite that one",
                item,
            )
            continue
        if ctx.resolver is None:
            continue
        for candidate in ctx.search(_search_text(ref)):
            if (
                not is_preprint(candidate)
                and candidate.container_title
                and normalize_title(candidate.title) == normalize_title(ref.title)
                and family_key(candidate) == family_key(ref)
            ):
                where = candidate.container_title
                year = f" ({candidate.year})" if candidate.year else ""
                doi = f", DOI {candidate.doi}" if candidate.doi else ""
                yield Report(
                    f"this preprint was published in {where}{year}{doi}; cite the "
                    "published version",
                    item,
                )
                break
