"""The trained sequence labeller: a linear-chain CRF run by python-crfsuite.

The model file ships in ``mesorefs/parsing/data`` and is opened lazily, once
per process, the first time a reference is labelled.  ``training/train_parser.py``
rebuilds it.  This is the only module that imports ``pycrfsuite``.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import pycrfsuite  # type: ignore[import-untyped,unused-ignore]

from mesorefs.errors import ParseError
from mesorefs.parsing.features import sequence_features
from mesorefs.parsing.tokens import Token

__all__ = ["LABELS", "MODEL_NAME", "label_tokens"]

MODEL_NAME = "refparse.crfsuite"
LABELS = (
    "author",
    "editor",
    "title",
    "container",
    "collection",
    "date",
    "volume",
    "issue",
    "pages",
    "publisher",
    "location",
    "number",
    "note",
    "url",
    "doi",
    "arxiv",
    "edition",
    "genre",
    "isbn",
    "other",
)

_lock = threading.Lock()
_tagger: pycrfsuite.Tagger | None = None
_files = contextlib.ExitStack()
atexit.register(_files.close)


def _open_tagger() -> pycrfsuite.Tagger:
    global _tagger
    if _tagger is None:
        resource = resources.files("mesorefs.parsing") / "data" / MODEL_NAME
        try:
            path: Path = _files.enter_context(resources.as_file(resource))
            tagger = pycrfsuite.Tagger()
            tagger.open(str(path))
        except (OSError, FileNotFoundError) as exc:  # pragma: no cover - broken install
            raise ParseError(f"the reference parser model is missing: {exc}") from exc
        _tagger = tagger
    return _tagger


def label_tokens(tokens: Sequence[Token]) -> list[tuple[str, float]]:
    """One ``(label, marginal probability)`` per token; empty input gives ``[]``."""
    if not tokens:
        return []
    features = sequence_features(tokens)
    with _lock:
        tagger = _open_tagger()
        tagger.set(features)
        labels: list[str] = tagger.tag()
        return [(label, float(tagger.marginal(label, i))) for i, label in enumerate(labels)]
