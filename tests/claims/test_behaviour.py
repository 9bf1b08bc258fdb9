"""Behavioural tests (issue 26): the default backend on real sentences, and the generators.

The cases come from ``data/behaviour_sample.jsonl`` (40 real sentences, see data/README.md)
through the same generator and harness as ``benchmarks/behaviour_bench.py``.  Cases the
shipped default fails carry ``xfail(strict=True)`` (``FAILING_TODAY``): when a verifier
passes one, the test fails, and its mark is to be removed.
"""

from __future__ import annotations

import json
import random
import re
import sys
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from behaviour.corpora import Source, clean_sentence
from behaviour.harness import Harness, passes
from behaviour.negate import NEGATORS, VERBS, base_form, negate
from behaviour.numbers import NUMBER, change_number, numbers_in
from behaviour.perturb import (
    MARKER_STYLES,
    content_words,
    lead_in,
    lower_first,
    reorder,
    with_marker,
)
from behaviour.suite import TESTS, Case, build

SAMPLE = Path(__file__).parent / "data" / "behaviour_sample.jsonl"


ROWS = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
SOURCES: dict[str, list[Source]] = {}
for _row in ROWS:
    SOURCES.setdefault(_row["corpus"], []).append(
        Source(_row["corpus"], _row["id"], _row["title"], tuple(_row["sentences"]))
    )
SENTENCES = [row["sentences"][row["index"]] for row in ROWS]
SAMPLE_IDS = sorted(f"{row['corpus']}:{row['id']}:{row['index']}" for row in ROWS)


def _sample_cases() -> dict[str, list[Case]]:
    """Every case the generator makes from the sample's sentences (one per sentence and test;
    each sentence gets one of the four marker styles, in turn)."""
    cases, _ = build(SOURCES, list(TESTS), per_test=10_000, seed=0)
    out: dict[str, list[Case]] = {}
    for case in cases:
        if case.item.id not in SAMPLE_IDS:
            continue
        if case.test.startswith("marker-"):
            style = MARKER_STYLES[SAMPLE_IDS.index(case.item.id) % len(MARKER_STYLES)]
            if case.test != f"marker-{style}":
                continue
        key = "marker" if case.test.startswith("marker-") else case.test
        out.setdefault(key, []).append(case)
    return out


CASES = _sample_cases()

# Cases the shipped default fails, each marked xfail(strict=True, reason="issue 26: <what>"),
# so that a verifier passing one fails the test and the mark is removed.  None today: the
# 18 that stance-lr/1 failed at 60ba920 (3 own, 13 number, 1 numeric marker, 1 lead-in;
# docs/behaviour.md) all pass since the precision-first verifier and citation-aware
# checking of issue 26 were merged.
FAILING_TODAY: dict[str, str] = {}


def _params(test: str) -> list[Any]:
    return [
        pytest.param(
            case,
            id=case.id,
            marks=[pytest.mark.xfail(strict=True, reason=FAILING_TODAY[case.id])]
            if case.id in FAILING_TODAY
            else [],
        )
        for case in CASES.get(test, [])
    ]


@pytest.fixture(scope="module")
def harness(dense_encoder: Any) -> Harness:
    """The shipped default verifier with the shipped dense encoder, answers remembered."""
    return Harness(None, dense_encoder)


def _outcome(harness: Harness, case: Case) -> str:
    result = harness.run(case)
    assert result.passed is not None, f"{case.id}: no checkworthy claim in {case.variant!r}"
    assert result.passed, f"{case.id}: {result.before} -> {result.after} for {case.variant!r}"
    return "passed"


def test_the_sample_feeds_every_test() -> None:
    """The fixture gives every test cases (the sentences were chosen for that)."""
    counts = {test: len(cases) for test, cases in CASES.items()}
    assert counts["own"] == counts["marker"] == counts["unrelated"] == len(SENTENCES) == 40
    assert counts["lead-in"] >= 30
    assert counts["negation"] >= 15 and counts["number"] >= 10 and counts["reorder"] >= 8


@pytest.mark.parametrize("case", _params("own"))
def test_own_source_not_contradicted(harness: Harness, case: Case) -> None:
    """A sentence checked against the passage it comes from is never contradicted."""
    assert _outcome(harness, case) == "passed"


@pytest.mark.parametrize("case", _params("negation"))
def test_negation_not_supported(harness: Harness, case: Case) -> None:
    """The sentence negated is never called supported by its own source."""
    assert _outcome(harness, case) == "passed"


