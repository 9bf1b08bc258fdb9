"""all-MiniLM-L6-v2 sentence embeddings without torch: an int8 ONNX export run by onnxruntime.

The model in ``data/minilm`` is sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0),
exported and quantized by ``training/export_encoder.py``.  :class:`OnnxEncoder` does
what sentence-transformers does for this model: WordPiece tokens (lower-cased, at
most 256 with [CLS] and [SEP]), the transformer, mean pooling over the real tokens
and L2 normalisation.  It needs ``onnxruntime`` and ``tokenizers``; both are
imported, and the model loaded, on the first :meth:`OnnxEncoder.encode`.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mesorefs.claims.vector_store import VectorStore, text_key

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = [
    "DIMENSION",
    "MODEL_DIR",
    "MODEL_FILE",
    "OnnxEncoder",
    "file_digest",
    "load_default_encoder",
    "model_available",
]

MODEL_DIR = Path(__file__).resolve().parent / "data" / "minilm"
MODEL_FILE = "model_int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
DIMENSION = 384
MAX_LENGTH = 256


def open_onnx(ort: Any, model_path: Path, threads: int) -> tuple[Any, tuple[str, ...]]:
    """A quiet CPU inference session for ``model_path`` and the names of its inputs."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(
        str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return session, tuple(i.name for i in session.get_inputs())


SETTLED_NS = 2_000_000_000
"""A file's hash is remembered only when its last change is this much older than now."""


