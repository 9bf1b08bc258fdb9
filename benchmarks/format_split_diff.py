"""Before/after check of `format`'s engine runs: the same bibliographies rendered by two
versions of mesorefs must be byte-identical.

Run once per version (the version is whatever ``mesorefs`` is importable, so set
PYTHONPATH), each writing its entries to a JSON file, then compare the two files:

    PYTHONPATH=/path/to/before/src python benchmarks/format_split_diff.py render before.json
    PYTHONPATH=/path/to/after/src python benchmarks/format_split_diff.py render after.json
    python benchmarks/format_split_diff.py compare before.json after.json

(``--styles a,b`` renders only those styles; ``compare`` takes several after-files, a
later one's bibliographies replacing an earlier one's.)

Sets (each rendered as one bibliography per style, text and HTML):

- ``wide``: 1,200 real entries of the shared BibTeX corpus, drawn as csl_wide_bench
  draws them (seed 28);
- ``bounds-N``: the bounds cases' generated articles (benchmarks/safety/_bounds_data.py)
  at N entries, N from ``--sizes``;
- ``same-family-N``: the same, every first author named Smith (format-same-family);
- ``mla-same-author-N``: one author over many years (mla-same-author);
- ``stress``: built to make disambiguation work: one family with different given names
  (some with the same initials), one author with many works in one year, long author
  lists that differ only after the first names (et-al collisions), works with editors
  or directors only, works with no names, particles, a treaty.

The comparison prints the number of entries that differ, per set and style, and in all.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT))

STYLES = (
    "apa",
    "ieee",
    "modern-language-association",
    "chicago-author-date",
    "harvard-cite-them-right",
    "chicago-notes-bibliography",
)
_FAMILIES = ("Smith", "Smyth", "Jones", "Li", "Müller", "García", "Nguyen")
_GIVEN = ("Anna", "Annabel", "A.", "Bruno", "B. K.", "Carla", "Jean-Pierre", "J.-P.", "John")


def _person(rng: random.Random) -> dict[str, str]:
    return {"family": rng.choice(_FAMILIES), "given": rng.choice(_GIVEN)}


def stress_items(count: int = 600, seed: int = 27) -> list[dict[str, Any]]:
    """Items that collide in every way a citation's disambiguation looks at."""
    rng = random.Random(seed)
    items: list[dict[str, Any]] = []
    for n in range(count):
        kind = n % 8
        item: dict[str, Any] = {
            "id": f"s{n}",
            "type": "article-journal",
            "title": f"Study of fat {n % 37}",
            "container-title": "Journal of Fat",
            "issued": {"date-parts": [[2000 + rng.randrange(4)]]},
        }
        if kind == 0:  # one family, given names that share initials
            item["author"] = [{"family": "Smith", "given": rng.choice(_GIVEN)}]
        elif kind == 1:  # one author, many works in one year
            item["author"] = [{"family": "Doe", "given": "Jane"}]
            item["issued"] = {"date-parts": [[2010]]}
        elif kind == 2:  # long lists equal in their first names
            item["author"] = [{"family": "Lee", "given": "K."}, {"family": "Park", "given": "S."}]
            item["author"] += [_person(rng) for _ in range(rng.randrange(1, 24))]
        elif kind == 3:  # editors only
            item["type"] = "book"
            item["editor"] = [_person(rng) for _ in range(rng.randrange(1, 4))]
        elif kind == 4:  # no names, titles alike
            item["title"] = f"Anonymous report {n % 5}"
        elif kind == 5:  # a director (a list the grouping does not name)
            item["type"] = "motion_picture"
            item["director"] = [_person(rng)]
        elif kind == 6:  # particles, and the same family written otherwise
            item["author"] = [
                rng.choice(
                    [
                        {"family": "Berg", "given": "Anna", "non-dropping-particle": "van den"},
                        {"family": "van den Berg", "given": "Anna"},
                        {"family": "Berg", "given": "A."},
                        {"literal": "Berg Institute"},
                    ]
                )
            ]
        else:  # a treaty (APA writes its author short), and two authors
            item["type"] = rng.choice(["treaty", "article-journal"])
            item["author"] = [_person(rng), _person(rng)]
        items.append(item)
    return items


