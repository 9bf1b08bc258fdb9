"""tidy keeps what every field means: the reproductions of the lossless-tidy issue."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mesorefs.bibtex.meaning import same_meaning
from mesorefs.errors import InputError
from mesorefs.library import Library, tidy_bibtex
from mesorefs.models import Person
from mesorefs.textfile import decode_bibliography, read_text_file


def tidy_entry(fields: str, entry_type: str = "article") -> str:
    return tidy_bibtex(f"@{entry_type}{{k,\n{fields}\n}}\n")


# (id, fields of the entry, text the output must contain)
KEPT_AS_MEANT = [
    ("number-and-issue", "number = {1}, issue = {2}", ["number = {1}", "issue = {2}"]),
    (
        "address-and-location",
        "address = {New York}, location = {Philadelphia}",
        ["address = {New York}", "location = {Philadelphia}"],
    ),
    (
        "publisher-and-organization",
        "publisher = {ACM Press}, organization = {ACM}",
        ["publisher = {ACM Press}", "organization = {ACM}"],
    ),
    ("unknown-macro", r"title = {Update on Pascal \MF}", [r"title = {Update on Pascal \MF}"]),
    (
        "braced-logo",
        r"title = {{{\BibTeX}-based tools}}",
        [r"title = {{{\BibTeX}-based tools}}"],
    ),
    ("math-with-braces", r"title = {${O}(\log n)$ time}", [r"title = {${O}(\log n)$ time}"]),
    ("date-with-day", "date = {2003-10-01}", ["date = {2003-10-01}"]),
    ("date-range", "date = {2004-03-03/2005-08-09}", ["date = {2004-03-03/2005-08-09}"]),
    ("month-concatenation", 'month = "10~" # jan', ['month = "10~" # jan']),
    (
        "single-letter-protection",
        "title = {Festooning {F}rench Phrases and {E}uclidean spaces}",
        ["{F}rench", "{E}uclidean"],
    ),
    (
        "whole-title-braces",
        "title = {{Inductive Definitions in the System {Coq}}}",
        ["title = {{Inductive Definitions in the System {Coq}}}"],
    ),
    ("url-markup", r"note = {See \url{https://x.org/a~b}}", [r"\url{https://x.org/a~b}"]),
    ("emph", r"title = {The \emph{in vivo} case}", [r"\emph{in vivo}"]),
    ("superscript", r"title = {The 19\textsuperscript{th} century}", [r"\textsuperscript{th}"]),
    ("texttt", r"title = {Using \texttt{grep}}", [r"\texttt{grep}"]),
    ("font-switch", r"title = {A {\it Study} of it}", [r"{\it Study}"]),
    ("logos", r"title = {\TeX{} and \LaTeX{} for all}", [r"\TeX{}", r"\LaTeX{}"]),
    ("thinspace", r"title = {A\thinspace B}", [r"\thinspace"]),
    ("math-before-word", r"title = {A $2^{O(k)}$poly bound}", [r"$2^{O(k)}$poly"]),
]


@pytest.mark.parametrize(
    ("fields", "expected"), [c[1:] for c in KEPT_AS_MEANT], ids=[c[0] for c in KEPT_AS_MEANT]
)
def test_tidy_keeps_meaning(fields: str, expected: list[str]) -> None:
    text = tidy_entry(fields)
    for piece in expected:
        assert piece in text
    assert tidy_bibtex(text) == text


def test_string_macro_is_written_as_a_macro() -> None:
    text = tidy_bibtex('@string{jgr = "J. Geophys. Res."}\n@article{k, journal = jgr}\n')
    assert "journal = jgr" in text
    assert Library.from_bibtex(text).references[0].container_title == "J. Geophys. Res."


def test_inbook_school_and_institution_survive_two_runs() -> None:
    once = tidy_entry("title = {T}, school = {MIT}, institution = {CSAIL}", "inbook")
    twice = tidy_bibtex(once)
    for text in (once, twice):
        assert "school = {MIT}" in text
        assert "institution = {CSAIL}" in text
        assert "publisher" not in text


@pytest.mark.parametrize(
    ("authors", "people"),
    [
        (
            r"Ge\~na Hahn and J. P. Mari\~{n}o",
            [("Hahn", "Geña"), ("Mariño", "J. P.")],
        ),
        (r"Christina A. L.\ Thiele", [("Thiele", "Christina A. L.")]),
    ],
    ids=["tilde-accent", "control-space"],
)
def test_names_with_control_symbols_are_read_as_latex(
    authors: str, people: list[tuple[str, str]]
) -> None:
    text = tidy_entry(f"author = {{{authors}}}")
    assert "textbackslash" not in text
    reference = Library.from_bibtex(text).references[0]
    assert [(p.family, p.given) for p in reference.authors] == people
    assert tidy_bibtex(text) == text


def test_names_do_not_flip_between_runs() -> None:
    once = tidy_entry("author = {Molins A and Smith, John}")
    assert tidy_bibtex(once) == once


def test_plain_fields_are_still_normalized() -> None:
    text = tidy_entry(
        "author = {John Smith and Mar{\\'\\i}a de la Cruz}, title = {The DNA of mice},"
        " pages = {1-5}, month = {April}, journal = {Revista M\\'edica}"
    )
    assert "author = {Smith, John and de la Cruz, Mar{\\'\\i}a}" in text
    assert "title = {The {DNA} of mice}" in text
    assert "pages = {1--5}" in text
    assert "month = apr" in text
    assert "journal = {Revista M{\\'e}dica}" in text


def test_changed_data_replaces_only_the_fields_that_fed_it() -> None:
    library = Library.from_bibtex(
        "@article{k, title = {\\emph{T}}, number = {1}, issue = {2}, year = {2001}}"
    )
    reference = library.references[0]
    reference.doi = "10.1000/xyz"
    reference.authors = [Person(family="Roe", given="Ann")]
    text = library.to_bibtex()
    assert "title = {\\emph{T}}" in text  # untouched
    assert "number = {1}" in text and "issue = {2}" in text
    assert "doi = {10.1000/xyz}" in text
    assert "author = {Roe, Ann}" in text


def test_commented_out_entry_stays_a_comment() -> None:
    text = "%@BOOK{old, title = {Gone}}\n@article{new, title = {Here}}\n"
    library = Library.from_bibtex(text)
    assert [r.key for r in library.references] == ["new"]
    assert "%@BOOK{old, title = {Gone}}" in library.to_bibtex()


def test_entries_without_a_key_get_one_and_a_problem() -> None:
    library = Library.from_bibtex("@article{, title = {One}}\n@article{, title = {Two}}\n")
    assert [p.kind for p in library.problems] == ["missing-key", "missing-key"]
    assert not any("duplicate" in str(p) for p in library.problems)
    keys = [r.key for r in library.with_keys().references]
    assert all(keys) and len(set(keys)) == 2


def test_broken_entry_with_comments_is_kept_whole_and_stable() -> None:
    text = (
        "@BOOK{a,\n  AUTHOR = {S. Smith}, % Picks all names, no position\n"
        "  TITLE = {T}\n}\n\n@article{b, title = {B}}\n"
    )
    once = tidy_bibtex(text)
    assert "% Picks all names, no position" in once
    assert tidy_bibtex(once) == once


ENCODINGS = [
    ("utf-8", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-16-le", b""),
    ("utf-16-be", b""),
]


@pytest.mark.parametrize(
    ("encoding", "mark"),
    ENCODINGS,
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be"],
)
def test_unicode_encodings_are_read(encoding: str, mark: bytes, tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_bytes(mark + "@article{k, title = {Müller}}\n".encode(encoding))
    assert Library.read(path).references[0].title == "Müller"


def test_other_encodings_are_refused_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_bytes("% -*- coding: latin-1 -*-\n@article{k, title = {Müller}}\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"refs\.bib.*not UTF-8.*--encoding iso8859-1"):
        read_text_file(path)
    assert Library.read(path, encoding="latin-1").references[0].title == "Müller"


def test_unknown_encoding_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown encoding"):
        decode_bibliography(b"x", "f.bib", "no-such-codec")


# -- property: read -> write -> read keeps every field's meaning ------------------------

_WORD = st.sampled_from(
    ["Study", "of", "DNA", "{F}rench", "{\\'E}cole", "\\emph{in vivo}", "$x^{2}$", "{Coq}",
     "\\TeX{}", "na\\\"ive", "\\url{http://a.b/c}", "{{Whole}}", "R\\&D", "\\MF", "--", "x"]
)  # fmt: skip
_NAME = st.sampled_from(
    ["John Smith", "Smith, John", "de la Cruz, Mar{\\'\\i}a", "{World Health Organization}",
     "Ge\\~na Hahn", "van der Berg, Jan", "Smith, Jr, John", "Molins A",
     "{\\O}deg{\\aa}rd, {\\AA}se"]
)  # fmt: skip
_DATE = st.sampled_from(["2003", "2003-10", "2003-10-01", "2004-03-03/2005-08-09", "2004~"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=st.lists(_WORD, min_size=1, max_size=6).map(" ".join),
    names=st.lists(_NAME, min_size=1, max_size=3).map(" and ".join),
    date=_DATE,
    pages=st.sampled_from(["1-5", "12--14", "e1001", "iv + 23"]),
)
def test_tidy_keeps_every_fields_meaning(title: str, names: str, date: str, pages: str) -> None:
    fields = {"title": title, "author": names, "date": date, "pages": pages}
    source = "@article{k,\n" + ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items()) + "\n}\n"
    once = tidy_bibtex(source)
    assert tidy_bibtex(once) == once
    written = dict(re.findall(r"^  ([a-z]+) = \{(.*)\},?$", once, re.M))
    for name, value in fields.items():
        assert same_meaning(name, value, written[name]), (name, value, written[name])
    for piece in re.findall(r"\\emph\{[^}]*\}|\\url\{[^}]*\}|\$[^$]*\$|\\MF|\\TeX", title):
        assert piece in written["title"]


@pytest.mark.parametrize(
    "text",
    [
        "@article{a, url = {http://x.org/}ex/path/}, year = {2005}}\n@article{b, title={B}}\n",
        "@article{a, title = {A}}\n$@ARTICLE{b,\n  AUTHOR = {S}, % x, y\n  TITLE = {T}\n}\n",
    ],
    ids=["value-the-splitter-guessed", "text-before-a-broken-entry"],
)
def test_entries_the_splitter_recovered_are_kept_and_stable(text: str) -> None:
    once = tidy_bibtex(text)
    assert tidy_bibtex(once) == once
    assert Library.from_bibtex(text).problems


def test_spaces_collapse_where_the_full_rewrite_cannot_be_proved() -> None:
    text = tidy_entry("annote = {A \\texttt{set}\n      with   members.}")
    assert "annote = {A \\texttt{set} with members.}" in text


def test_a_blank_line_is_a_paragraph_not_a_space() -> None:
    text = tidy_entry("abstract = {Background\n\nResults are good.}")
    assert "Background\n\nResults are good." in text
    assert not same_meaning("abstract", "a\n\nb", "a b")
