"""What a claim cites is checked first; an uncited claim says it needs a citation."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest
from click.testing import CliRunner

from mesorefs.claims import check_claims
from mesorefs.claims.check import UNCITED_NOTICE, resolve_marker, title_only_notice
from mesorefs.claims.citations import Citation, find_citations
from mesorefs.claims.document import parse_document
from mesorefs.claims.evidence import Passage
from mesorefs.claims.report import shown
from mesorefs.claims.verify import Judgement
from mesorefs.models import PartialDate, Person, Reference


class _SupportsOnWord:
    """A stand-in verifier: a passage supports a statement when both hold ``word``."""

    relevance = 0.3

    def __init__(self, word: str) -> None:
        self.word = word

    @property
    def name(self) -> str:
        return f"supports-on-{self.word}"

    def verify(self, claim: str, passages: Sequence[Any], idf: Any) -> list[Judgement]:
        hit = self.word in claim and any(self.word in p.passage.text for p in passages)
        return [
            Judgement("supports", 0.9, 0.9) if hit else Judgement("neutral", 0.9, 0.1)
            for _ in passages
        ]


def _ref(key: str, text: str | None, **fields: Any) -> Reference:
    return Reference(key=key, title=fields.pop("title", f"On {key}"), annote=text, **fields)


LIBRARY = [
    _ref("weak", "Mice were kept in cages for a week."),
    _ref("strong", "Fasting lowers body fat in mice within a week."),
]


def test_cited_reference_comes_first_with_its_own_verdict() -> None:
    """The cited reference's passage is shown first, with its verdict, even when another
    reference supports the claim; the other is suggested."""
    text = "Fasting lowers body fat in mice [@weak].\n"
    report = check_claims(text, LIBRARY, encoder=False, verifier=_SupportsOnWord("lowers"))
    (result,) = report.checked
    assert result.links[0].key == "weak" and result.links[0].cited
    assert shown(result.links)[0].key == "weak"
    (check,) = result.citation_checks
    assert (check.key, check.supports, check.verdict) == ("weak", False, "unsupported")
    assert check.suggestions == ("strong",) and check.better == "strong"
    assert check.link is not None and "cages" in check.link.evidence.text
    assert not result.citation_needed


def test_supporting_citation_is_first_and_needs_no_suggestion_to_replace_it() -> None:
    """A cited reference that supports the claim is first, supported, with no 'better'."""
    text = "Fasting lowers body fat in mice [@strong].\n"
    report = check_claims(text, LIBRARY, encoder=False, verifier=_SupportsOnWord("lowers"))
    (check,) = report.checked[0].citation_checks
    assert (check.verdict, check.better) == ("supported", None)
    assert report.checked[0].links[0].key == "strong"


def test_uncited_claim_needs_a_citation_naming_what_could_support_it() -> None:
    """A checkworthy claim without a marker is marked citation needed, with its supporters."""
    text = "Fasting lowers body fat in mice.\n\nCages hold mice [@weak].\n"
    report = check_claims(text, LIBRARY, encoder=False, verifier=_SupportsOnWord("lowers"))
    uncited, cited = report.checked
    assert uncited.citation_needed and uncited.could_cite == ("strong",)
    assert "citation needed: could cite strong" in uncited.citation_notes()
    assert not cited.citation_needed
    assert UNCITED_NOTICE not in report.notices  # the document does cite


def test_document_citing_nothing_says_so_once() -> None:
    """A document without any marker gets one notice, and each claim needs a citation."""
    text = "Fasting lowers body fat in mice.\n"
    report = check_claims(text, LIBRARY, encoder=False, verifier=_SupportsOnWord("lowers"))
    assert UNCITED_NOTICE in report.notices
    assert all(r.citation_needed for r in report.checked)


def test_unresolved_marker_is_reported_not_guessed() -> None:
    """A key, number or author-year no reference matches is named, and cites nothing."""
    text = "Fasting lowers body fat in mice [@nobody; @strong] [9] (Nemo 1999).\n"
    report = check_claims(text, LIBRARY, encoder=False, verifier=_SupportsOnWord("lowers"))
    (result,) = report.checked
    assert result.unresolved == ("@nobody", "[9]", "Nemo 1999")
    assert [c.key for c in result.citation_checks] == ["strong"]
    data = json.loads(report.to_json())["claims"][0]
    assert data["unresolved"] == ["@nobody", "[9]", "Nemo 1999"]
    assert data["cited"] == ["strong"]
    assert data["checked_text"] == "Fasting lowers body fat in mice."


def _person(family: str) -> Person:
    return Person(family=family, given="A.")


_AUTHORED = [
    Reference(key="s10a", title="Alpha", authors=[_person("Smith")], issued=PartialDate(year=2010)),
    Reference(key="s10b", title="Beta", authors=[_person("Smith")], issued=PartialDate(year=2010)),
    Reference(
        key="jl11",
        title="Gamma",
        authors=[_person("Jones"), _person("Lee")],
        issued=PartialDate(year=2011),
    ),
    Reference(
        key="vdb9", title="Delta", authors=[Person(family="Berg", particle="van der")],
        issued=PartialDate(year=2009),
    ),
    Reference(
        key="who20", title="Epsilon", authors=[Person(literal="World Health Organization")],
        issued=PartialDate(year=2020),
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "found", "unresolved"),
    [
        ("(Smith 2010a)", ["s10a"], []),
        ("(Smith 2010b)", ["s10b"], []),
        ("(Smith 2010)", [], ["Smith 2010"]),
        ("(Jones & Lee, 2011)", ["jl11"], []),
        ("(Jones and Kim, 2011)", [], ["Jones & Kim 2011"]),
        ("Van der Berg (2009) found", ["vdb9"], []),
        ("(Jones 2012)", [], ["Jones 2012"]),
        ("[@jl11; @missing]", ["jl11"], ["@missing"]),
        ("\\cite{s10b,nokey}", ["s10b"], ["@nokey"]),
        ("[2]", ["s10b"], []),
        ("[6]", [], ["[6]"]),
        ("(World Health Organization, 2020)", ["who20"], []),
    ],
    ids=[
        "year-suffix-a",
        "year-suffix-b",
        "ambiguous-year",
        "two-authors",
        "wrong-second-author",
        "particle",
        "wrong-year",
        "pandoc-missing-key",
        "latex-missing-key",
        "number-in-library-order",
        "number-past-the-end",
        "organisation",
    ],
)
def test_resolve_marker(text: str, found: list[str], unresolved: list[str]) -> None:
    """Keys, numbers and author-year markers resolve to one reference each, or are named."""
    keys = [r.key or "" for r in _AUTHORED]
    got_found: list[str] = []
    got_missing: list[str] = []
    for citation in find_citations(text):
        a, b = resolve_marker(citation, _AUTHORED, keys)
        got_found += a
        got_missing += b
    assert (got_found, got_missing) == (found, unresolved)


def test_number_is_the_nth_entry_of_the_documents_list() -> None:
    """With a reference list in the document, [n] is its nth entry, matched by title."""
    text = (
        "Fat goes down [1].\n\nReferences\n\n"
        "Beta, by A. Smith, 2010.\n\nAlpha, by A. Smith, 2010.\n"
    )
    doc = parse_document(text)
    (citation,) = doc.segments[0].citations
    keys = [r.key or "" for r in _AUTHORED]
    assert resolve_marker(citation, _AUTHORED, keys, doc.bibliography) == (["s10b"], [])


def test_citation_notes_in_every_report_format() -> None:
    """JSON, Markdown and HTML carry the cited reference's verdict and citation needed."""
    text = "Fasting lowers body fat in mice [@weak].\n\nFasting lowers fat in mice.\n"
    report = check_claims(text, LIBRARY, encoder=False, verifier=_SupportsOnWord("lowers"))
    data = json.loads(report.to_json())
    first, second = (c for c in data["claims"] if c["checkworthy"])
    assert first["citation_checks"][0]["verdict"] == "unsupported"
    assert first["citation_checks"][0]["suggestions"] == ["strong"]
    assert first["citation_checks"][0]["evidence"]["field"] == "annote"
    assert second["citation_needed"] and second["could_cite"] == ["strong"]
    markdown = report.to_markdown()
    assert "cited weak: unsupported; better: strong" in markdown
    assert "citation needed: could cite strong" in markdown
    page = report.to_html()
    assert "cited weak: unsupported; better: strong" in page
    assert "citation needed: could cite strong" in page