def _sets(sizes: Sequence[int], wide: int) -> dict[str, tuple[list[dict[str, Any]], Sequence[str]]]:
    from benchmarks.csl_wide_bench import corpus_items, sample
    from benchmarks.safety._bounds_data import csl_items

    sets: dict[str, tuple[list[dict[str, Any]], Sequence[str]]] = {}
    if wide:  # --wide 0: the generated sets alone
        shared = Path(os.environ.get("MESOREFS_SHARED", "/work/shared"))
        by_type, _, _ = corpus_items(shared / "data" / "bib-corpus")
        chosen = sample(by_type, wide, 28)
        for item in chosen:
            item.pop("_source", None)
        sets["wide"] = (chosen, STYLES)
        sets["stress"] = (stress_items(), STYLES)
    for n in sizes:
        styles = STYLES if n <= 2000 else ("apa", "modern-language-association")
        sets[f"bounds-{n}"] = (csl_items(n), styles)
        sets[f"same-family-{n // 4}"] = (csl_items(n // 4, family="Smith"), ("apa",))
        mla = [
            {
                "id": f"k{i}",
                "type": "article-journal",
                "author": [{"family": "Doe", "given": "Jane"}],
                "title": f"Fat study {i}",
                "container-title": "J Fat",
                "issued": {"date-parts": [[1950 + i % 70]]},
            }
            for i in range(n)
        ]
        sets[f"mla-same-author-{n}"] = (mla, ("modern-language-association",))
    return sets


def render(
    out: Path, sizes: Sequence[int], wide: int, only: Sequence[str] = (), sets: Sequence[str] = ()
) -> None:
    import mesorefs
    from mesorefs.models import Reference
    from mesorefs.render import format_bibliography

    print(f"mesorefs from {Path(mesorefs.__file__).parent}")
    results: dict[str, list[str]] = {}
    chosen = _sets(sizes, wide)
    for name in [n for n in sets if n in chosen] if sets else list(chosen):
        items, styles = chosen[name]
        refs = [Reference.from_csl(item) for item in items]
        for style in styles:
            if only and style not in only:
                continue
            for output in ("text", "html"):
                if output == "html" and not name.startswith(("wide", "stress")):
                    continue
                t = os.times()
                started = t.user + t.system + t.children_user + t.children_system
                wall = time.perf_counter()
                entries = format_bibliography(refs, style, output)  # type: ignore[arg-type]
                t = os.times()
                cpu = t.user + t.system + t.children_user + t.children_system - started
                results[f"{name} {style} {output}"] = entries
                # written after each bibliography, so an interrupted run keeps what it did
                out.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
                print(
                    f"{name:>22} {style:<28} {output:<4} {len(entries):>6} entries "
                    f"{cpu:7.1f} CPU s {time.perf_counter() - wall:7.1f} s",
                    flush=True,
                )
    out.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")


def compare(before: Path, after: Sequence[Path]) -> int:
    """Entries of ``before`` against those of ``after`` (files rendered in parts: a later
    file's bibliographies replace an earlier one's)."""
    old = json.loads(before.read_text(encoding="utf-8"))
    new: dict[str, list[str]] = {}
    for path in after:
        new.update(json.loads(path.read_text(encoding="utf-8")))
    total = entries = 0
    missing = sorted(set(old) ^ set(new))
    for key in sorted(set(old) & set(new)):
        a, b = old[key], new[key]
        differ = sum(x != y for x, y in zip(a, b, strict=False)) + abs(len(a) - len(b))
        entries += max(len(a), len(b))
        total += differ
        print(f"{key:<60} {len(a):>6} entries, {differ} differ")
        if differ:
            for x, y in [(x, y) for x, y in zip(a, b, strict=False) if x != y][:3]:
                print(f"    before: {x[:160]}\n    after:  {y[:160]}")
    compared = len(set(old) & set(new))
    print(f"differences: {total} of {entries} entries in {compared} bibliographies")
    if missing:  # rendered by one version only (an interrupted run): not compared
        print(f"not compared ({len(missing)}): {', '.join(missing)}")
    return 1 if total else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("render")
    r.add_argument("out", type=Path)
    r.add_argument("--sizes", default="1000,2000,4000,8000")
    r.add_argument("--wide", type=int, default=1200)
    r.add_argument("--styles", default="", help="only these styles (comma-separated)")
    r.add_argument("--sets", default="", help="only these sets, in this order")
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path, nargs="+")
    args = parser.parse_args(argv)
    if args.command == "render":
        only = [s for s in args.styles.split(",") if s]
        sets = [s for s in args.sets.split(",") if s]
        render(args.out, [int(s) for s in args.sizes.split(",") if s], args.wide, only, sets)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())
