"""Closed-world matching benchmark (PROTOCOL.md M2/M3) and resolver speed, run by hand.

Accuracy: an index of the 7,467 derived P3 records sits behind a local stand-in for
Crossref's ``/works?query.bibliographic=`` (BM25 over the records' fields).  Every
rendering of the 2,000 P3 test DOIs (random.Random(0).sample) is searched for and the
candidates are validated against the raw string with ``mesorefs.resolve.scoring``.
``excluded`` runs drop the target from the index (the server is told which DOI to hide
through the URL path), so any link is a false link.  False links are split into links to
the same work under another DOI (same normalized title, first-author surname and year,
or same container, volume, first page and year) and genuine ones (a different work);
the protocol's false-link rate is their sum.

Tune only on ``--split calibration``: P3 records that are not test DOIs
(random.Random(1).sample of the rest).  ``--curve`` prints the trade-off at several
string thresholds.

Speed: 1,000 lookups through ``Resolver.resolve`` against the same server with the
list limit set to 50 requests/s; the server counts requests that break the limit
(more than 50 in any one-second window) and answers them with 429.  Then the same
lookups again from the cache, and the same queries through habanero (the peer a user
would pick; it has no pacing) against the same server, with its 429s counted.

    python benchmarks/match_bench.py            # everything
    python benchmarks/match_bench.py --n 300    # fewer test DOIs
    python benchmarks/match_bench.py --skip-speed
    python benchmarks/match_bench.py --split calibration --n 1000 \\
        --skip-speed --candidates /tmp/calibration.json --curve 0.7 0.75 0.8 0.85 0.9

Figures, dates and load: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import collections
import gc
import json
import math
import multiprocessing
import random
import re
import sys
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from _data import DERIVED, P3_RENDERINGS, require
from mesorefs.errors import InvalidIdentifier
from mesorefs.identifiers import normalize_doi
from mesorefs.models import Person, Reference
from mesorefs.resolve import crossref
from mesorefs.resolve.decide import STRING_THRESHOLD, choose
from mesorefs.resolve.http import HttpClient
from mesorefs.resolve.resolver import Resolver, bibliographic_query
from mesorefs.resolve.scoring import score_string
from mesorefs.resolve.similarity import normalize_text
from mesorefs.settings import Settings

STYLES = list(P3_RENDERINGS)
CLEAN = set(STYLES[:6])
TITLELESS = {
    "american-chemical-society",
    "american-institute-of-physics",
    "elsevier-without-titles",
    "american-institute-of-physics-noise",
}
_WORD = re.compile(r"\w+")


# -- the index ---------------------------------------------------------------------


def load_records() -> list[dict[str, Any]]:
    with require(DERIVED).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def crossref_item(record: dict[str, Any]) -> dict[str, Any]:
    """A Crossref work item for a derived record (absent fields stay absent)."""
    item: dict[str, Any] = {"DOI": record["doi"], "type": "journal-article", "score": 1.0}
    if record.get("title"):
        item["title"] = [record["title"]]
    if record.get("container"):
        item["container-title"] = [record["container"]]
    if record.get("authors"):
        item["author"] = [
            {k: v for k, v in a.items() if v} for a in record["authors"] if a.get("family")
        ]
    if record.get("year"):
        item["issued"] = {"date-parts": [[int(record["year"])]]}
    for ours, theirs in (("volume", "volume"), ("issue", "issue"), ("pages", "page")):
        if record.get(ours):
            item[theirs] = str(record[ours])
    return item


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text.lower())
    return [t for t in _WORD.findall(text) if len(t) > 1 or t.isdigit()]


class Index:
    """BM25 over title, authors, container, year, volume, issue and pages."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        self.postings: dict[str, list[tuple[int, int]]] = collections.defaultdict(list)
        self.lengths: list[int] = []
        for i, item in enumerate(items):
            parts = [
                " ".join(item.get("title", [])),
                " ".join(item.get("container-title", [])),
                " ".join(
                    f"{a.get('family', '')} {a.get('given', '')}" for a in item.get("author", [])
                ),
                str(item.get("issued", {}).get("date-parts", [[""]])[0][0]),
                item.get("volume", ""),
                item.get("issue", ""),
                item.get("page", "").replace("-", " "),
            ]
            counts = collections.Counter(_tokens(" ".join(parts)))
            self.lengths.append(sum(counts.values()))
            for token, count in counts.items():
                self.postings[token].append((i, count))
        self.avg = sum(self.lengths) / max(1, len(self.lengths))
        n = len(items)
        self.idf = {
            t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()
        }
        self.by_doi = {item["DOI"].lower(): item for item in items}
        self.memo: dict[tuple[str, int, str | None], list[dict[str, Any]]] = {}

    def search(self, text: str, rows: int, exclude: str | None = None) -> list[dict[str, Any]]:
        key = (text, rows, exclude)
        if key not in self.memo:
            self.memo[key] = self._search(text, rows, exclude)
        return self.memo[key]

    def _search(self, text: str, rows: int, exclude: str | None) -> list[dict[str, Any]]:
        scores: dict[int, float] = collections.defaultdict(float)
        k1, b = 1.2, 0.75
        for token in set(_tokens(text)):
            postings = self.postings.get(token)
            if not postings:
                continue
            idf = self.idf[token]
            for doc, tf in postings:
                norm = tf * (k1 + 1) / (tf + k1 * (1 - b + b * self.lengths[doc] / self.avg))
                scores[doc] += idf * norm
        ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
        out = []
        for doc, score in ranked:
            item = self.items[doc]
            if exclude and item["DOI"].lower() == exclude:
                continue
            out.append({**item, "score": round(score, 3)})
            if len(out) >= rows:
                break
        return out


