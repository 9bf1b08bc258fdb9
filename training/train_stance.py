"""Train the stance model shipped as ``src/mesorefs/claims/data/stance.json`` (SciFact train only).

Every train claim is ranked against its mixed k=20 pool exactly as
``benchmarks/claims_bench.py`` does (BM25 + int8 MiniLM); each of the best
passages of its top references becomes one (claim, sentence) example, labelled
with the abstract's label when the sentence belongs to a gold rationale and
neutral otherwise (titles of evidence abstracts are left out: they are neither).
A softmax regression with L2 is fitted by gradient descent in numpy; then the
decision thresholds are chosen by the benchmark's objective (label-only F1 +
UNSUPPORTED F1 + CONTRADICTED F1) with 5-fold cross-validation inside train.

    python training/train_stance.py --data ../shared/data/claims/scifact --vectors /tmp/vectors
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "benchmarks"))

import claims_bench as bench  # noqa: E402

from mesorefs.claims.check import Settings  # noqa: E402
from mesorefs.claims.encoder import OnnxEncoder  # noqa: E402
from mesorefs.claims.evidence import passages_for_all  # noqa: E402
from mesorefs.claims.retrieve import ScoredPassage  # noqa: E402
from mesorefs.claims.stance import FEATURES, STANCE_FILE, StanceModel, pair_features  # noqa: E402
from mesorefs.claims.verify import Judgement, specific_tokens  # noqa: E402

LABEL_INDEX = {"SUPPORT": 0, "CONTRADICT": 1}


def examples(
    prepared: list[bench.Prepared], docs: dict[str, bench.Doc], top_references: int
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Features, labels (0 supports, 1 contradicts, 2 neutral) and the claim of each row."""
    rows: list[np.ndarray[Any, Any]] = []
    labels: list[int] = []
    owner: list[int] = []
    for n, item in enumerate(prepared):
        claim = item.claim["claim"]
        evidence: dict[str, list[dict[str, Any]]] = item.claim.get("evidence", {})
        specific = specific_tokens(claim, item.index.idf)
        for ref in item.ranked[:top_references]:
            gold = evidence.get(ref.key)
            rationale = {s for e in gold or [] for s in e["sentences"]}
            for scored in ref.passages:
                p = scored.passage
                if gold and p.field == "title":
                    continue
                label = 2
                if gold and p.field == "abstract":
                    sentence = bisect.bisect_right(docs[ref.key].offsets, p.start) - 1
                    if sentence in rationale:
                        label = LABEL_INDEX[gold[0]["label"]]
                rows.append(pair_features(claim, scored, item.index.idf, specific))
                labels.append(label)
                owner.append(n)
    return np.stack(rows), np.asarray(labels), np.asarray(owner)


