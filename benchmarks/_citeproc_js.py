"""The citeproc-js driver every CSL benchmark compares against: citeproc-js (the engine
behind Zotero) run by node from ``benchmarks/csl`` (``(cd benchmarks/csl && npm install)``),
with the CSL locales the citeproc-py package ships.  See benchmarks/README.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

NODE_DIR = Path(__file__).resolve().parent / "csl"
"""Where render.js and its node_modules are."""


def _locale_xml(tag: str) -> str:
    """A CSL locale file from the citeproc-py package (which ships the CSL locales)."""
    import citeproc

    root = Path(citeproc.__file__).parent / "data" / "locales"
    return (root / f"locales-{tag}.xml").read_text(encoding="utf-8")


def citeproc_js(
    items: list[dict[str, Any]],
    style: str,
    lang: str | None = None,
    citations: bool = True,
    fmt: str = "text",
    clusters: Sequence[Sequence[str]] = (),
    sequence: Sequence[Sequence[dict[str, Any]]] = (),
    style_xml: str | None = None,
) -> dict[str, Any]:
    """Bibliography and one citation per item (in item order) from citeproc-js, in
    ``lang`` or else the style's own default locale (as mesorefs renders it), in
    citeproc-js's ``fmt`` ("text" or "html").  ``sequence``: a document's citations in
    order (cites as ``{"id", "locator", "label", "prefix", "suffix"}``, citation n in
    footnote n), whose final texts come back under ``"sequence"``.  ``style_xml``: the
    style's text to use instead of the installed style's (a bench's variant of it)."""
    from mesorefs.render.styles import find_style

    lang = lang or find_style(style).default_locale or "en-US"
    locales = {tag: _locale_xml(tag) for tag in {lang, "en-US"}}
    job = {
        "style": style_xml or find_style(style).xml,
        "locales": locales,
        "lang": lang,
        "format": fmt,
        "items": items,
        "citations": citations,
        "clusters": [list(c) for c in clusters],
        "sequence": [list(c) for c in sequence],
    }
    proc = subprocess.run(
        ["node", str(NODE_DIR / "render.js")],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.exit(f"citeproc-js failed (did you run npm install in {NODE_DIR}?):\n{proc.stderr}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result
