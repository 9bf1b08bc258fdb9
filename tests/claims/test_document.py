"""Documents -> segments, list items, citation markers and spans."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.claims.document import detect_format, find_citations, parse_document, split_sentences


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_seed_headings_items_and_bibliography(seed_text: str) -> None:
    """The seed article yields headings, items with their lead-in, and a 7-entry bibliography."""
    doc = parse_document(seed_text)
    assert doc.format == "text"
    headings = [s.text for s in doc.segments if s.kind in ("title", "heading")]
    assert "Mesotherapy vs. Dermarolling" in headings
    items = [s for s in doc.segments if s.kind == "item"]
    assert len(items) == 10
    alopecia = next(s for s in items if s.text.startswith("Androgenic alopecia"))
    assert alopecia.context is not None and alopecia.context.startswith(
        "Mesotherapy is used to treat"
    )
    assert len(doc.bibliography) == 7
    assert not any("Rohrich" in s.text for s in doc.segments if s.kind != "heading")


def test_seed_spans_index_the_original(seed_text: str) -> None:
    """Every segment's span slices the original text back to the segment."""
    for segment in parse_document(seed_text).segments:
        assert _squash(seed_text[segment.start : segment.end]) == segment.text


def test_markdown_lists_headings_and_inline_markup() -> None:
    """Markdown headings, items (with lead-in) and emphasis are handled, spans stay exact."""
    text = (
        "# Title\n\nIntro with **bold** and a [link](http://x.org) here. Second one.\n\n"
        "## Uses\n\nIt is used to treat:\n\n- hair loss\n- *acne* scars\n"
    )
    doc = parse_document(text)
    assert doc.format == "markdown"
    sentences = [s for s in doc.segments if s.kind == "sentence"]
    assert sentences[0].text == "Intro with bold and a link here."
    items = [s for s in doc.segments if s.kind == "item"]
    assert [i.text for i in items] == ["hair loss", "acne scars"]
    assert items[0].context == "It is used to treat:"
    assert items[1].section == "Uses"
    assert text[items[1].start : items[1].end] == "acne* scars"  # from first to last kept char


def test_html_entities_and_spans() -> None:
    """HTML text is decoded, scripts are skipped, and spans point into the markup."""
    text = (
        "<html><head><script>var x = 1;</script></head><body><h1>Skin</h1>"
        "<p>Mesotherapy uses&nbsp;injections &amp; needles. It is old.</p>"
        "<p>Uses include:</p><ul><li>Alopecia</li><li>Wrinkles</li></ul></body></html>"
    )
    doc = parse_document(text)
    assert doc.format == "html"
    first = next(s for s in doc.segments if s.kind == "sentence")
    assert first.text == "Mesotherapy uses injections & needles."
    assert text[first.start : first.end] == "Mesotherapy uses&nbsp;injections &amp; needles."
    items = [s for s in doc.segments if s.kind == "item"]
    assert [(i.text, i.context) for i in items] == [
        ("Alopecia", "Uses include:"),
        ("Wrinkles", "Uses include:"),
    ]
    assert not any("var x" in s.text for s in doc.segments)


def test_latex_sections_items_and_cites() -> None:
    """LaTeX sections, itemize items and \\cite markers are read; the preamble is skipped."""
    text = (
        "\\documentclass{article}\n\\begin{document}\n\\section{Background}\n"
        "Mesotherapy is \\emph{old} \\cite{rohrich2005,amin2006}. It spreads.\n\n"
        "\\begin{itemize}\n\\item Hair loss\n\\end{itemize}\n\\end{document}\n"
    )
    doc = parse_document(text)
    assert doc.format == "latex"
    first = next(s for s in doc.segments if s.kind == "sentence")
    assert first.section == "Background"
    assert first.text.startswith("Mesotherapy is old")
    assert first.citations[0].keys == ("rohrich2005", "amin2006")
    assert [s.text for s in doc.segments if s.kind == "item"] == ["Hair loss"]


@pytest.mark.parametrize(
    ("text", "style", "expected"),
    [
        ("see [1] here", "numeric", (1,)),
        ("see [1-3] here", "numeric", (1, 2, 3)),
        ("see [2, 5] here", "numeric", (2, 5)),
        ("as (Rotunda & Kolodney, 2006) said", "author-year", ("Rotunda", "Kolodney")),
        ("as (Amin et al. 2006) said", "author-year", ("Amin",)),
        ("as [@rohrich2005; @amin2006, p. 3] said", "pandoc", ("rohrich2005", "amin2006")),
        ("as \\citep[p.~2]{konda2013} said", "latex", ("konda2013",)),
    ],
    ids=["numeric", "range", "list", "two-authors", "et-al", "pandoc", "latex"],
)
def test_citation_markers(text: str, style: str, expected: tuple[object, ...]) -> None:
    """Each citation style is found with its numbers, keys or authors."""
    (citation,) = find_citations(text)
    assert citation.style == style
    got = {"numeric": citation.numbers, "author-year": citation.authors}.get(style, citation.keys)
    assert got == expected
    assert text[citation.start : citation.end] == citation.marker


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Dr. Smith et al. found 3.5 mg. It was fine.", 2),
        ("It works (see Fig. 2). Then it stops.", 2),
        ("It works, e.g. in mice. Not in men!", 2),
        ("One claim [3]. Another claim.", 2),
        ("no capital. after this", 1),
    ],
    ids=["abbrev-decimal", "figure", "eg", "citation-after-stop", "lowercase-next"],
)
def test_sentence_boundaries(text: str, count: int) -> None:
    """Abbreviations, decimals and trailing citation markers do not break sentences wrongly."""
    assert len(split_sentences(text)) == count


def test_citation_stays_with_its_sentence() -> None:
    """A marker right after the full stop belongs to the sentence before it."""
    assert split_sentences("One claim. [3] Another claim.")[0][2] == "One claim. [3]"


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("<p>Hello</p>", "html"),
        ("# Title\n\ntext", "markdown"),
        ("\\section{A} text", "latex"),
        ("Just text.\n\nMore text.", "text"),
    ],
    ids=["html", "markdown", "latex", "text"],
)
def test_detect_format(text: str, fmt: str) -> None:
    """The format is guessed from the content."""
    assert detect_format(text) == fmt


_TEXT = st.text(
    alphabet=st.sampled_from(list("abcXYZ .!?\n:()[]1-,;'\"")), min_size=0, max_size=200
)


@given(_TEXT)
def test_sentence_spans_index_back(text: str) -> None:
    """split_sentences' spans always slice the input back to the sentence, in order."""
    last = 0
    for start, end, sentence in split_sentences(text):
        assert text[start:end] == sentence
        assert start >= last
        last = end


@given(_TEXT)
def test_plain_text_segment_spans_index_back(text: str) -> None:
    """In plain text every segment's span covers exactly its (whitespace-folded) text."""
    for segment in parse_document(text, "text").segments:
        assert _squash(text[segment.start : segment.end]) == segment.text


@given(st.text(alphabet=st.sampled_from(list("ab <>&;#p/li!. \n")), max_size=120))
def test_html_parsing_never_crashes(text: str) -> None:
    """Arbitrary markup parses and every span lies inside the document."""
    for segment in parse_document(text, "html").segments:
        assert 0 <= segment.start <= segment.end <= len(text)