@pytest.mark.parametrize("case", _params("number"))
def test_changed_number_not_supported(harness: Harness, case: Case) -> None:
    """The sentence with one of its numbers changed is never called supported."""
    assert _outcome(harness, case) == "passed"


@pytest.mark.parametrize("case", _params("marker"))
def test_marker_changes_no_verdict(harness: Harness, case: Case) -> None:
    """A citation marker naming the source ([@src], [n], \\cite{src}, (Smith et al., 2010))
    changes no verdict."""
    assert _outcome(harness, case) == "passed"


@pytest.mark.parametrize("case", _params("lead-in"))
def test_lead_in_changes_no_verdict(harness: Harness, case: Case) -> None:
    """A lead-in ("Studies show that ...") changes no verdict."""
    assert _outcome(harness, case) == "passed"


@pytest.mark.parametrize("case", _params("reorder"))
def test_reorder_changes_no_verdict(harness: Harness, case: Case) -> None:
    """Moving a fronted phrase to the end, or swapping contrasted clauses, changes no verdict."""
    assert _outcome(harness, case) == "passed"


@pytest.mark.parametrize("case", _params("unrelated"))
def test_unrelated_passages_take_no_side(harness: Harness, case: Case) -> None:
    """Against passages of another corpus that share no word with it, a sentence is neither
    supported nor contradicted."""
    assert _outcome(harness, case) == "passed"


@pytest.mark.parametrize(
    ("test", "before", "after", "expected"),
    [
        ("own", (), ("supported",), True),
        ("own", (), ("needs review", "contradicted"), False),
        ("own", (), (), None),
        ("negation", (), ("partly supported",), True),
        ("negation", (), ("supported",), False),
        ("number", (), ("unsupported",), True),
        ("unrelated", (), ("partly supported",), False),
        ("unrelated", (), ("needs review",), True),
        ("lead-in", ("supported",), ("supported",), True),
        ("lead-in", ("supported",), ("needs review",), False),
        ("marker-pandoc", (), ("supported",), None),
    ],
    ids=[
        "own-supported",
        "own-contradicted",
        "own-not-checked",
        "negation-partly",
        "negation-supported",
        "number-unsupported",
        "unrelated-side",
        "unrelated-review",
        "inv-same",
        "inv-changed",
        "inv-original-not-checked",
    ],
)
def test_passes_reads_verdicts(
    test: str, before: tuple[str, ...], after: tuple[str, ...], expected: bool | None
) -> None:
    """Each test reads the verdicts as docs/behaviour.md says."""
    assert passes(test, before, after) is expected


# --- the generators -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "negated"),
    [
        (
            "Vitamin D reduced the risk of infection.",
            "Vitamin D did not reduce the risk of infection.",
        ),
        (
            "The drug increases blood pressure in mice.",
            "The drug does not increase blood pressure in mice.",
        ),
        ("Statins reduce the risk of stroke.", "Statins do not reduce the risk of stroke."),
        (
            "Patients treated with aspirin were less likely to die.",
            "Patients treated with aspirin were not less likely to die.",
        ),
        (
            "This approach has been shown to improve outcomes.",
            "This approach has not been shown to improve outcomes.",
        ),
        ("The virus can infect bats.", "The virus cannot infect bats."),
        ("Patients had higher viral loads.", "Patients did not have higher viral loads."),
        ("Needle penetration should not exceed 4 mm.", "Needle penetration should exceed 4 mm."),
        (
            "In adults, the vaccine significantly lowered mortality.",
            "In adults, the vaccine did not significantly lower mortality.",
        ),
        ("The samples were stopped early.", "The samples were not stopped early."),
        ("The cohort studied diet and sleep.", "The cohort did not study diet and sleep."),
    ],
    ids=[
        "past",
        "third-person",
        "plural",
        "participle-subject",
        "perfect",
        "can",
        "have",
        "double-negation",
        "fronted-adverb",
        "passive",
        "ied-past",
    ],
)
def test_negate(sentence: str, negated: str) -> None:
    """The main verb is negated by "not" after an auxiliary or by do-support and base form."""
    assert negate(sentence).text == negated


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Masks may reduce transmission.", "hedged modal"),
        ("Some patients had severe disease.", "quantified"),
        ("Of the 17 patients, 5 had a fever.", "numeric subject"),
        ("Although rare, the disease was fatal.", "before the main verb"),
        ("Genes that are expressed in the liver show rhythms.", "before the main verb"),
        ("The drug was never tested in children.", "already negative"),
        ("The drug reduced pain and improved sleep.", "coordinated verbs"),
        ("Patients treated with aspirin showed fewer events.", "two verbs"),
        ("The drug was also tested in children.", "'was also'"),
        ("Results from the trial.", "no main verb"),
    ],
    ids=[
        "hedge",
        "quantifier",
        "numeric-subject",
        "subordinate",
        "relative",
        "negative",
        "coordinated",
        "reduced-relative",
        "awkward-adverb",
        "fragment",
    ],
)
def test_negate_skips_what_it_cannot_read(sentence: str, reason: str) -> None:
    """A sentence the rules cannot negate safely is skipped with a reason, not garbled."""
    negation = negate(sentence)
    assert negation.text is None and reason in negation.note


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("reduced", ("reduce", "past")),
        ("showed", ("show", "past")),
        ("found", ("find", "past")),
        ("studied", ("study", "past")),
        ("increases", ("increase", "present")),
        ("implies", ("imply", "present")),
        ("stopped", ("stop", "past")),
        ("patients", None),
        ("levels", None),
    ],
    ids=["drop-d", "drop-ed", "irregular", "ied", "drop-s", "ies", "doubled", "noun", "noun-2"],
)
def test_base_form(word: str, expected: tuple[str, str] | None) -> None:
    """Finite forms map to their base form and tense through the verb lexicon; nouns do not."""
    assert base_form(word) == expected


