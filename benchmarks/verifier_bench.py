"""Benchmark the learned stance verifier (mesorefs.claims.learned) against the baseline.

Reuses ``claims_bench`` (SciFact pools, abstract-level and flag metrics) and adds:

- pair-level stance on SciFact gold evidence docs (the ranker's top passages of each
  gold doc): support-vs-contradict accuracy (the majority class gives 0.66 on dev),
  and the precision / recall of ``contradicts`` at the shipped threshold;
- HealthVer test (cross-domain, never trained on): 3-way accuracy and macro-F1, by
  argmax and by the shipped thresholds;
- model size, load time, and seconds per claim in the pools (``--threads`` cores).

The baseline is the engine ``check`` falls back on for the same ranking: the cue
baseline with the thresholds tuned for dense ranking after ``--dense``, and
``BaselineVerifier.lexical()`` after BM25 alone (``mesorefs.claims.check``'s
``_default_verifier``).  The 2026-11 BM25 comparisons below used the dense thresholds
for the baseline too, which understated it (see benchmarks/README.md for the
baseline as ``check`` runs it).

Tune only on train (``--split train``); report on dev::

    python benchmarks/verifier_bench.py [--split dev] [--settings mixed] [-k 20] [--dense]
    python benchmarks/verifier_bench.py --split train --heldout-seed 13 --sweep --no-pairs

Any stance backend ``mesorefs check --verifier`` takes runs on the same pools with
``--verifier SPEC`` (the pool figures only; the learned model's pair metrics are skipped)::

    python benchmarks/verifier_bench.py --dense --verifier baseline
    python benchmarks/verifier_bench.py --dense --verifier nli:/path/to/deberta-v3-mnli
    python benchmarks/verifier_bench.py --dense --limit 50 --verifier openai:http://localhost:11434/v1#llama3.1

``--verifier baseline`` is the shipped default: the stance model after dense ranking
(``--dense``), the cue baseline tuned for BM25 without it.

Measured 2026-11 (2 shared cores, BM25 ranking, mixed k=20 seed 0) for the first model
``training/train_verifier.py`` made in its 25-minute budget (stage 1 saw 2,192 NLI
pairs, stage 2 2,306 SciFact-shaped pairs; 3 of 6 layers trained).  It missed every
target and is not shipped:

- SciFact dev gold evidence, support-vs-contradict accuracy 0.632 (majority 0.660);
  the stage-1 (NLI-only) checkpoint, looked at afterwards as a diagnostic, 0.679;
- abstract label-only F1 0.173 (baseline-cues/2 on the same pools 0.243);
  UNSUPPORTED flag F1 0.589 (trivial 0.739); no ``contradicts`` at the calibrated
  threshold 0.95 (held-out train never reached precision 0.8), CONTRADICTED F1 0;
- HealthVer test 3-way macro-F1 0.445 by argmax, 0.288 with the thresholds;
- 23.0 MB int8 ONNX, load 0.2-0.5 s, 24-38 ms per pair at <= 160 tokens, link
  0.16-0.17 s per claim with 20 references (5 references verified per claim).

The second model (2026-11-26; ``--train-layers 6 --lr 8e-5 --mnli 19000 --snli 12000
--cad 8330 --stage1-epochs 3 --stage1-minutes 50 --stage2-minutes 20
--stage2-epochs 2``: stage 1 saw 100,024 NLI pairs, stage 2 two passes over 2,610
pairs; held-out train 3-way accuracy 0.858, support-vs-contradict 0.747) is better
at pairs but still loses to the baseline on the pools, so it is not shipped either:

- SciFact dev gold evidence, support-vs-contradict accuracy 0.675 (majority 0.660);
  ``contradicts`` at the calibrated 0.78: precision 0.733, recall 0.155;
- mixed k=20 dev with dense ranking: abstract label-only F1 0.352 (baseline 0.405),
  UNSUPPORTED flag F1 0.651 (baseline 0.751), CONTRADICTED flag F1 0.279 (baseline
  0.191); on the held-out *train* claims too (label-only 0.355 vs 0.394), and raising
  the support threshold there (0.55, 0.7, 0.85) only lowers it (0.338, 0.304, 0.162);
- HealthVer test 3-way macro-F1 0.409 by argmax, 0.344 with the thresholds;
- 23.0 MB int8 ONNX, load 0.12 s, 9 ms per pair, 0.053 s per claim in the pools.

Its stage 2 run again from the same stage-1 weights with ``--hard-negatives 3`` (the
ranker's top uncited docs over the whole corpus as neutral pairs, in training and in
calibration; ``--skip-stage1 --stage2-minutes 16 --stage2-epochs 2``): held-out train
3-way accuracy 0.917, support-vs-contradict 0.795, but the model turns cautious:

- held-out train pools: label-only F1 0.323 (P 0.595, R 0.221), 0.353 and 0.358 with
  the support threshold at 0.2 and 0.3 (baseline 0.394);
- dev: gold-pair support-vs-contradict 0.684; label-only F1 0.289 (P 0.639, R 0.187),
  UNSUPPORTED flag F1 0.776 (baseline 0.751), CONTRADICTED flag F1 0.086;
  HealthVer support-vs-contradict 0.646 (majority 0.612), macro-F1 0.303.

A hybrid (``--hybrid T``: the baseline's judgements, overruled where the second model
says ``contradicts`` with at least T) was tuned on the held-out *train* claims
(``--split train --heldout-seed 13``; T = 0.5 was best there: label-only F1 0.423 vs
0.394, CONTRADICTED flag F1 0.581 vs 0.316) and then run once on dev
(``--model <second model> --dense --no-pairs --hybrid 0.5,0.78 --baseline``):

- T = 0.5: label-only F1 0.388 (baseline 0.405), UNSUPPORTED flag F1 0.772 (0.751),
  CONTRADICTED flag P 0.349, R 0.344, F1 0.346 (0.191);
- T = 0.78: label-only F1 0.416, UNSUPPORTED 0.757, CONTRADICTED F1 0.306.

It gains on contradictions and loses on label-only F1 at the threshold training chose,
and meets no target, so it is not shipped either.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "training"))

import claims_bench as cb  # noqa: E402
from _data import SCIFACT  # noqa: E402
from mesorefs.claims.backends import load_verifier  # noqa: E402
from mesorefs.claims.check import LinkSettings  # noqa: E402
from mesorefs.claims.encoder import OnnxEncoder  # noqa: E402
from mesorefs.claims.learned import (  # noqa: E402
    MODEL_DIR,
    MODEL_FILE,
    LearnedVerifier,
    evidence_text,
    load_learned_verifier,
)
from mesorefs.claims.retrieve import Encoder  # noqa: E402
from mesorefs.claims.stance import load_stance_model  # noqa: E402
from mesorefs.claims.verify import BaselineVerifier, Judgement, Verifier  # noqa: E402
from mesorefs.errors import MesorefsError  # noqa: E402

LABEL_NAMES = ("supports", "contradicts", "neutral")


def macro_f1(gold: Sequence[int], pred: Sequence[int], n: int = 3) -> tuple[float, list[float]]:
    g, p = np.asarray(gold), np.asarray(pred)
    f1s = []
    for c in range(n):
        tp = float(np.sum((g == c) & (p == c)))
        f1s.append(2 * tp / max(1.0, float(np.sum(g == c) + np.sum(p == c))))
    return float(np.mean(f1s)), f1s


def judged_labels(verifier: LearnedVerifier, probs: Any) -> list[int]:
    return [LABEL_NAMES.index(verifier.judge(row).stance) for row in probs]


def pair_metrics(verifier: LearnedVerifier, pairs: Sequence[Any], name: str) -> dict[str, Any]:
    t = time.perf_counter()
    probs = np.stack([verifier.probabilities(p.claim, [p.evidence])[0] for p in pairs])
    took = (time.perf_counter() - t) / max(1, len(pairs))
    gold = np.asarray([p.label for p in pairs])
    argmax = probs.argmax(1)
    judged = np.asarray(judged_labels(verifier, probs))
    out: dict[str, Any] = {"pairs": len(pairs), "ms_per_pair": round(1000 * took, 1)}
    ev = gold != 2
    if ev.any():
        sc = (probs[ev, 0] > probs[ev, 1]).astype(int)
        out["support_vs_contradict_acc"] = float(np.mean(sc == (gold[ev] == 0)))
        out["majority_acc"] = float(max(np.mean(gold[ev] == 0), np.mean(gold[ev] == 1)))
    called = judged == 1
    out["contradicts_called"] = int(called.sum())
    out["contradicts_precision"] = float(np.mean(gold[called] == 1)) if called.any() else 0.0
    out["contradicts_recall"] = float(np.mean(judged[gold == 1] == 1)) if (gold == 1).any() else 0.0
    if (gold == 2).any():
        out["acc_3way_argmax"] = float(np.mean(argmax == gold))
        out["macro_f1_argmax"], out["f1_argmax"] = macro_f1(gold, argmax)
        out["acc_3way_thresholds"] = float(np.mean(judged == gold))
        out["macro_f1_thresholds"], out["f1_thresholds"] = macro_f1(gold, judged)
    print(f"\n[{name}] " + json.dumps(out, default=lambda x: round(x, 4)))
    return out


class CachedVerifier(LearnedVerifier):
    """A learned verifier that remembers probabilities, so thresholds can be swept cheaply."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._memo: dict[tuple[str, str], Any] = {}

    def probabilities(self, claim: str, evidence: Sequence[str]) -> Any:
        rows = []
        for text in evidence:
            key = (claim, text)
            if key not in self._memo:
                self._memo[key] = super().probabilities(claim, [text])[0]
            rows.append(self._memo[key])
        return np.stack(rows) if rows else np.zeros((0, 3), dtype=np.float32)


