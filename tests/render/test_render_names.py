"""Names as citeproc-js writes them (render/names.py)."""

from __future__ import annotations

import pytest

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.render import fixes, format_bibliography, format_document
from mesorefs.render import name_fixes as names
from mesorefs.render import pandoc as engine
from mesorefs.render.standins import GIVEN_SHOWN, NAME_APART, WHOLE_GIVEN_CLOSE, WHOLE_GIVEN_OPEN
from mesorefs.render.styles import find_style
from mesorefs.render.writers import Output, write_blocks


@pytest.mark.parametrize(
    ("style", "given"),
    [("vancouver", "Min jun"), ("american-medical-association", "M. O."), ("apa", "M.-O.")],
    ids=["vancouver", "ama", "apa-keeps-hyphen"],
)
def test_given_name_hyphens_where_initials_drop_them(style: str, given: str) -> None:
    """Under initialize-with-hyphen="false" the hyphen goes before the engine sees the name."""
    original = "Min-jun" if style == "vancouver" else "M.-O."
    author = {"family": "Lee", "given": original}
    (item,) = fixes.prepare_items([{"id": "x", "author": [author]}], find_style(style))
    assert item["author"][0]["given"] == given


@pytest.mark.parametrize(
    ("style", "suffix"),
    [("vancouver", "Jr"), ("american-medical-association", "Jr"), ("apa", "Jr.")],
    ids=["vancouver", "ama", "apa"],
)
def test_suffix_loses_its_period_where_initials_have_none(style: str, suffix: str) -> None:
    """Styles that write initials without periods write ``Jr`` too; others keep ``Jr.``."""
    author = {"family": "Gates", "given": "Henry Louis", "suffix": "Jr."}
    (item,) = fixes.prepare_items([{"id": "x", "author": [author]}], find_style(style))
    assert item["author"][0]["suffix"] == suffix
    assert author["suffix"] == "Jr."  # the caller's item is not changed


def _with_institution(persons: list[str]) -> Reference:
    people = [Person(family=f, given="Chinedu") for f in persons]
    return Reference(
        type="webpage",
        title="Guidelines",
        authors=[*people, Person(literal="World Health Organization")],
        issued=PartialDate(year=1955),
    )


@pytest.mark.parametrize(
    ("style", "persons", "expected"),
    [
        ("apa", ["Okonkwo"], "Okonkwo, C. & World Health Organization"),
        ("apa", ["Okonkwo", "Lee"], "Okonkwo, C., Lee, C., & World Health Organization"),
        ("nature", ["Okonkwo", "Lee"], "Okonkwo, C., Lee, C., & World Health Organization"),
        ("chicago-author-date", ["Okonkwo"], "Okonkwo, Chinedu and World Health Organization"),
    ],
    ids=["apa-two", "apa-three", "nature-three", "chicago-two"],
)
def test_an_institution_ending_the_names(style: str, persons: list[str], expected: str) -> None:
    """Before an institution that ends the names, a comma goes with "and" only from three names."""
    (entry,) = format_bibliography([_with_institution(persons)], style)
    assert expected in entry


@pytest.mark.parametrize("output", ["text", "html"])
def test_join_institutions_formats(output: Output) -> None:
    amp = "&amp;" if output == "html" else "&"
    tails = [("R & D Team", 2)]
    name = "R &amp; D Team" if output == "html" else "R & D Team"
    rendered = f"Lee, M., {amp} {name}. Title."
    assert names.join_institutions(rendered, tails, output) == f"Lee, M. {amp} {name}. Title."


@pytest.mark.parametrize(
    ("style", "given", "expected"),
    [
        ("chicago-author-date", "M.-O.", "Han, M. O., and M. O. Cho."),
        ("modern-language-association", "Z.-J", "Han, Z. J., and Z. J. Cho."),
        ("chicago-author-date", "Jean-Paul", "Han, Jean-Paul, and Jean-Paul Cho."),
        ("apa", "M.-O.", "Han, M.-O., & Cho, M.-O."),
    ],
    ids=["chicago", "mla-no-final-period", "not-initials", "apa-initializes"],
)
def test_hyphenated_initials_where_names_are_not_initialized(
    style: str, given: str, expected: str
) -> None:
    """Where every full name is printed with initialize="false", citeproc-js writes
    hyphenated initials apart; a given name added to a citation stays as written."""
    ref = Reference(
        type="book",
        title="T",
        authors=[Person(family="Han", given=given), Person(family="Cho", given=given)],
        issued=PartialDate(year=2000),
    )
    (entry,) = format_bibliography([ref], style)
    assert entry.startswith(expected)


