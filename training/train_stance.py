"""Fit the stance model shipped as ``src/mesorefs/claims/data/stance.json`` (SciFact train only).

Every train claim is ranked against its mixed k=20 pool exactly as
``benchmarks/claims_bench.py`` does (both through :mod:`training.scifact`; BM25 + int8
MiniLM); each passage of its five best references becomes one (claim, sentence)
example, labelled with the abstract's label when the sentence belongs to a gold
rationale and neutral otherwise (titles of evidence abstracts are left out: they are neither).  A
softmax regression with L2 is fitted by gradient descent in numpy.  The two
decision thresholds are chosen by the benchmark's objective (label-only F1 +
UNSUPPORTED-flag F1 + CONTRADICTED-flag F1), computed here the way the benchmark
computes it; 5-fold cross-validation inside train (three seeds) says what to
expect.  The statement patterns of :mod:`mesorefs.claims.stance` are counted too:
how often each fires on train and on which gold labels.

    python training/train_stance.py --vectors /tmp/vectors

What was tried (2026-12-02; SciFact train, 5-fold CV over claims, three seeds unless
said; label-only F1 / UNSUPPORTED F1 / CONTRADICTED F1 of the held-out folds):

- the 16 features of the pair alone (coverage, dense, cues, fused passage rank, BM25,
  "finding"): 0.396 / 0.735 / 0.369;
- + BERTScore-like alignment of MiniLM token states (claim recall mean and minimum):
  0.407 / 0.728 / 0.384, and with the ranking features 0.390 / 0.724 / 0.398 (not kept:
  no better, and a forward pass per passage);
- + the reference's rank and score share: 0.437 / 0.739 / 0.379;
- + the distance to the best candidate's dense and coverage scores (shipped, 21
  features): 0.446 / 0.735 / 0.389;
- L2 0.1 instead of 0.01: 0.446 / 0.745 / 0.380; class balance 0.25: 0.439 / 0.741 /
  0.371 (one seed); full balance 1.0 collapses (0.294 / 0.404 / 0.301, one seed);
- a one-hidden-layer network (16 or 32 tanh units): 0.417 / 0.748 / 0.365 and
  0.393 / 0.713 / 0.333 (one seed);
- thresholds chosen with CONTRADICTED F1 counted twice: 0.447 / 0.732 / 0.377.

Out of fold, a claim's best support probability separates supported claims with AUC
0.718 and no threshold on it gives UNSUPPORTED F1 above 0.747 (always flagging 0.742).
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "src"))

import training.scifact as bench  # noqa: E402
from mesorefs.claims.check import Settings  # noqa: E402
from mesorefs.claims.encoder import OnnxEncoder  # noqa: E402
from mesorefs.claims.evidence import passages_for_all  # noqa: E402
from mesorefs.claims.stance import (  # noqa: E402
    FEATURES,
    STANCE_FILE,
    StanceModel,
    ranked_features,
)

Array = np.ndarray[Any, Any]
LABEL_INDEX = {"SUPPORT": 0, "CONTRADICT": 1}


@dataclass
class Examples:
    """One row per candidate passage, with what the benchmark needs to score decisions."""

    x: Array
    label: Array  # 0 supports, 1 contradicts, 2 neutral (the training target)
    trainable: Array  # False for titles of evidence abstracts
    claim: Array
    reference: Array  # a running id per (claim, reference)
    reference_gold: Array  # the reference's gold label per row (2: not evidence)
    pattern: Array  # the stance a statement pattern gives (0, 1) or 2 for none
    n_references: int
    n_gold: Array  # evidence abstracts per claim
    supported: Array  # per claim: some gold SUPPORT
    contradicted: Array  # per claim: some gold CONTRADICT


def examples(prepared: list[bench.Prepared], docs: dict[str, bench.Doc], top: int) -> Examples:
    rows: list[Array] = []
    cols: dict[str, list[Any]] = {
        k: [] for k in ("label", "trainable", "claim", "ref", "gold", "pat")
    }
    model = StanceModel(
        weights=((0.0,) * (len(FEATURES) + 1),) * 3,
        mean=(0.0,) * len(FEATURES),
        scale=(1.0,) * len(FEATURES),
    )
    reference = 0
    for n, item in enumerate(prepared):
        claim = item.claim["claim"]
        evidence: dict[str, list[dict[str, Any]]] = item.claim.get("evidence", {})
        chosen = [r for r in item.ranked[:top] if r.passages]
        features = ranked_features(claim, item.ranked, chosen, item.index.idf, top)
        for ref, block in zip(chosen, features, strict=True):
            gold = evidence.get(ref.key)
            gold_label = LABEL_INDEX[gold[0]["label"]] if gold else 2
            rationale = {s for e in gold or [] for s in e["sentences"]}
            for scored, row in zip(ref.passages, block, strict=True):
                p = scored.passage
                label = 2
                if gold and p.field == "abstract":
                    sentence = bisect.bisect_right(docs[ref.key].offsets, p.start) - 1
                    if sentence in rationale:
                        label = gold_label
                pattern = model.pattern(claim, p.text, item.index.idf)
                rows.append(row)
                cols["label"].append(label)
                cols["trainable"].append(not (gold and p.field == "title"))
                cols["claim"].append(n)
                cols["ref"].append(reference)
                cols["gold"].append(gold_label)
                cols["pat"].append(
                    2 if pattern is None else (0 if pattern.stance == "supports" else 1)
                )
            reference += 1
    golds = [item.claim.get("evidence", {}) for item in prepared]
    return Examples(
        x=np.stack(rows),
        label=np.asarray(cols["label"]),
        trainable=np.asarray(cols["trainable"]),
        claim=np.asarray(cols["claim"]),
        reference=np.asarray(cols["ref"]),
        reference_gold=np.asarray(cols["gold"]),
        pattern=np.asarray(cols["pat"]),
        n_references=reference,
        n_gold=np.asarray([len(g) for g in golds]),
        supported=np.asarray([any(s[0]["label"] == "SUPPORT" for s in g.values()) for g in golds]),
        contradicted=np.asarray(
            [any(s[0]["label"] == "CONTRADICT" for s in g.values()) for g in golds]
        ),
    )


def fit(
    x: Array, y: Array, l2: float, balance: float, steps: int = 1500
) -> tuple[Array, Array, Array]:
    """Softmax regression: (weights with a bias column, feature means, feature scales)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    counts = np.maximum(np.bincount(y, minlength=3).astype(float), 1.0)
    # Rare labels weigh more: balance=1 is fully balanced, 0 the plain likelihood.
    sample = (len(y) / (3 * counts))[y] ** balance
    sample /= sample.mean()
    target = np.eye(3)[y]
    w = np.zeros((3, z.shape[1]))
    for _ in range(steps):
        logits = z @ w.T
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        grad = ((p - target) * sample[:, None]).T @ z / len(y)
        grad[:, 1:] += l2 * w[:, 1:]
        w -= 0.5 * grad
    return w, mean, scale