def test_title_only_notice_when_most_references_have_no_text() -> None:
    """Most references with only a title give a notice naming real ways to add text."""
    keys = ["a", "b", "c"]
    passages = [Passage(k, "title", "T", 0, 1, 0) for k in keys]
    passages.append(Passage("a", "abstract", "Text.", 0, 5, 0))
    (notice,) = title_only_notice(keys, passages)
    assert notice.startswith("2 of 3 references have only a title")
    assert "mesorefs resolve" in notice and "--full-text-dir" in notice
    passages.append(Passage("b", "annote", "More.", 0, 5, 0))
    assert title_only_notice(keys, passages) == ()


def test_title_only_notice_reaches_every_report() -> None:
    """The notice opens the JSON, Markdown, HTML and terminal reports."""
    refs = [Reference(key=k, title=f"Fasting and fat {k}") for k in "abc"]
    report = check_claims("Fasting lowers body fat.\n", refs, encoder=False)
    (notice,) = [n for n in report.notices if "only a title" in n]
    assert json.loads(report.to_json())["notices"][0] == notice
    assert notice in report.to_markdown().replace("\\", "")
    assert "only a title" in report.to_html()


def test_terminal_shows_the_notice_and_the_citation(tmp_path: Any) -> None:
    """`mesorefs check` prints the notice first and each cited claim's own verdict."""
    from mesorefs.cli import main

    doc = tmp_path / "doc.md"
    doc.write_text("Fasting lowers body fat [@a].\n", encoding="utf-8")
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "".join(f"@article{{{k},\n  title = {{Fasting and fat {k}}},\n}}\n\n" for k in "abc"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", str(doc), "--bib", str(bib), "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].startswith("note: 3 of 3 references have only a title")
    assert any(line.strip().startswith("cited: ") for line in lines)
    verbose = CliRunner().invoke(
        main, ["check", str(doc), "--bib", str(bib), "--fail-on", "never", "-v"]
    )
    assert "cited a:" in verbose.output


def test_marker_citation_keeps_its_fields() -> None:
    """A citation is a plain value: its span, style and what it names."""
    c = Citation("[@a]", 3, 7, "pandoc", keys=("a",))
    assert c.cut_span == (3, 7) and c.labels() == ["@a"]


@pytest.mark.parametrize(
    "marker",
    ["[@ci04]", "[12]", "(Nemo 1999)", "\\cite{ci04}"],
    ids=["pandoc", "numeric", "author-year", "latex"],
)
def test_no_marker_is_a_claim_word(marker: str) -> None:
    """The reason for a verdict never names a marker's key, number or year."""
    text = f"Zinc oxide cures baldness {marker}.\n"
    report = check_claims(text, LIBRARY, encoder=False, format="markdown")
    (result,) = report.checked
    said = result.explanation + " ".join(p.explanation for p in result.parts)
    for token in ("ci04", "12", "Nemo", "1999"):
        assert token not in said
    assert result.claim.query == "Zinc oxide cures baldness."
