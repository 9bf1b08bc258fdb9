"""The output writers and the fixes around the engine, without running the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.render import (
    CiteItem,
    fixes,
    format_bibliography,
    format_citations,
    format_document,
    locator_fixes,
)
from mesorefs.render.standins import HYPHEN, PLURAL_SEEN, TERM_START
from mesorefs.render.styles import check_locale, find_style
from mesorefs.render.tree import Node
from mesorefs.render.writers import Output, write_blocks, write_inlines

_TRICKY: list[Node] = [
    {"t": "Str", "c": "A&B"},
    {"t": "Space"},
    {"t": "Emph", "c": [{"t": "Str", "c": "x_1*<y>"}]},
    {"t": "Space"},
    {"t": "Str", "c": "50%"},
]


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("text", "A&B x_1*<y> 50%"),
        ("html", "A&amp;B <i>x_1*&lt;y&gt;</i> 50%"),
        ("markdown", r"A&B *x\_1\*\<y\>* 50%"),
        ("latex", r"A\&B \emph{x\_1*<y>} 50\%"),
    ],
    ids=["text", "html", "markdown", "latex"],
)
def test_writers_escape_their_own_syntax(output: Output, expected: str) -> None:
    """Each writer escapes the characters its syntax would read as markup."""
    assert write_inlines(_TRICKY, output) == expected


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("text", "https://doi.org/10.1/x"),
        ("html", '<a href="https://doi.org/10.1/x">https://doi.org/10.1/x</a>'),
        ("markdown", "<https://doi.org/10.1/x>"),
        ("latex", r"\url{https://doi.org/10.1/x}"),
    ],
    ids=["text", "html", "markdown", "latex"],
)
def test_links(output: Output, expected: str) -> None:
    """A link whose text is its address is written as that address."""
    link: Node = {
        "t": "Link",
        "c": [
            ["", [], []],
            [{"t": "Str", "c": "https://doi.org/10.1/x"}],
            ["https://doi.org/10.1/x", ""],
        ],
    }
    assert write_inlines([link], output) == expected


def test_numbered_entry_text_has_one_space_after_the_number() -> None:
    """The number of a numbered entry is followed by exactly one space in text."""
    margin: Node = {"t": "Span", "c": [["", ["csl-left-margin"], []], [{"t": "Str", "c": "1."}]]}
    body: Node = {"t": "Span", "c": [["", ["csl-right-inline"], []], [{"t": "Str", "c": "Ames"}]]}
    assert write_blocks([{"t": "Para", "c": [margin, body]}], "text") == "1. Ames"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Why?", "Why\ue001"),
        ("Reaction after surgery", 'Reaction <span class="nocase">after</span> surgery'),
        ("After surgery: after all", "After surgery: after all"),
        ("Reading a ‘new world’", 'Reading <span class="nocase">a</span> \ue010new world\ue011'),
        ("Reading a 'new world'", "Reading <span class=\"nocase\">a</span> 'new world'"),
        ("O'Brien's view", "O'Brien's view"),
    ],
    ids=[
        "end-mark",
        "stop-word",
        "first-and-after-colon",
        "curly-single-quotes",
        "ascii-quotes-are-markup",
        "apostrophes",
    ],
)
def test_titles_prepared_for_the_engine(title: str, expected: str) -> None:
    """Titles reach the engine with end marks, single quotes and stop words protected."""
    (item,) = fixes.prepare_items([{"id": "x", "title": title}], find_style("apa"))
    assert item["title"] == expected


@pytest.mark.parametrize(
    ("style", "expected"),
    [("apa", "279–280"), ("american-medical-association", "279-280")],
    ids=["en-dash", "style-delimiter"],
)
def test_volume_range_takes_the_page_range_delimiter(style: str, expected: str) -> None:
    """A numeric volume range is written with the style's page-range delimiter."""
    (item,) = fixes.prepare_items([{"id": "x", "volume": "279-280"}], find_style(style))
    # a plain hyphen goes to the engine as a stand-in that still reads as a range
    shown = PLURAL_SEEN.sub("", item["volume"]).replace(HYPHEN, "-")
    assert shown == expected


