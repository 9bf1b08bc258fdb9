"""The command line: every command, its JSON, and its error paths (exit 2, one line)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mesorefs.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED_LINE = (
    "Mesotherapy and phosphatidylcholine injections: historical clarification and review "
    "by AM Rotunda, MS Kolodney – Dermatologic surgery, 2006 – Wiley Online Library\n"
)
UNTIDY = "@article{k, author={Rotunda, A. M.}, title={Mesotherapy}, year=2006, pages={1-2}}\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_help_lists_every_command(runner: CliRunner) -> None:
    """`mesorefs --help` names every subcommand."""
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("parse", "tidy", "resolve", "check", "format", "lint"):
        assert command in result.output


@pytest.mark.parametrize("command", ["parse", "tidy", "resolve", "check", "format", "lint"])
def test_every_subcommand_has_help(runner: CliRunner, command: str) -> None:
    """Each subcommand's help describes it and its options."""
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output and "--json" in result.output


def test_parse_seed_line_to_bibtex(runner: CliRunner) -> None:
    """A Google Scholar line becomes a BibTeX entry with a key."""
    result = runner.invoke(main, ["parse", "-"], input=SEED_LINE)
    assert result.exit_code == 0, result.output
    assert "@article{rotunda2006mesotherapy," in result.output
    assert "Rotunda" in result.output


def test_parse_json_flags_truncation(runner: CliRunner) -> None:
    """parse --json reports truncated fields and the host hint."""
    line = (
        "Mesotherapy for body contouring by A Matarasso, TM Pfeifer… – Plastic and …, 2005 – "
        "journals.lww.com\n"
    )
    result = runner.invoke(main, ["parse", "--json", "-"], input=line)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["schema"] == "mesorefs.parse/1"
    entry = data["references"][0]
    assert "authors" in entry["truncated"] and "container_title" in entry["truncated"]


def test_tidy_check_exit_codes(runner: CliRunner, tmp_path: Path) -> None:
    """tidy --check exits 1 on an untidy file and 0 once it is tidied in place."""
    path = tmp_path / "refs.bib"
    path.write_text(UNTIDY)
    assert runner.invoke(main, ["tidy", "--check", str(path)]).exit_code == 1
    assert runner.invoke(main, ["tidy", "-i", str(path)]).exit_code == 0
    assert runner.invoke(main, ["tidy", "--check", str(path)]).exit_code == 0
    assert "pages = {1--2}" in path.read_text()


def test_tidy_json_reports_problems(runner: CliRunner, tmp_path: Path) -> None:
    """tidy --json lists broken entries with their lines."""
    path = tmp_path / "refs.bib"
    path.write_text("@article{a, title={A}}\n@article{b, title={broken\n")
    result = runner.invoke(main, ["tidy", "--json", str(path)])
    data = json.loads(result.stdout)
    assert data["schema"] == "mesorefs.tidy/1"
    assert data["problems"][0]["line"] == 2


def test_repository_references_bib_is_tidy(runner: CliRunner) -> None:
    """The committed references.bib passes tidy --check."""
    result = runner.invoke(main, ["tidy", "--check", str(ROOT / "references.bib")])
    assert result.exit_code == 0, result.output


def test_check_runs_on_the_bundled_example(runner: CliRunner, tmp_path: Path) -> None:
    """`mesorefs check` with no arguments checks the bundled article and writes HTML."""
    html = tmp_path / "report.html"
    result = runner.invoke(main, ["check", "--html", str(html)])
    assert result.exit_code in (0, 1), result.output
    assert "checkworthy claims" in result.output
    assert html.read_text().lstrip().lower().startswith("<!doctype html")


def test_check_json_schema(runner: CliRunner) -> None:
    """check --json prints the versioned claims report."""
    result = runner.invoke(main, ["check", "--json"])
    data = json.loads(result.stdout)
    assert data["schema"] == "mesorefs.claims/3"
    assert all("verdict" in claim for claim in data["claims"])


def test_format_seed_in_apa(runner: CliRunner) -> None:
    """format renders the seed references in APA."""
    result = runner.invoke(main, ["format", str(ROOT / "references.bib"), "--style", "apa"])
    assert result.exit_code == 0, result.output
    assert "Rotunda, A. M., & Kolodney, M. S. (2006)" in result.output


