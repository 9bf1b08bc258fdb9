"""Decide on scored candidates: accept one, abstain on a tie, or say why a record is not
the entry's work (pure, precision first: a wrong DOI is worse than none)."""

from __future__ import annotations

from collections.abc import Sequence

from mesorefs.models import Reference
from mesorefs.resolve.record_view import RecordView
from mesorefs.resolve.scoring import (
    MatchScore,
)
from mesorefs.resolve.similarity import (
    author_similarity,
    normalize_text,
    person_keys,
    title_similarity,
)

__all__ = [
    "ENRICH_TITLE_THRESHOLD",
    "STRING_THRESHOLD",
    "THRESHOLD",
    "choose",
    "disagreement",
    "mismatch_reason",
]


THRESHOLD = 0.85
"""Accept a structured match at or above this score."""
STRING_THRESHOLD = 0.85
"""Accept a raw-string match at or above this score (chosen on the P3 calibration split:
non-test records, benchmarks/match_bench.py --split calibration)."""
AMBIGUITY_MARGIN = 0.1
"""Two different records closer than this are a tie: abstain."""
# -- decisions -----------------------------------------------------------------------


def _same_record(a: Reference | RecordView, b: Reference | RecordView) -> bool:
    if a.doi and b.doi:
        return a.doi.lower() == b.doi.lower()
    return (
        normalize_text(a.title or "") == normalize_text(b.title or "")
        and a.year == b.year
        and person_keys(a.authors)[:1] == person_keys(b.authors)[:1]
    )


def choose(
    scored: Sequence[tuple[Reference | RecordView, MatchScore]], threshold: float
) -> tuple[int | None, str]:
    """The index of the accepted candidate (or None) and the reason.

    Accept the best candidate when it reaches ``threshold`` and no different record is
    within :data:`AMBIGUITY_MARGIN` of it.
    """
    if not scored:
        return None, "no candidates"
    order = sorted(
        range(len(scored)), key=lambda i: (scored[i][1].score, scored[i][1].evidence), reverse=True
    )
    best = order[0]
    best_ref, best_score = scored[best]
    if best_score.score < threshold:
        why = f": {best_score.reason}" if best_score.reason else ""
        return None, f"best score {best_score.score:.3f} below threshold {threshold:.2f}{why}"
    for other in order[1:]:
        ref, score = scored[other]
        if best_score.score - score.score >= AMBIGUITY_MARGIN:
            break
        if score.evidence and best_score.evidence - score.evidence >= 0.05:
            continue  # the best candidate explains clearly more of the reference
        if not _same_record(best_ref, ref):
            return None, (
                f"ambiguous: two records score {best_score.score:.3f} and {score.score:.3f}"
            )
    return best, f"score {best_score.score:.3f} at or above threshold {threshold:.2f}"


def mismatch_reason(entry: Reference, record: Reference) -> str | None:
    """Why the record of the entry's own DOI cannot be the entry's work (None: it can)."""
    problems = []
    if entry.title and record.title:
        sim = title_similarity(entry.title, record.title, "title" in entry.truncated)
        if sim < 0.75:
            problems.append(f"title differs (similarity {sim:.2f})")
    authors = author_similarity(entry.authors, record.authors)
    if authors is not None and authors <= 0.5:
        problems.append("first author not among the record's authors")
    if entry.year is not None and record.year is not None and abs(entry.year - record.year) > 1:
        problems.append(f"year {entry.year} vs {record.year}")
    if not problems:
        return None
    # A year alone is a conflict to report, not proof of a different work.
    if len(problems) == 1 and problems[0].startswith("year"):
        return None
    return "; ".join(problems)


ENRICH_TITLE_THRESHOLD = 0.9
"""A second service's record of a matched work must have a title at least this similar."""


def disagreement(matched: Reference, record: Reference) -> str | None:
    """Why ``record`` (found by ``matched``'s identifier in a second service) cannot be
    attached to the matched work (None: it agrees).

    Stricter than :func:`mismatch_reason`, since a wrong PMID must never be attached:
    both need a title, the titles must be near identical, a DOI on the record must be
    the matched one, and the first author and the year (within one) must agree.
    """
    problems = []
    if matched.doi and record.doi and matched.doi.lower() != record.doi.lower():
        problems.append(f"its DOI is {record.doi}")
    if not matched.title or not record.title:
        problems.append("no title to compare")
    else:
        sim = title_similarity(matched.title, record.title, "title" in matched.truncated)
        if sim < ENRICH_TITLE_THRESHOLD:
            problems.append(f"title differs (similarity {sim:.2f})")
    authors = author_similarity(matched.authors, record.authors)
    if authors is not None and authors <= 0.5:
        problems.append("first author differs")
    if matched.year is not None and record.year is not None and abs(matched.year - record.year) > 1:
        problems.append(f"year {record.year}, not {matched.year}")
    return "; ".join(problems) or None
