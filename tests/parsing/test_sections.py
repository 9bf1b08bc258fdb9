"""Finding reference sections and splitting them into entries."""

from __future__ import annotations

import time

import pytest

from mesorefs.parsing import find_reference_section, parse_references
from mesorefs.parsing.sections import split_entries

A = "Smith J, Doe A. A first paper. Nature. 2001;1:1-2."
B = "Brown K. Another study of things. Science. 2002;3:4-5."
C = "Green P. A third work on matters. Cell. 2003;6:7-8."


@pytest.mark.parametrize(
    "heading",
    [
        "References",
        "REFERENCES",
        "## References",
        "Bibliography",
        "Literature cited",
        "Sources & references used in this article:",
        "Works Cited",
        "7. References",
        "**References**",
        "Références",
    ],
    ids=[
        "plain",
        "upper",
        "markdown",
        "bibliography",
        "literature-cited",
        "sources",
        "works-cited",
        "numbered",
        "bold",
        "french",
    ],
)
def test_headings_are_found(heading: str) -> None:
    """Every usual heading opens the reference section."""
    doc = f"Intro text.\n\nMore text here.\n\n{heading}\n\n{A}\n{B}\n"
    section = find_reference_section(doc)
    assert section is not None
    assert section.strip().splitlines() == [A, B]


def test_no_heading_gives_none() -> None:
    """A document without a reference heading has no section."""
    assert find_reference_section("Just some prose.\nNothing cited.") is None
    assert find_reference_section("") is None


def test_last_heading_wins_and_appendix_ends_it() -> None:
    """The last heading is used, and an Appendix heading closes the section."""
    doc = f"References to earlier work are below.\nReferences\n{A}\nAppendix A\nTables"
    assert find_reference_section(doc) == A


@pytest.mark.parametrize(
    "block",
    [
        f"[1] {A}\n[2] {B}\n[3] {C}",
        f"1. {A}\n2. {B}\n3. {C}",
        f"- {A}\n- {B}\n• {C}",
        f"{A}\n\n{B}\n\n{C}",
        f"{A}\n{B}\n{C}",
        f"Smith J, Doe A. A first paper.\n    Nature. 2001;1:1-2.\n{B}\n{C}",
        f"Smith J, Doe A. A first paper. Nature.\n2001;1:1-2.\n{B}\n"
        "Green P. A third work on\nmatters. Cell. 2003;6:7-8.",
        f"[1] Smith J, Doe A. A first paper.\nNature. 2001;1:1-2.\n[2] {B}\n[3] {C}",
    ],
    ids=[
        "brackets",
        "dotted",
        "bullets",
        "blank-lines",
        "one-per-line",
        "hanging",
        "broken-lines",
        "numbered-broken",
    ],
)
def test_split_entries(block: str) -> None:
    """Numbered, bulleted, blank-line, one-per-line, hanging and broken entries split in three."""
    entries = split_entries(block)
    assert len(entries) == 3
    assert entries[0].endswith("2001;1:1-2.")
    assert "Science" in entries[1]


def test_parse_references_skips_heading_and_bad_entries() -> None:
    """A leading heading is dropped and each entry becomes one reference."""
    refs = parse_references(f"References\n\n1. {A}\n2. {B}\n")
    assert [r.year for r in refs] == [2001, 2002]


@pytest.mark.parametrize(
    "bad", ["", "\x00\x00\x00", "\n\n\n", "!!!\n???"], ids=["empty", "nul", "blank", "punct"]
)
def test_parse_references_bad_input_is_empty(bad: str) -> None:
    """Empty, binary and meaningless blocks give an empty list."""
    assert parse_references(bad) == []


def test_megabyte_line_is_fast() -> None:
    """A 1 MB single line is refused quickly instead of being parsed."""
    start = time.perf_counter()
    assert parse_references("word " * 200_000) == []
    assert find_reference_section("x" * 1_000_000) is None
    assert time.perf_counter() - start < 2.0