def test_letter_prefixed_page_ranges_are_ranges() -> None:
    """Pages such as CO2-CO3 are a range for citeproc-js, so the engine gets them as one."""
    (item,) = fixes.prepare_items([{"id": "x", "page": "CO2-CO3"}], find_style("apa"))
    assert item["page"] == "CO2-CO3"
    ref = Reference(type="article-journal", title="Board", container_title="J", pages="CO2-CO2")
    (entry,) = format_bibliography([ref], "apa")
    assert "CO2–CO2" in entry


# the stand-in that tells the engine a page field kept as written holds several pages
_MORE_THAN_ONE = "\ue024-\ue024"


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("iii-iv", "iii–iv"),
        ("XII--XV", "XII–XV"),
        ("no-no", "no\ue020no"),
        ("306.1-306", "306.1\ue020306"),
        ("49-5655-49-5655", "49\ue0205655\ue02049–5655" + _MORE_THAN_ONE),
        ("512-507,1233", "512\ue020507\ue0211233" + _MORE_THAN_ONE),
        ("512-517,1233", "512–517\ue0211233" + _MORE_THAN_ONE),
    ],
    ids=[
        "roman",
        "roman-upper",
        "not-a-range",
        "decimal",
        "last-two-numbers",
        "backwards-range-in-a-formatting-style",
        "comma-parts",
    ],
)
def test_page_fields_prepared_for_the_engine(pages: str, expected: str) -> None:
    (item,) = fixes.prepare_items([{"id": "x", "page": pages}], find_style("apa"))
    assert item["page"] == expected


def test_an_issue_that_is_not_a_number_is_one_issue() -> None:
    """MLA writes "no. Suppl 2" like citeproc-js, not "nos. Suppl 2"."""
    ref = Reference(key="k", type="article-journal", title="T", container_title="J", issue="Sup 2")
    (entry,) = format_bibliography([ref], style="modern-language-association")
    assert "no. Sup 2" in entry


@pytest.mark.parametrize(
    ("rendered", "expected"),
    [
        ("“Why\ue001,” Journal", "“Why?,” Journal"),
        ("Why\ue001. Journal", "Why? Journal"),
        ("“Done\ue000.” Next", "“Done.” Next"),
        ("“Regarding ‘Type I’,” J", "“Regarding ‘Type I,’” J"),
    ],
    ids=["comma-kept", "period-dropped", "period-inside-quote", "nested-quote"],
)
def test_finish_restores_marks(rendered: str, expected: str) -> None:
    """Protected marks come back, with citeproc-js's punctuation rules."""
    assert fixes.finish(rendered, "text", "en-US") == expected


def test_label_without_name_gets_a_name_first() -> None:
    """A <names> with only a <label> gets an explicit <name/> before the label."""
    patched = fixes.prepare_style(find_style("american-medical-association"))
    assert '<name /><label form="short" prefix=", " />' in patched


@pytest.mark.parametrize(
    ("given", "expected"), [("en-us", "en-US"), ("de_DE", "de-DE"), ("fr", "fr")], ids=str
)
def test_locale_spelling(given: str, expected: str) -> None:
    """Locale tags are accepted in any case and with underscores."""
    assert check_locale(given) == expected


@pytest.mark.parametrize(
    ("style", "title", "expected"),
    [
        ("chicago-author-date", "Enema down-regulates VIP", "Enema Down-Regulates VIP"),
        ("chicago-author-date", "The consistent t-matrix method", "The Consistent T-Matrix Method"),
        ("chicago-author-date", "A bursin-like peptide", "A Bursin-like Peptide"),
        (
            "modern-language-association",
            "State-of-the-art on-chip sensing",
            "State-of-the-Art on-Chip Sensing",
        ),
        ("apa", "Enema down-regulates VIP", "Enema down-regulates VIP"),
        ("chicago-author-date", "Ethynediyl-bridged bis(silylene) complexes", "Bis(Silylene)"),
        ("modern-language-association", "Benzo[f]pyrazolo rings", "Benzo[f]Pyrazolo Rings"),
    ],
    ids=[
        "stop-word-first",
        "single-letter-first",
        "stop-word-after",
        "mla",
        "apa-as-given",
        "after-parenthesis",
        "after-bracket",
    ],
)
def test_hyphenated_words_in_title_case(style: str, title: str, expected: str) -> None:
    """Styles that title-case titles do it as citeproc-js does (see test_titlecase); a style
    that prints titles as given keeps them."""
    ref = Reference(type="article-journal", title=title, container_title="Journal")
    (entry,) = format_bibliography([ref], style)
    assert expected in entry


