"""The claim-checking pipeline: verdicts, citations, verifier interface, reports."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from mesorefs.claims import SCHEMA, BaselineVerifier, Judgement, LinkSettings, check_claims
from mesorefs.claims.check import decide
from mesorefs.claims.evidence import Passage, file_paths, passages_for
from mesorefs.claims.retrieve import ScoredPassage, build_index, rank, stem
from mesorefs.claims.verify import specific_tokens
from mesorefs.models import PartialDate, Person, Reference

DEFINITION = "Mesotherapy is a type of therapy where the patient’s own blood"


def _ref(key: str, annote: str, **fields: object) -> Reference:
    return Reference(key=key, title=fields.pop("title", key), annote=annote, **fields)


def test_seed_every_checkworthy_claim_gets_a_verdict(
    seed_text: str, seed_refs: list[Reference]
) -> None:
    """Every sentence and list item of the seed article is in the report with a verdict."""
    report = check_claims(seed_text, seed_refs)
    checked = report.checked
    assert len(checked) >= 35
    assert all(
        r.verdict
        in ("supported", "partly supported", "contradicted", "needs review", "unsupported")
        for r in checked
    )
    items = [r for r in checked if r.claim.kind == "item"]
    assert len(items) == 10
    assert not any("Rohrich" in r.claim.text for r in report.claims)


def test_seed_definition_is_not_supported(seed_text: str, seed_refs: list[Reference]) -> None:
    """The article's wrong definition of mesotherapy is not reported as supported."""
    report = check_claims(seed_text, seed_refs)
    result = next(r for r in report.claims if r.claim.text.startswith(DEFINITION))
    assert result.verdict not in {"supported", "partly supported"}
    assert not any(lk.stance == "supports" for lk in result.links)
    assert result.links  # the closest references are named


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("How Does Mesotherapy Work?", "heading"),
        ("Does mesotherapy work at all for hair?", "question"),
        ("If you develop an infection, call your doctor immediately.", "advice"),
        ("To avoid infection, only get injections from a professional.", "advice"),
        ("Click here to subscribe to our newsletter today.", "boilerplate"),
        ("These include:", "list lead-in (checked through its items)"),
    ],
    ids=["heading", "question", "advice-if", "advice-to", "boilerplate", "lead-in"],
)
def test_not_checkworthy_reasons(text: str, reason: str) -> None:
    """Headings, questions, advice and boilerplate are kept but not checked, with the reason."""
    report = check_claims(
        f"Intro sentence about skin.\n\n{text}\n\nAnother sentence about skin.", []
    )
    result = next(r for r in report.claims if r.claim.text == text)
    assert not result.claim.checkworthy
    assert result.claim.reason == reason
    assert result.verdict == "not checked"


SIDED = BaselineVerifier(relevance=0.5, support=0.5, contradict=0.5, dense_weight=0.0)
"""The baseline with both sides switched on, as a user may configure it."""


@pytest.mark.parametrize(
    ("claim", "passage", "stance", "cue"),
    [
        (
            "Mesotherapy improves facial skin.",
            "Facial mesotherapy gave no significant clinical benefit for the skin.",
            "contradicts",
            "no effect reported",
        ),
        (
            "Vitamin B12 deficiency increases homocysteine levels.",
            "Vitamin B12 deficiency decreases homocysteine levels.",
            "contradicts",
            "opposite direction",
        ),
        (
            "Mesotherapy uses injections into the skin.",
            "Mesotherapy uses many injections into the skin.",
            "supports",
            "similar",
        ),
        ("Mesotherapy uses injections into the skin.", "Lasers remove tattoos.", "neutral", None),
    ],
    ids=["no-significant", "opposite-direction", "support", "unrelated"],
)
def test_baseline_verifier_cues(claim: str, passage: str, stance: str, cue: str | None) -> None:
    """With its sides switched on, the baseline labels stance from similarity and the
    disagreement cues, and says which cue."""
    p = Passage("k", "annote", passage, 0, len(passage), 0)
    idf = {"mesotherapy": 0.5}
    (judgement,) = SIDED.verify(claim, [ScoredPassage(p, 1.0, 1.0, None)], idf)
    assert judgement.stance == stance
    if cue:
        assert cue in judgement.cues


