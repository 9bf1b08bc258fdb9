"""scripts/griffe_rst_roles.py: the docstrings' reStructuredText roles and markers as Markdown."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("griffe")

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "griffe_rst_roles.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("griffe_rst_roles", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ROLES = _load()


def _rewrite(text: str, module: str = "mesorefs.library") -> str:
    """What the extension makes of a docstring of ``module``."""
    import griffe

    obj = griffe.Module(module.rsplit(".", 1)[-1])
    obj.docstring = griffe.Docstring(text, parent=obj)
    ROLES.RstRoles().on_instance(obj=obj, node=None, agent=None)
    assert obj.docstring is not None
    return obj.docstring.value


@pytest.mark.parametrize(
    ("text", "identifier", "shown"),
    [
        (":func:`~mesorefs.library.tidy_bibtex`", "mesorefs.library.tidy_bibtex", "tidy_bibtex"),
        (":class:`mesorefs.models.Person`", "mesorefs.models.Person", "mesorefs.models.Person"),
        (":meth:`Library.get <mesorefs.Library.get>`", "mesorefs.Library.get", "Library.get"),
        (":data:`MAX_LINE`", "library.MAX_LINE", "MAX_LINE"),
    ],
    ids=["short", "full", "explicit-target", "relative"],
)
def test_a_role_becomes_an_optional_link(text: str, identifier: str, shown: str) -> None:
    """A role becomes its name in code, linked to the object when the site has it."""
    out = _rewrite(text)
    assert out == f'<autoref identifier="{identifier}" optional><code>{shown}</code></autoref>'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Summary.\n\n::\n\n    code()", "Summary.\n\n\n    code()"),
        ("Schema ``x/1``::\n\n    {}\n\nMore.", "Schema ``x/1``:\n\n    {}\n\nMore."),
        ("a C++ thing :: and more", "a C++ thing :: and more"),
    ],
    ids=["lone-marker", "end-marker", "inline-kept"],
)
def test_literal_block_markers_become_markdown(text: str, expected: str) -> None:
    """A literal block's `::` goes (alone) or becomes `:` (at a paragraph's end), nothing else."""
    assert _rewrite(text) == expected


@given(
    role=st.sampled_from(["class", "func", "meth", "mod", "data", "attr", "exc"]),
    parts=st.lists(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True), min_size=1),
    tilde=st.booleans(),
    before=st.from_regex(r"[A-Za-z0-9 ,.()]{0,20}", fullmatch=True),
)
def test_no_role_survives(role: str, parts: list[str], tilde: bool, before: str) -> None:
    """Whatever the name, no `:role:` text is left and the text around it is kept."""
    name = ".".join(parts)
    out = _rewrite(f"{before}:{role}:`{'~' if tilde else ''}{name}` end")
    assert f":{role}:`" not in out
    assert out.startswith(before.lstrip())
    assert out.endswith("</autoref> end")
