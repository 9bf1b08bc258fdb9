"""The labelled set of verify_bench.py, built deterministically from real records.

See verify_bench.py's docstring for what the set holds and how it is made.
"""

from __future__ import annotations

import html
import itertools
import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from _data import DERIVED, require
from _verify_standin import Works, tokens

FAB_KINDS = ("invented", "wrong-authors", "wrong-year", "other-identifier", "chimera")
REAL_STYLES = (
    "no-doi",
    "abbreviated-journal",
    "initials",
    "and-others",
    "missing-fields",
    "changed-case",
    "latex",
    "preprint",
)
_SMALL = {"of", "the", "and", "in", "for", "on", "&", "a", "an", "at", "to", "de", "la"}
_ACCENTS = {
    "é": "{\\'e}", "è": "{\\`e}", "á": "{\\'a}", "ó": "{\\'o}", "í": "{\\'i}", "ú": "{\\'u}",
    "ü": '{\\"u}', "ö": '{\\"o}', "ä": '{\\"a}', "ñ": "{\\~n}", "ç": "{\\c c}", "ø": "{\\o}",
}  # fmt: skip


# -- records ---------------------------------------------------------------------------


def load_records() -> list[dict[str, Any]]:
    with require(DERIVED).open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    usable = []
    for row in rows:
        authors = [a for a in row.get("authors") or [] if a.get("family")]
        whole = row.get("title") and authors and row.get("year") and row.get("container")
        if whole and len(tokens(row["title"])) >= 3:
            usable.append({**row, "authors": authors})
    return usable


def crossref_item(record: dict[str, Any]) -> dict[str, Any]:
    """A Crossref work item for a derived record (absent fields stay absent)."""
    item: dict[str, Any] = {"DOI": record["doi"], "type": "journal-article", "score": 1.0}
    item["title"] = [record["title"]]
    item["container-title"] = [record["container"]]
    item["author"] = [
        {"family": a["family"], **({"given": a["given"]} if a.get("given") else {})}
        for a in record["authors"]
    ]
    item["issued"] = {"date-parts": [[int(record["year"])]]}
    for ours, theirs in (("volume", "volume"), ("issue", "issue"), ("pages", "page")):
        if record.get(ours):
            item[theirs] = str(record[ours])
    return item


# -- BibTeX writing --------------------------------------------------------------------


def _plain(text: str) -> str:
    """Text as a reader sees it (HTML references decoded, tags dropped), made safe in a
    braced BibTeX value: specials escaped, braces dropped."""
    text = (
        re.sub(r"<[^>]+>", "", html.unescape(text))
        .replace("{", "")
        .replace("}", "")
        .replace("\\", "")
    )
    for ch in "&%#_$":
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


def _latex(text: str) -> str:
    out = "".join(_ACCENTS.get(ch, ch) for ch in text)
    return re.sub(r"\b([A-Z]{2,}[A-Za-z]*)\b", r"{\1}", out)


def _initials(given: str) -> str:
    parts = re.split(r"[\s.]+", given)
    return " ".join(p[0] + "." for p in parts if p and p[0].isalpha())


def _abbreviate(journal: str) -> str:
    """Each word (and each part of a hyphenated or slashed one) of more than five letters
    cut to four and a dot, small words dropped; a word with a dot (a domain) kept."""

    def cut(word: str) -> str:
        if "." in word:
            return word
        return re.sub(r"[^\W\d_]{6,}", lambda m: m.group()[:4] + ".", word)

    return " ".join(cut(w) for w in journal.split() if w.lower() not in _SMALL)


@dataclass
class Entry:
    key: str
    label: str  # "real" or "fabricated"
    kind: str  # the real styles applied, or the fabrication kind
    entry_type: str = "article"
    fields: dict[str, str] = field(default_factory=dict)

    def bibtex(self) -> str:
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in self.fields.items() if v)
        return f"@{self.entry_type}{{{self.key},\n{body}\n}}\n"


