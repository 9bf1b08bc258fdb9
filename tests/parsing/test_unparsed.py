"""Parsing a block reports what it could not split or read; nothing is lost silently."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from mesorefs.cli import main
from mesorefs.parsing import parse_block, parse_reference, parse_references
from mesorefs.parsing.sections import split_entries


def test_numbers_past_9999_still_start_entries() -> None:
    """A list numbered past 9999 splits into one entry per number."""
    block = "\n".join(f"{n}. Smith J. Study {n}. J Things. 2001;4:1-5." for n in range(9995, 10005))
    assert len(split_entries(block)) == 10


def test_overlong_lines_and_unreadable_entries_are_reported() -> None:
    """A line too long for a reference, or an entry too long to be one, is listed."""
    long_entry = "3. Smith J." + "\n and more words of the title" * 200
    block = "1. Smith J. A study. J Things. 2001;4:1-5.\n2. " + "x" * 6000 + "\n" + long_entry
    parsed = parse_block(block)
    assert len(parsed.references) == 1
    reasons = [piece.reason for piece in parsed.unparsed]
    assert any("a line of 6,003 characters" in reason for reason in reasons)
    assert any("at most 5,000" in reason for reason in reasons)


def test_nul_is_reported_not_silent() -> None:
    """A NUL byte makes the block unparsed with a reason, not an empty success."""
    parsed = parse_block("1. Smith J. A study. 2001.\x00")
    assert parsed.references == [] and "NUL" in parsed.unparsed[0].reason
    assert parse_references("1. Smith J. A study. 2001.\x00") == []


def test_lone_surrogate_in_a_reference_is_repaired() -> None:
    """parse_reference on text with a lone surrogate parses it (U+FFFD), no SystemError."""
    ref = parse_reference("Smith J. T\ud800 study of things. J Things. 2001;4:1-5.")
    assert ref.year == 2001


def test_cli_parse_warns_about_unparsed_pieces(tmp_path: Path) -> None:
    """`mesorefs parse` warns on stderr and lists unparsed pieces in its JSON."""
    path = tmp_path / "refs.txt"
    path.write_text("1. Smith J. A study. J Things. 2001;4:1-5.\n2. " + "y" * 6000 + "\n")
    result = CliRunner().invoke(main, ["parse", str(path), "--json"])
    assert result.exit_code == 0
    assert "not parsed (a line of 6,003 characters: too long)" in result.stderr
    assert '"unparsed": [' in result.stdout
