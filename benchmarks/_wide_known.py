"""The known failures of csl_wide_bench.py: ``csl/wide-failures.txt``, read, compared
with a run and rewritten (as csl_suite_bench.py keeps ``csl/suite-failures.txt``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol


class _Run(Protocol):
    style: str
    failing: Mapping[tuple[str, str], str]


KNOWN = Path(__file__).resolve().parent / "csl" / "wide-failures.txt"
_KNOWN_HEADER = (
    "# Entries and citations where mesorefs differs from citeproc-js in csl_wide_bench.py\n"
    "# (all styles, --items 200 --seed 28): style, what (entry: the bibliography entry of\n"
    "# the item citeproc-js puts in that place; cite; locator cite), item id, the first\n"
    "# difference the bench saw. Kept by --update; the bench reports any other as a\n"
    "# regression (exit 1). A line 'style * * listed' for each style the list covers; a\n"
    "# style without one is not compared. The causes, counted: benchmarks/README.md.\n"
)
_LISTED = ("*", "*")


def read_known() -> dict[tuple[str, str, str], str]:
    """The listed failures: (style, what, item id) -> the difference seen."""
    known: dict[tuple[str, str, str], str] = {}
    if KNOWN.exists():
        for line in KNOWN.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                style, what, item_id, seen = [*line.split("\t"), "", "", ""][:4]
                known[(style, what, item_id)] = seen
    return known


def compare_known(results: Iterable[_Run], update: bool) -> int:
    """Print regressions and fixes against KNOWN (the styles run only); rewrite it with
    ``update``. 1 when there is a regression."""
    known = read_known()
    run = {r.style for r in results}
    failing = {(r.style, what, i): seen for r in results for (what, i), seen in r.failing.items()}
    if update:
        kept = {key: seen for key, seen in known.items() if key[0] not in run}
        listed_now = {(style, *_LISTED): "listed" for style in run}
        rows = {**kept, **failing, **listed_now}
        lines = ["\t".join([*key, seen]) for key, seen in sorted(rows.items())]
        KNOWN.write_text(_KNOWN_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
        print(f"    wrote {len(lines)} rows to {KNOWN.name}")
        return 0
    covered = {key[0] for key in known if key[1:] == _LISTED}
    listed = {key for key in known if key[0] in run and key[1:] != _LISTED}
    regressions = sorted(key for key in set(failing) - listed if key[0] in covered)
    fixed = sorted(listed - set(failing))
    if run - covered:
        print(f"\nnot in {KNOWN.name} yet (not compared): {', '.join(sorted(run - covered))}")
    print(
        f"\nknown failures ({KNOWN.name}, the styles run): {len(listed)}; "
        f"regressions: {len(regressions)}; now passing: {len(fixed)}"
    )
    for key in regressions:
        print(f"  REGRESSION {' '.join(key)}: {failing[key]}")
    by_style = Counter(key[0] for key in fixed)
    if by_style:
        print(
            "  now passing, by style: " + ", ".join(f"{s} {c}" for s, c in by_style.most_common())
        )
    return 1 if regressions else 0
