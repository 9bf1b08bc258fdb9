"""The works of one citation in the style's order, whatever affixes they carry
(correction affixed-cites-sorted of :mod:`mesorefs.render.corrections`).

citeproc-js sorts the cites of a citation by the style's ``<citation><sort>``, each
cite taking its prefix and suffix with it: ``[see @zeta; @adams]`` gives "(Adams, 1999;
see Zeta, 2001)".  Pandoc's citeproc keeps a cite with a prefix or a suffix where it
was written and sorts only the runs of cites between such cites.  So when a citation
of several works has an affixed cite, a probe run tells the style's order: the same
citations without affixes, in a citation layout that prints only each cite's id
(:func:`probe_style`, :data:`CARRIER`); the cites then go to the engine in that order
(:func:`in_order`), and as the engine sorts nothing further, it writes them so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, TypeVar
from xml.etree import ElementTree

import mesorefs.render.keyed as keyed
import mesorefs.render.pandoc as pandoc
import mesorefs.render.sorting as sorting
import mesorefs.render.sortkeys as sortkeys
from mesorefs.render.batch import SORT_CARRIER, drop_disambiguation
from mesorefs.render.styles import CSL_NS
from mesorefs.render.writers import write_inlines

__all__ = [
    "CARRIER",
    "DELIMITER",
    "KeysOf",
    "by_keys",
    "carried",
    "in_order",
    "needs_order",
    "ordered",
    "probe_style",
    "sorts_cites",
]

_NS = f"{{{CSL_NS}}}"

CARRIER = SORT_CARRIER
"""The variable that carries each item's id through the probe run."""
DELIMITER = "\u27e7"
"""Between the ids of one citation in the probe run."""

_Cite = TypeVar("_Cite")


@lru_cache(maxsize=32)
def sorts_cites(style_xml: str) -> bool:
    """Whether the style sorts the cites of a citation."""
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    sort = root.find(f"{_NS}citation/{_NS}sort")
    return sort is not None and len(sort) > 0


def needs_order(clusters: Sequence[Sequence[Any]]) -> bool:
    """Whether some citation of several cites has a cite with a prefix or a suffix."""
    return any(
        len(cluster) > 1
        and any(getattr(c, "prefix", "") or getattr(c, "suffix", "") for c in cluster)
        for cluster in clusters
    )


@lru_cache(maxsize=32)
def probe_style(style_xml: str) -> str:
    """The style with its citation sort kept and each cite reduced to its item's id
    (no disambiguation, no grouping, no affixes)."""
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    drop_disambiguation(root)
    citation = root.find(f"{_NS}citation")
    if citation is None:
        return style_xml
    for attr in ("collapse", "cite-group-delimiter", "year-suffix-delimiter"):
        citation.attrib.pop(attr, None)
    citation.attrib.pop("after-collapse-delimiter", None)
    layout = citation.find(f"{_NS}layout")
    if layout is not None:
        citation.remove(layout)
    layout = ElementTree.SubElement(citation, f"{_NS}layout", {"delimiter": DELIMITER})
    ElementTree.SubElement(layout, f"{_NS}text", {"variable": CARRIER})
    return ElementTree.tostring(root, encoding="unicode")


def carried(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items, each carrying its id in :data:`CARRIER` for the probe run."""
    return [{**item, CARRIER: item["id"]} for item in items]


def in_order(cluster: Sequence[_Cite], ids: Sequence[str], probe_text: str) -> list[_Cite]:
    """The cites of one citation (whose items are ``ids``) in the order the probe run
    printed their ids; as given when the probe does not name each cite once."""
    printed = [part.strip() for part in probe_text.split(DELIMITER)]
    if sorted(printed) != sorted(ids):
        return list(cluster)
    remaining = list(zip(ids, cluster, strict=True))
    ordered = []
    for item_id in printed:
        at = next(k for k, (i, _) in enumerate(remaining) if i == item_id)
        ordered.append(remaining.pop(at)[1])
    return ordered


_Clusters = Sequence[Sequence[str | pandoc.CiteSpec]]


def by_keys(
    cluster: Sequence[_Cite],
    ids: Sequence[str],
    keys: dict[str, list[str | None]],
    directions: Sequence[int],
    locale: str | None,
) -> list[_Cite]:
    """The cites of one citation (whose items are ``ids``) sorted by their items' keys
    as citeproc-js compares them (sorting.order: an empty key last, ties as cited)."""
    unkeyed: list[str | None] = [None] * len(directions)
    places = sorting.order(
        ((str(k), keys.get(item_id, unkeyed)) for k, item_id in enumerate(ids)), directions, locale
    )
    return [cluster[int(k)] for k in places]


KeysOf = Callable[[str, frozenset[str]], "keyed.Keys | None"]
"""The sort keys of the given items under a key style (keyed.item_keys, bound to the
document's items and locale)."""


def ordered(
    clusters: _Clusters,
    items: list[dict[str, Any]],
    style_xml: str,
    locale: str | None,
    keys_of: KeysOf | None = None,
) -> _Clusters:
    """Each citation's cites in the style's order, those with affixes too.  With
    ``keys_of``, a citation that needs it is sorted by its items' keys written as
    citeproc-js writes them (sortkeys.citation_sort_style, :func:`by_keys`); else, or
    where the style's keys cannot be written so, by a probe run (the engine's items and
    style as the citations will see them), only when some citation needs it."""
    if not needs_order(clusters) or not sorts_cites(style_xml):
        return clusters
    ids = [[c if isinstance(c, str) else c.id for c in cluster] for cluster in clusters]
    key_xml = sortkeys.citation_sort_style(style_xml)
    if keys_of is not None and key_xml is not None:
        wanted = frozenset(
            i
            for c, cluster_ids in zip(clusters, ids, strict=True)
            if needs_order([c])
            for i in cluster_ids
        )
        found = keys_of(key_xml, wanted)
        if found is not None:
            keys, directions = found
            return [
                by_keys(cluster, cluster_ids, keys, directions, locale)
                if needs_order([cluster])
                else cluster
                for cluster, cluster_ids in zip(clusters, ids, strict=True)
            ]
    probe = pandoc.run(carried(items), ids, probe_style(style_xml), locale, bibliography=False)
    return [
        in_order(cluster, cluster_ids, write_inlines(printed, "text"))
        for cluster, cluster_ids, printed in zip(clusters, ids, probe.citations, strict=True)
    ]
