"""Untrusted text made inert for a terminal, Markdown and link targets (issue 27)."""

from __future__ import annotations

import pytest

from mesorefs.escape import link_target, markdown_text, terminal_json, terminal_text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\x1b[31mb", "a\\x1b[31mb"),
        ("\x1b]8;;https://e\x07x\x1b]8;;\x07", "\\x1b]8;;https://e\\x07x\\x1b]8;;\\x07"),
        ("csi\x9b2J", "csi\\x9b2J"),
        ("del\x7f", "del\\x7f"),
        ("rtl\u202eevil", "rtl\\u202eevil"),
        ("line\nnext\tcol", "line\nnext\tcol"),
        ("Müller – ß", "Müller – ß"),
    ],
    ids=["csi", "osc8-bel", "c1-csi", "del", "bidi-override", "newline-tab-kept", "unicode-kept"],
)
def test_terminal_text_shows_controls(text: str, shown: str) -> None:
    """Control characters are shown as escapes; line breaks, tabs and letters pass."""
    assert terminal_text(text) == shown


def test_terminal_json_keeps_the_data() -> None:
    """JSON with a raw C1 character gets a \\u escape that decodes to the same string."""
    import json

    text = json.dumps({"t": "a\x9bb\u202e"}, ensure_ascii=False)
    safe = terminal_json(text)
    assert "\x9b" not in safe and "\u202e" not in safe
    assert json.loads(safe) == {"t": "a\x9bb\u202e"}


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("<img src=x onerror=alert(2)>", "\\<img src=x onerror=alert(2)\\>"),
        ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
        ("two\n\nparagraphs", "two paragraphs"),
        ("see @smith2020", "see \\@smith2020"),
        ("a\x1b[31mb", "a\\[31mb"),
    ],
    ids=["script", "img-onerror", "link", "line-breaks", "citation", "escape-char"],
)
def test_markdown_text_is_text(text: str, written: str) -> None:
    """Markdown and HTML in untrusted text are escaped; it stays on one line."""
    assert markdown_text(text) == written


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("http://example.org/a b", "http://example.org/a%20b"),
        ("https://e.org/a)(javascript:x)", "https://e.org/a%29%28javascript:x%29"),
        ("https://e.org/a><script>", "https://e.org/a%3E%3Cscript%3E"),
        ("mailto:me@example.org", "mailto:me@example.org"),
        ("javascript:alert(1)", None),
        (" JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>", None),
        ("vbscript:x", None),
        ("relative/path", None),
    ],
    ids=[
        "https",
        "space",
        "parens",
        "angle",
        "mailto",
        "javascript",
        "javascript-case",
        "data",
        "vbscript",
        "no-scheme",
    ],
)
def test_link_target_allows_only_known_schemes(url: str, target: str | None) -> None:
    """Only http(s), mailto and ftp links; what could end the link is percent-encoded."""
    assert link_target(url) == target
