"""Verify benchmark: real entries accused, fabricated entries caught, evidence, speed.

Run by hand, never in CI::

    python benchmarks/verify_bench.py                 # 1,500 real + 750 fabricated
    python benchmarks/verify_bench.py --real 300 --fabricated 150 --skip-peer
    python benchmarks/verify_bench.py --dump /tmp/verify-set   # the set and each outcome

**The labelled set** (benchmarks/_verify_set.py) is built deterministically
(``random.Random(--seed)``, 29 by default) from real records: the 7,467 Crossref records of
``refparse/derived/crossref-rme-artificial-fields.jsonl`` (titles, authors, journal,
year, volume, issue, pages and DOI as deposited).  Records with a title, an author, a
year and a journal are shuffled; the first ``--real`` make real entries, the next ones
feed the fabricated entries.  Records published since 2009 (a fifth of all records)
also get an arXiv preprint version (a made-up id ``YYMM.NNNN(N)``, the same title and
authors, posted the year before).

* **Real entries, written as people write them.**  Each takes one to three of the
  following, at random: the DOI kept or left out; the journal abbreviated (each word cut
  to four letters and a dot, small words dropped); given names as initials; a list cut
  to its first one to three authors with ``and others``; fields left out (volume, pages,
  journal, DOI); the title in upper, lower or title case; LaTeX (accents as ``{\\'e}``,
  ``\\&``, braces around capitalized words, ``--`` in page ranges); the preprint cited
  (``@misc`` with ``eprint`` and ``archivePrefix``, or ``journal = {arXiv preprint
  arXiv:<id>}``, the preprint's year) or, for a work without a preprint, the published
  version cited as ``arXiv preprint`` two years early.
* **Fabricated entries**, ``--fabricated`` split evenly over five kinds:
  ``invented`` (a title made by a word-bigram chain over the real titles, checked to
  share under half its words with any real title, with real authors, journal and year
  from other records; a quarter carry a made-up DOI), ``wrong-authors`` (a real title,
  journal and year with another record's authors; half carry the DOI), ``wrong-year``
  (a real entry with the year moved 4 to 12 years), ``other-identifier`` (a real entry
  carrying another record's DOI, or its preprint's arXiv id), ``chimera`` (a real
  title and first author joined to another record's co-authors, journal, volume, pages
  and year; or half of one title joined to half of another).

**The stand-in** (benchmarks/_verify_standin.py, in a forked process) answers as
Crossref, doi.org, arXiv, Semantic Scholar and OpenAlex, in their real formats, from
all usable records.  mesorefs is pointed at it through its base-URL settings (rate
limits raised to 1,000/s, 4 at a time: the services' own limits are not the subject
here); the peer, ``check-hallucinations`` (``pip install check-hallucinations``),
through a small driver that gives its module a ``requests`` whose ``get`` sends the
services' hosts to the stand-in, with its 1 s pause between Semantic Scholar calls set
to 0 and its cache in a fresh temporary folder.

**Measures**, for both tools: the share of real entries accused (mismatch or not
found; for the peer, any finding but ``unchecked``), of real entries left unchecked,
of fabricated entries caught (per kind), and whether each result names its evidence:
for mesorefs, a confirmed entry names its record's identifier, how it was found and
where; a mismatch names each field with the record's value; a not-found entry where
it searched.  For the peer: a confirmed entry has its URL; an accused one has a
message that names the record's value or the service searched.  Then offline against
a snapshot built (``mesorefs.snapshot.build_snapshot``) in a temporary folder from the
Crossref items and the preprints as OpenAlex works: the same measures, and throughput.

**Timing** (benchmarks/_timing.py): CPU time of this process (the stand-in runs in
another), warm in interleaved rounds over the first ``--timing`` entries (mesorefs
online with its HTTP cache off, mesorefs against the snapshot, the peer with a fresh
cache each round); cold from a fresh interpreter (``--cold`` runs one measurement and
prints its CPU seconds last).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import types
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _timing import cold_cpu, cpu, interleaved
from _verify_set import FAB_KINDS, Entry, LabelledSet, build_set
from _verify_standin import Works, serve_in_child

# -- the runs --------------------------------------------------------------------------


@dataclass
class Outcome:
    outcome: str  # confirmed / accused / unchecked / other
    evidence: bool


def run_mesorefs(path: Path, base: str, snapshot: Path | None = None) -> dict[str, Outcome]:
    from mesorefs.settings import Settings
    from mesorefs.verify import verify_bibliography

    services = ("crossref", "crossref-list", "doi", "datacite", "pubmed", "openalex", "arxiv")
    settings = Settings.load(
        env={},
        config_file=Path("/nonexistent/mesorefs.toml"),
        crossref_url=base,
        doi_url=base + "/doi",
        datacite_url=base + "/datacite",
        pubmed_url=base + "/eutils",
        openalex_url=base + "/openalex",
        arxiv_url=base + "/arxiv",
        cache=False,
        max_retries=0,
        enrich_pubmed=False,
        rate_limits={s: 1000.0 for s in services},
        concurrency={s: 4 for s in services},
        deadline=3600.0,
        snapshot_dir=str(snapshot) if snapshot else None,
    )
    report = verify_bibliography([path], settings)
    out = {}
    for r in report.results:
        if r.outcome == "confirmed":
            evidence = r.record is not None and bool(r.via and r.source)
        elif r.outcome == "mismatch":
            evidence = bool(r.differences) and all(d.record for d in r.differences)
        elif r.outcome == "not-found":
            evidence = bool(r.searched)
        else:
            evidence = bool(r.reason)
        accused = r.outcome in ("mismatch", "not-found")
        out[r.key] = Outcome("accused" if accused else r.outcome, evidence)
    return out


_REDIRECTS = (
    ("https://doi.org/", "/doi/"),
    ("https://api.semanticscholar.org/", "/s2/"),
    ("https://api.openalex.org/", "/openalex/"),
    ("http://export.arxiv.org/api/", "/arxiv/"),
)
_PEER_EVIDENCE = re.compile(r"the paper is by|but the paper is from| is '|SemanticScholar|OpenAlex")


def peer_driver(base: str, cache: str) -> Any:
    """check-hallucinations' module, its HTTP sent to the stand-in and its pauses off."""
    import requests
    from check_hallucinations import main as peer

    def get(url: str, *args: Any, **kwargs: Any) -> Any:
        for host, path in _REDIRECTS:
            if url.startswith(host):
                url = base + path + url[len(host) :]
                break
        else:
            raise requests.ConnectionError(f"the benchmark allows no request to {url}")
        return requests.get(url, *args, **kwargs)

    peer.requests = types.SimpleNamespace(  # type: ignore[attr-defined]
        get=get,
        RequestException=requests.RequestException,
        HTTPError=requests.HTTPError,
        ConnectionError=requests.ConnectionError,
    )
    peer.SEMANTICSCHOLAR_DELAY = 0.0
    peer.SS_RETRY_WAITS = []
    peer.CACHE_DIR = cache
    peer._api_key = lambda: {}  # no keyring lookups
    return peer