class HybridVerifier:
    """The baseline's judgements, except where the learned model says ``contradicts``
    with at least ``threshold`` (an experiment; nothing ships it)."""

    def __init__(
        self, learned: LearnedVerifier, threshold: float, baseline: BaselineVerifier
    ) -> None:
        self.learned = learned
        self.baseline = baseline
        self.threshold = threshold

    @property
    def name(self) -> str:
        return f"hybrid: {self.baseline.name} + model contradicts>={self.threshold:g}"

    def verify(self, claim: str, passages: Sequence[Any], idf: Any) -> list[Judgement]:
        judgements = self.baseline.verify(claim, passages, idf)
        if not passages:
            return judgements
        probs = self.learned.probabilities(claim, [evidence_text([p.passage for p in passages])])
        p_s, p_c = float(probs[0][0]), float(probs[0][1])
        if p_c < self.threshold or p_c <= p_s:
            return judgements
        model = self.learned.judge(probs[0])
        overruled = Judgement("contradicts", round(p_c, 3), model.relevance, model.cues)
        return [overruled] * len(passages)


def heldout_claims(claims: list[dict[str, Any]], seed: int, share: float) -> list[dict[str, Any]]:
    """The SciFact train claims that training/train_verifier.py kept out (same seed, share)."""
    import random

    order = list(range(len(claims)))
    random.Random(seed).shuffle(order)
    return [claims[i] for i in sorted(order[: int(len(claims) * share)])]


