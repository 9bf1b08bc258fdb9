"""The ``verify`` command: outputs, JSON shape, exit codes, --fix, escaping."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mesorefs.cli import main
from resolve.fakes import LocalServer, local_http_server, send, service_urls
from resolve.seed_services import crossref_handler, seed_items

from .conftest import DOI_404, bib

ROHRICH = bib(
    "rohrich2005",
    author="Rohrich, Rod J.",
    title="Mesotherapy: What Is It? Does It Work?",
    journal="Plastic and Reconstructive Surgery",
    year=2005,
    volume=115,
    pages="1425",
    doi="10.1097/01.prs.0000162243.34988.90",
)
WRONG_YEAR = bib(
    "rotunda2006",
    author="Rotunda, Adam M. and Kolodney, Michael S.",
    title="Mesotherapy and phosphatidylcholine injections: historical clarification and review",
    journal="Dermatologic Surgery",
    year=2012,
)
INVENTED = bib("nobody2019", author="Nobody, A.", title="Quantum gravity of turtles", year=2019)
EVIL: dict[str, Any] = {
    "DOI": "10.5555/evil.1",
    "type": "journal-article",
    "title": ["Mesotherapy of \x1b[31mred\x1b[0m skin"],
    "author": [{"family": "Evil\x1b[2J\n::warning file=x::pwned", "given": "E."}],
    "issued": {"date-parts": [[2001]]},
}


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[LocalServer]:
    """The stand-in, with every service setting of the command pointing at it."""
    with local_http_server() as server:
        server.routes["/works"] = crossref_handler([*seed_items(), EVIL])
        server.routes["/doi"] = lambda r: send(r, 404, DOI_404, "text/html")
        for name, url in service_urls(server).items():
            monkeypatch.setenv(f"MESOREFS_{name.upper()}", url)
        monkeypatch.setenv("MESOREFS_MAX_RETRIES", "0")
        monkeypatch.setenv("MESOREFS_CACHE", "false")
        (tmp_path / "none.toml").write_text("", encoding="utf-8")
        monkeypatch.setenv("MESOREFS_CONFIG", str(tmp_path / "none.toml"))
        yield server


def _run(tmp_path: Path, text: str, *args: str) -> Any:
    path = tmp_path / "refs.bib"
    path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["verify", *args, str(path)])


def test_all_confirmed_exits_0(services: LocalServer, tmp_path: Path) -> None:
    """Every entry confirmed: exit 0 and a count line."""
    result = _run(tmp_path, ROHRICH)
    assert result.exit_code == 0, result.output
    assert "1 confirmed, 0 mismatch, 0 not-found, 0 unchecked" in result.stdout


def test_json_shape_and_exit_1(services: LocalServer, tmp_path: Path) -> None:
    """--json: schema, summary and one object per entry with key, outcome and evidence."""
    result = _run(tmp_path, ROHRICH + WRONG_YEAR + INVENTED, "--json")
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert document["schema"] == "mesorefs.verify/1"
    assert document["summary"] == {
        "entries": 3,
        "confirmed": 1,
        "mismatch": 1,
        "not-found": 1,
        "unchecked": 0,
    }
    by_key = {e["key"]: e for e in document["entries"]}
    assert by_key["rohrich2005"]["via"] == "doi"
    assert by_key["rohrich2005"]["record"]["doi"] == "10.1097/01.prs.0000162243.34988.90"
    [year] = by_key["rotunda2006"]["differences"]
    assert (year["field"], year["record"], year["fix"]) == ("year", "2006", {"year": "2006"})
    assert by_key["nobody2019"]["searched"]
    assert by_key["rotunda2006"]["line"] == ROHRICH.count("\n") + 1


def test_unchecked_only_exits_3(services: LocalServer, tmp_path: Path) -> None:
    """A failed lookup is unchecked, with its own exit code; never confirmed."""
    services.routes["/works"] = lambda r: send(r, 503, '{"status":"failed"}')
    result = _run(tmp_path, ROHRICH, "--json")
    assert result.exit_code == 3, result.output
    assert json.loads(result.stdout)["summary"]["confirmed"] == 0


def test_fix_prints_a_diff_and_never_writes(services: LocalServer, tmp_path: Path) -> None:
    """--fix prints the corrections as a unified diff; the file keeps its bytes."""
    result = _run(tmp_path, ROHRICH + WRONG_YEAR, "--fix")
    before = (tmp_path / "refs.bib").read_bytes()
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith(f"--- {tmp_path / 'refs.bib'}\n")
    assert "\n-  year = {2012}\n+  year = {2006}\n" in result.stdout
    assert (tmp_path / "refs.bib").read_bytes() == before == (ROHRICH + WRONG_YEAR).encode()


@pytest.mark.parametrize("fmt", ["text", "github"], ids=["terminal", "github"])
def test_record_text_is_escaped(services: LocalServer, tmp_path: Path, fmt: str) -> None:
    """A record's control characters and line breaks are shown, never obeyed or injected."""
    entry = bib("evil", author="Smith, J.", title="Mesotherapy of red skin", doi="10.5555/evil.1")
    result = _run(tmp_path, entry, "--format", fmt, "--all")
    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.stdout
    lines = [line for line in result.stdout.splitlines() if line]
    assert not any(line.startswith("::warning") for line in lines)
    if fmt == "github":
        assert all(line.startswith("::error ") for line in lines)


def test_a_missing_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """A file that cannot be read: one line naming it on stderr, exit 2, no traceback."""
    result = CliRunner().invoke(main, ["verify", str(tmp_path / "none.bib")])
    assert result.exit_code == 2
    assert "none.bib" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_several_files_in_one_report(services: LocalServer, tmp_path: Path) -> None:
    """Several files: one report, each entry naming its own file and line, in order."""
    (tmp_path / "one.bib").write_text(ROHRICH, encoding="utf-8")
    (tmp_path / "two.bib").write_text(INVENTED + WRONG_YEAR, encoding="utf-8")
    args = ["verify", "--json", str(tmp_path / "one.bib"), str(tmp_path / "two.bib")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    entries = json.loads(result.stdout)["entries"]
    assert [(Path(e["file"]).name, e["line"], e["outcome"]) for e in entries] == [
        ("one.bib", 1, "confirmed"),
        ("two.bib", 1, "not-found"),
        ("two.bib", INVENTED.count("\n") + 1, "mismatch"),
    ]


def test_offline_with_nothing_cached_is_unchecked(
    services: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--offline with an empty cache asks nothing and confirms nothing: exit 3."""
    monkeypatch.setenv("MESOREFS_CACHE", "true")
    monkeypatch.setenv("MESOREFS_CACHE_DIR", str(tmp_path / "cache"))
    result = _run(tmp_path, ROHRICH + INVENTED, "--offline", "--json")
    assert result.exit_code == 3, result.output
    assert json.loads(result.stdout)["summary"]["unchecked"] == 2
    assert services.hits == []
