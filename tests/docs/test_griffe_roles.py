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


def _rewrite(text: str) -> str:
    """What the extension makes of a docstring of ``mesorefs.library``."""
    out: str = ROLES.rewrite(text, "mesorefs.library")
    return out


def test_the_extension_rewrites_each_docstring() -> None:
    """The griffe hook replaces an object's docstring with its rewritten text."""
    import griffe

    obj = griffe.Module("library")
    obj.docstring = griffe.Docstring("See :func:`tidy_bibtex`.", parent=obj)
    ROLES.RstRoles().on_instance(obj=obj, node=None, agent=None)
    assert obj.docstring.value == ROLES.rewrite("See :func:`tidy_bibtex`.", "library")
    assert ":func:" not in obj.docstring.value


@pytest.mark.parametrize(
    ("text", "identifier", "shown"),
    [
        (":func:`~mesorefs.library.tidy_bibtex`", "mesorefs.library.tidy_bibtex", "tidy_bibtex"),
        (":class:`mesorefs.models.Person`", "mesorefs.models.Person", "mesorefs.models.Person"),
        (":meth:`Library.get <mesorefs.Library.get>`", "mesorefs.Library.get", "Library.get"),
        (":data:`MAX_LINE`", "mesorefs.library.MAX_LINE", "MAX_LINE"),
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
        ("Summary.\n\n::\n\n    code()\n", "Summary.\n\n\n    code()\n"),
        ("Schema ``x/1``::\n\n    {}\n", "Schema ``x/1``:\n\n    {}\n"),
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
    before=st.text(alphabet=st.characters(blacklist_characters="`:"), max_size=20),
)
def test_no_role_survives(role: str, parts: list[str], tilde: bool, before: str) -> None:
    """Whatever the name, no `:role:` text is left and the text around it is kept."""
    name = ".".join(parts)
    out = _rewrite(f"{before}:{role}:`{'~' if tilde else ''}{name}` end")
    assert f":{role}:`" not in out
    assert out.startswith(before)
    assert out.endswith("</autoref> end")
