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


CASES = [
    Case(
        "regex-given-name-particles",
        "format: given names of 8,000 short words, a style that never demotes particles",
        _given_name_words,
        seconds=90,
    ),
]
