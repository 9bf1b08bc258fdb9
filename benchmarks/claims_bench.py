"""Benchmark the claim checker on SciFact (PROTOCOL.md in shared/data/claims).

Each claim is checked against its own simulated reference list R = cited docs + k
distractors (random, hard = BM25-top non-cited, mixed = 5 hard + k-5 random), by the
engine ``check_claims`` uses (``--engine baseline``: the cue baseline).  Prints
abstract-level label-only and label+rationale P/R/F1, claim-level UNSUPPORTED and
CONTRADICTED flag P/R/F1, evidence recall@1/@3, and seconds per claim, for whichever
verifier engine runs.  Tune only on train (``--split train``); report on dev.

    python benchmarks/claims_bench.py [--data DIR] [--dense [--torch]] [--end-to-end N]

``--data`` defaults to ``../shared/data/claims/scifact`` beside the repository.
``--dense`` fuses the shipped int8 ONNX all-MiniLM-L6-v2 (``--torch``: the torch model);
``--vectors DIR`` keeps passage vectors on disk between runs (the corpus is 5,183
abstracts, ~49K sentences).

"seconds per claim" in the main figures assumes every reference was embedded
beforehand (as for a library checked again).  ``--end-to-end N`` (default 10) also
checks the first N claims one at a time as a user meets them: every reference of the
claim's pool new, so its passages are embedded inside the timed call, the tokenizer's
caches emptied; then the same claim again with the embeddings and caches warm.
CPU seconds (both ONNX threads count) and wall seconds, medians, with the load.

Figures, dates and load: benchmarks/README.md (the figures below are the last ones
measured with the full dev split).

Measured 2026-12-02 (2 shared cores), dev, mixed k=20 seed 0, dense ranking::

    python benchmarks/claims_bench.py --split dev --settings mixed --dense --vectors /tmp/v

                           stance-lr/1 (default)   baseline-cues/2 (--engine baseline)
    label-only F1          0.444 (P .503 R .397)   0.405 (P .458 R .364)
    label+rationale F1     0.374                   0.341
    UNSUPPORTED flag F1    0.747 (trivial 0.739)   0.751
    CONTRADICTED flag F1   0.304 (trivial 0.352)   0.191
    recall@1 / recall@3    0.772 / 0.913           0.772 / 0.913
    seconds per claim      0.041                   0.020

The stance model's thresholds were chosen on train (5-fold CV inside train, three
seeds: label-only 0.446, UNSUPPORTED 0.735, CONTRADICTED 0.389).  The ceiling of
these features, out of fold on train: a claim's best support probability separates
supported claims from the rest with AUC 0.718, and the best UNSUPPORTED F1 any
threshold on it reaches is 0.747 (always flagging: 0.742), so an UNSUPPORTED F1 of
0.80 is out of their reach; its best contradiction probability has AUC 0.698, best
CONTRADICTED F1 0.451 (always flagging: 0.352).
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import itertools
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from _data import REPO, SCIFACT
from _metrics import prf_counts as prf
from _timing import cpu_now, load
from mesorefs.claims import retrieve
from mesorefs.claims.check import LinkSettings, link_claim
from mesorefs.claims.encoder import OnnxEncoder
from mesorefs.claims.evidence import passages_for_all
from mesorefs.claims.report import Claim
from mesorefs.claims.retrieve import (
    Encoder,
)
from mesorefs.claims.stance import load_stance_model
from mesorefs.claims.verify import BaselineVerifier, Verifier

sys.path.insert(0, str(REPO))
from training.scifact import Doc, Prepared, load_corpus, make_pools, prepare

COUNTS = (
    "label",
    "rationale",
    "predicted",
    "gold",
    "U_ok",
    "U_pred",
    "U_gold",
    "C_ok",
    "C_pred",
    "C_gold",
)


def score(
    prepared: list[Prepared],
    docs: dict[str, Doc],
    verifier: Verifier,
    settings: LinkSettings,
) -> dict[str, Any]:
    """Link every prepared claim with ``verifier`` and score the links and flags.

    ``per_claim`` holds each claim's counts (columns ``COUNTS``), so any subset of the
    claims (a cross-validation fold) can be scored with :func:`summarise`.
    """
    rows = np.zeros((len(prepared), len(COUNTS)), dtype=np.int64)
    recall1: list[float] = []
    recall3: list[float] = []
    t0 = time.perf_counter()
    for n, item in enumerate(prepared):
        c, ranked = item.claim, item.ranked
        claim = Claim(
            f"c{c['id']}", c["claim"], c["claim"], "sentence", 0, 0, None, None, True, None
        )
        result = link_claim(claim, item.index, verifier, settings, ranked=ranked)
        evidence: dict[str, list[dict[str, Any]]] = c.get("evidence", {})
        gold_labels = {d: sets[0]["label"] for d, sets in evidence.items()}
        row = rows[n]
        row[3] = len(gold_labels)
        if gold_labels:
            order = [r.key for r in ranked]
            recall1.append(len(set(order[:1]) & set(gold_labels)) / len(gold_labels))
            recall3.append(len(set(order[:3]) & set(gold_labels)) / len(gold_labels))
        top = {r.key: r for r in ranked}
        pred_labels: dict[str, str] = {}
        for link in result.links:
            if link.stance == "neutral":
                continue
            label = "SUPPORT" if link.stance == "supports" else "CONTRADICT"
            pred_labels[link.key] = label
            row[2] += 1
            if gold_labels.get(link.key) == label:
                row[0] += 1
                doc = docs[link.key]
                chosen = {
                    bisect.bisect_right(doc.offsets, p.passage.start) - 1
                    for p in top[link.key].passages[:3]
                    if p.passage.field == "abstract"
                }
                if any(set(s["sentences"]) <= chosen for s in evidence[link.key]):
                    row[1] += 1
        for column, name in ((4, "SUPPORT"), (7, "CONTRADICT")):
            if name == "SUPPORT":
                gold = name not in gold_labels.values()
                pred = name not in pred_labels.values()
            else:
                gold = name in gold_labels.values()
                pred = name in pred_labels.values()
            row[column : column + 3] = (gold and pred, pred, gold)
    out = summarise(rows)
    out.update(
        {
            "per_claim": rows,
            "recall@1": sum(recall1) / len(recall1) if recall1 else 0.0,
            "recall@3": sum(recall3) / len(recall3) if recall3 else 0.0,
            "n_evidence_claims": len(recall1),
            "link_s_per_claim": (time.perf_counter() - t0) / max(len(prepared), 1),
        }
    )
    return out


def summarise(rows: np.ndarray[Any, Any]) -> dict[str, Any]:
    """P/R/F1 of links and flags from per-claim counts (columns ``COUNTS``)."""
    t = [int(v) for v in rows.sum(axis=0)]
    return {
        "label_only": prf(t[0], t[2], t[3]),
        "label_rationale": prf(t[1], t[2], t[3]),
        "flags": {"UNSUPPORTED": prf(t[4], t[5], t[6]), "CONTRADICTED": prf(t[7], t[8], t[9])},
        "always_unsupported": prf(t[6], len(rows), t[6]),
    }


def objective(summary: dict[str, Any]) -> float:
    """What the grid maximises: the mean of label-only F1 and UNSUPPORTED-flag F1."""
    return float((summary["label_only"][2] + summary["flags"]["UNSUPPORTED"][2]) / 2)


def evaluate(
    claims: list[dict[str, Any]],
    docs: dict[str, Doc],
    pools: dict[int, list[str]],
    verifier: Verifier,
    encoder: Encoder | None,
    settings: LinkSettings,
) -> dict[str, Any]:
    """Rank and score one verifier; seconds per claim cover index, ranking and linking."""
    prepared, took = prepare(claims, docs, pools, encoder, settings)
    out = score(prepared, docs, verifier, settings)
    out["rank_s_per_claim"] = took / max(len(claims), 1)
    return out


GRID = {
    "relevance": [0.3, 0.4, 0.5, 0.6],
    "support": [0.5, 0.55, 0.6, 0.65, 0.7, 0.75],
    "dense_weight": [0.25, 0.5, 0.75],
    "scope": [0.25, 0.4],
}


def grid(prepared: list[Prepared], docs: dict[str, Doc], settings: LinkSettings, seed: int) -> None:
    """Score every BaselineVerifier setting of GRID on ``prepared`` (train only!).

    Prints each setting's figures on all of ``prepared``, then a 5-fold cross-validation:
    per fold the setting with the best :func:`objective` on the other four folds, scored
    on the held-out fold.
    """
    names = list(GRID)
    results: list[tuple[dict[str, float], np.ndarray[Any, Any]]] = []
    for values in itertools.product(*GRID.values()):
        config = dict(zip(names, values, strict=True))
        if config["support"] < config["relevance"]:
            continue
        rows = score(prepared, docs, BaselineVerifier(**config), settings)["per_claim"]
        results.append((config, rows))
        out = summarise(rows)
        print(
            " ".join(f"{k}={v:g}" for k, v in config.items())
            + f"  label-F1 {out['label_only'][2]:.3f}"
            + f"  UNSUP-F1 {out['flags']['UNSUPPORTED'][2]:.3f}"
            + f"  CONTRA-F1 {out['flags']['CONTRADICTED'][2]:.3f}"
            + f"  objective {objective(out):.3f}",
            flush=True,
        )
    always = summarise(results[0][1])["always_unsupported"][2]
    print(f"\nalways-UNSUPPORTED F1 on these claims: {always:.3f}")
    ranked = sorted(results, key=lambda r: -objective(summarise(r[1])))
    print("top 10 by objective (mean of label-only F1 and UNSUPPORTED F1) on all these claims:")
    for config, rows in ranked[:10]:
        out = summarise(rows)
        print(
            f"  {config}  label-F1 {out['label_only'][2]:.3f}"
            f"  UNSUP-F1 {out['flags']['UNSUPPORTED'][2]:.3f}"
            f"  CONTRA-F1 {out['flags']['CONTRADICTED'][2]:.3f}"
        )
    folds = np.arange(len(prepared)) % 5
    random.Random(seed).shuffle(folds)  # type: ignore[arg-type]
    held: list[np.ndarray[Any, Any]] = []
    for f in range(5):
        inside = folds != f
        config, rows = max(results, key=lambda r: objective(summarise(r[1][inside])))
        held.append(rows[~inside])
        print(f"fold {f}: chose {config}")
    cv = summarise(np.concatenate(held))
    print(
        f"5-fold CV (held-out folds): label-F1 {cv['label_only'][2]:.3f}"
        f"  UNSUP-F1 {cv['flags']['UNSUPPORTED'][2]:.3f}"
        f"  CONTRA-F1 {cv['flags']['CONTRADICTED'][2]:.3f}"
    )


def end_to_end(
    claims: list[dict[str, Any]],
    docs: dict[str, Doc],
    pools: dict[int, list[str]],
    verifier: Verifier,
    encoder: Encoder | None,
    settings: LinkSettings,
) -> None:
    """Each claim checked with its references new (embedded in the timed call), then again
    with everything warm; medians of CPU and wall seconds per claim."""
    new_cpu, new_wall, warm_cpu, warm_wall, passages = [], [], [], [], []
    loads = [load()]
    for c in claims:
        memo = getattr(encoder, "_cache", None)
        if memo is not None:
            encoder._cache = type(memo)()  # type: ignore[union-attr]
        retrieve.stem.cache_clear()
        retrieve._tokens.cache_clear()
        for times_cpu, times_wall in ((new_cpu, new_wall), (warm_cpu, warm_wall)):
            t, w = cpu_now(), time.perf_counter()
            evaluate([c], docs, pools, verifier, encoder, settings)
            times_cpu.append(cpu_now() - t)
            times_wall.append(time.perf_counter() - w)
        fresh = getattr(encoder, "_cache", None)
        passages.append(len(fresh) if fresh is not None else 0)
        if memo is not None:
            memo.update(fresh)  # type: ignore[arg-type]
            encoder._cache = memo  # type: ignore[union-attr]
    loads.append(load())
    med = statistics.median
    print(
        f"end to end, {len(claims)} claims one at a time (load {min(loads):.2f}-{max(loads):.2f}),"
        " median per claim:"
    )
    print(
        "  references new "
        + (
            f"(~{med(passages):.0f} passages embedded, token caches empty): "
            if encoder is not None
            else "(lexical ranking, nothing to embed; token caches empty): "
        )
        + f"{med(new_cpu):.3f} CPU s, {med(new_wall):.3f} wall s"
    )
    print(
        f"  references already embedded, caches warm: {med(warm_cpu):.3f} CPU s, "
        f"{med(warm_wall):.3f} wall s; ratio {med(new_cpu) / max(med(warm_cpu), 1e-9):.1f}x"
    )


def fmt(name: str, t: tuple[float, float, float]) -> str:
    return f"{name:<22} P {t[0]:.3f}  R {t[1]:.3f}  F1 {t[2]:.3f}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SCIFACT)
    parser.add_argument("--split", choices=["dev", "train"], default="dev")
    parser.add_argument("--settings", default="mixed,random,hard")
    parser.add_argument("-k", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--dense", action="store_true", help="fuse all-MiniLM-L6-v2 (int8 ONNX)")
    parser.add_argument("--torch", action="store_true", help="with --dense: the torch model")
    parser.add_argument("--vectors", type=Path, default=None, help="ONNX passage vectors cache")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache/mesorefs/claims-bench")
    parser.add_argument("--relevance", type=float, default=None)
    parser.add_argument("--support", type=float, default=None)
    parser.add_argument("--dense-weight", type=float, default=None)
    parser.add_argument("--scope", type=float, default=None)
    parser.add_argument(
        "--engine",
        choices=["default", "baseline"],
        default="default",
        help="default: what check_claims uses (the stance model after dense ranking)",
    )
    parser.add_argument(
        "--grid", action="store_true", help="score the BaselineVerifier grid (train only)"
    )
    parser.add_argument(
        "--grid-set",
        action="append",
        default=[],
        metavar="NAME=V1,V2",
        help="replace one dimension of the grid (repeatable)",
    )
    parser.add_argument(
        "--sample", type=int, default=0, help="a seeded random sample of this many claims"
    )
    parser.add_argument(
        "--end-to-end",
        type=int,
        default=10,
        metavar="N",
        help="also time the first N claims with their references new (0: skip)",
    )
    args = parser.parse_args(argv)
    if args.grid and args.split != "train":
        parser.error("--grid chooses settings: run it on --split train only")

    os.environ.setdefault("OMP_NUM_THREADS", "2")
    docs = load_corpus(args.data / "corpus.jsonl")
    claims = [json.loads(line) for line in (args.data / f"claims_{args.split}.jsonl").open()]
    if args.limit:
        claims = claims[: args.limit]
    if args.sample:
        claims = sorted(random.Random(args.seed).sample(claims, args.sample), key=lambda c: c["id"])
    for item in args.grid_set:
        name, _, values = item.partition("=")
        if name not in GRID:
            parser.error(f"--grid-set: no grid dimension {name!r}")
        GRID[name] = [float(v) for v in values.split(",")]
    encoder: Encoder | None = None
    onnx: OnnxEncoder | None = None
    if args.dense and args.torch:
        from mesorefs.claims.retrieve import MiniLMEncoder

        t = time.perf_counter()
        encoder = MiniLMEncoder(threads=2)
        print(f"model load: {time.perf_counter() - t:.1f} s")
    elif args.dense:
        t = time.perf_counter()
        encoder = onnx = OnnxEncoder(threads=2)
        onnx.encode(["warm up"])
        print(f"model load: {time.perf_counter() - t:.1f} s")
        for f in sorted(args.vectors.glob("*.json")) if args.vectors else []:
            onnx.remember(json.loads(f.read_text()), np.load(f.with_suffix(".npy")))
    # The engine check_claims picks for this ranking (the stance model after dense
    # ranking), or the cue baseline with any threshold overridden.
    base = BaselineVerifier() if encoder is not None else BaselineVerifier.lexical()
    stance = load_stance_model() if encoder is not None else None
    verifier: Verifier = dataclasses.replace(
        base,
        **{
            name: value
            for name, value in (
                ("relevance", args.relevance),
                ("support", args.support),
                ("dense_weight", args.dense_weight),
                ("scope", args.scope),
            )
            if value is not None
        },
    )
    if args.engine == "default" and stance is not None and not args.grid:
        verifier = stance
    settings = LinkSettings()
    print(f"split={args.split} claims={len(claims)} k={args.k} seed={args.seed}")
    print(f"engine: {verifier.name}")
    for setting in args.settings.split(","):
        pools = make_pools(claims, docs, setting, args.k, args.seed, args.cache / args.split)
        if encoder is not None:
            # Embeddings of each reference are computed once, as for an article's library.
            t = time.perf_counter()
            used = {d for c in claims for d in pools[c["id"]]}
            passages = passages_for_all([docs[d] for d in used])
            texts = list(dict.fromkeys(p.text for p in passages))
            new = [x for x in texts if onnx is None or x not in onnx._cache]
            vectors = encoder.encode(new)
            if args.vectors and onnx is not None and new:
                args.vectors.mkdir(parents=True, exist_ok=True)
                name = args.vectors / f"bench_{setting}_{args.split}_{len(new)}"
                np.save(name.with_suffix(".npy"), vectors)
                name.with_suffix(".json").write_text(json.dumps(new))
            took = time.perf_counter() - t
            print(f"embedding {len(new)} of {len(texts)} passages once: {took:.1f} s")
        if args.grid:
            prepared, _ = prepare(claims, docs, pools, encoder, settings)
            print(f"\n[{setting} k={args.k} seed={args.seed}] grid over {dict(GRID)}")
            grid(prepared, docs, settings, args.seed)
            continue
        out = evaluate(claims, docs, pools, verifier, encoder, settings)
        ranking = "bm25" + (f"+{encoder.name}" if encoder else "")
        print(f"\n[{setting} k={args.k} seed={args.seed}] ranking={ranking}")
        print(
            f"evidence recall@1 {out['recall@1']:.3f}  recall@3 {out['recall@3']:.3f}"
            f"  (over {out['n_evidence_claims']} claims with evidence)"
        )
        print(fmt("abstract label-only", out["label_only"]))
        print(fmt("abstract label+rationale", out["label_rationale"]))
        for name, t3 in out["flags"].items():
            print(fmt(f"flag {name}", t3))
        print(
            f"seconds per claim: {out['rank_s_per_claim'] + out['link_s_per_claim']:.4f}"
            f" (index build + ranking {out['rank_s_per_claim']:.4f},"
            f" verify + decide {out['link_s_per_claim']:.4f}; {args.k}+ references,"
            " reference embeddings computed beforehand)"
        )
        if args.end_to_end:
            end_to_end(claims[: args.end_to_end], docs, pools, verifier, encoder, settings)


if __name__ == "__main__":
    main()
