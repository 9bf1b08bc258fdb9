"""Corpus-scale test data for batch_bench: a million-record snapshot source and strings.

The real records are the 7,467 derived P3 records (``_data.DERIVED``) and the Crossref
work items recorded under ``apis/samples``.  Every synthetic record has a real *parent*
and keeps the parent's shape (which fields it has, how many authors, whether the pages
are a range) with new values drawn from the real distributions:

- title: a walk of a word chain (two words of context) learned from the real titles, so
  word sequences are real but the title is new (a walk that reproduces a real title is
  drawn again, and a walk may not copy a rare phrase for more than a few words);
- authors: each surname drawn from the real surname pool, each given name from the real
  given names of the same kind (initials only, or written out);
- container, year, volume, issue, pages: each drawn from the real records' values.

Each gets a DOI under ``10.99999/`` (no registrant has that prefix) and is written to
gzipped Crossref public-data-file batches (``{"items": [...]}``).  Records are made
from ``(seed, number)`` alone, so the strings can be rendered without reading the
batches back, and a cache directory is reused when it is complete.

A string for a synthetic record is its parent's rendering in a style (the derived file
has 8) with the parent's values replaced by the record's, cased as the style cased
them; the noisy styles get fresh noise on the replaced values, drawn from the noise the
real clean/noisy rendering pairs show.  A style is skipped when a field of the parent
cannot be found in its rendering.  See benchmarks/README.md.
"""

from __future__ import annotations

import collections
import difflib
import functools
import gzip
import itertools
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _data import DATA, DERIVED, P3_RENDERINGS, require
from match_bench import crossref_item

STYLES = P3_RENDERINGS
# A noisy style is its clean sibling with OCR-like noise; spans are found in the sibling.
NOISY_SIBLING = {
    "apa-noise": "apa",
    "american-institute-of-physics-noise": "american-institute-of-physics",
}
# Styles that print no article title.
TITLELESS = {
    "american-chemical-society",
    "american-institute-of-physics",
    "elsevier-without-titles",
}
SYNTHETIC_PREFIX = "10.99999/"
ITEMS_PER_FILE = 5000
# Bump when the records or strings change, so that an old cache is not reused.
GENERATOR_VERSION = 3

Record = dict[str, Any]


# -- the real records ------------------------------------------------------------------


def load_real_records() -> list[Record]:
    """The derived P3 records, in file order (the P3 test sample depends on the order)."""
    with require(DERIVED).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def recorded_crossref_items() -> list[dict[str, Any]]:
    """The real Crossref work items in the recorded API samples (single works and lists)."""
    items: list[dict[str, Any]] = []
    for path in sorted((DATA / "apis" / "samples").glob("crossref_work*.json")):
        message = json.loads(path.read_text(encoding="utf-8")).get("message", {})
        items.extend(message.get("items", [message]))
    return [item for item in items if item.get("DOI")]


# -- the real distributions --------------------------------------------------------------

_INITIALS_ONLY = re.compile(r"^(?:[^\W\d_]\.?[\s-]*)+$")
_END = ""


def _given_kind(given: str) -> str:
    """'initials' ("M. J.", "C."), 'full' ("Xiaoxiao") or 'none'."""
    if not given:
        return "none"
    return "initials" if _INITIALS_ONLY.match(given) and "." in given else "full"


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


