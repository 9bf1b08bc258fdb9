"""The Library: file types, lookup, atomic writes, dedupe."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mesorefs import InputError, Library, PartialDate, Person, Reference
from mesorefs.library import atomic_write_text

ROTUNDA = Reference(
    key="rotunda2006mesotherapy",
    title="Mesotherapy and phosphatidylcholine injections: historical clarification and review",
    authors=[
        Person(family="Rotunda", given="Adam M."),
        Person(family="Kolodney", given="Michael S."),
    ],
    issued=PartialDate(year=2006, month=4),
    container_title="Dermatologic Surgery",
    volume="32",
    issue="4",
    pages="465-480",
    doi="10.1111/j.1524-4725.2006.32100.x",
    pmid="16681654",
)


@pytest.mark.parametrize("suffix", [".bib", ".json", ".ris"], ids=["bibtex", "csl-json", "ris"])
def test_write_and_read_by_file_type(tmp_path: Path, suffix: str) -> None:
    """Each file type writes and reads back the same core fields."""
    path = tmp_path / f"refs{suffix}"
    Library([ROTUNDA]).write(path)
    back = Library.read(path).references[0]
    for field in ("title", "container_title", "volume", "issue", "pages", "doi"):
        assert getattr(back, field) == getattr(ROTUNDA, field), field
    assert [p.family for p in back.authors] == ["Rotunda", "Kolodney"]
    assert back.year == 2006


def test_csl_json_round_trip_keeps_everything(tmp_path: Path) -> None:
    """CSL-JSON keeps every field, including mesorefs' bookkeeping."""
    ref = ROTUNDA.model_copy(update={"locked": frozenset({"title"}), "hints": {"host": "x.org"}})
    path = tmp_path / "refs.json"
    Library([ref]).write(path)
    assert Library.read(path).references == [ref]
    assert json.loads(path.read_text())[0]["DOI"] == ref.doi


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.bib", None, "missing.bib: no such file"),
        ("refs.txt", "x", "unknown file type '.txt'"),
        ("bad.json", "{not json", "bad.json:1: not valid JSON"),
        ("latin.bib", b"\xe9\xff", "not UTF-8 text"),
    ],
    ids=["missing", "unknown-suffix", "bad-json", "not-utf8"],
)
def test_read_errors_are_one_clear_line(
    tmp_path: Path, name: str, content: object, message: str
) -> None:
    """Unreadable input raises InputError with a one-line message naming the file."""
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        Library.read(path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_atomic_write_leaves_no_temp_file_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed write keeps the old file intact and leaves no temporary file."""
    path = tmp_path / "refs.bib"
    path.write_text("old")

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        atomic_write_text(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"]


@pytest.mark.parametrize(
    "identifier",
    [
        "10.1111/J.1524-4725.2006.32100.X",
        "https://doi.org/10.1111/j.1524-4725.2006.32100.x",
        "PMID: 16681654",
    ],
    ids=["doi-upper", "doi-url", "pmid"],
)
def test_find_by_identifier(identifier: str) -> None:
    """Lookup by identifier accepts any common form of it."""
    assert Library([ROTUNDA]).find(identifier) is ROTUNDA


def test_get_by_key_is_case_insensitive() -> None:
    """Keys compare case-insensitively, as BibTeX compares them."""
    library = Library([ROTUNDA])
    assert library.get("Rotunda2006Mesotherapy") is ROTUNDA
    assert library.get("nope") is None


def test_dedupe_merges_same_doi_with_provenance_and_conflicts() -> None:
    """Two records with one DOI merge; filled fields get provenance; conflicts are reported."""
    other = Reference(
        key="dup",
        title=ROTUNDA.title,
        doi=ROTUNDA.doi.upper() if ROTUNDA.doi else None,
        issued=PartialDate(year=2005),
        abstract="An abstract.",
    )
    library, report = Library([ROTUNDA, other]).deduplicated()
    assert library.keys() == ["rotunda2006mesotherapy"]
    merged = library.references[0]
    assert merged.abstract == "An abstract."
    assert merged.provenance["abstract"].source == "duplicate:dup"
    assert report.merges[0].dropped == ("dup",)
    assert [c.field for c in report.merges[0].conflicts] == ["issued"]


def test_dedupe_links_preprint_instead_of_merging() -> None:
    """A preprint and its published version are linked, not merged."""
    preprint = Reference(
        key="pre",
        type="article",
        title=ROTUNDA.title,
        authors=ROTUNDA.authors,
        issued=PartialDate(year=2006),
        arxiv="0601.00001",
    )
    library, report = Library([ROTUNDA, preprint]).deduplicated()
    assert len(library) == 2
    assert report.links == [("pre", "rotunda2006mesotherapy")]
    assert library.get("pre") is not None and library["pre"].hints["published-as"] == ROTUNDA.key


def test_dedupe_keeps_distinct_works() -> None:
    """Different works with similar titles are not merged."""
    other = ROTUNDA.model_copy(
        update={"key": "other", "doi": None, "pmid": None, "issued": PartialDate(year=2009)}
    )
    library, report = Library([ROTUNDA, other]).deduplicated()
    assert len(library) == 2 and not report.merges
