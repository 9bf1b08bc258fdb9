"""Bibliographies and citations in CSL styles.

::

    format_bibliography(refs, style="apa")            -> ["Rohrich, R. J. (2005). ...", ...]
    format_citation(["rohrich2005"], library=lib)      -> "(Rohrich, 2005)"
    format_document([["a"], ["b", "a"]], library=lib)  -> citations + bibliography of cited works

Styles come by short name from the installed styles package, by alias or by
path to a ``.csl`` file; dependent styles are resolved to their parent.  The
engine is pandoc's citeproc (see :mod:`mesorefs.render.pandoc`), wrapped by
:mod:`mesorefs.render.corrections` where it differs from citeproc-js, the engine
behind Zotero; ``benchmarks/csl_bench.py`` measures the agreement.
"""

from __future__ import annotations

from mesorefs.render.pipeline import (
    Citation,
    CiteItem,
    RenderedDocument,
    format_bibliography,
    format_citation,
    format_citations,
    format_document,
)
from mesorefs.render.styles import Style, find_style, style_names
from mesorefs.render.writers import Output

__all__ = [
    "Citation",
    "CiteItem",
    "Output",
    "RenderedDocument",
    "Style",
    "find_style",
    "format_bibliography",
    "format_citation",
    "format_citations",
    "format_document",
    "style_names",
]
