"""Hand-written pieces beside the libraries that could replace them (issue 30).

Prints, for each piece, how the library measures on our data against ours; a part whose
library is not installed says so and is left out (the libraries are not dependencies):

- ISBN / ISSN / ORCID (``mesorefs.identifiers``) vs python-stdnum: the same answer on
  random strings (about 9 % valid) and written forms, microseconds a call;
- sentence splitting (``mesorefs.claims.document.split_sentences``) vs pysbd: boundary
  P/R/F1 on SciFact abstracts (gold: the corpus's sentence lists), CPU seconds;
- Markdown blocks (``mesorefs.claims.document``) vs markdown-it-py: which lines start a
  heading, paragraph or list item in shared/'s and the repository's Markdown, CPU s;
- the import time each library adds on top of what mesorefs already loads.

    python benchmarks/library_bench.py [--abstracts 1000] [--strings 20000]

Figures and the decisions they led to: docs/architecture.md ("Hand-written, or a
library?").  The retry measure there (the seconds the resolve tests' fake clock is asked
to wait) comes from the tests, not from this script.
"""

from __future__ import annotations

import argparse
import glob
import importlib
import importlib.util
import json
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _data import DATA, REPO, SCIFACT, require
from mesorefs import identifiers as ids
from mesorefs.claims.document import _markdown_blocks, split_sentences
from mesorefs.errors import InvalidIdentifier


def _have(module: str) -> bool:
    if importlib.util.find_spec(module) is None:
        print(f"  ({module} is not installed: left out)")
        return False
    return True


