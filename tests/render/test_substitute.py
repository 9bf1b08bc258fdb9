"""The pure parts of subsequent-author substitution (the engine runs in test_api)."""

from __future__ import annotations

from typing import Any

import pytest

from mesorefs.render import substitute
from mesorefs.render.styles import find_style


def test_marker_and_removal() -> None:
    xml = find_style("modern-language-association").xml
    assert substitute.marker(xml) == "———"
    assert substitute.marker(substitute.without_substitute(xml)) is None
    assert substitute.marker(find_style("apa").xml) is None


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"id": "a", "title": "Index"}, True),
        ({"id": "a", "author": [{"family": "Ames"}]}, False),
        ({"id": "a", "editor": [{"literal": "WHO"}]}, False),
        ({"id": "a", "author": []}, True),
    ],
    ids=["title-only", "author", "editor", "empty-author-list"],
)
def test_nameless(item: dict[str, Any], expected: bool) -> None:
    assert substitute.nameless(item) is expected


def test_repair_renders_only_wrongly_substituted_entries_again() -> None:
    xml = find_style("modern-language-association").xml
    items = [{"id": "a", "title": "T"}, {"id": "b", "title": "T"}, {"id": "c", "author": [{}]}]
    entries: list[substitute.Entry] = [("a", [1]), ("b", [2]), ("c", [3])]
    texts = {1: "“T.”", 2: "———. J.", 3: "———. K."}
    calls = []

    def render(chosen: list[dict[str, Any]], style: str, ids: list[str]) -> list[substitute.Entry]:
        calls.append(ids)
        assert substitute.marker(style) is None
        return [("b", [9])]

    fixed = substitute.repair(entries, items, xml, lambda blocks: texts[blocks[0]], render)
    assert calls == [["b"]]
    assert fixed == [("a", [1]), ("b", [9]), ("c", [3])]
