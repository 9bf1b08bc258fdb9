"""Corpus-scale matching against a local snapshot on Dask (issue 17), run by hand.

Data (``_scale_data.py``): a snapshot source of ``--records`` Crossref work items (the
7,467 derived P3 records, the Crossref items of the recorded API samples, and synthetic
records whose values are drawn from the real distributions, each with a ``10.99999/``
DOI) written as gzipped Crossref public-data-file batches, and ``--strings`` reference
strings rendered from them in the matching set's 8 styles, a share (``--absent-share``)
from records left out of the snapshot, so that every link to them is a false link.  The
2,000 P3 test DOIs' real renderings (match_bench.py's strings) are added unless
``--no-p3``.  Both are cached under ``--data-dir`` and reused.

Measured:
- the snapshot build (``mesorefs.snapshot.build_snapshot``): wall and CPU time, Parquet
  and search-index bytes;
- matching (``mesorefs.batch.run_batch``, parse + resolve against the snapshot) with 1
  and 2 workers on a local Dask cluster, in interleaved rounds on ``--speed-strings``
  strings: references per second (wall) and per CPU second of the workers, the speed-up,
  the peak memory per worker (the batch's own figure and this script's sampling of
  every process it started);
- precision and recall against the known DOIs, over every string, per set and style,
  the false-link rate on strings whose target is absent, and the P3 strings beside
  match_bench.py's figures on the same strings (its stand-in index, run in-process);
- the projected time for 100 million references on 1, 10 and 100 machines of
  ``--cores`` cores from the measured per-core rate (assumptions printed).

    python benchmarks/batch_bench.py                      # 1,000,000 records, 100,000 strings
    python benchmarks/batch_bench.py --records 50000 --strings 5000 --speed-strings 2000 \
        --rounds 1 --no-p3                                  # about a minute
    python benchmarks/batch_bench.py --generate-only      # the data and its distributions

Big generations run niced (``nice -n 10``) on the shared 2-core box.  Figures, dates and
load: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import _scale_data as scale  # noqa: E402
from _timing import cpu_now, load  # noqa: E402

TARGET_RATE_PER_CORE = 1000.0
TARGET_SPEEDUP = 1.8
TARGET_WORKER_BYTES = 2e9
PROJECTED_REFERENCES = 100_000_000
CLEAN_STYLES = set(scale.STYLES) - set(scale.NOISY_SIBLING)


# -- data ----------------------------------------------------------------------------------


@dataclass
class Data:
    source: Path
    inputs: Path
    answers: dict[str, dict[str, Any]]
    speed_inputs: Path


def prepare(args: argparse.Namespace) -> Data:
    """The snapshot source and the strings, generated once and cached under --data-dir."""
    real = scale.load_real_records()
    extra = scale.recorded_crossref_items()
    generator = scale.Generator(real, scale.Pools(real), args.seed)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    source, reused = scale.write_source(args.data_dir, args.records, generator, extra)
    files = sorted(source.glob("*.json.gz"))
    size = sum(f.stat().st_size for f in files)
    print(
        f"source: {args.records:,} records in {len(files)} batches, {size / 1e6:.1f} MB gzipped, "
        f"{source} ({'reused' if reused else f'written in {time.perf_counter() - start:.1f} s'})"
    )
    present = scale.synthetic_count(args.records, real, extra)
    name = (
        f"strings-{args.records}-seed{args.seed}-v{scale.GENERATOR_VERSION}-{args.strings}"
        f"-absent{args.absent_share:g}{'' if args.no_p3 else '-p3'}"
    )
    inputs = args.data_dir / f"{name}.jsonl"
    answers_path = args.data_dir / f"{name}.answers.jsonl"
    if not answers_path.exists():
        start = time.perf_counter()
        rows = list(
            scale.make_strings(generator, present, args.strings, args.absent_share, not args.no_p3)
        )
        _write_jsonl(inputs, ({"id": r["id"], "text": r["text"]} for r in rows))
        _write_jsonl(answers_path, rows)  # written last: its presence means both are whole
        print(f"strings: {len(rows):,} rendered in {time.perf_counter() - start:.1f} s")
    answers = {r["id"]: r for r in _read_jsonl(answers_path)}
    counts = collections.Counter(r["set"] for r in answers.values())
    print(
        f"strings: {len(answers):,} ({', '.join(f'{n:,} {s}' for s, n in sorted(counts.items()))})"
        f", {inputs}"
    )
    # The speed runs take synthetic strings only (the P3 strings are 16,000 and would
    # dominate a small run), spread over the file.
    synthetic = [r for r in answers.values() if r["set"] != "p3"]
    step = max(1, len(synthetic) // max(1, args.speed_strings))
    speed_rows = synthetic[::step][: args.speed_strings]
    speed_inputs = args.data_dir / f"{name}.speed{len(speed_rows)}.jsonl"
    _write_jsonl(speed_inputs, ({"id": r["id"], "text": r["text"]} for r in speed_rows))
    if args.show:
        show_samples(generator, answers, args.show)
    return Data(source, inputs, answers, speed_inputs)


def _write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    partial.rename(path)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def show_samples(generator: scale.Generator, answers: dict[str, Any], count: int) -> None:
    """A few synthetic records and strings, and the real and synthetic distributions."""
    print(f"\n{count} synthetic records:")
    for number in range(count):
        print("  " + json.dumps(generator.record(number), ensure_ascii=False))
    print(f"\n{count} strings per set:")
    by_set: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for row in answers.values():
        by_set[row["set"]].append(row)
    for name, rows in sorted(by_set.items()):
        for row in random.Random(0).sample(rows, min(count, len(rows))):
            print(f"  [{name}, {row['style']}] {row['text']}")
    synthetic = [generator.record(n) for n in range(20_000)]
    print("\ndistributions, real 7,467 vs 20,000 synthetic:")
    for label, measure in DISTRIBUTIONS.items():
        print(f"  {label:32} real {measure(generator.real)}  |  synthetic {measure(synthetic)}")
    print()


def _quantiles(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    q = statistics.quantiles(values, n=10)
    return f"p10 {q[0]:g}, p50 {statistics.median(values):g}, p90 {q[-1]:g}"


def _top(values: list[str], n: int = 3) -> str:
    counts = collections.Counter(values)
    total = max(1, len(values))
    return ", ".join(f"{v[:28]} {100 * c / total:.1f}%" for v, c in counts.most_common(n))


def _first_page(record: dict[str, Any]) -> float | None:
    head = (record.get("pages") or "").split("-")[0]
    return float(head) if head.isdigit() else None


DISTRIBUTIONS = {
    "authors per record": lambda rs: _quantiles([len(r["authors"]) for r in rs]),
    "title words": lambda rs: _quantiles([len(r["title"].split()) for r in rs if r.get("title")]),
    "year": lambda rs: _quantiles([int(r["year"]) for r in rs if r.get("year")]),
    "volume (numeric)": lambda rs: _quantiles(
        [int(r["volume"]) for r in rs if str(r.get("volume") or "").isdigit()]
    ),
    "first page (numeric)": lambda rs: _quantiles(
        [p for r in rs if (p := _first_page(r)) is not None]
    ),
    "top containers": lambda rs: _top([r["container"] for r in rs if r.get("container")]),
    "top surnames": lambda rs: _top([a["family"] for r in rs for a in r["authors"]]),
}


# -- measuring -----------------------------------------------------------------------------


class PeakMemory:
    """The highest memory of any process this one started (a worker, its nanny), read
    every 0.2 s while running: the kernel's high-water mark (VmHWM) where there is one,
    else the resident size.

    Not ``ru_maxrss``: on Linux a spawned worker inherits across exec the peak of the
    process it was forked from, so it would report this script's size, not its own.
    """

    def __init__(self) -> None:
        import psutil

        self.psutil = psutil
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        me = self.psutil.Process()
        while True:
            for child in me.children(recursive=True):
                # A process may end between listing and reading.
                with contextlib.suppress(self.psutil.Error, OSError):
                    self.peak = max(
                        self.peak, high_water_mark(child.pid) or child.memory_info().rss
                    )
            if self._stop.wait(0.2):
                break


def high_water_mark(pid: int | str) -> int | None:
    """Peak resident bytes of a process since it started (Linux), or None."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None


