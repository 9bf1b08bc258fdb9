"""Hostile inputs against every command (issue 27): held or not, each within its bounds.

Each case in ``benchmarks/safety/*.py`` reproduces one finding of the safety audit
(deleting what is not ours, untrusted text leaving its field, secrets printed or
cached, a verifier talked round, batch and snapshot inputs, unbounded cost) in a fresh
child process with a temporary folder of its own.  A case holds when mesorefs behaves
as the issue asks, within the case's time limit and peak memory.  Every case touches
only its temporary folder: these machines run as root.

    python benchmarks/safety_bench.py                 # every case
    python benchmarks/safety_bench.py --area secrets  # one area
    python benchmarks/safety_bench.py manifest-escape # cases by name

Figures, dates and targets of every benchmark: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import safety  # noqa: E402
from benchmarks.safety.case import Case, Result  # noqa: E402


def all_cases() -> dict[str, tuple[str, Case]]:
    """Every case by name, with the area (module) it comes from."""
    cases: dict[str, tuple[str, Case]] = {}
    for module in pkgutil.iter_modules(safety.__path__):
        if module.name == "case" or module.name.startswith("_"):
            continue
        loaded = importlib.import_module(f"benchmarks.safety.{module.name}")
        for case in getattr(loaded, "CASES", []):
            if case.name in cases:
                raise SystemExit(f"two cases named {case.name!r}")
            cases[case.name] = (module.name, case)
    return cases


def _run_one(name: str, tmp: str) -> None:
    """In the child: run one case and print its result as JSON on the last line."""
    _, case = all_cases()[name]
    try:
        result = case.run(Path(tmp))
    except Exception as error:  # a case that raises did not hold
        result = Result(False, f"raised {type(error).__name__}: {str(error)[:200]}")
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    print(json.dumps({"held": result.held, "detail": result.detail, "peak_kb": peak_kb}))


def _measure(name: str, case: Case) -> tuple[bool, float, float, str]:
    with tempfile.TemporaryDirectory(prefix="mesorefs-safety-") as tmp:
        start = time.monotonic()
        child = subprocess.Popen(
            [sys.executable, __file__, "--child", name, "--tmp", tmp],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            out, err = child.communicate(timeout=case.seconds)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, 9)
            child.communicate()
            return False, time.monotonic() - start, 0.0, f"over {case.seconds:.0f} s"
        wall = time.monotonic() - start
        lines = out.strip().splitlines()
        try:
            report = json.loads(lines[-1])
        except (IndexError, ValueError):
            tail = err.strip().splitlines()[-1:] or ["no output"]
            return False, wall, 0.0, f"child failed: {tail[0][:160]}"
        peak_mb = report["peak_kb"] / 1024
        held = bool(report["held"]) and peak_mb <= case.megabytes
        detail = report["detail"]
        if peak_mb > case.megabytes:
            detail = f"peak {peak_mb:.0f} MB over {case.megabytes:.0f} MB; {detail}"
        return held, wall, peak_mb, detail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="cases to run (default: all)")
    parser.add_argument("--area", help="only the cases of this area (module name)")
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--tmp", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _run_one(args.child, args.tmp)
        return
    cases = all_cases()
    chosen = [
        (area, case)
        for name, (area, case) in cases.items()
        if (not args.names or name in args.names) and (not args.area or area == args.area)
    ]
    unknown = set(args.names) - set(cases)
    if unknown:
        raise SystemExit(f"no such case: {', '.join(sorted(unknown))}")
    if args.list:
        for area, case in chosen:
            print(f"{area:12} {case.name:36} {case.finding}")
        return
    print(f"{'area':12} {'case':36} {'wall s':>7} {'limit':>6} {'peak MB':>8}  held  detail")
    held_count = 0
    for area, case in chosen:
        held, wall, peak, detail = _measure(case.name, case)
        held_count += held
        mark = "yes" if held else "NO"
        print(
            f"{area:12} {case.name:36} {wall:7.1f} {case.seconds:6.0f} {peak:8.0f}  "
            f"{mark:4}  {detail[:120]}",
            flush=True,
        )
    print(f"{held_count} of {len(chosen)} cases held (load {os.getloadavg()[0]:.1f})")
    if held_count < len(chosen):
        sys.exit(1)


if __name__ == "__main__":
    main()