def run_peer(path: Path, base: str) -> dict[str, Outcome]:
    with tempfile.TemporaryDirectory(prefix="verify-bench-peer-") as cache:
        peer = peer_driver(base, cache)
        out = {}
        for entry in peer._parse(path.read_text(encoding="utf-8")):
            result = peer.check_entry(entry)
            rules = [f.rule for f in result.findings]
            accused = [f for f in result.findings if f.rule != "unchecked"]
            if accused:
                evidence = all(_PEER_EVIDENCE.search(f.message) for f in accused)
                out[entry["ID"]] = Outcome("accused", evidence)
            elif "unchecked" in rules:
                out[entry["ID"]] = Outcome("unchecked", True)
            elif result.url:
                out[entry["ID"]] = Outcome("confirmed", True)
            else:
                out[entry["ID"]] = Outcome("other", False)
        return out


def summarize(name: str, labelled: LabelledSet, outcomes: dict[str, Outcome]) -> None:
    real = [e for e in labelled.entries if e.label == "real"]
    fabricated = [e for e in labelled.entries if e.label == "fabricated"]

    def share(entries: list[Entry], outcome: str) -> str:
        n = sum(1 for e in entries if outcomes[e.key].outcome == outcome)
        return f"{n}/{len(entries)} = {100 * n / max(1, len(entries)):.2f} %"

    evidence = sum(1 for o in outcomes.values() if o.evidence)
    print(f"\n{name}")
    print(f"  real accused:        {share(real, 'accused')}  (target <= 0.5 %)")
    print(f"  real unchecked:      {share(real, 'unchecked')}")
    print(f"  fabricated caught:   {share(fabricated, 'accused')}  (target >= 97 %)")
    print(f"  fabricated unchecked:{share(fabricated, 'unchecked')}")
    for kind in FAB_KINDS:
        print(f"    {kind:18s} {share([e for e in fabricated if e.kind == kind], 'accused')}")
    print(f"  results naming their evidence: {evidence}/{len(outcomes)}")
    accused = Counter(e.kind for e in real if outcomes[e.key].outcome == "accused")
    if accused:
        print(f"  real accused by style: {dict(accused.most_common(8))}")


