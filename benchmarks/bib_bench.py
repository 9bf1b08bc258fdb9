"""Read, normalize and write a generated 10,000-entry .bib beside bibtexparser v2 and pybtex.

All contenders read and write the same generated text in the same run:

- mesorefs' full pipeline (read -> References -> keys -> BibTeX);
- bibtexparser v2's bare parse + write;
- pybtex's parse + write (``pip install -e '.[bench]'``);
- bibtex-tidy with its defaults, run by node (``(cd benchmarks/csl && npm install)``);
  its figure includes starting node (about 0.05 s), and its CPU time is node's.

Warm: the contenders alternate (A, B, C, A, B, C ...) for ``--rounds`` rounds in one
process; each figure is the median CPU time.  Cold: each contender's one pass in a
fresh interpreter (no warm caches), alternating too, median of ``--cold-rounds``.
Ratios are mesorefs over each peer (target <= 2x bibtexparser, >= 2,000 entries/s).

    python benchmarks/bib_bench.py [--entries 10000] [--rounds 5] [--cold-rounds 3]

Figures, dates and load: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
from collections.abc import Callable
from pathlib import Path

import bibtexparser

from _timing import cold_cpu, cpu, interleaved, load
from mesorefs.library import Library
from mesorefs.months import ABBREVIATIONS

FAMILIES = [
    "Rotunda",
    "Kolodney",
    "Müller",
    "Ødegård",
    "García Márquez",
    "van der Berg",
    "Łukasz",
    "Amin",
    "Phelps",
    "Goldberg",
    "Sivagnanam",
    "Konda",
    "Thappa",
    "O'Neil",
    "Smith",
]
GIVEN = ["Adam M.", "Michael S.", "Åse", "Jürgen", "S. P.", "Devinder Mohan", "Zoë", "René"]
WORDS = [
    "mesotherapy",
    "injection",
    "lipolysis",
    "review",
    "clinical",
    "skin",
    "rejuvenation",
    "phosphatidylcholine",
    "fat",
    "DNA",
    "COVID-19",
    "evaluation",
    "histologic",
    "Europe",
    "randomized",
    "trial",
    "cellulite",
    "théorie",
    "naïve",
    "effect",
    "mRNA",
    "outcomes",
]
JOURNALS = [
    "Dermatologic Surgery",
    "Plastic and Reconstructive Surgery",
    "Journal of Pharmacology & Pharmacotherapeutics",
    "Indian Journal of Dermatology, Venereology and Leprology",
]
MONTHS = ABBREVIATIONS
LATEX = {
    "ü": r"{\"u}",
    "Ø": r"{\O}",
    "ø": r"{\o}",
    "á": r"{\'a}",
    "í": r"{\'\i}",
    "Ł": r"{\L}",
    "Å": r"{\AA}",
    "é": r"{\'e}",
    "ë": r"{\"e}",
    "ï": r"{\"\i}",
}


def latex(text: str) -> str:
    return "".join(LATEX.get(ch, ch) for ch in text)


SYLLABLES = [
    "ro",
    "tun",
    "da",
    "kol",
    "od",
    "ney",
    "mül",
    "ler",
    "gar",
    "cía",
    "már",
    "quez",
    "łu",
    "kasz",
    "ødeg",
    "ård",
    "a",
    "min",
    "phel",
    "ps",
    "gold",
    "berg",
    "si",
    "vag",
    "nan",
    "am",
    "kon",
    "thap",
    "pa",
    "smi",
    "th",
    "ren",
    "é",
    "zo",
    "ë",
    "ko",
    "va",
    "chen",
    "wang",
    "li",
    "ngu",
    "yen",
    "san",
    "tos",
    "fer",
    "rei",
    "ra",
    "ma",
    "ti",
]


def pool(rng: random.Random, size: int, parts: tuple[int, int]) -> list[str]:
    """``size`` distinct made-up names, so caches see realistic (not tiny) variety."""
    names: set[str] = set()
    while len(names) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(*parts)))
        names.add(word.capitalize())
    return sorted(names)


def generate(n: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    families = FAMILIES + pool(rng, max(50, n // 2), (2, 4))
    givens = GIVEN + pool(rng, max(20, n // 20), (1, 3))
    journals = JOURNALS + [
        f"Journal of {w} {v}"
        for w, v in zip(
            pool(rng, max(10, n // 50), (2, 3)), pool(rng, max(10, n // 50), (2, 4)), strict=True
        )
    ]
    words = WORDS + [w.lower() for w in pool(rng, 2000, (2, 4))]
    entries = []
    for i in range(n):
        authors = " and ".join(
            f"{latex(rng.choice(families))}, {latex(rng.choice(givens))}"
            for _ in range(rng.randint(1, 6))
        )
        title = latex(" ".join(rng.choice(words) for _ in range(rng.randint(4, 12))).capitalize())
        start = rng.randint(1, 2000)
        journal = latex(rng.choice(journals)).replace("&", "\\&")
        entries.append(
            f"@article{{key{i},\n"
            f"  author = {{{authors}}},\n"
            f"  title = {{{title}}},\n"
            f"  journal = {{{journal}}},\n"
            f"  year = {rng.randint(1950, 2025)},\n"
            f"  month = {rng.choice(MONTHS)},\n"
            f"  volume = {{{rng.randint(1, 120)}}},\n"
            f"  number = {{{rng.randint(1, 12)}}},\n"
            f"  pages = {{{start}--{start + rng.randint(1, 30)}}},\n"
            f"  doi = {{10.{rng.randint(1000, 99999)}/x.{i}}},\n"
            f"}}\n"
        )
    return "\n".join(entries)


def mesorefs_pipeline(text: str) -> str:
    return Library.from_bibtex(text).with_keys().to_bibtex()


def bibtexparser_bare(text: str) -> str:
    library = bibtexparser.parse_string(text)
    stack = bibtexparser.middlewares.parsestack.default_unparse_stack(
        allow_inplace_modification=True
    )
    result: str = bibtexparser.write_string(library, unparse_stack=stack)
    return result


def pybtex_bare(text: str) -> str:
    from pybtex.database import parse_string

    result: str = parse_string(text, "bibtex").to_string("bibtex")
    return result


TIDY_JS = Path(__file__).resolve().parent / "csl" / "tidy.js"


def bibtex_tidy(text: str) -> str:
    done = subprocess.run(
        ["node", str(TIDY_JS)], input=text, capture_output=True, text=True, check=True
    )
    return done.stdout


CONTENDERS: dict[str, Callable[[str], str]] = {
    "mesorefs full pipeline": mesorefs_pipeline,
    "bibtexparser parse+write": bibtexparser_bare,
    "pybtex parse+write": pybtex_bare,
    "bibtex-tidy (node)": bibtex_tidy,
}


def available() -> list[str]:
    names = list(CONTENDERS)
    try:
        import pybtex  # noqa: F401
    except ImportError:
        print("pybtex not installed (pip install -e '.[bench]'): left out")
        names.remove("pybtex parse+write")
    if not shutil.which("node") or not (TIDY_JS.parent / "node_modules" / "bibtex-tidy").is_dir():
        print("bibtex-tidy not installed ((cd benchmarks/csl && npm install)): left out")
        names.remove("bibtex-tidy (node)")
    return names


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("entries", nargs="?", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--entries", dest="n", type=int, default=10_000, help="entries to generate")
    parser.add_argument("--rounds", type=int, default=5, help="warm interleaved rounds")
    parser.add_argument("--cold-rounds", type=int, default=3, help="fresh processes per contender")
    parser.add_argument("--cold-pass", choices=list(CONTENDERS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    n = args.entries or args.n
    text = generate(n)
    if args.cold_pass:  # one pass in this fresh process; the caller reads the last line
        print(cpu(lambda: CONTENDERS[args.cold_pass](text)))
        return
    names = available()
    print(f"{n} entries, {len(text) / 1e6:.1f} MB of BibTeX")
    script = Path(__file__).resolve()
    cold: dict[str, list[float]] = {name: [] for name in names}
    cold_load = [load()]
    for _ in range(args.cold_rounds):
        for name in names:
            cold[name].append(cold_cpu(script, "--entries", str(n), "--cold-pass", name))
    cold_load.append(load())
    rounds = interleaved(
        [(name, lambda f=CONTENDERS[name]: f(text)) for name in names], args.rounds
    )
    ours = "mesorefs full pipeline"
    print(
        f"cold: one pass in a fresh process, CPU s, median of {args.cold_rounds} "
        f"(load {min(cold_load):.2f}-{max(cold_load):.2f})"
    )
    for name in names:
        seconds = statistics.median(cold[name])
        print(f"  {name:28s} {seconds:7.2f} s  {n / seconds:9.0f} entries/CPU-s")
    print(f"warm: CPU s, median of {args.rounds} interleaved rounds ({rounds.load})")
    for name in names:
        seconds = rounds.median(name)
        print(
            f"  {name:28s} {seconds:7.2f} s  {n / seconds:9.0f} entries/CPU-s"
            f"  rounds {rounds.spread(name)}"
        )
    for peer in names[1:]:
        cold_ratio = statistics.median(cold[ours]) / statistics.median(cold[peer])
        print(
            f"mesorefs / {peer}: cold {cold_ratio:.2f}x, warm {rounds.ratio(ours, peer):.2f}x"
            + (" (target <= 2x)" if peer.startswith("bibtexparser") else "")
        )


if __name__ == "__main__":
    main()
