"""What a command costs before it does any work: start-up of `mesorefs` beside its peers.

In a pre-commit hook over many files, start-up is the cost users feel.  Each contender
is a fresh process, run in interleaved rounds; the figure is the median CPU time of the
child (user + system) and its wall time.  Two settings, measured apart:

- warm: Python's bytecode cache is in place, as after an install (pip compiles every
  module) or any earlier run; ``PYTHONDONTWRITEBYTECODE`` is removed from the children's
  environment and one untimed run of each contender fills the cache first;
- cold (``--cold``): no bytecode is read or written (``PYTHONDONTWRITEBYTECODE=1`` and
  a ``PYTHONPYCACHEPREFIX`` in an empty temporary folder), so every module is compiled
  on every run: what the first run of a fresh checkout costs.

Contenders:

- `mesorefs --version` (the installed console script), `python -c "import mesorefs"`;
- `mesorefs tidy --check` of a 10-entry file (the repository's references.bib, 7
  entries, plus 3 more);
- peers: `python -c "import bibtexparser"` + parse and write of the same file, and
  bibtex-tidy's `--version` (node, when benchmarks/csl has been npm-installed).

``--src`` runs another source tree's ``mesorefs`` beside this one's (its ``src`` folder on
``PYTHONPATH``, which wins over the installed package), in the same rounds, for a
before/after in one run::

    python benchmarks/startup_bench.py [--rounds 15] [--cold] [--src /path/to/other/src]

Targets (issue 32): `mesorefs --version` <= 0.12 s, `tidy` of a 10-entry file <= 0.2 s.
Figures: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _data import REPO
from _timing import load

TEN_MORE = """
@article{a2020one, title = {One}, author = {Doe, J.}, journal = {J}, year = {2020}}
@book{b2019two, title = {Two}, author = {Roe, R.}, publisher = {P}, year = {2019}}
@misc{c2018three, title = {Three}, author = {Poe, E.}, year = {2018}}
"""


def _children_cpu() -> float:
    """CPU seconds of the waited-for children, to the microsecond: ``os.times`` counts in
    clock ticks (10 ms), a tenth of a ``--version`` run."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU s of the child, wall s) of one run of ``argv``."""
    before = _children_cpu()
    started = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=False, env=env)
    return _children_cpu() - before, time.perf_counter() - started


def _environment(folder: Path, *, cold: bool) -> dict[str, str]:
    """The children's environment: bytecode cache used (warm) or never read (cold)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPYCACHEPREFIX", None)
    if cold:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        empty = folder / "no-pycache"
        empty.mkdir(exist_ok=True)
        env["PYTHONPYCACHEPREFIX"] = str(empty)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--cold", action="store_true", help="no bytecode cache (see above)")
    parser.add_argument("--src", action="append", default=[], help="another src folder")
    args = parser.parse_args()
    py = sys.executable
    script = Path(py).parent / "mesorefs"
    mesorefs = [str(script)] if script.exists() else [py, "-m", "mesorefs"]
    trees = {"this": str(REPO / "src")}
    trees.update({f"other{i + 1}": str(Path(s).resolve()) for i, s in enumerate(args.src)})
    with tempfile.TemporaryDirectory() as folder:
        base_env = _environment(Path(folder), cold=args.cold)
        bib = Path(folder) / "ten.bib"
        bib.write_text((REPO / "references.bib").read_text(encoding="utf-8") + TEN_MORE)
        peer = (
            "import bibtexparser,sys;"
            "bibtexparser.write_string(bibtexparser.parse_string(open(sys.argv[1]).read()))"
        )
        # name: (argv, environment); each tree's mesorefs with its src on PYTHONPATH
        contenders: dict[str, tuple[list[str], dict[str, str]]] = {}
        for tree, src in trees.items():
            env = {**base_env, "PYTHONPATH": src}
            tag = "" if tree == "this" else f" [{tree}]"
            contenders[f"mesorefs --version{tag}"] = ([*mesorefs, "--version"], env)
            contenders[f"import mesorefs{tag}"] = ([py, "-c", "import mesorefs"], env)
            contenders[f"mesorefs tidy --check (10 entries){tag}"] = (
                [*mesorefs, "tidy", "--check", str(bib)],
                env,
            )
        contenders["bibtexparser parse+write (10 entries)"] = ([py, "-c", peer, str(bib)], base_env)
        contenders["python -c pass"] = ([py, "-c", "pass"], base_env)
        tidy_js = REPO / "benchmarks" / "csl" / "node_modules" / ".bin" / "bibtex-tidy"
        if tidy_js.exists() and shutil.which("node"):
            contenders["bibtex-tidy --version (node)"] = ([str(tidy_js), "--version"], base_env)
        cpu: dict[str, list[float]] = {name: [] for name in contenders}
        wall: dict[str, list[float]] = {name: [] for name in contenders}
        if not args.cold:
            for argv, env in contenders.values():  # fills the bytecode cache, untimed
                _run(argv, env)
        loads = [load()]
        for _ in range(args.rounds):
            for name, (argv, env) in contenders.items():
                c, w = _run(argv, env)
                cpu[name].append(c)
                wall[name].append(w)
            loads.append(load())
    setting = "cold: no bytecode cache" if args.cold else "warm: bytecode cache in place"
    print(f"{args.rounds} interleaved rounds, {setting}, load {min(loads):.2f}-{max(loads):.2f}")
    print(f"mesorefs run as: {' '.join(mesorefs)}")
    print(f"{'command':50} {'CPU s':>7} {'wall s':>7}")
    for name in contenders:
        print(f"{name:50} {statistics.median(cpu[name]):7.3f} {statistics.median(wall[name]):7.3f}")
    for tree, src in trees.items():
        print(f"{tree}: {src}")


if __name__ == "__main__":
    main()