# -- the local stand-in for Crossref ---------------------------------------------------


class Stats:
    """Request counts in shared memory, so a stand-in in a child process can count too."""

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self.lock = threading.Lock()
        self.times: collections.deque[float] = collections.deque()
        self.requests = multiprocessing.Value("l", 0)
        self.violations = multiprocessing.Value("l", 0)


def serve(index: Index, stats: Stats, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            now = time.monotonic()
            with stats.lock:
                stats.requests.value += 1
                while stats.times and stats.times[0] <= now - 1.0:
                    stats.times.popleft()
                stats.times.append(now)
                over = len(stats.times) > stats.limit
                if over:
                    stats.violations.value += 1
            if over:
                self._send(429, {"status": "failed"}, {"Retry-After": "1"})
                return
            parts = urlsplit(self.path)
            path = parts.path
            exclude = None
            match = re.match(r"^/exclude/(.+?)/works", path)
            if match:
                exclude = unquote(match.group(1)).lower()
                path = path[match.end(1) :]
            if path == "/works":
                query = parse_qs(parts.query)
                text = query.get("query.bibliographic", [""])[0]
                rows = int(query.get("rows", ["5"])[0])
                items = index.search(text, rows, exclude)
                message = {"total-results": len(items), "items": items, "items-per-page": rows}
                self._send(200, {"status": "ok", "message-type": "work-list", "message": message})
                return
            if path.startswith("/works/"):
                item = index.by_doi.get(unquote(path[len("/works/") :]).lower())
                if item is not None:
                    self._send(200, {"status": "ok", "message-type": "work", "message": item})
                    return
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "19")
            self.end_headers()
            self.wfile.write(b"Resource not found.")

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-Rate-Limit-Limit", str(int(stats.limit)))
            self.send_header("X-Rate-Limit-Interval", "1s")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def serve_in_child(index: Index, stats: Stats) -> tuple[Any, str]:
    """The stand-in in a forked process: it must not share the client's interpreter lock,
    or its arrival times would carry the client's scheduling jitter."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()
    ready = multiprocessing.get_context("fork").Event()

    def run() -> None:
        # The index is large: a full collection pass over it stalls the handlers and
        # then timestamps the queued requests as a burst.
        gc.freeze()
        serve(index, stats, port)
        ready.set()
        threading.Event().wait()

    process = multiprocessing.get_context("fork").Process(target=run, daemon=True)
    process.start()
    ready.wait(30)
    return process, f"http://127.0.0.1:{port}"


# -- accuracy ----------------------------------------------------------------------------


def test_records(records: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """The first ``n`` of the 2,000 P3 test DOIs (PROTOCOL.md: random.Random(0).sample)."""
    sample = random.Random(0).sample(records, 2000)
    return sample[:n]


def calibration_records(records: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """``n`` P3 records that are not test DOIs (random.Random(1).sample): tune only on these."""
    test = {r["doi"] for r in random.Random(0).sample(records, 2000)}
    rest = [r for r in records if r["doi"] not in test]
    return random.Random(1).sample(rest, min(n, len(rest)))


def _first_page(pages: Any) -> str:
    match = re.match(r"\s*([A-Za-z]?\d+[A-Za-z]?)", str(pages or ""))
    return match.group(1).lower() if match else ""


def same_work(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Are two derived records the same work under two DOIs?

    Same normalized title, first-author surname and year; or same container, volume,
    first page and year.
    """
    year = str(a.get("year") or "")
    if not year or year != str(b.get("year") or ""):
        return False

    def first_author(r: dict[str, Any]) -> str:
        names = [x.get("family") or "" for x in r.get("authors", []) if x.get("family")]
        return normalize_text(names[0]).replace(" ", "") if names else ""

    title_a, author_a = normalize_text(a.get("title") or ""), first_author(a)
    if (
        title_a
        and author_a
        and (title_a, author_a)
        == (
            normalize_text(b.get("title") or ""),
            first_author(b),
        )
    ):
        return True
    where_a = (
        normalize_text(a.get("container") or ""),
        normalize_text(str(a.get("volume") or "")),
        _first_page(a.get("pages")),
    )
    where_b = (
        normalize_text(b.get("container") or ""),
        normalize_text(str(b.get("volume") or "")),
        _first_page(b.get("pages")),
    )
    return all(where_a) and where_a == where_b


