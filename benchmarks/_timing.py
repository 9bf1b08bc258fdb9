"""Timing as a skeptic wants it: CPU time, interleaved rounds, medians, the load beside.

The box is shared, so wall-clock time measures the neighbours as much as the code.
Each contender runs once per round, in turn (A, B, A, B ...), and the figure is the
median CPU time (``os.times``: this process and its children) over the rounds,
printed with the load average seen while measuring.  A cold figure comes from a fresh
interpreter (no warm ``functools`` caches, no loaded model): see :func:`cold_cpu`.
See benchmarks/README.md.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


def load() -> float:
    """The one-minute load average (the machine has two cores)."""
    return os.getloadavg()[0]


def cpu_now() -> float:
    """CPU seconds used so far by this process and the child processes it has waited for
    (mesorefs renders through pandoc, and citeproc-js runs in node: both are children)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def cpu(func: Callable[[], object]) -> float:
    """CPU seconds of one call of ``func``, its child processes included."""
    start = cpu_now()
    func()
    return cpu_now() - start


@dataclass
class Rounds:
    """CPU seconds per round for each contender, and the load seen during the rounds."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    loads: list[float] = field(default_factory=list)
    wall: dict[str, list[float]] = field(default_factory=dict)
    """Wall-clock seconds per round: what a user waits, which work spread over both
    cores makes shorter than the CPU time (and a busy box longer)."""

    def median(self, name: str) -> float:
        return statistics.median(self.seconds[name])

    def ratio(self, ours: str, theirs: str) -> float:
        return self.median(ours) / self.median(theirs)

    @property
    def load(self) -> str:
        return f"load {min(self.loads):.2f}-{max(self.loads):.2f}"

    def spread(self, name: str) -> str:
        return ", ".join(f"{s:.3f}" for s in self.seconds[name])


def interleaved(contenders: Sequence[tuple[str, Callable[[], object]]], rounds: int) -> Rounds:
    """Run every contender once per round, in turn, ``rounds`` times; CPU time each."""
    result = Rounds({name: [] for name, _ in contenders})
    result.wall = {name: [] for name, _ in contenders}
    for _ in range(rounds):
        result.loads.append(load())
        for name, func in contenders:
            gc.collect()  # no contender pays for the garbage another one left
            started = time.perf_counter()
            result.seconds[name].append(cpu(func))
            result.wall[name].append(time.perf_counter() - started)
    result.loads.append(load())
    return result


def cold_cpu(script: Path, *args: str) -> float:
    """CPU seconds a fresh interpreter reports for ``script args`` (its last output line).

    The script times its own measured part with :func:`cpu` (imports and data
    loading excluded) and prints the seconds last; a new process has no warm cache.
    """
    done = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{script.name} {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return float(done.stdout.strip().splitlines()[-1])