@pytest.mark.parametrize(
    "verifier",
    [BaselineVerifier(), BaselineVerifier.lexical()],
    ids=["dense", "lexical"],
)
def test_default_baseline_takes_no_side(verifier: BaselineVerifier) -> None:
    """The shipped baseline thresholds take no side: none was precise enough on training data."""
    claim = "Mesotherapy uses injections into the skin."
    p = Passage("k", "annote", claim, 0, len(claim), 0)
    (judgement,) = verifier.verify(claim, [ScoredPassage(p, 1.0, 1.0, 0.99)], {})
    assert judgement.stance == "neutral"
    assert judgement.relevance >= verifier.relevance
    assert "never supports" in verifier.name and "never contradicts" in verifier.name


def _supported_doc() -> tuple[str, list[Reference]]:
    refs = [
        _ref(
            "amin2006",
            "Facial mesotherapy with hyaluronic acid gave no significant clinical benefit.",
            authors=[Person(family="Amin")],
            issued=PartialDate(year=2006),
        ),
        _ref(
            "sivagnanam2010",
            "Mesotherapy delivers many small intradermal injections of drug mixtures.",
            authors=[Person(family="Sivagnanam")],
            issued=PartialDate(year=2010),
        ),
        _ref("other", "Lasers remove tattoos with short pulses of light."),
    ]
    text = (
        "# Mesotherapy\n\n"
        "Mesotherapy delivers many small intradermal injections of drug mixtures.\n"
        "Facial mesotherapy with hyaluronic acid gives a significant clinical benefit"
        " (Amin et al. 2006).\n"
        "Lasers remove tattoos with short pulses of light [1].\n"
    )
    return text, refs


def test_citation_checks_and_better_reference() -> None:
    """A cited reference that does not support the claim is flagged, with a better one if any."""
    text, refs = _supported_doc()
    report = check_claims(text, refs, encoder=False, verifier=SIDED)
    by_text = {r.claim.text: r for r in report.claims}
    facial = next(r for t, r in by_text.items() if t.startswith("Facial"))
    assert facial.citation_checks[0].key == "amin2006"
    assert facial.verdict == "contradicted"
    assert not facial.citation_checks[0].supports
    lasers = next(r for t, r in by_text.items() if t.startswith("Lasers"))
    assert lasers.citation_checks[0].key == "amin2006"  # [1] is the first reference: wrong one
    assert lasers.citation_checks[0].better == "other"


def test_reports_json_markdown_annotate() -> None:
    """JSON follows the documented schema; Markdown lists verdicts; annotate inserts [@key]."""
    text, refs = _supported_doc()
    report = check_claims(text, refs, encoder=False, verifier=SIDED)
    data = json.loads(report.to_json())
    assert data["schema"] == SCHEMA
    assert data["engine"] == report.engine and data["ranking"] == "bm25"
    claim = data["claims"][1]
    for key in ("id", "text", "start", "end", "section", "checkworthy", "verdict", "links"):
        assert key in claim
    link = claim["links"][0]
    assert {"key", "stance", "score", "evidence"} <= set(link)
    assert {"field", "text", "start", "end"} <= set(link["evidence"])
    assert "**supported**" in report.to_markdown()
    annotated = report.annotate(evidence=False)
    assert "drug mixtures [@sivagnanam2010]." in annotated
    assert "light [1] [@other]." in annotated  # the cited [1] does not support it; [@other] does
    assert annotated.count("[@") == 2


