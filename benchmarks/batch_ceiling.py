"""How fast can a batch row against a snapshot be?  The floor of each stage, run by hand.

For ``--count`` strings never matched before in this process (the scoring's memo tables
emptied every 200), CPU milliseconds per string of:

- the batch's rows as a worker makes them (``work._chunk_rows``), the figure to beat;
- each stage's work that no Python tuning removes, with this index design:
  the key lookup's term look-ups and query (tantivy), the search's word statistics,
  its top-5 query and reading the hits' stored JSON (tantivy), and decoding that JSON
  (``json.loads``, the least any reader of the stored records does);
- the Python around them: the string's keys and words, reading candidates into views,
  scoring them.

The floor (tantivy's share plus JSON decoding) is the fastest a row can be if every line
of Python scoring cost nothing; ``1000 / floor`` is the most references per CPU second
this index allows.

    python benchmarks/batch_ceiling.py --snapshot DIR --strings FILE.jsonl --count 1000

Reads a snapshot batch_bench.py built (``--data-dir``) and its strings; prints figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from _timing import load  # noqa: E402


def _clear() -> None:
    import mesorefs.resolve.scoring as scoring
    import mesorefs.resolve.similarity as similarity

    for module in (scoring, similarity):
        for value in vars(module).values():
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()


def _timed(times: dict[str, float], name: str, began: float) -> float:
    now = time.process_time()
    times[name] = times.get(name, 0.0) + now - began
    return now


def measure(resolver: Any, texts: list[str]) -> dict[str, float]:
    """CPU seconds of each piece over ``texts`` (see the module docstring)."""
    import tantivy

    from mesorefs.batch import work
    from mesorefs.resolve.decide import choose
    from mesorefs.resolve.scoring import score_string
    from mesorefs.snapshot.index import COMMON_SHARE, QUERY_WORDS, query_words
    from mesorefs.snapshot.keys import string_keys

    snapshot = resolver.snapshot
    reader = snapshot._readers["crossref"]
    searcher, schema = reader._searcher, reader._schema
    times: dict[str, float] = {"searched": 0.0}
    for start in range(0, len(texts), 200):
        chunk = texts[start : start + 200]
        _clear()
        began = time.process_time()
        for offset in range(0, len(chunk), work.STRING_CHUNK):
            items = [("x", t, None) for t in chunk[offset : offset + work.STRING_CHUNK]]
            list(work._chunk_rows(items, resolver))
        _timed(times, "rows", began)
        _clear()
        for text in chunk:
            began = time.process_time()
            keys = string_keys(text)
            began = _timed(times, "py: string keys", began)
            counts = [searcher.doc_freq("keys", key) for key in keys]
            held = [key for key, n in zip(keys, counts, strict=True) if n]
            addresses = []
            if held and max(counts) <= 8:
                query = tantivy.Query.boolean_query(
                    [
                        (tantivy.Occur.Should, tantivy.Query.term_query(schema, "keys", k))
                        for k in held
                    ]
                )
                addresses = [a for _, a in searcher.search(query, 8, count=False).hits]
            raws = [bytes(searcher.doc(a).get_first("raw") or b"").decode() for a in addresses]
            began = _timed(times, "tantivy: key look-ups + query + stored JSON", began)
            items = [json.loads(raw) for raw in raws]
            began = _timed(times, "json.loads", began)
            views = [snapshot.view_hit(hit) for hit in reader.lookup(keys, 8)]
            began = time.process_time()
            scored = [(v, score_string(text, v)) for v in views]
            began = _timed(times, "py: scoring", began)
            if scored and choose(scored, resolver.string_threshold)[0] is not None:
                continue
            times["searched"] += 1
            words = query_words(text)
            began = _timed(times, "py: query words", began)
            counted = sorted((f, w) for w in words if (f := searcher.doc_freq("text", w)))
            began = _timed(times, "tantivy: word statistics", began)
            common = COMMON_SHARE * reader.size
            chosen = [w for f, w in counted if f <= common][:QUERY_WORDS] or [
                w for _, w in counted[:3]
            ]
            if not chosen:
                continue
            query = tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Should, tantivy.Query.term_query(schema, "text", w))
                    for w in chosen
                ]
            )
            hits = searcher.search(query, 5, count=False).hits
            began = _timed(times, "tantivy: top-5 search", began)
            raws = [bytes(searcher.doc(a).get_first("raw") or b"").decode() for _, a in hits]
            began = _timed(times, "tantivy: stored JSON", began)
            items = [json.loads(raw) for raw in raws]
            began = _timed(times, "json.loads", began)
            views = [snapshot.view_hit(h) for h in reader.search(text, 5)]
            began = time.process_time()
            for view in views:
                score_string(text, view)
            _timed(times, "py: scoring", began)
        del items
    # Reading into views, timed apart on the same records (no tantivy inside).
    _clear()
    hits = [h for text in texts[:200] for h in snapshot.lookup_hits(text)]
    hits += [h for text in texts[:200] for h in snapshot.search_hits(text)]
    began = time.process_time()
    for hit in hits:
        json.loads(hit.raw)
    decoded = time.process_time() - began
    began = time.process_time()
    for hit in hits:
        snapshot.view_hit(hit)
    times["view per record"] = (time.process_time() - began - decoded) / max(1, len(hits))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", type=Path, required=True)
    parser.add_argument("--strings", type=Path, required=True, help="JSON Lines with text")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--skip", type=int, default=0, help="strings to leave out first")
    args = parser.parse_args(argv)

    from mesorefs.resolve.resolver import Resolver
    from mesorefs.settings import Settings

    settings = Settings.load(
        env={},
        snapshot_dir=str(args.snapshot),
        cache=False,
        enrich_pubmed=False,
        enrich_openalex=False,
    )
    resolver = Resolver(settings)
    with args.strings.open(encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle]
    warm, texts = texts[:50], texts[args.skip + 50 : args.skip + 50 + args.count]
    measure(resolver, warm)
    before = load()
    times = measure(resolver, texts)
    n = len(texts)
    view = times.pop("view per record") * 1000
    searched = times.pop("searched")
    rows = times.pop("rows") / n * 1000
    print(
        f"batch_ceiling {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {n:,} new "
        f"strings, {resolver.snapshot.records:,} records, searched {searched / n:.1%}; "
        f"load {before:.2f}-{load():.2f}"
    )
    print(f"  the batch's rows: {rows:.3f} ms = {1000 / rows:,.0f} per CPU s")
    floor = 0.0
    for name, seconds in sorted(times.items()):
        ms = seconds / n * 1000
        if not name.startswith("py:"):
            floor += ms
        print(f"  {name:<46} {ms:6.3f} ms")
    print(f"  reading one record into a view (after json.loads): {view:.3f} ms")
    print(
        f"  floor (tantivy + json.loads, no Python scoring): {floor:.3f} ms = "
        f"{1000 / floor:,.0f} per CPU s at most with this index"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
