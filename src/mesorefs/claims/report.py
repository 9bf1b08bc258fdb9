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

import html
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from mesorefs.claims.document import Citation, Document
from mesorefs.claims.parts import Part
from mesorefs.escape import markdown_text

__all__ = [
    "SCHEMA",
    "CitationCheck",
    "Claim",
    "ClaimReport",
    "ClaimResult",
    "Evidence",
    "Link",
    "PartResult",
    "Verdict",
]

SCHEMA = "mesorefs.claims/3"
Verdict = Literal[
    "supported", "partly supported", "contradicted", "needs review", "unsupported", "not checked"
]
# Backgrounds far apart in hue (green, blue, red, violet, orange), each verdict also
# drawn with an underline of its own, so no reader depends on colour alone.
_COLOURS = {
    "supported": "#c8ecc8",
    "partly supported": "#cfe6f7",
    "contradicted": "#f6c2c2",
    "needs review": "#e4d9f5",
    "unsupported": "#fbd9a8",
    "not checked": "transparent",
}
_UNDERLINES = {
    "supported": "solid",
    "partly supported": "double",
    "contradicted": "wavy",
    "needs review": "dashed",
    "unsupported": "dotted",
}
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


def shown(links: tuple[Link, ...], limit: int = SHOWN_LINKS) -> list[Link]:
    """The links a reader sees: the cited ones first (whatever their stance), then those
    that take a stance, then related ones.

    When no reference bears on the statement, the closest one is shown, as unrelated.
    """
    cited = [lk for lk in links if lk.cited]
    firm = cited + [lk for lk in links if lk.stance != "neutral" and not lk.cited]
    related = [lk for lk in links if lk.stance == "neutral" and lk.related and not lk.cited]
    chosen = (firm + related)[: max(limit, len(firm))]
    if not chosen and links:
        chosen = [max(links, key=lambda lk: (lk.relevance, -lk.rank))]
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
        return {v: counts.get(v, 0) for v in _COLOURS}

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
        and a click shows the evidence beside the text.  The same evidence is written into
        the page, claim by claim, in ``<details>``: it is there without JavaScript and in
        print, and each highlighted claim links to it."""
        if title is None:
            heading = next(
                (s.text for s in self.document.segments if s.kind in ("title", "heading")), None
            )
            title = f"Claim check: {' '.join(heading.split())[:120]}" if heading else "Claim check"
        text = self.document.text
        pieces: list[str] = []
        pos = 0
        for result in sorted(self.claims, key=lambda r: r.claim.start):
            c = result.claim
            if c.start < pos or c.end <= c.start:
                continue
            pieces.append(_plain(text[pos : c.start]))
            if c.kind in ("title", "heading"):
                pieces.append(
                    f'<strong class="heading">{html.escape(text[c.start : c.end])}</strong>'
                )
            else:
                verdict = result.verdict.replace(" ", "-")
                ident = html.escape(c.id)
                target = f' href="#ev-{ident}"' if c.checkworthy else ""
                pieces.append(
                    f'<a class="claim v-{verdict}" data-id="{ident}"{target} tabindex="0" '
                    f'role="button" title="{html.escape(result.verdict)}">'
                    f"{_plain(text[c.start : c.end])}</a>"
                )
            pos = c.end
        pieces.append(_plain(text[pos:]))
        data = json.dumps(
            {r.claim.id: {**r.to_dict(), "notes": r.citation_notes()} for r in self.claims},
            ensure_ascii=False,
        )
        data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        counts = {v: n for v, n in self.summary().items() if v != "not checked"}
        chips = " ".join(
            f'<button type="button" class="chip v-{v.replace(" ", "-")}" '
            f'data-verdict="{v.replace(" ", "-")}" aria-pressed="false">'
            f"{html.escape(v)}: {n}</button>"
            for v, n in counts.items()
            if n
        )
        styles = "\n".join(
            f".v-{v.replace(' ', '-')} {{ background: {colour}; }}"
            + (
                f"\n.claim.v-{v.replace(' ', '-')} {{ text-decoration: underline "
                f"{_UNDERLINES[v]} #555; text-underline-offset: 3px; }}"
                if v in _UNDERLINES
                else ""
            )
            for v, colour in _COLOURS.items()
        )
        checked = len(self.checked)
        return _PAGE.format(
            title=html.escape(title),
            engine=html.escape(self.engine),
            ranking=html.escape(self.ranking),
            summary=f"{checked} claim{'s' if checked != 1 else ''} checked against "
            f"{len(self.references)} reference{'s' if len(self.references) != 1 else ''}.",
            chips=chips,
            notices="".join(f'<p class="notice">{html.escape(n)}</p>' for n in self.notices),
            body="".join(pieces),
            evidence="\n".join(_evidence_details(r) for r in self.checked),
            warnings="".join(f"<li>{html.escape(w)}</li>" for w in self.warnings),
            data=data,
            styles=styles,
            shown=SHOWN_LINKS,
        )

    # ------------------------------------------------------------- annotate

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


def _plain(text: str) -> str:
    return html.escape(text).replace("\n", "<br>\n")


def _links_html(links: tuple[Link, ...]) -> str:
    chosen = shown(links)
    if not chosen:
        return '<p class="meta">No reference bears on this.</p>'
    lead = ""
    if not any(lk.related or lk.cited for lk in chosen):
        lead = '<p class="meta">No reference bears on this; the closest:</p>'
    items = "".join(
        f'<div class="link {html.escape(lk.stance)}"><div class="link-head">'
        f"{html.escape(lk.key)}: {html.escape(lk.label)}</div>"
        f'<blockquote class="evidence-text">{html.escape(lk.evidence.text)}</blockquote></div>'
        for lk in chosen
    )
    return lead + items


def _evidence_details(result: ClaimResult) -> str:
    """One checked claim's verdict, reason and passages, readable without a script."""
    c = result.claim
    verdict = html.escape(result.verdict)
    body = [f'<p class="explanation">{html.escape(result.explanation)}</p>']
    body += [f'<p class="meta citation">{html.escape(n)}</p>' for n in result.citation_notes()]
    if len(result.parts) > 1:
        for part in result.parts:
            body.append(
                f'<h4 class="part">\u201c{html.escape(part.part.text)}\u201d: '
                f"{html.escape(part.verdict)}</h4>"
                f'<p class="explanation">{html.escape(part.explanation)}</p>'
                + _links_html(part.links)
            )
    else:
        body.append(_links_html(result.links))
    return (
        f'<details id="ev-{html.escape(c.id)}" class="evidence-item">'
        f'<summary><span class="chip v-{result.verdict.replace(" ", "-")}">{verdict}</span> '
        f"{html.escape(c.text)}</summary>{''.join(body)}</details>"
    )


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 0; display: flex; }}
main {{ flex: 3; padding: 1.5em 2em; max-width: 50em; }}
aside {{ flex: 2; padding: 1.5em; border-left: 1px solid #ccc; position: sticky; top: 0;
        height: 100vh; overflow-y: auto; box-sizing: border-box; background: #fafafa; }}
h1 {{ font-size: 1.4em; margin: 0 0 0.3em 0; }}
.claim {{ cursor: pointer; border-radius: 3px; padding: 0 2px; color: inherit; }}
.claim:focus, .claim.active {{ outline: 2px solid #333; }}
body.filtering .claim.dimmed {{ background: transparent; text-decoration: none; }}
.chip {{ border: 1px solid #888; border-radius: 1em; padding: 0.1em 0.7em; font: inherit;
        font-size: 0.9em; cursor: pointer; }}
.chip[aria-pressed="true"] {{ border: 2px solid #222; font-weight: bold; }}
summary .chip {{ cursor: inherit; }}
{styles}
.meta {{ color: #555; font-size: 0.9em; }}
.notice {{ border-left: 4px solid #b8860b; background: #fff8e1; padding: 0.5em 0.8em; }}
.link {{ margin: 0.8em 0; padding: 0.5em; border-left: 4px solid #999; background: #fff; }}
.link.supports {{ border-color: #2a8f2a; }}
.link.contradicts {{ border-color: #c02020; }}
h3.part, h4.part {{ font-size: 1em; margin: 1em 0 0.2em 0; }}
blockquote {{ margin: 0.3em 0 0 0; font-style: italic; }}
#evidence-list details {{ margin: 0.4em 0; }}
#evidence-list summary {{ cursor: pointer; }}
@media print {{
  body {{ display: block; }}
  aside, .chips {{ display: none; }}
  details::details-content {{ content-visibility: visible; display: block; }}
}}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{summary}</p>
{notices}
<p class="chips" role="group" aria-label="Show only the claims with this verdict">{chips}</p>
<div id="document">{body}</div>
<section id="evidence-list">
<h2>Evidence, claim by claim</h2>
{evidence}
</section>
<ul class="meta warnings">{warnings}</ul>
<p class="meta">How it was checked: stance by {engine}; references ranked by {ranking}.</p>
</main>
<aside id="evidence" aria-live="polite">
<p class="meta">Click a highlighted claim to see its evidence.</p>
</aside>
<script id="claims-data" type="application/json">{data}</script>
<script>
"use strict";
(function () {{
  var claims = JSON.parse(document.getElementById("claims-data").textContent);
  var panel = document.getElementById("evidence");
  function el(tag, cls, text) {{
    var node = document.createElement(tag);
    if (cls) {{ node.className = cls; }}
    if (text !== undefined && text !== null) {{ node.textContent = String(text); }}
    return node;
  }}
  function show(id) {{
    var claim = claims[id];
    if (!claim) {{ return; }}
    panel.replaceChildren();
    panel.appendChild(el("h2", null, claim.verdict));
    panel.appendChild(el("p", null, claim.query));
    if (!claim.checkworthy) {{
      panel.appendChild(el("p", "meta", "Not checked: " + claim.reason));
    }}
    claim.notes.forEach(function (note) {{
      panel.appendChild(el("p", "meta citation", note));
    }});
    if (claim.checkworthy) {{
      panel.appendChild(el("p", "explanation", claim.explanation));
    }}
    if (claim.parts.length > 1) {{
      claim.parts.forEach(function (part) {{
        panel.appendChild(el("h3", "part", "\u201c" + part.text + "\u201d: " + part.verdict));
        panel.appendChild(el("p", "explanation", part.explanation));
        showLinks(part.links);
      }});
    }} else if (claim.checkworthy) {{
      showLinks(claim.links);
    }}
  }}
  // The links a reader sees: the cited ones first, then those with a stance, then
  // related ones (3 in all).
  function shownLinks(links) {{
    var firm = links.filter(function (l) {{ return l.cited; }}).concat(
      links.filter(function (l) {{ return l.stance !== "neutral" && !l.cited; }}));
    var related = links.filter(function (l) {{
      return l.stance === "neutral" && l.related && !l.cited;
    }});
    var chosen = firm.concat(related).slice(0, Math.max({shown}, firm.length));
    if (chosen.length === 0 && links.length > 0) {{
      chosen = [links.reduce(function (a, b) {{
        var closer = b.relevance > a.relevance;
        return closer || (b.relevance === a.relevance && b.rank < a.rank) ? b : a;
      }})];
    }}
    return chosen;
  }}
  function showLinks(links) {{
    var chosen = shownLinks(links);
    if (!chosen.some(function (l) {{ return l.related || l.cited; }})) {{
      panel.appendChild(el("p", "meta", "No reference bears on this; the closest:"));
    }}
    chosen.forEach(function (link) {{
      var box = el("div", "link " + link.stance);
      var head = link.key + ": " + link.label + " (score " + link.score +
        ", relevance " + link.relevance + ")";
      box.appendChild(el("div", "link-head", head));
      if (link.cues.length) {{
        box.appendChild(el("div", "meta", "cues: " + link.cues.join(", ")));
      }}
      var ev = link.evidence;
      box.appendChild(el("div", "meta", ev.field + " [" + ev.start + "-" + ev.end + "]"));
      box.appendChild(el("blockquote", "evidence-text", ev.text));
      panel.appendChild(box);
    }});
  }}
  // The chips filter: pressed chips keep their verdicts highlighted, the rest fade.
  var pressed = {{}};
  document.querySelectorAll(".chip[data-verdict]").forEach(function (chip) {{
    chip.addEventListener("click", function () {{
      var verdict = chip.getAttribute("data-verdict");
      pressed[verdict] = !pressed[verdict];
      chip.setAttribute("aria-pressed", pressed[verdict] ? "true" : "false");
      var any = Object.keys(pressed).some(function (k) {{ return pressed[k]; }});
      document.body.classList.toggle("filtering", any);
      document.querySelectorAll(".claim[data-id]").forEach(function (node) {{
        var keep = Object.keys(pressed).some(function (k) {{
          return pressed[k] && node.classList.contains("v-" + k);
        }});
        node.classList.toggle("dimmed", any && !keep);
      }});
    }});
  }});
  window.addEventListener("beforeprint", function () {{
    document.querySelectorAll("#evidence-list details").forEach(function (d) {{ d.open = true; }});
  }});
  document.querySelectorAll(".claim[data-id]").forEach(function (node) {{
    function activate(event) {{
      if (event) {{ event.preventDefault(); }}
      document.querySelectorAll(".claim.active").forEach(function (n) {{
        n.classList.remove("active");
      }});
      node.classList.add("active");
      show(node.getAttribute("data-id"));
    }}
    node.addEventListener("click", activate);
    node.addEventListener("keydown", function (event) {{
      if (event.key === "Enter" || event.key === " ") {{ activate(event); }}
    }});
  }});
}})();
</script>
</body>
</html>
"""
