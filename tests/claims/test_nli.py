"""The ``nli:`` verifier: label mapping, windows, and a tiny BERT built in the test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mesorefs.claims.backends import load_verifier
from mesorefs.claims.evidence import Passage
from mesorefs.claims.nli import (
    judgement_from,
    load_nli_verifier,
    stance_of_label,
    stances_of,
    windows,
)
from mesorefs.claims.retrieve import ScoredPassage
from mesorefs.cli import main
from mesorefs.errors import VerifierError

WORDS = "mesotherapy injects drugs into the skin it was described by pistor in 1952".split()


@pytest.mark.parametrize(
    ("label", "stance"),
    [
        ("entailment", "supports"),
        ("ENTAILMENT", "supports"),
        ("Contradiction", "contradicts"),
        ("neutral", "neutral"),
        ("not_entailment", "neutral"),
        ("supported", "supports"),
        ("unsupported", "neutral"),
        ("LABEL_0", None),
    ],
)
def test_label_spellings(label: str, stance: str | None) -> None:
    """The usual spellings map to stances; "unsupported" is neutral, never contradicts."""
    assert stance_of_label(label) == stance


def test_unknown_labels_are_an_error() -> None:
    """A model whose labels say nothing of entailment cannot be used."""
    with pytest.raises(VerifierError, match="LABEL_0"):
        stances_of({0: "LABEL_0", 1: "LABEL_1"})
    assert stances_of({"1": "supported", "0": "unsupported"}) == ["neutral", "supports"]


def test_judgement_from_probabilities() -> None:
    """The most probable stance wins; relevance is the weight away from neutral."""
    j = judgement_from([0.1, 0.2, 0.7], ["supports", "neutral", "contradicts"])
    assert (j.stance, j.confidence, j.relevance) == ("contradicts", 0.7, 0.8)
    j = judgement_from([0.6, 0.4], ["neutral", "supports"])
    assert (j.stance, j.relevance) == ("neutral", 0.4)


def test_windows_cover_a_long_passage() -> None:
    """A long passage is cut into overlapping windows that cover every word."""
    text = " ".join(f"w{i}" for i in range(500))
    parts = windows(text, 200, 150)
    assert len(parts) == 3 and parts[0].startswith("w0 ") and parts[-1].endswith("w499")
    assert windows("short text", 200, 150) == ["short text"]


def test_missing_folder_is_one_line() -> None:
    """A folder that does not exist fails before any library loads."""
    with pytest.raises(VerifierError, match="no such model folder"):
        load_verifier("nli:/missing")


def test_missing_libraries_name_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without torch or transformers (the default install) the error says what to install."""
    import mesorefs.claims.nli as nli

    def absent(name: str) -> Any:
        raise ImportError(f"No module named {name!r}", name=name)

    monkeypatch.setattr(nli.importlib, "import_module", absent)
    with pytest.raises(VerifierError, match=r"needs torch: pip install 'mesorefs\[nli\]'"):
        load_verifier(f"nli:{tmp_path}")


