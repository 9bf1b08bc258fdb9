"""Reading and writing BibTeX: fields, names, dates, titles, and nothing lost."""

from __future__ import annotations

import pytest

from mesorefs import Library, PartialDate, Person, Reference
from mesorefs.bibtex.codec import Verbatim, read_bibtex, write_bibtex
from mesorefs.library import tidy_bibtex

SEED_ENTRY = r"""@article{rotunda2006mesotherapy,
  author = {Rotunda, Adam M. and Kolodney, Michael S.},
  title = {Mesotherapy and phosphatidylcholine injections: historical clarification and review},
  journal = {Dermatologic Surgery},
  year = {2006},
  month = apr,
  volume = {32},
  number = {4},
  pages = {465--480},
  doi = {10.1111/j.1524-4725.2006.32100.x},
  pmid = {16681654}
}
"""


def only(text: str) -> Reference:
    references = Library.from_bibtex(text).references
    assert len(references) == 1
    return references[0]


def test_reads_a_journal_article() -> None:
    """Every standard field of an article lands in the right Reference field."""
    ref = only(SEED_ENTRY)
    assert ref.key == "rotunda2006mesotherapy"
    assert ref.type == "article-journal"
    assert [p.family for p in ref.authors] == ["Rotunda", "Kolodney"]
    assert ref.authors[0].given == "Adam M."
    assert ref.container_title == "Dermatologic Surgery"
    assert ref.issued == PartialDate(year=2006, month=4)
    assert (ref.volume, ref.issue, ref.pages) == ("32", "4", "465-480")
    assert ref.doi == "10.1111/j.1524-4725.2006.32100.x"
    assert ref.pmid == "16681654"


def test_written_form_is_stable() -> None:
    """A tidy entry is written back byte for byte."""
    assert tidy_bibtex(SEED_ENTRY) == SEED_ENTRY


@pytest.mark.parametrize(
    ("month", "expected"),
    [("apr", 4), ("{April}", 4), ('"4"', 4), ("{4}", 4), ("{avril}", 4), ("dec", 12)],
    ids=["macro", "name", "quoted-number", "braced-number", "french", "december"],
)
def test_months_in_any_form_become_numbers(month: str, expected: int) -> None:
    """Month macros, names and numbers are all read as the month number."""
    ref = only(f"@article{{k, title={{T}}, year={{2001}}, month={month}}}")
    assert ref.issued == PartialDate(year=2001, month=expected)


def test_month_is_written_as_macro() -> None:
    """Months are written as the unbraced three-letter macro."""
    text = Library(
        [Reference(key="k", title="T", issued=PartialDate(year=2001, month=9))]
    ).to_bibtex()
    assert "month = sep\n" in text


def test_unreadable_month_is_kept() -> None:
    """A month we cannot read is kept verbatim instead of dropped."""
    ref = only("@article{k, title={T}, year={2001}, month={Spring}}")
    assert ref.issued == PartialDate(year=2001)
    assert ref.extra["month"] == "Spring"


def test_biblatex_fields_are_read() -> None:
    """journaltitle, date, location and eprint with eprinttype are understood."""
    ref = only(
        "@article{k, title={T}, journaltitle={J}, date={2019-07-03}, location={Paris},"
        " eprint={1706.03762}, eprinttype={arxiv}}"
    )
    assert ref.container_title == "J"
    assert ref.issued == PartialDate(year=2019, month=7, day=3)
    assert ref.publisher_place == "Paris"
    assert ref.arxiv == "1706.03762"


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ("Rotunda, Adam M.", [Person(family="Rotunda", given="Adam M.")]),
        ("Adam M. Rotunda", [Person(family="Rotunda", given="Adam M.")]),
        ("van der Berg, Jan", [Person(family="Berg", given="Jan", particle="van der")]),
        ("Jean de la Fontaine", [Person(family="Fontaine", given="Jean", particle="de la")]),
        ("King, Jr, Martin", [Person(family="King", given="Martin", suffix="Jr")]),
        ("{World Health Organization}", [Person(literal="World Health Organization")]),
        (
            r"M{\"u}ller, Hans and Others",
            [Person(family="Müller", given="Hans"), Person(family="Others")],
        ),
        (r"Garc{\'\i}a M{\'a}rquez, Gabriel", [Person(family="García Márquez", given="Gabriel")]),
    ],
    ids=[
        "family-given",
        "given-family",
        "von",
        "von-first",
        "jr",
        "organisation",
        "accent",
        "two-word-family",
    ],
)
def test_names_are_split_as_bibtex_does(names: str, expected: list[Person]) -> None:
    """Name lists follow BibTeX's rules and come out in Unicode."""
    assert only(f"@article{{k, author={{{names}}}, title={{T}}}}").authors == expected


