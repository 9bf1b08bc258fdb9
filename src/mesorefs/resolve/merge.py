"""Combine an entry with a service's record, field by field, with provenance (pure).

The caller vouches that ``record`` is the entry's work (a confident match or the
record of the entry's own identifier).  Rules, for every bibliographic field the record has:

* locked by the user: kept; a different value is reported as a conflict;
* marked truncated (``Plastic and …``): replaced by the record's full value when that
  value continues it, and removed from ``truncated``;
* missing: filled, with provenance;
* the same up to case, spacing and punctuation: kept as the entry has it;
* different: kept, and reported as a conflict (the entry says 2005, the record 2006).

Authors given only as initials are completed from the record when the surnames agree.

Those rules protect what a person wrote.  A value whose provenance says a machine read
it from free text (source ``parser``: a Google Scholar line lower-cases journal names,
a reference string loses its dashes) is only a reading: the record's value replaces it
whenever the two differ (action ``corrected``, or ``completed`` when the record merely
continues or fills out the reading), and an identical reading takes the record's
provenance, since the record now vouches for it.  Locked fields are never touched.

A record's ``url`` that only links to its own DOI (``https://doi.org/<doi>``) is not
copied: the ``doi`` field already says it.  An identifier that is not valid for its kind
(a DOI ``not-a-doi`` in a service's record) is never attached: it is listed in
``withheld`` instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from mesorefs import identifiers
from mesorefs.bibtex.latex import plain_to_latex
from mesorefs.errors import InvalidIdentifier
from mesorefs.models import BIBLIOGRAPHIC_FIELDS, Person, Provenance, Reference, Update
from mesorefs.resolve.similarity import container_similarity, normalize_text, surname_key

__all__ = ["MACHINE_SOURCES", "Change", "Conflict", "MergeResult", "merge"]

MACHINE_SOURCES = frozenset({"parser"})
"""Provenance sources of values a machine read from free text: a matched record corrects them."""
_DOI_RESOLVERS = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
)


@dataclass(frozen=True)
class Change:
    """A field the merge filled or completed."""

    field: str
    old: Any
    new: Any
    source: str
    action: str = "filled"  # filled | completed | corrected


@dataclass(frozen=True)
class Conflict:
    """A field where the entry and the record disagree; the entry's value was kept."""

    field: str
    entry: Any
    record: Any
    source: str
    locked: bool = False

    def __str__(self) -> str:
        lock = " (locked)" if self.locked else ""
        return f"{self.field}: entry has {self.entry!r}, {self.source} has {self.record!r}{lock}"


@dataclass(frozen=True)
class MergeResult:
    reference: Reference
    changes: list[Change]
    conflicts: list[Conflict]
    withheld: list[str] = field(default_factory=list)
    """The record's identifiers that are not valid, as ``kind value`` (never attached)."""


_VALIDATORS = {
    "doi": identifiers.normalize_doi,
    "pmid": identifiers.normalize_pmid,
    "pmcid": identifiers.normalize_pmcid,
    "arxiv": identifiers.normalize_arxiv,
    "isbn": identifiers.normalize_isbn,
    "issn": identifiers.normalize_issn,
}


def _invalid_identifier(name: str, value: Any) -> bool:
    validate = _VALIDATORS.get(name)
    if validate is None or not isinstance(value, str):
        return False
    try:
        validate(value)
    except InvalidIdentifier:
        return True
    return False


def _display(value: Any) -> Any:
    if isinstance(value, list):
        return [p.display() if isinstance(p, Person) else str(p) for p in value]
    if hasattr(value, "iso"):
        return value.iso()
    return value


def _same(field: str, a: Any, b: Any) -> bool:
    if a == b:
        return True
    if field == "issued":
        return bool(a.year == b.year)
    if field == "authors" or field == "editors":
        return [surname_key(p.sort_name) for p in a] == [surname_key(p.sort_name) for p in b]
    if isinstance(a, str) and isinstance(b, str):
        if field in ("doi", "pmid", "pmcid", "arxiv", "isbn", "issn", "url"):
            return a.strip().lower() == b.strip().lower()
        if field in ("container_title", "container_title_short"):
            return normalize_text(a) == normalize_text(b) or container_similarity(a, b) >= 0.95
        if field == "pages":
            return normalize_text(a) == normalize_text(b)
        return normalize_text(a) == normalize_text(b)
    return False


def _continues(field: str, cut: Any, full: Any) -> bool:
    """Does ``full`` continue the truncated value ``cut``?"""
    if field in ("authors", "editors"):
        keys_cut = [surname_key(p.sort_name) for p in cut]
        keys_full = [surname_key(p.sort_name) for p in full]
        return keys_full[: len(keys_cut)] == keys_cut
    if isinstance(cut, str) and isinstance(full, str):
        a, b = normalize_text(cut), normalize_text(full)
        if b.startswith(a):
            return True
        if field in ("container_title", "container_title_short"):
            return container_similarity(cut, full, truncated=True) >= 0.99
    return False


def _fills_out(field: str, old: Any, new: Any, truncated: bool) -> bool:
    """Does ``new`` only continue or fill out ``old`` (rather than correct it)?"""
    if truncated:
        return _continues(field, old, new)
    if field == "issued":
        return bool(
            old.year == new.year and old.month in (None, new.month) and old.day in (None, new.day)
        )
    if field in ("authors", "editors"):
        return _complete_people(old, new) == list(new)
    return False


