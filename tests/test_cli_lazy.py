"""The command modules load when a command is needed, not for `mesorefs --version`."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from mesorefs.cli import main

COMMAND_MODULES = (
    "mesorefs.cli.checks",
    "mesorefs.cli.files",
    "mesorefs.cli.online",
    "mesorefs.cli.scale",
    "mesorefs.cli.verify",
)


def _modules_after(argv: list[str]) -> set[str]:
    probe = (
        "import json, sys\nfrom mesorefs.cli import main\n"
        f"sys.argv = {argv!r}\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_version_loads_no_command_module() -> None:
    """`mesorefs --version` prints the version with none of the command modules loaded."""
    loaded = _modules_after(["mesorefs", "--version"])
    assert not [m for m in COMMAND_MODULES if m in loaded]


def test_help_lists_the_commands_of_every_module() -> None:
    """`mesorefs --help` loads the command modules and lists their commands."""
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("tidy", "lint", "resolve", "check", "format", "batch", "verify"):
        assert f"  {command} " in result.output


def test_each_command_is_mapped_to_the_module_that_registers_it() -> None:
    """COMMAND_MODULES names, for every command of `mesorefs`, the module defining it."""
    from mesorefs.cli import COMMAND_MODULES

    listed = main.list_commands(click.Context(main))
    homes = {name: main.commands[name].callback.__module__ for name in listed}  # type: ignore[union-attr]
    assert homes == COMMAND_MODULES


@pytest.mark.parametrize(
    ("argv", "home"),
    [
        (["mesorefs", "tidy", "--help"], "mesorefs.cli.files"),
        (["mesorefs", "resolve", "--help"], "mesorefs.cli.online"),
        (["mesorefs", "verify", "--help"], "mesorefs.cli.verify"),
    ],
    ids=["tidy", "resolve", "verify"],
)
def test_a_command_loads_its_own_module_only(argv: list[str], home: str) -> None:
    """Looking up one command imports the module that registers it and no other."""
    loaded = _modules_after(argv)
    assert home in loaded
    assert [m for m in COMMAND_MODULES if m in loaded] == [home]


def test_an_unknown_command_is_told_apart_from_all_commands() -> None:
    """A mistyped command still gets click's suggestion, drawn from every module."""
    result = CliRunner().invoke(main, ["tidyy"])
    assert result.exit_code == 2
    assert "Did you mean 'tidy'?" in result.output
