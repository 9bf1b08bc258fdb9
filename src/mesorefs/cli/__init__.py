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


# The module that registers each command: looking a command up loads its module only, so
# `mesorefs tidy` loads no claim-checking code; listing the commands (--help) loads all.
COMMAND_MODULES = {
    "check": "mesorefs.cli.checks",
    "lint": "mesorefs.cli.checks",
    "convert": "mesorefs.cli.files",
    "format": "mesorefs.cli.files",
    "parse": "mesorefs.cli.files",
    "tidy": "mesorefs.cli.files",
    "resolve": "mesorefs.cli.online",
    "batch": "mesorefs.cli.scale",
    "snapshot": "mesorefs.cli.scale",
    "verify": "mesorefs.cli.verify",
}
defer_commands(main, COMMAND_MODULES)

if __name__ == "__main__":  # pragma: no cover
    main()
