"""Reading a document costs time and memory in proportion to its length (issue 27)."""

from __future__ import annotations

import tracemalloc

import pytest

from mesorefs.claims.check import MAX_CLAIMS, check_claims, extract_claims
from mesorefs.claims.document import (
    OffsetMap,
    find_citations,
    parse_document,
    split_sentences,
)
from mesorefs.models import Reference


@pytest.mark.parametrize(
    "unit",
    ["[@", "[@a ", "Text [@a]. ", "@key: ", "[a](", "*[x](y) ", "\n\n## H\n\nText [@a]."],
    ids=["open-cite", "open-cite-key", "cite-sentences", "at-key", "open-link", "marks-links",
         "headings"],
)  # fmt: skip
def test_long_runs_of_citation_openers_are_read(unit: str) -> None:
    """16,000 repeats of a citation or link opener are read, the text kept whole (quadratic
    before: a rescan to the end of the line from every [).  The growth per doubling is
    measured by benchmarks/safety_bench.py (check-cite-runs), not by a timed test."""
    text = "# Title\n\nSome text " + unit * 16_000
    document = parse_document(text)
    assert document.segments
    assert all(text[s.start : s.end] for s in document.segments)


def test_long_paragraph_is_read_in_bounded_memory() -> None:
    """A 5 MB paragraph of lines without stops is read within 60 MB (a per-character
    pattern and per-character offsets took gigabytes)."""
    text = "".join(f"Mesotherapy line {i} reduces local fat\n" for i in range(130_000))
    tracemalloc.start()
    try:
        document = parse_document(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(document.segments) == 1
    assert peak < 60 * 1024 * 1024


def test_split_sentences_jumps_between_stops() -> None:
    """A long text with few stops splits into its sentences and keeps every character."""
    text = ("word " * 200 + "End. Next ") * 500
    sentences = split_sentences(text)
    assert len(sentences) == 501
    assert "".join(s for _, _, s in sentences).replace(" ", "") == text.replace(" ", "")


def test_offset_map_reads_like_a_list() -> None:
    """The run-length offset map gives each character's offset, negative and sliced too."""
    offsets = OffsetMap()
    offsets.add(10, 3, 1)
    offsets.add(13, 2, 1)  # continues the run
    offsets.add(20, 2, 0)
    offsets.add(30, 1, 1)
    expected = [10, 11, 12, 13, 14, 20, 20, 30]
    assert list(offsets) == expected and len(offsets) == len(expected)
    assert offsets[-1] == 30 and offsets[2:6] == expected[2:6]
    offsets.pop()
    assert list(offsets) == expected[:-1]
    with pytest.raises(IndexError):
        offsets[len(expected)]


def test_claims_beyond_the_cap_are_reported_not_checked() -> None:
    """A document with more checkworthy claims than MAX_CLAIMS has the rest marked not
    checked with the reason, and the check says so in a warning."""
    text = "".join(f"Mesotherapy dose {i} reduces local fat deposits.\n\n" for i in range(12))
    claims = extract_claims(parse_document(text), 5)
    assert [c.checkworthy for c in claims] == [True] * 5 + [False] * 7
    assert claims[-1].reason == "beyond the first 5 claims: not checked"
    assert all(c.parts == () for c in claims[5:])


def test_check_warns_when_claims_exceed_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """check_claims checks MAX_CLAIMS claims and warns about the rest."""
    monkeypatch.setattr("mesorefs.claims.check.MAX_CLAIMS", 3)
    text = "".join(f"Mesotherapy dose {i} reduces local fat deposits.\n\n" for i in range(7))
    report = check_claims(text, [Reference(key="a", title="Fat")], encoder=False)
    assert len(report.checked) == 3
    assert any("7 claims: only the first 3 were checked" in w for w in report.warnings)
    assert MAX_CLAIMS >= 1000


def test_unclosed_bracket_of_keys_is_scanned_once() -> None:
    """An unclosed [ followed by many @keys finds no bracketed citation in a moment (the
    pandoc pattern backtracked from every @ to the end: quadratic); each @a is a
    narrative citation, as Pandoc reads it."""
    text = "[@ " + " @a: " * 40_000
    found = find_citations(text)
    assert len(found) == 40_000 and all(c.narrative and c.marker == "@a" for c in found)
    (cite,) = find_citations("See [-@doe2020, p. 3; @roe] here.")
    assert cite.keys == ("doe2020", "roe") and cite.marker == "[-@doe2020, p. 3; @roe]"