def test_html_escapes_everything() -> None:
    """Text from the document and from references cannot inject markup into the HTML page."""
    refs = [_ref("x", "Mesotherapy uses <script>alert(1)</script> injections into skin.")]
    text = "Mesotherapy uses <script>alert(1)</script> injections into skin.\n"
    page = check_claims(text, refs, format="text").to_html()
    assert "<script>alert(1)" not in page
    assert page.count("<script") == 2  # the JSON data block and the page's own script


class _AlwaysSupports:
    """A stand-in for a learned verifier."""

    name = "always-supports/test"
    relevance = 0.0

    def verify(
        self, claim: str, passages: Sequence[ScoredPassage], idf: Mapping[str, float]
    ) -> list[Judgement]:
        return [Judgement("supports", 0.9, 1.0, ("test",)) for _ in passages]


def test_verifier_is_pluggable_and_named(seed_text: str, seed_refs: list[Reference]) -> None:
    """Any Verifier drops in, and the report names the engine that produced it."""
    report = check_claims(seed_text, seed_refs, verifier=_AlwaysSupports())
    assert report.engine == "always-supports/test"
    assert all(r.verdict == "supported" for r in report.checked)


@pytest.mark.parametrize(
    ("judged", "verdict"),
    [
        ([], "unsupported"),
        ([("a", Judgement("neutral", 0.9, 0.1))], "unsupported"),
        ([("a", Judgement("neutral", 0.6, 0.4))], "needs review"),
        ([("a", Judgement("supports", 0.8, 0.8))], "supported"),
        ([("a", Judgement("contradicts", 0.8, 0.8))], "contradicted"),
        (
            [("a", Judgement("supports", 0.8, 0.8)), ("b", Judgement("contradicts", 0.75, 0.8))],
            "needs review",
        ),
        (
            [("a", Judgement("supports", 0.85, 0.85)), ("b", Judgement("contradicts", 0.6, 0.6))],
            "needs review",
        ),
        (
            [("a", Judgement("supports", 0.6, 0.6)), ("b", Judgement("contradicts", 0.85, 0.85))],
            "needs review",
        ),
    ],
    ids=[
        "nothing",
        "irrelevant",
        "relevant-neutral",
        "support",
        "contradict",
        "conflict",
        "stronger-support-still-disagrees",
        "stronger-contradiction-still-disagrees",
    ],
)
def test_decide(judged: list[tuple[str, Judgement]], verdict: str) -> None:
    """Verdicts follow from the per-reference judgements; references that disagree need
    review whatever their confidences (each side's threshold stands for its own precision)."""
    assert decide(judged, 0.3) == verdict


def test_full_text_file_is_read(tmp_path: Path) -> None:
    """A text file named in the reference's file field becomes passages with positions."""
    (tmp_path / "paper.txt").write_text(
        "Intro words here.\n\nMesotherapy thickens the dermis in rats.\n"
    )
    ref = Reference(key="p", title="Paper", extra={"file": "Full text:paper.txt:text/plain"})
    passages = passages_for(ref, base_dir=tmp_path)
    full = [p for p in passages if p.field == "fulltext"]
    assert full[-1].text == "Mesotherapy thickens the dermis in rats."
    source = (tmp_path / "paper.txt").read_text()
    assert source[full[-1].start : full[-1].end] == full[-1].text


@pytest.mark.parametrize(
    ("value", "paths"),
    [
        ("paper.pdf", ["paper.pdf"]),
        ("a.pdf;b.txt", ["a.pdf", "b.txt"]),
        (":papers/a.pdf:PDF", ["papers/a.pdf"]),
    ],
    ids=["plain", "zotero-list", "jabref"],
)
def test_file_field_forms(value: str, paths: list[str]) -> None:
    """The common BibTeX file-field spellings yield their paths."""
    assert file_paths(value) == paths


