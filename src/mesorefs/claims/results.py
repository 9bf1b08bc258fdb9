"""The results of a claim check, claim by claim: claims, links to references, verdicts.

Plain data with their JSON shapes (``to_dict``); :mod:`mesorefs.claims.report` puts
them together into the report and writes it as JSON, Markdown or an annotated
document, :mod:`mesorefs.claims.report_html` as an HTML page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from mesorefs.claims.document import Citation
from mesorefs.claims.parts import Part

__all__ = [
    "SHOWN_LINKS",
    "VERDICTS",
    "CitationCheck",
    "Claim",
    "ClaimResult",
    "Evidence",
    "Link",
    "PartResult",
    "Verdict",
    "link_order",
    "shown",
]

Verdict = Literal[
    "supported", "partly supported", "contradicted", "needs review", "unsupported", "not checked"
]
VERDICTS: tuple[Verdict, ...] = (
    "supported",
    "partly supported",
    "contradicted",
    "needs review",
    "unsupported",
    "not checked",
)
"""Every verdict, in the order a summary counts them."""
SHOWN_LINKS = 3
"""How many related references a report shows per claim or part (JSON keeps them all)."""


@dataclass(frozen=True)
class Claim:
    """A sentence, list item or heading of a document, with where it stands."""

    id: str
    text: str
    query: str
    """The text that is checked: the item with its lead-in, else ``text``."""
    kind: str
    start: int
    end: int
    section: str | None
    context: str | None
    checkworthy: bool
    reason: str | None
    citations: tuple[Citation, ...] = ()
    parts: tuple[Part, ...] = ()
    """The statements the claim joins, spans in the document; empty: the claim is one."""
    plain: str | None = None
    """``text`` without its citation markers (``None``: it has none)."""
    plain_offsets: Sequence[int] = ()
    """The document offset of each character of ``plain``, for highlighting."""

    @property
    def checked_text(self) -> str:
        """The claim's text as it is judged: without citation markers."""
        return self.text if self.plain is None else self.plain


@dataclass(frozen=True)
class Evidence:
    """The passage a link rests on; ``start``/``end`` index the reference's ``field``."""

    field: str
    text: str
    start: int
    end: int
    source: str | None = None


@dataclass(frozen=True)
class Link:
    """A reference that bears on a claim (or that the claim cites)."""

    key: str
    stance: str
    score: float
    relevance: float
    rank: int
    evidence: Evidence
    cues: tuple[str, ...] = ()
    cited: bool = False
    related: bool = False
    """Whether the reference bears on the claim's topic, whatever its stance."""
    verifier: str = "baseline"
    """The backend that judged the link (``baseline``, ``nli:<model>``, ``openai:...``)."""

    @property
    def label(self) -> str:
        """The stance in a reader's words."""
        if self.stance != "neutral":
            return self.stance
        return "related: not judged" if self.related else "unrelated"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "stance": self.stance,
            "label": self.label,
            "related": self.related,
            "score": self.score,
            "relevance": self.relevance,
            "rank": self.rank,
            "cited": self.cited,
            "cues": list(self.cues),
            "verifier": self.verifier,
            "evidence": {
                "field": self.evidence.field,
                "text": self.evidence.text,
                "start": self.evidence.start,
                "end": self.evidence.end,
                "source": self.evidence.source,
            },
        }


def link_order(lk: Link) -> tuple[bool, bool, float, int]:
    """Strongest first: a side taken, then related, then by the judge's confidence in the
    side, or for a neutral link by its relevance (a neutral score is the confidence that the
    passage is beside the point, so a higher one is weaker), then retrieval rank."""
    strength = lk.score if lk.stance != "neutral" else lk.relevance
    return (lk.stance == "neutral", not lk.related, -strength, lk.rank)


def shown(links: tuple[Link, ...], limit: int = SHOWN_LINKS) -> list[Link]:
    """The links a reader sees: the cited ones first (whatever their stance), then those
    that take a stance, then related ones.

    When no reference bears on the statement, the closest ones (up to ``limit``, by the
    judge's relevance, then rank) are shown, as unrelated: a reader checks them rather
    than the whole library.
    """
    cited = [lk for lk in links if lk.cited]
    firm = cited + [lk for lk in links if lk.stance != "neutral" and not lk.cited]
    related = [lk for lk in links if lk.stance == "neutral" and lk.related and not lk.cited]
    chosen = (firm + related)[: max(limit, len(firm))]
    if not chosen and links:
        chosen = sorted(links, key=lambda lk: (-lk.relevance, lk.rank))[:limit]
    return chosen


