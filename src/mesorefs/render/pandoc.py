"""The CSL engine: pandoc's citeproc, run as the binary that ``pypandoc-binary`` ships.

This is the only module that knows pandoc exists.  It takes CSL-JSON items,
citation clusters and a style file, and hands back pandoc's document tree
for each citation and each bibliography entry; the writers turn that tree
into text, HTML, Markdown or LaTeX.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from mesorefs.errors import RenderError
from mesorefs.render.affixes import rich_text, words
from mesorefs.render.tree import Node

__all__ = ["CiteSpec", "EngineResult", "Node", "pandoc_path", "run"]

_TIMEOUT = 300


@dataclass(frozen=True)
class CiteSpec:
    """One cited item of a citation, as the engine is told about it."""

    id: str
    locator: str | None = None
    label: str = "page"
    prefix: str = ""
    suffix: str = ""
    mode: str = "NormalCitation"
    """``NormalCitation``, ``SuppressAuthor`` or ``AuthorInText``."""
    term: str | None = None
    """The word for the locator's label the engine reads in the citation's locale
    ("Seite"); by default the English short term."""
    rich_affixes: bool = False
    """Read the prefix and suffix as CSL rich text (:mod:`mesorefs.render.affixes`);
    otherwise they are plain words, as pandoc alone would take them."""


# How pandoc's citeproc recognises a locator label at the start of a suffix: the
# English short terms (it reads them in any locale it knows).
_LABEL_TERMS = {
    "act": "act", "appendix": "app.", "article-locator": "art.", "book": "bk.",
    "canon": "can.", "chapter": "chap.", "column": "col.", "elocation": "loc.",
    "equation": "eq.", "figure": "fig.", "folio": "fol.", "issue": "no.", "line": "l.",
    "note": "n.", "opus": "op.", "page": "p.", "paragraph": "para.", "part": "pt.",
    "rule": "r.", "scene": "sc.", "section": "sec.", "sub-verbo": "s.v.",
    "supplement": "supp.", "table": "tbl.", "timestamp": "", "title-locator": "tit.",
    "verse": "v.", "volume": "vol.",
}  # fmt: skip
LOCATOR_LABELS = tuple(_LABEL_TERMS)
"""CSL's locator labels."""


def _affix(text: str, spec: CiteSpec) -> list[Node]:
    return rich_text(text) if spec.rich_affixes else words(text)


def _suffix(spec: CiteSpec) -> list[Node]:
    text = spec.suffix
    if spec.locator:
        term = spec.term or _LABEL_TERMS.get(spec.label, spec.label)
        text = f", {term} {spec.locator}".replace("  ", " ") + text
    return _affix(text, spec)


@dataclass(frozen=True)
class EngineResult:
    citations: list[list[Node]]
    """Per cluster, its inlines (a note style's footnote content included)."""
    bibliography: list[tuple[str, list[Node]]]
    """Per entry, in the style's order: the item id and the entry's blocks."""
    in_text: list[list[Node]] = field(default_factory=list)
    """Per cluster (when citations are in notes), what stands in the running text
    before its note: the names of a cluster whose works all have the author in the
    text, nothing for the others."""


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    """The pandoc binary: ``$MESOREFS_PANDOC``, the wheel's own, or one on PATH."""
    configured = os.environ.get("MESOREFS_PANDOC")
    if configured:
        return configured
    try:
        import pypandoc

        bundled = Path(pypandoc.__file__).parent / "files" / "pandoc"
        if bundled.is_file():
            return str(bundled)
    except ImportError:  # pragma: no cover - a declared dependency
        pass
    found = shutil.which("pandoc")  # pragma: no cover - only without the wheel
    if found:  # pragma: no cover
        return found
    raise RenderError("pandoc not found: install pypandoc-binary")  # pragma: no cover


@lru_cache(maxsize=1)
def _api_version() -> list[int]:
    out = _pandoc(["-f", "markdown", "-t", "json"], "")
    version: list[int] = json.loads(out)["pandoc-api-version"]
    return version


def _pandoc(args: list[str], stdin: str) -> str:
    try:
        proc = subprocess.run(
            [pandoc_path(), *args],
            input=stdin.encode("utf-8"),
            capture_output=True,
            timeout=_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RenderError(f"pandoc could not run: {exc}") from exc
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"pandoc failed: {message[-1] if message else proc.returncode}")
    return proc.stdout.decode("utf-8")


def _cite(cites: Sequence[str | CiteSpec], note_number: int) -> Node:
    specs = [CiteSpec(c) if isinstance(c, str) else c for c in cites]
    citations = [
        {
            "citationId": spec.id,
            "citationPrefix": _affix(spec.prefix, spec),
            "citationSuffix": _suffix(spec),
            "citationMode": {"t": spec.mode},
            "citationNoteNum": note_number,
            "citationHash": 0,
        }
        for spec in specs
    ]
    return {"t": "Cite", "c": [citations, [{"t": "Str", "c": "?"}]]}