def test_organisation_is_double_braced() -> None:
    """An organisation author is written as one braced unit."""
    ref = Reference(key="k", title="T", authors=[Person(literal="World Health Organization")])
    assert "author = {{World Health Organization}}" in Library([ref]).to_bibtex()


def test_names_are_written_family_first() -> None:
    """Names are written ``Family, Given and ...`` with particles before the family."""
    ref = Reference(
        key="k",
        title="T",
        authors=[
            Person(family="Berg", given="Jan", particle="van der"),
            Person(family="Amin", given="S. P."),
        ],
    )
    assert "author = {van der Berg, Jan and Amin, S. P.}" in Library([ref]).to_bibtex()


@pytest.mark.parametrize(
    ("title", "written"),
    [
        ("The DNA of mice", "The {DNA} of mice"),
        ("Using mRNA in iPhone apps", "Using {mRNA} in {iPhone} apps"),
        (
            "Mesotherapy practice in Brazil and France since the eighties",
            "Mesotherapy practice in {Brazil} and {France} since the eighties",
        ),
        ("Mesotherapy: What Is It? Does It Work?", "Mesotherapy: What Is It? Does It Work?"),
        ("Mesotherapy for Body Contouring", "Mesotherapy for Body Contouring"),
        ("Effects of $\\alpha$-helix on COVID-19", "Effects of $\\alpha$-helix on {COVID-19}"),
    ],
    ids=[
        "acronym",
        "inner-capitals",
        "proper-nouns-in-sentence-case",
        "title-case",
        "title-case-2",
        "math-and-acronym",
    ],
)
def test_titles_protect_only_what_needs_it(title: str, written: str) -> None:
    """Acronyms, inner capitals and proper nouns are braced; whole titles never."""
    text = Library([Reference(key="k", title=title)]).to_bibtex()
    assert f"title = {{{written}}}" in text


def test_protection_does_not_accumulate() -> None:
    """Reading and writing a protected title again adds no braces; the user's are kept."""
    once = tidy_bibtex("@article{k, title={{{The {DNA} of {Bayesian} mice}}}}")
    assert tidy_bibtex(once) == once
    assert "title = {{{The {DNA} of {Bayesian} mice}}}" in once
    fresh = tidy_bibtex("@article{k, title={The DNA of mice}}")
    assert "title = {The {DNA} of mice}" in fresh
    assert tidy_bibtex(fresh) == fresh


def test_user_protection_is_kept() -> None:
    """A word the user braced stays braced even when our rules would not brace it."""
    text = tidy_bibtex("@article{k, title={A {Bayesian} View Of Things}}")
    assert "{Bayesian}" in text


def test_math_stays_math() -> None:
    """Math in a title is read and written verbatim."""
    ref = only(r"@article{k, title={Measuring $\alpha$ and $H_2O$}}")
    assert ref.title == r"Measuring $\alpha$ and $H_2O$"
    assert r"$\alpha$" in Library([ref]).to_bibtex()


def test_broken_entry_is_kept_and_reported() -> None:
    """One broken entry among good ones is kept verbatim and reported with its line."""
    text = "@article{a, title={A}}\n\n@article{b, title={broken\n\n@article{c, title={C}}\n"
    library = Library.from_bibtex(text, "refs.bib")
    assert [r.key for r in library.references] == ["a", "c"]
    assert [p.line for p in library.problems] == [3]
    assert str(library.problems[0]).startswith("refs.bib:3: could not parse entry")
    assert "@article{b, title={broken" in library.to_bibtex()


