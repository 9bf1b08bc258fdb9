"""Fit the stance model shipped as ``src/mesorefs/claims/data/stance.json``, precision first.

Trained on the training splits of the two claim sets whose licence allows it
(SciFact train, CC BY 4.0; Check-COVID train, MIT): the rows of
:mod:`verdict_data` (each candidate passage of a claim's five best references,
labelled supports / contradicts from the gold rationales, neutral otherwise).  A
softmax regression with L2 is fitted in numpy.

The thresholds are chosen on out-of-fold probabilities (5-fold over claims, both
sets pooled) at claim level, the way ``mesorefs check`` decides: a claim is
"supported" when its best supporting passage clears ``supports`` and nothing
clears ``contradicts``, and the other way round; both at once needs review.  For
each side the threshold is the least probability at which that side's precision is
at or above its target on *each* training set (0.85 for supported, 0.70 for
contradicted) with at least ``MIN_CALLS`` calls on each.  A side with no such
threshold is switched off (threshold 2.0: never taken).  The relevance floor is
the least probability of "not neutral" below which at most 5 % of the training
claims that have evidence (either side) fall.

    python training/train_verdicts.py --cache /work/cache/verdicts [--write]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import claim_sets  # noqa: E402
from verdict_data import Rows, load_rows  # noqa: E402

from mesorefs.claims.stance import FEATURES, STANCE_FILE  # noqa: E402

Array = np.ndarray[Any, Any]
TARGETS = {"supports": 0.85, "contradicts": 0.70}
MIN_CALLS = 15
OFF = 2.0


def fit(
    x: Array, y: Array, l2: float, balance: float, steps: int = 1500
) -> tuple[Array, Array, Array]:
    """Softmax regression: (weights with a bias column, feature means, feature scales)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    counts = np.maximum(np.bincount(y, minlength=3).astype(float), 1.0)
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


def claim_scores(rows: Rows, probs: Array) -> tuple[Array, Array, Array]:
    """Per claim: best supports probability (where it beats contradicts), best contradicts
    probability (where it beats supports), best relevance (1 - neutral)."""
    n = len(rows.claim_label)
    s = np.zeros(n)
    c = np.zeros(n)
    r = np.zeros(n)
    ps, pc, pn = probs[:, 0], probs[:, 1], probs[:, 2]
    np.maximum.at(s, rows.claim, np.where(ps > pc, ps, 0.0))
    np.maximum.at(c, rows.claim, np.where(pc > ps, pc, 0.0))
    np.maximum.at(r, rows.claim, 1.0 - pn)
    return s, c, r


def calls(s: Array, c: Array, t_s: float, t_c: float) -> tuple[Array, Array]:
    """Claim-level calls: supported, contradicted (a claim clearing both needs review)."""
    sup = s >= t_s
    con = c >= t_c
    return sup & ~con, con & ~sup


def precision(called: Array, right: Array) -> float:
    return float((called & right).sum() / called.sum()) if called.sum() else float("nan")


def choose(
    scores: list[tuple[Array, Array, Array]], side: int, target: float, other: float
) -> float:
    """The least threshold at which the side is precise enough on every set, with at least
    ``MIN_CALLS`` calls on each (a threshold that too few claims clear proves nothing);
    ``OFF`` when there is none."""
    for t in np.round(np.arange(0.30, 0.991, 0.01), 2):
        good = True
        for s, c, gold in scores:
            sup, con = calls(s, c, t if side == 0 else other, t if side == 1 else other)
            called = sup if side == 0 else con
            if called.sum() < MIN_CALLS or precision(called, gold == side) < target:
                good = False
                break
        if good:
            return float(t)
    return OFF


def ceiling(s: Array, c: Array, gold: Array, side: int) -> str:
    best = (float("nan"), 0.0, 0)
    for t in np.round(np.arange(0.30, 0.991, 0.01), 2):
        sup, con = calls(s, c, t if side == 0 else OFF, t if side == 1 else OFF)
        called = sup if side == 0 else con
        if called.sum() >= MIN_CALLS:
            p = precision(called, gold == side)
            if not p <= best[0]:
                best = (p, float(t), int(called.sum()))
    name = "supported" if side == 0 else "contradicted"
    return f"{name} P {best[0]:.3f} at {best[1]:.2f} ({best[2]} calls)"


def baseline_ceiling(rows: Rows) -> str:
    """The best supported precision of BaselineVerifier's rule at any similarity threshold."""
    f = {name: i for i, name in enumerate(FEATURES)}
    similarity = 0.5 * rows.x[:, f["coverage"]] + 0.5 * rows.x[:, f["dense"]]
    cue = rows.x[:, [f["null_finding"], f["negation_differs"], f["direction_differs"]]].any(axis=1)
    s = np.zeros(len(rows.claim_label))
    np.maximum.at(s, rows.claim, np.where(cue, 0.0, similarity))
    return ceiling(s, np.zeros_like(s), rows.claim_label, 0)


def reliability(score: Array, right: Array) -> str:
    cells = []
    for lo in np.arange(0.3, 1.0, 0.1):
        inside = (score >= lo) & (score < lo + 0.1)
        if inside.sum():
            cells.append(f"{lo:.1f}: {right[inside].mean():.2f}/{int(inside.sum())}")
    return "  ".join(cells)