def test_ranking_prefers_the_matching_reference() -> None:
    """BM25 ranking puts the reference that shares the claim's words first."""
    passages = [
        Passage("a", "abstract", "Lasers remove tattoos.", 0, 22, 0),
        Passage("b", "abstract", "Mesotherapy injects vitamins into the skin.", 0, 43, 0),
    ]
    ranked = rank(build_index(passages), "vitamins injected into skin")
    assert ranked[0].key == "b" and ranked[0].passages[0].passage.index == 0


@pytest.mark.parametrize(
    ("word", "expected"),
    [("injections", "inject"), ("injected", "inject"), ("studies", "study"), ("virus", "virus")],
    ids=["ions", "ed", "ies", "us"],
)
def test_stem(word: str, expected: str) -> None:
    """The light stemmer folds common inflections."""
    assert stem(word) == expected


# -- contradictions need the claim's own subject ------------------------------------------

# A library about one topic: "mesotherapy" is in every reference, so it names the topic and
# is not specific to any claim; the other words are rare.
TOPIC_IDF = {"mesotherapy": 0.05, "inject": 0.3, "treatment": 1.2, "skin": 0.2}


def _judge(claim: str, passage: str, idf: Mapping[str, float] = TOPIC_IDF) -> Judgement:
    p = Passage("k", "annote", passage, 0, len(passage), 0)
    (judgement,) = SIDED.verify(claim, [ScoredPassage(p, 1.0, 1.0, None)], idf)
    return judgement


def test_topic_words_are_not_specific() -> None:
    """Words found in most references (the topic) do not make a passage about the claim."""
    specific = specific_tokens("Mesotherapy involves injections with a small blade.", TOPIC_IDF)
    assert "mesotherapy" not in specific and "inject" not in specific
    assert {"blade", "small"} <= set(specific)
    # In a library too small to tell topic from subject, every content word counts.
    assert "mesotherapy" in specific_tokens("Mesotherapy uses blades.", {"mesotherapy": 0.5})


@pytest.mark.parametrize(
    ("claim", "passage"),
    [
        (
            "Mesotherapy involves the use of injections, either with a needle or a small blade.",
            "Presents mesotherapy as a drug-delivery method with needle injections rather than"
            " a treatment for any specific disease.",
        ),
        (
            "A number of factors play a role in how well mesotherapy works.",
            "Notes that few clinical studies had evaluated mesotherapy's efficacy in any form.",
        ),
        (
            "Vitamin D supplements reduce fracture risk in older women.",
            "Vitamin D supplements reduce fracture risk in older women; the trial was not blinded.",
        ),
        (
            "Statins lower cholesterol in adults with diabetes.",
            "Statins lower cholesterol in adults with diabetes, and the rise in liver enzymes"
            " reported by earlier trials was not seen in this cohort of patients.",
        ),
    ],
    ids=["rather-than-elsewhere", "few-studies-off-topic", "negation-other-clause", "far-negation"],
)
def test_cue_about_something_else_does_not_contradict(claim: str, passage: str) -> None:
    """A negative cue that speaks about other words than the claim's is no contradiction."""
    judgement = _judge(claim, passage)
    assert judgement.stance != "contradicts", judgement.cues


@pytest.mark.parametrize(
    ("claim", "passage", "cue"),
    [
        (
            "Vitamin D supplements reduce fracture risk in older women.",
            "Vitamin D supplements did not reduce fracture risk in older women.",
            "no effect reported",
        ),
        (
            "Aspirin increases bleeding risk after dental surgery.",
            "Aspirin decreases bleeding risk after dental surgery.",
            "opposite direction",
        ),
        (
            "Aspirin does not change bleeding risk after dental surgery.",
            "Aspirin raises bleeding risk after dental surgery.",
            "negation differs",
        ),
    ],
    ids=["did-not", "opposite-direction", "negated-claim"],
)
def test_cue_about_the_claim_contradicts(claim: str, passage: str, cue: str) -> None:
    """A cue next to the claim's own specific words contradicts it, and is named."""
    judgement = _judge(claim, passage)
    assert judgement.stance == "contradicts"
    assert cue in judgement.cues


