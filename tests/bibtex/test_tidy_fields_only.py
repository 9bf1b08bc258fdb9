"""tidy reads entries as fields, with no Reference built (issue 32), and writes, reports
and counts exactly what the Library path (read, keys, write) does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mesorefs.bibtex.codec import UnreadEntry, Verbatim, read_bibtex_fields
from mesorefs.bibtex.convert import entry_problem, entry_to_reference
from mesorefs.library import Library, Tidied, tidy_bibtex
from mesorefs.models import Reference


def _library_path(text: str, ascii_only: bool = True) -> tuple[str, list[str], int]:
    library = Library.from_bibtex(text, "x.bib").with_keys()
    return (
        library.to_bibtex(ascii_only=ascii_only),
        [str(p) for p in library.problems],
        len(library),
    )


def _fields_path(text: str, ascii_only: bool = True) -> tuple[str, list[str], int]:
    tidied = Tidied.of(text, "x.bib", ascii_only)
    return tidied.text, [str(p) for p in tidied.problems], tidied.entries


CASES = {
    "plain": "@article{a, author={Knuth, Donald E.}, title={The {\\TeX}book}, year=1984}\n",
    "name-no-person-holds": "@article{a, author={~,}, title={T}}\n@book{b, title={B}}\n",
    "editor-no-person-holds": "@book{b, editor={Smith and ~,}, title={T}}\n",
    "missing-key": "@article{, author={Doe, Jane}, title={A title}, year=2001}\n",
    "unsafe-key": "@article{a#b, title={T}}\n",
    "duplicate-key": "@article{a, title={One}}\n@article{a, title={Two}}\n",
    "duplicate-key-with-macros": (
        '@string{j = "J"}\n@article{a, journal=j}\n@article{a, journal=j # " B", month=jan}\n'
    ),
    "duplicate-field": "@article{a, title={One}, title={Two}}\n",
    "broken": "@article{a, title={One}\n@book{b, title={Two}}\n",
    "strings-and-concatenation": (
        '@string{jgr = "J. Geophys. Res."}\n@article{a, journal = jgr # " B", month = jan}\n'
    ),
    "comment-and-preamble": '% hello\n@preamble{"\\x"}\n@comment{c}\n@misc{m, note={n}}\n',
    "upper-case-names": "@ARTICLE{A, AUTHOR={Doe, J.}, Title={T}, PAGES={1-2}}\n",
}


@pytest.mark.parametrize("ascii_only", [True, False], ids=["ascii", "utf8"])
@pytest.mark.parametrize("text", list(CASES.values()), ids=list(CASES))
def test_fields_path_is_the_library_path(text: str, ascii_only: bool) -> None:
    """Text, problems and entry count are those of Library.from_bibtex().with_keys()."""
    assert _fields_path(text, ascii_only) == _library_path(text, ascii_only)


def test_tidy_bibtex_is_the_fields_path_text() -> None:
    """tidy_bibtex returns the text Tidied.of gives."""
    text = CASES["plain"] + CASES["name-no-person-holds"]
    assert tidy_bibtex(text) == Tidied.of(text).text


def test_entries_are_read_as_their_fields() -> None:
    """An entry with a safe key is kept as its type, key and raw fields, lower-cased names."""
    items, problems = read_bibtex_fields(CASES["upper-case-names"])
    assert problems == []
    assert items == [
        UnreadEntry("article", "A", (("author", "{Doe, J.}"), ("title", "{T}"), ("pages", "{1-2}")))
    ]


@pytest.mark.parametrize("name", ["missing-key", "unsafe-key"], ids=["missing", "unsafe"])
def test_an_entry_that_needs_a_key_is_read_as_a_reference(name: str) -> None:
    """Keys are made from the data, so an entry needing one is read whole."""
    items, _ = read_bibtex_fields(CASES[name])
    assert [type(item) for item in items] == [Reference]


def test_a_new_key_is_not_one_an_unread_entry_has() -> None:
    """A key made for an entry differs from the keys of entries read as fields."""
    text = "@article{doe2001title, title={X}}\n" + CASES["missing-key"]
    tidied = Tidied.of(text)
    assert "@article{doe2001title," in tidied.text
    assert "@article{doe2001titlea," in tidied.text or "@article{doe2001a," in tidied.text
    assert _fields_path(text) == _library_path(text)


def test_a_refused_entry_is_kept_verbatim() -> None:
    """An entry a Reference refuses is kept as written, with the same problem."""
    items, problems = read_bibtex_fields(CASES["name-no-person-holds"])
    assert isinstance(items[0], Verbatim) and items[0].kind == "failed"
    assert isinstance(items[1], UnreadEntry)
    assert [p.kind for p in problems] == ["invalid-entry"]


NAME_PIECES = st.sampled_from(
    ["Doe", "J.", ",", " and ", "~", "~,", "{", "}", " ", "\\relax", "{\\'e}", "others", "van"]
)
NAMES = st.lists(NAME_PIECES, max_size=8).map("".join)


@given(st.dictionaries(st.sampled_from(["author", "editor", "Author", "title"]), NAMES))
def test_entry_problem_is_what_reading_refuses(fields: dict[str, str]) -> None:
    """entry_problem finds an error exactly when entry_to_reference raises one."""
    try:
        entry_to_reference("article", "k", fields)
    except ValueError as error:
        problem = entry_problem(fields)
        assert problem is not None and str(problem) == str(error)
    else:
        assert entry_problem(fields) is None


VALUE_PIECES = st.sampled_from(
    [
        "a", "B", "DNA", " ", "\n", "{", "}", "\\emph{x}", "{\\'e}", "\\TeX", "$x$", "--", "~",
        ",", " and ", "Doe, J.", "\u00e9", "%", "&", "\\&", "1-2", "jan", "{M}arkov", "~,",
    ]
)  # fmt: skip
FIELD_NAMES = st.sampled_from(
    ["author", "editor", "title", "journal", "pages", "month", "year", "note", "doi", "keywords"]
)
KEYS = st.sampled_from(["a", "b", "A", "", "x y"])


def _entry(key: str, fields: list[tuple[str, str]]) -> str:
    body = "".join(f",\n  {name} = {{{value}}}" for name, value in fields)
    return f"@article{{{key}{body}\n}}\n"


ENTRIES = st.builds(
    _entry, KEYS, st.lists(st.tuples(FIELD_NAMES, st.lists(VALUE_PIECES, max_size=6).map("".join)))
)


@settings(max_examples=150, deadline=None)
@given(st.lists(ENTRIES, max_size=4).map("".join))
def test_fields_path_is_the_library_path_on_any_entries(text: str) -> None:
    """On generated files (unbalanced braces, names no Person holds, duplicate and missing
    keys, repeated fields) both paths give the same text, problems and count."""
    assert _fields_path(text) == _library_path(text)