def _best_cpu(fn: Callable[[str], Any], cases: list[str]) -> float:
    """The least CPU seconds of three passes of ``fn`` over ``cases``."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for case in cases:
            fn(case)
        best = min(best, time.process_time() - start)
    return best


def _per_call_us(fn: Callable[[str], Any], cases: list[str]) -> float:
    return _best_cpu(fn, cases) / len(cases) * 1e6


def identifiers(n: int) -> None:
    print("ISBN / ISSN / ORCID: mesorefs.identifiers vs python-stdnum")
    if not _have("stdnum"):
        return
    from stdnum import isbn, issn
    from stdnum.exceptions import ValidationError
    from stdnum.iso7064 import mod_11_2

    def ours(normalize: Callable[[str], str]) -> Callable[[str], str | None]:
        def run(text: str) -> str | None:
            try:
                return normalize(text)
            except InvalidIdentifier:
                return None

        return run

    def lib_isbn(text: str) -> str | None:
        try:
            return str(isbn.to_isbn13(isbn.validate(text))).replace("-", "")
        except ValidationError:
            return None

    def lib_issn(text: str) -> str | None:
        try:
            return str(issn.format(issn.validate(text)))
        except ValidationError:
            return None

    def lib_orcid(text: str) -> str | None:
        compact = text.replace("-", "").upper()
        if len(compact) != 16 or not compact[:15].isdigit():
            return None
        try:
            mod_11_2.validate(compact)
        except ValidationError:
            return None
        return "-".join(compact[i : i + 4] for i in range(0, 16, 4))

    rng = random.Random(0)

    def digits(k: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(k))

    cases: dict[str, list[str]] = {"isbn": [], "issn": [], "orcid": []}
    for _ in range(n):
        cases["isbn"].append(digits(9) + rng.choice("0123456789X"))
        cases["isbn"].append("97" + rng.choice("89") + digits(10))
        cases["issn"].append(f"{digits(4)}-{digits(3)}{rng.choice('0123456789X')}")
        last = digits(3) + rng.choice("0123456789X")
        cases["orcid"].append(f"{digits(4)}-{digits(4)}-{digits(4)}-{last}")
    cases["isbn"] += [
        "978-0-306-40615-7",
        "ISBN-10: 0-306-40615-2",
        "0306406152.",
        "979-10-90636-07-1",
    ]
    cases["issn"] += ["0378-5955", "eISSN: 2049-3630", "03785955", "2434-561x"]
    cases["orcid"] += ["0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097"]
    pairs = {
        "isbn": (ours(ids.normalize_isbn), lib_isbn),
        "issn": (ours(ids.normalize_issn), lib_issn),
        "orcid": (ours(ids.normalize_orcid), lib_orcid),
    }
    for kind, (mine, theirs) in pairs.items():
        texts = cases[kind]
        a, b = [mine(t) for t in texts], [theirs(t) for t in texts]
        same = sum(x == y for x, y in zip(a, b, strict=True))
        valid = sum(x is not None for x in a)
        differ = [t for t, x, y in zip(texts, a, b, strict=True) if x != y][:4]
        print(
            f"  {kind}: {len(texts)} strings, {valid} valid to mesorefs, same answer {same}; "
            f"µs a call: mesorefs {_per_call_us(mine, texts):.1f}, "
            f"stdnum {_per_call_us(theirs, texts):.1f}; differ on e.g. {differ}"
        )


def sentences(n: int) -> None:
    print(f"sentence splitting on the first {n} SciFact abstracts: mesorefs vs pysbd")
    if not _have("pysbd"):
        return
    import pysbd

    docs = []
    with require(SCIFACT / "corpus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if len(docs) >= n:
                break
            parts = [s.strip() for s in json.loads(line)["abstract"] if s.strip()]
            ends, position = set(), 0
            for part in parts[:-1]:
                position += len(part)
                ends.add(position)
                position += 1
            docs.append((" ".join(parts), ends))
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    splitters: dict[str, Callable[[str], set[int]]] = {
        "mesorefs": lambda text: {end for _, end, _ in split_sentences(text)},
        "pysbd": lambda text: {span.end for span in segmenter.segment(text)},
    }
    for name, split in splitters.items():
        tp = fp = fn = 0
        start = time.process_time()
        for text, gold in docs:
            found = {len(text[:e].rstrip()) for e in split(text) if e < len(text.rstrip())}
            tp, fp, fn = tp + len(found & gold), fp + len(found - gold), fn + len(gold - found)
        seconds = time.process_time() - start
        p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"  {name:9s} boundaries P {p:.3f} R {r:.3f} F1 {f1:.3f}; {seconds:.2f} CPU s")


def markdown() -> None:
    print("Markdown blocks: mesorefs.claims.document vs markdown-it-py (CommonMark)")
    if not _have("markdown_it"):
        return
    from markdown_it import MarkdownIt

    files = sorted(
        set(glob.glob(str(DATA / "**" / "*.md"), recursive=True))
        | {str(p) for p in (REPO / "docs").glob("*.md")}
        | {str(REPO / "README.md"), str(REPO / "benchmarks" / "README.md")}
    )
    texts = [Path(f).read_text(encoding="utf-8") for f in files]
    parser = MarkdownIt("commonmark")
    same_kind = {"title": "heading", "item": "list_item", "bibentry": "paragraph"}
    kinds = {"heading_open": "heading", "paragraph_open": "paragraph"}
    kinds["list_item_open"] = "list_item"

    def ours(text: str) -> set[tuple[str, int]]:
        return {
            (same_kind.get(b.kind, b.kind), text.count("\n", 0, b.start))
            for b in _markdown_blocks(text)
        }

    def theirs(text: str) -> set[tuple[str, int]]:
        out, depth = set(), 0
        for token in parser.parse(text):
            depth += {"list_item_open": 1, "list_item_close": -1}.get(token.type, 0)
            inner = token.type == "paragraph_open" and depth
            if token.type in kinds and token.map and not inner:
                out.add((kinds[token.type], token.map[0]))
        return out

    a, b = [ours(t) for t in texts], [theirs(t) for t in texts]
    print(f"  {len(files)} files, {sum(map(len, texts)) / 1e6:.2f} MB")
    for kind in ("heading", "list_item", "paragraph"):
        mine = [{p for p in s if p[0] == kind} for s in a]
        lib = [{p for p in s if p[0] == kind} for s in b]
        same = sum(len(x & y) for x, y in zip(mine, lib, strict=True))
        print(
            f"  {kind:10s} mesorefs {sum(map(len, mine)):5d}  markdown-it "
            f"{sum(map(len, lib)):5d}  same line {same:5d}"
        )
    for name, run in (("mesorefs", _markdown_blocks), ("markdown-it-py", parser.parse)):
        print(f"  {name}: {_best_cpu(run, texts):.3f} CPU s")


def import_costs() -> None:
    print(
        "import time a library adds after mesorefs.settings, requests, requests_cache (median of 3)"
    )
    base = "import pydantic, requests, requests_cache, mesorefs.settings, mesorefs.models"
    for module in ("stdnum.isbn", "pysbd", "pydantic_settings", "requests_ratelimiter"):
        if importlib.util.find_spec(module.split(".")[0]) is None:
            print(f"  {module}: not installed")
            continue
        timed = f"import time\nt = time.perf_counter()\nimport {module}\n"
        code = f"{base}\n{timed}print(time.perf_counter() - t)"
        runs = sorted(
            float(
                subprocess.run(
                    [sys.executable, "-c", code], capture_output=True, text=True, check=True
                ).stdout
            )
            for _ in range(3)
        )
        print(f"  {module}: {runs[1] * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--abstracts", type=int, default=1000)
    parser.add_argument("--strings", type=int, default=20000)
    args = parser.parse_args()
    identifiers(args.strings)
    sentences(args.abstracts)
    markdown()
    import_costs()


if __name__ == "__main__":
    main()
