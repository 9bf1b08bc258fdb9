"""Patterns run on user text (issue 27, second audit): no catastrophic backtracking.

Each case feeds one command a field built to make a backtracking pattern slow (long
runs of short words that almost match) and must finish within its bound.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.safety.case import Case, Result

MESOREFS = [sys.executable, "-m", "mesorefs.cli"]
NEVER_DEMOTES = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"
       demote-non-dropping-particle="never">
  <info><title>Never demotes</title><id>never-demotes</id>
    <updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout><names variable="author"><name/></names></layout></citation>
  <bibliography>
    <sort><key variable="author"/><key variable="issued"/></sort>
    <layout><names variable="author"><name name-as-sort-order="all"/></names>
      <text variable="title" prefix=". "/></layout>
  </bibliography>
</style>
"""


def _given_name_words(tmp: Path) -> Result:
    """10 entries whose given name is 8,000 one-letter words and a capitalised one, with
    a style that never demotes particles (the sort keys look for trailing particles)."""
    given = "a " * 8000 + "Xavier"
    bib = tmp / "refs.bib"
    bib.write_text(
        "".join(
            f"@article{{k{i},\n  author = {{Doe, {given}}},\n  title = {{T{i}}},\n"
            "  year = {2020},\n}\n"
            for i in range(10)
        )
    )
    style = tmp / "never.csl"
    style.write_text(NEVER_DEMOTES)
    done = subprocess.run(
        [*MESOREFS, "format", str(bib), "--style", str(style)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    entries = done.stdout.count("Doe")
    held = done.returncode == 0 and entries == 10
    return Result(held, f"exit {done.returncode}; {entries} entries printed")


def _run(args: list[str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*MESOREFS, *args], capture_output=True, text=True, timeout=timeout)


def _blank_run_author(tmp: Path) -> Result:
    """tidy of one entry whose author field holds 48,000 spaces before a last word (the
    "and" patterns tried each space: 32,000 took 17 CPU s)."""
    bib = tmp / "refs.bib"
    bib.write_text(
        "@article{k,\n  author = {Doe, J." + " " * 48_000 + "x},\n"
        "  title = {T},\n  year = {2020},\n}\n"
    )
    done = _run(["tidy", str(bib)])
    held = done.returncode == 0 and "Doe" in done.stdout
    return Result(held, f"exit {done.returncode}; {len(done.stdout)} bytes out")


def _blank_lines_document(tmp: Path) -> Result:
    """lint --doc of a document of 100,000 lines of one space (its format is guessed)."""
    bib = tmp / "refs.bib"
    bib.write_text("@article{k,\n  author = {Doe, J.},\n  title = {T},\n  year = {2020},\n}\n")
    doc = tmp / "paper.txt"
    doc.write_text("As shown [@k]." + "\n " * 100_000 + "!\n")
    done = _run(["lint", str(bib), "--doc", str(doc)])
    held = done.returncode in (0, 1) and "Traceback" not in done.stderr
    return Result(held, f"exit {done.returncode}")


CASES = [
    Case(
        "regex-given-name-particles",
        "format: given names of 8,000 short words, a style that never demotes particles",
        _given_name_words,
        seconds=90,
    ),
    Case(
        "regex-blank-run-author",
        "tidy: an author field of 48,000 spaces before a word (names._AND, meaning._AND)",
        _blank_run_author,
        seconds=60,
    ),
    Case(
        "regex-blank-lines-document",
        "lint --doc: a document of 100,000 lines of one space (document._MD_CUE)",
        _blank_lines_document,
        seconds=60,
    ),
]
