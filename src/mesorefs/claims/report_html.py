"""The claim report as one self-contained HTML page: the document with its claims coloured
by verdict, the evidence claim by claim in ``<details>`` (readable without JavaScript and
in print), and a panel that shows a clicked claim's evidence."""

from __future__ import annotations

import html
import json
from typing import Protocol

from mesorefs.claims.document import Document
from mesorefs.claims.results import SHOWN_LINKS, ClaimResult, Link, shown

__all__ = ["VERDICT_COLOURS", "render_html"]

# Backgrounds far apart in hue (green, blue, red, violet, orange), each verdict also
# drawn with an underline of its own, so no reader depends on colour alone.
VERDICT_COLOURS = {
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


class _Report(Protocol):
    """What the page is made of (a :class:`~mesorefs.claims.report.ClaimReport`)."""

    @property
    def document(self) -> Document: ...
    @property
    def claims(self) -> tuple[ClaimResult, ...]: ...
    @property
    def engine(self) -> str: ...
    @property
    def ranking(self) -> str: ...
    @property
    def references(self) -> tuple[str, ...]: ...
    @property
    def warnings(self) -> tuple[str, ...]: ...
    @property
    def notices(self) -> tuple[str, ...]: ...
    @property
    def checked(self) -> list[ClaimResult]: ...
    def summary(self) -> dict[str, int]: ...


def render_html(report: _Report, title: str | None = None) -> str:
    """A self-contained page titled after the document (its first title or heading,
    unless ``title`` is given): claims coloured by verdict, the verdict chips filter them,
    and a click shows the evidence beside the text.  The same evidence is written into
    the page, claim by claim, in ``<details>``: it is there without JavaScript and in
    print, and each highlighted claim links to it."""
    if title is None:
        heading = next(
            (s.text for s in report.document.segments if s.kind in ("title", "heading")), None
        )
        title = f"Claim check: {' '.join(heading.split())[:120]}" if heading else "Claim check"
    text = report.document.text
    pieces: list[str] = []
    pos = 0
    for result in sorted(report.claims, key=lambda r: r.claim.start):
        c = result.claim
        if c.start < pos or c.end <= c.start:
            continue
        pieces.append(_plain(text[pos : c.start]))
        if c.kind in ("title", "heading"):
            pieces.append(f'<strong class="heading">{html.escape(text[c.start : c.end])}</strong>')
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
        {r.claim.id: {**r.to_dict(), "notes": r.citation_notes()} for r in report.claims},
        ensure_ascii=False,
    )
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    counts = {v: n for v, n in report.summary().items() if v != "not checked"}
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
        for v, colour in VERDICT_COLOURS.items()
    )
    checked = len(report.checked)
    return _PAGE.format(
        title=html.escape(title),
        engine=html.escape(report.engine),
        ranking=html.escape(report.ranking),
        summary=f"{checked} claim{'s' if checked != 1 else ''} checked against "
        f"{len(report.references)} reference{'s' if len(report.references) != 1 else ''}.",
        chips=chips,
        notices="".join(f'<p class="notice">{html.escape(n)}</p>' for n in report.notices),
        body="".join(pieces),
        evidence="\n".join(_evidence_details(r) for r in report.checked),
        warnings="".join(f"<li>{html.escape(w)}</li>" for w in report.warnings),
        data=data,
        styles=styles,
        shown=SHOWN_LINKS,
    )


# ------------------------------------------------------------- annotate


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