_SUBJECTS = ["The treatment", "The new vaccine", "Our cohort", "Air pollution", "This model"]
_AUX = ["is", "was", "will be", "should be", "has been", "must be", "were", "are"]


@given(st.sampled_from(_SUBJECTS), st.sampled_from(_AUX), st.sampled_from(["common", "rising"]))
def test_negating_twice_gives_back_an_auxiliary_sentence(subject: str, aux: str, word: str) -> None:
    """Negating "X <aux> Y." inserts "not" after the auxiliary, and negating that removes it."""
    sentence = f"{subject} {aux} {word} in older adults."
    negated = negate(sentence).text
    first = aux.split()[0]
    assert negated == sentence.replace(f" {first} ", f" {first} not ", 1)
    assert negate(negated).text == sentence


@given(st.sampled_from(_SUBJECTS), st.sampled_from(sorted(VERBS)))
def test_third_person_verbs_get_do_support(subject: str, verb: str) -> None:
    """Any lexicon verb in the third person singular is negated as "does not" + the verb."""
    form = (
        verb[:-1] + "ies"
        if verb.endswith("y") and verb[-2] not in "aeiou"
        else (verb + "es" if verb.endswith(("s", "x", "z", "ch", "sh", "o")) else verb + "s")
    )
    assume(base_form(form) == (verb, "present") and form not in NEGATORS)  # "fails", "lacks"
    sentence = f"{subject} {form} the outcome."
    assert negate(sentence).text == f"{subject} does not {verb} the outcome."


_TOKENS = re.compile(r"\S+")


@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "patients",
                    "the",
                    "rate",
                    "was",
                    "in",
                    "of",
                    "IL-6",
                    "COVID-19",
                    "(p",
                    "<",
                    "0.05)",
                    "up",
                    "to",
                    "95%",
                    "CI",
                    "10-20",
                    "H1N1",
                ]
            ),
            st.integers(0, 5000).map(str),
            st.floats(0, 100, allow_nan=False).map(lambda f: f"{f:.2f}"),
            st.integers(1, 99).map(lambda n: f"{n}%"),
        ),
        min_size=1,
        max_size=14,
    ),
    st.integers(0, 1000),
)
def test_number_changer_changes_exactly_one_number(words: list[str], seed: int) -> None:
    """A change touches one stated number and nothing else: the text around it is the same,
    the number differs, and every other number is where it was."""
    sentence = " ".join(words) + "."
    change = change_number(sentence, seed)
    if change is None:
        assert not numbers_in(sentence)
        return
    end = change.start + len(change.old)
    assert sentence[change.start : end] == change.old
    assert change.text == sentence[: change.start] + change.new + sentence[end:]
    assert float(change.new.replace(",", "")) != float(change.old.replace(",", ""))
    before = [m.group() for m in NUMBER.finditer(sentence)]
    after = [m.group() for m in NUMBER.finditer(change.text)]
    assert len(before) == len(after)
    assert sum(1 for a, b in zip(before, after, strict=True) if a != b) == 1


