"""The command line in the places people run it: pre-commit, CI gates, several files per
call, ``python -m``, quiet and verbose runs, Ctrl-C, conversions and style names."""

from __future__ import annotations

import errno
import json
import os
import pydoc
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import mesorefs
from mesorefs.cli import main
from mesorefs.library import Library
from mesorefs.lint import lint
from mesorefs.models import Reference
from mesorefs.render.styles import style_names
from mesorefs.resolve import ResolveResult
from mesorefs.resolve.resolver import Status

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "references.bib"
UNTIDY = "@article{k, author={Rotunda, A. M.}, title={Mesotherapy}, year=2006, pages={1-2}}\n"
BAD_DOI = (
    "@article{bad, author={Doe, Jane}, title={A study}, journal={J}, year={2020},"
    " doi={10.12/abc}}\n"
)
BROKEN = UNTIDY + "@article{broken, title={never closed\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _env() -> dict[str, str]:
    """The environment of a child process that runs this worktree's mesorefs."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _tidy(runner: CliRunner, tmp_path: Path, text: str, name: str) -> Path:
    """A tidy copy of ``text`` at ``tmp_path/name``."""
    path = tmp_path / name
    path.write_text(text)
    assert runner.invoke(main, ["tidy", "-i", str(path)]).exit_code == 0
    return path


# -- several files ----------------------------------------------------------------------


def test_tidy_several_files_needs_in_place_or_check(runner: CliRunner, tmp_path: Path) -> None:
    """tidy FILE FILE without -i or --check is one error line naming both ways, exit 2."""
    a, b = tmp_path / "a.bib", tmp_path / "b.bib"
    a.write_text(UNTIDY)
    b.write_text(UNTIDY)
    result = runner.invoke(main, ["tidy", str(a), str(b)])
    assert result.exit_code == 2
    assert "-i" in result.stderr and "--check" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert a.read_text() == UNTIDY and result.stdout == ""


@pytest.mark.parametrize("extra", [["-o", "out.bib"], ["--json"]], ids=["output", "json"])
def test_tidy_several_files_refuse_one_output(
    runner: CliRunner, tmp_path: Path, extra: list[str]
) -> None:
    """-o and --json describe one file, so several files with them are a usage error."""
    a, b = tmp_path / "a.bib", tmp_path / "b.bib"
    a.write_text(UNTIDY)
    b.write_text(UNTIDY)
    result = runner.invoke(main, ["tidy", "--check", str(a), str(b), *extra])
    assert result.exit_code == 2 and "one FILE" in result.stderr


def test_tidy_in_place_rewrites_each_file(runner: CliRunner, tmp_path: Path) -> None:
    """tidy -i A B rewrites both, each as tidying it alone does."""
    alone = _tidy(runner, tmp_path, UNTIDY, "alone.bib").read_text()
    a, b = tmp_path / "a.bib", tmp_path / "b.bib"
    a.write_text(UNTIDY)
    b.write_text(UNTIDY.replace("{k,", "{other,"))
    result = runner.invoke(main, ["tidy", "-i", str(a), str(b)])
    assert result.exit_code == 0, result.output
    assert a.read_text() == alone
    assert b.read_text() == alone.replace("{k,", "{other,")


@pytest.mark.parametrize(
    ("untidy", "code"),
    [((), 0), (("b.bib",), 1), (("a.bib", "b.bib"), 1)],
    ids=["all-tidy", "one-untidy", "both-untidy"],
)
def test_tidy_check_several_files(
    runner: CliRunner, tmp_path: Path, untidy: tuple[str, ...], code: int
) -> None:
    """--check A B checks each, names each on stderr, and exits 1 if any is not tidy."""
    paths = [_tidy(runner, tmp_path, UNTIDY, name) for name in ("a.bib", "b.bib")]
    for name in untidy:
        (tmp_path / name).write_text(UNTIDY)
    result = runner.invoke(main, ["tidy", "--check", *map(str, paths)])
    assert result.exit_code == code, result.output
    for path in paths:
        verdict = "not tidy" if path.name in untidy else "tidy"
        assert f"{path}: {verdict}" in result.stderr


def test_tidy_check_goes_on_after_a_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    """A missing file is one error line (exit 2) and the files after it are still checked."""
    good = _tidy(runner, tmp_path, UNTIDY, "good.bib")
    result = runner.invoke(main, ["tidy", "--check", str(tmp_path / "gone.bib"), str(good)])
    assert result.exit_code == 2
    assert "gone.bib: no such file" in result.stderr and f"{good}: tidy" in result.stderr


@pytest.mark.parametrize(
    ("files", "code"),
    [
        (("good.bib", "good2.bib"), 0),
        (("good.bib", "bad.bib"), 1),
        (("bad.bib", "missing.bib"), 2),
    ],
    ids=["clean", "one-error", "one-missing"],
)
def test_lint_several_files(
    runner: CliRunner, tmp_path: Path, files: tuple[str, ...], code: int
) -> None:
    """lint A B reports the findings of each under its own name; the exit code is the worst."""
    (tmp_path / "good.bib").write_text(SEED.read_text())
    (tmp_path / "good2.bib").write_text(SEED.read_text())
    (tmp_path / "bad.bib").write_text(BAD_DOI)
    paths = [str(tmp_path / name) for name in files]
    result = runner.invoke(main, ["lint", "--json", *paths])
    assert result.exit_code == code, result.output
    found = json.loads(result.stdout)["findings"]
    named = {Path(f["file"]).name for f in found if f["file"]}
    assert named == {name for name in files if name != "missing.bib"}
    if "bad.bib" in files:
        assert any(f["check"] == "MR201" and f["file"].endswith("bad.bib") for f in found)


def test_lint_doc_takes_one_file(runner: CliRunner, tmp_path: Path) -> None:
    """--doc with several bibliographies is a usage error, not a wrong cited-not-in-bib."""
    doc = tmp_path / "paper.md"
    doc.write_text("As shown [@k].\n")
    result = runner.invoke(main, ["lint", "--doc", str(doc), str(SEED), str(SEED)])
    assert result.exit_code == 2 and "--doc takes one FILE" in result.stderr


def test_format_several_files_is_one_bibliography(runner: CliRunner, tmp_path: Path) -> None:
    """format A B numbers the entries of both files as one list."""
    other = tmp_path / "other.bib"
    other.write_text(UNTIDY)
    result = runner.invoke(main, ["format", "-s", "vancouver", str(SEED), str(other)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(Library.read(SEED)) + 1
    assert lines[-1].startswith(f"{len(lines)}. Rotunda AM")


# -- pre-commit ---------------------------------------------------------------------------


def _hooks() -> dict[str, dict[str, Any]]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    return {hook["id"]: hook for hook in hooks}


def _run_hook(hook: dict[str, Any], files: list[Path]) -> subprocess.CompletedProcess[str]:
    """Run a hook as pre-commit does: entry + args + the staged files its pattern takes."""
    command = shlex.split(hook["entry"]) + list(hook.get("args", []))
    assert command[0] == "mesorefs"
    script = Path(sys.executable).with_name("mesorefs")
    program = [str(script)] if script.exists() else [sys.executable, "-m", "mesorefs"]
    chosen = [str(f) for f in files if re.search(hook["files"], str(f))]
    return subprocess.run(
        program + command[1:] + chosen,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=False,
    )


def test_hooks_are_declared() -> None:
    """.pre-commit-hooks.yaml declares both hooks, for .bib files, as a python tool."""
    hooks = _hooks()
    assert set(hooks) == {"mesorefs-tidy", "mesorefs-lint"}
    assert hooks["mesorefs-tidy"]["entry"] == "mesorefs tidy --check"
    assert hooks["mesorefs-lint"]["entry"] == "mesorefs lint"
    for hook in hooks.values():
        assert hook["files"] == r"\.bib$" and hook["language"] == "python"


@pytest.mark.parametrize(
    ("hook", "broken", "code"),
    [
        ("mesorefs-tidy", False, 0),
        ("mesorefs-tidy", True, 1),
        ("mesorefs-lint", False, 0),
        ("mesorefs-lint", True, 1),
    ],
    ids=["tidy-pass", "tidy-fail", "lint-pass", "lint-fail"],
)
def test_hook_runs_as_pre_commit_runs_it(
    runner: CliRunner, tmp_path: Path, hook: str, broken: bool, code: int
) -> None:
    """The hook's command takes several staged files and fails when one of them is bad."""
    first = _tidy(runner, tmp_path, SEED.read_text(), "refs.bib")
    second = _tidy(runner, tmp_path, SEED.read_text().replace("{rohrich", "{other"), "more.bib")
    notes = tmp_path / "notes.txt"
    notes.write_text("not a bibliography\n")
    if broken:
        second.write_text(UNTIDY if hook == "mesorefs-tidy" else BAD_DOI)
    result = _run_hook(_hooks()[hook], [first, notes, second])
    assert result.returncode == code, result.stderr + result.stdout
    assert "notes.txt" not in result.stderr + result.stdout
    if broken:
        assert "more.bib" in result.stderr + result.stdout


