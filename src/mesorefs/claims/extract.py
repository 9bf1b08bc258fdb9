"""Claims from a document: every sentence, list item and heading, whether it is worth
checking, the text a judgement reads (without citation markers) and its parts."""

from __future__ import annotations

import re

from mesorefs.claims.document import Document, Segment
from mesorefs.claims.parts import Part, split_claim
from mesorefs.claims.results import Claim
from mesorefs.claims.retrieve import content_tokens

__all__ = ["MAX_CLAIM_CHARS", "checkworthiness", "extract_claims"]

_ADVICE_START = re.compile(
    r"^(?:(?:if|when|before|after|to)\b[^,]{0,120},\s*)?(?:please\s+)?(?:always\s+|only\s+|never\s+)?"
    r"(call|consult|ask|avoid|see|talk|make sure|be sure|don't|do not|check|contact|seek|"
    r"get|go|try|remember|keep|stop|use|speak|tell|visit|book|consider|choose)\b",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"\b(?:click here|subscribe|sign up|all rights reserved|copyright|read more|share this|"
    r"in this article|this article (?:will|explains|covers)|table of contents|cookie)\b",
    re.IGNORECASE,
)


MAX_CLAIM_CHARS = 2000
"""A longer segment has no sentence break: data or markup, not a claim; ranking and
verifying it would cost minutes and gigabytes for nothing."""


def checkworthiness(segment: Segment) -> tuple[bool, str | None]:
    """Whether a segment states something a reference could support, and if not, why."""
    text = segment.checked_text.strip()  # citation markers are not words of the claim
    if segment.kind in ("title", "heading"):
        return False, "heading"
    if len(text) > MAX_CLAIM_CHARS:
        return False, f"{len(text):,} characters without a sentence break: too long for one claim"
    if text.endswith("?"):
        return False, "question"
    if _BOILERPLATE.search(text):
        return False, "boilerplate"
    if text.endswith(":"):
        return False, "list lead-in (checked through its items)"
    if _ADVICE_START.match(text) or re.search(r"\byou (?:should|must|need to)\b", text, re.I):
        return False, "advice"
    if not content_tokens(text) and segment.citations:
        return False, "only a citation marker"
    if len(content_tokens(text)) < 2 and segment.kind != "item":
        return False, "too short"
    return True, None


def extract_claims(document: Document, max_claims: int | None = None) -> list[Claim]:
    """Every sentence, list item and heading of ``document`` as a claim, checkworthy or not;
    with ``max_claims``, checkworthy claims after that many are not checked (with why)."""
    claims: list[Claim] = []
    worthy_count = 0
    for number, segment in enumerate(document.segments, start=1):
        worthy, reason = checkworthiness(segment)
        if worthy:
            worthy_count += 1
            if max_claims is not None and worthy_count > max_claims:
                worthy, reason = False, f"beyond the first {max_claims:,} claims: not checked"
        context = segment.context
        # What is judged is the claim without its citation markers ("reduces fat [3]."
        # is checked as "reduces fat."): a marker is no word and no number of the claim.
        said = segment.checked_text
        lead: str | None = None
        if segment.kind == "item" and context:
            lead = context.rstrip(":").rstrip()
            lead = re.sub(r",?\s*(?:including|such as|these include|include|as follows)$", "", lead)
            query = f"{lead}: {said}" if lead and lead.lower() not in ("these", "they") else said
            if re.fullmatch(r"(?:these|they|this|it)\b.*", lead, re.I) and segment.section:
                query = f"{segment.section.rstrip('?:')}: {said}"
        else:
            query = said
        # An item is read under whatever its query puts before it (lead-in or section).
        lead = query[: -len(said)].rstrip(": ") if said and query != said else None
        claims.append(
            Claim(
                id=f"c{number}",
                text=segment.text,
                query=query,
                kind=segment.kind,
                start=segment.start,
                end=segment.end,
                section=segment.section,
                context=context,
                checkworthy=worthy,
                reason=reason,
                citations=segment.citations,
                parts=_parts(document.text, segment, lead) if worthy else (),
                plain=segment.plain,
                plain_offsets=segment.plain_offsets,
            )
        )
    return claims


def _parts(text: str, segment: Segment, lead: str | None) -> tuple[Part, ...]:
    """The statements of a segment, their spans moved into the document (when they map)."""
    parts = split_claim(segment.checked_text, lead)
    out = []
    for part in parts:
        start, end = segment.checked_span(part.start, part.end)
        if segment.plain is None and text[start:end] != part.text:
            # Markup was taken out of the segment's text: point at the whole segment.
            start, end = segment.start, segment.end
        out.append(Part(part.text, part.query, start, end))
    return tuple(out)
