"""Where pandoc's citeproc differs from citeproc-js, and what we do about it.

Each fix is measured by ``benchmarks/csl_bench.py``.  Fixes change the
engine's input (the CSL-JSON items, the style) or tidy its output; none
changes what the data says.
"""

from __future__ import annotations

from typing import Any

from mesorefs.render.styles import Style
from mesorefs.render.writers import Output

__all__ = ["finish", "prepare_items", "prepare_style"]


def prepare_items(items: list[dict[str, Any]], style: Style) -> list[dict[str, Any]]:
    """The items as the engine should see them."""
    return items


def prepare_style(style: Style) -> str:
    """The style's XML as the engine should see it."""
    return style.xml


def finish(rendered: str, output: Output) -> str:
    """Tidy one rendered citation or entry."""
    return rendered
