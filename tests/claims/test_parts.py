"""Claims that join several statements are split into parts, each with its span."""

from __future__ import annotations

import pytest

from mesorefs.claims import check_claims, extract_claims, parse_document
from mesorefs.claims.parts import split_claim


@pytest.mark.parametrize(
    ("text", "parts", "queries"),
    [
        (
            "A few treatments use chemicals such as salicylic acid, iodine, zinc oxide"
            " and even vitamins C and E.",
            ["salicylic acid", "iodine", "zinc oxide", "even vitamins C and E"],
            [
                "A few treatments use chemicals such as salicylic acid.",
                "A few treatments use chemicals such as iodine.",
                "A few treatments use chemicals such as zinc oxide.",
                "A few treatments use chemicals such as vitamins C and E.",
            ],
        ),
        (
            "The injections can thicken the skin, strengthen it and reduce wrinkles and scars.",
            ["thicken the skin", "strengthen it", "reduce wrinkles and scars"],
            [
                "The injections can thicken the skin.",
                "The injections can strengthen it.",
                "The injections can reduce wrinkles and scars.",
            ],
        ),
        (
            "The skin may become red, swollen and itchy for a few days.",
            ["red", "swollen", "itchy"],
            [
                "The skin may become red for a few days.",
                "The skin may become swollen for a few days.",
                "The skin may become itchy for a few days.",
            ],
        ),
        (
            "This treatment is painless and requires no medication.",
            ["This treatment is painless", "requires no medication"],
            ["This treatment is painless", "This treatment requires no medication"],
        ),
    ],
    ids=["list", "verb-list", "adjective-list", "two-clauses"],
)
def test_lists_and_conjunctions_split(text: str, parts: list[str], queries: list[str]) -> None:
    """Each listed item or joined clause is a part, read in the sentence's frame."""
    got = split_claim(text)
    assert [p.text for p in got] == parts
    assert [p.query for p in got] == queries
    assert all(text[p.start : p.end] == p.text for p in got)


@pytest.mark.parametrize(
    "text",
    [
        "Mesotherapy involves the use of injections, either with a needle or with a small blade.",
        "Most of the time, these side effects are minor and temporary.",
        "Mesotherapy and dermarolling are two different treatments.",
        "It depends on the type of fluid used (blood, plasma and platelets).",
        "Like any medical treatment, mesotherapy can cause side effects.",
        "The needles help the skin produce new collagen and elastin.",
    ],
    ids=["either-or", "clause-after-comma", "pair", "parenthesised", "no-list", "noun-pair"],
)
def test_single_statements_stay_whole(text: str) -> None:
    """A choice, a pair, a parenthesised example list or a plain sentence is one part."""
    (part,) = split_claim(text)
    assert part.text == text.rstrip(".")
    assert part.query == part.text


def test_item_is_read_under_its_lead_in() -> None:
    """A list item is checked as its lead-in says it, and "A and/or B" gives two parts."""
    lead = "Mesotherapy is used to treat several conditions"
    (alopecia,) = split_claim("Androgenic alopecia (pattern baldness)", lead)
    assert alopecia.query == f"{lead}: Androgenic alopecia (pattern baldness)"
    acne, colour = split_claim("Acne scars and/or discoloration", lead)
    assert (acne.text, colour.text) == ("Acne scars", "discoloration")
    assert colour.query == f"{lead}: discoloration"
    assert (colour.start, colour.end) == (18, 31)


def test_part_spans_point_into_the_document() -> None:
    """The parts of a claim carry offsets into the original document."""
    text = (
        "# Uses\n\nThe skin may become red, swollen and itchy for a few days.\n\n"
        "Mesotherapy is used to treat several conditions, including:\n\n"
        "- Acne scars and/or discoloration\n"
    )
    claims = extract_claims(parse_document(text))
    spans = [(p.text, text[p.start : p.end]) for c in claims for p in c.parts]
    assert ("swollen", "swollen") in spans
    assert ("discoloration", "discoloration") in spans
    assert all(a == b for a, b in spans)
    item = next(c for c in claims if c.kind == "item")
    assert item.parts[0].query.startswith("Mesotherapy is used to treat several conditions: ")


def test_report_lists_each_part_with_its_verdict() -> None:
    """A claim of several parts reports each part's verdict, and partly supported when mixed."""
    from mesorefs.models import Reference

    refs = [
        Reference(key="a", title="Uses", annote="The injections strengthen the skin."),
        Reference(key="b", title="Other", annote="Tattoo lasers use short pulses of light."),
    ]
    text = "The injections can thicken the skin, strengthen it and reduce wrinkles and scars.\n"
    report = check_claims(text, refs, encoder=False, verifier=_SupportsOnWord("strengthen"))
    (result,) = report.checked
    assert [p.part.text for p in result.parts] == [
        "thicken the skin",
        "strengthen it",
        "reduce wrinkles and scars",
    ]
    assert [p.verdict for p in result.parts][1] == "supported"
    assert result.verdict == "partly supported"
    assert "strengthen it" in result.explanation


class _SupportsOnWord:
    """A stand-in verifier: a passage supports a statement that holds ``word``."""

    relevance = 0.3

    def __init__(self, word: str) -> None:
        self.word = word

    @property
    def name(self) -> str:
        return f"supports-on-{self.word}"

    def verify(self, claim, passages, idf):  # type: ignore[no-untyped-def]
        from mesorefs.claims.verify import Judgement

        hit = self.word in claim and any(self.word in p.passage.text for p in passages)
        return [
            Judgement("supports", 0.9, 0.9) if hit else Judgement("neutral", 0.9, 0.1)
            for _ in passages
        ]
