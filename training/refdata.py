"""Load the labelled reference-string corpora under ``shared/data/refparse``.

Every corpus comes back as :class:`Example` objects: a reference string and
labelled character spans in one label set shared by all corpora.  The test
suites of PROTOCOL.md are loaded here too, so training and benchmark apply
the same split and the same de-duplication.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "refparse"
if not DATA.exists():  # pragma: no cover - alternative checkout layouts
    DATA = Path("/work/shared/data/refparse")

DERIVED = DATA / "derived" / "crossref-rme-artificial-fields.jsonl"
GROBID_EVAL = {
    "P2a": DATA / "grobid-citation/evaluation/evaluation-citation-arXive.org.tei.xml",
    "P2b": DATA / "grobid-citation/evaluation/evaluation-citation-inspire-hep-journals.tei.xml",
}
P3_STYLES = (
    "apa",
    "chicago-author-date",
    "modern-language-association",
    "american-chemical-society",
    "american-institute-of-physics",
    "elsevier-without-titles",
)
P3_NOISY = ("apa-noise", "american-institute-of-physics-noise")

_ANYSTYLE_LABELS = {
    "author": "author",
    "editor": "editor",
    "translator": "other",
    "director": "other",
    "producer": "other",
    "title": "title",
    "journal": "container",
    "container-title": "container",
    "collection-title": "collection",
    "date": "date",
    "volume": "volume",
    "pages": "pages",
    "publisher": "publisher",
    "location": "location",
    "citation-number": "number",
    "note": "note",
    "source": "note",
    "medium": "note",
    "url": "url",
    "doi": "doi",
    "isbn": "isbn",
    "edition": "edition",
    "genre": "genre",
}


@dataclass
class Example:
    """A reference string with labelled character spans ``(label, start, end)``."""

    text: str
    spans: list[tuple[str, int, int]]
    source: str
    gold: dict[str, object] = field(default_factory=dict)


def norm_text(text: str) -> str:
    """The protocol's dedup key: lowercase, every non-word character dropped."""
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", text).lower())


def _assemble(parts: list[tuple[str, str | None]], source: str) -> Example:
    """Join ``(text, label)`` pieces, collapse whitespace, keep spans aligned."""
    chars: list[str] = []
    labels: list[str | None] = []
    for text, label in parts:
        for ch in text:
            if ch.isspace():
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    labels.append(None)
                continue
            chars.append(ch)
            labels.append(label)
    while chars and chars[-1] == " ":
        chars.pop()
        labels.pop()
    spans: list[tuple[str, int, int]] = []
    i = 0
    while i < len(chars):
        lab = labels[i]
        if lab is None:
            i += 1
            continue
        j = i
        while j < len(chars) and (
            labels[j] == lab or (chars[j] == " " and j + 1 < len(chars) and labels[j + 1] == lab)
        ):
            j += 1
        spans.append((lab, i, j))
        i = j
    return Example("".join(chars), spans, source)


def load_anystyle(name: str) -> list[Example]:
    """One AnyStyle XML file (``core``, ``gold``, ...); sequences in file order."""
    root = etree.parse(str(DATA / "anystyle" / f"{name}.xml")).getroot()
    out = []
    for seq in root.iter("sequence"):
        parts: list[tuple[str, str | None]] = []
        for child in seq:
            label = _ANYSTYLE_LABELS.get(str(child.tag), "other")
            if parts:
                parts.append((" ", None))
            parts.append(("".join(child.itertext()), label))
        ex = _assemble(parts, f"anystyle/{name}")
        if ex.text:
            out.append(ex)
    return out


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _grobid_label(el: etree._Element, has_article_title: bool) -> str | None:
    tag = _local(el.tag)
    attrs = {k.rsplit("}", 1)[-1]: v for k, v in el.attrib.items()}
    if tag in ("author", "orgName"):
        return "author"
    if tag == "editor":
        return "editor"
    if tag == "title":
        level = attrs.get("level", "a")
        if level == "a":
            return "title"
        if level == "j":
            return "container"
        if level == "m":
            return "container" if has_article_title else "title"
        return "collection"
    if tag in ("date", "year"):
        return "date"
    if tag == "biblScope":
        unit = attrs.get("unit") or attrs.get("type") or ""
        if unit in ("volume", "vol"):
            return "volume"
        if unit == "issue":
            return "issue"
        if unit in ("page", "pp"):
            return "pages"
        return "other"
    if tag in ("pubPlace", "pubplace"):
        return "location"
    if tag in ("publisher", "publishe"):
        return "publisher"
    if tag == "idno":
        kind = (attrs.get("type") or "").lower()
        return {"arxiv": "arxiv", "doi": "doi", "isbn": "isbn"}.get(kind, "note")
    if tag == "ptr":
        return "url"
    if tag in ("note", "notes"):
        return "note"
    return None


