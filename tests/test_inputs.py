"""The input boundary: every malformed file, stream or item is one InputError line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mesorefs.cli import main
from mesorefs.errors import InputError
from mesorefs.formats.csl_json import loads_csl_json
from mesorefs.formats.ris import loads_ris
from mesorefs.inputs import load_json, repair_surrogates
from mesorefs.library import Library
from mesorefs.models import Reference
from mesorefs.textfile import decode_text

ROOT = Path(__file__).resolve().parent.parent

BAD_CSL = {
    "date-parts-number": ('[{"id":"a","issued":{"date-parts":5}}]', "issued.date-parts"),
    "author-string": ('[{"id":"a","author":"x"}]', "author"),
    "infinity": ('[{"id":"a","issued":{"date-parts":[[Infinity]]}}]', "Infinity"),
    "huge-number": ('[{"id":"a","volume":' + "9" * 5000 + "}]", "5000 digits"),
    "deep": ("[" * 100_000 + "]" * 100_000, "nested deeper"),
    "bad-bookkeeping": ('[{"id":"a","custom":{"mesorefs":{"provenance":5}}}]', "provenance"),
    "item-not-object": ("[1]", "not a JSON object"),
}


@pytest.mark.parametrize(("text", "expected"), BAD_CSL.values(), ids=BAD_CSL.keys())
def test_csl_json_of_the_wrong_shape_is_one_line(text: str, expected: str) -> None:
    """CSL-JSON of the wrong shape raises InputError naming the file and the problem."""
    with pytest.raises(InputError) as caught:
        loads_csl_json(text, "x.json")
    message = str(caught.value)
    assert message.startswith("x.json") and expected in message and "\n" not in message


@pytest.mark.parametrize(
    "item",
    [
        {"issued": {"date-parts": 5}},
        {"author": "x"},
        {"issued": {"date-parts": [[float("inf")]]}},
        {"issued": {"date-parts": [[10**5000]]}},
        {"author": [{"family": 3}]},
        {"custom": []},
        {"custom": {"mesorefs": True}},  # found by python -m tests.fuzz
    ],
)
def test_reference_from_csl_raises_input_error(item: dict[str, object]) -> None:
    """Reference.from_csl refuses an item of the wrong shape with InputError, nothing else."""
    with pytest.raises(InputError):
        Reference.from_csl(item)


def test_lone_surrogates_are_repaired() -> None:
    """A lone surrogate from JSON or a caller becomes U+FFFD, so the text can be written."""
    refs = loads_csl_json('[{"id":"a","title":"x\\ud800"}]')
    assert refs[0].title == "x\ufffd"
    assert Reference(title="T\udfff", authors=[]).title == "T\ufffd"
    assert repair_surrogates("ok \U0001f600") == "ok \U0001f600"
    assert load_json('{"k\\udc00": "\\ud83d\\ude00"}') == {"k\ufffd": "\U0001f600"}
    Library(refs).to_bibtex()


def test_format_of_csl_with_surrogate(tmp_path: Path) -> None:
    """`mesorefs format` on CSL-JSON with a lone surrogate prints the entry."""
    path = tmp_path / "s.json"
    path.write_text('[{"id":"a","title":"x\\ud800"}]', encoding="utf-8")
    result = CliRunner().invoke(main, ["format", str(path)])
    assert result.exit_code == 0, result.output
    assert "x\ufffd" in result.output


def test_binary_and_nul_bytes_are_refused() -> None:
    """A NUL byte or bytes that are not UTF-8 are an InputError with their line."""
    with pytest.raises(InputError, match=r"x:2: a NUL character"):
        decode_text(b"fine\nno\0t\n", "x")
    with pytest.raises(InputError, match=r"^x:1: not UTF-8"):
        decode_text(b"ok\xc3\x28", "x")
    assert decode_text(b"\xef\xbb\xbfok") == "ok"


@pytest.mark.parametrize("command", [["tidy", "-"], ["check", "-", "--bib"], ["parse", "-"]])
def test_binary_stdin_exits_2(command: list[str]) -> None:
    """Binary bytes on standard input exit 2 with one line, as the same bytes from a file."""
    if command[-1] == "--bib":
        command = [*command, str(ROOT / "references.bib")]
    data = bytes(range(256)) * 64
    result = CliRunner().invoke(main, command, input=data)
    assert result.exit_code == 2
    assert result.output.startswith("mesorefs: error: <stdin>")
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "command",
    [["parse", "-"], ["tidy", "-"], ["lint", "--doc", "-", str(ROOT / "references.bib")]],
)
def test_closed_stdin_exits_2(command: list[str]) -> None:
    """With standard input closed, reading `-` is a one-line error and exit 2."""
    done = subprocess.run(
        [sys.executable, "-m", "mesorefs.cli", *command],
        preexec_fn=lambda: os.close(0),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        "mesorefs: error: standard input is closed: give a FILE instead of -"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TY  - JOUR\nTI  - fine\nER  - \n\nTY  - JOUR\nAU  - ,\nAU  - \nER  - \n", None),
        ("TY  - JOUR\nPY  - 2020/\u00b2\nER  - \n", None),
    ],
)
def test_ris_garbage_is_read_or_refused(text: str, expected: str | None) -> None:
    """RIS with empty names or odd digits reads without a traceback."""
    refs = loads_ris(text, "x.ris")
    assert refs


def test_ris_item_errors_name_the_line() -> None:
    """A RIS record that cannot become a reference names its line and item."""
    text = "TY  - JOUR\nTI  - fine\nER  - \n\nTY  - JOUR\nPY  - 2020\nSP  - 1\nER  - \n"
    assert len(loads_ris(text)) == 2
    with pytest.raises(InputError, match=r"^x.ris:5: a record without its closing"):
        loads_ris(text.rstrip().rsplit("\n", 1)[0], "x.ris")
    with pytest.raises(InputError, match=r"^x.ris:1: no RIS records"):
        loads_ris("garbage\n", "x.ris")


def test_lint_reads_a_fifo_once(tmp_path: Path) -> None:
    """`mesorefs lint` on a FIFO reads it once instead of hanging on a second open."""
    fifo = tmp_path / "f.bib"
    os.mkfifo(fifo)
    text = (ROOT / "references.bib").read_bytes()
    writer = subprocess.Popen(["sh", "-c", f"cat > '{fifo}'"], stdin=subprocess.PIPE)
    assert writer.stdin is not None
    writer.stdin.write(text)
    writer.stdin.close()
    done = subprocess.run(
        [sys.executable, "-m", "mesorefs.cli", "lint", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    writer.wait(timeout=10)
    assert done.returncode in (0, 1), done.stderr
    assert "finding" in done.stdout


def test_bibtexparser_messages_stay_off_stderr(tmp_path: Path) -> None:
    """A broken entry gives our one-line warning only, not bibtexparser's multi-line log."""
    path = tmp_path / "broken.bib"
    path.write_text("@article{b, title={y}\n@misc{c, title = {z}}\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mesorefs.cli", "tidy", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = done.stderr.strip().splitlines()
    assert lines and all(line.startswith("mesorefs: warning: ") for line in lines), lines


def test_a_date_part_that_is_no_number_is_kept_not_refused() -> None:
    """CSL-JSON allows strings in date-parts; citeproc-js renders such dates as given."""
    item = {"id": "a", "type": "book", "issued": {"date-parts": [["abc"]]}}
    reference = Reference.from_csl(item)
    assert reference.issued is None
    assert reference.to_csl() == item
