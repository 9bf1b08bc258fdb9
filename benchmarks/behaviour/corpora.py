"""Real sentences of the shared corpora, each with the passage it comes from.

A :class:`Source` is one passage (an abstract, an evidence snippet, the sentences of one
Wikipedia article) split into sentences; a sentence of it is checked against it.  Only
sentences that read as one clean sentence (:func:`clean_sentence`) become test items.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CORPORA = ("scifact", "check_covid", "healthver", "covidfact", "climate_fever")
"""The corpora sentences are drawn from, in the order items are interleaved."""


@dataclass(frozen=True)
class Source:
    """One passage of a corpus, in sentences, with where it comes from."""

    corpus: str
    id: str
    title: str
    sentences: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


_ABBREVIATION = re.compile(
    r"\b(?:e\.g|i\.e|vs|cf|approx|Fig|Figs|Eq|No|Dr|Mr|Mrs|Ms|St|ca|resp)\.|\bet al\b",
    re.IGNORECASE,
)
_INSIDE_BREAK = re.compile(r"[.!?]\s+[A-Z(0-9]")
# A structured abstract's label glued to the sentence: "CONTEXT Gastroesophageal reflux ..."
_LABEL = re.compile(r"^[A-Z]{4,}\s+[A-Z]")
_UNWANTED = re.compile(r"[\[\]{}\\$#&_~^<>|@:;?!*\"“”]|https?:|www\.|\.\.|\s[–-]\s")


def clean_sentence(text: str) -> bool:
    """Whether ``text`` reads as one whole declarative sentence of 8-40 words.

    It starts with a capital letter (not a structured abstract's label such as
    ``RESULTS``), ends with its only full stop, holds no list colon, semicolon,
    quotation, markup or LaTeX-special character, no abbreviation with a full stop, and
    its brackets pair up.
    """
    words = text.split()
    if not 8 <= len(words) <= 40 or not text[:1].isupper() or not text.endswith("."):
        return False
    if text.endswith("..") or _UNWANTED.search(text) or _ABBREVIATION.search(text):
        return False
    if _INSIDE_BREAK.search(text[:-1]) or text.count("(") != text.count(")"):
        return False
    if _LABEL.match(text):
        return False
    return not re.search(r"\b[A-Z]{2,}\b(?:\s+[A-Z]{2,}\b){2,}", text)  # shouted headings


_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def split_passage(text: str) -> tuple[str, ...]:
    """A passage in sentences, cut only where a full stop is followed by a capital."""
    return tuple(s.strip() for s in _SPLIT.split(text.strip()) if s.strip())


def _scifact(data: Path) -> Iterator[Source]:
    with (data / "claims" / "scifact" / "corpus.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            yield Source("scifact", str(row["doc_id"]), row["title"], tuple(row["abstract"]))


def _check_covid(data: Path) -> Iterator[Source]:
    with (data / "nli" / "check_covid" / "corpus.json").open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            sentences = [s.strip() for s in row["abstract"] if s.strip()]
            if sentences and sentences[0].startswith("Abstract "):
                sentences[0] = sentences[0][len("Abstract ") :]
            yield Source("check_covid", row["cord_id"], row["title"], tuple(sentences))


def _healthver(data: Path) -> Iterator[Source]:
    seen: set[str] = set()
    for split in ("dev", "test"):
        path = data / "claims" / "healthver" / f"healthver_{split}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                text = " ".join(row["evidence"].split())
                if text in seen:
                    continue
                seen.add(text)
                yield Source("healthver", f"{split}:{row['id']}", "", split_passage(text))


def _covidfact(data: Path) -> Iterator[Source]:
    seen: set[tuple[str, ...]] = set()
    path = data / "claims" / "covidfact" / "COVIDFACT_dataset.jsonl"
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            row = json.loads(line)
            sentences = tuple(" ".join(s.split()) for s in row["evidence"] if s.strip())
            if sentences and sentences not in seen:
                seen.add(sentences)
                yield Source("covidfact", str(number), "", sentences)


def _climate_fever(data: Path) -> Iterator[Source]:
    articles: dict[str, dict[str, str]] = defaultdict(dict)
    path = data / "nli" / "climate_fever" / "climate-fever.jsonl"
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            for evidence in json.loads(line)["evidences"]:
                sentence = " ".join(evidence["evidence"].split())
                articles[evidence["article"]][evidence["evidence_id"]] = sentence
    for article in sorted(articles):
        by_id = articles[article]
        order = sorted(by_id, key=lambda i: int(i.rpartition(":")[2] or 0))
        yield Source("climate_fever", article, article, tuple(by_id[i] for i in order))


_READERS = {
    "scifact": _scifact,
    "check_covid": _check_covid,
    "healthver": _healthver,
    "covidfact": _covidfact,
    "climate_fever": _climate_fever,
}
LICENCES = {
    "scifact": "SciFact corpus abstracts, ODC-By 1.0 (from S2ORC)",
    "check_covid": "Check-COVID corpus abstracts, MIT",
    "healthver": "HealthVer evidence, no licence stated (research use; not copied into tests)",
    "covidfact": "COVID-Fact evidence, no licence stated (research use; not copied into tests)",
    "climate_fever": "CLIMATE-FEVER evidence sentences, Wikipedia text, CC BY-SA 3.0",
}


def load_sources(data: Path, corpora: tuple[str, ...] = CORPORA) -> dict[str, list[Source]]:
    """The sources of each corpus, in file order (passages with at least one sentence)."""
    out: dict[str, list[Source]] = {}
    for corpus in corpora:
        out[corpus] = [s for s in _READERS[corpus](data) if s.sentences]
    return out
