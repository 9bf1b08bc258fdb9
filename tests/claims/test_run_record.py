"""The record of a whole ``check`` run: an unchanged rerun prints it, any change judges again."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import mesorefs.claims as claims_package
import mesorefs.claims.encoder as encoder_module
import mesorefs.cli.check_record as check_record
from mesorefs.cli import main

_DOC = "Needle depth was 4 mm in all cases [@a]. Rollers made the skin red for a day [@b].\n"
_BIB = """@article{a, title = {Needles}, abstract = {Needle depth was 4 mm in all cases.},
  file = {paper.txt}}
@article{b, title = {Rollers}, abstract = {Rollers made the skin red for a day.}}
"""


class Setup:
    """A document, its .bib and a full-text file in a folder, and a way to check them."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.folder = folder
        self.doc = folder / "doc.md"
        self.bib = folder / "refs.bib"
        self.paper = folder / "paper.txt"
        self.doc.write_text(_DOC, encoding="utf-8")
        self.bib.write_text(_BIB, encoding="utf-8")
        self.paper.write_text("Needles were inserted 4 mm deep.\n", encoding="utf-8")
        self.cache = folder / "cache"
        self.env = {"MESOREFS_CACHE_DIR": str(self.cache), "MESOREFS_CONFIG": os.devnull}
        self.judged = 0
        real: Callable[..., Any] = claims_package.check_claims

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.judged += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(claims_package, "check_claims", counted)
        # Lexical ranking: the record does not depend on the encoder, and it is quick.
        monkeypatch.setattr(encoder_module, "load_default_encoder", lambda **_: None)
        # The files are made just now: trust their times (the tests change them visibly).
        monkeypatch.setattr(check_record, "RACY_SECONDS", 0.0)
        monkeypatch.chdir(folder)

    def run(self, *extra: str, env: dict[str, str] | None = None) -> tuple[str, int, bool]:
        """(standard output, exit code, whether the claims were judged) of one run."""
        before = self.judged
        done = CliRunner().invoke(
            main,
            ["check", str(self.doc), "--bib", str(self.bib), *extra],
            env={**self.env, **(env or {})},
        )
        assert done.exit_code in (0, 1), done.output
        return done.stdout, done.exit_code, self.judged > before

    def records(self) -> list[Path]:
        """The run records in the cache folder."""
        found = []
        for path in (self.cache / "claims").glob("*.json"):
            if json.loads(path.read_bytes()).get("format") == check_record.FORMAT:
                found.append(path)
        return found


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Setup:
    """A document and its references, checked with a fresh cache folder."""
    return Setup(tmp_path, monkeypatch)


@pytest.mark.parametrize("options", [(), ("--json",), ("--fail-on", "never")], ids=str)
def test_an_unchanged_rerun_prints_the_record(setup: Setup, options: tuple[str, ...]) -> None:
    """A rerun of the same files and options judges nothing and prints what the first did."""
    first = setup.run(*options)
    again = setup.run(*options)
    assert first[2] and not again[2]
    assert again[:2] == first[:2]
    assert len(setup.records()) == 1


def test_the_files_asked_for_are_written_again(setup: Setup) -> None:
    """A rerun from the record writes the --html and --markdown files the first run wrote."""
    html, md = setup.folder / "r.html", setup.folder / "r.md"
    setup.run("--html", str(html), "--markdown", str(md))
    written = html.read_bytes(), md.read_bytes()
    html.unlink()
    md.unlink()
    assert not setup.run("--html", str(html), "--markdown", str(md))[2]
    assert (html.read_bytes(), md.read_bytes()) == written


def _edit_bib(s: Setup) -> None:
    s.bib.write_text(_BIB.replace("a day", "two days"), encoding="utf-8")


def _edit_doc(s: Setup) -> None:
    s.doc.write_text(_DOC.replace("a day", "two days"), encoding="utf-8")


def _edit_paper(s: Setup) -> None:
    s.paper.write_text("Needles were inserted 5 mm deep.\n", encoding="utf-8")


def _touch_paper(s: Setup) -> None:
    info = s.paper.stat()
    os.utime(s.paper, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


def _remove_paper(s: Setup) -> None:
    s.paper.unlink()


@pytest.mark.parametrize(
    "change",
    [_edit_bib, _edit_doc, _edit_paper, _touch_paper, _remove_paper],
    ids=["bib edited", "document edited", "full text edited", "full text touched", "removed"],
)
def test_a_changed_input_judges_again(setup: Setup, change: Callable[[Setup], None]) -> None:
    """Editing the .bib or the document, or touching, editing or removing a full-text file
    the .bib names, makes the next run judge the claims again."""
    setup.run("--json")
    change(setup)
    assert setup.run("--json")[2]


def test_a_full_text_file_made_later_judges_again(setup: Setup) -> None:
    """A full-text file the .bib names that was missing, then made, is read by the next run."""
    setup.paper.unlink()
    setup.run("--json")
    setup.paper.write_text("Needles were inserted 4 mm deep.\n", encoding="utf-8")
    assert setup.run("--json")[2]


@pytest.mark.parametrize(
    ("options", "env"),
    [
        ((), {"MESOREFS_MAILTO": "someone@example.org"}),
        (("--fail-on", "never"), {}),
        (("--verifier", "baseline"), {}),
    ],
    ids=["environment", "option", "verifier"],
)
def test_a_changed_setting_judges_again(
    setup: Setup, options: tuple[str, ...], env: dict[str, str]
) -> None:
    """Another environment variable, option or verifier makes the next run judge again."""
    setup.run("--json")
    assert setup.run("--json", *options, env=env)[2]


def test_a_changed_config_file_judges_again(setup: Setup) -> None:
    """Editing the user config file makes the next run judge again."""
    config = setup.folder / "config.toml"
    config.write_text("read_timeout = 10\n", encoding="utf-8")
    env = {"MESOREFS_CONFIG": str(config)}
    assert setup.run("--json", env=env)[2]
    assert not setup.run("--json", env=env)[2]
    config.write_text("read_timeout = 11\n", encoding="utf-8")
    assert setup.run("--json", env=env)[2]


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[]", b'{"format": "mesorefs-check-run/1"}', b"\xff\xfe"],
    ids=["damaged", "list", "incomplete", "not utf-8"],
)
def test_a_damaged_record_is_ignored(setup: Setup, content: bytes) -> None:
    """A damaged record is ignored: the claims are judged again and the output is the same."""
    first = setup.run("--json")
    (record,) = setup.records()
    record.write_bytes(content)
    again = setup.run("--json")
    assert again[2]
    assert again[:2] == first[:2]


def test_a_foreign_record_is_ignored(setup: Setup) -> None:
    """A well-formed record of another key, put in this key's place, is not printed."""
    setup.run("--json")
    (record,) = setup.records()
    data = json.loads(record.read_bytes())
    data["key"] = "0" * 64
    data["stdout"] = "forged\n"
    record.write_text(json.dumps(data), encoding="utf-8")
    out, _, judged = setup.run("--json")
    assert judged
    assert "forged" not in out


def test_the_verbose_table_is_not_recorded(setup: Setup) -> None:
    """-v prints a table that depends on the terminal: it is never kept or read back."""
    setup.run("-v")
    assert setup.records() == []
    assert setup.run("-v")[2]


def test_a_cache_folder_the_settings_do_not_name_keeps_no_record(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the cache folder read without the settings is not theirs, nothing is recorded."""
    monkeypatch.setattr(check_record, "cache_dir", lambda: setup.folder / "elsewhere")
    setup.run("--json")
    assert not (setup.folder / "elsewhere").exists()
    assert setup.run("--json")[2]
