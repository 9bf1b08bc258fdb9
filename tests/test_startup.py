"""Start-up loads only what a command needs (issue 32): `--version` no BibTeX, no models."""

from __future__ import annotations

import json
import subprocess
import sys

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
