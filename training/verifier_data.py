"""Training and evaluation pairs for the learned stance verifier (training/train_verifier.py).

Every pair is ``(claim, evidence, label, source)`` with label 0 supports, 1 contradicts,
2 neutral.  ``SHIPPABLE`` lists the sources whose licences allow shipping weights
trained on them; HealthVer and COVID-Fact state no licence and are read for
evaluation only.  Paths default to ``../shared/data`` beside the repository.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from mesorefs.claims.evidence import passages_for_all  # noqa: E402
from mesorefs.claims.learned import evidence_text  # noqa: E402
from mesorefs.claims.retrieve import build_index, rank  # noqa: E402
from training.scifact import Doc, load_corpus  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
NLI = SHARED / "nli"
CLAIMS = SHARED / "claims"
SUPPORTS, CONTRADICTS, NEUTRAL = 0, 1, 2

SHIPPABLE: dict[str, str] = {
    "mnli": "MultiNLI dev matched/mismatched (Williams et al. 2018): OANC; fiction CC BY(-SA) 3.0",
    "snli": "SNLI dev/test (Bowman et al. 2015): CC BY-SA 4.0",
    "cad_snli": "Counterfactual SNLI (Kaushik et al. 2020): Apache-2.0; SNLI text CC BY-SA 4.0",
    "fever_symmetric": "FEVER Symmetric v0.2 (Schuster et al. 2019): CC BY-SA 3.0",
    "check_covid": "Check-COVID train (Wang et al. 2023): MIT",
    "scifact": "SciFact train (Wadden et al. 2020): CC BY 4.0 claims, ODC-By corpus",
}


@dataclass(frozen=True)
class Pair:
    claim: str
    evidence: str
    label: int
    source: str


def _clean(text: str) -> str:
    return " ".join(str(text).split())


_NLI = {"entailment": SUPPORTS, "contradiction": CONTRADICTS, "neutral": NEUTRAL}


def nli_csv(path: Path, source: str) -> list[Pair]:
    """MNLI/SNLI CSV (premise = evidence, hypothesis = claim); rows without consensus dropped."""
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            label = _NLI.get(row["label"])
            if label is not None and row["sentence1"] and row["sentence2"]:
                out.append(Pair(_clean(row["sentence2"]), _clean(row["sentence1"]), label, source))
    return out


def cad_snli(path: Path = NLI / "cad_snli/all_combined/train.tsv") -> list[Pair]:
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            label = _NLI.get(row["gold_label"])
            if label is not None:
                out.append(
                    Pair(_clean(row["sentence2"]), _clean(row["sentence1"]), label, "cad_snli")
                )
    return out


def fever_symmetric(folder: Path = NLI / "fever_symmetric/v0.2") -> list[Pair]:
    labels = {"SUPPORTS": SUPPORTS, "REFUTES": CONTRADICTS, "NOT ENOUGH INFO": NEUTRAL}
    out = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            label = labels.get(row.get("gold_label") or row.get("label"))
            if label is not None:
                out.append(
                    Pair(_clean(row["claim"]), _clean(row["evidence"]), label, "fever_symmetric")
                )
    return out


def check_covid(folder: Path = NLI / "check_covid", split: str = "train") -> list[Pair]:
    corpus = {}
    for line in (folder / "corpus.json").open(encoding="utf-8"):
        row = json.loads(line)
        corpus[row["cord_id"]] = row["abstract"]
    labels = {"SUPPORT": SUPPORTS, "REFUTE": CONTRADICTS, "NOTENOUGHINFO": NEUTRAL}
    out = []
    path = folder / split / f"covidCheck_{split}_composed+extracted.json"
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        sentences = corpus.get(row["cord_id"])
        label = labels.get(row["label"])
        if not sentences or label is None:
            continue
        idx = sorted({e["sent_index"] for e in row["evidence_set"]})
        text = " ".join(sentences[i] for i in idx if i < len(sentences))
        if text:
            out.append(Pair(_clean(row["claim"]), _clean(text), label, "check_covid"))
    return out


def balanced_sample(pairs: list[Pair], n: int, rng: random.Random) -> list[Pair]:
    """Up to ``n`` pairs, as even across labels as the data allows."""
    by_label: dict[int, list[Pair]] = {}
    for p in pairs:
        by_label.setdefault(p.label, []).append(p)
    for group in by_label.values():
        rng.shuffle(group)
    out: list[Pair] = []
    share = n // max(len(by_label), 1)
    for group in by_label.values():
        out.extend(group[:share])
    return out


def stage1(rng: random.Random, sizes: dict[str, int]) -> list[Pair]:
    """The NLI / fact-verification mix, subsampled to ``sizes`` per source."""
    sources: dict[str, list[Pair]] = {
        "mnli": nli_csv(NLI / "mnli_snli_devtest/multinli_1.0_dev_matched.csv", "mnli")
        + nli_csv(NLI / "mnli_snli_devtest/multinli_1.0_dev_mismatched.csv", "mnli"),
        "snli": nli_csv(NLI / "mnli_snli_devtest/snli_1.0_dev.csv", "snli")
        + nli_csv(NLI / "mnli_snli_devtest/snli_1.0_test.csv", "snli"),
        "cad_snli": cad_snli(),
        "fever_symmetric": fever_symmetric(),
        "check_covid": check_covid(),
    }
    out: list[Pair] = []
    for name, pairs in sources.items():
        if name not in SHIPPABLE:
            raise ValueError(f"{name}: no shippable licence recorded")
        n = sizes.get(name, len(pairs))
        out.extend(balanced_sample(pairs, n, rng) if n < len(pairs) else pairs)
    rng.shuffle(out)
    return out


# --- SciFact -------------------------------------------------------------------------


def scifact_corpus(path: Path = CLAIMS / "scifact/corpus.jsonl") -> dict[str, Doc]:
    """The SciFact abstracts by doc id, as references (:func:`training.scifact.load_corpus`)."""
    return load_corpus(path)


def scifact_claims(split: str, folder: Path = CLAIMS / "scifact") -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / f"claims_{split}.jsonl").open()]


def ranked_evidence(claim: str, docs: list[Doc], top_passages: int = 3) -> dict[str, str]:
    """Per doc, the text the verifier reads at run time: its best passages for ``claim``."""
    index = build_index(passages_for_all(docs), [d.key for d in docs], None)
    return {
        r.key: evidence_text([p.passage for p in r.passages])
        for r in rank(index, claim, top_passages=top_passages)
        if r.passages
    }


def hard_negatives(
    claims: Iterable[dict[str, Any]], docs: dict[str, Doc], n: int
) -> dict[int, list[str]]:
    """Per claim id, the ``n`` docs the ranker puts first over the whole corpus that the
    claim does not cite: the on-topic distractors a real reference list holds."""
    if n <= 0:
        return {}
    keys = list(docs)
    index = build_index(passages_for_all([docs[k] for k in keys]), keys, None)
    out: dict[int, list[str]] = {}
    for c in claims:
        cited = {str(d) for d in c["cited_doc_ids"]}
        ranked = [r.key for r in rank(index, c["claim"], top_passages=1)[: n + len(cited)]]
        out[c["id"]] = [k for k in ranked if k not in cited][:n]
    return out


def scifact_pairs(
    claims: Iterable[dict[str, Any]],
    docs: dict[str, Doc],
    rng: random.Random,
    *,
    distractors: int = 1,
    rationale_variant: bool = True,
    negatives: dict[int, list[str]] | None = None,
) -> list[Pair]:
    """SciFact (claim, evidence) pairs shaped like run-time inputs.

    For each cited doc: the ranker's top passages (label = the gold label when they hold
    a whole gold rationale, neutral for a doc without evidence, skipped otherwise), plus
    the gold rationale sentences alone for evidence docs; ``distractors`` random other
    docs per claim, and the claim's ``negatives`` (see :func:`hard_negatives`), give
    more neutral pairs.
    """
    keys = list(docs)
    out: list[Pair] = []
    for c in claims:
        cited = [str(d) for d in c["cited_doc_ids"] if str(d) in docs]
        extra = [k for k in (keys[rng.randrange(len(keys))] for _ in range(distractors))]
        extra += (negatives or {}).get(c["id"], [])
        extra = [k for k in dict.fromkeys(extra) if k not in cited]
        pool = [docs[k] for k in cited + extra]
        shown = ranked_evidence(c["claim"], pool)
        evidence = c.get("evidence", {})
        for key in cited + extra:
            sets = evidence.get(key)
            text = shown.get(key)
            if not sets:
                if text:
                    out.append(Pair(c["claim"], text, NEUTRAL, "scifact"))
                continue
            label = SUPPORTS if sets[0]["label"] == "SUPPORT" else CONTRADICTS
            doc = docs[key]
            sentences = [
                doc.abstract[start : (doc.offsets[i + 1] - 1 if i + 1 < len(doc.offsets) else None)]
                for i, start in enumerate(doc.offsets)
            ]
            if text and any(all(sentences[i] in text for i in s["sentences"]) for s in sets):
                out.append(Pair(c["claim"], text, label, "scifact"))
            if rationale_variant:
                idx = sorted({i for s in sets for i in s["sentences"]})
                rationale = " ".join(sentences[i] for i in idx if i < len(sentences))
                out.append(Pair(c["claim"], rationale, label, "scifact"))
    return out


def scifact_gold_pairs(claims: Iterable[dict[str, Any]], docs: dict[str, Doc]) -> list[Pair]:
    """One pair per gold evidence doc: the ranker's top passages of that doc (no NEI)."""
    out: list[Pair] = []
    for c in claims:
        evidence = c.get("evidence", {})
        keys = [k for k in evidence if k in docs]
        if not keys:
            continue
        shown = ranked_evidence(c["claim"], [docs[k] for k in keys])
        for key in keys:
            label = SUPPORTS if evidence[key][0]["label"] == "SUPPORT" else CONTRADICTS
            if key in shown:
                out.append(Pair(c["claim"], shown[key], label, "scifact"))
    return out


# --- evaluation only (no licence stated) ---------------------------------------------


def healthver(split: str = "test", folder: Path = CLAIMS / "healthver") -> list[Pair]:
    labels = {"Supports": SUPPORTS, "Refutes": CONTRADICTS, "Neutral": NEUTRAL}
    out = []
    with (folder / f"healthver_{split}.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            label = labels.get(row["label"].strip())
            if label is not None:
                out.append(Pair(_clean(row["claim"]), _clean(row["evidence"]), label, "healthver"))
    return out
