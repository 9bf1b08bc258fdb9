"""One reader per document format, each turning text into :class:`~mesorefs.claims.blocks.Block`
objects whose characters map back to the source."""

from mesorefs.claims.readers.html import html_blocks
from mesorefs.claims.readers.latex import latex_blocks
from mesorefs.claims.readers.markdown import markdown_blocks
from mesorefs.claims.readers.plain import plain_blocks

__all__ = ["html_blocks", "latex_blocks", "markdown_blocks", "plain_blocks"]