def _grobid_parts(
    el: etree._Element, label: str | None, has_a: bool, parts: list[tuple[str, str | None]]
) -> None:
    if el.text:
        parts.append((el.text, label))
    for child in el:
        if not isinstance(child.tag, str):
            if child.tail:
                parts.append((child.tail, label))
            continue
        child_label = label if label is not None else _grobid_label(child, has_a)
        _grobid_parts(child, child_label, has_a, parts)
        if child.tail:
            parts.append((child.tail, label))


def load_tei(path: Path, source: str) -> list[Example]:
    """Every ``<bibl>`` of one GROBID TEI file."""
    parser = etree.XMLParser(recover=True, remove_comments=True)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError):
        return []
    if root is None:
        return []
    out = []
    for bibl in root.iter():
        if _local(bibl.tag) != "bibl":
            continue
        has_a = any(_local(t.tag) == "title" and t.get("level", "a") == "a" for t in bibl.iter())
        parts: list[tuple[str, str | None]] = []
        _grobid_parts(bibl, None, has_a, parts)
        ex = _assemble(parts, source)
        if ex.text:
            out.append(ex)
    return out


def load_grobid_corpus() -> list[Example]:
    """The GROBID citation corpus, file by file in name order (eval files included)."""
    out = []
    for path in sorted((DATA / "grobid-citation" / "corpus").iterdir()):
        out.extend(load_tei(path, f"grobid/{path.name}"))
    return out


# -- P3: Crossref artificial records ------------------------------------------------


def load_derived() -> list[dict[str, object]]:
    with DERIVED.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def p3_split() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """``(train, test)`` records; test = ``random.Random(0).sample(records, 2000)``."""
    records = load_derived()
    test = random.Random(0).sample(records, 2000)
    test_dois = {str(r["doi"]) for r in test}
    train = [r for r in records if str(r["doi"]) not in test_dois]
    return train, test


_MONTH_PAREN = re.compile(
    r"\((?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|spring|summer|fall|autumn|winter)"
    r"[^)]*\)",
    re.IGNORECASE,
)
# A citation number, also glued to the text as AIP and Elsevier render it: "1Polymer 45",
# "[1]Polymer 45".
_NUMBER = re.compile(r"^\s*(\(\d+\)|\[\d+\]|\d+\.?)(?:\s|(?=[A-Z]))")


def _find(
    hay: str, needle: str, start: int, taken: list[tuple[int, int]], numeric: bool = False
) -> tuple[int, int] | None:
    if not needle:
        return None
    if numeric:
        pat = re.compile(r"(?<![\w])" + re.escape(needle) + r"(?![\w])", re.IGNORECASE)
    else:
        pat = re.compile(re.escape(needle), re.IGNORECASE)
    for m in pat.finditer(hay, start):
        if not any(a < m.end() and m.start() < b for a, b in taken):
            return m.start(), m.end()
    return None