def test_title_cased_fields_read_from_a_rendered_probe() -> None:
    assert fixes.title_cased_fields("Probe, Pat. “Alpha Beta Gamma.” Delta Epsilon Zeta") == {
        "title",
        "container-title",
    }
    assert fixes.title_cased_fields("Probe P. alpha beta gamma. Delta Epsilon Zeta") == {
        "container-title"
    }
    cited = "(“Eta Theta Iota,” 2000)"
    assert fixes.title_cased_fields("Probe P. alpha beta gamma.", cited) == {"title-short"}


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("apa", "(“Ad #econdirectM (FTP File econdirectLMS.Zip),” 2003)"),
        ("chicago-author-date", "(“Ad #econdirectM (FTP File econdirectLMS.Zip)” 2003)"),
        ("ieee", "[1]"),
    ],
    ids=["apa", "chicago", "numbered"],
)
def test_a_title_standing_in_for_names_is_cased_as_citeproc_js_cases_it(
    style: str, expected: str
) -> None:
    """APA prints titles as given in the bibliography but title-cases the title that stands
    in for missing names in a citation; that title is cased as citeproc-js cases it."""
    ref = Reference(
        type="article-journal",
        title="Ad #econdirectM (FTP file econdirectLMS.zip)",
        container_title="Journal of Computer and System Sciences",
        issued=PartialDate(year=2003),
    )
    doc = format_document([[ref]], style)
    assert doc.citations == [expected]
    if style == "apa":
        assert doc.bibliography[0].startswith("Ad #econdirectM (FTP file econdirectLMS.zip).")


def test_an_issue_keeps_its_leading_zero() -> None:
    """citeproc-js prints "no. 02" as written; pandoc's cs:number would drop the zero."""
    ref = Reference(type="article-journal", title="T", container_title="J", volume="15", issue="02")
    (entry,) = format_bibliography([ref], "ieee")
    assert "no. 02" in entry


def test_a_title_quoted_whole_that_ends_in_a_mark_takes_no_period() -> None:
    ref = Reference(
        type="article-journal",
        title="‘Tradition and the analytical setting: is there any space?’",
        container_title="Journal of Analytical Psychology",
    )
    (entry,) = format_bibliography([ref], "american-medical-association")
    assert "space?’ Journal of Analytical Psychology" in entry


@pytest.mark.parametrize(
    ("style", "expected"),
    [("vancouver", "product “035”, a preparation"), ("ieee", "product ‘035’, a preparation")],
    ids=["unquoted-title", "quoted-title"],
)
def test_a_comma_after_a_quotation_in_a_title_stays_outside(style: str, expected: str) -> None:
    ref = Reference(
        type="article-journal",
        title="Safety of the microbiological product “035”, a preparation of Bacillus subtilis",
        container_title="EFSA Journal",
    )
    (entry,) = format_bibliography([ref], style)
    assert expected in entry


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("ieee", "“…no-place:,” Architectural"),
        ("apa", "…no-place: Architectural"),
    ],
    ids=["comma-kept", "period-dropped"],
)
def test_a_title_ending_in_a_colon(style: str, expected: str) -> None:
    """After a title's final colon citeproc-js keeps a comma and drops a period."""
    from mesorefs.models import Person

    ref = Reference(
        type="article-journal",
        title="…no-place:",
        authors=[Person(family="Walker", given="Andrew")],
        container_title="Architectural",
    )
    (entry,) = format_bibliography([ref], style)
    assert expected in entry


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("390-395.e1", "pp. 390-395.e1."),
        ("512-507,1233", "pp. 512-507,1233."),
        ("e1234", "p. e1234."),
        ("306.1-306", "p. 306.1-306."),
        ("no-no", "p. no-no."),
    ],
    ids=["suffixed-range", "backwards-and-list", "one-page", "after-a-decimal", "words"],
)
def test_pages_kept_as_written_are_still_plural(pages: str, expected: str) -> None:
    """citeproc-js labels a page field "pp." when a hyphen follows a whole page number,
    even when it prints the field as written."""
    ref = Reference(
        type="article-journal",
        title="T",
        container_title="J",
        pages=pages,
        authors=[Person(family="Roe", given="Ann")],
        issued=PartialDate(year=2000),
    )
    (entry,) = format_bibliography([ref], "modern-language-association")
    assert entry.endswith(expected)


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("chicago-author-date", "3: CO2–CO2."),
        ("vancouver", "2000;3:CO2–CO2."),
        ("american-medical-association", "2000;3:CO2-CO2."),
        ("modern-language-association", "pp. CO2–CO2."),
    ],
    ids=["chicago", "vancouver", "ama-hyphen", "mla"],
)
def test_the_same_prefixed_page_twice_stays_in_full(style: str, expected: str) -> None:
    """citeproc-js prints a range from a page with a two-letter prefix to itself in full."""
    ref = Reference(
        type="article-journal",
        title="T",
        container_title="J",
        volume="3",
        pages="CO2-CO2",
        authors=[Person(family="Roe", given="Ann")],
        issued=PartialDate(year=2000),
    )
    (entry,) = format_bibliography([ref], style)
    assert entry.endswith(expected)


