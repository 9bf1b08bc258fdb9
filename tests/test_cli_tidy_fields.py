"""`mesorefs tidy` reads entries as their fields (issue 32) and reports what the
Library path (read, keys, dedupe, write) reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mesorefs.cli import main
from mesorefs.library import Library

TEXT = (
    "@article{a, author={~,}, title={Kept as written}}\n"
    "@article{b, author={Doe, Jane}, title={One}, pages={1-2}}\n"
    "@article{b, title={Same key}}\n"
    "@book{, author={Roe, R.}, title={Needs a key}, year=2001}\n"
    "@misc{c, title={Twice}, title={Again}}\n"
)


@pytest.mark.parametrize("args", [[], ["--utf8"]], ids=["ascii", "utf8"])
def test_tidy_json_is_the_library_path(tmp_path: Path, args: list[str]) -> None:
    """Text, entry count and problems are those of Library.from_bibtex().with_keys()."""
    path = tmp_path / "refs.bib"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["tidy", "--json", *args, str(path)])
    report = json.loads(result.stdout)
    library = Library.from_bibtex(TEXT, str(path)).with_keys()
    assert report["bibtex"] == library.to_bibtex(ascii_only=not args)
    assert report["entries"] == len(library)
    assert report["problems"] == [p.to_dict() for p in library.problems]


def test_tidy_without_a_missing_key_is_the_library_path(tmp_path: Path) -> None:
    """With every key kept (no entry read whole), the report is still the Library's."""
    text = TEXT.replace("@book{,", "@book{d,")
    path = tmp_path / "refs.bib"
    path.write_text(text, encoding="utf-8")
    report = json.loads(CliRunner().invoke(main, ["tidy", "--json", str(path)]).stdout)
    library = Library.from_bibtex(text, str(path)).with_keys()
    assert report["bibtex"] == library.to_bibtex()
    assert (report["entries"], len(report["problems"])) == (len(library), len(library.problems))
    assert report["problems"] == [p.to_dict() for p in library.problems]
