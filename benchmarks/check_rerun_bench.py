"""What `mesorefs check` costs an author: cold, rerun unchanged, rerun after an edit.

Each run is a fresh `mesorefs check --json` process with its own cache folder
(``MESOREFS_CACHE_DIR``), on two documents:

- the bundled example (``mesorefs check`` without arguments);
- a 40-reference document built from SciFact dev (seeded): claims, each citing its
  SciFact ``cited_doc_ids`` with ``[@key]``, taken in a seeded order until their cited
  abstracts make 40 references (title and abstract each, written as a .bib).

Three ways to run it, interleaved in each round:

- cold: an empty cache folder (every passage embedded, the model loaded);
- rerun: the same document again over the cache the previous run left;
- edit: the document with one sentence changed (a different edit each round, so the
  edited claim is new to the cache) over that cache.

The figure is the median CPU time of the child (user + system) and its median wall
time, with the load average seen while measuring (the box has two cores shared with
others: wall time measures the neighbours too).  The children keep their compiled
bytecode in a temporary folder (``PYTHONPYCACHEPREFIX``), as an installed package has
it, even where ``PYTHONDONTWRITEBYTECODE`` is set; one unmeasured run per source tree
compiles it first.  ``--src`` runs another source tree's
``mesorefs`` beside this one's (its ``src`` folder on ``PYTHONPATH``), in the same
rounds, for a before/after in one run.  Run by hand, never in CI::

    python benchmarks/check_rerun_bench.py [--rounds 7] [--src /path/to/other/src]

Targets (issue 32): rerun of the example <= 0.4 s wall, of a 40-reference document
<= 1 s.  Figures: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _data import REPO, SCIFACT, require
from _timing import cpu_now, load

N_REFERENCES = 40
SEED = 0


def scifact_document(n_references: int = N_REFERENCES, seed: int = SEED) -> tuple[str, list[Any]]:
    """(Markdown text, references): SciFact dev claims citing their abstracts with [@key]."""
    from mesorefs.models import Reference

    corpus = {}
    with open(require(SCIFACT / "corpus.jsonl"), encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            corpus[doc["doc_id"]] = doc
    with open(SCIFACT / "claims_dev.jsonl", encoding="utf-8") as handle:
        claims = [json.loads(line) for line in handle]
    random.Random(seed).shuffle(claims)
    chosen: list[int] = []
    sentences: list[str] = []
    for claim in claims:
        cited = [d for d in claim["cited_doc_ids"] if d not in chosen]
        if len(chosen) + len(cited) > n_references:
            continue
        chosen += cited
        text = claim["claim"].strip().rstrip(".")
        keys = "; ".join(f"@sf{d}" for d in claim["cited_doc_ids"])
        sentences.append(f"{text} [{keys}].")
        if len(chosen) == n_references:
            break
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
    text = "# Findings\n\n" + "\n\n".join(paragraphs) + "\n"
    references = [
        Reference(
            key=f"sf{d}",
            type="article-journal",
            title=corpus[d]["title"],
            abstract=" ".join(corpus[d]["abstract"]),
        )
        for d in chosen
    ]
    return text, references


def edited(text: str, anchor: str, round_: int) -> str:
    """``text`` with the sentence starting ``anchor`` changed: a new number each round,
    so the edited claim is new to the cache."""
    at = text.index(anchor)
    return f"{text[:at]}In cohort {round_ + 2}, {text[at].lower()}{text[at + 1 :]}"


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float, bytes]:
    """(CPU s of the child, wall s, standard output) of one run of ``argv``."""
    before = cpu_now()
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, env=env, check=False)
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr.decode()[-2000:]}")
    return cpu_now() - before, wall, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--src", action="append", default=[], help="another src folder")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    trees = {"this": str(REPO / "src")}
    trees.update({f"other{i + 1}": str(Path(s).resolve()) for i, s in enumerate(args.src)})
    text, references = scifact_document()
    from mesorefs.library import Library

    example = REPO / "src" / "mesorefs" / "examples" / "mesotherapy"
    article = (example / "article.txt").read_text(encoding="utf-8")
    seconds: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    loads: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "refs.bib").write_text(Library(references).to_bibtex(), encoding="utf-8")
        (work / "doc.md").write_text(text, encoding="utf-8")
        # document: (its argv, its edited argv, the edited file, its text, the sentence edited)
        documents = {
            "example": (
                ["check"],
                ["check", str(work / "article.txt"), "--bib", str(example / "references.bib")],
                work / "article.txt",
                article,
                "Mesotherapy is a type of therapy",
            ),
            "40 refs": (
                ["check", str(work / "doc.md"), "--bib", str(work / "refs.bib")],
                ["check", str(work / "edit.md"), "--bib", str(work / "refs.bib")],
                work / "edit.md",
                text,
                text.partition("\n\n")[2][:20],
            ),
        }
        print(
            f"40-reference document: {text.count('[@')} claims, "
            f"{len(references)} references (SciFact dev, seed {SEED})"
        )
        bytecode = {"PYTHONPYCACHEPREFIX": str(work / "pycache")}
        base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        for tree, src in trees.items():  # compile the bytecode: not measured
            env = {**base_env, **bytecode, "PYTHONPATH": src}
            env["MESOREFS_CACHE_DIR"] = str(work / f"warm-up-{tree}")
            _run([sys.executable, "-m", "mesorefs", "--version"], env)
            _run([sys.executable, "-m", "mesorefs", "check", "--json"], env)
        for round_ in range(args.rounds):
            loads.append(load())
            for tree, src in trees.items():
                for doc, (argv, argv_edit, edit_file, original, anchor) in documents.items():
                    edit_file.write_text(edited(original, anchor, round_), encoding="utf-8")
                    cache = work / f"cache-{tree}-{doc.replace(' ', '')}-{round_}"
                    env = {**base_env, **bytecode, "PYTHONPATH": src}
                    env["MESOREFS_CACHE_DIR"] = str(cache)
                    cmd = [sys.executable, "-m", "mesorefs"]
                    runs = (
                        ("cold", [*cmd, *argv, "--json"]),
                        ("rerun", [*cmd, *argv, "--json"]),
                        ("edit", [*cmd, *argv_edit, "--json"]),
                    )
                    for mode, run in runs:
                        cpu, wall, _ = _run(run, env)
                        seconds.setdefault((tree, doc, mode), []).append((cpu, wall))
        loads.append(load())
    print(f"{args.rounds} interleaved rounds, load {min(loads):.2f}-{max(loads):.2f} (2 cores)")
    print(f"{'tree':8s} {'document':9s} {'mode':6s} {'CPU s':>7s} {'wall s':>7s} {'min wall':>8s}")
    for (tree, doc, mode), runs in seconds.items():
        cpu = statistics.median(c for c, _ in runs)
        wall = statistics.median(w for _, w in runs)
        least = min(w for _, w in runs)
        print(f"{tree:8s} {doc:9s} {mode:6s} {cpu:7.3f} {wall:7.3f} {least:8.3f}")
    print("CPU and wall: medians over the rounds; min wall: the least wait seen")
    for tree, src in trees.items():
        print(f"{tree}: {src}")


if __name__ == "__main__":
    main()
