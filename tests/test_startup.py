"""Start-up loads only what a command needs (issue 32): `--version` no BibTeX, no models."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("bibtexparser", "pydantic", "rich", "numpy", "mesorefs.library", "mesorefs.models")


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_import_mesorefs_loads_no_heavy_module() -> None:
    """`import mesorefs` loads the errors and nothing heavy; names still resolve on use."""
    loaded = _modules_after("import mesorefs")
    assert not [m for m in HEAVY if m in loaded]
    assert "mesorefs.library" in _modules_after("import mesorefs\nmesorefs.Library")


def test_version_loads_no_library() -> None:
    """`mesorefs --version` prints the version without loading BibTeX or the models."""
    code = (
        "import sys\nfrom mesorefs.cli import main\nsys.argv = ['mesorefs', '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    loaded = _modules_after(code)
    assert not [m for m in HEAVY if m in loaded]
    assert not [m for m in ("tempfile", "shutil", "secrets", "importlib.resources") if m in loaded]
    # nor what only a command uses (the probe itself imports json): logging, paths, our
    # output and escaping modules
    later = ("logging", "pathlib", "mesorefs.cli.common", "mesorefs.outputs", "mesorefs.escape")
    assert not [m for m in later if m in loaded]


def _run_cli(argv: list[str], *, after: str = "") -> set[str]:
    """The modules loaded once `mesorefs ARGV` has run (``after``: more code to run then)."""
    code = (
        f"import sys\nfrom mesorefs.cli import main\nsys.argv = {['mesorefs', *argv]!r}\n"
        f"try:\n    main()\nexcept SystemExit:\n    pass\n{after}"
    )
    return _modules_after(code)


TIDY_NEEDS_NONE_OF = (
    "numpy",
    "rich",
    "tomllib",
    "pathlib",
    "mesorefs.claims",
    "mesorefs.resolve",
    "mesorefs.settings",
    "mesorefs.identifiers",
    "mesorefs.cli.checks",
    "mesorefs.cli.online",
)


def test_tidy_loads_only_the_bibtex_machinery(tmp_path: Path) -> None:
    """`mesorefs tidy` of keyed entries loads no claim checking, network, settings or
    identifier code, and not pathlib."""
    bib = tmp_path / "two.bib"
    bib.write_text(
        "@article{doe2020, title = {One}, author = {Doe, Jane}, journal = {J}, year = {2020}}\n"
        "@book{roe2019, title = {Two}, author = {Roe, R.}, publisher = {P}, year = {2019}}\n",
        encoding="utf-8",
    )
    loaded = _run_cli(["tidy", "--check", str(bib)])
    assert "mesorefs.bibtex.codec" in loaded
    assert not [m for m in TIDY_NEEDS_NONE_OF if m in loaded]


def test_tidy_loads_no_model(tmp_path: Path) -> None:
    """Tidy of keyed entries, names included, builds no model: no pydantic, no models, no
    conversion to a Reference."""
    bib = tmp_path / "one.bib"
    bib.write_text(
        "@misc{poe2018, title = {Three}, author = {Poe, E. and {World Health Organization}"
        " and van der Berg, Jr, J.}, editor = {family=Waal, given=Henri}, year = {2018}}\n",
        encoding="utf-8",
    )
    loaded = _run_cli(["tidy", "--check", str(bib)])
    assert "mesorefs.bibtex.names" in loaded
    models = ("pydantic", "mesorefs.models", "mesorefs.csl", "mesorefs.bibtex.convert")
    assert not [m for m in models if m in loaded]


def test_tidy_builds_a_reference_only_for_a_missing_key(tmp_path: Path) -> None:
    """An entry without a key is read into a Reference (its key is made from the data), so
    only then are the models loaded; the key is written."""
    bib = tmp_path / "nokey.bib"
    bib.write_text(
        "@misc{, title = {Three}, author = {Poe, E.}, year = {2018}}\n", encoding="utf-8"
    )
    out = tmp_path / "out.bib"
    loaded = _run_cli(["tidy", str(bib), "-o", str(out)])
    assert "mesorefs.models" in loaded
    assert out.read_text(encoding="utf-8").startswith("@misc{poe2018three,")


@pytest.mark.parametrize(
    ("text", "reader"),
    [
        ("Mesotherapy reduces fat [@a]. It is safe [@b].\n", "plain"),
        ("# Results\n\nMesotherapy reduces fat [@a].\n", "markdown"),
        ("<p>Mesotherapy reduces fat [1].</p>\n", "html"),
    ],
    ids=["text", "markdown", "html"],
)
def test_a_document_loads_its_own_reader_only(text: str, reader: str) -> None:
    """Parsing a document imports the reader of its format and no other (html.parser only
    for HTML), and no author-year pattern is compiled for a text without one."""
    loaded = _modules_after(
        "from mesorefs.claims.document import parse_document\n"
        f"parse_document({text!r})\n"
        "from mesorefs.claims.citations import _author_year_patterns\n"
        "assert _author_year_patterns.cache_info().currsize == 0"
    )
    readers = {m.rsplit(".", 1)[1] for m in loaded if m.startswith("mesorefs.claims.readers.")}
    assert readers == {reader}
    assert ("html.parser" in loaded) == (reader == "html")


_COMPILES_AT_IMPORT = """
import re, sys
at_import = []
_compile = re._compile  # every re.compile, re.sub ... goes through it


def _watch(pattern, flags):
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") == "re":
        frame = frame.f_back  # from re.compile, re.sub ... to their caller
    name = frame.f_globals.get("__name__", "") if frame is not None else ""
    if name.startswith("mesorefs") and frame.f_code.co_name == "<module>":
        at_import.append(f"{name}: {pattern!r}")
    return _compile(pattern, flags)


re._compile = _watch
"""


def test_tidy_compiles_no_pattern_at_import(tmp_path: Path) -> None:
    """No module `tidy` loads compiles a regular expression when it is imported: each is
    compiled on first use (`mesorefs.lazy_re`), so a small file pays only for those it
    needs."""
    bib = tmp_path / "one.bib"
    bib.write_text(
        '@misc{poe2018, title = {Three {DNA} --- $x$}, author = {Poe, E. and M{\\"u}ller, K.},'
        " year = {2018}, pages = {1--2}, month = jan}\n",
        encoding="utf-8",
    )
    code = (
        f"{_COMPILES_AT_IMPORT}\nfrom mesorefs.cli import main\n"
        f"sys.argv = ['mesorefs', 'tidy', '--check', {str(bib)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(at_import) or 'none')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "none", done.stdout
