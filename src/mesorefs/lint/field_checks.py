"""MR3xx: fields: cut off, missing for the entry type, implausible, inconsistent across entries."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator

from mesorefs.lint._text import TEXT_FIELDS, kind, label, shown, venue_key, who
from mesorefs.lint.context import LintContext
from mesorefs.lint.model import Fix
from mesorefs.lint.registry import Report, register
from mesorefs.models import Reference

__all__ = ["REQUIRED_FIELDS", "required_fields"]

_ELLIPSIS = re.compile(r"(?:…|\.\.\.)\s*$")


@register("MR301", "truncated-field", "warning")
def truncated_field(ctx: LintContext) -> Iterator[Report]:
    """A field that was cut off ("Plastic and …", "A Matarasso, TM Pfeifer…")."""
    for item, ref in ctx.entries:
        cut = set(ref.truncated)
        for name in TEXT_FIELDS:
            value = getattr(ref, name)
            if isinstance(value, str) and _ELLIPSIS.search(value):
                cut.add(name)
        for name in ("authors", "editors"):
            if any(_ELLIPSIS.search(p.display()) for p in getattr(ref, name)):
                cut.add(name)
        for name in sorted(cut):
            value = getattr(ref, name, None)
            if name in ("authors", "editors"):
                shown_value = "; ".join(p.display() for p in value or [])
                advice = "list every author (or end the list with 'and others' on purpose)"
            else:
                shown_value = str(value or "")
                advice = f"replace it with the full {label(name, ref)}"
            yield Report(
                f"the {label(name, ref)} is cut off ({shown(shown_value)}); {advice} — "
                "`mesorefs resolve` can fill it from the publisher's record",
                item,
                field=name,
            )


REQUIRED_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    # entry kind -> required fields; a tuple of names means "any one of these"
    "article-journal": (("authors",), ("title",), ("container_title",), ("issued",)),
    "book": (("authors", "editors"), ("title",), ("publisher",), ("issued",)),
    "inbook": (("authors", "editors"), ("title",), ("publisher",), ("issued",)),
    "chapter": (("authors",), ("title",), ("container_title",), ("publisher",), ("issued",)),
    "paper-conference": (("authors",), ("title",), ("container_title",), ("issued",)),
    "thesis": (("authors",), ("title",), ("publisher",), ("issued",)),
    "report": (("authors", "publisher"), ("title",), ("issued",)),
    "manual": (("title",),),
    "webpage": (("title",), ("url",)),
    "manuscript": (("authors",), ("title",)),
    "article": (("authors",), ("title",), ("issued",)),
    "document": (("title",),),
}
"""What each kind of entry needs (BibTeX's required fields, in mesorefs' names)."""

_BIBTEX_LABELS = {
    "container_title": {
        "article-journal": "journal",
        "chapter": "booktitle",
        "paper-conference": "booktitle",
    },
    "publisher": {"thesis": "school", "report": "institution"},
}


def required_fields(ref: Reference) -> tuple[tuple[str, ...], ...]:
    """The required fields of ``ref``'s entry type (empty when the type needs none)."""
    kind = ref.bibtex_type if ref.bibtex_type in REQUIRED_FIELDS else ref.type
    return REQUIRED_FIELDS.get(kind, ())


def _bib_label(ref: Reference, names: tuple[str, ...]) -> str:
    words = []
    for name in names:
        words.append(_BIBTEX_LABELS.get(name, {}).get(ref.type, label(name, ref)))
    return " or ".join(words)


@register("MR302", "missing-required-field", "warning")
def missing_required_field(ctx: LintContext) -> Iterator[Report]:
    """A field the entry type requires is empty (a journal for an article, a publisher...)."""
    for item, ref in ctx.entries:
        for names in required_fields(ref):
            if all(ref.is_empty(name) for name in names):
                if names == ("issued",) and ("year" in ref.extra or "date" in ref.extra):
                    continue  # an unreadable year: MR303 says so
                yield Report(
                    f"this {kind(ref)} entry has no {_bib_label(ref, names)}, which it "
                    "requires; add it (`mesorefs resolve` can fill it)",
                    item,
                    field=names[0],
                )