def test_cli_missing_model_exits_2() -> None:
    """`mesorefs check --verifier nli:/missing` exits 2 with one line, no traceback."""
    result = CliRunner().invoke(main, ["check", "--verifier", "nli:/missing"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "nli:/missing" in result.output and "Traceback" not in result.output


def tiny_model(folder: Path, id2label: dict[int, str], winner: int) -> Path:
    """A randomly initialised BERT of a few kilobytes whose classifier always picks
    ``winner``, with a WordPiece vocabulary written here."""
    transformers: Any = pytest.importorskip("transformers")
    torch: Any = pytest.importorskip("torch")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]
    folder.mkdir()
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    config = transformers.BertConfig(
        vocab_size=len(vocab),
        hidden_size=8,
        num_hidden_layers=1,
        num_attention_heads=1,
        intermediate_size=8,
        max_position_embeddings=64,
        num_labels=len(id2label),
        id2label=id2label,
        label2id={v: k for k, v in id2label.items()},
    )
    torch.manual_seed(0)
    model = transformers.BertForSequenceClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.zero_()
        model.classifier.bias[winner] = 5.0
    model.save_pretrained(folder)
    tokenizer = transformers.BertTokenizer(vocab_file=str(folder / "vocab.txt"))
    tokenizer.model_max_length = 64
    tokenizer.save_pretrained(folder)
    return folder


def _scored(text: str) -> ScoredPassage:
    return ScoredPassage(Passage("ref1", "abstract", text, 0, len(text), 0), 1.0, 1.0, None)


@pytest.mark.parametrize(
    ("id2label", "winner", "stance"),
    [
        ({0: "entailment", 1: "neutral", 2: "contradiction"}, 0, "supports"),
        ({0: "entailment", 1: "neutral", 2: "contradiction"}, 2, "contradicts"),
        ({0: "CONTRADICTION", 1: "NEUTRAL", 2: "ENTAILMENT"}, 2, "supports"),
        ({0: "CONTRADICTION", 1: "NEUTRAL", 2: "ENTAILMENT"}, 0, "contradicts"),
        ({0: "CONTRADICTION", 1: "NEUTRAL", 2: "ENTAILMENT"}, 1, "neutral"),
        ({0: "unsupported", 1: "supported"}, 0, "neutral"),
        ({0: "unsupported", 1: "supported"}, 1, "supports"),
    ],
)
def test_tiny_model_logits_become_stances(
    tmp_path: Path, id2label: dict[int, str], winner: int, stance: str
) -> None:
    """A tiny BERT saved to a folder loads through nli:<folder>; the label whose logit wins
    gives the stance, whatever the spelling, for short and windowed long passages."""
    folder = tiny_model(tmp_path / "tiny", id2label, winner)
    verifier = load_verifier(f"nli:{folder}")
    assert verifier is not None
    assert verifier.name.startswith(f"nli:{folder}")
    long = " ".join(WORDS * 20)  # beyond the 64 tokens the model reads: windows
    judgements = verifier.verify(
        "mesotherapy injects drugs", [_scored(" ".join(WORDS)), _scored(long)], {}
    )
    assert [j.stance for j in judgements] == [stance, stance]
    assert all(j.failed is None and j.confidence > 0.9 for j in judgements)


def test_ranked_batches_match_per_reference(tmp_path: Path) -> None:
    """Judging all chosen references in one batch run gives each its own judgements."""
    from mesorefs.claims.retrieve import RankedReference
    from mesorefs.claims.verify import RankedVerifier

    folder = tiny_model(tmp_path / "tiny", {0: "entailment", 1: "neutral", 2: "contradiction"}, 2)
    verifier = load_verifier(f"nli:{folder}")
    assert isinstance(verifier, RankedVerifier)
    refs = [
        RankedReference(f"r{n}", 1.0, n, tuple(_scored(w) for w in WORDS[: n + 1]))
        for n in range(3)
    ]
    judged = verifier.verify_ranked("mesotherapy", refs, refs, {})
    assert [len(j) for j in judged] == [1, 2, 3]
    assert judged == [verifier.verify("mesotherapy", r.passages, {}) for r in refs]


def test_tiny_model_in_check_claims(tmp_path: Path) -> None:
    """check_claims(verifier="nli:<folder>") labels links with the model and names it."""
    pytest.importorskip("transformers")
    from mesorefs.claims import check_claims
    from mesorefs.models import Reference

    folder = tiny_model(tmp_path / "tiny", {0: "entailment", 1: "neutral", 2: "contradiction"}, 0)
    library = [Reference(key="pistor", title="Mesotherapy", abstract=" ".join(WORDS))]
    report = check_claims(
        "Mesotherapy injects drugs into the skin.", library, verifier=f"nli:{folder}", encoder=False
    )
    assert report.verifier == f"nli:{folder}"
    [result] = report.checked
    assert result.verdict == "supported"
    assert result.links[0].verifier == f"nli:{folder}"


def test_unloadable_folder_is_one_line(tmp_path: Path) -> None:
    """A folder without a model is a one-line VerifierError."""
    pytest.importorskip("transformers")
    (tmp_path / "empty").mkdir()
    with pytest.raises(VerifierError) as info:
        load_verifier(f"nli:{tmp_path / 'empty'}")
    assert "cannot load the model" in str(info.value) and "\n" not in str(info.value)


def tiny_onnx_model(folder: Path, id2label: dict[int, str], winner: int) -> Path:
    """An exported model whose logits always favour ``winner``, with its tokenizer."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper
    from tokenizers import Tokenizer, models, pre_tokenizers, processors

    bias = [5.0 if k == winner else 0.0 for k in range(len(id2label))]
    inputs = [
        helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "sequence"])
        for name in ("input_ids", "attention_mask", "token_type_ids")
    ]
    nodes = [
        helper.make_node("ReduceSum", ["input_ids", "axes"], ["summed"], keepdims=1),
        helper.make_node("Cast", ["summed"], ["as_float"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["as_float", "zero"], ["nothing"]),
        helper.make_node("Add", ["nothing", "bias"], ["logits"]),
    ]
    constants = [
        helper.make_tensor("axes", TensorProto.INT64, [1], [1]),
        helper.make_tensor("zero", TensorProto.FLOAT, [1], [0.0]),
        helper.make_tensor("bias", TensorProto.FLOAT, [1, len(bias)], bias),
    ]
    output = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", len(bias)])
    graph = helper.make_graph(nodes, "tiny-nli", inputs, [output], constants)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    folder.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(folder / "model.onnx"))
    vocab = {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "mesotherapy": 3, "injections": 4}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", 1), ("[SEP]", 2)],
    )
    tokenizer.save(str(folder / "tokenizer.json"))
    config = {"id2label": {str(k): v for k, v in id2label.items()}, "max_position_embeddings": 64}
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("id2label", "winner", "stance"),
    [
        ({0: "entailment", 1: "neutral", 2: "contradiction"}, 0, "supports"),
        ({0: "CONTRADICTION", 1: "NEUTRAL", 2: "ENTAILMENT"}, 0, "contradicts"),
        ({0: "unsupported", 1: "supported"}, 0, "neutral"),
    ],
    ids=["lower-case", "upper-case", "two-label-unsupported"],
)
def test_onnx_folder_runs_without_the_extra(
    tmp_path: Path, id2label: dict[int, str], winner: int, stance: str
) -> None:
    folder = tiny_onnx_model(tmp_path / "onnx", id2label, winner)
    verifier = load_nli_verifier(str(folder))
    assert "onnxruntime" in verifier.name
    text = "mesotherapy injections " * 300  # longer than the model reads: windows
    passage = ScoredPassage(Passage("k", "note", text, 0, len(text), 0), 0.9, 0.9, None)
    (judgement,) = verifier.verify("mesotherapy injections", [passage], {})
    assert judgement.stance == stance