@pytest.mark.parametrize(
    "sentence",
    [
        "Ten patients (p < 0.05) improved.",
        "IL-6 and COVID-19 rose in H1N1.",
        "It lasted up to 3 days.",
        "The 95% CI was wide.",
        "Rates fell from 10-20 per week.",
        "Zhang (2) reported it.",
        "CO 2 rose sharply.",
    ],
    ids=["bound", "names", "up-to", "confidence", "range", "reference-number", "formula"],
)
def test_numbers_that_are_not_statements_are_left(sentence: str) -> None:
    """Digits of names, bounds, ranges and reference numbers are never changed."""
    assert change_number(sentence, 0) is None


@given(st.sampled_from(SENTENCES), st.sampled_from(MARKER_STYLES), st.integers(0, 20))
def test_marker_goes_before_the_full_stop(sentence: str, style: str, n: int) -> None:
    """A marker is added before the final full stop and the sentence is otherwise unchanged."""
    from behaviour.perturb import marker

    mark = marker(style, "src", n, "Smith", 2010)
    assert with_marker(sentence, mark) == f"{sentence[:-1]} {mark}."


def _word_counts(text: str) -> Counter[str]:
    return Counter(w.lower() for w in re.findall(r"[\w'-]+", text))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "During the pandemic, hospital admissions for asthma decreased sharply.",
            "Hospital admissions for asthma decreased sharply during the pandemic.",
        ),
        (
            "Vitamin D levels rose in winter, whereas calcium levels remained stable.",
            "Calcium levels remained stable, whereas Vitamin D levels rose in winter.",
        ),
        ("The drug lowered blood pressure, but it caused headaches.", None),
        ("For example, the drug lowered blood pressure in adults.", None),
        ("On the other hand, the drug lowered blood pressure in adults.", None),
        ("When treated early, the patients recovered within days.", None),
    ],
    ids=[
        "fronted",
        "whereas",
        "pronoun-anaphora",
        "discourse-marker",
        "discourse-phrase",
        "subordinate",
    ],
)
def test_reorder(sentence: str, expected: str | None) -> None:
    """Fronted phrases move to the end, contrasted clauses swap; unsafe ones are left."""
    moved = reorder(sentence)
    assert (moved[0] if moved else None) == expected


@given(st.sampled_from(SENTENCES))
def test_reorder_keeps_every_word(sentence: str) -> None:
    """A reordering keeps the sentence's words (case aside), each as often."""
    moved = reorder(sentence)
    assume(moved is not None)
    assert moved is not None and _word_counts(moved[0]) == _word_counts(sentence)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The drug works.", "Studies show that the drug works."),
        ("COVID-19 spreads indoors.", "Studies show that COVID-19 spreads indoors."),
        ("Neptune is far away.", "Studies show that Neptune is far away."),
    ],
    ids=["function-word", "acronym", "name"],
)
def test_lead_in(sentence: str, expected: str) -> None:
    """A lead-in lowers the first letter only of a word that is not a name."""
    assert lead_in(sentence, "Studies show that") == expected
    assert lower_first("Masks work.", {"masks": 3}) == "masks work."


@pytest.mark.parametrize(
    ("sentence", "clean"),
    [
        ("The vaccine lowered the rate of infection in older adults.", True),
        ("CONTEXT Gastroesophageal reflux has been regarded as a hereditary disease.", False),
        ("Masks could decrease the reproduction number if widely used. 2.", False),
        ("Zhou et al (2) mentioned that the animals were the main route.", False),
        ("The rate rose (see below in the second table of results.", False),
        ("Short sentence here.", False),
        ("The rate rose by 5% in the winter months: a sharp rise.", False),
    ],
    ids=["clean", "abstract-label", "list-number", "et-al", "brackets", "short", "colon"],
)
def test_clean_sentence(sentence: str, clean: bool) -> None:
    """Only whole declarative sentences of 8-40 words without markup become test items."""
    assert clean_sentence(sentence) is clean


def test_lead_in_skips_sentences_about_the_study() -> None:
    """No lead-in for a sentence about the study itself or leaning on the one before."""
    assert lead_in("Here, we report two models of mask use.", "Studies show that") is None
    assert lead_in("These results suggest a role for IL-6.", "Studies show that") is None