def test_negative_claim_agrees_with_negative_evidence() -> None:
    """A claim that something does not work is supported, not contradicted, by 'no effect'."""
    judgement = _judge(
        "Aspirin does not change bleeding risk after dental surgery.",
        "Aspirin had no effect on bleeding risk after dental surgery.",
    )
    assert judgement.stance == "supports"


def test_dense_ranking_is_the_default(dense_encoder: object) -> None:
    """check_claims ranks with the shipped encoder unless told not to, and says which ran."""
    text, refs = _supported_doc()
    dense = check_claims(text, refs)
    assert dense.ranking == "bm25+all-MiniLM-L6-v2"
    assert dense.engine.startswith("stance-lr/")  # the learned judgement needs dense scores
    lexical = check_claims(text, refs, encoder=False)
    assert lexical.ranking == "bm25"
    assert lexical.engine == BaselineVerifier.lexical().name
    assert check_claims(text, refs, settings=LinkSettings(dense=False)).ranking == "bm25"
    assert not dense.warnings


class _BrokenEncoder:
    name = "broken"

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        raise RuntimeError("model file is damaged")


def test_broken_encoder_falls_back_to_lexical_with_a_warning() -> None:
    """A dense encoder that fails does not stop the check: lexical ranking, and a warning."""
    text, refs = _supported_doc()
    report = check_claims(text, refs, encoder=_BrokenEncoder())
    assert report.ranking == "bm25"
    assert any("dense ranking failed" in w for w in report.warnings)
    assert report.engine == BaselineVerifier.lexical().name


INJECTIONS = (
    "Mesotherapy involves the use of injections, either with a needle or with a small blade."
)


def test_seed_dense_no_spurious_contradictions(
    seed_text: str, seed_refs: list[Reference], dense_encoder: object
) -> None:
    """With dense ranking and the shipped thresholds, no reference is said to contradict a
    claim it agrees with, and the wrong definition is not supported."""
    report = check_claims(seed_text, seed_refs)
    assert report.ranking == "bm25+all-MiniLM-L6-v2"
    by_text = {r.claim.text: r for r in report.checked}
    assert by_text[INJECTIONS].verdict != "contradicted"
    assert not any(lk.stance == "contradicts" for lk in by_text[INJECTIONS].links)
    definition = next(r for t, r in by_text.items() if t.startswith(DEFINITION))
    assert definition.verdict not in {"supported", "partly supported"}


THICKEN = "This is because mesotherapy injections can thicken the skin"


def test_seed_verdicts_follow_the_references(
    seed_text: str, seed_refs: list[Reference], dense_encoder: object
) -> None:
    """The reference that lists a use is shown for it and nothing contradicts it; an effect
    that a null trial speaks against is not supported; a chemical no reference names is
    unsupported, with the words no reference mentions."""
    report = check_claims(seed_text, seed_refs)
    by_text = {r.claim.text: r for r in report.checked}
    alopecia = next(r for t, r in by_text.items() if t.startswith("Androgenic alopecia"))
    assert "konda2013mesotherapy" in {lk.key for lk in alopecia.links}
    assert not any(lk.stance == "contradicts" for lk in alopecia.links)
    effect = next(r for t, r in by_text.items() if t.startswith(THICKEN))
    assert effect.verdict not in {"supported", "partly supported"}
    chemicals = next(r for t, r in by_text.items() if "zinc oxide" in t)
    assert chemicals.verdict not in {"supported", "contradicted"}
    zinc = next(p for p in chemicals.parts if p.part.text == "zinc oxide")
    assert zinc.verdict == "unsupported"
    assert "no reference mentions zinc, oxide" in zinc.explanation
    assert seed_text[zinc.part.start : zinc.part.end] == "zinc oxide"
