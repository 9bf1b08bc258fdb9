"""The command modules load when a command is needed, not for `mesorefs --version`."""

from __future__ import annotations

import json
import subprocess
import sys

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