def _initials_only(person: Person) -> bool:
    given = (person.given or "").replace(".", " ").replace("-", " ").split()
    return all(len(part) == 1 for part in given)


def _complete_people(entry: list[Person], record: list[Person]) -> list[Person] | None:
    """The record's people when they are the entry's with fuller given names."""
    if len(entry) != len(record):
        return None
    better = False
    for ours, theirs in zip(entry, record, strict=False):
        if surname_key(ours.sort_name) != surname_key(theirs.sort_name):
            return None
        if ours.literal:
            continue
        if _initials_only(ours) and theirs.given and not _initials_only(theirs):
            initials = [p[0] for p in (ours.given or "").replace(".", " ").split()]
            theirs_initials = [
                p[0] for p in theirs.given.replace(".", " ").replace("-", " ").split()
            ]
            if initials and theirs_initials[: len(initials)] != initials[: len(theirs_initials)]:
                return None
            better = True
    return list(record) if better else None


def _machine_read(entry: Reference, name: str) -> bool:
    """Was the entry's ``name`` read by a machine from free text (not written by a person)?"""
    origin = entry.provenance.get(name)
    return origin is not None and origin.source in MACHINE_SOURCES


def _doi_link(url: str, doi: str | None) -> bool:
    """Is ``url`` nothing but the resolver link of ``doi``?"""
    if not doi:
        return False
    lowered = url.strip().lower()
    for prefix in _DOI_RESOLVERS:
        if lowered.startswith(prefix):
            return unquote(lowered[len(prefix) :]) == doi.strip().lower()
    return False


def merge(
    entry: Reference,
    record: Reference,
    source: str,
    *,
    retrieved: datetime | None = None,
    confidence: float | None = None,
    detail: str | None = None,
) -> MergeResult:
    """Fill ``entry`` from ``record``; never overwrite what a person wrote (see above)."""
    data = entry.model_dump()
    provenance = dict(entry.provenance)
    truncated = set(entry.truncated)
    changes: list[Change] = []
    conflicts: list[Conflict] = []
    withheld: list[str] = []
    stamp = Provenance(
        source=source,
        retrieved=retrieved,
        confidence=None if confidence is None else max(0.0, min(1.0, confidence)),
        detail=detail,
    )
    for name in BIBLIOGRAPHIC_FIELDS:
        new = getattr(record, name)
        if record.is_empty(name):
            continue
        if name == "type" and "type" not in record.model_fields_set:
            continue
        if _invalid_identifier(name, new):
            withheld.append(f"{name} {str(new)[:80]!r}")
            continue
        if name == "url" and _doi_link(new, record.doi or entry.doi):
            continue
        old = getattr(entry, name)
        empty = entry.is_empty(name) or (name == "type" and "type" not in entry.model_fields_set)
        if name in entry.locked:
            if not empty and not _same(name, old, new):
                conflicts.append(Conflict(name, _display(old), _display(new), source, True))
            continue
        if empty:
            data[name] = new
            provenance[name] = stamp
            if name in record.truncated:  # a record's list cut where we stopped reading it
                truncated.add(name)
            changes.append(Change(name, None, _display(new), source))
            continue
        if _machine_read(entry, name):
            if old == new and name not in truncated:
                provenance[name] = stamp  # the record confirms the reading
                continue
            data[name] = new
            provenance[name] = stamp
            cut = name in truncated
            truncated.discard(name)
            if name in record.truncated:
                truncated.add(name)
            action = "completed" if _fills_out(name, old, new, cut) else "corrected"
            changes.append(Change(name, _display(old), _display(new), source, action))
            continue
        if name in truncated:
            if _continues(name, old, new):
                data[name] = new
                truncated.discard(name)
                provenance[name] = stamp
                changes.append(Change(name, _display(old), _display(new), source, "completed"))
            else:
                conflicts.append(Conflict(name, _display(old), _display(new), source))
            continue
        if _same(name, old, new):
            if name == "issued" and old.year == new.year and (new.month and not old.month):
                data[name] = new
                provenance[name] = stamp
                changes.append(Change(name, old.iso(), new.iso(), source, "completed"))
            if name in ("authors", "editors"):
                fuller = _complete_people(old, new)
                if fuller is not None:
                    data[name] = fuller
                    provenance[name] = stamp
                    changes.append(
                        Change(name, _display(old), _display(fuller), source, "completed")
                    )
            continue
        conflicts.append(Conflict(name, _display(old), _display(new), source))
    updates: list[Update] = list(entry.updates)
    for update in record.updates:
        if update.doi and _invalid_identifier("doi", update.doi):
            withheld.append(f"{update.kind} notice's doi {update.doi[:80]!r}")
            update = update.model_copy(update={"doi": None})
        if update not in updates:
            updates.append(update)
    data["updates"] = updates
    data["provenance"] = provenance
    data["truncated"] = frozenset(truncated)
    for key, value in record.extra.items():
        data.setdefault("extra", {})
        if key not in data["extra"]:
            # ``extra`` holds raw BibTeX values; a record's are plain text: encode them
            data["extra"][key] = plain_to_latex(value)
    merged = Reference.model_validate(data)
    merged._plain_text = entry._plain_text  # text read from CSL-JSON or RIS stays plain
    return MergeResult(merged, changes, conflicts, withheld)