def fit(
    x: np.ndarray[Any, Any], y: np.ndarray[Any, Any], l2: float, balance: float, steps: int = 3000
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Softmax regression: (weights with a bias column, feature means, feature scales)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    z1 = np.hstack([np.ones((len(z), 1)), z])
    counts = np.bincount(y, minlength=3).astype(float)
    # Rare labels weigh more: balance=1 is fully balanced, 0 the plain likelihood.
    sample = (len(y) / (3 * counts))[y] ** balance
    sample /= sample.mean()
    target = np.eye(3)[y]
    w = np.zeros((3, z1.shape[1]))
    rate = 0.5
    for _ in range(steps):
        logits = z1 @ w.T
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        grad = ((p - target) * sample[:, None]).T @ z1 / len(y)
        grad[:, 1:] += l2 * w[:, 1:]
        w -= rate * grad
    return w, mean, scale


_FEATURES: dict[tuple[str, str, str, int], np.ndarray[Any, Any]] = {}


class Cached(StanceModel):
    """The model with each pair's features computed once (they do not depend on weights)."""

    def verify(
        self, claim: str, passages: Sequence[ScoredPassage], idf: Mapping[str, float]
    ) -> list[Judgement]:
        rows = []
        for p in passages:
            key = (claim, p.passage.key, p.passage.field, p.passage.start)
            if key not in _FEATURES:
                _FEATURES[key] = pair_features(claim, p, idf)
            rows.append(_FEATURES[key])
        if not rows:
            return []
        return [self.judge(r) for r in self.probabilities(np.stack(rows))]


def model_of(
    w: np.ndarray[Any, Any], mean: np.ndarray[Any, Any], scale: np.ndarray[Any, Any], **t: float
) -> StanceModel:
    return Cached(
        weights=tuple(tuple(float(v) for v in row) for row in w),
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        **t,
    )


GRID = {
    "support": [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6],
    "contradict": [0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5],
}


def objective(summary: dict[str, Any]) -> float:
    return float(
        summary["label_only"][2]
        + summary["flags"]["UNSUPPORTED"][2]
        + summary["flags"]["CONTRADICTED"][2]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared/data/claims/scifact")
    parser.add_argument("--vectors", type=Path, default=None)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache/mesorefs/claims-bench")
    parser.add_argument("--l2", type=float, default=0.01)
    parser.add_argument("--balance", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=STANCE_FILE)
    args = parser.parse_args()

    docs = bench.load_corpus(args.data / "corpus.jsonl")
    claims = [json.loads(line) for line in (args.data / "claims_train.jsonl").open()]
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
    print(f"embedded {len(new)} of {len(texts)} passages in {time.perf_counter() - t0:.0f} s")
    settings = Settings()
    prepared, _ = bench.prepare(claims, docs, pools, encoder, settings)
    x, y, owner = examples(prepared, docs, settings.top_references)
    print(f"{len(y)} examples: {np.bincount(y, minlength=3).tolist()} (supports, contradicts, neutral)")

    folds = np.arange(len(prepared)) % 5
    random.Random(args.seed).shuffle(folds)  # type: ignore[arg-type]
    names = list(GRID)
    held: dict[tuple[float, ...], list[np.ndarray[Any, Any]]] = {}
    chosen_per_fold = []
    for f in range(5):
        inside = folds[owner] != f
        w, mean, scale = fit(x[inside], y[inside], args.l2, args.balance)
        train_claims = [p for i, p in enumerate(prepared) if folds[i] != f]
        test_claims = [p for i, p in enumerate(prepared) if folds[i] == f]
        best: tuple[float, tuple[float, ...]] = (-1.0, ())
        for values in itertools.product(*GRID.values()):
            model = model_of(w, mean, scale, **dict(zip(names, values, strict=True)))
            rows = bench.score(test_claims, docs, model, settings)["per_claim"]
            held.setdefault(values, []).append(rows)
            inner = bench.score(train_claims, docs, model, settings)
            best = max(best, (objective(inner), values))
        chosen_per_fold.append(best[1])
        print(f"fold {f}: chose {dict(zip(names, best[1], strict=True))}", flush=True)
    cv_rows = np.concatenate(
        [held[chosen_per_fold[f]][f] for f in range(5)]
    )
    cv = bench.summarise(cv_rows)
    print(
        f"5-fold CV inside train (held-out folds): label-F1 {cv['label_only'][2]:.3f}"
        f"  UNSUP-F1 {cv['flags']['UNSUPPORTED'][2]:.3f}"
        f"  CONTRA-F1 {cv['flags']['CONTRADICTED'][2]:.3f}"
    )
    # Final: fit on all of train; thresholds by the objective on all of train.
    w, mean, scale = fit(x, y, args.l2, args.balance)
    scored = []
    for values in itertools.product(*GRID.values()):
        model = model_of(w, mean, scale, **dict(zip(names, values, strict=True)))
        out = bench.score(prepared, docs, model, settings)
        scored.append((objective(out), values, out))
    _, values, out = max(scored, key=lambda r: r[0])
    thresholds = dict(zip(names, values, strict=True))
    print(
        f"all train, chosen {thresholds}: label-F1 {out['label_only'][2]:.3f}"
        f"  UNSUP-F1 {out['flags']['UNSUPPORTED'][2]:.3f}"
        f"  CONTRA-F1 {out['flags']['CONTRADICTED'][2]:.3f}"
    )
    payload = {
        "version": "stance-lr/1",
        "features": list(FEATURES),
        "labels": ["supports", "contradicts", "neutral"],
        "weights": [[round(float(v), 6) for v in row] for row in w],
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "thresholds": {
            "supports": thresholds["support"],
            "contradicts": thresholds["contradict"],
            "relevance": 0.3,
        },
        "notes": {
            "trained_on": "SciFact claims_train.jsonl (CC BY 4.0), mixed pools k=20 seed 0",
            "examples": np.bincount(y, minlength=3).tolist(),
            "l2": args.l2,
            "balance": args.balance,
            "cv_train": {
                "label_only_f1": round(cv["label_only"][2], 3),
                "unsupported_f1": round(cv["flags"]["UNSUPPORTED"][2], 3),
                "contradicted_f1": round(cv["flags"]["CONTRADICTED"][2], 3),
            },
        },
    }
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
