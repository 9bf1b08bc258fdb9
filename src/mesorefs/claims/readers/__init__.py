"""One reader per document format, each turning text into :class:`~mesorefs.claims.blocks.Block`
objects whose characters map back to the source.

Each reader loads on first use (:func:`~mesorefs.claims.document.parse_document` imports
only the one a document needs), so checking a Markdown file loads no HTML parser."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mesorefs.claims.readers.html import html_blocks
    from mesorefs.claims.readers.latex import latex_blocks
    from mesorefs.claims.readers.markdown import markdown_blocks
    from mesorefs.claims.readers.plain import plain_blocks

_READERS = {
    "html_blocks": "mesorefs.claims.readers.html",
    "latex_blocks": "mesorefs.claims.readers.latex",
    "markdown_blocks": "mesorefs.claims.readers.markdown",
    "plain_blocks": "mesorefs.claims.readers.plain",
}


def __getattr__(name: str) -> Any:
    module = _READERS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = ["html_blocks", "latex_blocks", "markdown_blocks", "plain_blocks"]