_EARLIEST = 1450  # printed works; anything earlier is almost always a typo or a reprint


@register("MR303", "implausible-year", "warning")
def implausible_year(ctx: LintContext) -> Iterator[Report]:
    """A year in the future, before print, or not a year at all."""
    for item, ref in ctx.entries:
        year = ref.year
        if year is None:
            raw = ref.extra.get("year") or ref.extra.get("date")
            if raw and not re.search(r"\b(?:in press|forthcoming|submitted)\b", raw, re.I):
                yield Report(
                    f"the year {raw!r} is not a year; write it as four digits", item, "issued"
                )
            continue
        if year > ctx.year + 1:
            yield Report(
                f"the year {year} is in the future; check it (use 'in press' in a note "
                "for accepted work)",
                item,
                "issued",
            )
        elif year < _EARLIEST:
            yield Report(
                f"the year {year} is before {_EARLIEST}; check it (for a reprint, give "
                "the edition you read)",
                item,
                "issued",
            )


def _preferred(spellings: Counter[str]) -> str:
    """The most used spelling; ties go to the one with more capitals, then the longest."""
    return max(spellings, key=lambda s: (spellings[s], sum(c.isupper() for c in s), len(s)))


@register("MR304", "inconsistent-journal", "warning")
def inconsistent_journal(ctx: LintContext) -> Iterator[Report]:
    """One journal written several ways, or its abbreviation used as its name."""
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    shorts: dict[str, Counter[str]] = defaultdict(Counter)
    venues: list[tuple[int, Reference]] = []
    for item, ref in ctx.entries:
        if not ref.container_title or "container_title" in ref.truncated:
            continue
        venues.append((item, ref))
        groups[venue_key(ref.container_title)][ref.container_title] += 1
        if ref.container_title_short:
            shorts[venue_key(ref.container_title)][ref.container_title_short] += 1
    # abbreviation (as compared) -> the full names it abbreviates
    full_of: dict[str, set[str]] = defaultdict(set)
    for full_key, counter in shorts.items():
        for short in counter:
            if venue_key(short) != full_key:
                full_of[venue_key(short)].add(full_key)
    preferred_of = {key: _preferred(counter) for key, counter in groups.items()}
    best_short_of = {key: _preferred(counter) for key, counter in shorts.items()}
    for item, ref in venues:
        assert ref.container_title is not None
        name = ref.container_title
        key = venue_key(name)
        if key in full_of and key not in shorts and len(full_of[key]) == 1:
            full_key = next(iter(full_of[key]))
            full = preferred_of[full_key]
            updates: list[tuple[str, str | None]] = [("container_title", full)]
            if not ref.container_title_short:
                updates.append(("container_title_short", best_short_of[full_key]))
            if "container_title" in ref.locked:
                continue
            yield Report(
                f"the journal is given as the abbreviation {name!r}; other entries "
                f"name it {full!r}: use the full name (the abbreviation goes in shortjournal)",
                item,
                field="container_title",
                fix=Fix(f"write the journal as {full!r}", tuple(updates)),
            )
            continue
        preferred = preferred_of[key]
        if name != preferred and "container_title" not in ref.locked:
            count = groups[key][preferred]
            yield Report(
                f"the journal {name!r} is written {preferred!r} in "
                f"{count} other entr{'y' if count == 1 else 'ies'}"
                "; write it one way",
                item,
                field="container_title",
                fix=Fix(f"write the journal as {preferred!r}", (("container_title", preferred),)),
            )
        if ref.container_title_short and key in shorts and len(shorts[key]) > 1:
            best = best_short_of[key]
            if ref.container_title_short != best and "container_title_short" not in ref.locked:
                yield Report(
                    f"{who(ref, item)} abbreviates {preferred!r} as "
                    f"{ref.container_title_short!r}, other entries as {best!r}; use one "
                    "abbreviation",
                    item,
                    field="container_title_short",
                    fix=Fix(
                        f"write the abbreviation as {best!r}",
                        (("container_title_short", best),),
                    ),
                )
