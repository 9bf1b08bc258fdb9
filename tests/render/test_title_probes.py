"""The title fields a style title-cases are read per shape of item, not per type alone
(render/title_probes.py; issue 28's wide bench: APA's papers with editors)."""

from __future__ import annotations

import json

import pytest

from mesorefs.models import Reference
from mesorefs.render import format_bibliography, title_probes
from mesorefs.render.styles import find_style

_PAPER = {
    "id": "p",
    "type": "paper-conference",
    "title": "A result",
    "container-title": "proceedings of wg94",
    "page": "14-25",
    "author": [{"family": "Doe", "given": "Jo"}],
    "issued": {"date-parts": [[1995]]},
}


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"editor": [{"family": "Mayr", "given": "Ernst"}]}, "(Ed.), proceedings of wg94 (pp."),
        ({}, "Proceedings of Wg94"),
    ],
    ids=["with-editors-as-written", "without-editors-title-cased"],
)
def test_apa_cases_a_proceedings_title_by_branch(extra: dict[str, object], expected: str) -> None:
    """APA title-cases a proceedings title only in the branch it takes for the item."""
    (entry,) = format_bibliography([Reference.from_csl({**_PAPER, **extra})], "apa")
    assert expected in entry


def test_items_alike_share_a_probe() -> None:
    """Items of one type that fill the same tested variables share one probe; one that
    fills another gets its own, which leaves out what the item does not fill."""
    style = find_style("apa").xml
    assert "editor" in title_probes.condition_variables(style)
    with_editor = {**_PAPER, "id": "b", "editor": [{"family": "Mayr"}]}
    texts, index = title_probes.probes([_PAPER, {**_PAPER, "id": "a"}, with_editor], style)
    assert index == {"p": 0, "a": 0, "b": 1}
    probes = [json.loads(t) for t in texts]
    assert "editor" not in probes[0] and probes[1]["editor"] == [{"family": "Mayr"}]
    assert probes[0]["container-title"] == probes[1]["container-title"] != "proceedings of wg94"