def out_of_fold(
    rows_by_set: dict[str, Rows], l2: float, balance: float, folds: int = 5, seed: int = 0
) -> dict[str, Array]:
    rng = np.random.default_rng(seed)
    fold_of = {n: rng.integers(0, folds, len(r.claim_label)) for n, r in rows_by_set.items()}
    out = {n: np.zeros((len(r.x), 3)) for n, r in rows_by_set.items()}
    for f in range(folds):
        xs, ys = [], []
        for n, r in rows_by_set.items():
            keep = fold_of[n][r.claim] != f
            xs.append(r.x[keep])
            ys.append(r.label[keep])
        model = fit(np.vstack(xs), np.concatenate(ys), l2, balance)
        for n, r in rows_by_set.items():
            held = fold_of[n][r.claim] == f
            out[n][held] = probabilities(model, r.x[held])
    return out


def report(name: str, rows: Rows, probs: Array, t_s: float, t_c: float) -> dict[str, float]:
    s, c, _ = claim_scores(rows, probs)
    gold = rows.claim_label
    sup, con = calls(s, c, t_s, t_c)
    out = {
        "claims": len(gold),
        "supported_precision": precision(sup, gold == 0),
        "supported_coverage": float(sup.mean()),
        "contradicted_precision": precision(con, gold == 1),
        "contradicted_coverage": float(con.mean()),
    }
    print(
        f"  {name:14} n={len(gold):4}  supported P {out['supported_precision']:.3f} cov"
        f" {out['supported_coverage']:.3f} (base P {float((gold == 0).mean()):.3f})  contradicted P"
        f" {out['contradicted_precision']:.3f} cov {out['contradicted_coverage']:.3f} (base P"
        f" {float((gold == 1).mean()):.3f})"
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, default=Path("/work/cache/verdicts"))
    parser.add_argument("--l2", type=float, default=0.01)
    parser.add_argument("--balance", type=float, default=0.5)
    parser.add_argument("--write", action="store_true", help="Write the shipped stance.json.")
    args = parser.parse_args()
    train = {n: load_rows(n, "train", args.cache) for n in claim_sets.TRAINABLE}
    oof = out_of_fold(train, args.l2, args.balance)
    scores = {n: claim_scores(train[n], oof[n]) for n in train}
    by_set = [(s, c, train[n].claim_label) for n, (s, c, _) in scores.items()]
    t_s = choose(by_set, 0, TARGETS["supports"], OFF)
    t_c = choose(by_set, 1, TARGETS["contradicts"], t_s)
    if t_s < OFF:
        t_s = choose(by_set, 0, TARGETS["supports"], t_c)
    # The floor under which a claim is unsupported: at most 5 % of the training claims
    # that have evidence (either side) fall under it.
    with_evidence = np.concatenate([scores[n][2][train[n].claim_label <= 1] for n in train])
    relevance = float(np.quantile(with_evidence, 0.05))
    print(f"thresholds: supports {t_s}, contradicts {t_c}, relevance floor {relevance:.3f}")
    print("out of fold on train:")
    cv = {n: report(n, train[n], oof[n], t_s, t_c) for n in train}
    print("ceiling: the best precision any threshold reaches with >= MIN_CALLS calls, per set:")
    for n, (s, c, _) in scores.items():
        print(
            f"  {n:14} " + "  ".join(ceiling(s, c, train[n].claim_label, side) for side in (0, 1))
        )
    print("reliability of out-of-fold passage probabilities (train, claim level):")
    for n, (s, c, _) in scores.items():
        print(f"  {n:14} supports: {reliability(s, train[n].claim_label == 0)}")
        print(f"  {n:14} contradicts: {reliability(c, train[n].claim_label == 1)}")
    model = fit(
        np.vstack([r.x for r in train.values()]),
        np.concatenate([r.label for r in train.values()]),
        args.l2,
        args.balance,
    )
    print("held-out dev sets (never used for a choice):")
    dev = {}
    for name in claim_sets.SETS:
        rows = load_rows(name, "dev", args.cache)
        probs = probabilities(model, rows.x)
        dev[name] = report(name, rows, probs, t_s, t_c)
        s, c, _ = claim_scores(rows, probs)
        best = "  ".join(ceiling(s, c, rows.claim_label, side) for side in (0, 1))
        print(f"  {'':14} ceiling (for the record, not a choice): {best}")
    print("the cue baseline (similarity, a cue keeps a passage from supporting), ceiling on train:")
    for n, rows in train.items():
        print(f"  {n:14} {baseline_ceiling(rows)}")
    if args.write:
        w, mean, scale = model
        data = {
            "version": "stance-lr/2",
            "features": list(FEATURES),
            "labels": ["supports", "contradicts", "neutral"],
            "weights": np.round(w, 6).tolist(),
            "mean": np.round(mean, 6).tolist(),
            "scale": np.round(scale, 6).tolist(),
            "thresholds": {"supports": t_s, "contradicts": t_c, "relevance": round(relevance, 3)},
            "notes": {
                "trained_on": "SciFact claims_train.jsonl (CC BY 4.0) and Check-COVID train (MIT):"
                " each claim against its own documents and 2 seeded distractors, BM25 + int8"
                " all-MiniLM-L6-v2 ranking, the passages of the 5 best references",
                "targets": TARGETS,
                "min_calls": MIN_CALLS,
                "l2": args.l2,
                "balance": args.balance,
                "out_of_fold_train": cv,
            },
        }
        STANCE_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {STANCE_FILE}")


if __name__ == "__main__":
    main()
