"""Citation-aware checking on SciFact dev claims written as a cited document, in each format.

Each SciFact dev claim with cited documents becomes one sentence citing them, in five
syntaxes: Pandoc ``[@d123]``, LaTeX ``\\citep{d123}``, numeric ``[1]`` over a reference
list, HTML ``<sup>1</sup>`` over a list, and author-year ``(Doc123 2020)`` over a library
whose first authors and years the benchmark sets.  The library holds every cited
document (title and abstract).  For each format it prints:

- markers: claims whose markers resolve to exactly the documents SciFact says they cite;
- clean: claims whose checked query carries no marker residue (``@``, ``\\cite``, ``[n]``,
  the author-year year);
- first: claims whose first shown link is a cited document; shown: claims with a cited
  document among the shown links;
- the CPU seconds of the check (lexical ranking, so that the run stays short).

Run: ``python benchmarks/citations_bench.py [--claims N]`` (default 120).  Runs against
whatever ``mesorefs`` is imported, so ``PYTHONPATH=<other checkout>/src`` measures another
version.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import SCIFACT, require
from _timing import cpu_now, load
from mesorefs.claims import check_claims
from mesorefs.claims.report import shown
from mesorefs.models import PartialDate, Person, Reference


def _claims(limit: int) -> list[dict[str, Any]]:
    rows = []
    path = require(SCIFACT / "claims_dev.jsonl")
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("cited_doc_ids") and row["claim"].rstrip().endswith("."):
            rows.append(row)
        if len(rows) == limit:
            break
    return rows


def _library(ids: list[int]) -> list[Reference]:
    wanted = set(ids)
    refs: dict[int, Reference] = {}
    with require(SCIFACT / "corpus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["doc_id"] in wanted:
                n = row["doc_id"]
                refs[n] = Reference(
                    key=f"d{n}",
                    title=row["title"],
                    abstract=" ".join(row["abstract"]),
                    authors=[Person(family=f"Doc{n}", given="A.")],
                    issued=PartialDate(year=2020),
                )
    return [refs[n] for n in ids if n in refs]


def _documents(rows: list[dict[str, Any]], order: dict[int, int]) -> dict[str, tuple[str, str]]:
    """format name -> (document text, document format)."""
    md, tex, num, html, ay = [], [], [], [], []
    for row in rows:
        claim = row["claim"].rstrip().rstrip(".")
        ids = row["cited_doc_ids"]
        md.append(f"{claim} [{'; '.join(f'@d{n}' for n in ids)}].")
        tex.append(
            f"{claim.replace('%', chr(92) + '%')} \\citep{{{','.join(f'd{n}' for n in ids)}}}."
        )
        numbers = ", ".join(str(order[n]) for n in ids)
        num.append(f"{claim} [{numbers}].")
        html.append(f"<p>{claim}<sup>{numbers}</sup>.</p>")
        ay.append(f"{claim} ({'; '.join(f'Doc{n} 2020' for n in ids)}).")
    listing = sorted(order, key=order.__getitem__)
    return {
        "pandoc": ("\n\n".join(md) + "\n", "markdown"),
        "latex": ("\\begin{document}\n" + "\n\n".join(tex) + "\n\\end{document}\n", "latex"),
        "numeric": (
            "\n\n".join(num)
            + "\n\nReferences\n\n"
            + "\n\n".join(f"{order[d]}. {_TITLES[d]}" for d in listing)
            + "\n",
            "text",
        ),
        "html": (
            "<html><body>"
            + "".join(html)
            + "<h2>References</h2><ol>"
            + "".join(f"<li>{_TITLES[d]}</li>" for d in listing)
            + "</ol></body></html>",
            "html",
        ),
        "author-year": ("\n\n".join(ay) + "\n", "text"),
    }


_TITLES: dict[int, str] = {}


def _words(text: str, n: int = 3) -> list[str]:
    return " ".join(text.split()).split(" ")[:n]


_RESIDUE = re.compile(r"@d\d|\\cite|\[\d|\bDoc\d+ 2020|\(2020\)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=120)
    args = parser.parse_args()
    rows = _claims(args.claims)
    ids = list(dict.fromkeys(n for row in rows for n in row["cited_doc_ids"]))
    library = _library(ids)
    present = {int(r.key[1:]) for r in library if r.key}
    rows = [r for r in rows if all(n in present for n in r["cited_doc_ids"])]
    for ref in library:
        _TITLES[int(ref.key[1:]) if ref.key else 0] = ref.title or ""
    order = {int(r.key[1:]): i for i, r in enumerate(library, start=1) if r.key}
    print(f"{len(rows)} SciFact dev claims citing {len(library)} documents; load {load():.2f}")
    print(f"{'format':<12} {'markers':>8} {'clean':>6} {'first':>6} {'shown':>6} {'cpu s':>6}")
    for name, (text, fmt) in _documents(rows, order).items():
        start = cpu_now()
        report = check_claims(text, library, encoder=False, format=fmt)  # type: ignore[arg-type]
        spent = cpu_now() - start
        # rows and claims come in the same order: each row takes the next claim that
        # starts with its first words (a claim may span two sentences)
        checked = list(report.checked)
        at = 0
        marked = clean = first = among = 0
        for row in rows:
            found = next(
                (
                    j
                    for j in range(at, min(at + 4, len(checked)))
                    if _words(checked[j].claim.text) == _words(row["claim"])
                ),
                None,
            )
            if found is None:
                continue  # not found as a checked claim: a miss in every column
            result = checked[found]
            at = found + 1
            wanted = {f"d{n}" for n in row["cited_doc_ids"]}
            cited = {c.key for c in result.citation_checks}
            marked += cited == wanted
            clean += _RESIDUE.search(result.claim.query) is None
            links = shown(result.links)
            first += bool(links) and links[0].key in wanted
            among += any(lk.key in wanted for lk in links)
        n = len(rows)
        pct = [f"{100 * k / n:5.1f}%" for k in (marked, clean, first, among)]
        print(f"{name:<12} {pct[0]:>8} {pct[1]:>6} {pct[2]:>6} {pct[3]:>6} {spent:6.1f}")


if __name__ == "__main__":
    main()
