"""cli/files.py's `_suffix`: what `tidy` checks a file name with, without pathlib."""

from __future__ import annotations

from pathlib import PurePath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.cli.files import _suffix


@given(st.text(alphabet="ab./-\\ B", max_size=16))
def test_suffix_is_pathlibs(source: str) -> None:
    """For any name, `_suffix` is what PurePath's suffix is."""
    assert _suffix(source) == PurePath(source).suffix


@pytest.mark.parametrize(
    ("source", "suffix"),
    [
        ("refs.bib", ".bib"),
        ("dir.d/refs.BIB", ".BIB"),
        ("refs.bib/", ".bib"),
        ("refs.bib/.", ".bib"),
        (".bib", ""),
        ("..bib", ".bib"),
        ("refs.", ""),
        ("a.bib/..", ""),
        ("", ""),
    ],
    ids=["plain", "folder", "slash", "dot", "hidden", "two-dots", "trailing-dot", "up", "empty"],
)
def test_suffix_examples(source: str, suffix: str) -> None:
    """Names whose last part is a folder, hidden or ends in a dot read as pathlib reads them."""
    assert _suffix(source) == suffix