def build_snapshot_dir(labelled: LabelledSet, folder: Path) -> Path:
    """A snapshot of the Crossref items and, as OpenAlex works, the arXiv preprints."""
    from mesorefs.snapshot import build_snapshot

    works = Works(labelled.items, labelled.preprints)
    crossref = folder / "crossref-items.json"
    crossref.write_text(json.dumps({"items": labelled.items}), encoding="utf-8")
    openalex = folder / "openalex-preprints.jsonl"
    lines = [json.dumps(works.preprint_work(a)) + "\n" for a in labelled.preprints]
    openalex.write_text("".join(lines), encoding="utf-8")
    build_snapshot([crossref, openalex], folder / "snapshot", partitions=4, threads=1)
    return folder / "snapshot"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=int, default=1500)
    parser.add_argument("--fabricated", type=int, default=750)
    parser.add_argument("--seed", type=int, default=29)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timing", type=int, default=300, help="entries in the timed rounds")
    parser.add_argument("--skip-peer", action="store_true")
    parser.add_argument("--skip-timing", action="store_true")
    parser.add_argument("--dump", help="write the set and the outcomes to this folder")
    parser.add_argument("--cold", choices=["online", "snapshot"], help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()

    labelled = build_set(args.real, args.fabricated, args.seed)
    works = Works(labelled.items, labelled.preprints)
    child, base = serve_in_child(works)
    try:
        with tempfile.TemporaryDirectory(prefix="verify-bench-") as tmp:
            folder = Path(args.workdir or tmp)
            if args.cold:
                _cold(args, labelled, folder, base)
                return
            _measure(args, labelled, folder, base)
    finally:
        child.kill()


def _write(entries: list[Entry], path: Path) -> Path:
    path.write_text("".join(e.bibtex() + "\n" for e in entries), encoding="utf-8")
    return path


def _cold(args: argparse.Namespace, labelled: LabelledSet, folder: Path, base: str) -> None:
    """One measurement in this fresh interpreter; its CPU seconds on the last line."""
    path = _write(labelled.entries[: args.timing], folder / "timing.bib")
    snapshot = None
    if args.cold == "snapshot":
        snapshot = build_snapshot_dir(labelled, folder)
    import mesorefs.verify  # noqa: F401  (imports are not the measured part)

    print(cpu(lambda: run_mesorefs(path, base, snapshot)))


def _measure(args: argparse.Namespace, labelled: LabelledSet, folder: Path, base: str) -> None:
    kinds = Counter(e.kind for e in labelled.entries if e.label == "fabricated")
    real = sum(1 for e in labelled.entries if e.label == "real")
    fabricated = sum(kinds.values())
    print(f"labelled set: {real} real, {fabricated} fabricated {dict(kinds)}; seed {args.seed}")
    path = _write(labelled.entries, folder / "set.bib")
    started = time.perf_counter()
    ours = run_mesorefs(path, base)
    print(f"mesorefs online (stand-in): {time.perf_counter() - started:.1f} s wall")
    summarize("mesorefs verify (online, stand-in)", labelled, ours)
    results: dict[str, dict[str, Outcome]] = {"mesorefs": ours}
    if not args.skip_peer:
        started = time.perf_counter()
        theirs = run_peer(path, base)
        print(f"\ncheck-hallucinations: {time.perf_counter() - started:.1f} s wall")
        summarize("check-hallucinations (stand-in)", labelled, theirs)
        results["peer"] = theirs
    snapshot = build_snapshot_dir(labelled, folder)
    started = time.perf_counter()
    spent = cpu(lambda: results.__setitem__("snapshot", run_mesorefs(path, base, snapshot)))
    wall = time.perf_counter() - started
    summarize("mesorefs verify (offline, snapshot)", labelled, results["snapshot"])
    n = len(labelled.entries)
    print(f"  throughput: {n / spent:.0f} entries per CPU second, {n / wall:.0f} per wall second")
    if args.dump:
        _dump(Path(args.dump), labelled, results, path)
    if not args.skip_timing:
        _timing(args, labelled, folder, base, snapshot)


def _timing(
    args: argparse.Namespace, labelled: LabelledSet, folder: Path, base: str, snapshot: Path
) -> None:
    subset = labelled.entries[: args.timing]
    path = _write(subset, folder / "timing.bib")
    contenders: list[tuple[str, Callable[[], object]]] = [
        ("mesorefs online", lambda: run_mesorefs(path, base)),
        ("mesorefs snapshot", lambda: run_mesorefs(path, base, snapshot)),
    ]
    if not args.skip_peer:
        contenders.append(("check-hallucinations", lambda: run_peer(path, base)))
    rounds = interleaved(contenders, args.rounds)
    n = len(subset)
    print(f"\nwarm, {args.rounds} interleaved rounds of {n} entries ({rounds.load}):")
    for name, _ in contenders:
        median = rounds.median(name)
        rate = f"{n / median:.0f} entries/CPU s"
        print(f"  {name:22s} {median:.2f} CPU s ({rate}) [{rounds.spread(name)}]")
    script = Path(__file__)
    common = ["--real", str(args.real), "--fabricated", str(args.fabricated)]
    common += ["--seed", str(args.seed), "--timing", str(args.timing)]
    for mode in ("online", "snapshot"):
        seconds = cold_cpu(script, *common, "--cold", mode)
        print(f"  cold mesorefs {mode:9s} {seconds:.2f} CPU s ({n / seconds:.0f} entries/CPU s)")


def _dump(
    folder: Path, labelled: LabelledSet, results: dict[str, dict[str, Outcome]], path: Path
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "set.bib").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    rows = []
    for e in labelled.entries:
        row = {"key": e.key, "label": e.label, "kind": e.kind}
        row.update({name: outcomes[e.key].outcome for name, outcomes in results.items()})
        rows.append(row)
    (folder / "outcomes.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8"
    )
    print(f"\nset and outcomes written to {folder}", file=sys.stderr)


if __name__ == "__main__":
    main()
