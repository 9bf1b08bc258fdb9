"""Rendered links never carry a javascript: target nor break out of their syntax (issue 27)."""

from __future__ import annotations

from typing import Any

import pytest

from mesorefs.render.writers import write_inlines


def _link(label: str, target: str) -> list[dict[str, Any]]:
    return [{"t": "Link", "c": [["", [], []], [{"t": "Str", "c": label}], [target, ""]]}]


@pytest.mark.parametrize("output", ["markdown", "html", "latex"])
@pytest.mark.parametrize(
    "target",
    ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x"],
    ids=["javascript", "mixed-case", "data"],
)
def test_disallowed_scheme_is_only_text(output: Any, target: str) -> None:
    """A javascript: or data: URL is written as its label, never as a link."""
    written = write_inlines(_link("click", target), output)
    assert written == "click"


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("markdown", "[click](https://e.org/a%29%28javascript:x%29)"),
        ("html", '<a href="https://e.org/a%29%28javascript:x%29">click</a>'),
    ],
    ids=["markdown", "html"],
)
def test_allowed_link_cannot_end_early(output: Any, expected: str) -> None:
    """Brackets in an https target are percent-encoded, so the link ends where it should."""
    assert write_inlines(_link("click", "https://e.org/a)(javascript:x)"), output) == expected


def test_markdown_text_in_a_title_is_escaped() -> None:
    """A <script> in a title is Markdown text, not HTML."""
    written = write_inlines([{"t": "Str", "c": "<script>@key"}], "markdown")
    assert written == "\\<script\\>\\@key"
