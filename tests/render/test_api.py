"""The public rendering API: styles, locales, outputs, keys and libraries."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.errors import RenderError
from mesorefs.models import PartialDate, Person, Reference
from mesorefs.render import (
    Citation,
    CiteItem,
    find_style,
    format_bibliography,
    format_citation,
    format_citations,
    format_document,
    style_names,
)


def _book(key: str, family: str, year: int, title: str = "A book") -> Reference:
    return Reference(
        key=key,
        type="book",
        title=title,
        authors=[Person(family=family, given="Ann")],
        issued=PartialDate(year=year),
        publisher="Press",
    )


def test_unknown_style_is_a_one_line_render_error() -> None:
    """An unknown style name raises RenderError naming the style, on one line."""
    with pytest.raises(RenderError, match="no-such-style") as info:
        format_bibliography([_book("a", "Ames", 2001)], style="no-such-style")
    assert "\n" not in str(info.value)


def test_missing_style_file_is_a_render_error(tmp_path: Path) -> None:
    """A path to a .csl file that does not exist raises RenderError."""
    with pytest.raises(RenderError, match="not found"):
        find_style(str(tmp_path / "missing.csl"))


def test_style_by_path(tmp_path: Path) -> None:
    """A style given as a path to a .csl file renders like the same style by name."""
    copy = tmp_path / "mine.csl"
    copy.write_text(find_style("apa").xml, encoding="utf-8")
    refs = [_book("a", "Ames", 2001)]
    assert format_bibliography(refs, style=str(copy)) == format_bibliography(refs, style="apa")


def test_dependent_style_resolves_to_parent() -> None:
    """'vancouver' is a dependent style; it renders with its independent parent."""
    style = find_style("vancouver")
    assert style.path.stem == "nlm-citation-sequence"
    assert "vancouver" in style_names()


def test_bad_locale_is_a_render_error() -> None:
    """A locale CSL does not know raises RenderError."""
    with pytest.raises(RenderError, match="xx-QQ"):
        format_bibliography([_book("a", "Ames", 2001)], locale="xx-QQ")


def test_locale_changes_terms() -> None:
    """A German locale writes German terms ('Hrsg.' for editors)."""
    ref = Reference(
        key="e",
        type="book",
        title="Ein Buch",
        editors=[Person(family="Ames", given="Ann")],
        issued=PartialDate(year=2001),
        publisher="Verlag",
    )
    (entry,) = format_bibliography([ref], style="apa", locale="de-DE")
    assert "Hrsg." in entry


def test_unknown_output_is_a_render_error() -> None:
    """An output other than text, html, markdown or latex raises RenderError."""
    with pytest.raises(RenderError, match="pdf"):
        format_bibliography([_book("a", "Ames", 2001)], output="pdf")  # type: ignore[arg-type]


def test_empty_bibliography() -> None:
    """No references, no entries (and no engine run)."""
    assert format_bibliography([]) == []


def test_bibliography_is_sorted_as_the_style_says() -> None:
    """APA sorts by author; IEEE numbers in the order given."""
    refs = [_book("z", "Zed", 2001), _book("a", "Ames", 2002)]
    apa = format_bibliography(refs, style="apa")
    assert apa[0].startswith("Ames") and apa[1].startswith("Zed")
    ieee = format_bibliography(refs, style="ieee")
    assert ieee[0].startswith("[1] A. Zed") and ieee[1].startswith("[2] A. Ames")


def test_citation_by_key_from_a_mapping() -> None:
    """Keys are looked up in a mapping key -> Reference."""
    lib = {"a": _book("a", "Ames", 2001), "b": _book("b", "Bell", 2002)}
    assert format_citation(["a", "b"], style="apa", library=lib) == "(Ames, 2001; Bell, 2002)"
    assert format_citation("a", style="apa", library=lib) == "(Ames, 2001)"


def test_citation_by_key_from_references() -> None:
    """Keys are looked up among References given as a plain list."""
    lib = [_book("a", "Ames", 2001)]
    assert format_citation("a", library=lib) == "(Ames, 2001)"


def test_citation_of_a_reference() -> None:
    """A Reference can be cited directly, without a library."""
    assert format_citation(_book("a", "Ames", 2001), style="ieee") == "[1]"


def test_unknown_key_is_a_render_error() -> None:
    """A key missing from the library raises RenderError naming the key."""
    with pytest.raises(RenderError, match="'nope'"):
        format_citation(["nope"], library={})
    with pytest.raises(RenderError, match="no library"):
        format_citation(["nope"])


def test_empty_citation_is_a_render_error() -> None:
    """A citation that cites nothing raises RenderError."""
    with pytest.raises(RenderError, match="at least one"):
        format_document([[]])


def test_document_bibliography_lists_only_cited_works() -> None:
    """A document's bibliography holds the works it cites and numbers them by first citation."""
    lib = {
        k: _book(k, name, 2000 + i)
        for i, (k, name) in enumerate([("a", "Ames"), ("b", "Bell"), ("c", "Cole")])
    }
    doc = format_document([["c"], ["a", "c"]], style="ieee", library=lib)
    assert doc.citations == ["[1]", "[1], [2]"]
    assert [e.split(",")[0] for e in doc.bibliography] == ["[1] A. Cole", "[2] A. Ames"]
    assert format_document([], library=lib).bibliography == []