def project_record(record: dict[str, object], style: str) -> Example | None:
    """Label one rendering of a derived record by locating the gold values in it."""
    strings = record["strings"]
    assert isinstance(strings, dict)
    text = " ".join(str(strings.get(style) or "").split())
    if not text or "<" in text:
        return None
    spans: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []

    def add(label: str, where: tuple[int, int] | None) -> tuple[int, int] | None:
        if where is not None:
            spans.append((label, *where))
            taken.append(where)
        return where

    m = _NUMBER.match(text)
    body = 0
    if m:
        add("number", (m.start(1), m.end(1)))
        body = m.end()
    has_title = style in ("apa", "chicago-author-date", "modern-language-association")
    title = str(record.get("title") or "")
    t = None
    if has_title:
        t = add("title", _find(text, title, body, taken))
        if t is None:
            return None
    container = str(record.get("container") or "")
    c = add("container", _find(text, container, t[1] if t else body, taken))
    if container and c is None:
        return None
    year = str(record.get("year") or "")
    y = add("date", _find(text, year, body, taken, numeric=True))
    for mm in _MONTH_PAREN.finditer(text):
        if not any(a < mm.end() and mm.start() < b for a, b in taken):
            add("date", (mm.start(), mm.end()))
    after = c[1] if c else (t[1] if t else body)
    vol = str(record.get("volume") or "")
    v = add("volume", _find(text, vol, after, taken, numeric=True)) if vol else None
    issue = str(record.get("issue") or "")
    if issue and style != "american-chemical-society":
        add("issue", _find(text, issue, v[1] if v else after, taken, numeric=True))
    pages = str(record.get("pages") or "")
    if pages:
        first = re.split(r"[-–]", pages)[0]
        p = _find(text, first, v[1] if v else after, taken, numeric=True)
        if p:
            rng = re.match(r"\s*[-–]\s*[A-Za-z]?\d+", text[p[1] :])
            add("pages", (p[0], p[1] + (rng.end() if rng else 0)))
    starts = [a for a, _ in taken if a > body]
    end = min(starts) if starts else len(text)
    if record.get("authors") and end > body:
        seg = text[body:end].rstrip(' ,.;:(“"')
        if seg:
            add("author", (body, body + len(seg)))
    if y is None:
        return None
    spans.sort(key=lambda s: s[1])
    return Example(text, spans, f"p3/{style}")


def iter_test_strings() -> Iterator[tuple[str, str]]:
    """``(suite, text)`` for every string of every held-out suite (for de-duplication)."""
    core = {norm_text(e.text) for e in load_anystyle("core")}
    for ex in load_anystyle("gold"):
        if norm_text(ex.text) not in core:
            yield "P1", ex.text
    for suite, path in GROBID_EVAL.items():
        for ex in load_tei(path, suite):
            yield suite, ex.text
    _, test = p3_split()
    for rec in test:
        strings = rec["strings"]
        assert isinstance(strings, dict)
        for text in strings.values():
            if text:
                yield "P3", str(text)
    for text, _gold in load_p4():
        yield "P4", text


def load_p4() -> list[tuple[str, dict[str, str]]]:
    """Crossref deposited references with both a string and fields (rows with ``author``)."""
    path = DATA / "crossref-rme/analyses/3_unstructured_real_evaluation/data/overall_2k.json"
    out = []
    for row in json.loads(path.read_text(encoding="utf-8")):
        ref = row.get("reference") or {}
        text = ref.get("unstructured")
        if not text or not ref.get("author"):
            continue
        gold = {
            "author": str(ref.get("author") or ""),
            "year": str(ref.get("year") or ""),
            "container": str(ref.get("journal-title") or ""),
            "volume": str(ref.get("volume") or ""),
            "pages": str(ref.get("first-page") or ""),
        }
        out.append((" ".join(str(text).split()), gold))
    return out


# -- validation split carved from the training pools (never from a test suite) ------

VAL_CORE_FRACTION = 0.15
VAL_GROBID_FILES = 0.10
VAL_P3_RECORDS = 500


def split_core(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    """``(train, validation)``: a fixed 15 % sample of AnyStyle core (seed 1)."""
    idx = set(random.Random(1).sample(range(len(examples)), int(len(examples) * VAL_CORE_FRACTION)))
    train = [e for i, e in enumerate(examples) if i not in idx]
    return train, [e for i, e in enumerate(examples) if i in idx]


def split_grobid(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    """``(train, validation)`` by whole corpus file (10 % of files, seed 1), so a held-out
    reference list never shares a document with the training part."""
    files = sorted({e.source for e in examples})
    held = set(random.Random(1).sample(files, int(len(files) * VAL_GROBID_FILES)))
    return [e for e in examples if e.source not in held], [e for e in examples if e.source in held]


def split_p3_train(
    records: list[dict[str, object]],
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """``(train, validation)`` among the P3 *training* records (500 records, seed 1)."""
    held = {str(r["doi"]) for r in random.Random(1).sample(records, VAL_P3_RECORDS)}
    return (
        [r for r in records if str(r["doi"]) not in held],
        [r for r in records if str(r["doi"]) in held],
    )
