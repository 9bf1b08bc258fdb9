"""Train the reference-string CRF that ships in ``mesorefs/parsing/data``.

Pools (PROTOCOL.md section 3, never a test suite):
  * T-core: AnyStyle ``core.xml``;
  * GROBID ``corpus/`` minus both evaluation files;
  * synthetic: P3 records outside the 2,000 test DOIs, six clean styles, labels
    projected from the derived field gold.
Every pool is de-duplicated against every test suite by normalised text.

Run from the repository root::

    /work/venv/bin/python -m training.train_parser [--p3-records 1500] [--out PATH]

Deterministic: fixed seeds for every sample; crfsuite's L-BFGS is deterministic.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

import pycrfsuite

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mesorefs.parsing.features import sequence_features  # noqa: E402
from mesorefs.parsing.tokens import tokenize  # noqa: E402
from training import refdata  # noqa: E402

MODEL = ROOT / "src" / "mesorefs" / "parsing" / "data" / "refparse.crfsuite"
_ISSUE_WORDS = {"no", "no.", "nr", "nr.", "issue", "heft", "n°", "num."}


def token_labels(example: refdata.Example) -> tuple[list[str], list[str]]:
    """Tokens of the example and one label each (from the first word character)."""
    text = example.text
    chars: list[str | None] = [None] * len(text)
    for label, start, end in example.spans:
        for k in range(start, end):
            chars[k] = label
    # Unlabelled punctuation joins the preceding field, as in AnyStyle.
    last: str | None = None
    for k, ch in enumerate(text):
        if chars[k] is None and not ch.isspace():
            chars[k] = last
        elif chars[k] is not None:
            last = chars[k]
    first = next((c for c in chars if c), "other")
    tokens = tokenize(text)
    texts, labels = [], []
    for tok in tokens:
        span = chars[tok.start : tok.end]
        word = [c for c, ch in zip(span, tok.text, strict=True) if ch.isalnum() and c]
        label = word[0] if word else next((c for c in span if c), None) or first
        texts.append(tok.text)
        labels.append(label)
    _split_issue(texts, labels)
    return texts, labels


def _split_issue(texts: list[str], labels: list[str]) -> None:
    """AnyStyle keeps the issue inside ``volume``: relabel ``(2)`` and ``no. 9`` as issue."""
    i = 0
    while i < len(labels):
        if labels[i] != "volume":
            i += 1
            continue
        j = i
        while j < len(labels) and labels[j] == "volume":
            j += 1
        run = range(i, j)
        issue_from = None
        for k in run:
            low = texts[k].lower().rstrip(",.:;")
            if k > i and texts[k].startswith("(") and any(ch.isdigit() for ch in texts[k]):
                issue_from = k
                break
            if k > i and (low in _ISSUE_WORDS or low.rstrip(".") in _ISSUE_WORDS):
                issue_from = k
                break
        if issue_from is not None:
            for k in range(issue_from, j):
                labels[k] = "issue"
        i = j


def build_pools(p3_records: int, seed: int) -> dict[str, list[refdata.Example]]:
    banned = {refdata.norm_text(t) for _, t in refdata.iter_test_strings()}
    eval_texts = set()
    for path in refdata.GROBID_EVAL.values():
        eval_texts |= {refdata.norm_text(e.text) for e in refdata.load_tei(path, "eval")}
    pools: dict[str, list[refdata.Example]] = {}
    pools["core"] = [
        e for e in refdata.load_anystyle("core") if refdata.norm_text(e.text) not in banned
    ]
    pools["grobid"] = [
        e
        for e in refdata.load_grobid_corpus()
        if refdata.norm_text(e.text) not in banned and refdata.norm_text(e.text) not in eval_texts
    ]
    train, _ = refdata.p3_split()
    rng = random.Random(seed)
    chosen = rng.sample(train, min(p3_records, len(train)))
    synth = []
    for rec in chosen:
        for style in refdata.P3_STYLES:
            ex = refdata.project_record(rec, style)
            if ex is not None and refdata.norm_text(ex.text) not in banned:
                synth.append(ex)
    pools["p3"] = synth
    return pools


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--p3-records", type=int, default=1000)
    ap.add_argument("--core-weight", type=int, default=2, help="times core is repeated")
    ap.add_argument("--no-grobid", action="store_true")
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=MODEL)
    args = ap.parse_args(argv)

    start = time.perf_counter()
    pools = build_pools(args.p3_records, args.seed)
    if args.no_grobid:
        pools["grobid"] = []
    trainer = pycrfsuite.Trainer(verbose=False)
    counts: Counter[str] = Counter()
    n = 0
    for name, examples in pools.items():
        reps = args.core_weight if name == "core" else 1
        for ex in examples:
            texts, labels = token_labels(ex)
            if not texts:
                continue
            feats = sequence_features(tokenize(ex.text))
            for _ in range(reps):
                trainer.append(feats, labels)
                n += 1
            counts.update(labels)
        print(f"pool {name}: {len(examples)} strings", flush=True)
    trainer.set_params(
        {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.iterations,
            "feature.possible_transitions": True,
            "feature.minfreq": 1,
        }
    )
    prep = time.perf_counter() - start
    args.out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(args.out))
    total = time.perf_counter() - start
    print(f"sequences: {n}; labels: {dict(counts.most_common())}")
    print(f"model: {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    print(f"training time: {total:.1f} s (features {prep:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