def test_same_reference_twice_is_one_entry() -> None:
    """Citing the same Reference twice makes one entry."""
    ref = _book("a", "Ames", 2001)
    doc = format_document([[ref], [ref]], style="apa")
    assert len(doc.bibliography) == 1


def test_references_without_keys() -> None:
    """References need no key to be rendered."""
    ref = _book("a", "Ames", 2001).model_copy(update={"key": None})
    assert format_citation(ref) == "(Ames, 2001)"


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("text", "Ames, A. (2001). A book. Press."),
        ("html", "Ames, A. (2001). <i>A book</i>. Press."),
        ("markdown", "Ames, A. (2001). *A book*. Press."),
        ("latex", r"Ames, A. (2001). \emph{A book}. Press."),
    ],
    ids=["text", "html", "markdown", "latex"],
)
def test_outputs(output: str, expected: str) -> None:
    """Each output marks the title's italics in its own syntax."""
    assert format_bibliography([_book("a", "Ames", 2001)], output=output) == [expected]  # type: ignore[arg-type]


_LINKED = {
    "html": (
        'Ames, A. (2001). <i>A book</i>. Press. <a href="https://doi.org/10.1/Ab">'
        "https://doi.org/10.1/Ab</a>"
    ),
    "markdown": "Ames, A. (2001). *A book*. Press. <https://doi.org/10.1/Ab>",
    "latex": r"Ames, A. (2001). \emph{A book}. Press. \url{https://doi.org/10.1/Ab}",
}


@pytest.mark.parametrize("output", ["html", "markdown", "latex"])
@pytest.mark.parametrize("links", [False, True], ids=["plain", "links"])
def test_links_only_when_asked(output: str, links: bool) -> None:
    """A DOI is the style's text, as citeproc-js writes it, unless links are asked for;
    then it is a link in the output's syntax (the DOI's case as written)."""
    ref = _book("a", "Ames", 2001).model_copy(update={"doi": "10.1/Ab"})
    entries = format_bibliography([ref], output=output, links=links)  # type: ignore[arg-type]
    if links:
        assert entries == [_LINKED[output]]
    else:
        assert entries[0].endswith("Press. https://doi.org/10.1/Ab")


@pytest.mark.parametrize("links", [False, True], ids=["plain", "links"])
def test_links_in_a_note_citation(links: bool) -> None:
    """The option holds for citations too: a note style's citation prints the DOI."""
    ref = _book("a", "Ames", 2001).model_copy(update={"doi": "10.1/Ab"})
    note = format_citation(ref, "chicago-notes-bibliography", output="html", links=links)
    doi = "https://doi.org/10.1/Ab"
    assert note.endswith(f'<a href="{doi}">{doi}</a>.' if links else f"{doi}.")


def _board(year: int) -> Reference:
    return Reference(
        type="article-journal",
        title="Editorial Board",
        container_title="Fire Safety Journal",
        issued=PartialDate(year=year),
    )


def _essay(title: str) -> Reference:
    return Reference(
        type="book",
        title=title,
        authors=[Person(family="Okonkwo", given="Chinedu")],
        issued=PartialDate(year=1999),
    )


@pytest.mark.parametrize("document", [False, True], ids=["bibliography", "document"])
def test_only_names_are_substituted(document: bool) -> None:
    """MLA's ——— stands for repeated names, never for a title standing in for them."""
    refs = [_board(1980), _board(1981), _essay("Alpha"), _essay("Beta")]
    if document:
        entries = format_document([[r] for r in refs], "modern-language-association").bibliography
    else:
        entries = format_bibliography(refs, "modern-language-association")
    assert [e.split(".")[0] for e in entries] == [
        "“Editorial Board",
        "“Editorial Board",
        "Okonkwo, Chinedu",
        "———",
    ]


_SARTRE = Person(family="Sartre", given="Jean")
_MARQUEZ = Person(family="Marquez", given="Gabo")
_ZED = Person(family="Zed", given="A")


def _work(title: str, year: int, authors: list[Person], editors: list[Person]) -> Reference:
    return Reference(
        type="book", title=title, authors=authors, editors=editors, issued=PartialDate(year=year)
    )