def test_resolve_offline_with_empty_cache_reports_failures(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """resolve --offline with nothing cached touches no network and exits 1."""
    monkeypatch.setenv("MESOREFS_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "refs.bib"
    path.write_text(UNTIDY)
    result = runner.invoke(main, ["resolve", "--offline", "--dry-run", "--json", str(path)])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["results"][0]["status"] in ("error", "not_found", "abstained")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["tidy", "missing.bib"], None, "missing.bib: no such file"),
        (["check", "-", "--bib", "missing.bib"], "Mesotherapy works.", "missing.bib: no such file"),
        (["check", "-", "--bib", "BIB"], "   ", "empty document"),
        (["format", "BIB", "--style", "no-such-style"], None, "no-such-style"),
        (["parse", "-"], "", "empty input"),
        (["format", "BADJSON"], None, "not valid JSON"),
        (["tidy", "BADJSON"], None, "tidy works on BibTeX files"),
        (["format", "BIB", "--cite", "nokey"], None, "no entry with key nokey"),
        (["check", "--bib", "BIB"], None, "--bib needs a DOCUMENT"),
    ],
    ids=[
        "missing-file",
        "check-missing-bib",
        "empty-document",
        "unknown-style",
        "empty-parse",
        "malformed-json",
        "tidy-not-bib",
        "unknown-key",
        "bib-without-document",
    ],
)
def test_user_mistakes_give_one_line_and_exit_2(
    runner: CliRunner, tmp_path: Path, args: list[str], stdin: str | None, message: str
) -> None:
    """A user mistake prints one clear line on stderr, no traceback, and exits 2."""
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{nope")
    args = [
        str(ROOT / "references.bib") if a == "BIB" else str(bad_json) if a == "BADJSON" else a
        for a in args
    ]
    result = runner.invoke(main, args, input=stdin)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_malformed_bib_is_reported_not_fatal(runner: CliRunner, tmp_path: Path) -> None:
    """A malformed entry is kept in the output and reported on stderr."""
    path = tmp_path / "refs.bib"
    path.write_text("@article{a, title={A}}\n@article{b, title={broken\n")
    result = runner.invoke(main, ["tidy", str(path)])
    assert result.exit_code == 0
    assert "@article{b, title={broken" in result.stdout
    assert "refs.bib:2" in result.stderr


def test_bundled_example_matches_repository_references() -> None:
    """The example shipped in the package is the repository's references.bib."""
    shipped = ROOT / "src" / "mesorefs" / "examples" / "mesotherapy" / "references.bib"
    assert shipped.read_text() == (ROOT / "references.bib").read_text()


def test_lint_repository_bib_has_nothing_above_info(runner: CliRunner) -> None:
    """The tidy references.bib lints clean at --fail-on warning."""
    result = runner.invoke(main, ["lint", str(ROOT / "references.bib"), "--fail-on", "warning"])
    assert result.exit_code == 0, result.output


def test_lint_finds_duplicate_key_and_fixes_nothing_unsafe(
    runner: CliRunner, tmp_path: Path
) -> None:
    """lint exits 1 on an error finding and --json names the check."""
    path = tmp_path / "refs.bib"
    path.write_text("@article{a, title={One}, year=2001}\n@article{a, title={Two}, year=2002}\n")
    result = runner.invoke(main, ["lint", "--json", str(path)])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "mesorefs.lint/1"
    assert "MR101" in {f["check"] for f in data["findings"]}


def test_lint_github_annotations(runner: CliRunner, tmp_path: Path) -> None:
    """--format github prints workflow annotations with file and line."""
    path = tmp_path / "refs.bib"
    path.write_text("@article{a, title={T}, year=3050, doi={not-a-doi}}\n")
    result = runner.invoke(main, ["lint", "--format", "github", str(path)])
    assert f"::error file={path},line=1" in result.stdout


def test_format_writes_a_documents_citations(tmp_path: Path) -> None:
    paper = tmp_path / "paper.md"
    paper.write_text("As shown [see @rohrich2005mesotherapy, p. 1425].\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["format", str(ROOT / "references.bib"), "--doc", str(paper), "--style", "apa"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("As shown (see Rohrich, 2005, p. 1425).")
    assert "## References" in result.output


@pytest.mark.parametrize("links", [False, True], ids=["plain", "links"])
def test_format_links_only_when_asked(runner: CliRunner, links: bool) -> None:
    """format -f html writes DOIs as the style's text; --links makes them links."""
    args = [
        "format",
        str(ROOT / "references.bib"),
        "-f",
        "html",
        "--cite",
        "rohrich2005mesotherapy",
    ]
    result = runner.invoke(main, args + (["--links"] if links else []))
    assert result.exit_code == 0, result.output
    doi = "https://doi.org/10.1097/01.PRS.0000162243.34988.90"
    assert (f'<a href="{doi}">' in result.output) is links
    assert doi in result.output


def test_format_doc_with_an_unknown_key_is_one_line(tmp_path: Path) -> None:
    paper = tmp_path / "paper.md"
    paper.write_text("[@nokey]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["format", str(ROOT / "references.bib"), "--doc", str(paper)])
    assert result.exit_code == 2
    assert "unknown citation key 'nokey'" in result.output
    assert "Traceback" not in result.output
