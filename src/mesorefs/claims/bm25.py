"""BM25 for the evidence index: built by ``bm25s``, kept as arrays, scored with numpy.

``bm25s`` (and the scipy it imports, a fifth of a second) is imported only to build an
index.  What it builds is kept as plain arrays: its eager score matrix in CSC form
(for each token, the documents that hold it and their precomputed BM25 term scores)
and the vocabulary.  :func:`scores` adds up a query's columns as bm25s's
``get_scores_from_ids`` does (float32, one query token after another, repeats
counted), so its scores are bm25s's to the bit.  :class:`Bm25Cache` keeps built
indexes on disk, keyed by bm25s's version and the documents' tokens, so a rerun over
an unchanged library imports neither bm25s nor scipy.  Like the embedding cache it is
an optimisation only: a file that cannot be read is built again, and a folder that
cannot be written is reported once and left alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.metadata
import io
import os
import re
import stat
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mesorefs.errors import OutputError
from mesorefs.outputs import open_cache_file, write_cache_file

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["Bm25", "Bm25Cache", "build", "corpus_key", "scores"]

_FORMAT = "mesorefs-bm25/1"
"""Changes whenever what is stored, or how it is built, changes."""
_PAD = "\x00"
"""bm25s cannot index an empty document list or an empty document: a dummy token."""
_SEP = "\x1f"
"""Between tokens, on disk (tokens are words of :func:`~mesorefs.claims.retrieve.tokenize`)."""


@dataclass(frozen=True)
class Bm25:
    """A built BM25 index: bm25s's CSC score matrix and its vocabulary."""

    vocab: Mapping[str, int]
    data: NDArray[Any]
    indices: NDArray[Any]
    indptr: NDArray[Any]
    num_docs: int


def _padded(corpus: Sequence[Sequence[str]]) -> list[list[str]]:
    return [list(tokens) or [_PAD] for tokens in corpus] or [[_PAD]]


def build(corpus: Sequence[Sequence[str]]) -> Bm25:
    """The BM25 index (bm25s's defaults: Lucene's variant, k1 1.5, b 0.75) of ``corpus``."""
    import numpy as np

    bm25s: Any = importlib.import_module("bm25s")
    model = bm25s.BM25()
    model.index(_padded(corpus), show_progress=False)
    matrix = model.scores
    columns = len(matrix["indptr"]) - 1
    return Bm25(
        # bm25s also names the empty token, with no column: no query token is empty.
        vocab={t: i for t, i in model.vocab_dict.items() if 0 <= i < columns},
        data=np.asarray(matrix["data"]),
        indices=np.asarray(matrix["indices"]),
        indptr=np.asarray(matrix["indptr"]),
        num_docs=int(matrix["num_docs"]),
    )


def scores(index: Bm25, query: Sequence[str], size: int) -> NDArray[np.float64]:
    """The BM25 score of each of the first ``size`` documents for the tokens ``query``."""
    import numpy as np

    ids = [index.vocab[t] for t in query if t in index.vocab]
    if not ids or size == 0:
        return np.zeros(size, dtype=np.float64)
    out = np.zeros(index.num_docs, dtype=index.data.dtype)
    for i in ids:
        start, end = index.indptr[i], index.indptr[i + 1]
        np.add.at(out, index.indices[start:end], index.data[start:end])
    return np.asarray(out, dtype=np.float64)[:size]


_OWN_NAME = re.compile(r"[0-9a-f]{64}\.npz")
"""The names this cache gives its files (a SHA-256 key): nothing else in the folder is
ever removed."""


def _ours(info: os.stat_result) -> bool:
    """A regular file (not a link) of this user: one this cache may have written."""
    owner = getattr(os, "getuid", lambda: info.st_uid)()
    return stat.S_ISREG(info.st_mode) and info.st_uid == owner


def _bm25s_version() -> str:
    try:
        return importlib.metadata.version("bm25s")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def corpus_key(corpus: Sequence[Sequence[str]]) -> str:
    """The cache key of ``corpus``'s index: bm25s's version and every document's tokens."""
    digest = hashlib.sha256(f"{_FORMAT}\0{_bm25s_version()}\0".encode())
    for tokens in _padded(corpus):
        digest.update(_SEP.join(tokens).encode("utf-8", "surrogatepass") + b"\x1e")
    return digest.hexdigest()


@dataclass
class Bm25Cache:
    """Built indexes as ``.npz`` files in ``folder`` (made on first write); the newest
    ``keep`` are kept."""

    folder: Path
    keep: int = 32
    problem: str | None = None

    @property
    def warnings(self) -> list[str]:
        """Problems worth a line in a report (a folder that could not be written)."""
        return [self.problem] if self.problem else []

    def index(self, corpus: Sequence[Sequence[str]]) -> Bm25:
        """``corpus``'s index, from the folder when it holds it, else built (and kept)."""
        path = self.folder / f"{corpus_key(corpus)}.npz"
        found = self._read(path)
        if found is not None:
            return found
        built = build(corpus)
        self._write(path, built)
        return built

    def _read(self, path: Path) -> Bm25 | None:
        import numpy as np

        handle = open_cache_file(path)  # never a link, FIFO or device planted here
        if handle is None:
            return None
        try:
            with handle, np.load(handle, allow_pickle=False) as arrays:
                tokens = arrays["tokens"].tobytes().decode("utf-8").split(_SEP)
                ids = arrays["ids"].tolist()
                index = Bm25(
                    vocab=dict(zip(tokens, ids, strict=True)),
                    data=arrays["data"],
                    indices=arrays["indices"],
                    indptr=arrays["indptr"],
                    num_docs=int(arrays["num_docs"]),
                )
        except FileNotFoundError:
            return None
        except (OSError, EOFError, ValueError, KeyError, UnicodeDecodeError, zipfile.BadZipFile):
            return None  # damaged: built again and replaced
        except (TypeError, AttributeError):
            return None  # a lone array (a .npy), not an index
        size = len(index.indptr) - 1
        if not all(0 <= i < size for i in index.vocab.values()):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # used: the newest are kept
        return index

    def _write(self, path: Path, index: Bm25) -> None:
        import numpy as np

        if self.problem is not None:
            return
        tokens = list(index.vocab)
        buffer = io.BytesIO()
        np.savez(
            buffer,
            tokens=np.frombuffer(_SEP.join(tokens).encode("utf-8"), dtype=np.uint8),
            ids=np.asarray([index.vocab[t] for t in tokens], dtype=np.int64),
            data=index.data,
            indices=index.indices,
            indptr=index.indptr,
            num_docs=np.asarray(index.num_docs, dtype=np.int64),
        )
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_cache_file(path, buffer.getvalue())  # whole or not at all; never through
            self._prune()
        except (OSError, OutputError) as error:
            self.problem = f"BM25 index cache {self.folder} not used: {error}"

    def _prune(self) -> None:
        """Remove all but the newest ``keep`` indexes."""
        dated: list[tuple[int, Path]] = []
        for file in self.folder.glob("*.npz"):
            try:
                info = file.lstat()
            except OSError:
                continue  # removed meanwhile (another run pruning)
            if _OWN_NAME.fullmatch(file.name) and _ours(info):
                dated.append((info.st_mtime_ns, file))
        dated.sort()
        for _, old in dated[: max(0, len(dated) - self.keep)]:
            try:
                old.unlink(missing_ok=True)
            except OSError:
                continue