@dataclass
class Run:
    workers: int
    rows: int
    wall: float
    cpu: float
    peak_reported: int
    peak_sampled: int
    out: Path
    loads: tuple[float, float]

    @property
    def rate(self) -> float:
        return self.rows / self.wall

    @property
    def rate_cpu(self) -> float:
        return self.rows / self.cpu if self.cpu else float("nan")


@dataclass
class Bench:
    snapshot_dir: Path
    work: Path
    runs: list[Run] = field(default_factory=list)

    def settings(self) -> Any:
        from mesorefs.settings import Settings

        # The snapshot answers everything: no cache, no enrichment from online services.
        return Settings.load(
            env={},
            snapshot_dir=str(self.snapshot_dir),
            cache=False,
            enrich_pubmed=False,
            enrich_openalex=False,
        )

    def run(
        self,
        inputs: Path,
        workers: int,
        partition_rows: int | None,
        scheduler: str | None = None,
    ) -> Run:
        from mesorefs.batch import run_batch

        out = Path(tempfile.mkdtemp(prefix=f"run-w{workers}-", dir=self.work))
        shutil.rmtree(out)  # a fresh folder each run: a rerun would skip finished partitions
        options: dict[str, Any] = {"settings": self.settings(), "workers": workers}
        if partition_rows:
            options["partition_rows"] = partition_rows
        if scheduler:
            options["scheduler"] = scheduler
        before_load = load()
        with PeakMemory() as memory:
            start = time.perf_counter()
            report = run_batch([inputs], out, **options)
            wall = time.perf_counter() - start
        run = Run(
            workers=workers,
            rows=int(report.rows),
            wall=wall,
            cpu=float(getattr(report, "cpu_seconds", 0.0) or 0.0),
            peak_reported=int(getattr(report, "peak_worker_rss", 0) or 0),
            peak_sampled=memory.peak,
            out=out,
            loads=(before_load, load()),
        )
        self.runs.append(run)
        return run