@dataclass(frozen=True)
class PartResult:
    """One statement of a claim with its own verdict, reason and links."""

    part: Part
    verdict: Verdict
    explanation: str
    links: tuple[Link, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.part.text,
            "query": self.part.query,
            "start": self.part.start,
            "end": self.part.end,
            "verdict": self.verdict,
            "explanation": self.explanation,
            "links": [lk.to_dict() for lk in self.links],
        }


@dataclass(frozen=True)
class CitationCheck:
    """Whether a reference the claim cites supports it, and references that bear on it better.

    ``verdict`` is what the cited reference alone says ("supported", "contradicted",
    "needs review": it bears on the claim without taking a side, "unsupported");
    ``link`` its best passage; ``suggestions`` the references not cited that support the
    claim, then (when this one does not) those that bear on it more closely.
    """

    key: str
    stance: str
    supports: bool
    better: str | None = None
    verdict: str = "unsupported"
    link: Link | None = None
    suggestions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "stance": self.stance,
            "supports": self.supports,
            "verdict": self.verdict,
            "better": self.better,
            "suggestions": list(self.suggestions),
            "evidence": self.link.to_dict()["evidence"] if self.link else None,
        }

    def sentence(self) -> str:
        """The check in words: "cited rohrich2005: supported", with the suggestions."""
        said = f"cited {self.key}: {self.verdict}"
        if self.link is None:
            said += " (it has no text to check against)"
        if self.suggestions:
            lead = "also" if self.supports else "better"
            said += f"; {lead}: {', '.join(self.suggestions[:SHOWN_LINKS])}"
        return said


@dataclass(frozen=True)
class ClaimResult:
    """A claim with its verdict and links."""

    claim: Claim
    verdict: Verdict
    links: tuple[Link, ...]
    citation_checks: tuple[CitationCheck, ...]
    explanation: str = ""
    parts: tuple[PartResult, ...] = ()
    unresolved: tuple[str, ...] = ()
    """Works its markers cite that match no reference (``@key``, ``[7]``, ``Smith 2010``)."""
    citation_needed: bool = False
    """A checkworthy claim that cites nothing."""
    could_cite: tuple[str, ...] = ()
    """For a claim that needs a citation: references that could support it."""

    def citation_notes(self) -> list[str]:
        """What a reader is told about the claim's citations, one line each."""
        notes = [check.sentence() for check in self.citation_checks]
        if self.unresolved:
            notes.append(f"cites what no reference matches: {', '.join(self.unresolved)}")
        if self.citation_needed:
            could = (
                f"could cite {', '.join(self.could_cite[:SHOWN_LINKS])}"
                if self.could_cite
                else "no reference here supports it"
            )
            notes.append(f"citation needed: {could}")
        return notes

    def to_dict(self) -> dict[str, Any]:
        c = self.claim
        return {
            "id": c.id,
            "text": c.text,
            "query": c.query,
            "kind": c.kind,
            "start": c.start,
            "end": c.end,
            "section": c.section,
            "context": c.context,
            "checkworthy": c.checkworthy,
            "reason": c.reason,
            "verdict": self.verdict,
            "checked_text": c.checked_text,
            "citations": [
                {
                    "marker": x.marker,
                    "start": x.start,
                    "end": x.end,
                    "style": x.style,
                    "narrative": x.narrative,
                    "cites": x.labels(),
                }
                for x in c.citations
            ],
            "cited": [x.key for x in self.citation_checks],
            "unresolved": list(self.unresolved),
            "citation_checks": [x.to_dict() for x in self.citation_checks],
            "citation_needed": self.citation_needed,
            "could_cite": list(self.could_cite),
            "explanation": self.explanation,
            "links": [lk.to_dict() for lk in self.links],
            "parts": [p.to_dict() for p in self.parts],
        }
