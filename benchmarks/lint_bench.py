"""Lint a generated 10,000-entry .bib offline and print how long it takes.

    python benchmarks/lint_bench.py [--entries 10000] [--repeat 3]

The .bib is generated deterministically: varied entry types, journals written
several ways, some duplicates, bad DOIs, truncated fields and future years, so
every offline check has work to do.  Reading the .bib (the codec) is timed
separately from linting, since ``mesorefs lint`` pays both; the target (< 5 s)
is for lint itself.  Times are CPU seconds (the box is shared), with the load; the
first run is cold (a fresh process: empty caches), the median is over all runs.

Figures, dates and load: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections import Counter

from mesorefs.library import Library
from mesorefs.lint import lint

_JOURNALS = [
    ("Plastic and Reconstructive Surgery", "Plast Reconstr Surg"),
    ("Dermatologic Surgery", "Dermatol Surg"),
    ("Journal of Pharmacology & Pharmacotherapeutics", "J Pharmacol Pharmacother"),
    ("Indian Journal of Dermatology, Venereology and Leprology", "Indian J Dermatol"),
]
_WORDS = "mesotherapy injection skin fat cellulite review trial outcome dermal study".split()
_FAMILIES = ["Rohrich", "Rotunda", "Vedamurthy", "Matarasso", "Konda", "Amin", "Müller", "Øster"]


def generate(n: int, seed: int = 9) -> str:
    """A .bib of ``n`` entries with a realistic share of problems."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        family = rng.choice(_FAMILIES)
        year = rng.choice([1998, 2005, 2010, 2019, 2023, 2999 if i % 97 == 0 else 2020])
        title = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 9))).capitalize()
        journal, short = rng.choice(_JOURNALS)
        if i % 13 == 0:
            journal = journal.lower()
        if i % 31 == 0:
            journal = journal.split(" ")[0] + " and …"
        doi = f"10.{1000 + i % 50}/bench.{i}"
        if i % 41 == 0:
            doi = f"10.12/bad {i}"
        if i % 53 == 0:
            doi = f"10.{1000 + (i - 1) % 50}/bench.{i - 1}"  # same work as the previous entry
        kind = "article" if i % 9 else "book"
        venue = f"  journal = {{{journal}}},\n" if kind == "article" else "  publisher = {P},\n"
        out.append(
            f"@{kind}{{{family.lower()}{year}k{i},\n"
            f"  author = {{{family}, A. and Smith, B. C.}},\n"
            f"  title = {{{title}}},\n"
            f"{venue}"
            f"  shortjournal = {{{short}}},\n"
            f"  year = {{{year}}},\n"
            f"  volume = {{{i % 120}}},\n"
            f"  pages = {{{i % 900}--{i % 900 + 7}}},\n"
            + (f"  doi = {{{doi}}},\n" if i % 7 else "")
            + "}\n"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    text = generate(args.entries)
    start = time.process_time()
    library = Library.from_bibtex(text, "bench.bib")
    read_seconds = time.process_time() - start

    timings = []
    findings = []
    loads = [os.getloadavg()[0]]
    for _ in range(args.repeat):
        start = time.process_time()
        findings = lint(library, source_text=text, path="bench.bib", year=2025)
        timings.append(time.process_time() - start)
    loads.append(os.getloadavg()[0])

    counts = Counter(f.check for f in findings)
    print(f"entries: {len(library):,} (read by the codec in {read_seconds:.2f} CPU s)")
    print(
        f"lint offline, CPU s (load {min(loads):.2f}-{max(loads):.2f}): cold (first run) "
        f"{timings[0]:.2f} s, median {statistics.median(timings):.2f} s over {args.repeat} "
        f"runs (target < 5 s)"
    )
    print(
        f"findings: {len(findings):,}  " + "  ".join(f"{k}={v}" for k, v in sorted(counts.items()))
    )


if __name__ == "__main__":
    main()
