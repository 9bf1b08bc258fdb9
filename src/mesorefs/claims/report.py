"""Claim reports: JSON (schema ``mesorefs.claims/1``), Markdown, HTML, annotated document.

JSON schema ``mesorefs.claims/1`` (every key always present; spans are character
offsets into the original document, ``end`` exclusive)::

    {
      "schema": "mesorefs.claims/1",
      "engine": str,            # the verifier that labelled the links
      "ranking": str,           # "bm25" or "bm25+all-MiniLM-L6-v2"
      "document": {"format": str, "length": int},
      "references": [str],      # keys, in library order
      "summary": {verdict: count},
      "warnings": [str],
      "claims": [{
        "id": str, "text": str, "query": str, "kind": "sentence"|"item"|"heading"|"title",
        "start": int, "end": int, "section": str|null, "context": str|null,
        "checkworthy": bool, "reason": str|null,
        "verdict": "supported"|"contradicted"|"unsupported"|"uncertain"|"not checked",
        "citations": [{"marker": str, "start": int, "end": int, "style": str}],
        "citation_checks": [{"key": str, "stance": str, "supports": bool, "better": str|null}],
        "links": [{"key": str, "stance": "supports"|"contradicts"|"neutral", "score": float,
                   "relevance": float, "rank": int, "cited": bool, "cues": [str],
                   "evidence": {"field": str, "text": str, "start": int, "end": int,
                                "source": str|null}}]
      }]
    }
"""

from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from mesorefs.claims.document import Citation, Document

__all__ = [
    "SCHEMA",
    "CitationCheck",
    "Claim",
    "ClaimReport",
    "ClaimResult",
    "Evidence",
    "Link",
    "Verdict",
]

SCHEMA = "mesorefs.claims/1"
Verdict = Literal["supported", "contradicted", "unsupported", "uncertain", "not checked"]
_COLOURS = {
    "supported": "#d9f2d9",
    "contradicted": "#f8d0d0",
    "unsupported": "#fbe8c0",
    "uncertain": "#e0e4f5",
    "not checked": "transparent",
}


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


@dataclass(frozen=True)
class CitationCheck:
    """Whether a reference the claim already cites supports it, and a better one if not."""

    key: str
    stance: str
    supports: bool
    better: str | None = None


@dataclass(frozen=True)
class ClaimResult:
    """A claim with its verdict and links."""

    claim: Claim
    verdict: Verdict
    links: tuple[Link, ...]
    citation_checks: tuple[CitationCheck, ...]

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
            "citations": [
                {"marker": x.marker, "start": x.start, "end": x.end, "style": x.style}
                for x in c.citations
            ],
            "citation_checks": [
                {"key": x.key, "stance": x.stance, "supports": x.supports, "better": x.better}
                for x in self.citation_checks
            ],
            "links": [
                {
                    "key": lk.key,
                    "stance": lk.stance,
                    "score": lk.score,
                    "relevance": lk.relevance,
                    "rank": lk.rank,
                    "cited": lk.cited,
                    "cues": list(lk.cues),
                    "evidence": {
                        "field": lk.evidence.field,
                        "text": lk.evidence.text,
                        "start": lk.evidence.start,
                        "end": lk.evidence.end,
                        "source": lk.evidence.source,
                    },
                }
                for lk in self.links
            ],
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
            "ranking": self.ranking,
            "document": {"format": self.document.format, "length": len(self.document.text)},
            "references": list(self.references),
            "summary": self.summary(),
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
        section: str | None = None
        for result in self.checked:
            c = result.claim
            if c.section != section:
                section = c.section
                lines += [f"## {_md(section or '(no section)')}", ""]
            lines.append(
                f"- **{result.verdict}** ({c.id}, chars {c.start}-{c.end}): {_md(c.query)}"
            )
            for lk in result.links:
                cited = ", cited" if lk.cited else ""
                cues = f"; cues: {', '.join(lk.cues)}" if lk.cues else ""
                lines.append(
                    f"  - [@{lk.key}] {lk.stance} (score {lk.score:.2f}{cited}{cues}): "
                    f"{lk.evidence.field}: \u201c{_md(lk.evidence.text)}\u201d"
                )
            for check in result.citation_checks:
                if not check.supports:
                    better = f"; consider [@{check.better}]" if check.better else ""
                    lines.append(f"  - cited [@{check.key}] does not support this{better}")
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

    def to_html(self, title: str = "Claim check") -> str:
        """A self-contained page: claims coloured by verdict; a click shows the evidence."""
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
                pieces.append(
                    f'<span class="claim v-{verdict}" data-id="{html.escape(c.id)}" tabindex="0" '
                    f'role="button" title="{html.escape(result.verdict)}">'
                    f"{_plain(text[c.start : c.end])}</span>"
                )
            pos = c.end
        pieces.append(_plain(text[pos:]))
        data = json.dumps({r.claim.id: r.to_dict() for r in self.claims}, ensure_ascii=False)
        data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        legend = " ".join(
            f'<span class="claim v-{v.replace(" ", "-")}">{html.escape(v)}: {n}</span>'
            for v, n in self.summary().items()
            if v != "not checked"
        )
        styles = "\n".join(
            f".v-{v.replace(' ', '-')} {{ background: {colour}; }}"
            for v, colour in _COLOURS.items()
        )
        return _PAGE.format(
            title=html.escape(title),
            engine=html.escape(self.engine),
            ranking=html.escape(self.ranking),
            legend=legend,
            body="".join(pieces),
            data=data,
            styles=styles,
        )

    # ------------------------------------------------------------- annotate

    def annotate(self, min_score: float = 0.0) -> str:
        """The original document with Pandoc citations ``[@key]`` added to supported claims.

        Keys the claim already cites are not repeated; the citation goes before the
        sentence's final punctuation.
        """
        text = self.document.text
        inserts: list[tuple[int, str]] = []
        for result in self.claims:
            if result.verdict != "supported":
                continue
            already = {c.key for c in result.citation_checks}
            keys = [
                lk.key
                for lk in result.links
                if lk.stance == "supports" and lk.score >= min_score and lk.key not in already
            ]
            if not keys:
                continue
            c = result.claim
            at = c.end
            while (
                at > c.start
                and text[at - 1] in ".!?;:\"'”’)"
                and not (text[at - 1] == ")" and "(" in text[c.start : at])
            ):
                at -= 1
            marker = "[" + "; ".join(f"@{k}" for k in keys) + "]"
            inserts.append((at, (" " if at > 0 and not text[at - 1].isspace() else "") + marker))
        out: list[str] = []
        pos = 0
        for at, marker in sorted(inserts):
            out.append(text[pos:at])
            out.append(marker)
            pos = at
        out.append(text[pos:])
        return "".join(out)


