"""Free-text references and reference sections to :class:`~mesorefs.models.Reference`.

* :func:`parse_reference` parses one reference string in any common style
  (APA, Vancouver, Chicago, IEEE, MLA, Nature, ACS/AIP, humanities, books,
  chapters, theses, preprints, web pages) and Google Scholar result lines.
* :func:`parse_references` splits a reference block into entries and parses each.
* :func:`find_reference_section` finds "References", "Bibliography", "Sources &
  references", "Literature cited"... at the end of a document.

Every field a parse fills carries ``Provenance(source="parser", confidence=...)``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mesorefs.errors import ParseError
from mesorefs.inputs import repair_surrogates
from mesorefs.models import Reference
from mesorefs.parsing.crf import label_tokens
from mesorefs.parsing.fields import Span, build_reference, group_spans
from mesorefs.parsing.repairs import repair
from mesorefs.parsing.scholar import looks_like_scholar, parse_scholar
from mesorefs.parsing.sections import find_reference_section, split_block, strip_heading
from mesorefs.parsing.tokens import tokenize

__all__ = [
    "MAX_REFERENCE_CHARS",
    "Labelled",
    "ParsedBlock",
    "Unparsed",
    "find_reference_section",
    "label_reference",
    "parse_block",
    "parse_reference",
    "parse_references",
]

MAX_REFERENCE_CHARS = 5000
"""Longer strings are not one reference: :func:`parse_reference` refuses them."""
_MAX_BLOCK_ENTRIES = 20000
_CONTROL = re.compile(r"[\x00-\x1f\ufff0-\uffff]")
# Inline formatting that publishers leave in deposited strings (JATS ``<italic>``, HTML
# ``<i>``, ``<sub>``): it marks up words, it does not separate them ("H<sub>2</sub>O").
_MARKUP = re.compile(
    r"</?(?:i|b|u|em|strong|italic|bold|sup|sub|sc|small|span|tt)(?:\s[^<>]{0,200})?>",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Labelled:
    """A reference string with its labelled spans and the reference built from them."""

    text: str
    spans: tuple[Span, ...]
    reference: Reference
    raw: dict[str, str]


def _check(text: object) -> str:
    if not isinstance(text, str):
        raise ParseError(f"a reference must be text, not {type(text).__name__}")
    text = repair_surrogates(text)
    if "\x00" in text:
        raise ParseError("the reference contains NUL characters: binary data, not text")
    stripped = " ".join(_MARKUP.sub("", text).split())
    if not stripped:
        raise ParseError("the reference is empty")
    if len(stripped) > MAX_REFERENCE_CHARS:
        raise ParseError(
            f"the text is {len(stripped):,} characters long; one reference is at most "
            f"{MAX_REFERENCE_CHARS:,} (use parse_references for a reference list)"
        )
    controls = len(_CONTROL.findall(stripped))
    if controls > len(stripped) // 10:
        raise ParseError("the reference looks like binary data, not text")
    if not any(ch.isalnum() for ch in stripped):
        raise ParseError("the reference has no letters or digits")
    return stripped


def label_reference(text: str) -> Labelled:
    """Label one reference string with the CRF and build the reference from the spans."""
    return _label(_check(text))


def _label(clean: str) -> Labelled:
    tokens = tokenize(clean)
    labels = label_tokens(tokens)
    repair(tokens, labels)
    spans = group_spans(tokens, labels)
    reference, raw = build_reference(clean, spans)
    return Labelled(clean, tuple(spans), reference, raw)


def parse_reference(text: str) -> Reference:
    """One reference string, in any common style or as a Google Scholar line.

    Raises :class:`~mesorefs.errors.ParseError` for empty, binary or overlong input.
    """
    clean = _check(text)
    if looks_like_scholar(clean):
        scholar = parse_scholar(clean)
        if scholar is not None:
            return scholar
    return _label(clean).reference


def parse_references(text: str) -> list[Reference]:
    """Every reference in a reference block (numbered, bulleted, one per line...).

    A leading heading such as "References" is skipped.  Entries that cannot be a
    reference (too long, binary, no letters) are left out rather than raising, so
    bad input gives an empty list; :func:`parse_block` also says what was left out.
    """
    return parse_block(text).references


_NOT_A_REFERENCE = "no author, year, venue or identifier: not a reference"


def _names_a_work(reference: Reference) -> bool:
    """More than a title: a line of prose parses to a title alone."""
    return bool(
        reference.authors
        or reference.editors
        or reference.issued
        or reference.container_title
        or reference.publisher
        or reference.doi
        or reference.url
        or reference.volume
        or reference.pages
        or reference.isbn
    )


@dataclass(frozen=True)
class Unparsed:
    """A piece of a reference block that did not become a reference, and why."""

    text: str
    """Its first 80 characters."""
    reason: str


@dataclass(frozen=True)
class ParsedBlock:
    references: list[Reference]
    unparsed: list[Unparsed]

    def to_dict(self, references: Sequence[Reference] | None = None) -> dict[str, Any]:
        """The block as ``mesorefs parse --json`` reports it (docs/cli-json.md), without its
        schema name; ``references`` (default: the block's own) may be them with keys given."""
        return {
            "unparsed": [{"text": p.text, "reason": p.reason} for p in self.unparsed],
            "references": [
                {
                    "reference": ref.to_csl(),
                    "truncated": sorted(ref.truncated),
                    "confidence": {
                        k: p.confidence for k, p in ref.provenance.items() if p.confidence
                    },
                    "hints": ref.hints,
                }
                for ref in (self.references if references is None else references)
            ],
        }


def parse_block(text: str) -> ParsedBlock:
    """The references of a reference block (as :func:`parse_references`), and every
    entry or line that could not be read, with why: nothing is left out without a word."""
    if not isinstance(text, str):
        return ParsedBlock([], [Unparsed(repr(text)[:80], "not text")])
    if "\x00" in text:
        return ParsedBlock([], [Unparsed(text[:80], "NUL characters: binary data, not text")])
    entries, overlong = split_block(strip_heading(repair_surrogates(text)))
    unparsed = [
        Unparsed(line.strip()[:80], f"a line of {len(line):,} characters: too long")
        for line in overlong
    ]
    references = []
    for entry in entries[:_MAX_BLOCK_ENTRIES]:
        try:
            reference = parse_reference(entry)
        except ParseError as error:
            unparsed.append(Unparsed(entry[:80], str(error)))
            continue
        if _names_a_work(reference):
            references.append(reference)
        else:
            unparsed.append(Unparsed(entry[:80], _NOT_A_REFERENCE))
    if len(entries) > _MAX_BLOCK_ENTRIES:
        unparsed.append(
            Unparsed(
                entries[_MAX_BLOCK_ENTRIES][:80],
                f"{len(entries) - _MAX_BLOCK_ENTRIES:,} entries beyond the first "
                f"{_MAX_BLOCK_ENTRIES:,} not read",
            )
        )
    return ParsedBlock(references, unparsed)
