"""The CSL processor conformance suite: how many fixtures mesorefs renders right.

Runs every fixture of ``../shared/data/csl-suite/humans`` (845 of them: citeproc-js,
pandoc's citeproc and citeproc-py all run this suite) through mesorefs' public API
(``format_bibliography``, ``format_citations``) and, as the peer, through pandoc's
citeproc alone (the engine mesorefs wraps) with the fixture's raw CSL-JSON and no
correction, its document tree written by the same HTML writer.  Output is compared as
HTML after collapsing whitespace.

Citation sequences (``CITATIONS``, ``CITATION-ITEMS``) go through ``format_citations``
with their locators, labels, affixes, author modes and note numbers; ``CITATIONS`` as
the document its calls leave (a citation processed again replaces the earlier one, and
the last call's citations before and after it give the order), and the final text of
each citation is compared (the fixture's ``>>[n]`` markers of what the last citation
changed are not).  A fixture the API cannot express (author-only
cites, bibliography sections) is counted apart, not as a failure.
Failures are grouped by cause: a CSL variable ``Reference.from_csl`` does not carry, an
exception, or a different text.  ``benchmarks/csl/suite-failures.txt`` lists the
fixtures known to fail; the run reports any other failure as a regression (exit 1)
and any listed fixture that now passes.

    python benchmarks/csl_suite_bench.py [--only PREFIX] [--workers 2] [--update]

Results: see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _data import CSL_SUITE, require
from mesorefs.models import Reference
from mesorefs.render import Citation, CiteItem, format_bibliography, format_citations
from mesorefs.render import pandoc as engine
from mesorefs.render.writers import write_blocks, write_inlines

ROOT = Path(__file__).resolve().parents[1]
SUITE = CSL_SUITE
KNOWN = ROOT / "benchmarks" / "csl" / "suite-failures.txt"
_SECTION = re.compile(r">>=+ ([A-Z-]+) =+>>\n?(.*?)\n?<<=+ \1 =+<<", re.S)
_CITE_KEYS_WE_EXPRESS = {
    "id",
    "locator",
    "label",
    "prefix",
    "suffix",
    "suppress-author",
    "author-in-text",
}
_MARKER = re.compile(r"^(?:\.\.|>>)\[\d+\] ", re.M)


@dataclass
class Fixture:
    name: str
    category: str
    sections: dict[str, str]

    @property
    def mode(self) -> str:
        return self.sections.get("MODE", "").strip()

    @property
    def items(self) -> list[dict[str, Any]]:
        return list(json.loads(self.sections.get("INPUT", "[]")))

    def citations(self) -> list[tuple[list[dict[str, Any]], int | None]] | None:
        """The citations as cite items with their note numbers, or None when a cite says
        what the API cannot (author-only, a position forced by the fixture)."""
        if "CITATIONS" in self.sections:
            sequence = _document(json.loads(self.sections["CITATIONS"]))
        elif "CITATION-ITEMS" in self.sections:
            sequence = [(c, None) for c in json.loads(self.sections["CITATION-ITEMS"])]
        else:
            # each item once: a later item under the same id replaces the earlier one
            ids = dict.fromkeys(item["id"] for item in self.items)
            sequence = [([{"id": i} for i in ids], None)]
        if any(set(cite) - _CITE_KEYS_WE_EXPRESS for c, _ in sequence for cite in c):
            return None
        return sequence

    def clusters(self) -> list[list[str]] | None:
        sequence = self.citations()
        return None if sequence is None else [[str(c["id"]) for c in s] for s, _ in sequence]

    def expressible(self) -> bool:
        if self.mode == "bibliography":
            return not ({"BIBENTRIES", "BIBSECTION"} & set(self.sections)) and (
                self.citations() is not None
            )
        return self.mode == "citation" and self.citations() is not None


def _document(calls: list[list[Any]]) -> list[tuple[list[dict[str, Any]], int | None]]:
    """The citations a fixture's calls leave in the document, in order, with their note
    numbers: each call is (citation, citations before it, citations after it), as
    citeproc-js's processCitationCluster takes them; a citation processed again under
    the same id replaces the earlier one, and the last call says the order."""
    latest = {call[0]["citationID"]: call[0] for call in calls}
    citation, before, after = calls[-1]
    placed = [*before, [citation["citationID"], citation.get("properties", {}).get("noteIndex")]]
    placed += after
    return [(latest[cid]["citationItems"], note or None) for cid, note in placed]


@dataclass
class Outcome:
    fixture: str
    category: str
    expressible: bool
    ours: bool = False
    peer: bool = False
    cause: str = ""
    seconds: float = 0.0
    detail: list[str] = field(default_factory=list)


def load(path: Path) -> Fixture:
    text = path.read_text(encoding="utf-8")
    sections = {m.group(1): m.group(2) for m in _SECTION.finditer(text)}
    return Fixture(path.stem, path.stem.split("_")[0], sections)


def normalize(text: str) -> str:
    text = html.unescape(text)
    text = re.sub(r">\s+<", "><", text)
    return " ".join(text.split())


def expected(fixture: Fixture) -> str:
    # A sequence's result marks each citation "..[n]" or ">>[n]" (changed by the last
    # one); the final text of each is what is compared.
    return normalize(_MARKER.sub("", fixture.sections.get("RESULT", "")))


def _cite_item(cite: dict[str, Any], refs: dict[str, Reference]) -> CiteItem:
    return CiteItem(
        refs[str(cite["id"])],
        locator=str(cite["locator"]) if cite.get("locator") not in (None, "") else None,
        label=str(cite.get("label") or "page"),
        prefix=str(cite.get("prefix") or ""),
        suffix=str(cite.get("suffix") or ""),
        suppress_author=bool(cite.get("suppress-author")),
        author_in_text=bool(cite.get("author-in-text")),
    )


def _sequence(fixture: Fixture, refs: dict[str, Reference]) -> list[Citation]:
    return [
        Citation([_cite_item(c, refs) for c in cites], note)
        for cites, note in fixture.citations() or []
    ]


def _bib_html(entries: list[str]) -> str:
    body = "".join(f'<div class="csl-entry">{e}</div>' for e in entries)
    return f'<div class="csl-bib-body">{body}</div>'


def run_ours(fixture: Fixture, style: Path) -> str:
    items = fixture.items
    refs = {str(item["id"]): Reference.from_csl(item) for item in items}
    cites_some = bool({"CITATION-ITEMS", "CITATIONS"} & set(fixture.sections))
    if fixture.mode == "bibliography" and not cites_some:
        return normalize(_bib_html(format_bibliography(refs.values(), str(style), "html")))
    document = format_citations(_sequence(fixture, refs), style=str(style), output="html")
    if fixture.mode == "bibliography":
        return normalize(_bib_html(document.bibliography))
    return normalize("\n".join(document.citations))


def run_peer(fixture: Fixture) -> str:
    items = fixture.items
    for item in items:
        item["id"] = str(item["id"])
    sequence = fixture.citations() or []
    clusters = [[_peer_spec(c) for c in cites] for cites, _ in sequence]
    notes = [note or n for n, (_, note) in enumerate(sequence, start=1)]
    style_xml = fixture.sections["CSL"]
    if fixture.mode == "bibliography":
        ids = [item["id"] for item in items]
        cited = clusters if {"CITATION-ITEMS", "CITATIONS"} & set(fixture.sections) else []
        result = engine.run(
            items,
            cited,
            style_xml,
            None,
            nocite=None if cited else ids,
            note_numbers=notes if cited else None,
        )
        entries = [write_blocks(blocks, "html") for _, blocks in result.bibliography]
        return normalize(_bib_html(entries))
    result = engine.run(items, clusters, style_xml, None, bibliography=False, note_numbers=notes)
    return normalize("\n".join(write_inlines(c, "html") for c in result.citations))


def _peer_spec(cite: dict[str, Any]) -> engine.CiteSpec:
    mode = "NormalCitation"
    if cite.get("suppress-author"):
        mode = "SuppressAuthor"
    elif cite.get("author-in-text"):
        mode = "AuthorInText"
    locator = cite.get("locator")
    return engine.CiteSpec(
        str(cite["id"]),
        str(locator) if locator not in (None, "") else None,
        str(cite.get("label") or "page"),
        str(cite.get("prefix") or ""),
        str(cite.get("suffix") or ""),
        mode,
    )


def lost_variables(fixture: Fixture) -> list[str]:
    """CSL variables an item has that do not survive ``Reference.from_csl(...).to_csl()``."""
    lost: set[str] = set()
    for item in fixture.items:
        try:
            back = Reference.from_csl(item).to_csl()
        except Exception:
            continue
        lost |= {k for k in item if k not in back and k not in ("id", "custom")}
    return sorted(lost)


def attempt(func: Callable[[], str]) -> tuple[str | None, str]:
    try:
        return func(), ""
    except Exception as error:  # the benchmark reports every failure, it never stops
        return None, f"raises {type(error).__name__}"


def check(fixture: Fixture) -> Outcome:
    try:
        expressible = fixture.expressible()
    except (KeyError, ValueError, TypeError):  # items without ids, odd sections
        expressible = False
    outcome = Outcome(fixture.name, fixture.category, expressible)
    if not outcome.expressible:
        return outcome
    want = expected(fixture)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        style = Path(tmp) / "style.csl"
        style.write_text(fixture.sections["CSL"], encoding="utf-8")
        ours, error = attempt(lambda: run_ours(fixture, style))
    outcome.seconds = time.perf_counter() - start
    peer, _ = attempt(lambda: run_peer(fixture))
    outcome.ours = ours == want
    outcome.peer = peer == want
    if not outcome.ours:
        lost = lost_variables(fixture)
        outcome.cause = error or (f"not carried: {', '.join(lost)}" if lost else "differs")
        outcome.detail = [f"want {want[:150]}", f"got  {(ours or '')[:150]}"]
    return outcome


_KNOWN_HEADER = (
    "# Fixtures mesorefs fails today: name, what the bench saw, and why (by hand; kept by\n"
    "# --update while the fixture still fails). The bench fails on any fixture not here.\n"
)


def read_known() -> dict[str, tuple[str, str]]:
    """The listed failures: name -> (cause, why)."""
    known: dict[str, tuple[str, str]] = {}
    if KNOWN.exists():
        for line in KNOWN.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, _, rest = line.partition("\t")
                cause, _, why = rest.partition("\t")
                known[name] = (cause, why)
    return known


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="run fixtures whose name starts with this")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--update", action="store_true", help=f"rewrite {KNOWN.name}")
    parser.add_argument("--show", type=int, default=0, help="print this many failures in full")
    args = parser.parse_args()
    fixtures = [load(p) for p in sorted(require(SUITE).glob(f"{args.only}*.txt"))]
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        outcomes = list(pool.map(check, fixtures))
    runnable = [o for o in outcomes if o.expressible]
    ours = sum(o.ours for o in runnable)
    peer = sum(o.peer for o in runnable)
    print(f"fixtures: {len(outcomes)}; expressible with today's API: {len(runnable)}")
    print(
        f"mesorefs: {ours} passed ({ours / len(outcomes):.1%} of all, "
        f"{ours / max(1, len(runnable)):.1%} of expressible)"
    )
    print(f"pandoc's citeproc alone (raw CSL-JSON): {peer} passed")
    print(
        f"mesorefs passes, engine alone fails: {sum(o.ours and not o.peer for o in runnable)}; "
        f"engine alone passes, mesorefs fails: {sum(o.peer and not o.ours for o in runnable)}"
    )
    print("\nper category: passed by mesorefs / by the engine alone / expressible / all")
    by_category: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by_category.setdefault(o.category, []).append(o)
    for category, group in sorted(by_category.items(), key=lambda kv: -len(kv[1])):
        run = [o for o in group if o.expressible]
        worse = (
            " <- below the engine" if sum(o.ours for o in run) < sum(o.peer for o in run) else ""
        )
        print(
            f"  {category:14s} {sum(o.ours for o in run):4d} {sum(o.peer for o in run):4d} "
            f"{len(run):4d} {len(group):4d}{worse}"
        )
    causes = Counter(o.cause.split(":")[0] for o in runnable if not o.ours)
    print("\nfailures by cause: " + ", ".join(f"{c} {n}" for c, n in causes.most_common()))
    lost = Counter(
        v
        for o in runnable
        for v in o.cause.removeprefix("not carried: ").split(", ")
        if o.cause.startswith("not carried")
    )
    if lost:
        print("variables not carried: " + ", ".join(f"{v} {n}" for v, n in lost.most_common()))
    raising = [o for o in runnable if o.cause.startswith("raises")]
    print(f"valid inputs that raise: {len(raising)} {[o.fixture for o in raising][:10]}")
    seconds = sorted(o.seconds for o in runnable)
    if seconds:
        print(f"time per fixture (mesorefs, wall): median {seconds[len(seconds) // 2]:.2f} s")
    for o in [o for o in runnable if not o.ours][: args.show]:
        print(f"\n{o.fixture} ({o.cause})\n  " + "\n  ".join(o.detail))

    failing = {
        o.fixture: o.cause + ("" if o.peer else " (so does the engine alone)")
        for o in runnable
        if not o.ours
    }
    known = read_known()
    if args.update or args.only:
        if args.update and not args.only:
            lines = [
                "\t".join([name, cause, known.get(name, ("", ""))[1]]).rstrip("\t")
                for name, cause in sorted(failing.items())
            ]
            KNOWN.write_text(_KNOWN_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
            print(f"\nwrote {len(lines)} known failures to {KNOWN.relative_to(ROOT)}")
        return
    regressions = sorted(set(failing) - set(known))
    fixed = sorted(set(known) - set(failing))
    print(
        f"\nknown failures: {len(known)}; regressions: {len(regressions)}; "
        f"now passing: {len(fixed)}"
    )
    for name in regressions:
        print(f"  REGRESSION {name}: {failing[name]}")
    sys.exit(1 if regressions else 0)


if __name__ == "__main__":
    main()