def test_a_given_name_added_to_a_citation_keeps_its_hyphen() -> None:
    def han(given: str, title: str) -> Reference:
        return Reference(
            type="book",
            title=title,
            authors=[Person(family="Han", given=given)],
            issued=PartialDate(year=2000),
        )

    doc = format_document([[han("M.-O.", "A")], [han("J.", "B")]], "chicago-author-date")
    assert doc.citations[0] == "(M.-O. Han 2000)"
    assert doc.bibliography[0].startswith("Han, J.")
    assert doc.bibliography[1].startswith("Han, M. O.")


@pytest.mark.parametrize(
    ("style", "citations", "first_words"),
    [
        ("apa", ["(de la Cruz, 2000)", "(Cruz, 2001)"], ["Beck,", "Cruz,", "Dalton,", "de"]),
        (
            "modern-language-association",
            ["(de la Cruz)", "(Cruz)"],
            ["Beck,", "Cruz,", "Dalton,", "de"],
        ),
    ],
    ids=["apa", "mla"],
)
def test_a_particle_that_is_never_demoted_is_part_of_the_family_name(
    style: str, citations: list[str], first_words: list[str]
) -> None:
    """Where the style never demotes "de la", "de la Cruz" is neither "Cruz" (no initials
    added to tell them apart) nor sorted under C, as citeproc-js renders it."""
    refs = [
        Reference(
            type="book",
            title=title,
            authors=[Person(family=family, given=given, particle=particle)],
            issued=PartialDate(year=year),
        )
        for title, family, given, particle, year in [
            ("X", "Cruz", "María José", "de la", 2000),
            ("Y", "Cruz", "Maria", None, 2001),
            ("Z", "Dalton", "Al", None, 2001),
            ("W", "Beck", "Al", None, 2001),
        ]
    ]
    doc = format_document([[r] for r in refs], style=style)
    assert doc.citations[:2] == citations
    assert [e.split()[0] for e in doc.bibliography] == first_words


def _people(*people: tuple[str, str]) -> list[dict[str, str]]:
    return [{"family": f, "given": g} for f, g in people]


_JANE, _JOHN, _LEE = ("Smith", "Jane"), ("Smith", "John"), ("Lee", "Ann")
_MARKED_JANE = f"{WHOLE_GIVEN_OPEN}Jane{WHOLE_GIVEN_CLOSE}."


@pytest.mark.parametrize(
    ("names_of", "whole"),
    [
        ({"author": _people(_JANE, _JOHN)}, {("author", 0), ("author", 1)}),
        ({"author": _people(_JANE, ("Smith", "Bob"))}, set()),
        ({"author": _people(_JANE, ("Smith", "J."))}, {("author", 0), ("author", 1)}),
        ({"author": _people(_JANE, ("SMITH", "John"))}, set()),
        ({"editor": _people(_JANE, _JOHN)}, {("editor", 0), ("editor", 1)}),
        ({"author": _people(_JOHN, _LEE), "editor": _people(_JANE)}, {("editor", 0)}),
        ({"author": _people(_LEE), "editor": _people(_JANE, _JOHN)}, {("editor", 1)}),
    ],
    ids=[
        "same-initials",
        "other-initials",
        "initials-as-written",
        "family-case-counts",
        "cited-editors",
        "editor-after-cited-author",
        "uncited-list-name-by-name",
    ],
)
def test_names_harvard_writes_in_full(
    names_of: dict[str, list[dict[str, str]]], whole: set[tuple[str, int]]
) -> None:
    """Fix 7: the given names citeproc-js writes in full are marked for the engine."""
    style_xml = find_style("harvard-cite-them-right").xml
    item = names.whole_given_names({"id": "x", **names_of}, style_xml)
    marked = {
        (variable, k)
        for variable in names_of
        for k, name in enumerate(item[variable])
        if name["given"] != names_of[variable][k]["given"]
    }
    assert marked == whole


@pytest.mark.parametrize(
    "style",
    ["apa", "chicago-author-date", "modern-language-association", "vancouver"],
    ids=str,
)
def test_no_names_marked_where_given_names_are_not_added_by_cite_to_initials(
    style: str,
) -> None:
    """Fix 7 needs both: given names added by cite (not a global rule, not absent) and
    full names initialised."""
    item = {"id": "x", "author": _people(_JANE, _JOHN)}
    assert names.whole_given_names(item, find_style(style).xml) is item


