"""The bibliography in citeproc-js's order, with year suffixes following it.

pandoc's citeproc sorts with a collation of its own: "Chapter 15" before "Chapter 3",
"O’Rourke" among the "O’"s, a volume "124" before "51", a name list before a shorter
one it begins with.  So the engine writes the style's sort keys as citeproc-js writes
them (:mod:`mesorefs.render.sortkeys`), :func:`order` sorts the items by them as
citeproc-js compares them (:mod:`mesorefs.render.collation`), and the engine renders
the bibliography with a style that sorts by that rank alone (:func:`ranked_style`,
:data:`RANK`), so that year suffixes (2012a, 2012b) and citation numbers follow the
same order, as CSL says they do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cmp_to_key, lru_cache
from xml.etree import ElementTree

from mesorefs.render.collation import CollationKey, collation_key
from mesorefs.render.styles import CSL_NS

__all__ = ["RANK", "order", "rank_value", "ranked_style"]

RANK = "mesorefs-rank"
"""The variable that carries an item's place in the bibliography to the engine."""

_NS = f"{{{CSL_NS}}}"
_Keyed = tuple[int, list[CollationKey | None]]
"""An item's place in the input and its keys, None where a key is empty."""


def _comparison(directions: Sequence[int]) -> Callable[[_Keyed, _Keyed], int]:
    def compare(a: _Keyed, b: _Keyed) -> int:
        for x, y, direction in zip(a[1], b[1], directions, strict=False):
            if x == y:
                continue
            if x is None:  # an empty key sorts last, in either direction
                return 1
            if y is None:
                return -1
            return direction if x > y else -direction
        return a[0] - b[0]

    return compare


def order(
    keys: Iterable[tuple[str, Sequence[str | None]]],
    directions: Sequence[int],
    locale: str | None = None,
) -> list[str]:
    """Item ids sorted by the text of their keys (see sortkeys.read_keys), each key
    ascending (1) or descending (-1), compared as in ``locale`` (collation.py); ties
    keep the order given."""
    keyed = [
        (item_id, (seq, [None if k is None else collation_key(k, locale) for k in item_keys]))
        for seq, (item_id, item_keys) in enumerate(keys)
    ]
    compare = cmp_to_key(_comparison(directions))
    return [item_id for item_id, _ in sorted(keyed, key=lambda pair: compare(pair[1]))]


def rank_value(rank: int) -> str:
    """A place in the bibliography as the engine compares it (as a string)."""
    return f"{rank:08d}"


@lru_cache(maxsize=32)
def ranked_style(style_xml: str) -> str:
    """The style with its bibliography sorted by :data:`RANK` alone."""
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    bibliography = root.find(f"{_NS}bibliography")
    sort = bibliography.find(f"{_NS}sort") if bibliography is not None else None
    if sort is None:
        return style_xml
    for key in list(sort):
        sort.remove(key)
    ElementTree.SubElement(sort, f"{_NS}key", {"variable": RANK})
    return ElementTree.tostring(root, encoding="unicode")