def _md(text: str) -> str:
    """Text safe inside Markdown list items and tables."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def _plain(text: str) -> str:
    return html.escape(text).replace("\n", "<br>\n")


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
.claim {{ cursor: pointer; border-radius: 3px; padding: 0 2px; }}
.claim:focus, .claim.active {{ outline: 2px solid #333; }}
{styles}
.meta {{ color: #555; font-size: 0.9em; }}
.link {{ margin: 0.8em 0; padding: 0.5em; border-left: 4px solid #999; background: #fff; }}
.link.supports {{ border-color: #2a8f2a; }}
.link.contradicts {{ border-color: #c02020; }}
blockquote {{ margin: 0.3em 0 0 0; font-style: italic; }}
</style>
</head>
<body>
<main>
<p class="meta">Verifier: {engine}. Ranking: {ranking}.</p>
<p class="meta">{legend}</p>
<div id="document">{body}</div>
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
    claim.citation_checks.forEach(function (c) {{
      var msg = "Cited " + c.key + (c.supports ? " supports this." : " does not support this.");
      if (c.better) {{ msg += " Better: " + c.better + "."; }}
      panel.appendChild(el("p", "meta", msg));
    }});
    if (claim.checkworthy && claim.links.length === 0) {{
      panel.appendChild(el("p", "meta", "No reference bears on this claim."));
    }}
    claim.links.forEach(function (link) {{
      var box = el("div", "link " + link.stance);
      var head = link.key + ": " + link.stance + " (score " + link.score + ")";
      box.appendChild(el("div", "link-head", head));
      if (link.cues.length) {{
        box.appendChild(el("div", "meta", "cues: " + link.cues.join(", ")));
      }}
      var ev = link.evidence;
      box.appendChild(el("div", "meta", ev.field + " [" + ev.start + "-" + ev.end + "]"));
      box.appendChild(el("blockquote", "evidence-text", link.evidence.text));
      panel.appendChild(box);
    }});
  }}
  document.querySelectorAll(".claim[data-id]").forEach(function (node) {{
    function activate() {{
      document.querySelectorAll(".claim.active").forEach(function (n) {{
        n.classList.remove("active");
      }});
      node.classList.add("active");
      show(node.getAttribute("data-id"));
    }}
    node.addEventListener("click", activate);
    node.addEventListener("keydown", function (event) {{
      if (event.key === "Enter" || event.key === " ") {{ event.preventDefault(); activate(); }}
    }});
  }});
}})();
</script>
</body>
</html>
"""