def probabilities(model: tuple[Array, Array, Array], x: Array) -> Array:
    w, mean, scale = model
    z = ((x - mean) / scale) @ w[:, 1:].T + w[:, 0]
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: Array = e / e.sum(axis=1, keepdims=True)
    return out


def prf(correct: float, predicted: float, gold: float) -> float:
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def decisions(ex: Examples, probs: Array, support: float, contradict: float) -> tuple[Array, Array]:
    """Per passage: stance (0, 1, 2) and confidence, as StanceModel.judge + patterns decide."""
    is_c = (probs[:, 1] >= contradict) & (probs[:, 1] > probs[:, 0])
    is_s = ~is_c & (probs[:, 0] >= support) & (probs[:, 0] > probs[:, 1])
    stance = np.where(is_c, 1, np.where(is_s, 0, 2))
    confidence = np.where(is_c, probs[:, 1], np.where(is_s, probs[:, 0], 0.0))
    by_pattern = ex.pattern < 2
    stance = np.where(by_pattern, ex.pattern, stance)
    confidence = np.where(by_pattern, 0.6, confidence)
    return stance, confidence


def scores(
    ex: Examples, probs: Array, support: float, contradict: float, claims: Array
) -> tuple[float, float, float]:
    """Label-only F1, UNSUPPORTED F1 and CONTRADICTED F1 over ``claims`` (as the benchmark)."""
    stance, confidence = decisions(ex, probs, support, contradict)
    confidence = np.where(stance < 2, confidence, -1.0)
    best = np.full(ex.n_references, -1.0)
    np.maximum.at(best, ex.reference, confidence)
    ref_stance = np.full(ex.n_references, 2)
    top = (confidence >= 0) & (confidence == best[ex.reference])
    ref_stance[ex.reference[top]] = stance[top]
    ref_claim = np.zeros(ex.n_references, dtype=int)
    ref_claim[ex.reference] = ex.claim
    ref_gold = np.full(ex.n_references, 2)
    ref_gold[ex.reference] = ex.reference_gold
    inside = np.zeros(len(ex.n_gold), dtype=bool)
    inside[claims] = True
    predicted = inside[ref_claim] & (ref_stance < 2)
    correct = predicted & (ref_stance == ref_gold)
    says_support = np.zeros(len(ex.n_gold), dtype=bool)
    says_contra = np.zeros(len(ex.n_gold), dtype=bool)
    says_support[ref_claim[predicted & (ref_stance == 0)]] = True
    says_contra[ref_claim[predicted & (ref_stance == 1)]] = True
    gold_u, pred_u = ~ex.supported & inside, ~says_support & inside
    gold_c, pred_c = ex.contradicted & inside, says_contra & inside
    return (
        prf(correct.sum(), predicted.sum(), ex.n_gold[claims].sum()),
        prf((gold_u & pred_u).sum(), pred_u.sum(), gold_u.sum()),
        prf((gold_c & pred_c).sum(), pred_c.sum(), gold_c.sum()),
    )


SUPPORT = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6]
CONTRADICT = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5]


