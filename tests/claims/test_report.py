"""Verdicts with their reasons, and every output format showing the evidence."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import pytest
from click.testing import CliRunner

from mesorefs.claims import SCHEMA, Judgement, check_claims
from mesorefs.claims.report import ClaimReport
from mesorefs.claims.retrieve import ScoredPassage
from mesorefs.models import Reference


class _Keyword:
    """A stand-in verifier: a passage that holds every longer word of the claim supports
    it when it also holds ``yes`` and contradicts it when it holds ``no``; its relevance
    is the share of those words it holds."""

    relevance = 0.3

    def __init__(self, yes: str = "YES", no: str = "NO") -> None:
        self.yes, self.no = yes, no

    @property
    def name(self) -> str:
        return "keyword/test"

    def verify(
        self, claim: str, passages: Sequence[ScoredPassage], idf: Mapping[str, float]
    ) -> list[Judgement]:
        out = []
        words = {w.strip(".,") for w in claim.lower().split() if len(w) > 3}
        for p in passages:
            held = words & {w.strip(".,") for w in p.passage.text.lower().split()}
            share = len(held) / len(words) if words else 0.0
            if held != words:
                # It bears on the claim as much as it holds the claim's words.
                out.append(Judgement("neutral", 0.9, round(share, 3)))
            elif self.no in p.passage.text:
                out.append(Judgement("contradicts", 0.8, 0.8, ("test",)))
            elif self.yes in p.passage.text:
                out.append(Judgement("supports", 0.8, 0.8, ("test",)))
            else:
                out.append(Judgement("neutral", 0.9, 0.1))
        return out


REFS = [
    Reference(key="pro", title="Pro", annote="Vitamin injections YES improve skin hydration."),
    Reference(key="con", title="Con", annote="Laser resurfacing NO reduces scar depth."),
    Reference(key="side", title="Side", annote="Vitamin injections may sting at the site."),
    Reference(key="far", title="Far", annote="Tattoo removal uses short pulses of light."),
]


# a list a modal opens: each item a statement under "Vitamin injections can"
LIST_CLAIM = (
    "Vitamin injections can improve skin hydration, reduce scar depth and raise zinc levels.\n"
)


def _report(text: str) -> ClaimReport:
    return check_claims(text, REFS, encoder=False, verifier=_Keyword())


def _one(text: str) -> tuple[str, str]:
    (result,) = _report(text + "\n").checked
    return result.verdict, result.explanation


def test_supported_names_the_reference_and_its_words() -> None:
    """A supporting reference makes a claim supported, and the reason quotes it."""
    verdict, why = _one("Vitamin injections improve skin hydration.")
    assert verdict == "supported"
    assert why.startswith("pro supports it (annote: \u201cVitamin injections YES")


def test_contradicted_names_the_reference() -> None:
    """A contradicting reference makes a claim contradicted."""
    verdict, why = _one("Laser resurfacing reduces scar depth.")
    assert verdict == "contradicted"
    assert why.startswith("con contradicts it")


def test_needs_review_when_related_but_silent() -> None:
    """A reference that shares the claim's words but takes no side: needs review."""
    verdict, why = _one("Vitamin injections sting a little at the site.")
    assert verdict == "needs review"
    assert "side" in why and "no clear side" in why


def test_needs_review_when_references_disagree() -> None:
    """Equally strong support and contradiction: needs review, naming both sides."""
    refs = [
        Reference(key="a", title="A", annote="Vitamin injections YES improve skin hydration."),
        Reference(key="b", title="B", annote="Vitamin injections NO improve skin hydration."),
    ]
    report = check_claims(
        "Vitamin injections improve skin hydration.\n", refs, encoder=False, verifier=_Keyword()
    )
    (result,) = report.checked
    assert result.verdict == "needs review"
    assert result.explanation == "references disagree: a support it, b contradict it"


def test_unsupported_says_what_no_reference_mentions() -> None:
    """Nothing bears on the claim: unsupported, with the missing words and the closest one."""
    verdict, why = _one("Zinc oxide cures baldness.")
    assert verdict == "unsupported"
    assert why.startswith("no reference mentions zinc, oxide, cures, baldness; closest: ")


def test_partly_supported_names_its_parts() -> None:
    """A list whose items fare differently is partly supported, part by part."""
    text = LIST_CLAIM
    (result,) = _report(text).checked
    verdicts = {p.part.text: p.verdict for p in result.parts}
    assert verdicts == {
        "improve skin hydration": "supported",
        "reduce scar depth": "needs review",
        "raise zinc levels": "unsupported",
    }
    assert result.verdict == "partly supported"
    assert "supported: \u201cimprove skin hydration\u201d" in result.explanation
    for part in result.parts:
        assert text[part.part.start : part.part.end] == part.part.text


def test_json_keeps_every_link_with_its_stance() -> None:
    """JSON (schema 2) keeps neutral links too, labelled, with parts and explanations."""
    data = json.loads(_report("Vitamin injections sting a little at the site.\n").to_json())
    assert data["schema"] == SCHEMA == "mesorefs.claims/3"
    claim = data["claims"][0]
    assert claim["verdict"] == "needs review" and claim["explanation"]
    labels = {link["key"]: link["label"] for link in claim["links"]}
    assert labels["side"] == "related: not judged"
    assert "unrelated" in labels.values()
    assert len(claim["links"]) == len(REFS)
    (part,) = claim["parts"]
    assert (part["start"], part["end"]) == (claim["start"], claim["end"] - 1)


def test_markdown_shows_evidence_for_each_part() -> None:
    """Markdown gives each claim its reason and each part its passages."""
    md = _report(LIST_CLAIM)
    text = md.to_markdown()
    assert "**partly supported**" in text
    assert "  - part \u201cimprove skin hydration\u201d" in text
    assert "[@pro] supports" in text
    assert "\u201cVitamin injections YES improve skin hydration.\u201d" in text
    assert "| partly supported | 1 |" in text


def test_html_carries_the_evidence_and_shows_parts() -> None:
    """The HTML page embeds every link and draws parts and related references."""
    page = _report(LIST_CLAIM)
    html = page.to_html()
    assert "related: not judged" in html or '"related": true' in html
    assert '"parts": [' in html and "showLinks(part.links)" in html
    assert "v-partly-supported" in html


def test_annotate_cites_supported_parts_and_notes_the_evidence() -> None:
    """--annotate cites supporting references after supported parts and adds evidence notes."""
    text = LIST_CLAIM
    out = _report(text).annotate()
    assert "improve skin hydration [@pro], reduce scar depth" in out
    assert "zinc levels.[^c1]" in out or "zinc levels[^c1]." in out
    note = out.split("\n\n")[-1]
    assert note.startswith("[^c1]: partly supported: ")
    assert "[@pro] supports (annote): \u201cVitamin injections YES" in note
    assert "[@con]" in note


@pytest.mark.parametrize("flag", ["--markdown", "--html", "--annotate"])
def test_cli_outputs_show_evidence(flag: str, tmp_path: object) -> None:
    """Every output of `mesorefs check` on the example holds the references' passages."""
    from pathlib import Path

    from mesorefs.cli import main

    out = Path(str(tmp_path)) / "out"
    result = CliRunner().invoke(main, ["check", flag, str(out)])
    assert result.exit_code in (0, 1), result.output
    written = out.read_text(encoding="utf-8")
    assert "konda2013mesotherapy" in written
    assert "Lists current dermatology indications" in written
    table = result.output
    assert "evidence" in table
    assert "related: not judged" in table or "supports" in table
