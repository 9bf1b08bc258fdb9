"""Train the reference-string CRF that ships in ``mesorefs/parsing/data``.

Pools (PROTOCOL.md section 3, never a test suite):
  * T-core: AnyStyle ``core.xml``;
  * GROBID ``corpus/`` minus both evaluation files;
  * synthetic: P3 records outside the 2,000 test DOIs, six clean styles, labels
    projected from the derived field gold.
Every pool is de-duplicated against every test suite by normalised text.

The word lexicon (``refparse.lex.gz``: journal-name, title, publisher, place,
family- and given-name words) is counted from the same training pools plus the
field gold of every P3 *training* record; never from a test suite.

``--holdout`` carves the validation split (``refdata.split_*``: 15 % of core,
10 % of GROBID corpus files, 500 P3 training records) out of the pools *and* the
lexicon, for choosing features and parameters; ``benchmarks/parse_bench.py
--suites V`` scores such a model on that split.

Run from the repository root::

    python -m training.train_parser [--p3-records 1500] [--out PATH]
    python -m training.train_parser --holdout --out /tmp/m.crfsuite

Deterministic: fixed seeds for every sample; crfsuite's L-BFGS is deterministic.
"""

from __future__ import annotations

import argparse
import gzip
import random
import sys
import time
from collections import Counter
from pathlib import Path

import pycrfsuite

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mesorefs.parsing import features  # noqa: E402
from mesorefs.parsing.features import sequence_features  # noqa: E402
from mesorefs.parsing.tokens import tokenize  # noqa: E402
from training import refdata  # noqa: E402

MODEL = ROOT / "src" / "mesorefs" / "parsing" / "data" / "refparse.crfsuite"
LEXICON = MODEL.parent / features.LEXICON_NAME
_LEX_CLASS = {
    "author": "auth",
    "editor": "auth",
    "title": "title",
    "container": "cont",
    "collection": "cont",
    "publisher": "pub",
    "location": "loc",
}
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


def _lex_word(token: str) -> str:
    return features._STRIP.sub("", token).lower()


def build_lexicon(
    examples: list[refdata.Example], records: list[dict[str, object]], share: float = 0.3
) -> dict[str, list[str]]:
    """Word -> classes it mostly belongs to, from labelled tokens and P3 record fields.

    A word gets a class when it was seen at least twice and at least ``share`` of its
    occurrences carry that class (``other`` collects dates, pages, notes...).
    """
    counts: dict[str, Counter[str]] = {}

    def add(word: str, cls: str) -> None:
        if word and not word.isdigit():
            counts.setdefault(word, Counter())[cls] += 1

    for ex in examples:
        texts, labels = token_labels(ex)
        for text, label in zip(texts, labels, strict=True):
            add(_lex_word(text), _LEX_CLASS.get(label, "other"))
    for rec in records:
        for tok in str(rec.get("title") or "").split():
            add(_lex_word(tok), "title")
        for tok in str(rec.get("container") or "").split():
            add(_lex_word(tok), "cont")
        for person in rec.get("authors") or []:  # type: ignore[attr-defined]
            for tok in str(person.get("family") or "").split():
                add(_lex_word(tok), "fam")
            for tok in str(person.get("given") or "").replace(".", " ").split():
                if len(_lex_word(tok)) > 1:
                    add(_lex_word(tok), "giv")
    lexicon: dict[str, list[str]] = {}
    for word, c in counts.items():
        total = sum(c.values())
        if total < 2:
            continue
        classes = sorted(k for k, v in c.items() if v >= 2 and v / total >= share)
        if classes:
            lexicon[word] = classes
    return lexicon


def write_lexicon(lexicon: dict[str, list[str]], path: Path) -> None:
    lines = "".join(f"{w}\t{','.join(c)}\n" for w, c in sorted(lexicon.items()))
    # mtime=0: the same lexicon always gives the same bytes.
    path.write_bytes(gzip.compress(lines.encode("utf-8"), compresslevel=9, mtime=0))


def build_pools(
    p3_records: int, seed: int, holdout: bool = False
) -> tuple[dict[str, list[refdata.Example]], list[dict[str, object]]]:
    """Training pools and the P3 training records (both without the validation split
    when ``holdout``)."""
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
    if holdout:
        pools["core"] = refdata.split_core(pools["core"])[0]
        pools["grobid"] = refdata.split_grobid(pools["grobid"])[0]
        train = refdata.split_p3_train(train)[0]
    rng = random.Random(seed)
    chosen = rng.sample(train, min(p3_records, len(train)))
    synth = []
    for rec in chosen:
        for style in refdata.P3_STYLES:
            ex = refdata.project_record(rec, style)
            if ex is not None and refdata.norm_text(ex.text) not in banned:
                synth.append(ex)
    pools["p3"] = synth
    return pools, train


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--p3-records", type=int, default=2000)
    ap.add_argument("--core-weight", type=int, default=4, help="times core is repeated")
    ap.add_argument("--no-grobid", action="store_true")
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--c1", type=float, default=0.1)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--grobid-fraction", type=float, default=1.0, help="subsample GROBID")
    ap.add_argument("--out", type=Path, default=MODEL)
    ap.add_argument("--lexicon", type=Path, help="default: next to --out")
    ap.add_argument("--holdout", action="store_true", help="leave the validation split out")
    ap.add_argument(
        "--groups",
        default=",".join(sorted(features.FEATURE_GROUPS)),
        help="feature groups (experiments; the shipped model uses the default)",
    )
    args = ap.parse_args(argv)
    lex_path = args.lexicon or args.out.parent / features.LEXICON_NAME

    start = time.perf_counter()
    pools, records = build_pools(args.p3_records, args.seed, args.holdout)
    if args.no_grobid:
        pools["grobid"] = []
    elif args.grobid_fraction < 1:
        rng = random.Random(args.seed)
        pools["grobid"] = [e for e in pools["grobid"] if rng.random() < args.grobid_fraction]
    groups = frozenset(g for g in args.groups.split(",") if g)
    features.set_feature_groups(groups)
    lexicon = build_lexicon([e for pool in pools.values() for e in pool], records)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_lexicon(lexicon, lex_path)
    features.set_lexicon(features.load_lexicon(lex_path))
    print(f"lexicon: {len(lexicon)} words -> {lex_path}", flush=True)
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
    trainer.train(str(args.out))
    total = time.perf_counter() - start
    print(f"sequences: {n}; labels: {dict(counts.most_common())}")
    print(f"model: {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    print(f"training time: {total:.1f} s (features {prep:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
