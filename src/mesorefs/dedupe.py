"""Find references that are the same work, merge them, and link preprints. Pure.

Two references are the same work when they share a DOI or a PMID, or the
same normalized title, year and first author.  A merge keeps the first
reference, fills its empty fields from the others (with provenance) and
reports every conflict instead of choosing silently; nothing is dropped without a
word: attached files (``file``) are joined, and every other differing value, in the
modelled fields and the verbatim ones alike, is a conflict.  A preprint and its
published version are different records of one work: they are linked,
never merged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from mesorefs.bibtex.keys import fold_ascii
from mesorefs.models import BIBLIOGRAPHIC_FIELDS, Provenance, Reference

__all__ = ["Conflict", "DedupeReport", "Merge", "dedupe", "identity_keys", "normalize_title"]


@dataclass(frozen=True)
class Conflict:
    """Two records disagree on a field; the kept value stays, the other is reported."""

    key: str | None
    field: str
    kept: str
    other: str
    other_key: str | None


@dataclass(frozen=True)
class Merge:
    kept: str | None
    dropped: tuple[str | None, ...]
    filled: tuple[str, ...]
    conflicts: tuple[Conflict, ...]
    reason: str

    def to_dict(self) -> dict[str, object]:
        """The merge as ``mesorefs tidy --dedupe --json`` reports it (docs/cli-json.md)."""
        return {
            "kept": self.kept,
            "dropped": list(self.dropped),
            "reason": self.reason,
            "filled": list(self.filled),
            "conflicts": [c.field for c in self.conflicts],
            "differences": [
                {"field": c.field, "kept": c.kept, "other": c.other, "other_key": c.other_key}
                for c in self.conflicts
            ],
        }


@dataclass
class DedupeReport:
    merges: list[Merge] = field(default_factory=list)
    links: list[tuple[str | None, str | None]] = field(default_factory=list)
    """(preprint key, published key) pairs."""
    kept_positions: list[int] = field(default_factory=list)
    """Positions, in the input, of the records that were kept (merged into)."""


def normalize_title(title: str | None) -> str:
    """Lower-case letters and digits with single spaces: for comparing titles."""
    if not title:
        return ""
    text = unicodedata.normalize("NFKD", title.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", text))


def _is_preprint(reference: Reference) -> bool:
    doi = reference.doi or ""
    return (
        reference.type == "article"
        or (bool(reference.arxiv) and not reference.container_title)
        or doi.startswith("10.48550/")
        or doi.startswith("10.1101/")
    )


def identity_keys(reference: Reference) -> list[str]:
    """Keys under which two records of the same work meet."""
    keys = []
    if reference.doi:
        keys.append("doi:" + reference.doi.lower())
    if reference.pmid:
        keys.append("pmid:" + reference.pmid)
    title = normalize_title(reference.title)
    family = fold_ascii(reference.first_author_family or "").lower()
    if title and reference.year is not None and family:
        keys.append(f"tya:{title}|{reference.year}|{family}")
    return keys


def _text(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(getattr(v, "display", lambda v=v: str(v))() for v in value)
    if hasattr(value, "iso"):
        return str(value.iso())
    return str(value)


def _merge_pair(kept: Reference, other: Reference) -> tuple[Reference, list[str], list[Conflict]]:
    updates: dict[str, object] = {}
    provenance = dict(kept.provenance)
    filled, conflicts = [], []
    for name in BIBLIOGRAPHIC_FIELDS:
        mine, theirs = getattr(kept, name), getattr(other, name)
        if other.is_empty(name):
            continue
        if kept.is_empty(name):
            updates[name] = theirs
            provenance[name] = Provenance(source=f"duplicate:{other.key or '?'}")
            filled.append(name)
        elif name != "type" and _comparable(mine) != _comparable(theirs):
            conflicts.append(Conflict(kept.key, name, _text(mine), _text(theirs), other.key))
    extra = dict(kept.extra)
    for name, value in other.extra.items():
        mine_extra = extra.get(name)
        if mine_extra is None:
            extra[name] = value
        elif name.lower() in _JOINED_FIELDS:
            extra[name] = _joined(mine_extra, value)
        elif mine_extra.strip() != value.strip():
            conflicts.append(Conflict(kept.key, name, mine_extra, value, other.key))
    if extra != kept.extra:
        updates["extra"] = extra
    if filled:
        updates["provenance"] = provenance
    merged = kept.model_copy(update=updates) if updates else kept
    return merged, filled, conflicts


_JOINED_FIELDS = frozenset({"file"})
"""Verbatim fields that list several things (JabRef's and Zotero's ``file``: paths joined
with ``;``): a merge keeps every item of both."""


def _joined(mine: str, theirs: str) -> str:
    items = [item for item in mine.split(";") if item.strip()]
    seen = {item.strip() for item in items}
    items += [item for item in theirs.split(";") if item.strip() and item.strip() not in seen]
    return ";".join(items)


def _comparable(value: object) -> object:
    if isinstance(value, str):
        return normalize_title(value)
    return value


def dedupe(references: list[Reference]) -> tuple[list[Reference], DedupeReport]:
    """Merge records of the same work (first one wins), link preprints to publications."""
    report = DedupeReport()
    groups: dict[int, list[int]] = {}
    owner: dict[str, int] = {}
    for index, reference in enumerate(references):
        target = None
        for key in identity_keys(reference):
            if key in owner and _is_preprint(references[owner[key]]) == _is_preprint(reference):
                target = owner[key]
                break
        if target is None:
            groups[index] = [index]
            target = index
        else:
            groups[target].append(index)
        for key in identity_keys(reference):
            owner.setdefault(key, target)
    kept: list[Reference] = []
    for leader, members in groups.items():
        merged = references[leader]
        all_filled: list[str] = []
        all_conflicts: list[Conflict] = []
        for member in members[1:]:
            merged, filled, conflicts = _merge_pair(merged, references[member])
            all_filled += filled
            all_conflicts += conflicts
        if len(members) > 1:
            report.merges.append(
                Merge(
                    kept=merged.key,
                    dropped=tuple(references[m].key for m in members[1:]),
                    filled=tuple(dict.fromkeys(all_filled)),
                    conflicts=tuple(all_conflicts),
                    reason=_reason(references[leader], [references[m] for m in members[1:]]),
                )
            )
        kept.append(merged)
        report.kept_positions.append(leader)
    return _link_preprints(kept, report), report


def _reason(first: Reference, others: list[Reference]) -> str:
    shared = set(identity_keys(first)).intersection(*(identity_keys(o) for o in others))
    kinds = sorted({key.split(":", 1)[0] for key in shared}) or ["identity"]
    return "same " + " and ".join(
        {"tya": "title, year and first author"}.get(k, k.upper()) for k in kinds
    )


def _link_preprints(references: list[Reference], report: DedupeReport) -> list[Reference]:
    by_title: dict[tuple[str, str], list[int]] = {}
    for index, reference in enumerate(references):
        family = fold_ascii(reference.first_author_family or "").lower()
        title = normalize_title(reference.title)
        if title:
            by_title.setdefault((title, family), []).append(index)
    out = list(references)
    for indexes in by_title.values():
        preprints = [i for i in indexes if _is_preprint(out[i])]
        published = [i for i in indexes if not _is_preprint(out[i])]
        for p in preprints:
            for q in published:
                report.links.append((out[p].key, out[q].key))
                if out[q].key:
                    out[p] = out[p].model_copy(
                        update={"hints": {**out[p].hints, "published-as": out[q].key}}
                    )
                if out[p].key:
                    out[q] = out[q].model_copy(
                        update={"hints": {**out[q].hints, "preprint": out[p].key}}
                    )
    return out
