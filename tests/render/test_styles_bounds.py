"""A style file is read within bounds: its size, its nesting and its declared encoding."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.errors import RenderError
from mesorefs.models import Reference
from mesorefs.render import format_bibliography
from mesorefs.render.styles import MAX_STYLE_BYTES, MAX_STYLE_DEPTH, find_style


def _apa() -> str:
    return find_style("apa").xml


def test_style_larger_than_the_cap_is_refused_by_name(tmp_path: Path) -> None:
    """A style over MAX_STYLE_BYTES (here a huge comment) raises a one-line RenderError
    naming it."""
    path = tmp_path / "huge.csl"
    path.write_text(_apa().replace("<info>", "<!--" + "x" * MAX_STYLE_BYTES + "--><info>", 1))
    with pytest.raises(RenderError, match=r"huge\.csl.*larger than") as info:
        find_style(str(path))
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("depth", [MAX_STYLE_DEPTH + 1, 5000, 200_000], ids=["cap", "5k", "200k"])
def test_style_nested_deeper_than_the_cap_is_refused(tmp_path: Path, depth: int) -> None:
    """Elements nested deeper than MAX_STYLE_DEPTH raise RenderError, not RecursionError."""
    path = tmp_path / f"deep{depth}.csl"
    path.write_text(_apa().replace("<info>", "<info>" + "<x>" * depth + "</x>" * depth, 1))
    with pytest.raises(RenderError, match=rf"deep{depth}\.csl.*nests elements"):
        find_style(str(path))


def test_style_nested_within_the_cap_is_read(tmp_path: Path) -> None:
    """Nesting a little under the cap is still a style."""
    depth = MAX_STYLE_DEPTH - 30
    path = tmp_path / "nested.csl"
    path.write_text(_apa().replace("<info>", "<info>" + "<x>" * depth + "</x>" * depth, 1))
    assert find_style(str(path)).citation_format == "author-date"


@pytest.mark.parametrize(
    "encoding", ["ISO-8859-1", "windows-1252", "latin-1"], ids=["iso", "cp1252", "latin1"]
)
def test_style_in_a_declared_encoding_is_decoded_and_renders(tmp_path: Path, encoding: str) -> None:
    """A style declaring a non-UTF-8 encoding is decoded as declared; its text is handed on
    with a UTF-8 declaration and formats like the UTF-8 original."""
    original = _apa()
    text = original.replace('encoding="utf-8"', f'encoding="{encoding}"', 1)
    text = text.replace("<title>", "<title>Café ", 1)
    path = tmp_path / "latin.csl"
    path.write_bytes(text.encode("latin-1"))
    style = find_style(str(path))
    assert "Café" in style.xml
    assert style.xml.startswith('<?xml version="1.0" encoding="utf-8"?>')
    ref = {"type": "book", "title": "A book", "author": [{"family": "Doe", "given": "Jane"}]}
    refs = [Reference.from_csl({**ref, "id": "k"})]
    assert format_bibliography(refs, style=str(path)) == format_bibliography(refs, style="apa")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'<?xml version="1.0" encoding="no-such-codec"?><style/>', "cannot read"),
        (b"<style", "cannot read"),
        (b'<?xml version="1.0" encoding="utf-8"?><style>\xff</style>', "cannot read"),
    ],
    ids=["unknown-encoding", "truncated", "bad-utf8"],
)
def test_unreadable_style_is_one_line_error(tmp_path: Path, content: bytes, expected: str) -> None:
    """A style that cannot be decoded or parsed raises a one-line RenderError naming it."""
    path = tmp_path / "broken.csl"
    path.write_bytes(content)
    with pytest.raises(RenderError, match=expected) as info:
        find_style(str(path))
    assert "broken.csl" in str(info.value) and "\n" not in str(info.value)
