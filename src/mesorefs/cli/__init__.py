"""The ``mesorefs`` command: a thin coat over the library.

Exit codes: 0 fine, 1 problems found, 2 usage or input error (an output that cannot
be written included), 141 when the reader of standard output went away (``| head``),
quietly, as a program killed by SIGPIPE.  Every ``MesorefsError`` becomes one line on
stderr; tracebacks are for bugs only.  Every byte of output goes through
:mod:`mesorefs.outputs` (standard output and files alike).
``--json`` output of every command carries a ``schema`` name documented in
docs/cli-json.md.

The commands live in one module per group (:mod:`~mesorefs.cli.files`,
:mod:`~mesorefs.cli.online`, :mod:`~mesorefs.cli.checks`, :mod:`~mesorefs.cli.scale`,
:mod:`~mesorefs.cli.verify`),
each registering itself on the group :func:`~mesorefs.cli.app.main`; what they share is
in :mod:`~mesorefs.cli.common`.
"""

from __future__ import annotations

from mesorefs.cli.app import defer_commands, main

__all__ = ["main"]


def _load_commands() -> None:
    """Import the command modules: each registers its commands on ``main``."""
    import mesorefs.cli.checks
    import mesorefs.cli.files
    import mesorefs.cli.online
    import mesorefs.cli.scale
    import mesorefs.cli.verify  # noqa: F401


# Loaded when a command is looked up or listed, not for `mesorefs --version`.
defer_commands(main, _load_commands)

if __name__ == "__main__":  # pragma: no cover
    main()