def doi_key(doi: str) -> str:
    """A DOI as the matcher reports it (normalized), for comparisons."""
    try:
        return normalize_doi(doi)
    except InvalidIdentifier:
        return doi.lower()


def index_by_doi(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Derived records by normalized DOI."""
    return {doi_key(r["doi"]): r for r in records}


Candidates = dict[str, list[dict[str, Any]]]
"""Search results (Crossref items) by ``style|present-or-absent|doi``."""


def _key(style: str, excluded: bool, doi: str) -> str:
    return f"{style}|{'absent' if excluded else 'present'}|{doi.lower()}"


def fetch_candidates(
    http: HttpClient,
    base: str,
    records: list[dict[str, Any]],
    styles: list[str],
    store: Candidates,
) -> None:
    """Search the stand-in for every rendering, target present and absent (memoized)."""
    for style in styles:
        for record in records:
            text = record["strings"].get(style)
            if not text:
                continue
            target = record["doi"].lower()
            for excluded in (False, True):
                key = _key(style, excluded, target)
                if key in store:
                    continue
                root = f"{base}/exclude/{target}" if excluded else base
                url = crossref.search_url(root, text, rows=5)
                store[key] = http.get("crossref-list", url).json()["message"]["items"]


@dataclass
class Tally:
    """Counts of one style's present and absent runs."""

    n: int = 0
    tp: int = 0
    fp: int = 0
    fp_same: int = 0
    absent: int = 0
    links: int = 0
    links_same: int = 0
    misses: collections.Counter[str] = field(default_factory=collections.Counter)

    def row(self) -> dict[str, float]:
        """P, R, F1 and false-link rates (total, same work, genuine) as fractions."""
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / self.n if self.n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        absent = max(1, self.absent)
        return {
            "n": self.n,
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "false_link": self.links / absent,
            "false_link_same": self.links_same / absent,
            "false_link_genuine": (self.links - self.links_same) / absent,
        }


def decide(text: str, items: list[dict[str, Any]], threshold: float) -> str | None:
    """The DOI the matcher links for ``text`` among the searched ``items`` (None: abstain)."""
    candidates = crossref.parse_works({"message": {"items": items}})
    scored = [(c, score_string(text, c)) for c in candidates]
    index, _ = choose(scored, threshold)
    doi = scored[index][0].doi if index is not None else None
    return doi_key(doi) if doi else None


def why_missed(
    record: dict[str, Any], style: str, items: list[dict[str, Any]], by_doi: dict[str, Any]
) -> str:
    """Why the matcher abstained on a rendering whose target was in the index."""
    target = doi_key(record["doi"])
    found = [doi_key(item["DOI"]) for item in items]
    if target not in found:
        return "search missed the target"
    if any(d != target and same_work(record, by_doi[d]) for d in found):
        return "a duplicate record of the work ties"
    if style in TITLELESS and not record.get("pages"):
        return "no title and no page printed"
    if style in TITLELESS and not (record.get("volume") or record.get("issue")):
        return "no title, no volume or issue printed"
    return "scored below the threshold"


def evaluate(
    records: list[dict[str, Any]],
    by_doi: dict[str, dict[str, Any]],
    style: str,
    store: Candidates,
    threshold: float,
) -> Tally:
    """Link every rendering of ``style`` with the target present, then absent, and count."""
    tally = Tally()
    for record in records:
        text = record["strings"].get(style)
        if not text:
            continue
        target = doi_key(record["doi"])
        tally.n += 1
        items = store[_key(style, False, record["doi"])]
        doi = decide(text, items, threshold)
        if doi == target:
            tally.tp += 1
        elif doi is not None:
            tally.fp += 1
            tally.fp_same += same_work(record, by_doi[doi])
        else:
            tally.misses[why_missed(record, style, items, by_doi)] += 1
        tally.absent += 1
        doi = decide(text, store[_key(style, True, record["doi"])], threshold)
        if doi is not None:
            tally.links += 1
            tally.links_same += same_work(record, by_doi[doi])
    return tally


def print_table(
    records: list[dict[str, Any]],
    by_doi: dict[str, dict[str, Any]],
    styles: list[str],
    store: Candidates,
    threshold: float,
) -> None:
    """One line per style: P, R, F1 and the false-link rates with the target absent."""
    print(
        f"{'style':45} {'n':>5} {'P':>7} {'R':>7} {'F1':>7} "
        f"{'FL total':>9} {'same-work':>10} {'genuine':>8}   (FL: target absent)"
    )
    totals = Tally()
    misses = {}
    for style in styles:
        tally = evaluate(records, by_doi, style, store, threshold)
        misses[style] = tally.misses
        if style in CLEAN:
            for name in vars(totals):
                setattr(totals, name, getattr(totals, name) + getattr(tally, name))
        _print_row(style + ("" if style in CLEAN else "  (noisy)"), tally.row())
    _print_row("all clean styles", totals.row())
    print("\nabstentions with the target present, by what the rendering gave the matcher:")
    for style, counts in misses.items():
        print(f"  {style}: " + "; ".join(f"{n} {why}" for why, n in counts.most_common()))
    sys.stdout.flush()


def _print_row(label: str, row: dict[str, float]) -> None:
    print(
        f"{label:45} {row['n']:5.0f} {row['precision']:7.4f} {row['recall']:7.4f} "
        f"{row['f1']:7.4f} {100 * row['false_link']:8.2f}% "
        f"{100 * row['false_link_same']:9.2f}% {100 * row['false_link_genuine']:7.2f}%"
    )


def print_curve(
    records: list[dict[str, Any]],
    by_doi: dict[str, dict[str, Any]],
    styles: list[str],
    store: Candidates,
    thresholds: list[float],
) -> None:
    """The precision/recall/false-link trade-off at several string thresholds."""
    print(f"{'threshold':>9} {'style':36} {'P':>7} {'R':>7} {'FL total':>9} {'genuine':>8}")
    for threshold in thresholds:
        for style in styles:
            row = evaluate(records, by_doi, style, store, threshold).row()
            print(
                f"{threshold:9.2f} {style:36} {row['precision']:7.4f} {row['recall']:7.4f} "
                f"{100 * row['false_link']:8.2f}% {100 * row['false_link_genuine']:7.2f}%"
            )
        sys.stdout.flush()


# -- speed -------------------------------------------------------------------------------


def as_reference(record: dict[str, Any]) -> Reference:
    """What a parser would give for a record: no DOI, the visible fields."""
    authors = [
        Person(family=a["family"], given=a.get("given") or None)
        for a in record.get("authors", [])
        if a.get("family")
    ]
    data: dict[str, Any] = {
        "title": record.get("title"),
        "authors": authors,
        "container_title": record.get("container"),
        "volume": record.get("volume"),
        "issue": record.get("issue"),
        "pages": record.get("pages"),
    }
    if record.get("year"):
        data["issued"] = {"year": int(record["year"])}
    return Reference.model_validate({k: v for k, v in data.items() if v})


def run_speed(index: Index, records: list[dict[str, Any]], limit: float) -> None:
    refs = [as_reference(r) for r in records[:1000]]
    # The stand-in's BM25 is slow Python: answer the queries once beforehand so that the
    # timing measures the client's pacing, not the stand-in's search.
    for ref in refs:
        index.search(bibliographic_query(ref), 5)
    stats = Stats(limit=limit)
    process, base = serve_in_child(index, stats)
    try:
        _timed_runs(base, stats, refs, limit)
        _habanero_run(base, stats, refs, limit)
    finally:
        process.terminate()


def _habanero_run(base: str, stats: Stats, refs: list[Reference], limit: float) -> None:
    """The peer a user would pick: habanero asking the same stand-in the same queries."""
    try:
        from habanero import Crossref
    except ImportError:
        print("habanero: not installed (pip install -e '.[bench]'), peer skipped")
        return
    client = Crossref(base_url=base, timeout=30)
    before, refused = stats.violations.value, 0
    start, cpu = time.perf_counter(), time.process_time()
    for ref in refs:
        try:
            client.works(query_bibliographic=bibliographic_query(ref), limit=5)
        except Exception:  # habanero raises requests' HTTPError on a 429
            refused += 1
    elapsed = time.perf_counter() - start
    ideal = len(refs) / limit
    print(
        f"habanero (peer, sequential, no pacing): {len(refs)} lookups in {elapsed:.2f} s "
        f"({100 * (elapsed / ideal - 1):+.1f} % of the ideal {ideal:.1f} s), CPU "
        f"{time.process_time() - cpu:.2f} s; 429s provoked: {stats.violations.value - before}; "
        f"failed lookups: {refused}"
    )


def _timed_runs(base: str, stats: Stats, refs: list[Reference], limit: float) -> None:
    with tempfile.TemporaryDirectory() as cache_dir:
        settings = Settings.load(
            env={},
            crossref_url=base,
            cache=True,
            cache_dir=Path(cache_dir),
            rate_limits={"crossref-list": limit, "crossref": limit},
            concurrency={"crossref-list": 8, "crossref": 8},
            # The stand-in serves Crossref only: enrichment would wait on the real services.
            enrich_pubmed=False,
            enrich_openalex=False,
        )
        with Resolver(settings) as resolver:
            before = stats.violations.value
            start = time.perf_counter()
            first = resolver.resolve_many(refs, workers=8)
            elapsed = time.perf_counter() - start
            matched = sum(r.status == "matched" for r in first)
            ideal = len(refs) / limit
            print(
                f"speed: {len(refs)} lookups at limit {limit:g}/s in {elapsed:.2f} s "
                f"(ideal {ideal:.1f} s, {100 * (elapsed / ideal - 1):+.1f} %); "
                f"429s provoked: {stats.violations.value - before}; matched {matched}; "
                f"errors {sum(r.status == 'error' for r in first)}"
            )
            requests_before = stats.requests.value
            start = time.perf_counter()
            second = resolver.resolve_many(refs, workers=8)
            elapsed = time.perf_counter() - start
            same = all(a.status == b.status for a, b in zip(first, second, strict=True))
            rate = len(refs) / elapsed
            print(
                f"cache: {len(refs)} lookups in {elapsed:.2f} s = {rate:.0f} refs/s; "
                f"requests reaching the server: {stats.requests.value - requests_before}; "
                f"same outcome: {same}"
            )
        with Resolver(settings) as fresh:
            start = time.perf_counter()
            third = fresh.resolve_many(refs, workers=8)
            elapsed = time.perf_counter() - start
            print(
                f"cache (new Resolver, SQLite only): {len(refs) / elapsed:.0f} refs/s; "
                f"requests reaching the server: {stats.requests.value - requests_before}; "
                f"same outcome: {[r.status for r in first] == [r.status for r in third]}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="test DOIs (at most 2,000)")
    parser.add_argument("--styles", nargs="*", default=STYLES)
    parser.add_argument(
        "--split",
        choices=["test", "calibration"],
        default="test",
        help="the P3 test DOIs, or non-test records to calibrate on",
    )
    parser.add_argument("--threshold", type=float, default=STRING_THRESHOLD)
    parser.add_argument(
        "--curve", type=float, nargs="*", help="also print the trade-off at these thresholds"
    )
    parser.add_argument(
        "--candidates", type=Path, help="a JSON file to keep search results in between runs"
    )
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--limit", type=float, default=50.0, help="requests/s in the speed run")
    args = parser.parse_args(argv)

    records = load_records()
    by_doi = index_by_doi(records)
    index = Index([crossref_item(r) for r in records])
    if args.split == "test":
        chosen = test_records(records, min(args.n, 2000))
    else:
        chosen = calibration_records(records, args.n)
    print(
        f"index: {len(records)} records; {args.split} DOIs: {len(chosen)} "
        f"(first {chosen[0]['doi']}); string threshold {args.threshold:g}"
    )

    if not args.skip_accuracy:
        store: Candidates = {}
        if args.candidates and args.candidates.exists():
            store = json.loads(args.candidates.read_text(encoding="utf-8"))
        stats = Stats(limit=1e9)
        server, base = serve(index, stats)
        settings = Settings.load(
            env={},
            cache=False,
            rate_limits={"crossref-list": 1e6},
            concurrency={"crossref-list": 1},
        )
        fetch_candidates(HttpClient(settings), base, chosen, args.styles, store)
        server.shutdown()
        if args.candidates:
            args.candidates.write_text(json.dumps(store), encoding="utf-8")
        print_table(chosen, by_doi, args.styles, store, args.threshold)
        if args.curve:
            print_curve(chosen, by_doi, args.styles, store, args.curve)

    if not args.skip_speed:
        run_speed(index, records, args.limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
