"""Sentence embeddings kept on disk between runs, so a rerun embeds only what changed.

An author checks a document, edits it, and checks it again: the references' passages
are the same, and most claims too.  :class:`VectorStore` keeps each vector in an SQLite
file in mesorefs' cache folder, under a key made from the encoder's identity (a hash of
its model and tokenizer files and its settings) and a hash of the text; the text itself
is not stored.  Beside the vectors it keeps small notes: the hashes of the model files,
by what ``stat`` says of them (:func:`mesorefs.claims.encoder.file_digest`), so a rerun
need not read the model.  The store is an optimisation only: a store that cannot be
opened, read or written (locked past its timeout, full disk, damaged) is left alone for
the rest of the run, with one warning, and encoding goes on without it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from mesorefs.outputs import cache_file_problem

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


__all__ = ["VectorStore", "text_key"]

_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)"
_NOTES = "CREATE TABLE IF NOT EXISTS notes (key TEXT PRIMARY KEY, value BLOB NOT NULL)"
_BATCH = 500  # SQLite's default limit on host parameters is 999


def text_key(encoder_id: bytes, text: str) -> bytes:
    """The key of ``text``'s vector under the encoder ``encoder_id``."""
    return hashlib.sha256(encoder_id + b"\0" + text.encode("utf-8", "surrogatepass")).digest()


class VectorStore:
    """Vectors of one dimension in the SQLite file ``path`` (made on first write)."""

    def __init__(self, path: str | Path, dimension: int, timeout: float = 2.0) -> None:
        self.path = Path(path)
        self.dimension = dimension
        self.timeout = timeout
        self.problem: str | None = None
        self._db: sqlite3.Connection | None = None

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self.problem is not None:
            return None
        if self._db is None:
            if not create and not self.path.is_file():
                return None
            planted = cache_file_problem(self.path)
            if planted is not None:
                self.problem = f"embedding cache {self.path} not used: {planted}"
                return None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=self.timeout)
                # A cache: a write-ahead log without a sync per commit keeps each claim's
                # write cheap; a file damaged by a crash is reported and left alone.
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute(_SCHEMA)
                db.execute(_NOTES)
                db.commit()
            except (sqlite3.Error, OSError) as error:
                self._fail(error)
                return None
            self._db = db
        return self._db

    def _fail(self, error: Exception) -> None:
        self.problem = f"embedding cache {self.path} not used: {error}"
        self.close()

    def get(self, keys: Iterable[bytes]) -> dict[bytes, NDArray[np.float32]]:
        """The stored vectors of those ``keys`` that have one."""
        import numpy as np

        wanted = list(keys)
        db = self._connect(create=False)
        if db is None or not wanted:
            return {}
        found: dict[bytes, NDArray[np.float32]] = {}
        size = self.dimension * 4
        try:
            for start in range(0, len(wanted), _BATCH):
                chunk = wanted[start : start + _BATCH]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT key, vector FROM vectors WHERE key IN ({marks})"
                for key, blob in db.execute(query, chunk):
                    if isinstance(blob, bytes) and len(blob) == size:
                        found[bytes(key)] = np.frombuffer(blob, dtype=np.float32).copy()
        except sqlite3.Error as error:
            self._fail(error)
            return {}
        return found

    def put(self, vectors: Mapping[bytes, NDArray[np.float32]]) -> None:
        """Keep ``vectors`` (float32 rows of this store's dimension) for later runs."""
        import numpy as np

        if not vectors:
            return
        db = self._connect(create=True)
        if db is None:
            return
        rows = [
            (key, np.asarray(vector, dtype=np.float32).tobytes())
            for key, vector in vectors.items()
            if np.asarray(vector).shape == (self.dimension,)
        ]
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
        except sqlite3.Error as error:
            self._fail(error)

    def note(self, key: str) -> bytes | None:
        """The value kept under ``key`` by :meth:`keep_note` (what the encoder remembers of
        its model files), or None."""
        db = self._connect(create=False)
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM notes WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as error:
            self._fail(error)
            return None
        return bytes(row[0]) if row is not None and isinstance(row[0], bytes) else None

    def keep_note(self, key: str, value: bytes) -> None:
        """Keep ``value`` under ``key`` for later runs."""
        db = self._connect(create=True)
        if db is None:
            return
        try:
            with db:
                db.execute("INSERT OR REPLACE INTO notes VALUES (?, ?)", (key, value))
        except sqlite3.Error as error:
            self._fail(error)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
