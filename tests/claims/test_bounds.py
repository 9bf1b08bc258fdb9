"""check stays bounded on hostile input and reads local full text only where allowed."""

from __future__ import annotations

import time
from pathlib import Path

from click.testing import CliRunner

from mesorefs.claims import check_claims
from mesorefs.claims.check import MAX_CLAIM_CHARS
from mesorefs.claims.document import split_sentences
from mesorefs.cli import main
from mesorefs.models import Reference


def test_sentence_splitting_is_linear_on_text_without_breaks() -> None:
    """A long run of dotted words without a sentence break splits in a moment."""
    text = "a.b e.g. vs. word " * 20_000
    started = time.process_time()
    sentences = split_sentences(text)
    assert time.process_time() - started < 5.0
    assert "".join(s for _, _, s in sentences).replace(" ", "") == text.replace(" ", "")


def test_overlong_segment_is_not_checked() -> None:
    """A segment longer than a claim can be is reported as not checked, with why."""
    text = "Mesotherapy " + "injection fat skin " * (MAX_CLAIM_CHARS // 10) + "works."
    report = check_claims(text, [Reference(key="a", title="Fat")], encoder=False)
    (result,) = report.claims
    assert result.verdict == "not checked"
    assert "without a sentence break" in (result.claim.reason or "")


def test_lone_surrogate_in_document() -> None:
    """check_claims on text with a lone surrogate runs (the surrogate becomes U+FFFD)."""
    report = check_claims(
        "Mesotherapy reduces fat\ud800 in the thighs.", [Reference(key="a", title="Fat")]
    )
    assert report.claims


def _bib_with_file(folder: Path, file_value: str) -> Path:
    bib = folder / "refs.bib"
    bib.write_text(
        "@article{a, title={Mesotherapy for fat}, file={" + file_value + "}}\n", encoding="utf-8"
    )
    return bib


def test_full_text_outside_the_bib_folder_is_not_read(tmp_path: Path) -> None:
    """A file field pointing outside the .bib's folder is not read, and the report says so."""
    secret = tmp_path / "secret.txt"
    secret.write_text("Mesotherapy reduces fat. The password is hunter2.", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    bib = _bib_with_file(project, "../secret.txt")
    doc = project / "doc.txt"
    doc.write_text("Mesotherapy reduces fat in the thighs.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(doc), "--bib", str(bib), "--json"])
    assert "hunter2" not in result.output
    assert "outside the folders full text is read from" in result.output
    allowed = CliRunner().invoke(
        main,
        ["check", str(doc), "--bib", str(bib), "--json", "--full-text-dir", str(tmp_path)],
    )
    assert "outside the folders" not in allowed.output


def test_dense_ranking_is_skipped_for_huge_libraries() -> None:
    """Beyond MAX_DENSE_PASSAGES passages ranking is lexical only, and a warning says so."""
    library = [Reference(key=f"k{i}", title=f"Mesotherapy study {i}") for i in range(4100)]
    report = check_claims("Mesotherapy reduces fat in the thighs.", library)
    assert report.ranking == "bm25"
    assert any("lexical only" in warning for warning in report.warnings)
