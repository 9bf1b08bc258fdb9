"""The README's commands: the Quickstart runs as written and every command line parses."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest

from mesorefs.cli import main

from .commands import command_lines, invocations, parse, segments

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI_RUN = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _section(title: str) -> str:
    """The text of the README's ``## title`` section, up to the next heading of that level."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.S | re.M)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def _quickstart() -> list[str]:
    """The Quickstart's commands: step 1 (install and run) and step 2 (the tests)."""
    return command_lines(_section("Quickstart"))


def test_quickstart_has_the_two_steps() -> None:
    """The Quickstart is two commands: an editable install then `mesorefs check`, and the tests."""
    step1, step2 = _quickstart()
    assert "pip install -e ." in step1
    assert segments(step1)[-1] == ["mesorefs", "check"]
    assert segments(step2)[-1][:3] == ["python", "-m", "pytest"]


def _without_pip_quiet(line: str) -> list[list[str]]:
    """A line's simple commands, with pip's ``-q`` dropped (CI keeps its log short)."""
    return [
        [t for t in seg if not (seg[:2] == ["pip", "install"] and t == "-q")]
        for seg in segments(line)
    ]


def test_ci_runs_the_readme_test_command() -> None:
    """`.ci/run` runs the Quickstart's step 2 as written (pip's -q aside)."""
    step2 = _without_pip_quiet(_quickstart()[1])
    ci_lines = [line.strip() for line in CI_RUN.splitlines() if not line.lstrip().startswith("#")]
    assert any(_without_pip_quiet(line) == step2 for line in ci_lines if line)


def test_quickstart_main_job_runs_as_documented(tmp_path: Path) -> None:
    """Step 1's `mesorefs check` exits with the documented code and prints the README's lines."""
    documented = re.search(r"Step 1 ends with exit code (\d+)", _section("Quickstart"))
    assert documented, "the Quickstart names step 1's exit code"
    shown = re.search(r"```console\n\$ (COLUMNS=(\d+) mesorefs check)\n(.*?)```", README, re.S)
    assert shown, "README shows a run of `mesorefs check` on the bundled example"
    script = Path(sys.executable).with_name("mesorefs")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "mesorefs"]
    env = dict(os.environ, COLUMNS=shown.group(2), MESOREFS_CONFIG=os.devnull, NO_COLOR="1")
    done = subprocess.run(
        [*command, "check"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == int(documented.group(1)), done.stderr
    output = [line.rstrip() for line in done.stdout.splitlines()]
    expected = [line.rstrip() for line in shown.group(3).splitlines() if line.strip() != "..."]
    position = 0
    for line in expected:
        assert line in output[position:], f"README line not printed (in order): {line!r}"
        position = output.index(line, position) + 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", invocations(README), ids=shlex.join)
def test_readme_command_line_parses(args: list[str]) -> None:
    """Every `mesorefs ...` line in the README names a real command with real options."""
    parse(args)


@pytest.mark.parametrize(
    "args",
    [
        ["nosuch"],
        ["lint", "--no-such-option", "refs.bib"],
        ["lint", "--fail-on", "warnin", "refs.bib"],
        ["check", "paper.md", "extra.md"],
        ["snapshot", "nosuch"],
        ["format", "--style"],
    ],
    ids=shlex.join,
)
def test_a_wrong_command_line_does_not_parse(args: list[str]) -> None:
    """The README check refuses an unknown command, option, choice or extra argument."""
    with pytest.raises(click.UsageError):
        parse(args)


def test_readme_hascommand_lines() -> None:
    """The README's blocks hold the commands of every group the CLI has (none missed)."""
    named = {args[0] for args in invocations(README) if args and not args[0].startswith("-")}
    named |= {args[1] for args in invocations(README) if args[:1] == ["-q"]}
    assert named == set(main.commands)
