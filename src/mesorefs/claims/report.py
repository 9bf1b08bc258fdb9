"""Claim reports: JSON (schema ``mesorefs.claims/3``), Markdown, HTML, annotated document.

JSON schema ``mesorefs.claims/3`` (every key always present; spans are character
offsets into the original document, ``end`` exclusive)::

    {
      "schema": "mesorefs.claims/3",
      "engine": str,            # the verifier that labelled the links, with its model
      "verifier": str,          # its backend: "baseline", "nli:<model>", "openai:<url>#<model>"
      "ranking": str,           # "bm25" or "bm25+all-MiniLM-L6-v2"
      "document": {"format": str, "length": int},
      "references": [str],      # keys, in library order
      "summary": {verdict: count},
      "notices": [str],         # said before the verdicts (most references only a title...)
      "warnings": [str],
      "claims": [{
        "id": str, "text": str, "query": str, "kind": "sentence"|"item"|"heading"|"title",
        "start": int, "end": int, "section": str|null, "context": str|null,
        "checkworthy": bool, "reason": str|null,   # reason: why a claim is not checked
        "verdict": "supported"|"partly supported"|"contradicted"|"needs review"
                   |"unsupported"|"not checked",
        "explanation": str,     # the verdict's reason in words
        "checked_text": str,    # the text without citation markers: what is judged
        "citations": [{"marker": str, "start": int, "end": int, "style": str,
                       "narrative": bool, "cites": [str]}],
        "cited": [str],         # keys the markers resolve to
        "unresolved": [str],    # works the markers name that match no reference
        "citation_checks": [{"key": str, "stance": str, "supports": bool, "verdict": str,
                             "evidence": EVIDENCE|null, "suggestions": [str],
                             "better": str|null}],
        "citation_needed": bool, "could_cite": [str],
        "links": [LINK],        # every candidate judged: the cited first, then strongest first
        "parts": [{"text": str, "query": str, "start": int, "end": int,
                   "verdict": str, "explanation": str, "links": [LINK]}]
      }]
    }
    LINK = {"key": str, "stance": "supports"|"contradicts"|"neutral", "label": str,
            "related": bool, "score": float, "relevance": float, "rank": int,
            "cited": bool, "cues": [str], "verifier": str,   # the backend that judged it
            "evidence": EVIDENCE}
    EVIDENCE = {"field": str, "text": str, "start": int, "end": int, "source": str|null}

A claim that states one thing has one part, the claim itself.  ``related`` says
whether the reference bears on the claim's topic; ``label`` is what a reader sees:
"supports", "contradicts", "related: not judged" or "unrelated".
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from mesorefs.claims.document import Document
from mesorefs.claims.report_html import VERDICT_COLOURS, render_html
from mesorefs.claims.results import (
    SHOWN_LINKS,
    VERDICTS,
    CitationCheck,
    Claim,
    ClaimResult,
    Evidence,
    Link,
    PartResult,
    Verdict,
    shown,
)
from mesorefs.escape import markdown_text

__all__ = [
    "SCHEMA",
    "SHOWN_LINKS",
    "CitationCheck",
    "Claim",
    "ClaimReport",
    "ClaimResult",
    "Evidence",
    "Link",
    "PartResult",
    "Verdict",
    "shown",
]

SCHEMA = "mesorefs.claims/3"
_COLOURS = VERDICT_COLOURS  # the verdicts' colours, as the tests of the page read them


@dataclass(frozen=True)
class ClaimReport:
    """The result of :func:`mesorefs.check_claims`: one result per claim, and how it was made."""

    document: Document
    claims: tuple[ClaimResult, ...]
    engine: str
    ranking: str
    references: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    verifier: str = "baseline"
    """The backend behind ``engine``: ``baseline``, ``nli:<model>`` or ``openai:<url>#<model>``."""
    notices: tuple[str, ...] = ()
    """What a reader must know before the verdicts (e.g. most references have only a title)."""

    @property
    def checked(self) -> list[ClaimResult]:
        return [r for r in self.claims if r.claim.checkworthy]

    def summary(self) -> dict[str, int]:
        counts: Counter[str] = Counter(r.verdict for r in self.claims)
        return {v: counts.get(v, 0) for v in VERDICTS}

    # ---------------------------------------------------------------- JSON

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "engine": self.engine,
            "verifier": self.verifier,
            "ranking": self.ranking,
            "document": {"format": self.document.format, "length": len(self.document.text)},
            "references": list(self.references),
            "summary": self.summary(),
            "notices": list(self.notices),
            "warnings": list(self.warnings),
            "claims": [r.to_dict() for r in self.claims],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    # ------------------------------------------------------------ Markdown

    def to_markdown(self) -> str:
        lines = [
            "# Claim check",
            "",
            f"Engine: `{self.engine}`; ranking: `{self.ranking}`.",
            "",
            "| verdict | claims |",
            "| --- | --- |",
        ]
        lines += [f"| {v} | {n} |" for v, n in self.summary().items()]
        lines.append("")
        lines += [f"> **Note:** {_md(n)}\n" for n in self.notices]
        section: str | None = None
        for result in self.checked:
            c = result.claim
            if c.section != section:
                section = c.section
                lines += [f"## {_md(section or '(no section)')}", ""]
            lines.append(
                f"- **{result.verdict}** ({c.id}, chars {c.start}-{c.end}): {_md(c.query)}"
            )
            lines.append(f"  - why: {_md(result.explanation)}")
            if len(result.parts) > 1:
                for part in result.parts:
                    p = part.part
                    lines.append(
                        f"  - part \u201c{_md(p.text)}\u201d (chars {p.start}-{p.end}):"
                        f" **{part.verdict}**: {_md(part.explanation)}"
                    )
                    lines += ["  " + line for line in _md_links(part.links)]
            else:
                lines += _md_links(result.links)
            lines += [f"  - {_md(note)}" for note in result.citation_notes()]
        skipped = [
            r
            for r in self.claims
            if not r.claim.checkworthy and r.claim.kind not in ("title", "heading")
        ]
        if skipped:
            lines += ["", "## Not checked", ""]
            lines += [f"- {_md(r.claim.text)} ({r.claim.reason})" for r in skipped]
        if self.warnings:
            lines += ["", "## Warnings", ""] + [f"- {_md(w)}" for w in self.warnings]
        return "\n".join(lines) + "\n"

    # ---------------------------------------------------------------- HTML

    def to_html(self, title: str | None = None) -> str:
        """A self-contained page titled after the document (its first title or heading,
        unless ``title`` is given): claims coloured by verdict, the verdict chips filter them,
        and a click shows the evidence beside the text (see ``claims/report_html``)."""
        return render_html(self, title)

    def annotate(self, min_score: float = 0.0, evidence: bool = True) -> str:
        """The original document with Pandoc citations ``[@key]`` and the evidence as notes.

        A supported claim gets the keys of its supporting references before its final
        punctuation; a partly supported one gets them after each supported part.  Keys
        the claim already cites are not repeated.  With ``evidence``, every checked
        claim also gets a footnote ``[^c12]`` with its verdict, the reason and the
        passages of its references (the notes are listed at the end of the document).
        """
        text = self.document.text
        inserts: list[tuple[int, str]] = []
        notes: list[str] = []
        for result in self.claims:
            c = result.claim
            if not c.checkworthy:
                continue
            already = {check.key for check in result.citation_checks}
            spans: list[tuple[int, tuple[Link, ...]]] = []
            if result.verdict == "supported":
                spans.append((c.end, result.links))
            elif result.verdict == "partly supported":
                spans += [(p.part.end, p.links) for p in result.parts if p.verdict == "supported"]
            for end, links in spans:
                keys = [
                    lk.key
                    for lk in links
                    if lk.stance == "supports" and lk.score >= min_score and lk.key not in already
                ]
                if keys:
                    at = _before_punctuation(text, c.start, end)
                    marker = "[" + "; ".join(f"@{k}" for k in keys) + "]"
                    space = " " if at > 0 and not text[at - 1].isspace() else ""
                    inserts.append((at, space + marker))
            if evidence:
                inserts.append((_before_punctuation(text, c.start, c.end), f"[^{c.id}]"))
                notes.append(self._note(result))
        out: list[str] = []
        pos = 0
        for at, marker in sorted(inserts, key=lambda item: item[0]):
            out.append(text[pos:at])
            out.append(marker)
            pos = at
        out.append(text[pos:])
        annotated = "".join(out)
        if notes:
            annotated = annotated.rstrip("\n") + "\n\n" + "\n".join(notes) + "\n"
        return annotated

    @staticmethod
    def _note(result: ClaimResult) -> str:
        """A Markdown footnote with a claim's verdict, reason and shown evidence."""

        def one(lk: Link) -> str:
            quote = markdown_text(" ".join(lk.evidence.text.split()))
            return f"[@{lk.key}] {lk.label} ({lk.evidence.field}): \u201c{quote}\u201d"

        # The references' text is escaped (escape.markdown_text): a <script> in a title
        # or an abstract is text in the note, not HTML, and cannot leave the footnote.
        pieces = [f"{result.verdict}: {markdown_text(result.explanation)}"]
        if len(result.parts) > 1:
            for part in result.parts:
                links = "; ".join(one(lk) for lk in shown(part.links))
                pieces.append(
                    f"\u201c{markdown_text(part.part.text)}\u201d {part.verdict}"
                    + (f": {links}" if links else "")
                )
        else:
            pieces += [one(lk) for lk in shown(result.links)]
        return f"[^{result.claim.id}]: " + " \u2014 ".join(pieces)


def _before_punctuation(text: str, start: int, end: int) -> int:
    """Where a citation goes in ``text[start:end]``: before its closing punctuation."""
    at = end
    while (
        at > start
        and text[at - 1] in ".!?;:\"'\u201d\u2019)"
        and not (text[at - 1] == ")" and "(" in text[start:at])
    ):
        at -= 1
    return at


def _md_links(links: tuple[Link, ...]) -> list[str]:
    """Markdown lines for the links a reader sees."""
    lines: list[str] = []
    for lk in shown(links):
        cited = ", cited" if lk.cited else ""
        cues = f"; cues: {', '.join(lk.cues)}" if lk.cues else ""
        ev = lk.evidence
        lines.append(
            f"  - [@{lk.key}] {lk.label} (score {lk.score:.2f}, relevance {lk.relevance:.2f}"
            f"{cited}{cues}): {ev.field} [{ev.start}-{ev.end}]: \u201c{_md(ev.text)}\u201d"
        )
    if not lines:
        lines.append("  - no reference bears on this")
    return lines


def _md(text: str) -> str:
    """Text safe inside Markdown list items and tables (``escape.markdown_text``)."""
    return markdown_text(text)