def test_sample_sentences_are_clean() -> None:
    """Every sample sentence passes the generator's sentence filter, and an unrelated list
    shares no content word with its sentence."""
    assert all(clean_sentence(s) for s in SENTENCES)
    for case in CASES["unrelated"]:
        words = content_words(case.variant)
        assert all(not words & content_words(s.text) for s in case.library)


# --- the nli: backend: a tiny model that sees citation markers ------------------------------


def _marker_blind_model(folder: Path, words: set[str]) -> Path:
    """An exported model that says "entailment" unless the claim holds a word it does not
    know (then "contradiction"): a citation marker that reaches the model changes its
    answer.  Its vocabulary is ``words``."""
    torch: Any = pytest.importorskip("torch")
    from tokenizers import Tokenizer, models, pre_tokenizers, processors

    class UnknownWords(torch.nn.Module):  # type: ignore[misc]
        def forward(self, input_ids: Any, token_type_ids: Any) -> Any:
            unknown = ((input_ids == 1) & (token_type_ids == 0)).sum(dim=1, keepdim=True)
            count = unknown.float()
            return torch.cat([5.0 - 10.0 * count, torch.zeros_like(count), 10.0 * count], 1)

    folder.mkdir()
    ids = torch.ones((1, 4), dtype=torch.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter is deprecated, still works
        try:
            torch.onnx.export(
                UnknownWords(),
                (ids, ids * 0),
                str(folder / "model.onnx"),
                input_names=["input_ids", "token_type_ids"],
                output_names=["logits"],
                dynamic_axes={
                    "input_ids": {0: "b", 1: "s"},
                    "token_type_ids": {0: "b", 1: "s"},
                    "logits": {0: "b"},
                },
                dynamo=False,
            )
        except Exception as error:  # a torch without the TorchScript exporter
            pytest.skip(f"cannot export a tiny ONNX model: {type(error).__name__}")
    vocab = {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3}
    for word in sorted(words):
        vocab.setdefault(word, len(vocab))
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", 2), ("[SEP]", 3)],
    )
    tokenizer.save(str(folder / "tokenizer.json"))
    config = {"id2label": {"0": "entailment", "1": "neutral", "2": "contradiction"}}
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return folder


NLI_CASES = [c for c in CASES["own"] if "," not in c.variant and "(" not in c.variant][:4]


@pytest.fixture(scope="module")
def nli_harness(tmp_path_factory: pytest.TempPathFactory) -> Harness:
    """The nli: backend on the tiny model, its vocabulary the words of the sample's claims."""
    from mesorefs.claims.backends import load_verifier

    words = {w for c in NLI_CASES for w in re.findall(r"\w+|[^\w\s]+", c.variant)}
    folder = _marker_blind_model(tmp_path_factory.mktemp("nli") / "tiny", words)
    return Harness(load_verifier(f"nli:{folder}"), False)


def test_tiny_nli_model_sees_unknown_words(nli_harness: Harness) -> None:
    """The tiny model supports a claim in its vocabulary and contradicts one with a word it
    does not know, so the marker tests below can fail."""
    case = NLI_CASES[0]
    known = nli_harness.verdicts(case.variant, "markdown", case.library, case.cited)
    unknown = nli_harness.verdicts(
        case.variant[:-1] + " zzzunknownword.", "markdown", case.library, case.cited
    )
    assert known == ("supported",) and unknown == ("contradicted",)


@pytest.mark.parametrize("style", MARKER_STYLES)
def test_markers_never_reach_the_nli_model(nli_harness: Harness, style: str) -> None:
    """Under nli:, a citation marker naming the source changes no verdict: the marker is
    taken out of the claim before the model reads it."""
    from behaviour.perturb import latex_text, marker

    n = random.Random(style).randrange(len(NLI_CASES))
    case = NLI_CASES[n]
    mark = marker(style, "src", case.cited + 1, "Smith", 2010)
    fmt = "latex" if style == "latex" else "markdown"
    text = latex_text(case.variant) if fmt == "latex" else case.variant
    before = nli_harness.verdicts(text, fmt, case.library, case.cited)
    after = nli_harness.verdicts(with_marker(text, mark), fmt, case.library, case.cited)
    assert before == ("supported",) and after == before