def build(args: argparse.Namespace, data: Data) -> Path:
    """Build the snapshot (or reuse one with --reuse-snapshot) and print what it cost."""
    from mesorefs.snapshot import build_snapshot

    target = args.data_dir / f"snapshot-{data.source.name}"
    if args.reuse_snapshot and (target / "BUILT").exists():
        print(f"snapshot: reused {target} (build not measured in this run)")
        return target
    shutil.rmtree(target, ignore_errors=True)
    files = sorted(data.source.glob("*.json.gz"))
    before, load_before = cpu_now(), load()
    start = time.perf_counter()
    report = build_snapshot(files, target)
    wall = time.perf_counter() - start
    cpu = cpu_now() - before
    parquet = int(getattr(report, "parquet_bytes", 0) or 0)
    index = int(getattr(report, "index_bytes", 0) or 0)
    records = int(getattr(report, "records", 0) or 0)
    skipped = list(getattr(report, "skipped", []) or [])
    print(
        f"snapshot build: {records:,} records in {wall:.1f} s wall, {cpu:.1f} CPU s "
        f"({records / wall:,.0f} records/s); Parquet {parquet / 1e6:,.1f} MB, index "
        f"{index / 1e6:,.1f} MB ({(parquet + index) / max(1, records):,.0f} bytes/record); "
        f"skipped files {len(skipped)}; peak memory of this process (the generated strings "
        f"included) {(high_water_mark('self') or 0) / 1e6:,.0f} MB; "
        f"load {load_before:.2f}-{load():.2f}"
    )
    for path, reason in skipped[:5]:
        print(f"  skipped {path}: {reason}")
    (target / "BUILT").write_text(json.dumps({"records": records}), encoding="utf-8")
    return target


def read_rows(out: Path) -> dict[str, dict[str, Any]]:
    """The batch's output rows by input id (one row per reference string)."""
    import pyarrow.dataset as ds

    files = sorted(str(p) for p in out.rglob("*.parquet"))
    table = ds.dataset(files, format="parquet").to_table(columns=["input_id", "status", "doi"])
    return {row["input_id"]: row for row in table.to_pylist()}


# -- accuracy ------------------------------------------------------------------------------


