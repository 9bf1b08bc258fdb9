"""SciFact for training and evaluation: the corpus as references, claim pools, ranking.

The one reader of ``shared/data/claims/scifact`` (PROTOCOL.md there): the stance and
verifier trainers use it, and so does ``benchmarks/claims_bench.py``, so a model is
fitted on the pools and rankings the benchmark scores it on.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mesorefs.claims.check import LinkSettings
from mesorefs.claims.evidence import passages_for_all
from mesorefs.claims.retrieve import (
    Encoder,
    EvidenceIndex,
    RankedReference,
    build_index,
    rank,
    tokenize,
)

__all__ = ["Doc", "Prepared", "load_claims", "load_corpus", "make_pools", "prepare"]


@dataclass(frozen=True)
class Doc:
    """A SciFact abstract, as a reference."""

    key: str
    title: str
    abstract: str
    offsets: tuple[int, ...]
    note: str | None = None
    annote: str | None = None
    year: int | None = None

    @property
    def extra(self) -> dict[str, str]:
        return {}

    @property
    def authors(self) -> list[Any]:
        return []


def load_corpus(path: Path) -> dict[str, Doc]:
    docs: dict[str, Doc] = {}
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        sentences = [s.strip() for s in row["abstract"]]
        offsets, pos = [], 0
        for s in sentences:
            offsets.append(pos)
            pos += len(s) + 1
        key = str(row["doc_id"])
        docs[key] = Doc(key, row["title"], " ".join(sentences), tuple(offsets))
    return docs


def make_pools(
    claims: list[dict[str, Any]], docs: dict[str, Doc], setting: str, k: int, seed: int, cache: Path
) -> dict[int, list[str]]:
    """Pools per claim id, written once to ``pools_{setting}_k{k}_seed{seed}.jsonl``."""
    path = cache / f"pools_{setting}_k{k}_seed{seed}.jsonl"
    if path.exists():
        rows = [json.loads(line) for line in path.open()]
        return {r["id"]: r["pool"] for r in rows}
    import bm25s

    keys = list(docs)
    retriever = bm25s.BM25()
    retriever.index(
        [tokenize(docs[d].title + " " + docs[d].abstract) for d in keys], show_progress=False
    )
    rng = random.Random(seed)
    pools: dict[int, list[str]] = {}
    for c in claims:
        cited = [str(d) for d in c["cited_doc_ids"] if str(d) in docs]
        hard: list[str] = []
        n_hard = {"random": 0, "hard": k, "mixed": min(5, k)}[setting]
        if n_hard:
            vocab = retriever.vocab_dict
            ids = [vocab[t] for t in tokenize(c["claim"]) if t in vocab]
            scores = retriever.get_scores_from_ids(ids) if ids else [0.0] * len(keys)
            order = sorted(range(len(keys)), key=lambda i: -scores[i])
            hard = [keys[i] for i in order if keys[i] not in cited][:n_hard]
        taken = set(cited) | set(hard)
        rand: list[str] = []
        while len(rand) < k - n_hard:
            d = keys[rng.randrange(len(keys))]
            if d not in taken:
                taken.add(d)
                rand.append(d)
        pool = cited + hard + rand
        rng.shuffle(pool)
        pools[c["id"]] = pool
    cache.mkdir(parents=True, exist_ok=True)
    with path.open("w") as fh:
        for cid, pool in pools.items():
            fh.write(json.dumps({"id": cid, "pool": pool}) + "\n")
    return pools


def load_claims(path: Path) -> list[dict[str, Any]]:
    """The claims of one split file (``claims_train.jsonl``, ...), one dict per line."""
    return [json.loads(line) for line in path.open(encoding="utf-8")]


@dataclass
class Prepared:
    """A claim ranked against its pool once; verifiers are then scored on it."""

    claim: dict[str, Any]
    index: EvidenceIndex
    ranked: list[RankedReference]


def prepare(
    claims: list[dict[str, Any]],
    docs: dict[str, Doc],
    pools: dict[int, list[str]],
    encoder: Encoder | None,
    settings: LinkSettings,
) -> tuple[list[Prepared], float]:
    """Index each claim's pool and rank it; returns the claims and the seconds taken."""
    out: list[Prepared] = []
    t0 = time.perf_counter()
    for c in claims:
        pool = [docs[d] for d in pools[c["id"]]]
        index = build_index(passages_for_all(pool), [d.key for d in pool], encoder)
        ranked = rank(
            index, c["claim"], top_passages=settings.top_passages, weights=settings.fusion
        )
        out.append(Prepared(c, index, ranked))
    return out, time.perf_counter() - t0
