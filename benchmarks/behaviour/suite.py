"""The behavioural test cases, made with a fixed seed from real sentences.

Every case checks one text (``variant``) against a small reference list: the sentence's
own source among ``DISTRACTORS`` other passages of the same corpus (so word weights mean
what they mean in a real list), or, for ``unrelated``, only passages of another corpus
that share no content word with it.  An invariance case also names the text its verdicts
must equal (``original``: the sentence itself, in the same document format).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from behaviour.corpora import Source, clean_sentence
from behaviour.negate import negate
from behaviour.numbers import NUMBER, change_number
from behaviour.perturb import (
    LEAD_INS,
    MARKER_STYLES,
    content_words,
    latex_text,
    lead_in,
    marker,
    reorder,
    with_marker,
)

__all__ = ["AUTHOR", "DISTRACTORS", "TESTS", "YEAR", "Case", "Item", "Test", "build", "items"]

DISTRACTORS = 4
"""Other passages of the same corpus in each reference list."""
POOL = 40
"""Distractors are drawn from this many passages per corpus (so their encodings are reused)."""
UNRELATED = 5
"""Passages in an unrelated reference list."""
AUTHOR, YEAR = "Smith", 2010
"""The cited source's author and year, so that an author-year marker names it."""


@dataclass(frozen=True)
class Test:
    """One behavioural test: its CheckList kind and what must hold."""

    name: str
    kind: Literal["MFT", "DIR", "INV"]
    holds: str


TESTS = {
    t.name: t
    for t in [
        Test("own", "MFT", "a sentence checked against its own source is not contradicted"),
        Test("negation", "DIR", "the sentence negated is not supported by its source"),
        Test("number", "DIR", "the sentence with one number changed is not supported"),
        *(
            Test(f"marker-{style}", "INV", f"a {style} citation marker changes no verdict")
            for style in MARKER_STYLES
        ),
        Test("lead-in", "INV", "a lead-in such as 'Studies show that' changes no verdict"),
        Test("reorder", "INV", "a fronted phrase moved or two clauses swapped change no verdict"),
        Test("unrelated", "MFT", "a reference list that shares no word with it takes no side"),
    ]
}


@dataclass(frozen=True)
class Item:
    """A real sentence: the ``index``-th of ``source``."""

    source: Source
    index: int

    @property
    def sentence(self) -> str:
        return self.source.sentences[self.index]

    @property
    def id(self) -> str:
        return f"{self.source.corpus}:{self.source.id}:{self.index}"


@dataclass(frozen=True)
class Case:
    """One text to check against one reference list, and what it is compared with."""

    test: str
    item: Item
    variant: str
    format: Literal["markdown", "latex"]
    library: tuple[Source, ...]
    cited: int
    """The position of the sentence's own source in ``library`` (-1: not there)."""
    original: str = ""
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.test}/{self.item.id}"


def items(sources: Mapping[str, Sequence[Source]]) -> dict[str, list[Item]]:
    """The clean sentences (:func:`clean_sentence`) of each corpus, in file order."""
    return {
        corpus: [
            Item(source, i)
            for source in group
            for i, sentence in enumerate(source.sentences)
            if clean_sentence(sentence)
        ]
        for corpus, group in sources.items()
    }