def test_html_writes_superscript_characters_as_sup() -> None:
    """As citeproc-js does: "1ʳᵉ éd." is 1<sup>r</sup><sup>e</sup> in HTML, as is ª."""
    node: Node = {"t": "Str", "c": "1ʳᵉ éd. ª"}
    assert write_inlines([node], "html") == "1<sup>r</sup><sup>e</sup> éd. <sup>a</sup>"
    assert write_inlines([node], "text") == "1ʳᵉ éd. ª"


def _aligned(margin: str, right: list[Node]) -> list[Node]:
    left: list[Node] = [{"t": "Str", "c": margin}, {"t": "Space"}]
    return [
        {
            "t": "Para",
            "c": [
                {"t": "Span", "c": [["", ["csl-left-margin"], []], left]},
                {"t": "Span", "c": [["", ["csl-right-inline"], []], right]},
            ],
        }
    ]


_DOE: list[Node] = [{"t": "Str", "c": "J."}, {"t": "Space"}, {"t": "Str", "c": "Doe"}]


@pytest.mark.parametrize(
    ("right", "expected"),
    [(_DOE, "J. Doe"), ([{"t": "Str", "c": ""}, *_DOE], " J. Doe")],
    ids=["no-affix", "trimmed-prefix"],
)
def test_right_inline_keeps_the_space_the_engine_trimmed(right: list[Node], expected: str) -> None:
    """bugreports_IeeePunctuation: the prefix " " of the second field stays."""
    html = write_blocks(_aligned("[1]", right), "html")
    assert html.endswith(f'<div class="csl-right-inline">{expected}</div>')


@pytest.mark.parametrize(
    ("suffix", "margin"), [("]", "[1]"), (". ", "1. ")], ids=["bracket", "suffix-space"]
)
def test_left_margin_ends_as_the_first_field_does(suffix: str, margin: str) -> None:
    """magic_SecondFieldAlign ("[1]"), bugreports_AsmJournals ("1. ")."""
    style = (
        '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">'
        '<citation><layout/></citation><bibliography second-field-align="flush"><layout>'
        f'<text variable="citation-number" suffix="{suffix}"/><text variable="title"/>'
        "</layout></bibliography></style>"
    )
    html = write_blocks(_aligned(margin.strip(), _DOE), "html")
    assert fixes.margin_space(html, "html", style).startswith(
        f'<div class="csl-left-margin">{margin}</div>'
    )


@pytest.mark.parametrize(
    ("locator", "several"),
    [
        ("213 & 235", True),
        ("213 and 235", True),
        ("213, and 235", True),
        ("213", False),
        ("213-235", False),  # the engine reads a range itself
        ("Sand castles", False),
    ],
    ids=["ampersand", "and", "comma-and", "one", "range", "word"],
)
def test_locators_joined_by_and_count_as_several(locator: str, several: bool) -> None:
    """label_PluralWithAmpersand, label_PluralWithAnd, label_PluralWithCommaAnd."""
    prepared = locator_fixes.prepare_locator(locator, find_style("apa").xml)
    assert (prepared != locator) == several
    assert fixes.finish(prepared, "text") == locator


def test_a_range_written_with_spaces_is_a_range() -> None:
    """locator_SimpleLocators: "100 - 103" is "pp. 100–103" to citeproc-js."""
    assert locator_fixes.prepare_locator("100 - 103", find_style("apa").xml) == "100-103"
    assert locator_fixes.prepare_locator("A - B", find_style("apa").xml) == "A - B"


