"""Entries kept as written (a field or key given twice) still read the file's macros."""

from __future__ import annotations

import pytest

from mesorefs.bibtex.codec import Verbatim, read_bibtex
from mesorefs.models import Reference

MACROS = """@string{jgr = "J. Geophys. Res."}
@string{jgrse = jgr # " B: Solid Earth"}
@string{pl = {Phys. {L}ett.}}
"""


def _readings(text: str) -> dict[str, Reference]:
    """Every reference the file yields (kept entries by what BibTeX reads), by title."""
    found: dict[str, Reference] = {}
    for item in read_bibtex(MACROS + text).items:
        reference = item.reference if isinstance(item, Verbatim) else item
        if isinstance(reference, Reference) and reference.title:
            found[reference.title] = reference
    return found


@pytest.mark.parametrize(
    ("journal", "expected"),
    [
        ("jgr", "J. Geophys. Res."),
        ("jgrse", "J. Geophys. Res. B: Solid Earth"),
        ('jgr # " A"', "J. Geophys. Res. A"),
        ('pl # " A"', "Phys. Lett. A"),
    ],
    ids=["macro", "macro-of-macros", "concatenated", "braced-macro"],
)
@pytest.mark.parametrize(
    "twice",
    [
        "@article{k, title={Kept}, note={a}, note={b}, journal=JOURNAL, year=2001}",
        "@article{k, title={First}, year=2000}\n@article{k, title={Kept}, journal=JOURNAL}",
    ],
    ids=["field-twice", "key-twice"],
)
def test_kept_entry_resolves_macros(journal: str, expected: str, twice: str) -> None:
    """A kept entry's journal reads as the same entry parsed cleanly reads it."""
    kept = _readings(twice.replace("JOURNAL", journal))["Kept"]
    clean = _readings(f"@article{{c, title={{Clean}}, journal={journal}}}")["Clean"]
    assert kept.container_title == clean.container_title
    assert (kept.container_title or "").replace("{", "").replace("}", "") == expected
