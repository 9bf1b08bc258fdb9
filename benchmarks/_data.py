"""Where the benchmarks find their data: ``../shared`` beside the repository.

Paths come from this file's location, so a fresh clone with ``shared/`` beside it
runs as it is.  See benchmarks/README.md.
"""

from __future__ import annotations

from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
REPO = BENCHMARKS.parent
SHARED = REPO.parent / "shared"
DATA = SHARED / "data"
REFPARSE = DATA / "refparse"
DERIVED = REFPARSE / "derived" / "crossref-rme-artificial-fields.jsonl"
SCIFACT = DATA / "claims" / "scifact"
