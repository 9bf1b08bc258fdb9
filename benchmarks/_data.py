"""Where the benchmarks find their data: ``../shared`` beside the repository.

Paths come from this file's location, so a fresh clone with ``shared/`` beside it
runs as it is.  See benchmarks/README.md.
"""

from __future__ import annotations

import os
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
REPO = BENCHMARKS.parent
# MESOREFS_SHARED points elsewhere when the clone does not stand beside ``shared/``.
SHARED = Path(os.environ.get("MESOREFS_SHARED", REPO.parent / "shared"))
DATA = SHARED / "data"
BIB_CORPUS = DATA / "bib-corpus"
# The wider bib corpus of issue 28: fetched by fetch_corpus_extra.py (its files are not
# kept in the repository), or placed in shared/ beside the first one.
CORPUS_EXTRA_FETCHED = BENCHMARKS / "out" / "corpus-extra"
CORPUS_EXTRA_SHARED = DATA / "bib-corpus-extra"
CSL_SUITE = DATA / "csl-suite" / "humans"
REFPARSE = DATA / "refparse"
DERIVED = REFPARSE / "derived" / "crossref-rme-artificial-fields.jsonl"
SCIFACT = DATA / "claims" / "scifact"


def require(path: Path) -> Path:
    """``path``, or a one-line exit when the data is not there (never an empty run)."""
    if not path.exists():
        raise SystemExit(
            f"no data at {path}: put shared/ beside the repository or set MESOREFS_SHARED"
        )
    return path


# The eight renderings of each P3 record in DERIVED's ``strings`` (PROTOCOL.md), the
# six clean styles first.
P3_RENDERINGS = (
    "apa",
    "chicago-author-date",
    "modern-language-association",
    "american-chemical-society",
    "american-institute-of-physics",
    "elsevier-without-titles",
    "apa-noise",
    "american-institute-of-physics-noise",
)
