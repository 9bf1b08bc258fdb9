"""Feature rows of (claim, passage) pairs for the claim sets, ranked as ``mesorefs check`` ranks.

For every claim of a split, its reference list (its own documents plus seeded
distractors, :func:`claim_sets.reference_list`) is indexed the way
:func:`mesorefs.claims.check.check_claims` indexes a library (BM25 + the shipped
int8 MiniLM, vectors cached on disk), the claim is ranked, and each passage of its
``top`` best references becomes one row of :func:`mesorefs.claims.stance.ranked_features`.
A row is labelled with its document's gold label when the sentence is one of the
gold rationale sentences, and neutral otherwise.  Rows are cached per split in
``--cache`` (an ``.npz`` per set, split and feature version).

    python training/verdict_data.py --cache /tmp/verdicts
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import claim_sets  # noqa: E402

from mesorefs.claims.encoder import load_default_encoder  # noqa: E402
from mesorefs.claims.evidence import passages_for_all  # noqa: E402
from mesorefs.claims.retrieve import build_index, rank  # noqa: E402
from mesorefs.claims.stance import FEATURES, ranked_features  # noqa: E402

Array = np.ndarray[Any, Any]
LABEL = {"S": 0, "C": 1}
CLAIM_LABEL = {"S": 0, "C": 1, "N": 2, "D": 3}
TOP = 5
DISTRACTORS = 2
LIMITS = {"train": 600, "dev": 500}


@dataclass
class Rows:
    """One row per candidate passage, with what claim-level scoring needs."""

    x: Array
    label: Array  # 0 supports, 1 contradicts, 2 neutral (the training target)
    claim: Array  # index of the claim within the split
    doc_gold: Array  # the passage's document's gold label (0, 1, 2 not evidence)
    is_title: Array
    claim_label: Array  # per claim: CLAIM_LABEL
    claim_ids: list[str]
    claims: list[str]

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            x=self.x,
            label=self.label,
            claim=self.claim,
            doc_gold=self.doc_gold,
            is_title=self.is_title,
            claim_label=self.claim_label,
            claim_ids=np.asarray(self.claim_ids),
            claims=np.asarray(self.claims),
        )

    @classmethod
    def load(cls, path: Path) -> Rows:
        d = np.load(path, allow_pickle=False)
        return cls(
            d["x"],
            d["label"],
            d["claim"],
            d["doc_gold"],
            d["is_title"],
            d["claim_label"],
            [str(s) for s in d["claim_ids"]],
            [str(s) for s in d["claims"]],
        )


def feature_version() -> str:
    return hashlib.sha256(",".join(FEATURES).encode()).hexdigest()[:8]


def rows_for(
    items: list[claim_sets.ClaimItem], corpus: dict[str, claim_sets.Doc], encoder: Any
) -> Rows:
    xs: list[Array] = []
    cols: dict[str, list[Any]] = {k: [] for k in ("label", "claim", "doc_gold", "is_title")}
    for n, item in enumerate(items):
        refs = claim_sets.reference_list(item, corpus, DISTRACTORS)
        keys = [d.key for d in refs]
        passages = passages_for_all(refs)
        index = build_index(passages, keys, encoder)
        ranked = rank(index, item.claim, top_passages=3, limit=TOP)
        chosen = [r for r in ranked[:TOP] if r.passages]
        for ref, block in zip(
            chosen, ranked_features(item.claim, ranked, chosen, index.idf, TOP), strict=True
        ):
            gold = item.evidence.get(ref.key)
            gold_label = LABEL[gold[0]] if gold else 2
            doc = corpus[ref.key]
            offsets = doc.offsets
            for scored, row in zip(ref.passages, block, strict=True):
                p = scored.passage
                label = 2
                if gold and p.field == "abstract":
                    sentence = bisect.bisect_right(offsets, p.start) - 1
                    if sentence in gold[1]:
                        label = gold_label
                xs.append(row)
                cols["label"].append(label)
                cols["claim"].append(n)
                cols["doc_gold"].append(gold_label)
                cols["is_title"].append(p.field == "title")
    return Rows(
        np.stack(xs) if xs else np.zeros((0, len(FEATURES))),
        np.asarray(cols["label"], dtype=np.int64),
        np.asarray(cols["claim"], dtype=np.int64),
        np.asarray(cols["doc_gold"], dtype=np.int64),
        np.asarray(cols["is_title"], dtype=bool),
        np.asarray([CLAIM_LABEL[i.label] for i in items], dtype=np.int64),
        [i.id for i in items],
        [i.claim for i in items],
    )


def load_rows(name: str, split: str, cache: Path, limit: int | None = None) -> Rows:
    """The rows of one split of one set, computed once per feature version."""
    limit = LIMITS[split] if limit is None else limit
    path = cache / f"{name}-{split}-{limit}-{feature_version()}.npz"
    if path.exists():
        return Rows.load(path)
    cs = claim_sets.load(name)
    items = claim_sets.sample(cs.split(split), limit)
    encoder = load_default_encoder(cache / "encoder")
    started = time.process_time()
    rows = rows_for(items, cs.corpus, encoder)
    print(
        f"  {name} {split}: {len(items)} claims, {len(rows.x)} rows, "
        f"{time.process_time() - started:.0f} CPU s",
        file=sys.stderr,
    )
    cache.mkdir(parents=True, exist_ok=True)
    rows.save(path)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/verdicts"))
    parser.add_argument("--sets", nargs="*", default=list(claim_sets.SETS))
    args = parser.parse_args()
    for name in args.sets:
        for split in ("train", "dev"):
            if split == "train" and name not in claim_sets.TRAINABLE:
                continue
            load_rows(name, split, args.cache)


if __name__ == "__main__":
    main()
