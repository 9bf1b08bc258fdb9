"""Citation markers in every document format: found, taken out of the checked text, mapped."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.claims.check import extract_claims
from mesorefs.claims.citations import find_citations, strip_markers
from mesorefs.claims.document import DocFormat, parse_document


def _cited(citations: object) -> list[object]:
    """What each marker names: keys, numbers, or (authors, year)."""
    out: list[object] = []
    for c in citations:  # type: ignore[attr-defined]
        if c.style in ("pandoc", "latex"):
            out += list(c.keys)
        elif c.style == "numeric":
            out += list(c.numbers)
        else:
            out.append((c.authors, c.year))
    return out


@pytest.mark.parametrize(
    ("fmt", "text", "checked", "cited"),
    [
        ("markdown", "Fat goes down [@a].\n", "Fat goes down.", ["a"]),
        (
            "markdown",
            "Fat goes down [see @a, p. 3; @b, ch. 2].\n",
            "Fat goes down.",
            ["a", "b"],
        ),
        ("markdown", "Fat goes down [-@a].\n", "Fat goes down.", ["a"]),
        ("markdown", "As @doe2020 shows, fat goes.\n", "As shows, fat goes.", ["doe2020"]),
        ("markdown", "As @doe2020 [p. 4] shows, fat goes.\n", "As shows, fat goes.", ["doe2020"]),
        ("latex", "Fat goes down \\cite{a,b}.\n", "Fat goes down.", ["a", "b"]),
        ("latex", "Fat goes down \\citep[see][p.~3]{a}.\n", "Fat goes down.", ["a"]),
        ("latex", "As \\citet{a} shows, fat goes.\n", "As shows, fat goes.", ["a"]),
        ("latex", "Fat goes \\citealp{a} down.\n", "Fat goes down.", ["a"]),
        ("latex", "In \\citeyear{a} \\citeauthor{a} found it.\n", "In found it.", ["a", "a"]),
        ("latex", "Fat goes down \\parencite[p.~2]{a}.\n", "Fat goes down.", ["a"]),
        ("latex", "Fat goes down \\autocite*{a}.\n", "Fat goes down.", ["a"]),
        ("latex", "Fat goes down\\footcite{a}.\n", "Fat goes down.", ["a"]),
        ("latex", "Fat goes down \\cites[see][]{a}[p.~4]{b}.\n", "Fat goes down.", ["a", "b"]),
        ("latex", "As \\textcite{a} shows, fat goes.\n", "As shows, fat goes.", ["a"]),
        ("text", "Fat goes down [3].\n", "Fat goes down.", [3]),
        ("text", "Fat goes down [1–3].\n", "Fat goes down.", [1, 2, 3]),
        ("text", "Fat goes down [1, 4-6].\n", "Fat goes down.", [1, 4, 5, 6]),
        ("text", "Fat goes down [1]–[3].\n", "Fat goes down.", [1, 2, 3]),
        ("text", "Fat goes down ([2]) in mice.\n", "Fat goes down in mice.", [2]),
        (
            "text",
            "Fat goes down (Smith et al. 2010; Jones & Lee, 2011a).\n",
            "Fat goes down.",
            [(("Smith",), "2010"), (("Jones", "Lee"), "2011a")],
        ),
        (
            "text",
            "Fat goes down (see Smith 2010, p. 5).\n",
            "Fat goes down.",
            [(("Smith",), "2010")],
        ),
        (
            "text",
            "Smith et al. (2010) showed that fat goes down.\n",
            "Smith et al. showed that fat goes down.",
            [(("Smith",), "2010")],
        ),
        (
            "text",
            "Van der Berg and Li (2009a, 2010) found it.\n",
            "Van der Berg and Li found it.",
            [(("Van der Berg", "Li"), "2009a"), (("Van der Berg", "Li"), "2010")],
        ),
        (
            "text",
            "Fat goes down (World Health Organization, 2020).\n",
            "Fat goes down.",
            [(("World Health Organization",), "2020")],
        ),
        (
            "text",
            "In March Smith (2010) wrote it.\n",
            "In March Smith wrote it.",
            [(("Smith",), "2010")],
        ),
        (
            "html",
            "<p>Fat goes down<sup>1,2</sup>. It stays.</p>",
            "Fat goes down.",
            [1, 2],
        ),
        (
            "html",
            '<p>Fat goes down.<sup><a href="#ref3">3</a></sup> It stays.</p>',
            "Fat goes down.",
            [3],
        ),
        (
            "html",
            "<p>Aspirin lowers PGE2<sup>4</sup>. It stays.</p>",
            "Aspirin lowers PGE2.",
            [4],
        ),
        (
            "html",
            "<p>It fell since 1979<sup>12</sup> in IL-10<sup>4</sup> make-up<sup>5</sup>.</p>",
            "It fell since 1979 in IL-10 make-up.",
            [12, 4, 5],
        ),
        (
            "html",
            '<p>Fat goes down <a href="#ref3">[3]</a>. It stays.</p>',
            "Fat goes down.",
            [3],
        ),
    ],
    ids=[
        "pandoc",
        "pandoc-notes",
        "pandoc-suppress-author",
        "pandoc-narrative",
        "pandoc-narrative-locator",
        "cite",
        "natbib-citep-notes",
        "natbib-citet",
        "natbib-citealp",
        "natbib-citeyear-citeauthor",
        "biblatex-parencite",
        "biblatex-starred",
        "biblatex-footcite",
        "biblatex-cites-notes",
        "biblatex-textcite",
        "numeric",
        "numeric-range",
        "numeric-list",
        "numeric-bracket-range",
        "numeric-in-parentheses",
        "author-year-two",
        "author-year-notes",
        "author-year-narrative",
        "author-year-narrative-particle",
        "author-year-organisation",
        "author-year-narrative-one-name",
        "html-sup",
        "html-sup-link",
        "html-sup-after-alphanumeric",
        "html-sup-after-year-name-word",
        "html-link",
    ],
)
def test_markers_leave_the_checked_text(
    fmt: DocFormat, text: str, checked: str, cited: list[object]
) -> None:
    """Each format's markers are found with what they cite and taken out of the claim's
    checked text, spaces and punctuation tidied."""
    doc = parse_document(text, fmt)
    segment = doc.segments[0]
    assert _cited(segment.citations) == cited
    assert segment.checked_text == checked
    for c in segment.citations:
        assert text[c.start : c.end] in (c.marker, c.marker.replace("[", "").replace("]", ""))


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("markdown", "Write `[@key]` to cite a work.\n"),
        ("markdown", "Write ``[@key] and [3]`` to cite.\n"),
        ("markdown", "Text here.\n\n```\nSee [@key] and [3].\n```\n"),
        ("markdown", "Text here.\n\n~~~\nSee [@key].\n~~~\n"),
        ("latex", "Write \\verb|\\cite{key}| to cite.\n"),
        ("latex", "Text.\n\\begin{verbatim}\nSee \\cite{key} [3].\n\\end{verbatim}\n"),
        ("html", "<p>Write <code>[@key] [3]</code> to cite.</p>"),
        ("html", "<pre>See [@key] and [3].</pre><p>Text.</p>"),
    ],
    ids=[
        "md-inline-code",
        "md-double-ticks",
        "md-fence",
        "md-tilde-fence",
        "latex-verb",
        "latex-verbatim",
        "html-code",
        "html-pre",
    ],
)
def test_markers_in_code_are_not_taken(fmt: DocFormat, text: str) -> None:
    """A marker inside code or verbatim text is an example, not a citation."""
    doc = parse_document(text, fmt)
    assert all(not s.citations for s in doc.segments)


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("html", "<p>The area is 3 m<sup>2</sup> in all.</p>"),
        ("html", "<p>There were 10<sup>6</sup> cells.</p>"),
        ("text", "It rose in 2010 (2011 in some sources).\n"),
        ("markdown", "See [the trial][1] for more.\n\n[1]: https://example.org/trial\n"),
        ("text", "Mail a@b.org about it.\n"),
        ("html", "<p>Follow @someone for news.</p>"),
        ("latex", "Mail me @home today.\n"),
    ],
    ids=[
        "unit-exponent",
        "number-exponent",
        "year-aside",
        "md-reference-link",
        "email",
        "html-handle",
        "latex-at",
    ],
)
def test_what_is_not_a_marker(fmt: DocFormat, text: str) -> None:
    """Exponents, a bracketed aside and an e-mail address are not citations."""
    doc = parse_document(text, fmt)
    assert all(not s.citations for s in doc.segments)


def test_checked_span_points_at_the_original() -> None:
    """Each character of the checked text maps back to the character it came from."""
    text = "# T\n\nIt *reduces* fat [@a; @b] in mice [3].\n"
    claim = next(c for c in extract_claims(parse_document(text)) if c.checkworthy)
    assert claim.checked_text == "It reduces fat in mice."
    assert claim.plain is not None
    for i, ch in enumerate(claim.plain):
        assert text[claim.plain_offsets[i]] == ch
    (part,) = claim.parts
    assert text[part.start : part.end].startswith("It *reduces* fat [@a; @b] in mice")


def test_claim_query_has_no_marker_words_or_numbers() -> None:
    """The query a verifier reads carries no key, number or year of a marker."""
    text = (
        "Fat goes down [@smith2010x].\n\nFat goes down [12].\n\n"
        "Fat goes down (Smith 2010).\n\nFat goes down \\cite{k99}.\n"
    )
    claims = [c for c in extract_claims(parse_document(text, "markdown")) if c.checkworthy]
    assert [c.query for c in claims] == ["Fat goes down."] * 4
    assert all(p.query == "Fat goes down" for c in claims for p in c.parts)


def test_item_checked_without_marker() -> None:
    """A list item's marker leaves its checked text, and its query reads it under the lead-in."""
    text = "Uses include:\n\n- acne scars [@a]\n"
    item = next(c for c in extract_claims(parse_document(text, "markdown")) if c.kind == "item")
    assert item.checked_text == "acne scars"
    assert item.query == "Uses: acne scars"


