"""Read, normalize and write a generated 10,000-entry .bib; compare with bibtexparser and pybtex.

Run by hand:  python benchmarks/bib_bench.py [N]   (needs `pip install -e '.[bench]'` for pybtex)

Prints entries per second for the full mesorefs pipeline (read -> References ->
keys -> BibTeX), bibtexparser's bare parse+write and pybtex's parse+write, all
on the same text in the same run, best of three.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable

import bibtexparser

from mesorefs.library import Library

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
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
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


def best_of(runs: int, func: Callable[[str], str], text: str) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func(text)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    text = generate(n)
    print(f"{n} entries, {len(text) / 1e6:.1f} MB of BibTeX; best of 3 runs")
    results = {}
    contenders: list[tuple[str, Callable[[str], str]]] = [
        ("mesorefs full pipeline", mesorefs_pipeline),
        ("bibtexparser parse+write", bibtexparser_bare),
    ]
    try:
        import pybtex  # noqa: F401

        contenders.append(("pybtex parse+write", pybtex_bare))
    except ImportError:
        print("pybtex not installed: pip install -e '.[bench]'")
    for name, func in contenders:
        seconds = best_of(3, func, text)
        results[name] = seconds
        print(f"{name:28s} {seconds:7.2f} s  {n / seconds:9.0f} entries/s")
    ratio = results["mesorefs full pipeline"] / results["bibtexparser parse+write"]
    print(f"mesorefs / bibtexparser time ratio: {ratio:.2f} (target <= 2.0; >= 2,000 entries/s)")


if __name__ == "__main__":
    main()