@dataclass
class Builder:
    """Makes the cases of each test; counts what it skipped and why."""

    sources: Mapping[str, Sequence[Source]]
    seed: int = 0
    skipped: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    _pools: dict[str, list[Source]] = field(default_factory=dict)
    _cases: dict[str, int] = field(default_factory=dict)

    def pool(self, corpus: str) -> list[Source]:
        if corpus not in self._pools:
            group = list(self.sources[corpus])
            random.Random(f"{self.seed}:{corpus}:pool").shuffle(group)
            self._pools[corpus] = group[:POOL]
        return self._pools[corpus]

    def library(self, item: Item) -> tuple[tuple[Source, ...], int]:
        """The sentence's source among distractors of its corpus, at a seeded place."""
        rng = random.Random(f"{self.seed}:{item.id}")
        others = [s for s in self.pool(item.source.corpus) if s.id != item.source.id]
        chosen = rng.sample(others, min(DISTRACTORS, len(others)))
        at = rng.randrange(len(chosen) + 1)
        chosen.insert(at, item.source)
        return tuple(chosen), at

    def unrelated(self, item: Item) -> tuple[Source, ...] | None:
        """Passages of another corpus sharing no content word with the sentence."""
        other = "scifact" if item.source.corpus == "climate_fever" else "climate_fever"
        if other not in self.sources:
            other = next((c for c in self.sources if c != item.source.corpus), "")
        if not other:
            return None
        words = content_words(item.sentence)
        rng = random.Random(f"{self.seed}:unrelated:{item.id}")
        candidates = [s for s in self.sources[other] if s.sentences]
        out: list[Source] = []
        for _ in range(500):
            source = rng.choice(candidates)
            sentence = rng.choice(source.sentences)
            if clean_sentence(sentence) and not words & content_words(sentence):
                out.append(Source(other, f"{source.id}/{len(out)}", "", (sentence,)))
                if len(out) == UNRELATED:
                    return tuple(out)
        return None

    def make(self, test: str, item: Item) -> Case | str:
        """The case of ``test`` for ``item``, or why it cannot be made."""
        library, at = self.library(item)
        sentence = item.sentence
        md: Literal["markdown"] = "markdown"
        if test == "own":
            return Case(test, item, sentence, md, library, at, sentence)
        if test == "negation":
            negation = negate(sentence)
            if negation.text is None:
                return negation.note
            return Case(test, item, negation.text, md, library, at, sentence, negation.note)
        if test == "number":
            avoid = set(NUMBER.findall(item.source.text))
            change = change_number(sentence, self.seed, avoid)
            if change is None:
                return "no number it may change"
            note = f"{change.old} -> {change.new}"
            return Case(test, item, change.text, md, library, at, sentence, note)
        if test.startswith("marker-"):
            style = test.removeprefix("marker-")
            mark = marker(style, "src", at + 1, AUTHOR, YEAR)
            if style == "latex":
                text = latex_text(sentence)
                return Case(test, item, with_marker(text, mark), "latex", library, at, text, mark)
            return Case(test, item, with_marker(sentence, mark), md, library, at, sentence, mark)
        if test == "lead-in":
            lead = random.Random(f"{self.seed}:lead:{item.id}").choice(LEAD_INS)
            led = lead_in(sentence, lead, self.cases())
            if led is None:
                return "speaks of the study itself or leans on the sentence before"
            return Case(test, item, led, md, library, at, sentence, lead)
        if test == "reorder":
            moved = reorder(sentence)
            if moved is None:
                return "nothing it may reorder safely"
            return Case(test, item, moved[0], md, library, at, sentence, moved[1])
        if test == "unrelated":
            unrelated = self.unrelated(item)
            if unrelated is None:
                return "no unrelated passages found"
            return Case(test, item, sentence, md, unrelated, -1, sentence)
        raise ValueError(f"unknown test {test!r}")

    def cases(self) -> dict[str, int]:
        """Lower-case uses minus capitalised uses inside sentences, per word (for lead-ins)."""
        if not self._cases:
            counts: Counter[str] = Counter()
            for group in self.sources.values():
                for source in group:
                    for sentence in source.sentences:
                        for word in sentence.split()[1:]:
                            w = word.strip("(),.")
                            if w.isalpha():
                                counts[w.lower()] += 1 if w.islower() else -1
            self._cases = dict(counts)
        return self._cases


def _interleaved(by_corpus: Mapping[str, Sequence[Item]], seed: int) -> Iterator[Item]:
    """Items of every corpus in turn, each corpus in its own seeded order."""
    orders = []
    for corpus, group in by_corpus.items():
        order = list(group)
        random.Random(f"{seed}:{corpus}").shuffle(order)
        orders.append(order)
    for i in range(max((len(o) for o in orders), default=0)):
        for order in orders:
            if i < len(order):
                yield order[i]


def build(
    sources: Mapping[str, Sequence[Source]],
    tests: Sequence[str],
    per_test: int,
    seed: int = 0,
) -> tuple[list[Case], Builder]:
    """Up to ``per_test`` cases of each test, from the corpora in turn; and the builder,
    which counts the sentences each test skipped and why."""
    builder = Builder(sources, seed)
    by_corpus = items(sources)
    out: list[Case] = []
    for test in tests:
        made = 0
        for item in _interleaved(by_corpus, seed):
            if made >= per_test:
                break
            case = builder.make(test, item)
            if isinstance(case, str):
                builder.skipped[test][case] += 1
                continue
            out.append(case)
            made += 1
    return out, builder
