"""The claim–evidence sets of ``../shared/data`` read into one shape, for training and benchmarks.

Every set becomes :class:`ClaimItem` rows (a claim, its gold label and the documents
it is checked against) over a corpus of :class:`Doc` (a title and abstract
sentences, as a reference list would carry them):

=============  ==================================  ===============================  =========
set            source                              splits                           licence
=============  ==================================  ===============================  =========
scifact        claims/scifact                      train / dev (official)           CC BY 4.0
check_covid    nli/check_covid                     train / dev (official)           MIT
healthver      nli/healthver_multivers             train / dev (official)           none stated
climate_fever  nli/climate_fever                   dev only (whole set; no split)   none stated
covidfact      claims/covidfact                    dev only (whole set; no split)   none stated
=============  ==================================  ===============================  =========

Only the two sets with a clear licence are ever trained on; the others are held out
whole.  A claim's documents are its gold or cited documents plus ``distractors``
documents of the same corpus drawn with a fixed seed.  Gold labels: ``S`` (some
document supports the claim), ``C`` (some document contradicts it), ``N`` (neither);
CLIMATE-FEVER's DISPUTED claims are ``D`` (both sides), which neither a "supported"
nor a "contradicted" call gets right.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SETS = ("scifact", "check_covid", "healthver", "climate_fever", "covidfact")
TRAINABLE = ("scifact", "check_covid")
"""The sets whose licence allows shipping what is learned from them."""


def shared_data() -> Path:
    """The shared data folder (``MESOREFS_SHARED``/data, else ../shared/data beside the repo)."""
    root = os.environ.get("MESOREFS_SHARED")
    if root:
        return Path(root) / "data"
    return Path(__file__).resolve().parents[2] / "shared" / "data"


@dataclass(frozen=True)
class Person:
    sort_name: str


@dataclass(frozen=True)
class Doc:
    """A corpus document as a reference: key, title and abstract (sentences joined by spaces)."""

    key: str
    title: str
    sentences: tuple[str, ...]
    note: str | None = None
    annote: str | None = None
    year: int | None = None

    @property
    def abstract(self) -> str:
        return " ".join(self.sentences)

    @property
    def offsets(self) -> tuple[int, ...]:
        """Where each sentence starts in :attr:`abstract`."""
        out, pos = [], 0
        for s in self.sentences:
            out.append(pos)
            pos += len(s) + 1
        return tuple(out)

    @property
    def extra(self) -> Mapping[str, str]:
        return {}

    @property
    def authors(self) -> Sequence[Person]:
        return ()


@dataclass(frozen=True)
class ClaimItem:
    """One claim with its gold label and the documents it is checked against."""

    set: str
    split: str
    id: str
    claim: str
    label: str
    """S, C, N, or D (disputed: both)."""
    docs: tuple[str, ...]
    evidence: Mapping[str, tuple[str, frozenset[int]]] = field(default_factory=dict)
    """Per evidence document: its label (S or C) and the rationale sentence numbers."""


@dataclass
class ClaimSet:
    name: str
    corpus: dict[str, Doc]
    items: list[ClaimItem]

    def split(self, name: str) -> list[ClaimItem]:
        return [i for i in self.items if i.split == name]


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _doc(key: str, title: str, sentences: Sequence[str]) -> Doc:
    return Doc(key, " ".join(title.split()), tuple(" ".join(s.split()) for s in sentences))


def _label(labels: Sequence[str]) -> str:
    has_s, has_c = "S" in labels, "C" in labels
    return "D" if has_s and has_c else "S" if has_s else "C" if has_c else "N"


_LABELS = {"SUPPORT": "S", "CONTRADICT": "C", "REFUTE": "C", "SUPPORTS": "S", "REFUTES": "C"}


def _scifact_style(name: str, folder: Path, splits: Mapping[str, str], id_key: str) -> ClaimSet:
    corpus = {
        str(row["doc_id"]): _doc(str(row["doc_id"]), row["title"], row["abstract"])
        for row in _jsonl(folder / "corpus.jsonl")
    }
    items: list[ClaimItem] = []
    for split, file in splits.items():
        for row in _jsonl(folder / file):
            evidence: dict[str, tuple[str, frozenset[int]]] = {}
            for doc, sets in row.get("evidence", {}).items():
                label = _LABELS[sets[0]["label"]]
                evidence[str(doc)] = (label, frozenset(s for e in sets for s in e["sentences"]))
            docs = [str(d) for d in row.get(id_key, [])]
            docs += [d for d in evidence if d not in docs]
            items.append(
                ClaimItem(
                    name,
                    split,
                    str(row["id"]),
                    row["claim"],
                    _label([lab for lab, _ in evidence.values()]),
                    tuple(d for d in docs if d in corpus),
                    evidence,
                )
            )
    return ClaimSet(name, corpus, items)


def load_scifact(data: Path) -> ClaimSet:
    return _scifact_style(
        "scifact",
        data / "claims" / "scifact",
        {"train": "claims_train.jsonl", "dev": "claims_dev.jsonl"},
        "cited_doc_ids",
    )


def load_healthver(data: Path) -> ClaimSet:
    return _scifact_style(
        "healthver",
        data / "nli" / "healthver_multivers",
        {"train": "claims_train.jsonl", "dev": "claims_dev.jsonl"},
        "doc_ids",
    )


def load_check_covid(data: Path) -> ClaimSet:
    folder = data / "nli" / "check_covid"
    corpus = {
        r["cord_id"]: _doc(r["cord_id"], r["title"], r["abstract"])
        for r in _jsonl(folder / "corpus.json")
    }
    items: list[ClaimItem] = []
    for split in ("train", "dev"):
        path = folder / split / f"covidCheck_{split}_composed+extracted.json"
        for row in _jsonl(path):
            label = _LABELS.get(row["label"], "N")
            doc = row["cord_id"]
            evidence = {}
            if label != "N":
                sentences = frozenset(e["sent_index"] for e in row["evidence_set"])
                evidence[doc] = (label, sentences)
            items.append(
                ClaimItem(
                    "check_covid", split, row["id"], row["claim"].strip(), label, (doc,), evidence
                )
            )
    return ClaimSet("check_covid", corpus, items)


def _stable(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def load_climate_fever(data: Path) -> ClaimSet:
    corpus: dict[str, Doc] = {}
    items: list[ClaimItem] = []
    for row in _jsonl(data / "nli" / "climate_fever" / "climate-fever.jsonl"):
        by_article: dict[str, list[tuple[str, str]]] = {}
        for e in row["evidences"]:
            by_article.setdefault(e["article"], []).append((e["evidence"], e["evidence_label"]))
        docs: list[str] = []
        evidence: dict[str, tuple[str, frozenset[int]]] = {}
        for article, sentences in by_article.items():
            key = f"cf{row['claim_id']}:{article}"
            corpus[key] = _doc(key, article, [s for s, _ in sentences])
            docs.append(key)
            labels = [_LABELS.get(lab, "N") for _, lab in sentences]
            for lab in ("S", "C"):
                if lab in labels:
                    rationale = frozenset(i for i, x in enumerate(labels) if x == lab)
                    evidence.setdefault(key, (lab, rationale))
        label = {"SUPPORTS": "S", "REFUTES": "C", "DISPUTED": "D"}.get(row["claim_label"], "N")
        items.append(
            ClaimItem(
                "climate_fever", "dev", row["claim_id"], row["claim"], label, tuple(docs), evidence
            )
        )
    return ClaimSet("climate_fever", corpus, items)


def load_covidfact(data: Path) -> ClaimSet:
    corpus: dict[str, Doc] = {}
    items: list[ClaimItem] = []
    for n, row in enumerate(_jsonl(data / "claims" / "covidfact" / "COVIDFACT_dataset.jsonl")):
        key = f"cv{n}"
        corpus[key] = _doc(key, "", row["evidence"])
        label = "S" if row["label"] == "SUPPORTED" else "C"
        rationale = frozenset(range(len(row["evidence"])))
        items.append(
            ClaimItem(
                "covidfact", "dev", key, row["claim"], label, (key,), {key: (label, rationale)}
            )
        )
    return ClaimSet("covidfact", corpus, items)


LOADERS = {
    "scifact": load_scifact,
    "check_covid": load_check_covid,
    "healthver": load_healthver,
    "climate_fever": load_climate_fever,
    "covidfact": load_covidfact,
}


def load(name: str, data: Path | None = None) -> ClaimSet:
    return LOADERS[name](data or shared_data())


def sample(items: Sequence[ClaimItem], limit: int | None, seed: int = 0) -> list[ClaimItem]:
    """At most ``limit`` items, drawn with a fixed seed (all of them, in order, without a limit)."""
    if limit is None or len(items) <= limit:
        return list(items)
    rng = random.Random(f"{seed}:{len(items)}")
    chosen = sorted(rng.sample(range(len(items)), limit))
    return [items[i] for i in chosen]


def reference_list(
    item: ClaimItem, corpus: Mapping[str, Doc], distractors: int, seed: int = 0
) -> list[Doc]:
    """The claim's documents plus ``distractors`` other documents of the corpus, shuffled."""
    rng = random.Random(f"{seed}:{item.set}:{item.id}")
    keys = list(corpus)
    own = [d for d in item.docs if d in corpus]
    taken = set(own)
    extra: list[str] = []
    while len(extra) < distractors and len(taken) < len(keys):
        d = keys[rng.randrange(len(keys))]
        if d not in taken and corpus[d].sentences:
            taken.add(d)
            extra.append(d)
    chosen = own + extra
    rng.shuffle(chosen)
    return [corpus[d] for d in chosen]
