"""Items' sort keys as citeproc-js writes them, from engine runs of a key style
(:mod:`mesorefs.render.sortkeys`): the bibliography's keys (the order of the
bibliography, :mod:`mesorefs.render.sorting`) and the citation's (the order of the
cites of one citation, :mod:`mesorefs.render.cite_order`).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import mesorefs.render.fixes as fixes
import mesorefs.render.name_fixes as names
import mesorefs.render.pandoc as pandoc
import mesorefs.render.sortkeys as sortkeys
from mesorefs.errors import RenderError
from mesorefs.render.writers import write_blocks

__all__ = ["Keys", "item_keys"]

_WORKERS = max(1, min(4, os.cpu_count() or 1))

Keys = tuple[dict[str, list[str | None]], tuple[int, ...]]
"""Each item's keys (None where one is empty) and each key's direction (1 or -1)."""


def item_keys(
    source: list[dict[str, Any]], style_xml: str, locale: str | None, chunk: int
) -> Keys | None:
    """The bibliography sort keys of ``source`` (items with their particles as written)
    under ``style_xml``; None when the style's order needs no help or the rewrite does
    not suit the style.  Runs of ``chunk`` items or more are split over several engine
    runs at once (an item's keys are its own: the key style has no disambiguation)."""
    key_xml = sortkeys.key_style(style_xml)
    if key_xml is None or not source:
        return None
    parts = max(1, min(_WORKERS, len(source) // chunk))
    slices = [source[k::parts] for k in range(parts)]

    def keyed(part: list[dict[str, Any]]) -> pandoc.EngineResult:
        copies = sortkeys.key_items(part, style_xml)
        return pandoc.run(copies, [], key_xml, locale, nocite=[c["id"] for c in copies])

    try:
        with ThreadPoolExecutor(max_workers=parts) as pool:
            results = list(pool.map(keyed, slices))
    except RenderError:  # a style the rewrite does not suit: the engine's own order
        return None
    directions = sortkeys.directions(style_xml)
    keys = sortkeys.read_keys(
        (
            (
                copy_id,
                fixes.finish(names.written_whole(write_blocks(blocks, "text"), style_xml), "text"),
            )
            for result in results
            for copy_id, blocks in result.bibliography
        ),
        len(directions),
    )
    return keys, directions
