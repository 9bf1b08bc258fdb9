"""``mesorefs.lint`` lints whichever way the package was imported first."""

from __future__ import annotations

import subprocess
import sys

import pytest

_CALL = (
    "from mesorefs import Library; import mesorefs; "
    "lib = Library.from_bibtex('@article{a, title={T}, year={2020}}'); "
    "print(type(mesorefs.lint(lib)).__name__)"
)


@pytest.mark.parametrize(
    "first",
    [
        "",
        "import mesorefs.lint.engine; ",
        "from mesorefs.lint import Finding; ",
        "import mesorefs.lint; ",
    ],
    ids=["attribute-first", "submodule-first", "from-import-first", "package-first"],
)
def test_mesorefs_lint_is_callable(first: str) -> None:
    """Importing the lint package before using ``mesorefs.lint`` leaves it callable."""
    done = subprocess.run(
        [sys.executable, "-c", first + _CALL], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "list"