# -- python -m, quiet, verbose, Ctrl-C ------------------------------------------------------


def test_python_dash_m_runs_the_command() -> None:
    """`python -m mesorefs --version` prints the version as `mesorefs --version` does."""
    result = subprocess.run(
        [sys.executable, "-m", "mesorefs", "--version"],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"mesorefs, version {mesorefs.__version__}"


def test_command_start_up_imports_nothing_heavy() -> None:
    """Importing the command loads none of the claim checker, renderer, resolver or numpy."""
    heavy = ["mesorefs.claims", "mesorefs.render", "mesorefs.resolve", "numpy", "onnxruntime"]
    code = f"import sys, mesorefs.cli; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(("flag", "shown"), [([], True), (["-q"], False)], ids=["normal", "quiet"])
def test_quiet_drops_warnings_keeps_output(
    runner: CliRunner, tmp_path: Path, flag: list[str], shown: bool
) -> None:
    """-q silences warnings on stderr; the result on stdout is the same."""
    path = tmp_path / "refs.bib"
    path.write_text(BROKEN)
    result = runner.invoke(main, [*flag, "tidy", str(path)])
    assert result.exit_code == 0, result.output
    assert ("mesorefs: warning:" in result.stderr) is shown
    assert "@article{k," in result.stdout


def test_quiet_keeps_errors(runner: CliRunner, tmp_path: Path) -> None:
    """-q still prints the one error line of a failed run."""
    result = runner.invoke(main, ["-q", "tidy", str(tmp_path / "gone.bib")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"mesorefs: error: {tmp_path / 'gone.bib'}: no such file"


@pytest.mark.parametrize(
    ("flag", "logged"), [([], False), (["-v"], True)], ids=["normal", "verbose"]
)
def test_verbose_logs_to_stderr(
    runner: CliRunner, tmp_path: Path, flag: list[str], logged: bool
) -> None:
    """-v logs mesorefs' INFO records on stderr, and only then."""
    result = runner.invoke(main, [*flag, "convert", str(SEED), "--to", "csl-json"])
    assert result.exit_code == 0, result.output
    assert ("INFO: mesorefs.cli: " in result.stderr) is logged
    assert json.loads(result.stdout)[0]["id"] == "rohrich2005mesotherapy"


def test_a_run_puts_back_what_it_changed(runner: CliRunner, tmp_path: Path) -> None:
    """After -q -v runs, the Ctrl-C handler, the logger's level and handlers are as before."""
    import logging

    logger = logging.getLogger("mesorefs")
    before = (signal.getsignal(signal.SIGINT), logger.level, list(logger.handlers))
    for flags in (["-q"], ["-v"]):
        result = runner.invoke(main, [*flags, "tidy", str(tmp_path / "gone.bib")])
        assert result.exit_code == 2
    assert (signal.getsignal(signal.SIGINT), logger.level, list(logger.handlers)) == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_ctrl_c_exits_130_at_once(tmp_path: Path) -> None:
    """SIGINT during a blocked read ends the run within a second: one line, exit 130."""
    fifo = tmp_path / "pipe.bib"
    os.mkfifo(fifo)
    child = subprocess.Popen(
        [sys.executable, "-m", "mesorefs", "tidy", "--check", str(fifo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    writer = -1
    try:
        deadline = time.monotonic() + 60
        while writer < 0:  # the child has opened the FIFO (and so is blocked reading it)
            try:
                writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as error:
                assert error.errno == errno.ENXIO
                assert child.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
        time.sleep(0.2)
        started = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=10)
        elapsed = time.monotonic() - started
    finally:
        if writer >= 0:
            os.close(writer)
        child.kill()
        child.wait()
    assert child.returncode == 130
    assert err == "mesorefs: interrupted\n" and out == ""
    assert elapsed < 1.0


# -- CI gates ------------------------------------------------------------------------------


class _Report:
    """What `check` reads of a claims report."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.warnings: list[str] = []

    def summary(self) -> dict[str, int]:
        return self.counts

    def to_json(self) -> str:
        return json.dumps({"schema": "mesorefs.claims/3", "summary": self.counts})


@pytest.mark.parametrize(
    ("fail_on", "verdict", "code"),
    [
        (None, "contradicted", 1),
        (None, "unsupported", 1),
        (None, "needs review", 0),
        ("contradicted", "contradicted", 1),
        ("contradicted", "unsupported", 0),
        ("unsupported", "unsupported", 1),
        ("needs-review", "needs review", 1),
        ("needs-review", "supported", 0),
        ("never", "contradicted", 0),
    ],
    ids=[
        "default-contradicted",
        "default-unsupported",
        "default-needs-review",
        "contradicted-contradicted",
        "contradicted-unsupported",
        "unsupported-unsupported",
        "needs-review-needs-review",
        "needs-review-supported",
        "never-contradicted",
    ],
)
def test_check_fail_on(
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    fail_on: str | None,
    verdict: str,
    code: int,
) -> None:
    """check exits 1 when a claim's verdict is at or above --fail-on (default: unsupported)."""
    import mesorefs.claims
    import mesorefs.claims.backends

    # Its own cache folder: the report is swapped under the run record's key.
    monkeypatch.setenv("MESOREFS_CACHE_DIR", str(tmp_path))

    report = _Report({"supported": 2, verdict: 1})
    monkeypatch.setattr(mesorefs.claims, "check_claims", lambda *a, **k: report)
    monkeypatch.setattr(mesorefs.claims.backends, "load_verifier", lambda *a: SimpleNamespace())
    args = ["check", "--json"] + (["--fail-on", fail_on] if fail_on else [])
    result = runner.invoke(main, args)
    assert result.exit_code == code, result.output
    assert json.loads(result.stdout)["summary"] == report.counts


class _Resolver:
    """Answers every entry with one status."""

    def __init__(self, statuses: list[Status]) -> None:
        self.statuses = statuses

    def resolve_many(self, refs: Any) -> list[ResolveResult]:
        return [
            ResolveResult(ref, status, None, reason="connection refused")
            for ref, status in zip(refs, self.statuses, strict=True)
        ]

    def search(self, text: str, rows: int = 5) -> list[Reference]:
        return []


@pytest.mark.parametrize(
    ("statuses", "unchecked"),
    [
        (["error", "error"], True),
        (["error", "matched"], False),
        (["not_found", "abstained"], False),
    ],
    ids=["every-lookup-failed", "one-answered", "answered"],
)
def test_unchecked_when_no_lookup_worked(statuses: list[Status], unchecked: bool) -> None:
    """MR208 unchecked (an error) is reported only when every lookup failed."""
    library = Library.read(SEED)
    library.items[2:] = [r for r in library.items[2:] if not isinstance(r, Reference)]
    found = lint(library, resolver=_Resolver(statuses), select=["MR208"])
    assert [(f.check, f.name, f.severity) for f in found] == (
        [("MR208", "unchecked", "error")] if unchecked else []
    )


@pytest.mark.parametrize(
    ("allow", "code"), [([], 1), (["--allow-unchecked"], 0)], ids=["fails", "allowed"]
)
def test_lint_online_without_network(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    allow: list[str],
    code: int,
) -> None:
    """lint --online with every service unreachable reports unchecked and fails unless allowed."""
    import socket

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = f"http://127.0.0.1:{port}"
    for service in ("crossref", "doi", "datacite", "pubmed", "openalex", "arxiv"):
        monkeypatch.setenv(f"MESOREFS_{service.upper()}_URL", dead)
    monkeypatch.setenv("MESOREFS_MAX_RETRIES", "0")
    monkeypatch.setenv("MESOREFS_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "none.toml").write_text("", encoding="utf-8")  # an empty config
    monkeypatch.setenv("MESOREFS_CONFIG", str(tmp_path / "none.toml"))
    path = _tidy(runner, tmp_path, SEED.read_text(), "refs.bib")
    result = runner.invoke(main, ["lint", "--online", "--json", *allow, str(path)])
    assert result.exit_code == code, result.output
    found = json.loads(result.stdout)["findings"]
    assert [f["check"] for f in found if f["name"] == "unchecked"] == ["MR208"]


# -- styles --------------------------------------------------------------------------------


def test_format_latex(runner: CliRunner) -> None:
    """format -f latex writes LaTeX: italics as \\emph, an ampersand escaped."""
    result = runner.invoke(main, ["format", str(SEED), "-f", "latex", "-s", "apa"])
    assert result.exit_code == 0, result.output
    assert r"\emph{Plastic and Reconstructive Surgery}" in result.stdout
    assert r"Rotunda, A. M., \& Kolodney" in result.stdout


@pytest.mark.parametrize("as_json", [False, True], ids=["lines", "json"])
def test_list_styles(runner: CliRunner, as_json: bool) -> None:
    """--list-styles prints every style name -s takes, one a line or as JSON."""
    result = runner.invoke(main, ["format", "--list-styles", *(["--json"] if as_json else [])])
    assert result.exit_code == 0, result.output
    if as_json:
        data = json.loads(result.stdout)
        assert data["schema"] == "mesorefs.styles/1" and data["styles"] == style_names()
    else:
        assert result.stdout.splitlines() == style_names()
    assert "vancouver" in style_names() and "apa" in style_names()


@pytest.mark.parametrize(
    ("style", "hint"),
    [("vancuver", "did you mean 'vancouver'"), ("APA7", "did you mean 'apa'"), ("zqxjw", None)],
    ids=["typo", "case-and-suffix", "nothing-close"],
)
def test_unknown_style_suggests(runner: CliRunner, style: str, hint: str | None) -> None:
    """An unknown style is one error line, with the closest names when some are close."""
    result = runner.invoke(main, ["format", str(SEED), "-s", style])
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"mesorefs: error: unknown CSL style {style!r}")
    assert ("did you mean" in line) is (hint is not None)
    if hint:
        assert hint in line


# -- convert -------------------------------------------------------------------------------


def test_convert_to_ris_names_what_is_lost(runner: CliRunner, tmp_path: Path) -> None:
    """bib -> RIS writes every entry and warns once per field RIS cannot hold; exit 0."""
    out = tmp_path / "refs.ris"
    result = runner.invoke(main, ["convert", str(SEED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    source = Library.read(SEED)
    written = Library.read(out)
    assert [r.title for r in written] == [r.title for r in source]
    assert [r.doi for r in written] == [r.doi for r in source]
    warnings = result.stderr.splitlines()
    pmid = f"mesorefs: warning: {SEED}: rotunda2006mesotherapy: pmid not carried"
    assert f"{pmid} (RIS has no place for it)" in warnings
    assert all(line.startswith(f"mesorefs: warning: {SEED}: ") for line in warnings)


@pytest.mark.parametrize("to", ["csl-json", "bibtex"], ids=["csl-json", "bibtex"])
def test_convert_round_trip_is_lossless(runner: CliRunner, tmp_path: Path, to: str) -> None:
    """bib -> CSL-JSON (or BibTeX) -> bib keeps every field: no warning, same entries."""
    middle = tmp_path / ("refs.json" if to == "csl-json" else "refs.bib")
    back = tmp_path / "back.bib"
    there = runner.invoke(main, ["convert", str(SEED), "-o", str(middle)])
    again = runner.invoke(main, ["convert", str(middle), "-o", str(back)])
    assert there.exit_code == again.exit_code == 0
    assert there.stderr == again.stderr == ""
    source, final = Library.read(SEED).references, Library.read(back).references
    for field in ("key", "title", "authors", "issued", "doi", "pmid", "annote"):
        assert [getattr(r, field) for r in final] == [getattr(r, field) for r in source], field


@pytest.mark.parametrize(
    ("date", "issued"),
    [("2006", (2006, None, None)), ("2006-04", (2006, 4, None)), ("2006-04-09", (2006, 4, 9))],
    ids=["year", "month", "day"],
)
def test_convert_to_ris_keeps_the_date(
    runner: CliRunner, tmp_path: Path, date: str, issued: tuple[int, int | None, int | None]
) -> None:
    """A month and a day go to RIS's DA field and come back; nothing about the date is lost."""
    bib = tmp_path / "refs.bib"
    bib.write_text(f"@article{{k, author={{Doe, Jane}}, title={{A study}}, date={{{date}}}}}\n")
    out = tmp_path / "refs.ris"
    result = runner.invoke(main, ["convert", str(bib), "-o", str(out)])
    assert result.exit_code == 0 and "issued" not in result.stderr, result.stderr
    back = Library.read(out).references[0].issued
    assert back is not None and (back.year, back.month, back.day) == issued


def test_convert_json_report(runner: CliRunner, tmp_path: Path) -> None:
    """convert --json reports, per entry and field, what the target lost, and needs -o."""
    bib = tmp_path / "refs.bib"
    bib.write_text("@comment{kept in BibTeX only}\n" + SEED.read_text())
    result = runner.invoke(main, ["convert", str(bib), "-o", str(tmp_path / "r.ris"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["schema"], data["to"], data["entries"]) == ("mesorefs.convert/1", "ris", 7)
    lost = {(x["key"], x["field"]) for x in data["not_carried"]}
    assert ("rotunda2006mesotherapy", "pmid") in lost and (
        "rohrich2005mesotherapy",
        "doi",
    ) not in lost
    (comment,) = [x for x in data["not_carried"] if x["key"] is None]
    assert comment["line"] == 1 and comment["message"].startswith("@comment not carried")
    alone = runner.invoke(main, ["convert", str(bib), "--to", "ris", "--json"])
    assert alone.exit_code == 2 and "give -o FILE" in alone.stderr


def test_convert_to_overrides_extension(runner: CliRunner, tmp_path: Path) -> None:
    """--to names the written format whatever -o's extension says."""
    out = tmp_path / "refs.txt"
    result = runner.invoke(main, ["convert", str(SEED), "--to", "ris", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [r.key for r in Library.read(out, "ris")] == Library.read(SEED).keys()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["convert", "SEED"], "give --to"),
        (["convert", "SEED", "-o", "out.docx"], "unknown file type '.docx'"),
        (["convert", "missing.bib", "--to", "ris"], "missing.bib: no such file"),
    ],
    ids=["no-target", "unknown-extension", "missing-input"],
)
def test_convert_errors(runner: CliRunner, args: list[str], message: str) -> None:
    """A conversion that cannot start is one error line, exit 2."""
    args = [str(SEED) if a == "SEED" else a for a in args]
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_convert_stdin_with_from(runner: CliRunner) -> None:
    """convert - --from ris reads RIS from standard input."""
    ris = runner.invoke(main, ["convert", str(SEED), "--to", "ris"]).stdout
    result = runner.invoke(main, ["convert", "-", "--from", "ris", "--to", "csl-json"], input=ris)
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == len(Library.read(SEED))


# -- the package -------------------------------------------------------------------------------


def test_dir_lists_lazy_names_without_loading_them() -> None:
    """dir(mesorefs) names the lazily loaded API; __all__ lists it too."""
    code = (
        "import sys, mesorefs; names = dir(mesorefs); "
        "print(all(n in names for n in mesorefs.__all__), "
        "'mesorefs.claims' in sys.modules, 'mesorefs.resolve' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=False,
    )
    assert result.stdout.split() == ["True", "False", "False"], result.stderr
    lazy = {"check_claims", "format_bibliography", "Resolver", "parse_references", "Settings"}
    assert lazy <= set(mesorefs.__all__) and lazy <= set(dir(mesorefs))


def test_help_shows_lazy_names() -> None:
    """help(mesorefs) documents the lazily loaded functions and classes."""
    text = pydoc.plain(pydoc.render_doc(mesorefs))
    for name in ("check_claims", "format_bibliography", "Resolver", "parse_references"):
        assert name in text