def _meta_string(value: str) -> Node:
    return {"t": "MetaString", "c": value}


def _cluster_inlines(para: list[Node]) -> list[Node]:
    """The citation's inlines; a footnote's paragraphs when the style puts citations in notes."""
    out: list[Node] = []
    for node in para:
        if node["t"] == "Cite":
            out.extend(_cluster_inlines(node["c"][1]))
        elif node["t"] == "Note":
            for block in node["c"]:
                if block["t"] in ("Para", "Plain"):
                    out.extend(_cluster_inlines(block["c"]))
        else:
            out.append(node)
    return out


def _author_in_text(cluster: Sequence[str | CiteSpec]) -> bool:
    return all(isinstance(c, CiteSpec) and c.mode == "AuthorInText" for c in cluster)


def _in_text_and_note(para: list[Node]) -> tuple[list[Node], list[Node]]:
    """A citation the engine put in a note of its own: the inlines before the note
    and the note's, as :func:`_cluster_inlines` gives them."""
    inlines = para[0]["c"][1] if len(para) == 1 and para[0]["t"] == "Cite" else para
    for k, node in enumerate(inlines):
        if node["t"] == "Note":
            before = inlines[:k]
            while before and before[-1]["t"] in ("Space", "SoftBreak"):
                before = before[:-1]
            return _cluster_inlines(before), _cluster_inlines([node])
    return [], _cluster_inlines(para)


def run(
    items: list[dict[str, Any]],
    clusters: Sequence[Sequence[str | CiteSpec]],
    style_xml: str,
    locale: str | None,
    *,
    nocite: list[str] | None = None,
    bibliography: bool = True,
    note_numbers: Sequence[int] | None = None,
    in_notes: bool = False,
    links: bool = False,
) -> EngineResult:
    """Cite ``clusters`` (item ids, or cite specs) in order and build the bibliography.

    ``note_numbers``: the footnote each citation stands in (by default 1, 2, ...).
    ``in_notes``: each citation stands inside its footnote already (pandoc then leaves
    a note style's citation as the style writes it; otherwise it makes the footnote
    and capitalizes its first letter), except one whose works all have the author in
    the text: pandoc writes the names in the text and the rest in a footnote of its
    own, and the names come back in ``in_text``.
    ``links``: URLs and DOIs become links, and a title stands as the link to its work
    when the style prints neither (pandoc's ``link-bibliography``); off, the text is
    the style's alone, as citeproc-js writes it.
    """
    meta: dict[str, Node] = {
        "link-citations": {"t": "MetaBool", "c": False},
        "link-bibliography": {"t": "MetaBool", "c": links},
        "suppress-bibliography": {"t": "MetaBool", "c": not bibliography},
    }
    if locale:
        meta["lang"] = _meta_string(locale)
    if nocite:
        meta["nocite"] = {"t": "MetaInlines", "c": [_cite(nocite, 0)]}
    numbers = list(note_numbers) if note_numbers is not None else range(1, len(clusters) + 1)
    blocks = [{"t": "Para", "c": [_cite(c, n)]} for n, c in zip(numbers, clusters, strict=True)]
    if in_notes:
        blocks = [
            block if _author_in_text(cluster) else {"t": "Para", "c": [{"t": "Note", "c": [block]}]}
            for cluster, block in zip(clusters, blocks, strict=True)
        ]
    with tempfile.TemporaryDirectory(prefix="mesorefs-") as tmp:
        bib_path = Path(tmp) / "items.json"
        bib_path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        style_path = Path(tmp) / "style.csl"
        style_path.write_text(style_xml, encoding="utf-8")
        meta["bibliography"] = _meta_string(str(bib_path))
        meta["csl"] = _meta_string(str(style_path))
        doc = {"pandoc-api-version": _api_version(), "meta": meta, "blocks": blocks}
        out = _pandoc(["-f", "json", "-t", "json", "--citeproc"], json.dumps(doc))
    tree = json.loads(out)
    citations: list[list[Node]] = []
    in_text: list[list[Node]] = []
    entries: list[tuple[str, list[Node]]] = []
    for block in tree["blocks"]:
        if block["t"] == "Para" and in_notes:
            before, note = _in_text_and_note(block["c"])
            in_text.append(before)
            citations.append(note)
        elif block["t"] == "Para":
            citations.append(_cluster_inlines(block["c"]))
        elif block["t"] == "Div" and block["c"][0][0] == "refs":
            for entry in block["c"][1]:
                ident = entry["c"][0][0]
                entries.append((ident.removeprefix("ref-"), entry["c"][1]))
    if len(citations) != len(clusters):  # pragma: no cover - pandoc keeps paragraphs
        raise RenderError("pandoc returned an unexpected document")
    return EngineResult(citations=citations, bibliography=entries, in_text=in_text)
