"""Run the selected checks over a library; apply the safe fixes their findings carry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from mesorefs.library import Library
from mesorefs.lint.context import LintContext, ResolverLike
from mesorefs.lint.model import Change, Finding
from mesorefs.lint.registry import selected
from mesorefs.models import Provenance, Reference

if TYPE_CHECKING:
    from mesorefs.claims.document import Document

__all__ = ["apply_fixes", "lint"]


def lint(
    library: Library,
    document: str | Document | None = None,
    *,
    resolver: ResolverLike | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    source_text: str | None = None,
    path: str | None = None,
    document_path: str | None = None,
    year: int | None = None,
) -> list[Finding]:
    """Findings of the selected checks over ``library`` (and the document citing it).

    ``document`` is the text (or a parsed ``Document``) of the work that cites the
    library: it turns on the MR5xx checks.  ``resolver`` turns on the online checks and
    the online parts of MR4xx; without it nothing touches the network and the result is
    a pure function of the arguments.  ``select``/``ignore`` take ids, names, id prefixes
    (``MR3``) or ``ALL``.  ``source_text`` is the .bib text the library was read from, so
    findings carry lines; ``path`` and ``document_path`` name the files in findings.
    ``year`` is "this year" for the implausible-year check (default: today's).

    Findings come sorted by file, line, entry and check id.
    """
    parsed: Document | None
    if isinstance(document, str):
        from mesorefs.claims.document import parse_document

        parsed = parse_document(document)
    else:
        parsed = document
    context = LintContext(
        library,
        path=path,
        source_text=source_text,
        document=parsed,
        document_path=document_path,
        resolver=resolver,
    )
    if year is not None:
        context.year = year
    findings: list[Finding] = []
    for check in selected(select, ignore):
        if check.online and resolver is None:
            continue
        findings.extend(check.run(context))
    return sorted(findings, key=_order)


def _order(finding: Finding) -> tuple[str, int, int, str]:
    item = finding.item if finding.item is not None else -1
    return (finding.file or "", finding.line or 0, item, finding.check)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def apply_fixes(library: Library, findings: Iterable[Finding]) -> tuple[Library, list[Change]]:
    """A copy of ``library`` with the fixes of ``findings`` applied, and every change made.

    A fix applies only to the entry it was found on (same position, same key); fields the
    user locked are left alone; the first fix of a field wins.  Applying the fixes of a
    second lint of the result changes nothing (fixes are idempotent).
    """
    items = list(library.items)
    changes: list[Change] = []
    removed: set[int] = set()
    touched: set[tuple[int, str]] = set()
    for finding in findings:
        fix, item = finding.fix, finding.item
        if fix is None or item is None or not 0 <= item < len(items) or item in removed:
            continue
        ref = items[item]
        if not isinstance(ref, Reference) or ref.key != finding.key:
            continue
        if fix.remove:
            removed.add(item)
            changes.append(Change(finding.check, ref.key, None, None, None, fix.description, item))
            continue
        updated = ref
        for name, value in fix.set:
            if name in ref.locked or (item, name) in touched or getattr(updated, name) == value:
                continue
            old = getattr(updated, name)
            if updated is ref:
                updated = ref.model_copy(deep=True)
            setattr(updated, name, value)
            provenance = dict(updated.provenance)
            provenance[name] = Provenance(
                source="lint", detail=f"{finding.check}: {fix.description}"
            )
            updated.provenance = provenance
            touched.add((item, name))
            changes.append(
                Change(finding.check, ref.key, name, _text(old), value, fix.description, item)
            )
        items[item] = updated
    kept = [block for i, block in enumerate(items) if i not in removed]
    return Library(kept, library.problems), changes