_PLAIN = st.text(alphabet="ab .,()[]", max_size=40)


@given(_PLAIN, st.lists(st.tuples(st.integers(0, 40), st.integers(0, 8)), max_size=4))
def test_strip_markers_maps_every_character(text: str, cuts: list[tuple[int, int]]) -> None:
    """Every character left after taking spans out maps to the same character of the text,
    in order, and none of the taken characters is left."""
    spans = [(min(a, len(text)), min(a + n, len(text))) for a, n in cuts]
    plain, runs = strip_markers(text, spans)
    assert "".join(text[old : old + n] for _, old, n in runs) == plain
    olds = [old + i for _, old, n in runs for i in range(n)]
    assert olds == sorted(set(olds))
    assert not any(a <= o < b for o in olds for a, b in spans)


@given(st.text(alphabet="abc .,", max_size=40))
def test_strip_nothing_keeps_the_text(text: str) -> None:
    """Without spans to take out, the text is kept as it is."""
    plain, runs = strip_markers(text, [])
    assert plain == text
    assert runs == ([(0, 0, len(text))] if text else [])


def test_find_citations_reads_a_long_line_of_parentheses_in_one_pass() -> None:
    """Many parenthesised asides with years read as markers only when each names authors."""
    text = "(Smith 2010) (in 2010) " * 2000
    found = find_citations(text)
    assert len(found) == 2000 and all(c.authors == ("Smith",) for c in found)


def test_a_marker_alone_is_no_claim() -> None:
    """A list item or sentence that is only a citation marker is not checked."""
    text = "Uses:\n\n- [@a]\n\nFat goes down.\n\n[3].\n"
    claims = extract_claims(parse_document(text, "markdown"))
    marker_only = [c for c in claims if c.citations and not c.checked_text.strip(" .")]
    assert marker_only and all(not c.checkworthy for c in marker_only)


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("fat [3].", [(4, 7)], "fat."),
        ("fat (2010) .", [(4, 10)], "fat."),
        ("[1] Fat goes.", [(0, 3)], "Fat goes."),
        ("fat ([1]) goes.", [(5, 8)], "fat goes."),
        ("shown [1], [2], here.", [(6, 9), (11, 14)], "shown, here."),
        ("see [@a] and [@b].", [(4, 8), (13, 17)], "see and."),
    ],
    ids=["before-stop", "space-then-stop", "leading", "empty-brackets", "list", "two"],
)
def test_strip_markers_tidies(text: str, spans: list[tuple[int, int]], expected: str) -> None:
    """Taking markers out leaves no space before punctuation, no empty brackets, no
    leading or doubled space."""
    assert strip_markers(text, spans)[0] == expected
