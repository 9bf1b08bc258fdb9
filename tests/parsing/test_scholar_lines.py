"""Google Scholar lines, starting with the seed article's reference list."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.models import Person
from mesorefs.parsing import find_reference_section, parse_reference, parse_references
from mesorefs.parsing.scholar import looks_like_scholar, parse_scholar

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "article.txt"
if not SEED.exists():
    SEED = Path("/work/shared/seed/article.txt")

# title, family names, authors truncated, container, container truncated, year, host
EXPECTED = [
    (
        "Mesotherapy: what is it? Does it work?",
        ["Rohrich"],
        False,
        None,
        False,
        2005,
        "journals.lww.com",
    ),
    (
        "Mesotherapy and phosphatidylcholine injections: historical clarification and review",
        ["Rotunda", "Kolodney"],
        False,
        "Dermatologic surgery",
        False,
        2006,
        "Wiley Online Library",
    ),
    (
        "Mesotherapy",
        ["Vedamurthy"],
        False,
        "Indian Journal of Dermatology, Venereology, and",
        True,
        2007,
        "go.gale.com",
    ),
    (
        "Mesotherapy for body contouring",
        ["Matarasso", "Pfeifer"],
        True,
        "Plastic and",
        True,
        2005,
        "journals.lww.com",
    ),
    (
        "Mesotherapy: What is new?",
        ["Konda", "Thappa"],
        False,
        "Indian Journal of Dermatology, Venereology",
        True,
        2013,
        "ijdvl.com",
    ),
    (
        "Mesotherapy for facial skin rejuvenation: a clinical, histologic, and electron "
        "microscopic evaluation",
        ["Amin", "Phelps", "Goldberg"],
        False,
        "Dermatologic surgery",
        False,
        2006,
        "Wiley Online Library",
    ),
    (
        "Mesotherapy–The french connection",
        ["Sivagnanam"],
        False,
        "Journal of pharmacology & pharmacotherapeutics",
        False,
        2010,
        "ncbi.nlm.nih.gov",
    ),
]


def _seed_references() -> list[str]:
    section = find_reference_section(SEED.read_text(encoding="utf-8"))
    assert section is not None
    return [line for line in section.splitlines() if line.strip()]


def test_seed_section_has_seven_lines() -> None:
    """The seed article's reference section is found and holds exactly seven entries."""
    section = find_reference_section(SEED.read_text(encoding="utf-8"))
    assert section is not None
    assert len(parse_references(section)) == 7


@pytest.mark.parametrize("index", range(7), ids=[e[0][:30] for e in EXPECTED])
def test_seed_line(index: int) -> None:
    """Each seed line gives the right title, authors, venue, year, truncation flags and host."""
    title, families, authors_cut, venue, venue_cut, year, host = EXPECTED[index]
    ref = parse_reference(_seed_references()[index])
    assert ref.title == title
    assert [p.family for p in ref.authors] == families
    assert ("authors" in ref.truncated) is authors_cut
    assert ref.container_title == venue
    assert ("container_title" in ref.truncated) is venue_cut
    assert ref.year == year
    assert ref.hints["host"] == host
    assert ref.publisher is None
    assert "…" not in (ref.container_title or "") + (ref.title or "")
    assert ref.provenance["title"].source == "parser"


def test_initials_become_dotted_given_names() -> None:
    """``AM Rotunda`` becomes family Rotunda, given ``A. M.``."""
    ref = parse_reference(_seed_references()[1])
    assert ref.authors[0] == Person(family="Rotunda", given="A. M.")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Deep learning by Y LeCun, Y Bengio, G Hinton – Nature, 2015 – nature.com", True),
        ("LeCun Y, Bengio Y, Hinton G. Deep learning. Nature. 2015;521:436-44.", False),
        ("A story by the sea – a novel in three parts", False),
        ("Killed by a bus by J Smith – 2001 – example.org", True),
    ],
    ids=["scholar", "vancouver", "prose-with-by", "title-with-by"],
)
def test_looks_like_scholar(line: str, expected: bool) -> None:
    """Only the ``Title by Authors – Venue, Year – host`` shape is taken for Scholar."""
    assert looks_like_scholar(line) is expected


def test_title_containing_by_uses_last_author_like_by() -> None:
    """A title with "by" in it keeps it; the author list starts at the last matching "by"."""
    ref = parse_scholar("Killed by a bus by J Smith – 2001 – example.org")
    assert ref is not None
    assert ref.title == "Killed by a bus"
    assert [p.family for p in ref.authors] == ["Smith"]


def test_truncated_title_is_flagged() -> None:
    """A title cut with "…" is kept without the ellipsis and marked truncated."""
    ref = parse_scholar("A very long title about … by J Smith – Nature, 2001 – nature.com")
    assert ref is not None
    assert ref.title == "A very long title about"
    assert "title" in ref.truncated


def test_ascii_ellipsis_and_hyphen_separators() -> None:
    """Three dots and spaced hyphens are read like "…" and en dashes."""
    ref = parse_scholar("Some title by A Bee, C Dee... - Journal of ..., 2019 - example.com")
    assert ref is not None
    assert ref.truncated == frozenset({"authors", "container_title"})
    assert ref.container_title == "Journal of"
