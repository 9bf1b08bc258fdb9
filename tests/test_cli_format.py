"""`mesorefs format` renders every entry it can and names each one it skips (issue 28)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from mesorefs.cli import main

BIB = """\
@article{dup, title = {First}, title = {Second}, author = {Doe, J.}, year = 2001}
@article{broken, title = {Broken, author = {Roe, R.}, year = 2002
@article{ok, title = {Fine}, author = {Poe, E.}, year = 2003}
"""


def test_format_renders_a_doubled_field_and_names_what_it_skips(tmp_path: Path) -> None:
    """An entry with a field given twice is rendered with its first value (as BibTeX
    does); an entry that cannot be read is named on stderr, and the exit code is 1."""
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    result = CliRunner().invoke(main, ["format", str(path), "--style", "apa"])
    assert result.exit_code == 1
    assert "Doe, J. (2001). First." in result.stdout
    assert "Poe, E. (2003). Fine." in result.stdout
    assert "Second" not in result.stdout
    skipped = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert len(skipped) == 1
    assert "refs.bib:2:" in skipped[0] and "entry broken skipped" in skipped[0]


def test_format_exits_0_when_nothing_is_skipped(tmp_path: Path) -> None:
    """A clean file renders with exit 0 and nothing on stderr."""
    path = tmp_path / "refs.bib"
    path.write_text(BIB.splitlines()[2] + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["format", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_tidy_json_carries_the_tidied_text(tmp_path: Path) -> None:
    """`tidy --json` without -o gives the tidied BibTeX in `bibtex`, not nothing."""
    import json

    path = tmp_path / "refs.bib"
    path.write_text("@article{k, title={T}, year=2001}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["tidy", "--json", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["bibtex"].startswith("@article{k,\n  title = {T},")
    with_output = CliRunner().invoke(
        main, ["tidy", "--json", str(path), "-o", str(tmp_path / "o.bib")]
    )
    assert "bibtex" not in json.loads(with_output.stdout)