class Pools:
    """Values of the real records, each repeated as often as it occurs (so a uniform draw
    follows the real distribution), and a word chain over the real titles."""

    def __init__(self, records: list[Record]) -> None:
        self.surnames = [a["family"] for r in records for a in r["authors"] if a.get("family")]
        self.given: dict[str, list[str]] = collections.defaultdict(list)
        for r in records:
            for a in r["authors"]:
                kind = _given_kind(a.get("given") or "")
                if kind != "none":
                    self.given[kind].append(a["given"])
        self.containers = [r["container"] for r in records if r.get("container")]
        self.years = [r["year"] for r in records if r.get("year")]
        self.volumes = [r["volume"] for r in records if r.get("volume")]
        self.issues = [r["issue"] for r in records if r.get("issue")]
        self.pages: dict[bool, list[str]] = {True: [], False: []}
        for r in records:
            if r.get("pages"):
                self.pages["-" in r["pages"]].append(r["pages"])
        self.real_titles = {_normal(r["title"]) for r in records if r.get("title")}
        # Two words of context -> the words that followed them in a real title; and one.
        self.chain: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
        self.chain_one: dict[str, list[str]] = collections.defaultdict(list)
        for r in records:
            words = (r.get("title") or "").split()
            if not words:
                continue
            context = (_END, _END)
            for word in [*words, _END]:
                self.chain[context].append(word)
                self.chain_one[context[1]].append(word)
                context = (context[1], word)
        self.chain_forced = {k for k, v in self.chain.items() if len(set(v)) == 1}
        self.chain_one_forced = {k for k, v in self.chain_one.items() if len(set(v)) == 1}
        # Where a walk goes on when even one word of context allows a single next word:
        # the commonest Latin-script words ("of", "the"), so scripts are not mixed often.
        common = sorted(self.chain_one, key=lambda w: len(self.chain_one[w]), reverse=True)
        self.hubs = [w for w in common if w.isascii() and w.isalpha()][:20]

    def title(self, rng: random.Random, words_wanted: int) -> str:
        """A title walked from the chain, about ``words_wanted`` words long (the parent's
        length, so lengths follow the real ones; free walks run long).  A walk equal to a
        real title is drawn again unless it is one or two words: "Introduction" and
        "Editorial" are real titles of many works."""
        best, best_gap, title = "", None, ""
        for _ in range(30):
            words = self._walk(rng, 2 * words_wanted + 5)
            title = " ".join(words)
            if words_wanted > 2 and _normal(title) in self.real_titles:
                continue
            gap = abs(len(words) - words_wanted)
            if gap <= max(1, words_wanted // 6):
                return title
            if best_gap is None or gap < best_gap:
                best, best_gap = title, gap
        return best or title

    def _walk(self, rng: random.Random, longest: int) -> list[str]:
        """Words drawn from the two-word chain; after three steps that allowed a single
        next word, the next is drawn with one word of context (or after a common word).

        Without that, a walk that enters a rare phrase copies the rest of its title: 78 %
        of titles were more than half made of six-word spans of one real title, so a
        million records held about 130 near-copies of each real title (a search of the
        snapshot then found near-copies before the work itself, as Crossref would not).
        """
        words: list[str] = []
        context = (_END, _END)
        copied = 0
        while len(words) < longest:
            copied = copied + 1 if context in self.chain_forced else 0
            if copied > 2:
                copied = 0
                last = context[1]
                if last in self.chain_one_forced:
                    last = rng.choice(self.hubs)
                word = rng.choice(self.chain_one[last])
            else:
                word = rng.choice(self.chain.get(context) or self.chain_one[context[1]])
            if word == _END:
                break
            words.append(word)
            context = (context[1], word)
        return words


@dataclass
class Generator:
    """Makes synthetic record ``number`` from ``seed`` alone (no state between records)."""

    real: list[Record]
    pools: Pools
    seed: int

    def record(self, number: int) -> Record:
        rng = random.Random(self.seed * 1_000_003 + number)
        parent = rng.choice(self.real)
        record: Record = {
            "doi": f"{SYNTHETIC_PREFIX}mesorefs-bench.{self.seed}.{number}",
            "parent": parent["idx"],
            "authors": [],
        }
        for author in parent["authors"]:
            kind = _given_kind(author.get("given") or "")
            given = rng.choice(self.pools.given[kind]) if kind != "none" else ""
            record["authors"].append({"family": rng.choice(self.pools.surnames), "given": given})
        title = parent.get("title") or ""
        record["title"] = self.pools.title(rng, len(title.split())) if title else ""
        for field, pool in (
            ("container", self.pools.containers),
            ("year", self.pools.years),
            ("volume", self.pools.volumes),
            ("issue", self.pools.issues),
        ):
            record[field] = rng.choice(pool) if parent.get(field) else ""
        pages = parent.get("pages") or ""
        record["pages"] = rng.choice(self.pools.pages["-" in pages]) if pages else ""
        return record


# -- the snapshot source -----------------------------------------------------------------


def source_dir(data_dir: Path, records: int, seed: int) -> Path:
    return data_dir / f"crossref-{records}-seed{seed}-v{GENERATOR_VERSION}"


def write_source(
    data_dir: Path, records: int, generator: Generator, extra_items: list[dict[str, Any]]
) -> tuple[Path, bool]:
    """The batches of ``records`` items (real ones first), written unless already complete.

    Returns the folder and whether it was reused.
    """
    folder = source_dir(data_dir, records, generator.seed)
    done = folder / "COMPLETE"
    if done.exists():
        return folder, True
    folder.mkdir(parents=True, exist_ok=True)
    real_items = [crossref_item(r) for r in generator.real] + extra_items
    synthetic = max(0, records - len(real_items))

    def items() -> Iterator[dict[str, Any]]:
        yield from real_items[:records]
        for number in range(synthetic):
            yield crossref_item(generator.record(number))

    batch: list[dict[str, Any]] = []
    files = 0
    for item in items():
        batch.append(item)
        if len(batch) == ITEMS_PER_FILE:
            _write_batch(folder / f"{files:05d}.json.gz", batch)
            files, batch = files + 1, []
    if batch:
        _write_batch(folder / f"{files:05d}.json.gz", batch)
    done.write_text(json.dumps({"records": records, "synthetic": synthetic}), encoding="utf-8")
    return folder, False


def _write_batch(path: Path, items: list[dict[str, Any]]) -> None:
    # Written under a temporary name first: an interrupted run leaves no truncated batch.
    partial = path.with_suffix(".partial")
    with gzip.open(partial, "wt", encoding="utf-8", compresslevel=5) as handle:
        json.dump({"items": items}, handle, ensure_ascii=False)
    partial.rename(path)


def synthetic_count(records: int, real: list[Record], extra_items: list[dict[str, Any]]) -> int:
    """How many synthetic records a snapshot of ``records`` holds (numbers 0 .. n-1)."""
    return max(0, records - len(real) - len(extra_items))


# -- rendering a synthetic record in its parent's style ---------------------------------

_SMALL_WORDS = set(
    "a an and as at but by down for from in into nor of on onto or over so the till to up "
    "via with yet vs de la le".split()
)


def _title_case(text: str) -> str:
    """Capitalize lower-case words except the small ones (as the CSL styles here do)."""
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        if word.islower() and (i == 0 or word not in _SMALL_WORDS):
            word = word[0].upper() + word[1:]
        out.append(word)
    return " ".join(out)


def _folded(text: str) -> str:
    """``text`` lower-cased with curly quotes straightened, one character per character
    (so an index into it is an index into ``text``)."""
    out = []
    for char in text:
        low = char.lower()
        char = low if len(low) == 1 else char
        out.append({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-"}.get(char, char))
    return "".join(out)


def _find(haystack: str, needle: str, start: int = 0, end: int | None = None) -> int:
    """Where ``needle`` stands in ``haystack`` ignoring case and quote style (-1: nowhere)."""
    if not needle:
        return -1
    return _folded(haystack).find(_folded(needle), start, len(haystack) if end is None else end)


def _find_number(haystack: str, number: str, start: int) -> int:
    """Where ``number`` stands as a whole word at or after ``start`` (-1: nowhere)."""
    match = re.compile(rf"(?<![\w]){re.escape(number)}(?![\w])").search(haystack, start)
    return match.start() if match else -1


def _initials(given: str, spaced: bool) -> str:
    """ "Jean-Pierre Marie" -> "J.-P. M." (spaced) or "J.-P.M."."""
    words = []
    for word in given.replace(".", ". ").split():
        parts = [p for p in word.split("-") if p]
        words.append("-".join(p[0] + "." for p in parts))
    return (" " if spaced else "").join(words)


def _given_forms(given: str) -> list[tuple[str, str]]:
    """The ways a style writes a given name, most specific first, as (form, name)."""
    return [
        ("full", given),
        ("spaced", _initials(given, True)),
        ("compact", _initials(given, False)),
        ("first", _initials(given.split()[0], True) if given.split() else ""),
    ]


def _given_as(form: str, given: str) -> str:
    return dict(_given_forms(given))[form]


Span = tuple[int, int, str]


def _author_spans(text: str, parent: Record, record: Record, end: int) -> list[Span] | None:
    """Replacements of the parent's authors in ``text[:end]`` by the record's, in order.

    An author the style left out (truncated lists) is passed over; the first must be there.
    """
    spans: list[Span] = []
    cursor = 0
    for index, (old, new) in enumerate(zip(parent["authors"], record["authors"], strict=True)):
        at = text.find(old["family"], cursor, end) if old.get("family") else -1
        if at < 0:
            if index == 0:
                return None
            continue
        family_end = at + len(old["family"])
        given_span = None
        old_given = old.get("given") or ""
        if old_given and new.get("given"):
            for form, written in _given_forms(old_given):
                if not written:
                    continue
                before = text.rfind(written, cursor, at)
                if before >= 0 and not text[before + len(written) : at].strip():
                    given_span = (before, before + len(written), _given_as(form, new["given"]))
                    break
                after = text.find(written, family_end, min(end, family_end + 3 + len(written)))
                if after >= 0 and re.fullmatch(r",?\s*", text[family_end:after]):
                    given_span = (after, after + len(written), _given_as(form, new["given"]))
                    break
            if given_span is None and index == 0:
                return None
        if given_span and given_span[0] < at:
            spans.append(given_span)
        spans.append((at, family_end, new["family"]))
        if given_span and given_span[0] > at:
            spans.append(given_span)
        cursor = max(family_end, given_span[1] if given_span else 0)
    return spans


def _field_spans(text: str, parent: Record, record: Record, style: str) -> list[Span] | None:
    """Every replacement of the parent's values in its rendering ``text`` (None: a field
    of the parent is not in the rendering, or the replacements would overlap)."""
    spans: list[Span] = []
    starts = [len(text)]
    cursor = 0
    for field in ("title", "container"):
        old = parent.get(field) or ""
        if not old or (field == "title" and style in TITLELESS):
            continue
        at = _find(text, old, cursor)
        if at < 0:
            return None
        # the rendering may have title-cased the value: the new one is cased the same way
        written = text[at : at + len(old)]
        new = record[field] if written == old else _title_case(record[field])
        spans.append((at, at + len(old), new))
        starts.append(at)
        cursor = at + len(old)
    for field in ("volume", "issue"):
        value = str(parent.get(field) or "")
        if not value:
            continue
        at = _find_number(text, value, cursor)
        if at < 0:
            if field == "issue":
                continue  # AIP and Elsevier print no issue
            return None
        spans.append((at, at + len(value), record[field]))
        cursor = at + len(value)
    pages = parent.get("pages") or ""
    if pages:
        first, _, last = pages.partition("-")
        new_first, _, new_last = record["pages"].partition("-")
        at = _find_number(text, first, cursor)
        if at < 0:
            return None
        spans.append((at, at + len(first), new_first))
        tail = re.match(r"[-–]\s*(\w+)", text[at + len(first) :])
        if last and tail and new_last:
            start = at + len(first) + tail.start(1)
            spans.append((start, start + len(tail.group(1)), new_last))
    year = parent.get("year") or ""
    if year:
        taken = [(s, e) for s, e, _ in spans]
        found = False
        for match in re.finditer(rf"(?<!\d){year}(?!\d)", text):
            if not any(s < match.end() and match.start() < e for s, e in taken):
                spans.append((match.start(), match.end(), record["year"]))
                starts.append(match.start())
                found = True
                break
        if not found:
            return None
    if parent["authors"]:
        authors = _author_spans(text, parent, record, min(starts))
        if authors is None:
            return None
        spans.extend(authors)
    spans.sort()
    if any(a[1] > b[0] for a, b in itertools.pairwise(spans)):
        return None
    return spans


def _splice(text: str, spans: list[Span]) -> str:
    for start, end, new in reversed(spans):
        text = text[:start] + new + text[end:]
    return text


class Noise:
    """OCR-like noise as the real clean/noisy rendering pairs show it: per character, the
    chance that it is dropped, replaced or followed by an inserted character, and what
    replaces or is inserted (drawn from the characters the real noise used)."""

    def __init__(self, records: list[Record]) -> None:
        counts = collections.Counter[str]()
        self.replacements: list[str] = []
        self.insertions: list[str] = []
        for record in records:
            for noisy, clean in NOISY_SIBLING.items():
                a, b = record["strings"].get(clean), record["strings"].get(noisy)
                if not a or not b:
                    continue
                counts["chars"] += len(a)
                for tag, i1, i2, j1, j2 in _opcodes(a, b):
                    if tag == "replace":
                        counts["replaced"] += i2 - i1
                        self.replacements.extend(b[j1:j2])
                    elif tag == "delete":
                        counts["deleted"] += i2 - i1
                    elif tag == "insert":
                        counts["inserted"] += j2 - j1
                        self.insertions.extend(b[j1:j2])
        chars = max(1, counts["chars"])
        self.p_replace = counts["replaced"] / chars
        self.p_delete = counts["deleted"] / chars
        self.p_insert = counts["inserted"] / chars

    def apply(self, text: str, rng: random.Random) -> str:
        out = []
        for char in text:
            roll = rng.random()
            if roll < self.p_delete:
                pass
            elif roll < self.p_delete + self.p_replace:
                out.append(rng.choice(self.replacements))
            else:
                out.append(char)
            if rng.random() < self.p_insert:
                out.append(rng.choice(self.insertions))
        return "".join(out)


def _opcodes(a: str, b: str) -> list[tuple[str, int, int, int, int]]:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


class Renderer:
    """Renders synthetic records in the styles of their parents' renderings."""

    def __init__(self, real: list[Record]) -> None:
        self.by_idx = {r["idx"]: r for r in real}
        self.noise = Noise(real)

    def render(self, record: Record, style: str, rng: random.Random) -> str | None:
        parent = self.by_idx[record["parent"]]
        clean_style = NOISY_SIBLING.get(style, style)
        clean = parent["strings"].get(clean_style)
        if not clean:
            return None
        spans = _field_spans(clean, parent, record, clean_style)
        if spans is None:
            return None
        if style == clean_style:
            return _splice(clean, spans)
        noisy = parent["strings"].get(style)
        if not noisy:
            return None
        moved = self._map(parent["idx"], style)
        spans = [(moved[s], moved[e], self.noise.apply(new, rng)) for s, e, new in spans]
        return _splice(noisy, spans)

    @functools.lru_cache(maxsize=20_000)  # noqa: B019 (one Renderer per run)
    def _map(self, idx: int, style: str) -> list[int]:
        """Where each position of the clean rendering stands in the noisy one."""
        parent = self.by_idx[idx]
        clean, noisy = parent["strings"][NOISY_SIBLING[style]], parent["strings"][style]
        moved = [0] * (len(clean) + 1)
        for tag, i1, i2, j1, j2 in _opcodes(clean, noisy):
            for k in range(i1, i2 + 1):
                moved[k] = j1 + min(k - i1, j2 - j1) if tag != "equal" else j1 + (k - i1)
        moved[len(clean)] = len(noisy)
        return moved


# -- the reference strings ----------------------------------------------------------------


def p3_test_records(real: list[Record]) -> list[Record]:
    """The 2,000 P3 test DOIs (PROTOCOL.md: random.Random(0).sample in file order)."""
    return random.Random(0).sample(real, 2000)


def make_strings(
    generator: Generator,
    present: int,
    count: int,
    absent_share: float,
    with_p3: bool,
) -> Iterator[dict[str, Any]]:
    """``count`` synthetic strings (one random style per record; a share of them from
    records left out of the snapshot, answer None), then every P3 test rendering.

    Each row: ``id``, ``text``, ``answer`` (DOI or None), ``set`` ("synthetic",
    "synthetic-absent", "p3"), ``style``.
    """
    renderer = Renderer(generator.real)
    rng = random.Random(generator.seed)
    made = 0
    absent_next = present  # absent records are numbered after the snapshot's
    while made < count:
        absent = rng.random() < absent_share
        if absent:
            number, absent_next = absent_next, absent_next + 1
        else:
            number = rng.randrange(present)
        record = generator.record(number)
        style = rng.choice(STYLES)
        text = renderer.render(record, style, rng)
        if text is None:
            continue
        made += 1
        yield {
            "id": f"s{made:07d}",
            "text": text,
            "answer": None if absent else record["doi"],
            "set": "synthetic-absent" if absent else "synthetic",
            "style": style,
        }
    if with_p3:
        for record in p3_test_records(generator.real):
            for style in STYLES:
                text = record["strings"].get(style)
                if text:
                    yield {
                        "id": f"p3-{style}-{record['idx']}",
                        "text": text,
                        "answer": record["doi"],
                        "set": "p3",
                        "style": style,
                    }


def skipped_styles(generator: Generator, sample: int) -> dict[str, float]:
    """Share of renderings skipped per style (a field not found), on ``sample`` records."""
    renderer = Renderer(generator.real)
    rng = random.Random(generator.seed + 1)
    skipped = collections.Counter[str]()
    for number in range(sample):
        record = generator.record(number)
        for style in STYLES:
            if renderer.render(record, style, rng) is None:
                skipped[style] += 1
    return {style: skipped[style] / sample for style in STYLES}