@pytest.mark.parametrize(
    ("works", "expected"),
    [
        (
            [([_SARTRE, _MARQUEZ], []), ([_SARTRE, _MARQUEZ], [])],
            ["Sartre, Jean, and Gabo Marquez. A. 2000.", "———. B. 2001."],
        ),
        (
            [([_SARTRE, _MARQUEZ, _ZED], []), ([_SARTRE], [])],
            ["Sartre, Jean, et al. A. 2000.", "———. B. 2001."],
        ),
        (
            [([_SARTRE], []), ([_SARTRE, _MARQUEZ, _ZED], [])],
            ["Sartre, Jean. A. 2000.", "———. B. 2001."],
        ),
        (
            [([], [_SARTRE, _MARQUEZ]), ([], [_SARTRE, _MARQUEZ])],
            [
                "Sartre, Jean, and Gabo Marquez, editors. A. 2000.",
                "Sartre, Jean, and Gabo Marquez, editors. B. 2001.",
            ],
        ),
        (
            [([_SARTRE, _MARQUEZ], []), ([], [_SARTRE, _MARQUEZ]), ([_SARTRE, _MARQUEZ], [])],
            [
                "Sartre, Jean, and Gabo Marquez. A. 2000.",
                "Sartre, Jean, and Gabo Marquez, editors. B. 2001.",
                "———. C. 2002.",
            ],
        ),
    ],
    ids=["same-names", "et-al-hides-the-rest", "et-al-after-one", "editors", "editors-skipped"],
)
def test_subsequent_authors_as_citeproc_js_substitutes(
    works: list[tuple[list[Person], list[Person]]], expected: list[str]
) -> None:
    """MLA's ——— replaces the names an entry prints, "et al." included, when they repeat
    the previous author-led entry's; entries led by editors take no part (as citeproc-js)."""
    refs = [
        _work(chr(ord("A") + i), 2000 + i, authors, editors)
        for i, (authors, editors) in enumerate(works)
    ]
    assert format_bibliography(refs, "modern-language-association") == expected


def test_citations_carry_locators_affixes_and_author_modes() -> None:
    first = Reference(
        key="smith", type="book", title="A Book",
        authors=[Person(family="Smith", given="Jane")], issued=PartialDate(year=2005),
    )  # fmt: skip
    second = Reference(
        key="roe", type="book", title="B Book",
        authors=[Person(family="Roe", given="Ann")], issued=PartialDate(year=2010),
    )  # fmt: skip
    document = format_citations(
        [
            [CiteItem(first, locator="23", prefix="see")],
            Citation([CiteItem("roe", suppress_author=True)]),
            [CiteItem(first, locator="4", label="chapter", suffix=", emphasis added")],
        ],
        style="apa",
        library=[first, second],
    )
    assert document.citations == [
        "(see Smith, 2005, p. 23)",
        "(2010)",
        "(Smith, 2005, Chapter 4, emphasis added)",
    ]
    assert len(document.bibliography) == 2


def test_a_cite_cannot_both_suppress_and_show_its_author() -> None:
    ref = Reference(key="k", title="T", authors=[Person(family="Roe")])
    with pytest.raises(RenderError, match="both suppress"):
        format_citations([[CiteItem(ref, suppress_author=True, author_in_text=True)]])


_DATE_ONLY = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Date only</title><id>date-only</id>
    <updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout>
    <date variable="issued" form="text" date-parts="year"/></layout></citation>
  <bibliography><layout>
    <date variable="issued" form="text" date-parts="year"/></layout></bibliography>
</style>"""


def test_a_work_the_style_prints_nothing_for(tmp_path: Path) -> None:
    """Its citation says so, in citeproc-js's words, and it has no empty entry."""
    style = tmp_path / "date-only.csl"
    style.write_text(_DATE_ONLY, encoding="utf-8")
    undated = _book("u", "Ames", 2001).model_copy(update={"issued": None})
    document = format_document([[undated], [_book("d", "Bell", 1999)]], str(style))
    assert document.citations == ["[CSL STYLE ERROR: reference with no printed form.]", "1999"]
    assert document.bibliography == ["1999"]
    assert format_bibliography([undated, _book("d", "Bell", 1999)], str(style)) == ["1999"]


@pytest.mark.parametrize(
    ("locale", "label", "expected"),
    [
        ("de-DE", "page", "(Ames, 2001, S. 100)"),
        ("de-DE", "chapter", "(Ames, 2001, Kapitel 3)"),
        ("en-US", "page", "(Ames, 2001, p. 100)"),
        ("fr-FR", "chapter", "(Ames, 2001, Chapitre 3)"),
    ],
    ids=["de-page", "de-chapter", "en-page", "fr-chapter"],
)
def test_locators_in_the_citations_language(locale: str, label: str, expected: str) -> None:
    """A locator's label is the locale's word for it ("S. 100"), not English "p. 100"."""
    locator = "100" if label == "page" else "3"
    cite = CiteItem(_book("a", "Ames", 2001), locator=locator, label=label)
    assert format_citations([[cite]], "apa", locale=locale).citations == [expected]


@pytest.mark.parametrize("style", ["apa", "modern-language-association"])
def test_sort_keys_written_in_parts_give_the_same_order(
    style: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long bibliography's sort keys come from several engine runs; the order is the
    one a single run gives."""
    families = ["Ôsterberg", "O'Brien", "Obrien", "van Dijk", "Dijk", "Ames", "ames", "Zed"]
    refs = [_book(f"k{n}", family, 2000 + n % 3) for n, family in enumerate(families)]
    whole = format_bibliography(refs, style)
    monkeypatch.setattr("mesorefs.render.pipeline._KEY_CHUNK", 2)
    assert format_bibliography(refs, style) == whole