def test_duplicate_keys_are_reported_and_kept() -> None:
    """A second entry with the same key is kept, reported and not renamed."""
    library = Library.from_bibtex("@article{a, title={One}}\n@book{a, title={Two}}\n")
    assert [r.title for r in library.references] == ["One", "Two"]
    assert library.problems[0].kind == "duplicate-key"
    written = library.to_bibtex()
    assert written.count("{a,") == 2


def test_strings_and_concatenation_are_resolved() -> None:
    """@string macros and # concatenation become the plain value; the macro is kept."""
    library = Library.from_bibtex(
        '@string{ds = "Dermatologic"}\n@article{k, journal = ds # " Surgery"}'
    )
    assert library.references[0].container_title == "Dermatologic Surgery"
    assert isinstance(library.items[0], Verbatim)


def test_unknown_fields_are_kept_verbatim() -> None:
    """Fields we do not model survive a round trip untouched."""
    text = tidy_bibtex(r"@article{k, title={T}, file={:C\:/papers/x.pdf:PDF}, keywords={a, b}}")
    assert r"file = {:C\:/papers/x.pdf:PDF}" in text
    assert "keywords = {a, b}" in text


def test_truncated_field_is_never_written_as_whole() -> None:
    """A truncated venue keeps its ellipsis and a marker, and reads back truncated."""
    ref = Reference(
        key="k", title="T", container_title="Plastic and", truncated=frozenset({"container_title"})
    )
    text = Library([ref]).to_bibtex()
    assert r"journal = {Plastic and\ldots{}}" in text
    back = only(text)
    assert back.container_title == "Plastic and"
    assert back.truncated == frozenset({"container_title"})


def test_comments_and_preamble_survive() -> None:
    """Comments and @preamble blocks are written back where they were."""
    text = '% my library\n@preamble{"\\newcommand{\\x}{y}"}\n@article{k, title={T}}\n'
    out = tidy_bibtex(text)
    assert out.index("% my library") < out.index("@preamble") < out.index("@article")


def test_missing_keys_are_assigned_existing_kept() -> None:
    """Entries without a key get familyYEARword; existing keys are untouched."""
    text = (
        "@article{, author={Amin, S.}, title={Mesotherapy for skin}, year=2006}\n"
        "@article{Mine, title={X}}"
    )
    library = Library.from_bibtex(text).with_keys()
    assert library.keys() == ["amin2006mesotherapy", "Mine"]


def test_write_then_read_is_identity_for_models() -> None:
    """Writing references and reading them back gives the same references."""
    refs = [
        Reference(
            key="k1",
            title="Über Größe – eine Studie",
            authors=[Person(family="Ødegård", given="Åse")],
            issued=PartialDate(year=1999, month=12),
            container_title="Zeitschrift für Tests",
            volume="3",
            issue="2",
            pages="10-20",
            doi="10.1000/xyz",
            publisher="Springer & Sons",
        ),
        Reference(
            key="k2",
            type="book",
            title="A Book",
            editors=[Person(family="Ed", given="A.")],
            publisher="Pub",
            publisher_place="Paris",
            isbn="9780306406157",
        ),
        Reference(
            key="k3",
            type="thesis",
            title="A thesis",
            authors=[Person(family="Doe")],
            publisher="MIT",
            genre="PhD thesis",
        ),
    ]
    assert Library.from_bibtex(write_bibtex(refs)).references == refs


def test_read_bibtex_never_raises_on_garbage() -> None:
    """Garbage input gives problems or comments, not exceptions."""
    document = read_bibtex("@@@ {{{ }}} @article{ , , = }\x00\x01")
    assert isinstance(document.items, list)


def test_truncated_author_list_is_written_with_and_others() -> None:
    """A cut-off author list ends in BibTeX's ``and others`` and reads back truncated."""
    ref = Reference(
        key="k",
        title="T",
        authors=[Person(family="Matarasso", given="A.")],
        truncated=frozenset({"authors"}),
    )
    text = Library([ref]).to_bibtex()
    assert "author = {Matarasso, A. and others}" in text
    assert only(text) == ref


def test_and_others_in_user_file_marks_authors_truncated() -> None:
    """A user's ``and others`` is read as an incomplete author list, not as a person."""
    ref = only("@article{k, author={Amin, S. P. and others}, title={T}}")
    assert [p.family for p in ref.authors] == ["Amin"]
    assert "authors" in ref.truncated
