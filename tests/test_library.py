"""The Library: file types, lookup, atomic writes, dedupe."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from mesorefs import InputError, Library, PartialDate, Person, Reference
from mesorefs.cli import main
from mesorefs.library import atomic_write_text
from mesorefs.outputs import temp_name

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


def test_new_file_follows_the_umask(tmp_path: Path) -> None:
    """A file written for the first time gets 0666 less the umask, not mkstemp's 0600."""
    previous = os.umask(0o027)
    try:
        atomic_write_text(tmp_path / "new.bib", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.bib").stat().st_mode) == 0o640


def test_rewrite_keeps_the_mode(tmp_path: Path) -> None:
    """A rewritten file keeps its own mode."""
    path = tmp_path / "refs.bib"
    path.write_text("old")
    path.chmod(0o604)
    atomic_write_text(path, "new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o604
    assert path.read_text() == "new"


def test_write_goes_through_a_symlink(tmp_path: Path) -> None:
    """Writing to a symlink replaces the file it points to and keeps the link."""
    real = tmp_path / "real.bib"
    real.write_text("old")
    link = tmp_path / "link.bib"
    link.symlink_to(real.name)
    atomic_write_text(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"


def test_stale_temporary_files_are_removed(tmp_path: Path) -> None:
    """Our temporaries of the same file left by a killed writer go; a live writer's stay,
    and so do names we do not make (a user's old ``.refs.bib.x9y8z7.tmp``, issue 27)."""
    path = tmp_path / "refs.bib"
    gone_pid = _dead_pid()
    stale = tmp_path / temp_name("refs.bib", gone_pid, "abc123abc123abc1")
    stale.write_text("half")
    live = tmp_path / temp_name("refs.bib", os.getppid(), "def456def456def4")
    live.write_text("writing")
    old_style = tmp_path / ".refs.bib.x9y8z7.tmp"
    old_style.write_text("half")
    os.utime(old_style, (0, 0))
    other = tmp_path / temp_name("other.bib", gone_pid, "abc123abc123abc1")
    other.write_text("not ours")
    atomic_write_text(path, "new")
    assert not stale.exists()
    assert live.exists() and other.exists() and old_style.exists()


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_dedupe_joins_files_and_reports_other_differences() -> None:
    """Merging records of one work keeps both files and reports a differing month."""
    first = Reference(
        key="a",
        title="T",
        authors=[Person(family="Doe")],
        issued=PartialDate(year=2020, month=3),
        extra={"file": "a.pdf"},
    )
    second = first.model_copy(
        update={"issued": PartialDate(year=2020, month=4), "extra": {"file": "b.pdf", "x": "1"}}
    )
    third = first.model_copy(update={"extra": {"file": "a.pdf", "x": "2"}})
    library, report = Library([first, second, third]).deduplicated()
    merged = library.references[0]
    assert merged.extra["file"] == "a.pdf;b.pdf"
    fields = [(c.field, c.kept, c.other) for c in report.merges[0].conflicts]
    assert ("issued", "2020-03", "2020-04") in fields
    assert ("x", "1", "2") in fields


def test_tidy_dedupe_warns_about_differences_in_text_mode(tmp_path: Path) -> None:
    """`tidy --dedupe` says on stderr which value of a merged record was not kept."""
    path = tmp_path / "d.bib"
    path.write_text(
        "@article{a, title={T}, author={Doe, J}, year=2020, month=mar, file={a.pdf}}\n"
        "@article{b, title={T}, author={Doe, J}, year=2020, month=apr, file={b.pdf}}\n"
    )
    result = CliRunner().invoke(main, ["tidy", "--dedupe", str(path)])
    assert "file = {a.pdf;b.pdf}" in result.stdout
    assert "b merged into a with a different issued: kept '2020-03', not '2020-04'" in (
        result.stderr
    )


def test_not_carried_names_what_a_conversion_loses() -> None:
    """A BibTeX comment and a field RIS has no place for are reported, each once."""
    from mesorefs.library import not_carried

    before = Library.loads(
        "@comment{kept only in BibTeX}\n"
        "@article{a, title = {T}, author = {Doe, J.}, year = {2000}, note = {N}}\n",
        "bibtex",
    )
    after = Library.loads(before.dumps("csl-json"), "csl-json")
    losses = not_carried(before, after, "csl-json")
    assert [loss.message for loss in losses if loss.key is None] == [
        "@comment not carried (CSL-JSON has no place for it)"
    ]
    assert all(set(loss.to_dict()) == {"key", "line", "field", "message"} for loss in losses)
