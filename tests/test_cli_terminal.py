"""What the CLI prints shows a reference's control characters, never obeys them (issue 27)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mesorefs.cli import main

ESCAPES = "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07 \x1b[2J\x9b31m"
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.output


@pytest.fixture
def refs(tmp_path: Path) -> Path:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{doe2020,\n  author = {Doe, Jane},\n"
        f"  title = {{Title {ESCAPES} [bold]B[/bold]}},\n  journal = {{J}},\n  year = {{2020}},\n"
        "  abstract = {Mesotherapy injections reduced localized fat deposits in most"
        f" patients {ESCAPES} [bold]B[/bold].}},\n  doi = {{10.1000/x{ESCAPES}}}\n}}\n",
        encoding="utf-8",
    )
    return bib


@pytest.mark.parametrize(
    "command",
    [
        ["format"],
        ["format", "--json"],
        ["lint"],
        ["lint", "--format", "json"],
        ["resolve", "--offline", "--dry-run"],
        ["tidy", "--check"],
    ],
    ids=["format", "format-json", "lint", "lint-json", "resolve", "tidy"],
)
def test_no_control_character_reaches_the_terminal(refs: Path, command: list[str]) -> None:
    """Text output, tables, messages and JSON carry no raw control character."""
    output = _run([command[0], str(refs), *command[1:]])
    assert output.strip()
    assert not CONTROLS.search(output), sorted(set(CONTROLS.findall(output)))


def test_json_output_keeps_the_data(refs: Path) -> None:
    """The JSON of `format --json` decodes to the same characters, escaped."""
    data = json.loads(_run(["format", str(refs), "--json"]))
    assert "\x1b" in data["entries"][0] and "\x9b" in data["entries"][0]


def test_check_table_shows_markup_and_controls_as_text(refs: Path, tmp_path: Path) -> None:
    """`check`'s table prints a reference's [bold] as text and its controls as escapes."""
    doc = tmp_path / "doc.md"
    doc.write_text(
        "Mesotherapy injections reduce localized fat deposits in most patients [@doe2020].\n",
        encoding="utf-8",
    )
    output = _run(["check", str(doc), "-b", str(refs), "--verbose"])
    assert "Claims in" in output
    assert not CONTROLS.search(output)
    assert "\\x1b" in output
    compact = _run(["check", str(doc), "-b", str(refs)])  # two lines a claim, cut to width
    assert "Claims in" in compact
    assert not CONTROLS.search(compact)
