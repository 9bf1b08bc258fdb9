"""A rerun of ``check`` from its caches: the same report, and less work (issue 32)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from mesorefs.claims import check_claims
from mesorefs.models import Reference


def test_a_rerun_from_the_cache_gives_the_same_report(
    tmp_path: Path, seed_text: str, seed_refs: list[Reference]
) -> None:
    """With a cache folder, a first run and a rerun give the report a run without one gives."""
    plain = check_claims(seed_text, seed_refs, encoder=False).to_json()
    first = check_claims(seed_text, seed_refs, encoder=False, cache_dir=tmp_path).to_json()
    again = check_claims(seed_text, seed_refs, encoder=False, cache_dir=tmp_path).to_json()
    assert first == plain
    assert again == plain
    assert len(list((tmp_path / "bm25").glob("*.npz"))) == 2  # passages and references


_RERUN = textwrap.dedent(
    """
    import sys
    from mesorefs.claims import check_claims
    from mesorefs.models import Reference
    refs = [Reference(key="a", title="Needles", abstract="Needle depth was 4 mm in all cases."),
            Reference(key="b", title="Rollers", abstract="Rollers made the skin red for a day.")]
    check_claims("Needle depth was 4 mm [@a].", refs, encoder=False, cache_dir=sys.argv[1])
    print(" ".join(m for m in ("bm25s", "scipy") if m in sys.modules))
    """
)


def test_a_rerun_imports_neither_bm25s_nor_scipy(tmp_path: Path) -> None:
    """The first run builds the indexes with bm25s; a rerun in a new process reads them and
    imports neither bm25s nor scipy."""
    runs = [
        subprocess.run(
            [sys.executable, "-c", _RERUN, str(tmp_path)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        for _ in range(2)
    ]
    assert "bm25s" in runs[0]
    assert runs[1] == []