@pytest.mark.parametrize(
    ("given", "initials"),
    [("Jane", "J."), ("Mary Ann", "M. A."), ("Jean-Paul", "J.-P."), ("Rod J.", "R. J.")],
    ids=["one-word", "two-words", "hyphen", "period"],
)
def test_a_marked_given_name_comes_back_whole_from_the_engine(given: str, initials: str) -> None:
    """Both names are written as given (citeproc-js: "Smith, Mary Ann and Smith, M. A.")."""
    style = find_style("harvard-cite-them-right")
    authors = [{"family": "Smith", "given": given}, {"family": "Smith", "given": initials}]
    item = {"id": "x", "type": "book", "title": "T", "author": authors}
    marked = names.whole_given_names(item, style.xml)
    result = engine.run([marked], [], style.xml, "en-GB", nocite=["x"])
    rendered = names.written_whole(write_blocks(result.bibliography[0][1], "text"), style.xml)
    assert fixes.finish(rendered, "text") == f"Smith, {given} and Smith, {initials} (no date) T."


def _book(title: str, *people: tuple[str, str], **lists: list[dict[str, str]]) -> Reference:
    item = {"id": title, "type": "book", "title": title, "author": _people(*people), **lists}
    return Reference.from_csl({**item, "issued": {"date-parts": [[2000]]}})


_KIMS = [
    _book("A", ("Kim", "Jae"), ("Kim", "Jin")),
    _book("B", ("Kim", "Jae"), ("Kim", "Jin")),
    _book("C", ("Kim", "Min"), ("Kim", "Soo")),
]


@pytest.mark.parametrize(
    ("refs", "expected"),
    [
        ([_book("A", _JANE, _JOHN)], ["Smith, Jane and Smith, John (2000) A."]),
        (
            [_book("B", _JOHN, _LEE, editor=_people(_JANE))],
            ["Smith, J. and Lee, A. (2000) B. Edited by Jane Smith."],
        ),
        (
            [_book("C", _LEE, editor=_people(_JANE, _JOHN))],
            ["Lee, A. (2000) C. Edited by J. Smith and John Smith."],
        ),
        (
            _KIMS,
            [
                "Kim, J. and Kim, Jin (2000a) A.",
                "Kim, J. and Kim, Jin (2000b) B.",
                "Kim, M. and Kim, S. (2000) C.",
            ],
        ),
    ],
    ids=["same-initials", "editor-after-cited-author", "uncited-list", "lengthened-by-a-citation"],
)
def test_harvard_entries_write_names_in_full_as_citeproc_js_does(
    refs: list[Reference], expected: list[str]
) -> None:
    """Fix 7 in the entries; a name the citation's disambiguation lengthened to its
    initials ("J. Kim and Kim, 2000a") keeps them."""
    assert format_bibliography(refs, style="harvard-cite-them-right") == expected


def test_names_written_in_full_leave_the_citations_alone() -> None:
    """Marked names are new names to the engine's disambiguation: the citations, and an
    entry the marks would change otherwise, come from the unmarked run (citeproc-js:
    "(Smith, X, Z and V, 2000)", where the marks alone give "(J. Smith et al., 2000)")."""
    others = [("X", "Y"), ("Z", "W"), ("V", "U")]
    refs = [_book("A", _JANE, *others, _JOHN), _book("B", _JANE, *others)]
    document = format_document([[ref] for ref in refs], style="harvard-cite-them-right")
    assert document.citations[1] == "(Smith, X, Z and V, 2000)"
    assert document.bibliography[0] == "Smith, J., X, Y., Z, W. and V, U. (2000) B."
    kims = format_document([[ref] for ref in _KIMS], style="harvard-cite-them-right")
    assert kims.citations == [
        "(J. Kim and Kim, 2000a)",
        "(J. Kim and Kim, 2000b)",
        "(M. Kim and Kim, 2000)",
    ]


@pytest.mark.parametrize(
    ("written", "plain", "same"),
    [
        (f"Smith, {_MARKED_JANE} (2000a)", "Smith, J. (2000a)", True),
        (f"Smith, {_MARKED_JANE} (2000a)", "Smith, J. (2000b)", False),
        ("Smith, J. (2000)", "Smith, J. (2000)", True),
    ],
    ids=["but-for-the-name", "other-year-suffix", "unmarked"],
)
def test_whole_only(written: str, plain: str, same: bool) -> None:
    style_xml = find_style("harvard-cite-them-right").xml
    assert names.whole_only(written, plain, style_xml) is same


def test_lengthened_reads_the_probe() -> None:
    probe = f"Kim{NAME_APART}{GIVEN_SHOWN}J. Kim{NAME_APART}Lee"
    assert names.lengthened(probe) == frozenset({1})