def _authors(authors: list[dict[str, Any]], initials: bool = False, latex: bool = False) -> str:
    names = []
    for a in authors:
        given = a.get("given") or ""
        if initials and given:
            given = _initials(given)
        # A name without a given part is one unit, as people brace it: {World Bank}.
        name = f"{_plain(a['family'])}, {_plain(given)}" if given else f"{{{_plain(a['family'])}}}"
        names.append(_latex(name) if latex else name)
    return " and ".join(names)


def _fields(record: dict[str, Any]) -> dict[str, str]:
    return {
        "author": _authors(record["authors"]),
        "title": _plain(record["title"]),
        "journal": _plain(record["container"]),
        "year": str(record["year"]),
        "volume": _plain(str(record.get("volume") or "")),
        "number": _plain(str(record.get("issue") or "")),
        "pages": _plain(str(record.get("pages") or "")).replace("-", "--"),
        "doi": record["doi"],
    }


# -- the labelled set ------------------------------------------------------------------


@dataclass
class LabelledSet:
    entries: list[Entry]
    items: list[dict[str, Any]]
    preprints: dict[str, dict[str, Any]]


def _preprint_ids(records: list[dict[str, Any]], rng: random.Random) -> dict[str, str]:
    """A made-up arXiv id (of the year before publication) for a fifth of the records
    published since 2009 (DOI -> id): four digits after the dot before 2015, five since."""
    recent = [i for i, r in enumerate(records) if int(r["year"]) >= 2009]
    chosen = rng.sample(recent, min(len(recent), len(records) // 5))
    ids = {}
    for n, i in enumerate(sorted(chosen)):
        year = int(records[i]["year"]) - 1
        number = f"{1000 + n:04d}" if year < 2015 else f"{10000 + n:05d}"
        ids[records[i]["doi"].lower()] = f"{year % 100:02d}{1 + n % 12:02d}.{number}"
    return ids


def _real(record: dict[str, Any], key: str, rng: random.Random, arxiv: str | None) -> Entry:
    styles = rng.sample(REAL_STYLES, rng.randint(1, 3))
    if "preprint" in styles and arxiv is None and rng.random() < 0.5:
        styles.remove("preprint")
    fields = _fields(record)
    entry = Entry(key, "real", "+".join(sorted(styles)) or "as-deposited", fields=fields)
    if "no-doi" in styles:
        fields.pop("doi")
    if "abbreviated-journal" in styles:
        fields["journal"] = _plain(_abbreviate(record["container"]))
    if "initials" in styles or "and-others" in styles or "latex" in styles:
        authors = record["authors"]
        cut = "and-others" in styles and len(authors) > 1
        if cut:
            authors = authors[: rng.randint(1, min(3, len(authors) - 1))]
        fields["author"] = _authors(authors, "initials" in styles, "latex" in styles)
        if cut:
            fields["author"] += " and others"
    if "missing-fields" in styles:
        for name in rng.sample(["volume", "pages", "number", "journal", "doi"], 2):
            fields.pop(name, None)
    if "changed-case" in styles:
        change = rng.choice([str.upper, str.lower, str.title])
        fields["title"] = _plain(change(record["title"]))
    if "latex" in styles:
        fields["title"] = _latex(fields["title"])
    if "preprint" in styles:
        for name in ("volume", "number", "pages", "doi"):
            fields.pop(name, None)
        if arxiv is not None and rng.random() < 0.5:
            entry.entry_type = "misc"
            fields.pop("journal", None)
            fields["eprint"] = arxiv
            fields["archivePrefix"] = "arXiv"
            fields["year"] = str(int(record["year"]) - 1)
        elif arxiv is not None:
            fields["journal"] = f"arXiv preprint arXiv:{arxiv}"
            fields["year"] = str(int(record["year"]) - 1)
        else:
            fields["journal"] = "arXiv preprint"
            fields["year"] = str(int(record["year"]) - 2)
    return entry


class Bigrams:
    """A word-bigram chain over the real titles, for invented titles in their style."""

    def __init__(self, titles: list[str]) -> None:
        self.next: dict[str, list[str]] = defaultdict(list)
        self.starts: list[str] = []
        for title in titles:
            words = title.split()
            if len(words) < 4:
                continue
            self.starts.append(words[0])
            for a, b in itertools.pairwise(words):
                self.next[a].append(b)

    def title(self, rng: random.Random) -> str:
        words = [rng.choice(self.starts)]
        size = rng.randint(7, 14)
        while len(words) < size and self.next.get(words[-1]):
            words.append(rng.choice(self.next[words[-1]]))
        return " ".join(words)


def _fabricated(
    kind: str,
    key: str,
    a: dict[str, Any],
    b: dict[str, Any],
    rng: random.Random,
    chain: Bigrams,
    works: Works | None,
    preprint_of: dict[str, str],
) -> Entry:
    fields = _fields(a)
    entry = Entry(key, "fabricated", kind, fields=fields)
    if kind == "invented":
        while True:
            title = chain.title(rng)
            words = set(tokens(title))
            hit = works.titles.top(title, 1) if works is not None else []
            near = set(tokens(works.items[hit[0][0]]["title"][0])) if hit and works else set()
            if len(words) >= 5 and len(words & near) < 0.5 * len(words):
                break
        fields.update(_fields(b))
        fields["title"] = _plain(title)
        fields["author"] = _authors([a["authors"][0], *b["authors"][:2]])
        fields["year"] = str(rng.randint(1995, 2020))
        fields.pop("doi")
        if rng.random() < 0.25:
            fields["doi"] = f"{a['doi'].split('/')[0]}/fab.{rng.randint(10**5, 10**6)}"
    elif kind == "wrong-authors":
        fields["author"] = _authors(b["authors"])
        if rng.random() < 0.5:
            fields.pop("doi")
    elif kind == "wrong-year":
        fields["year"] = str(int(a["year"]) + rng.choice([-1, 1]) * rng.randint(4, 12))
        if rng.random() < 0.5:
            fields.pop("doi")
    elif kind == "other-identifier":
        other = preprint_of.get(b["doi"].lower())
        if other is not None and rng.random() < 0.5:
            fields.pop("doi")
            fields["eprint"] = other
            fields["archivePrefix"] = "arXiv"
        else:
            fields["doi"] = b["doi"]
    else:  # chimera
        fields.pop("doi")
        if rng.random() < 0.5 and len(b["authors"]) >= 2:
            fields["author"] = _authors([a["authors"][0], *b["authors"][1:]])
            for name in ("journal", "year", "volume", "pages", "number"):
                fields[name] = _fields(b)[name]
        else:
            ta, tb = a["title"].split(), b["title"].split()
            fields["title"] = _plain(" ".join(ta[: len(ta) // 2] + tb[len(tb) // 2 :]))
    return entry


def build_set(n_real: int, n_fabricated: int, seed: int) -> LabelledSet:
    rng = random.Random(seed)
    records = load_records()
    rng.shuffle(records)
    preprint_of = _preprint_ids(records, rng)
    items = [crossref_item(r) for r in records]
    by_doi = {i["DOI"].lower(): i for i in items}
    preprints = {
        arxiv: {"item": by_doi[doi], "year": int(by_doi[doi]["issued"]["date-parts"][0][0]) - 1}
        for doi, arxiv in preprint_of.items()
    }
    works = Works(items, preprints)
    entries = [
        _real(r, f"real{i}", rng, preprint_of.get(r["doi"].lower()))
        for i, r in enumerate(records[:n_real])
    ]
    pool = records[n_real:]
    chain = Bigrams([r["title"] for r in records])
    for i in range(n_fabricated):
        kind = FAB_KINDS[i % len(FAB_KINDS)]
        a, b = rng.sample(pool, 2)
        entries.append(_fabricated(kind, f"fab{i}", a, b, rng, chain, works, preprint_of))
    return LabelledSet(entries, items, preprints)