def test_a_locator_of_two_pages_takes_the_plural_label() -> None:
    ref = Reference(type="book", title="T", authors=[Person(family="Doe")])
    document = format_citations(
        [[CiteItem(ref, locator="213 & 235")]], style="chicago-author-date", output="html"
    )
    assert document.citations == ["(Doe, n.d., 213 &amp; 235)"]
    document = format_citations([[CiteItem(ref, locator="213 & 235")]], style="ieee")
    assert document.citations == ["[1, pp. 213 & 235]"]


def _words(*words: str) -> list[Node]:
    nodes: list[Node] = []
    for word in words:
        nodes += [{"t": "Str", "c": word}, {"t": "Space"}]
    return nodes[:-1]


@pytest.mark.parametrize(
    ("kind", "normal"),
    [("Emph", "font-style"), ("Strong", "font-weight"), ("SmallCaps", "font-variant")],
    ids=["italics", "bold", "small-caps"],
)
def test_a_decoration_inside_the_same_flips_off_and_on(kind: str, normal: str) -> None:
    """flipflop_ItalicsFlipped, flipflop_BoldfaceNodeLevelMarkup, flipflop_SmallCaps."""
    deepest: Node = {"t": kind, "c": _words("Three")}
    middle: Node = {"t": kind, "c": [*_words("Two"), {"t": "Space"}, deepest]}
    outer: Node = {"t": kind, "c": [*_words("One"), {"t": "Space"}, middle]}
    html = write_inlines([outer], "html")
    start, end = {"Emph": ("<i>", "</i>"), "Strong": ("<b>", "</b>")}.get(
        kind, ('<span style="font-variant:small-caps;">', "</span>")
    )
    flipped = f'<span style="{normal}:normal;">'
    assert html == f"{start}One {flipped}Two {start}Three{end}</span>{end}"
    assert write_inlines([outer], "text") == "One Two Three"


def test_the_locales_and_joins_a_locator_of_several() -> None:
    """label_PluralWithLocalizedAnd: "213 et 235" is two pages in French."""
    assert locator_fixes.and_term("Alpha et Omega") == "et"
    assert locator_fixes.and_term("Alpha, and Omega") == "and"
    assert locator_fixes.joins_with_a_word("213 et 235")
    assert not locator_fixes.joins_with_a_word("213-235")
    apa = find_style("apa").xml
    assert locator_fixes.prepare_locator("213 et 235", apa) == "213 et 235"
    assert locator_fixes.prepare_locator("213 et 235", apa, "et") != "213 et 235"
    ref = Reference(type="book", title="T", authors=[Person(family="Doe")])
    cited = [[CiteItem(ref, locator="213 y 235")]]
    assert format_citations(cited, style="ieee", locale="es-ES").citations == ["[1, pp. 213 y 235]"]


@pytest.mark.parametrize(
    ("inlines", "expected"),
    [
        ([{"t": "Space"}, {"t": "Str", "c": "(1994)."}], " (1994)."),
        ([{"t": "Str", "c": ""}, {"t": "Space"}, {"t": "Str", "c": "(2006)."}], " (2006)."),
        ([{"t": "Str", "c": "n.d.,"}, {"t": "Str", "c": ""}], "n.d., "),
        ([{"t": "Str", "c": "Doe."}], "Doe."),
    ],
    ids=["leading-space", "trimmed-then-space", "trimmed-at-end", "none"],
)
def test_html_entry_keeps_the_space_at_its_edges(inlines: list[Node], expected: str) -> None:
    """date_AccessedCrash, bugreports_parenthesis, bugreports_UnisaHarvardInitialization."""
    blocks: list[Node] = [{"t": "Para", "c": inlines}]
    assert write_blocks(blocks, "html") == expected
    assert write_blocks(blocks, "text") == expected.strip()


def _nodecor(words: str) -> Node:
    return {"t": "Span", "c": [["", ["nodecoration"], []], [{"t": "Str", "c": words}]]}