def load_claims(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The claims of ``args.split`` (held out, limited as ``args`` says)."""
    claims = [json.loads(line) for line in (args.data / f"claims_{args.split}.jsonl").open()]
    if args.heldout_seed is not None:
        claims = heldout_claims(claims, args.heldout_seed, 0.2)
    return claims[: args.limit] if args.limit else claims


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=SCIFACT)
    parser.add_argument("--split", choices=["dev", "train"], default="dev")
    parser.add_argument("--settings", default="mixed")
    parser.add_argument("-k", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dense", action="store_true", help="fuse the int8 MiniLM in ranking")
    parser.add_argument(
        "--baseline", action="store_true", help="also run the baseline check would use"
    )
    parser.add_argument("--no-pairs", action="store_true", help="skip pair-level and HealthVer")
    parser.add_argument("--no-pools", action="store_true", help="skip the SciFact pools")
    parser.add_argument("--contradict", type=float, default=None, help="override threshold")
    parser.add_argument("--support", type=float, default=None, help="override threshold")
    parser.add_argument(
        "--heldout-seed",
        type=int,
        default=None,
        help="with --split train: only the claims training held out (its --seed)",
    )
    parser.add_argument(
        "--sweep", action="store_true", help="sweep the contradicts threshold (use on train)"
    )
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache/mesorefs/claims-bench")
    parser.add_argument(
        "--model", type=Path, default=MODEL_DIR, help="a candidate model's folder (default: ours)"
    )
    parser.add_argument(
        "--hybrid",
        default="",
        help="comma-separated thresholds: also run the baseline overruled by the model's "
        "contradicts at each",
    )
    parser.add_argument(
        "--verifier",
        metavar="SPEC",
        default=None,
        help="run this backend only (baseline, nli:<model>, openai:<base-url>#<model>) "
        "on the pools",
    )
    args = parser.parse_args(argv)
    if args.heldout_seed is not None and args.split != "train":
        parser.error("--heldout-seed is for --split train")
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))

    import verifier_data as vd

    t = time.perf_counter()
    if args.verifier is not None:
        try:
            chosen = load_verifier(args.verifier)
        except MesorefsError as error:
            parser.error(str(error))
        if chosen is None:  # baseline: what check_claims picks for this ranking
            dense = (load_stance_model() or BaselineVerifier()) if args.dense else None
            chosen = dense or BaselineVerifier.lexical()
        print(f"engine: {chosen.name}, load {time.perf_counter() - t:.2f} s")
        run_pools(args, [chosen])
        return
    found = load_learned_verifier(args.model)
    if found is None:
        print(f"no learned verifier in {args.model} (or onnxruntime/tokenizers missing)")
        print("the baseline engine runs instead")
    verifiers: list[Verifier] = []
    learned: LearnedVerifier | None = None
    # What check_claims pairs with this ranking when it falls back on the cue baseline.
    baseline = BaselineVerifier() if args.dense else BaselineVerifier.lexical()
    if found is not None:
        learned = CachedVerifier(
            model_dir=args.model,
            contradict=args.contradict,
            support=args.support,
            threads=args.threads,
        )
        learned.load()
        load_s = time.perf_counter() - t
        size = (args.model / MODEL_FILE).stat().st_size / 1e6
        print(f"model {size:.1f} MB, load {load_s:.2f} s, engine: {learned.name}")
        verifiers.append(learned)
        verifiers += [
            HybridVerifier(learned, float(t), baseline) for t in args.hybrid.split(",") if t
        ]
    if args.baseline or learned is None:
        verifiers.append(baseline)

    claims = load_claims(args)

    if learned is not None and not args.no_pairs:
        vdocs = vd.scifact_corpus(args.data / "corpus.jsonl")
        pair_metrics(learned, vd.scifact_gold_pairs(claims, vdocs), f"scifact {args.split} gold")
        hv = vd.healthver("test")
        pair_metrics(learned, hv[: args.limit * 6] if args.limit else hv, "healthver test")

    if args.no_pools:
        return
    run_pools(args, verifiers, learned)


def run_pools(
    args: argparse.Namespace, verifiers: Sequence[Verifier], learned: LearnedVerifier | None = None
) -> None:
    """Score each verifier on the SciFact pools of ``args`` (and sweep ``learned``)."""
    docs = cb.load_corpus(args.data / "corpus.jsonl")
    claims = load_claims(args)
    encoder: Encoder | None = None
    if args.dense:
        encoder = OnnxEncoder(threads=args.threads)
    settings = LinkSettings()
    print(f"\nsplit={args.split} claims={len(claims)} k={args.k} seed={args.seed}")
    for setting in args.settings.split(","):
        pools = cb.make_pools(claims, docs, setting, args.k, args.seed, args.cache / args.split)
        if args.sweep and learned is not None:
            cb.evaluate(claims, docs, pools, learned, encoder, settings)  # fills the memo
            shipped = (learned.contradict, learned.support)
            for support in (0.4, 0.5, 0.6):
                for contra in (0.5, 0.6, 0.7, 0.8, 0.9):
                    learned.contradict, learned.support = contra, support
                    out = cb.evaluate(claims, docs, pools, learned, encoder, settings)
                    flags = out["flags"]
                    print(
                        f"sweep {setting} supports>={support} contradicts>={contra}:"
                        f" label-only F1 {out['label_only'][2]:.3f}"
                        f" UNSUPPORTED F1 {flags['UNSUPPORTED'][2]:.3f}"
                        f" CONTRADICTED P {flags['CONTRADICTED'][0]:.3f}"
                        f" R {flags['CONTRADICTED'][1]:.3f} F1 {flags['CONTRADICTED'][2]:.3f}"
                    )
            learned.contradict, learned.support = shipped
        for verifier in verifiers:
            if isinstance(verifier, CachedVerifier):
                verifier._memo.clear()  # time the model, not the memo
            out = cb.evaluate(claims, docs, pools, verifier, encoder, settings)
            ranking = "bm25" + (f"+{encoder.name}" if encoder else "")
            print(f"\n[{setting} k={args.k} seed={args.seed}] ranking={ranking}")
            print(f"engine: {verifier.name}")
            print(f"evidence recall@1 {out['recall@1']:.3f}  recall@3 {out['recall@3']:.3f}")
            print(cb.fmt("abstract label-only", out["label_only"]))
            print(cb.fmt("abstract label+rationale", out["label_rationale"]))
            for name, t3 in out["flags"].items():
                print(cb.fmt(f"flag {name}", t3))
            index_s = out.get("index_s_per_claim")
            print(
                f"seconds per claim: link (verify + decide) {out['link_s_per_claim']:.4f}"
                + (f" + index build {index_s:.4f}" if index_s is not None else "")
                + f" ({args.k}+ references, {args.threads} threads)"
            )


if __name__ == "__main__":
    main()