def choose(ex: Examples, probs: Array, claims: Array) -> tuple[float, float]:
    """The thresholds with the best objective (sum of the three F1) on ``claims``."""
    grid = itertools.product(SUPPORT, CONTRADICT)
    return max(grid, key=lambda t: (sum(scores(ex, probs, t[0], t[1], claims)), -t[0], -t[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=HERE.parent.parent / "shared/data/claims/scifact"
    )
    parser.add_argument("--vectors", type=Path, default=None, help="passage vectors cache")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache/mesorefs/claims-bench")
    parser.add_argument("--l2", type=float, default=0.01)
    parser.add_argument("--balance", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=STANCE_FILE)
    args = parser.parse_args()

    docs = bench.load_corpus(args.data / "corpus.jsonl")
    claims = bench.load_claims(args.data / "claims_train.jsonl")
    pools = bench.make_pools(claims, docs, "mixed", 20, args.seed, args.cache / "train")
    encoder = OnnxEncoder(threads=2)
    for f in sorted(args.vectors.glob("*.json")) if args.vectors else []:
        encoder.remember(json.loads(f.read_text()), np.load(f.with_suffix(".npy")))
    used = {d for c in claims for d in pools[c["id"]]}
    texts = list(dict.fromkeys(p.text for p in passages_for_all([docs[d] for d in used])))
    new = [t for t in texts if t not in encoder._cache]
    t0 = time.perf_counter()
    vectors = encoder.encode(new)
    if args.vectors and new:
        args.vectors.mkdir(parents=True, exist_ok=True)
        name = args.vectors / f"train_mixed_{len(new)}"
        np.save(name.with_suffix(".npy"), vectors)
        name.with_suffix(".json").write_text(json.dumps(new))
    print(f"passage vectors: {time.perf_counter() - t0:.0f} s")
    settings = Settings()
    prepared, _ = bench.prepare(claims, docs, pools, encoder, settings)
    ex = examples(prepared, docs, settings.top_references)
    counts = np.bincount(ex.label, minlength=3).tolist()
    print(f"{len(ex.label)} passages: {counts} (supports, contradicts, neutral)")
    fired: Counter[tuple[str, str]] = Counter()
    for pattern, gold in zip(ex.pattern, ex.reference_gold, strict=True):
        if pattern < 2:
            fired[
                (("supports", "contradicts")[pattern], ("SUPPORT", "CONTRADICT", "none")[gold])
            ] += 1
    print(f"statement patterns fired on train passages (pattern, reference's gold): {dict(fired)}")

    train = ex.trainable
    cv: list[tuple[float, float, float]] = []
    for seed in range(3):
        folds = np.arange(len(prepared)) % 5
        random.Random(seed).shuffle(folds)  # type: ignore[arg-type]
        for f in range(5):
            inside, held = np.where(folds != f)[0], np.where(folds == f)[0]
            rows = np.isin(ex.claim, inside) & train
            model = fit(ex.x[rows], ex.label[rows], args.l2, args.balance)
            probs = probabilities(model, ex.x)
            s, c = choose(ex, probs, inside)
            cv.append(scores(ex, probs, s, c, held))
    mean = np.mean(cv, axis=0)
    print(
        f"5-fold CV inside train, 3 seeds (mean of held-out folds): label-F1 {mean[0]:.3f}"
        f"  UNSUP-F1 {mean[1]:.3f}  CONTRA-F1 {mean[2]:.3f}"
    )
    model = fit(ex.x[train], ex.label[train], args.l2, args.balance)
    probs = probabilities(model, ex.x)
    everyone = np.arange(len(prepared))
    support, contradict = choose(ex, probs, everyone)
    final = scores(ex, probs, support, contradict, everyone)
    print(
        f"all train, supports>={support} contradicts>={contradict}: label-F1 {final[0]:.3f}"
        f"  UNSUP-F1 {final[1]:.3f}  CONTRA-F1 {final[2]:.3f}"
    )
    w, means, scales = model
    payload = {
        "version": "stance-lr/1",
        "features": list(FEATURES),
        "labels": ["supports", "contradicts", "neutral"],
        "weights": [[round(float(v), 6) for v in row] for row in w],
        "mean": [round(float(v), 6) for v in means],
        "scale": [round(float(v), 6) for v in scales],
        "thresholds": {"supports": support, "contradicts": contradict, "relevance": 0.3},
        "notes": {
            "trained_on": "SciFact claims_train.jsonl (CC BY 4.0), mixed pools k=20 seed 0,"
            " BM25 + int8 all-MiniLM-L6-v2 ranking, the passages of the 5 best references",
            "passages": counts,
            "l2": args.l2,
            "balance": args.balance,
            "cv_train_3x5": {
                "label_only_f1": round(float(mean[0]), 3),
                "unsupported_f1": round(float(mean[1]), 3),
                "contradicted_f1": round(float(mean[2]), 3),
            },
            "patterns_fired_on_train": {f"{k[0]} / gold {k[1]}": v for k, v in fired.items()},
        },
    }
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
