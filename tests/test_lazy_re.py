"""mesorefs.lazy_re: a pattern compiled on first use behaves as re.compile's."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.lazy_re import LazyPattern, lazy

PATTERNS = [
    (r"(?!(?<=\s)\s)\s+and\s+", re.IGNORECASE),
    (r"\\([A-Za-z]+)|(\{)|(\})", 0),
    (r"\$((?:[^\\$]|\\.)+)\$", re.S),
    (r"-?\d+", 0),
]
TEXT = st.text(alphabet=" \t\nandAND{}\\$xy-0123é", max_size=40)


def _results(pattern: Any, text: str) -> list[Any]:
    """What each method gives on ``text``, matches read as their spans and groups."""

    def seen(match: re.Match[str] | None) -> Any:
        return None if match is None else (match.span(), match.groups())

    return [
        seen(pattern.match(text)),
        seen(pattern.match(text, 1, 9)),
        seen(pattern.fullmatch(text)),
        seen(pattern.search(text, 2)),
        pattern.sub("<\\g<0>>", text),
        pattern.sub(lambda m: m.group(0).upper(), text, 1),
        pattern.subn("", text),
        pattern.split(text),
        pattern.split(text, 1),
        [seen(m) for m in pattern.finditer(text, 1)],
        pattern.findall(text),
    ]


@pytest.mark.parametrize(("source", "flags"), PATTERNS, ids=["and", "groups", "math", "number"])
@given(text=TEXT)
def test_methods_give_what_the_compiled_pattern_gives(source: str, flags: int, text: str) -> None:
    """Every method, before and after the first compile, gives re.compile's result."""
    assert _results(lazy(source, flags), text) == _results(re.compile(source, flags), text)


@pytest.mark.parametrize("method", ["search", "sub", "finditer"], ids=str)
def test_compiled_on_first_use_then_called_directly(method: str) -> None:
    """Nothing is compiled before the first call; afterwards every method is the compiled
    pattern's own bound method, so no call passes through the wrapper again."""
    pattern = lazy(r"[{}]x", re.IGNORECASE)
    assert "search" not in vars(pattern)
    args = ("-", "a{X") if method == "sub" else ("a{X",)
    getattr(pattern, method)(*args)
    compiled = re.compile(r"[{}]x", re.IGNORECASE)
    for name in ("match", "fullmatch", "search", "sub", "subn", "split", "finditer", "findall"):
        bound = getattr(pattern, name)
        assert bound.__self__.pattern == compiled.pattern
        assert bound.__self__.flags == compiled.flags
    assert pattern.compiled().pattern == compiled.pattern


def test_bytes_patterns() -> None:
    """A bytes pattern works on bytes, as re.compile's does."""
    pattern = lazy(rb"coding[:=]\s*([\w.-]+)")
    found = pattern.search(b"% -*- coding: latin-1 -*-")
    assert found is not None
    assert found.group(1) == b"latin-1"


def test_a_bad_pattern_fails_when_used() -> None:
    """An invalid pattern raises re.error at its first use, as it would at compile."""
    pattern = lazy(r"(unclosed")
    with pytest.raises(re.error):
        pattern.search("x")


def _modules_using_lazy() -> list[str]:
    src = Path(__file__).resolve().parent.parent / "src"
    return sorted(
        ".".join(path.relative_to(src).with_suffix("").parts)
        for path in (src / "mesorefs").rglob("*.py")
        if "from mesorefs.lazy_re import" in path.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize("module", _modules_using_lazy(), ids=str)
def test_every_lazy_pattern_of_the_package_compiles(module: str) -> None:
    """Each module-level lazy pattern is a valid expression: an error that import used to
    show at once would otherwise wait for the first input that reaches it."""
    patterns = [
        value
        for value in vars(importlib.import_module(module)).values()
        if isinstance(value, LazyPattern)
    ]
    assert patterns
    for pattern in patterns:
        assert pattern.compiled().pattern == pattern.pattern
