"""Install weight: what `pip install .` and each light extra cost, in fresh virtual environments.

Each install goes into a new virtual environment in a temporary folder (deleted after),
from this checkout, with pip's cache off (``--cache`` keeps it), so every package is
fetched and unpacked as on a fresh machine (the index is whatever pip is configured to
use; a local mirror makes the time mostly unpacking). For each: wall seconds, CPU
seconds of pip and its children, the environment's growth on disk, the distributions
added, and the largest of them. Then, in the base environment, which of the heavy
dependencies `import mesorefs` and `import mesorefs.cli` (what the `mesorefs` script
loads before any command) bring in.

Skipped: `dense` and `nli` (torch, several hundred MB, and a CUDA build unless pinned),
`browser` (playwright's browsers are a separate download), `bench` (peers, not mesorefs).

    python benchmarks/install_bench.py [--extras test,docs,scale,pdf] [--editable] [--cache]

Figures: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _data import REPO
from _timing import load

LIGHT_EXTRAS = ("test", "docs", "scale", "pdf")
SKIPPED = {
    "dense": "torch (sentence-transformers)",
    "nli": "torch",
    "browser": "playwright's browsers are a separate download",
    "bench": "peers for the benchmarks, not mesorefs",
}
# Dependencies worth knowing about at start-up: (import name, distribution).
HEAVY = (
    "numpy", "onnxruntime", "tokenizers", "bm25s", "rich", "pypandoc", "requests",
    "requests_cache", "pydantic", "bibtexparser", "pycrfsuite", "rapidfuzz", "rispy",
    "pylatexenc", "pyarrow", "dask", "distributed", "tantivy", "fsspec",
)  # fmt: skip

_SIZES = r"""
import json, importlib.metadata as md
out = {}
for dist in md.distributions():
    size = 0
    for f in dist.files or ():
        try:
            size += f.locate().stat().st_size
        except OSError:
            pass
    out[dist.metadata["Name"]] = size
print(json.dumps(out))
"""

_IMPORTS = r"""
import json, sys
heavy = %r
import mesorefs
after_package = sorted(name for name in heavy if name in sys.modules)
import mesorefs.cli
after_cli = sorted(name for name in heavy if name in sys.modules)
print(json.dumps({"import mesorefs": after_package, "import mesorefs.cli": after_cli}))
"""


@dataclass
class Install:
    label: str
    wall: float
    cpu: float
    grown: int  # bytes the environment grew by
    added: dict[str, int]  # distribution -> bytes


def _tree_size(path: Path) -> int:
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):  # a file gone while walking
                total += os.lstat(os.path.join(folder, name)).st_size
    return total


def _env() -> dict[str, str]:
    """The environment for the new interpreter: nothing pointing at this checkout's code."""
    env = dict(os.environ)
    for name in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"):
        env.pop(name, None)
    return env


def _python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _distributions(venv: Path) -> dict[str, int]:
    done = subprocess.run(
        [_python(venv), "-c", _SIZES], env=_env(), capture_output=True, text=True, check=True
    )
    sizes: dict[str, int] = json.loads(done.stdout)
    return sizes


def _children_cpu() -> float:
    t = os.times()
    return t.children_user + t.children_system


def measure(label: str, spec: str, *, editable: bool, cache: bool, keep: Path | None) -> Install:
    """Install ``spec`` into a new venv; ``keep`` is where to leave it (else it is deleted)."""
    with tempfile.TemporaryDirectory(prefix="mesorefs-install-") as tmp:
        venv = keep if keep is not None else Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=_env())
        before_size = _tree_size(venv)
        before = _distributions(venv)
        argv = [str(_python(venv)), "-m", "pip", "install", "-q"]
        if not cache:
            argv.append("--no-cache-dir")
        argv += ["-e", spec] if editable else [spec]
        cpu0, wall0 = _children_cpu(), time.monotonic()
        subprocess.run(argv, check=True, env=_env(), cwd=REPO)
        wall, cpu = time.monotonic() - wall0, _children_cpu() - cpu0
        grown = _tree_size(venv) - before_size
        after = _distributions(venv)
    added = {name: size for name, size in after.items() if name not in before}
    return Install(label, wall, cpu, grown, added)


def _mb(size: int) -> str:
    return f"{size / 1e6:,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extras", default=",".join(LIGHT_EXTRAS), help="comma-separated")
    parser.add_argument("--editable", action="store_true", help="pip install -e (the README's)")
    parser.add_argument("--cache", action="store_true", help="keep pip's cache on")
    parser.add_argument("--top", type=int, default=8, help="largest distributions to list")
    args = parser.parse_args()
    extras = [e for e in args.extras.split(",") if e]
    loads = [load()]
    results: list[Install] = []
    with tempfile.TemporaryDirectory(prefix="mesorefs-install-base-") as base_tmp:
        base_venv = Path(base_tmp) / "venv"
        base = measure("base", ".", editable=args.editable, cache=args.cache, keep=base_venv)
        results.append(base)
        loads.append(load())
        done = subprocess.run(
            [_python(base_venv), "-c", _IMPORTS % (HEAVY,)],
            env=_env(),
            capture_output=True,
            text=True,
            check=True,
            cwd=base_tmp,
        )
        imports: dict[str, list[str]] = json.loads(done.stdout)
    for extra in extras:
        results.append(
            measure(
                f"base + {extra}",
                f".[{extra}]",
                editable=args.editable,
                cache=args.cache,
                keep=None,
            )
        )
        loads.append(load())

    how = "pip install -e" if args.editable else "pip install"
    cache = "pip cache on" if args.cache else "pip cache off"
    python = sys.version.split()[0]
    print(f"{how} of {REPO.name}, each into a fresh venv ({cache}); Python {python}")
    print(f"load average {min(loads):.1f}-{max(loads):.1f} (2 cores)\n")
    print("| install | wall s | CPU s | disk MB | distributions | over base: MB, distributions |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for r in results:
        extra_mb = r.grown - base.grown
        extra_n = len(r.added) - len(base.added)
        over = "—" if r is base else f"+{_mb(extra_mb)} MB, +{extra_n}"
        print(
            f"| {r.label} | {r.wall:.0f} | {r.cpu:.0f} | {_mb(r.grown)} | {len(r.added)} | {over} |"
        )
    print(f"\nlargest distributions of the base install (MB, of {_mb(base.grown)}):")
    for name, size in sorted(base.added.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {name:28} {_mb(size):>5}")
    for r in results[1:]:
        new = {n: s for n, s in r.added.items() if n not in base.added}
        top = sorted(new.items(), key=lambda kv: -kv[1])[:5]
        print(f"{r.label} adds most: " + ", ".join(f"{n} {_mb(s)}" for n, s in top))
    print("\nheavy dependencies loaded at start-up (base install):")
    for step, names in imports.items():
        print(f"  {step}: {', '.join(names) or 'none of them'}")
    print("\nnot measured: " + "; ".join(f"{k} ({v})" for k, v in SKIPPED.items()))


if __name__ == "__main__":
    main()
