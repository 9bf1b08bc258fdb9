"""One hostile case: what it tries, the bound it must stay within, and how it is judged."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Result:
    """What a case saw: ``held`` is True when mesorefs behaved as the issue asks."""

    held: bool
    detail: str = ""


@dataclass(frozen=True)
class Case:
    """``run(tmp)`` works only inside ``tmp``, a fresh temporary folder of its own, and
    returns a :class:`Result`.  The driver runs it in a child process and kills it at
    ``seconds``; its peak memory (the child and what it waited for) must stay under
    ``megabytes``."""

    name: str
    finding: str
    run: Callable[[Path], Result]
    seconds: float = 60.0
    megabytes: float = 500.0


def one_line_error(done: subprocess.CompletedProcess[str]) -> bool:
    """Whether a finished command failed as a user's mistake should: exit 2 and one
    ``mesorefs: error:`` line on stderr, no traceback."""
    lines = done.stderr.strip().splitlines()
    return (
        done.returncode == 2
        and len(lines) == 1
        and lines[0].startswith("mesorefs: error: ")
        and "Traceback" not in done.stderr
    )