@pytest.mark.parametrize(
    ("wrapper", "expected"),
    [
        ("Emph", '<i>A <span style="font-style:normal;">v.</span></i>'),
        (
            "SmallCaps",
            '<span style="font-variant:small-caps;">A '
            '<span style="font-variant:normal;">v.</span></span>',
        ),
        (None, "A v."),
    ],
    ids=["in-italics", "in-small-caps", "undecorated"],
)
def test_nodecor_turns_off_the_decorations_around_it(wrapper: str | None, expected: str) -> None:
    """<span class="nodecor"> in a title is set upright inside italics, as citeproc-js."""
    inlines: list[Node] = [{"t": "Str", "c": "A"}, {"t": "Space"}, _nodecor("v.")]
    nodes = [{"t": wrapper, "c": inlines}] if wrapper else inlines
    assert write_inlines(nodes, "html") == expected
    assert write_inlines(nodes, "text") == "A v."


def _s(text: str) -> Node:
    return {"t": "Str", "c": text}


_QUOTED: Node = {"t": "Quoted", "c": [{"t": "DoubleQuote"}, [_s("Book")]]}
_SPAN_QUOTED: Node = {"t": "Span", "c": [["", [], []], [_s("\u201c"), _s("Book"), _s("\u201d")]]}


@pytest.mark.parametrize(
    ("inlines", "expected"),
    [
        ([{"t": "Emph", "c": [_QUOTED]}, _s(". 1900")], "<i>“Book.”</i> 1900"),
        ([{"t": "Emph", "c": [_SPAN_QUOTED]}, _s(",")], "<i>“Book,”</i>"),
        ([{"t": "Emph", "c": [_s("Book")]}, _s(".")], "<i>Book</i>."),
        ([{"t": "Emph", "c": [_QUOTED]}, _s(";")], "<i>“Book”</i>;"),
        ([_SPAN_QUOTED, _s(".")], "“Book”."),
    ],
    ids=["quoted", "quote-marks-in-a-span", "no-quote", "semicolon", "undecorated"],
)
def test_punctuation_into_decorated_quotes(inlines: list[Node], expected: str) -> None:
    """A comma or period after a decorated quotation goes inside it (pandoc already moves
    one after a bare quotation); nothing else moves."""
    before = repr(inlines)
    assert write_inlines(fixes.punctuation_into_quotes(inlines), "html") == expected
    assert repr(inlines) == before  # the engine's tree is left as it was


_NUMBER_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><id/><title/><updated>2009-08-10T04:49:00+09:00</updated></info>
  <citation><layout>
    <number variable="number"/><text variable="volume" prefix=" | "/>
  </layout></citation>
</style>"""


@pytest.mark.parametrize(
    ("value", "output", "expected"),
    [
        ("1<sup>er</sup>", "html", "1&lt;sup&gt;er&lt;/sup&gt; | 1&lt;sup&gt;er&lt;/sup&gt;"),
        ("1<sup>er</sup>", "text", "1<sup>er</sup> | 1<sup>er</sup>"),
        ("1<sup>er</sup>", "markdown", "1\\<sup\\>er\\</sup\\> \\| 1\\<sup\\>er\\</sup\\>"),
        ("<i>2</i>", "html", "2 | <i>2</i>"),
    ],
    ids=["html", "text", "markdown", "not-starting-with-a-digit"],
)
def test_markup_in_a_number_is_printed_as_written(
    tmp_path: Path, value: str, output: Output, expected: str
) -> None:
    """flipflop_NumericField: citeproc-js does not read markup in a number that starts
    with a digit."""
    path = tmp_path / "style.csl"
    path.write_text(_NUMBER_STYLE, encoding="utf-8")
    ref = Reference.from_csl({"id": "x", "type": "book", "number": value, "volume": value})
    (citation,) = format_citations([[CiteItem(ref)]], style=str(path), output=output).citations
    assert citation == expected


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("He said it. ", "He said it. Ibid."),
        ("He said “go.” ", "He said “go.” Ibid."),
        ("Was it? ", "Was it? Ibid."),
        ("Cf. ", "Cf. ibid."),
        ("see ", "see ibid."),
    ],
    ids=["sentence", "quoted-sentence", "question", "one-word", "no-sentence-end"],
)
def test_a_term_after_a_prefix_that_ends_a_sentence(prefix: str, expected: str) -> None:
    """'ibid.' is capitalized after a prefix of more than one word that ends a sentence."""
    rendered = fixes.mark_sentence_end(prefix) + TERM_START + "ibid."
    assert fixes.finish(rendered, "text", citation=True) == expected
