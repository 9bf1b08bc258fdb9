"""The documentation site: every page in the nav, the whole public API on a reference page,
the CLI reference drawn from the CLI itself, and the tutorials' examples as they run."""

from __future__ import annotations

import doctest
import gzip
import importlib
import inspect
import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import mesorefs
from mesorefs.cli import main

from .commands import invocations, parse

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# The subpackages a developer imports from (README's "The library" and the tutorials).
SUBPACKAGES = (
    "library", "models", "identifiers", "settings", "render", "parsing", "resolve", "lint",
    "claims", "verify", "batch", "snapshot",
)  # fmt: skip


def _config() -> dict[str, object]:
    """mkdocs.yml, read as YAML (its tags, if any, left as plain values)."""
    loaded = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _nav_pages(entry: object) -> list[str]:
    """Every page path in a mkdocs nav (nested lists of {title: page or list})."""
    if isinstance(entry, str):
        return [entry]
    if isinstance(entry, list):
        return [page for item in entry for page in _nav_pages(item)]
    if isinstance(entry, dict):
        return [page for value in entry.values() for page in _nav_pages(value)]
    return []


def _directives(page: Path) -> list[str]:
    """The objects a page renders with mkdocstrings (``::: name`` lines)."""
    text = page.read_text(encoding="utf-8")
    return re.findall(r"^::: (?!mkdocs-click)(\S+)$", text, re.M)


def test_every_page_is_in_the_nav_and_every_nav_entry_exists() -> None:
    """No page under docs/ is left out of the site's navigation, and none it names is missing."""
    nav = _nav_pages(_config()["nav"])
    on_disk = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md"))
    assert sorted(nav) == on_disk


def test_the_api_reference_covers_the_public_names() -> None:
    """`mesorefs` and each public subpackage has a reference page rendering its `__all__`."""
    rendered = {name for page in DOCS.glob("reference/*.md") for name in _directives(page)}
    rendered.discard("mesorefs.batch.plan.plan")  # a function, rendered beside its package
    assert rendered == {"mesorefs", *(f"mesorefs.{name}" for name in SUBPACKAGES)}
    for name in rendered:
        module = importlib.import_module(name)
        assert module.__all__, f"{name} has no __all__ to render"
    # the one name of mesorefs.__all__ that its subpackage shadows for griffe
    assert "lint" in mesorefs.__all__
    assert "mesorefs.lint.lint" in (DOCS / "reference" / "index.md").read_text(encoding="utf-8")


def test_every_public_name_lives_on_a_reference_page() -> None:
    """Each name in `mesorefs.__all__` is defined by a module the reference renders."""
    documented = {"mesorefs", "mesorefs.errors", *(f"mesorefs.{name}" for name in SUBPACKAGES)}
    for name in mesorefs.__all__:
        if name == "__version__":
            continue
        value = getattr(mesorefs, name)
        # once `mesorefs.lint` the subpackage is imported, the attribute is the subpackage
        home = value.__name__ if inspect.ismodule(value) else value.__module__
        assert any(home == d or home.startswith(d + ".") for d in documented), (name, home)


def test_the_cli_reference_is_drawn_from_the_cli() -> None:
    """docs/cli.md renders the `mesorefs` click group itself, with every subcommand."""
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    module = re.search(r"^\s+:module: (\S+)$", text, re.M)
    command = re.search(r"^\s+:command: (\S+)$", text, re.M)
    assert module and command
    assert getattr(importlib.import_module(module.group(1)), command.group(1)) is main
    assert ":list_subcommands: true" in text


def test_ci_builds_the_site_strictly() -> None:
    """`.ci/run` builds the site with `mkdocs build --strict`, outside the repository."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    build = [line for line in ci.splitlines() if "mkdocs build" in line]
    assert build and all("--strict" in line and "mktemp" in line for line in build)


def _doc_invocations() -> list[tuple[str, list[str]]]:
    """Every `mesorefs ...` command line in the docs pages' code blocks, with its page."""
    return [
        (str(page.relative_to(DOCS)), args)
        for page in sorted(DOCS.rglob("*.md"))
        for args in invocations(page.read_text(encoding="utf-8"))
    ]


@pytest.mark.parametrize(
    ("page", "args"), _doc_invocations(), ids=lambda v: v if isinstance(v, str) else shlex.join(v)
)
def test_docs_command_line_parses(page: str, args: list[str]) -> None:
    """Every `mesorefs ...` line in the docs names a real command with real options."""
    parse(args)


def _run_examples(page: Path, folder: Path) -> None:
    """Run a page's ``pycon`` blocks as one doctest, in ``folder``."""
    text = page.read_text(encoding="utf-8")
    blocks = re.findall(r"^```pycon\n(.*?)^```", text, re.S | re.M)
    assert blocks, f"{page.name} has no Python examples"
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, page.name, str(page), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        runner.run(test, out=lambda report: pytest.fail(report, pytrace=False))
    assert runner.summarize(verbose=False).attempted > 0


def test_developer_tutorial_examples_run(tmp_path: Path) -> None:
    """The developer tutorial's examples give the output they show."""
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    _run_examples(DOCS / "tutorials" / "developer.md", tmp_path)


def test_archive_tutorial_runs(tmp_path: Path) -> None:
    """The archive tutorial's snapshot, batch run and rows come out as it shows."""
    pytest.importorskip("pyarrow")
    pytest.importorskip("tantivy")
    seed = ROOT / "tests" / "resolve" / "data" / "seed_crossref_items.json"
    items = [record["item"] for record in json.loads(seed.read_text("utf-8"))["records"]]
    (tmp_path / "crossref").mkdir()
    payload = json.dumps({"items": items}).encode("utf-8")
    (tmp_path / "crossref" / "0.json.gz").write_bytes(gzip.compress(payload))
    page = (DOCS / "tutorials" / "archive.md").read_text(encoding="utf-8")
    strings = re.search(r"^\$ cat strings.jsonl\n(.*?)^\$ ", page, re.S | re.M)
    assert strings
    (tmp_path / "strings.jsonl").write_text(strings.group(1), encoding="utf-8")
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        built = runner.invoke(main, ["snapshot", "build", "crossref/", "-o", "snap/"])
        assert built.exit_code == 0, built.output
        assert "snap: 5 records (5 added" in page and "snap: 5 records (5 added" in built.output
        args = ["batch", "strings.jsonl", "-o", "results/", "--snapshot-dir", "snap/"]
        ran = runner.invoke(main, [*args, "--workers", "0"])
        assert ran.exit_code == 0, ran.output
    _run_examples(DOCS / "tutorials" / "archive.md", tmp_path)


def test_every_exported_name_renders() -> None:
    """Each page's `__all__` names an object mkdocstrings renders there, or, where griffe sees
    a submodule of the same name instead (`mesorefs.lint`, `mesorefs.batch.plan`), one the
    page renders by its full path."""
    griffe = pytest.importorskip("griffe")
    package = griffe.load("mesorefs", search_paths=[str(ROOT / "src")], resolve_aliases=False)
    for page in sorted(DOCS.glob("reference/*.md")):
        text = page.read_text(encoding="utf-8")
        for name in _directives(page):
            obj = package if name == "mesorefs" else package[name.removeprefix("mesorefs.")]
            if not obj.is_module:
                continue
            for export in importlib.import_module(name).__all__:
                if obj.members[export].is_module:
                    assert f"{name}.{export}.{export}" in text, (page.name, export)