def hash_file(path: Path) -> bytes:
    """The SHA-256 of the bytes of the file at ``path``."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.digest()


def file_digest(path: Path, store: VectorStore | None = None) -> bytes:
    """The SHA-256 of the file at ``path``, remembered in ``store`` by what ``stat`` says.

    Hashing the model costs more than a rerun's other work with it.  The hash is kept
    under the file's path, size, modification and status-change times (ns), inode and
    device: an edit in place moves the status-change time, which no program can set
    back (``touch`` and ``utime`` set only the others), and a file replaced by another
    has another inode, so an edited file never meets its old hash.  A file changed
    within the last :data:`SETTLED_NS` is hashed but not remembered (as git treats a
    "racily clean" file), so a coarse clock cannot let two versions share one record.
    """
    info = os.stat(path)
    key = (
        f"sha256 {os.path.abspath(path)} {info.st_size} {info.st_mtime_ns} "
        f"{info.st_ctime_ns} {info.st_ino} {info.st_dev}"
    )
    known = store.note(key) if store is not None else None
    if known is not None and len(known) == 32:
        return known
    digest = hash_file(path)
    settled = time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) > SETTLED_NS
    if store is not None and settled:
        store.keep_note(key, digest)
    return digest


class OnnxEncoder:
    """Texts -> L2-normalised float32 rows of length 384, computed in batches.

    ``threads`` bounds onnxruntime's intra-op threads (default: the number of CPUs,
    at most 2).  ``batch_size`` is 1 by default: the int8 model quantizes activations
    per call, so a text batched with others gets a slightly different vector (cosine
    0.97-0.999, padding counts too); one text per call keeps every vector independent
    of its neighbours, costs little on CPU and is a little closer to the float model.
    Vectors of the last ``cache_size`` distinct texts are kept, so a passage seen
    again (the same reference in another check) is not encoded twice.
    """

    name = "all-MiniLM-L6-v2"

    def __init__(
        self,
        model_dir: str | Path = MODEL_DIR,
        *,
        model_file: str = MODEL_FILE,
        max_length: int = MAX_LENGTH,
        batch_size: int = 1,
        threads: int | None = None,
        cache_size: int = 100_000,
        store: VectorStore | None = None,
    ) -> None:
        self.model_path = Path(model_dir) / model_file
        self.tokenizer_path = Path(model_dir) / TOKENIZER_FILE
        self.max_length = max_length
        self.batch_size = max(1, batch_size)
        self.threads = threads or min(2, os.cpu_count() or 1)
        self.cache_size = cache_size
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: tuple[str, ...] = ()
        self._cache: OrderedDict[str, NDArray[np.float32]] = OrderedDict()
        self._lock = threading.Lock()
        self.store = store
        self._identity: bytes | None = None

    @property
    def identity(self) -> bytes:
        """What the vectors depend on: the model and tokenizer files' bytes, the length
        limit and the batch size (the int8 model's vectors differ with batching)."""
        if self._identity is None:
            digest = hashlib.sha256()
            for path in (self.model_path, self.tokenizer_path):
                digest.update(file_digest(path, self.store))
            digest.update(f"{self.max_length}/{self.batch_size}".encode())
            self._identity = digest.digest()
        return self._identity

    @property
    def warnings(self) -> list[str]:
        """Problems worth a line in a report (an embedding cache that could not be used)."""
        problem = self.store.problem if self.store is not None else None
        return [problem] if problem else []

    @property
    def loaded(self) -> bool:
        return self._session is not None

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            ort: Any = importlib.import_module("onnxruntime")
            tokenizers: Any = importlib.import_module("tokenizers")
            tokenizer = tokenizers.Tokenizer.from_file(str(self.tokenizer_path))
            tokenizer.enable_truncation(max_length=self.max_length)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
            session, self._inputs = open_onnx(ort, self.model_path, self.threads)
            self._tokenizer = tokenizer
            self._session = session

    def _embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One batch through the model: mean of the real tokens' states, L2-normalised."""
        import numpy as np

        encodings = self._tokenizer.encode_batch(list(texts))
        ids = np.asarray([e.ids for e in encodings], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = np.asarray(self._session.run(None, feed)[0], dtype=np.float32)
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        out: NDArray[np.float32] = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return out

    def remember(self, texts: Sequence[str], vectors: NDArray[np.float32]) -> None:
        """Keep vectors computed earlier by this same model (e.g. saved by a benchmark)."""
        import numpy as np

        if len(texts) != len(vectors):
            raise ValueError("one vector per text is needed")
        self._cache.update(zip(texts, np.asarray(vectors, dtype=np.float32), strict=True))

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Embeddings of ``texts``, one row each, in order (shape ``(len(texts), 384)``)."""
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        fresh: dict[str, NDArray[np.float32]] = {}
        keys: dict[str, bytes] = {}
        if missing and self.store is not None:
            keys = {t: text_key(self.identity, t) for t in missing}
            stored = self.store.get(keys.values())
            fresh.update((t, stored[k]) for t, k in keys.items() if k in stored)
            missing = [t for t in missing if t not in fresh]
        if missing:
            self._load()
            # Similar lengths share a batch, so little time goes into padding.
            missing.sort(key=len)
            computed: dict[str, NDArray[np.float32]] = {}
            for start in range(0, len(missing), self.batch_size):
                batch = missing[start : start + self.batch_size]
                computed.update(zip(batch, self._embed(batch), strict=True))
            fresh.update(computed)
            if self.store is not None:
                self.store.put({keys[t]: v for t, v in computed.items()})
        if fresh and self.cache_size > 0:
            self._cache.update(fresh)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        rows = [fresh[t] if t in fresh else self._cache[t] for t in texts]
        return np.stack(rows).astype(np.float32, copy=False)


def model_available(model_dir: str | Path = MODEL_DIR) -> bool:
    """Whether the model files and the packages that run them are installed."""
    folder = Path(model_dir)
    if not (folder / MODEL_FILE).is_file() or not (folder / TOKENIZER_FILE).is_file():
        return False
    return all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "tokenizers"))


def load_default_encoder(cache_dir: str | Path | None = None) -> OnnxEncoder | None:
    """The shipped int8 all-MiniLM-L6-v2 encoder, or None when it cannot run here.

    None means the model file or ``onnxruntime``/``tokenizers`` is missing; ranking
    is then lexical only, and reports say so.  The model itself loads lazily.  With
    ``cache_dir``, vectors are kept on disk there (``embeddings.sqlite``), so a rerun
    embeds only the texts it has not seen.
    """
    if not model_available():
        return None
    store = None
    if cache_dir is not None:
        store = VectorStore(Path(cache_dir) / "embeddings.sqlite", DIMENSION)
    return OnnxEncoder(store=store)
