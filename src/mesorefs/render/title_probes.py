"""The probe works that show which title fields a style title-cases, one for each shape
of item (part of correction title-case-as-citeproc-js of
:mod:`mesorefs.render.corrections`).

A style may title-case a field in one branch and not in another, and its branches test
more than the type: APA title-cases a paper's proceedings title when the paper has no
editors (``Delta Epsilon Zeta``) and writes it as given when it has (``In H. Broersma
(Ed.), acid05``, as citeproc-js prints it).  So the probe of an item is
:func:`mesorefs.render.fixes.title_probe` of its type, with the variables the style's
conditions test (``<if variable="...">``) filled as the item fills them: the item's
own values, the title fields with the probe's words, and left out where the item has
none (issue 28's wide bench: apa's papers with editors).  Items alike in type and in
which of those variables they fill share a probe.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree

from mesorefs.render.fixes import TITLE_PROBE, title_probe
from mesorefs.render.styles import CSL_NS

__all__ = ["condition_variables", "probes"]

_NS = f"{{{CSL_NS}}}"
_CONDITIONS = (f"{_NS}if", f"{_NS}else-if")


@lru_cache(maxsize=32)
def condition_variables(style_xml: str) -> frozenset[str]:
    """The variables the style's ``<if>`` and ``<else-if>`` test for."""
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    return frozenset(
        name
        for tag in _CONDITIONS
        for condition in root.iter(tag)
        for name in condition.get("variable", "").split()
    )


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {})


def _probe(item: dict[str, Any], tested: frozenset[str], n: int) -> dict[str, Any]:
    """The probe of ``item``: the type's probe, the tested variables as ``item`` fills them."""
    filled = {
        v: TITLE_PROBE[v] if v in ("title", "container-title") else item[v]
        for v in tested
        if v != "id" and _filled(item.get(v))
    }
    probe = {**title_probe(str(item.get("type", ""))), **filled}
    for variable in tested - filled.keys():
        probe.pop(variable, None)
    probe["id"] = f"probe-{n}"
    return probe


def probes(
    items: Sequence[dict[str, Any]], style_xml: str
) -> tuple[tuple[str, ...], dict[str, int]]:
    """The probes (as JSON text, each with its id) for ``items``, and for each item's id
    the index of its probe."""
    tested = condition_variables(style_xml)
    by_shape: dict[tuple[str, frozenset[str]], int] = {}
    texts: list[str] = []
    index: dict[str, int] = {}
    for item in items:
        shape = (
            str(item.get("type", "")),
            frozenset(v for v in tested if _filled(item.get(v))),
        )
        if shape not in by_shape:
            by_shape[shape] = len(texts)
            probe = _probe(item, tested, len(texts))
            texts.append(json.dumps(probe, sort_keys=True, ensure_ascii=False))
        index[str(item["id"])] = by_shape[shape]
    return tuple(texts), index
