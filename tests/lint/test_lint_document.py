"""The bibliography against the document (MR5xx), and the seed's acceptance criteria."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.library import Library
from mesorefs.lint import at_or_above, lint
from mesorefs.parsing import find_reference_section, parse_references

from .conftest import library_of
from .test_lint_checks import GOOD, entry

ROOT = Path(__file__).resolve().parents[2]
SEED_BIB = ROOT / "references.bib"
SEED_ARTICLE = ROOT / "src" / "mesorefs" / "examples" / "mesotherapy" / "article.txt"

TWO = GOOD + entry("jones2019", author="Jones, Tom", title="Other things", year="2019", doi="")

DOCUMENTS = [
    # style, cites both entries, cites one entry and one unknown work
    (
        "pandoc",
        "Things happen [@smith2020; @jones2019].",
        "Things happen [@smith2020; @nobody1999].",
    ),
    (
        "latex",
        r"Things happen \cite{smith2020,jones2019}.",
        r"Things happen \cite{smith2020,nobody}.",
    ),
    (
        "author-year",
        "Things happen (Smith, 2020; Jones, 2019).",
        "Things happen (Smith, 2020; Nobody, 1999).",
    ),
    ("numeric", "Things happen [1, 2].", "Things happen [1, 3]."),
]


@pytest.mark.parametrize(("style", "complete", "partial"), DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_all_cited_all_present(style: str, complete: str, partial: str) -> None:
    """A document citing exactly the library's entries gives no MR5xx finding."""
    assert lint(library_of(TWO), complete, select=["MR5"]) == []


@pytest.mark.parametrize(("style", "complete", "partial"), DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_missing_and_uncited(style: str, complete: str, partial: str) -> None:
    """An unknown citation is an error at its document line; the uncited entry is info."""
    text = "Title\n\n" + partial
    found = lint(library_of(TWO), text, select=["MR5"], document_path="paper.md", path="refs.bib")
    missing = [f for f in found if f.check == "MR501"]
    uncited = [f for f in found if f.check == "MR502"]
    assert len(missing) == 1 and missing[0].file == "paper.md" and missing[0].line == 3
    assert missing[0].severity == "error"
    assert [f.key for f in uncited] == ["jones2019"] and uncited[0].file == "refs.bib"


def test_reference_list_lines_are_matched() -> None:
    """Entries of the document's reference list count as cited; unknown ones are missing."""
    text = (
        "Intro text.\n\nReferences\n\n"
        "Smith J. A study of things. Journal of Things, 2020.\n\n"
        "Brown K. A wholly different paper. Nature, 2001.\n"
    )
    found = lint(library_of(TWO), text, select=["MR5"])
    assert sorted((f.check, f.key or "") for f in found) == [("MR501", ""), ("MR502", "jones2019")]
    assert "reference list entry 2" in next(f.message for f in found if f.check == "MR501")


def test_document_checks_need_a_document() -> None:
    """Without a document the MR5xx checks stay silent."""
    assert lint(library_of(TWO), select=["MR5"]) == []


@pytest.fixture(scope="module")
def seed_lines() -> Library:
    """The seed article's original reference lines, parsed and not resolved."""
    section = find_reference_section(SEED_ARTICLE.read_text(encoding="utf-8"))
    assert section is not None
    return Library(parse_references(section))


def test_seed_lines_report_truncations_and_missing_identifiers(seed_lines: Library) -> None:
    """On the seed's lines lint reports the cut-off venues and authors and missing identifiers."""
    found = lint(seed_lines)
    truncated = {(f.item, f.field) for f in found if f.check == "MR301"}
    assert truncated == {
        (2, "container_title"),
        (3, "authors"),
        (3, "container_title"),
        (4, "container_title"),
    }
    assert sorted(f.item for f in found if f.check == "MR203") == list(range(7))


def test_seed_bib_is_clean_above_info() -> None:
    """On the tidy references.bib (with the article) nothing is reported above info."""
    text = SEED_BIB.read_text(encoding="utf-8")
    found = lint(
        Library.from_bibtex(text),
        SEED_ARTICLE.read_text(encoding="utf-8"),
        source_text=text,
        path="references.bib",
    )
    assert at_or_above(found, "warning") == []
    assert {f.check for f in found} == {"MR203"}