@dataclass
class Tally:
    n: int = 0
    tp: int = 0
    fp: int = 0
    absent: int = 0
    absent_links: int = 0
    errors: int = 0

    def add(self, other: Tally) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.n if self.n else 0.0

    @property
    def false_link(self) -> float:
        return self.absent_links / self.absent if self.absent else float("nan")

    @property
    def precision_all(self) -> float:
        """Correct links over every link, absent targets included."""
        links = self.tp + self.fp + self.absent_links
        return self.tp / links if links else 1.0


def _doi(value: Any) -> str | None:
    return str(value).strip().lower() if value else None


def score(answers: dict[str, dict[str, Any]], rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Tallies by (set, style), and the ids that got no row at all."""
    tallies: dict[tuple[str, str], Tally] = collections.defaultdict(Tally)
    missing = []
    for input_id, answer in answers.items():
        row = rows.get(input_id)
        if row is None:
            missing.append(input_id)
            continue
        tally = tallies[("p3" if answer["set"] == "p3" else "synthetic", answer["style"])]
        linked = _doi(row["doi"]) if row["status"] == "matched" else None
        tally.errors += row["status"] == "error"
        target = _doi(answer["answer"])
        if target is None:
            tally.absent += 1
            tally.absent_links += linked is not None
        else:
            tally.n += 1
            tally.tp += linked == target
            tally.fp += linked is not None and linked != target
    return {"tallies": tallies, "missing": missing}


def print_accuracy(
    scored: dict[str, Any], match_bench: dict[str, Any] | None, records: int
) -> None:
    tallies: dict[tuple[str, str], Tally] = scored["tallies"]
    print(
        f"\n{'set':10} {'style':38} {'n':>7} {'P':>7} {'R':>7} {'FL':>7} {'P all':>7} "
        f"{'errors':>6}   (FL: links when the target is absent; P all: absent included)"
    )
    for name in ("synthetic", "p3"):
        clean, every = Tally(), Tally()
        for style in scale.STYLES:
            tally = tallies.get((name, style))
            if tally is None:
                continue
            _print_tally(name, style, tally)
            every.add(tally)
            if style in CLEAN_STYLES:
                clean.add(tally)
        if every.n or every.absent:
            _print_tally(name, "all clean styles", clean)
            _print_tally(name, "all 8 styles", every)
    if scored["missing"]:
        print(f"inputs with no output row: {len(scored['missing'])} (e.g. {scored['missing'][:3]})")
    else:
        print("inputs with no output row: 0")
    if match_bench:
        print(
            f"\nP3 test strings, this batch against the {records:,}-record snapshot vs "
            "match_bench.py "
            "(its 7,467-record stand-in) on the same strings; target: within 0.5 points"
        )
        print(
            f"{'style':38} {'P batch':>8} {'P mb':>8} {'dP':>6} "
            f"{'R batch':>8} {'R mb':>8} {'dR':>6}"
        )
        for style, theirs in match_bench.items():
            ours = tallies.get(("p3", style)) if style != "all clean styles" else None
            if style == "all clean styles":
                ours = Tally()
                for s in CLEAN_STYLES:
                    ours.add(tallies.get(("p3", s), Tally()))
            if ours is None:
                continue
            dp = 100 * (ours.precision - theirs["precision"])
            dr = 100 * (ours.recall - theirs["recall"])
            met = "yes" if abs(dp) <= 0.5 and abs(dr) <= 0.5 else "NO"
            print(
                f"{style:38} {100 * ours.precision:8.2f} {100 * theirs['precision']:8.2f} "
                f"{dp:+6.2f} {100 * ours.recall:8.2f} {100 * theirs['recall']:8.2f} {dr:+6.2f}"
                f"  within 0.5: {met}"
            )


def _print_tally(name: str, style: str, t: Tally) -> None:
    fl = f"{100 * t.false_link:6.2f}%" if t.absent else "     - "
    print(
        f"{name:10} {style:38} {t.n + t.absent:7,} {100 * t.precision:7.2f} "
        f"{100 * t.recall:7.2f} {fl} {100 * t.precision_all:7.2f} {t.errors:6}"
    )


def match_bench_figures(cache: Path) -> dict[str, dict[str, float]]:
    """match_bench.py's precision and recall on the 2,000 P3 test DOIs, per style and over
    the clean styles, computed here with the code under test (its candidates cached)."""
    import match_bench as mb
    from mesorefs.resolve.decide import STRING_THRESHOLD
    from mesorefs.resolve.http import HttpClient
    from mesorefs.settings import Settings

    records = mb.load_records()
    by_doi = mb.index_by_doi(records)
    chosen = mb.test_records(records, 2000)
    store: dict[str, Any] = json.loads(cache.read_text(encoding="utf-8")) if cache.exists() else {}
    needed = sum(1 for r in chosen for s in scale.STYLES if r["strings"].get(s))
    if len(store) < 2 * needed:
        index = mb.Index([mb.crossref_item(r) for r in records])
        server, base = mb.serve(index, mb.Stats(limit=1e9))
        settings = Settings.load(
            env={},
            cache=False,
            rate_limits={"crossref-list": 1e6},
            concurrency={"crossref-list": 1},
        )
        mb.fetch_candidates(HttpClient(settings), base, chosen, list(scale.STYLES), store)
        server.shutdown()
        cache.write_text(json.dumps(store), encoding="utf-8")
    figures: dict[str, dict[str, float]] = {}
    clean = mb.Tally()
    for style in scale.STYLES:
        tally = mb.evaluate(chosen, by_doi, style, store, STRING_THRESHOLD)
        figures[style] = tally.row()
        if style in CLEAN_STYLES:
            for name in ("n", "tp", "fp"):
                setattr(clean, name, getattr(clean, name) + getattr(tally, name))
    figures["all clean styles"] = clean.row()
    return figures


# -- speed and projection ------------------------------------------------------------------


def start_clusters() -> dict[int, Any]:
    """A local Dask cluster of 1 and one of 2 single-threaded worker processes, started
    before the timing so that each round measures matching, not cluster start-up."""
    from dask.distributed import LocalCluster

    clusters = {}
    for workers in (1, 2):
        start = time.perf_counter()
        clusters[workers] = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: another cluster may hold 8787
            silence_logs=logging.ERROR,
        )
        print(f"  cluster of {workers} worker(s) started in {time.perf_counter() - start:.1f} s")
    return clusters


def speed_rounds(
    bench: Bench,
    inputs: Path,
    rounds: int,
    partition_rows: int | None,
    cores: int,
    own_clusters: bool,
) -> None:
    """1 and 2 workers in turn, ``rounds`` times; the figure is the median.  The first
    round on a cluster opens the snapshot in its workers; it counts like the others."""
    clusters = start_clusters() if own_clusters else {}
    by_workers: dict[int, list[Run]] = {1: [], 2: []}
    try:
        _rounds(bench, inputs, rounds, partition_rows, clusters, by_workers)
    finally:
        for cluster in clusters.values():
            cluster.close()
    one = statistics.median(r.rate for r in by_workers[1])
    two = statistics.median(r.rate for r in by_workers[2])
    one_cpu = statistics.median(r.rate_cpu for r in by_workers[1])
    two_cpu = statistics.median(r.rate_cpu for r in by_workers[2])
    speedup = two / one
    peak = max(r.peak_sampled for r in bench.runs)
    reported = max(r.peak_reported for r in bench.runs)
    print(
        f"\nmatching speed, median of {rounds} interleaved round(s):\n"
        f"  1 worker:  {one:,.0f} references/s wall, {one_cpu:,.0f} per CPU s"
        f"  [target >= {TARGET_RATE_PER_CORE:,.0f}/s per core, per CPU s: "
        f"{'yes' if one_cpu >= TARGET_RATE_PER_CORE else 'NO'}; wall: "
        f"{'yes' if one >= TARGET_RATE_PER_CORE else 'NO'}]\n"
        f"  2 workers: {two:,.0f} references/s wall, {two_cpu:,.0f} per CPU s\n"
        f"  speed-up:  {speedup:.2f}x  [target >= {TARGET_SPEEDUP}x: "
        f"{'yes' if speedup >= TARGET_SPEEDUP else 'NO'}]; CPU per reference with 2 workers "
        f"over 1: {one_cpu / two_cpu:.2f} (near 1: a shortfall is idle time or the box's "
        f"other load, not extra work)\n"
        f"  peak memory per worker (VmHWM, every run): {peak / 1e6:,.0f} MB  [target <= "
        f"{TARGET_WORKER_BYTES / 1e9:.1f} GB: {'yes' if peak <= TARGET_WORKER_BYTES else 'NO'}]"
        f"; the batch's own peak_worker_rss {reported / 1e6:,.0f} MB"
    )
    project(one_cpu, speedup / 2, peak, cores)


def _rounds(
    bench: Bench,
    inputs: Path,
    rounds: int,
    partition_rows: int | None,
    clusters: dict[int, Any],
    by_workers: dict[int, list[Run]],
) -> None:
    for number in range(rounds):
        for workers in (1, 2) if number % 2 == 0 else (2, 1):
            cluster = clusters.get(workers)
            scheduler = cluster.scheduler_address if cluster else None
            run = bench.run(inputs, workers, partition_rows, scheduler)
            by_workers[workers].append(run)
            print(
                f"  round {number + 1}, {workers} worker(s): {run.rows:,} rows in {run.wall:.1f} s "
                f"= {run.rate:,.0f}/s wall, {run.rate_cpu:,.0f} per CPU s of the workers; "
                f"peak worker {run.peak_reported / 1e6:,.0f} MB "
                f"(sampled {run.peak_sampled / 1e6:,.0f} MB); "
                f"load {run.loads[0]:.2f}-{run.loads[1]:.2f}",
                flush=True,
            )
            shutil.rmtree(run.out, ignore_errors=True)


def _clear_value_caches() -> None:
    """Empty the scoring's memo tables (what a batch of strings never seen meets)."""
    import mesorefs.resolve.scoring as scoring
    import mesorefs.resolve.similarity as similarity

    for module in (scoring, similarity):
        for value in vars(module).values():
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()


def _stage_times(resolver: Any, texts: list[str]) -> dict[str, float]:
    """CPU seconds of each stage over ``texts``, as ``resolve_string`` runs them: the key
    lookup, the search (only for strings the keys did not match), parsing and scoring
    the candidates, and the whole, each on caches cleared before it."""
    from mesorefs.resolve.decide import choose
    from mesorefs.resolve.scoring import score_string

    snapshot = resolver.snapshot
    # The batch reads candidates as views (what scoring reads, no Reference built).
    read = getattr(snapshot, "view_hit", snapshot.parse_hit)
    times: dict[str, float] = {}
    _clear_value_caches()
    began = time.process_time()
    keyed = [snapshot.lookup_hits(text) for text in texts]
    times["keys"] = time.process_time() - began
    began = time.process_time()
    parsed = [[read(hit) for hit in hits] for hits in keyed]
    times["parse"] = time.process_time() - began
    _clear_value_caches()
    began = time.process_time()
    scored = [
        [(r, score_string(text, r)) for r in refs] for text, refs in zip(texts, parsed, strict=True)
    ]
    times["score"] = time.process_time() - began
    searched = [
        text
        for text, pairs in zip(texts, scored, strict=True)
        if not pairs or choose(pairs, resolver.string_threshold)[0] is None
    ]
    times["searched"] = float(len(searched))
    began = time.process_time()
    found = [snapshot.search_hits(text) for text in searched]
    times["search"] = time.process_time() - began
    began = time.process_time()
    parsed = [[read(hit) for hit in hits] for hits in found]
    times["parse"] += time.process_time() - began
    _clear_value_caches()
    began = time.process_time()
    for text, refs in zip(searched, parsed, strict=True):
        for ref in refs:
            score_string(text, ref)
    times["score"] += time.process_time() - began
    _clear_value_caches()
    began = time.process_time()
    _batch_rows(resolver, texts)
    times["whole"] = time.process_time() - began
    _clear_value_caches()
    began = time.process_time()
    for text in texts:
        resolver.resolve_string(text)
    times["resolve_string"] = time.process_time() - began
    return times


def _batch_row(resolver: Any, text: str) -> Any:
    """The batch's row of one string (``resolve_string`` where the batch has no row path)."""
    from mesorefs.batch import work

    row = getattr(work, "_string_row", None)
    return row("x", text, resolver) if row else resolver.resolve_string(text)


def _batch_rows(resolver: Any, texts: list[str]) -> list[Any]:
    """The batch's rows of ``texts`` as a worker makes them: in chunks of
    ``work.STRING_CHUNK`` matched stage by stage where the code has them, else one by one."""
    from mesorefs.batch import work

    chunk_rows = getattr(work, "_chunk_rows", None)
    if chunk_rows is None:
        return [_batch_row(resolver, text) for text in texts]
    size = work.STRING_CHUNK
    rows: list[Any] = []
    for start in range(0, len(texts), size):
        rows.extend(chunk_rows([("x", t, None) for t in texts[start : start + size]], resolver))
    return rows


def stages(snapshot_dir: Path, inputs: Path, count: int, rounds: int) -> None:
    """CPU time per reference of matching in this process, cold, warm on new strings and
    warm on the same strings, with the stages of the warm-new figure: the key lookup, the
    search (for the strings the keys left), reading (parsing) and scoring the candidates,
    and the rest (deciding; in ``resolve_string`` also merging and notes).  The whole is
    the batch's rows as a worker makes them (chunks matched stage by stage, candidates
    read as views); ``resolve_string`` is timed beside it.

    Cold: a new resolver opening the snapshot and matching the first ``count`` strings
    (the operating system's file cache is warm from the runs before).  Warm-new: each
    round on ``count`` strings no round saw before, the scoring's memo tables emptied
    before each stage; the median of ``rounds``.  Warm-same: the last round's strings
    again, tables kept."""
    from mesorefs.resolve.resolver import Resolver
    from mesorefs.settings import Settings
    from mesorefs.snapshot.catalogue import open_snapshot

    texts = [row["text"] for row in _read_jsonl(inputs)]
    needed = count * (rounds + 1)
    if len(texts) < needed:
        count = max(1, len(texts) // (rounds + 1))
        print(f"\nstages: only {len(texts):,} strings; {count:,} a round")
    settings = Settings.load(
        env={},
        snapshot_dir=str(snapshot_dir),
        cache=False,
        enrich_pubmed=False,
        enrich_openalex=False,
    )
    open_snapshot.cache_clear()
    _clear_value_caches()
    began = time.process_time()
    resolver = Resolver(settings)
    opened = time.process_time() - began
    _batch_rows(resolver, texts[:count])
    cold = time.process_time() - began
    per_round: list[dict[str, float]] = []
    for number in range(rounds):
        chunk = texts[count * (number + 1) : count * (number + 2)]
        per_round.append({k: v / len(chunk) for k, v in _stage_times(resolver, chunk).items()})
    began = time.process_time()
    _batch_rows(resolver, chunk)
    same = (time.process_time() - began) / len(chunk)
    per = {k: statistics.median(r[k] for r in per_round) * 1000 for k in per_round[0]}
    share = per.pop("searched") / 1000
    rest = per["whole"] - per["keys"] - per["search"] - per["parse"] - per["score"]
    print(
        f"\nstages, {count:,} strings a round in this process, CPU ms per reference "
        f"(load {load():.2f}):\n"
        f"  cold (opening the snapshot, {opened * 1000:.0f} ms, included): "
        f"{cold / count * 1000:6.3f} ms = {count / cold:,.0f} references per CPU s\n"
        f"  warm, new strings (median of {rounds} rounds), by stage:"
    )
    for name in ("keys", "search", "parse", "score"):
        note = f"  (searched: {share:.1%} of strings)" if name == "search" else ""
        print(f"    {name:<7} {per[name]:6.3f} ms  ({per[name] / per['whole']:5.1%}){note}")
    print(f"    {'rest':<7} {rest:6.3f} ms  ({rest / per['whole']:5.1%})")
    print(
        f"    whole   {per['whole']:6.3f} ms = {1000 / per['whole']:,.0f} references per CPU s"
        f" (a batch's rows)\n"
        f"  warm, new strings, resolve_string (the merged reference and candidates made): "
        f"{per['resolve_string']:6.3f} ms = {1000 / per['resolve_string']:,.0f} per CPU s\n"
        f"  warm, the same strings again: {same * 1000:6.3f} ms = {1 / same:,.0f} per CPU s"
    )


def project(per_core: float, efficiency: float, peak: int, cores_per_machine: int) -> None:
    """Projected wall time for 100 million references from the measured 1-worker rate."""
    print(
        f"\nprojection for {PROJECTED_REFERENCES:,} references, {cores_per_machine} cores per "
        f"machine, one worker per core, each at the measured 1-worker rate per CPU second "
        f"({per_core:,.0f}/s: what a worker does on a core of its own; the wall rate here "
        f"is lower because the box is shared) times the measured 2-worker wall efficiency "
        f"({efficiency:.2f}: speed-up / 2, which the load lowers), assumed to hold at "
        f"{cores_per_machine} workers per machine; the snapshot on shared storage read by "
        f"every worker; scheduling, start-up and input/output transfer not counted; memory per "
        f"machine = workers x measured peak ({cores_per_machine * peak / 1e9:,.1f} GB):"
    )
    for machines in (1, 10, 100):
        rate = per_core * efficiency * cores_per_machine * machines
        seconds = PROJECTED_REFERENCES / rate
        print(
            f"  {machines:>3} machine(s) x {cores_per_machine} cores: {rate:,.0f} references/s, "
            f"{_duration(seconds)}"
        )


def _duration(seconds: float) -> str:
    if seconds >= 86_400:
        return f"{seconds / 86_400:.1f} days"
    if seconds >= 3_600:
        return f"{seconds / 3_600:.1f} hours"
    return f"{seconds / 60:.1f} minutes"


# -- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000, help="snapshot records")
    parser.add_argument("--strings", type=int, default=100_000, help="synthetic strings")
    parser.add_argument(
        "--absent-share", type=float, default=0.1, help="share of strings whose target is absent"
    )
    parser.add_argument("--no-p3", action="store_true", help="leave out the P3 test strings")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "mesorefs-batch-bench",
        help="where the generated data and the snapshot are cached",
    )
    parser.add_argument(
        "--speed-strings", type=int, default=20_000, help="strings in each timed speed run"
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved speed rounds")
    parser.add_argument(
        "--partition-rows",
        type=int,
        help="rows per batch partition (default: the library's for the accuracy run, an "
        "eighth of --speed-strings for the speed runs)",
    )
    parser.add_argument("--cores", type=int, default=16, help="cores per machine in the projection")
    parser.add_argument(
        "--cluster-per-run",
        action="store_true",
        help="let every speed run start its own cluster (start-up timed) instead of two "
        "clusters started beforehand",
    )
    parser.add_argument("--reuse-snapshot", action="store_true", help="skip the build if built")
    parser.add_argument("--generate-only", action="store_true", help="make the data, then stop")
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument(
        "--stages", type=int, default=2000, help="strings a round timed stage by stage (0: none)"
    )
    parser.add_argument("--skip-match-bench", action="store_true", help="no match_bench column")
    parser.add_argument("--show", type=int, default=0, help="print N samples and distributions")
    args = parser.parse_args(argv)

    print(f"batch_bench {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {load():.2f}")
    data = prepare(args)
    if args.generate_only:
        return 0
    snapshot_dir = build(args, data)
    work = Path(tempfile.mkdtemp(prefix="runs-", dir=args.data_dir))
    bench = Bench(snapshot_dir, work)
    try:
        if not args.skip_accuracy:
            run = bench.run(data.inputs, 2, args.partition_rows)
            print(
                f"\naccuracy run, 2 workers: {run.rows:,} rows in {run.wall:.1f} s = "
                f"{run.rate:,.0f}/s wall, {run.rate_cpu:,.0f} per CPU s of the workers; load "
                f"{run.loads[0]:.2f}-{run.loads[1]:.2f}"
            )
            scored = score(data.answers, read_rows(run.out))
            figures = None
            if not args.skip_match_bench and not args.no_p3:
                figures = match_bench_figures(args.data_dir / "match-bench-candidates.json")
            print_accuracy(scored, figures, args.records)
            shutil.rmtree(run.out, ignore_errors=True)
        if not args.skip_speed:
            # Eight partitions or more, so that two workers share the work evenly.
            speed_partition = args.partition_rows or max(250, args.speed_strings // 8)
            print(
                f"\nspeed runs on {data.speed_inputs.name}, {speed_partition:,} rows per partition:"
            )
            speed_rounds(
                bench,
                data.speed_inputs,
                args.rounds,
                speed_partition,
                args.cores,
                not args.cluster_per_run,
            )
        if args.stages:
            stages(snapshot_dir, data.speed_inputs, args.stages, args.rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nload at the end {load():.2f} (2 cores, shared); CPU count {os.cpu_count()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
