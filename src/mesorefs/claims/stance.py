"""A learned stance judgement: softmax regression over features of (claim, sentence) pairs.

Each passage the ranking returns for a candidate reference (a sentence of a note,
an abstract or a full text, or a title) is described by numbers a reader would
look at: how much of the claim it covers (IDF weighted, all words and the words
specific to this library), the dense cosine of the shipped encoder, shared word
pairs, numbers the claim states that the sentence lacks, the disagreement cues of
:mod:`mesorefs.claims.cues` (negation on one side only, a reported null finding,
the opposite direction), hedging, and how the sentence and its reference compare
with the other candidates (the reference's rank, its share of the best
reference's score, the sentence's distance to the best dense and word-coverage
scores).  A three-way softmax (supports, contradicts, neutral) turns them into
probabilities; its weights and thresholds live in ``data/stance.json``, fitted by
``training/train_verdicts.py`` on the training splits of SciFact and Check-COVID
only.  A reference takes the stance of its strongest sentence.

The thresholds are precision-first: a side is taken only above the probability at
which it was right often enough on the training splits (see the file's notes); a
side that no threshold made precise enough is never taken (its threshold is above 1).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from mesorefs.claims.cues import direction_differs, negation_differs, null_finding
from mesorefs.claims.retrieve import RankedReference, ScoredPassage, content_tokens
from mesorefs.claims.verify import (
    Judgement,
    coverage,
    coverage_of,
    judge_probabilities,
    specific_tokens,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = [
    "FEATURES",
    "STANCE_FILE",
    "Context",
    "StanceModel",
    "load_stance_model",
    "pair_features",
    "ranked_features",
]

STANCE_FILE = Path(__file__).resolve().parent / "data" / "stance.json"
LABELS = ("supports", "contradicts", "neutral")
FEATURES = (
    "dense",
    "coverage",
    "specific",
    "bigrams",
    "missing_numbers",
    "null_finding",
    "negation_differs",
    "direction_differs",
    "hedge",
    "dense_x_coverage",
    "is_title",
    "fused_rank",
    "bm25",
    "finding",
    "reference_rank",
    "reference_first",
    "reference_share",
    "dense_below_best",
    "coverage_below_best",
)

_HEDGE = re.compile(
    r"\b(?:may|might|could|possibly|potential(?:ly)?|suggests?|suggested|hypothes[ie]s|"
    r"unclear|remains? to be|controversial|debatable|claimed|theoretical|conjecture)\b",
    re.IGNORECASE,
)
# A sentence that reports a result rather than background ("we found", "was associated").
_FINDING = re.compile(
    r"\b(?:we (?:found|show|observed|demonstrate)|results? (?:show|suggest|indicate)|"
    r"(?:was|were) (?:associated|correlated|linked)|conclu(?:de|sion)|significant(?:ly)?|"
    r"compared with|odds ratio|hazard ratio)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Context:
    """Where a passage's reference stands among the candidates for the same claim."""

    rank: int = 1
    share: float = 1.0
    """The reference's fused score over the best reference's."""
    best_dense: float = 0.0
    best_coverage: float = 0.0


@dataclass(frozen=True)
class _Facts:
    """What the features read of one text alone: the same whatever it is compared with."""

    tokens: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    numbers: frozenset[str]
    hedge: bool
    finding: bool


# A passage is compared with every claim it is a candidate for, a claim with every passage.
@lru_cache(maxsize=1 << 14)
def _facts(text: str) -> _Facts:
    tokens = content_tokens(text)
    return _Facts(
        tokens=frozenset(tokens),
        bigrams=frozenset(pairwise(tokens)),
        numbers=frozenset(_NUMBER.findall(text)),
        hedge=bool(_HEDGE.search(text)),
        finding=bool(_FINDING.search(text)),
    )


def _dense(scored: ScoredPassage) -> float:
    """The dense cosine rescaled to 0..1 (MiniLM cosines of related sentences run 0.2-0.8)."""
    if scored.dense is None:
        return 0.0
    return max(0.0, min(1.0, (scored.dense - 0.2) / 0.6))


def pair_features(
    claim: str,
    scored: ScoredPassage,
    idf: Mapping[str, float],
    specific: Mapping[str, float] | None = None,
    context: Context | None = None,
    top: float | None = None,
    lexical: float | None = None,
) -> NDArray[np.float64]:
    """The numbers :data:`FEATURES` names for ``claim`` against one passage (``top``: the
    largest IDF of ``idf``, and ``lexical``: the passage's :func:`coverage`, when known)."""
    import numpy as np

    where = context or Context()
    text = scored.passage.text
    mine = specific if specific is not None else specific_tokens(claim, idf, top)
    said, facts = _facts(claim), _facts(text)
    passage_tokens = facts.tokens
    total = math.fsum(mine.values())
    shared = math.fsum(w for t, w in mine.items() if t in passage_tokens)
    specific_share = shared / total if total else 0
    if lexical is None:
        lexical = coverage(claim, text, idf, top)
    claim_bigrams = said.bigrams
    bigrams = len(claim_bigrams & facts.bigrams) / len(claim_bigrams) if claim_bigrams else 0.0
    numbers = said.numbers
    missing = len(numbers - facts.numbers) / len(numbers) if numbers else 0.0
    dense = _dense(scored)
    return np.asarray(
        [
            dense,
            lexical,
            specific_share,
            bigrams,
            missing,
            float(null_finding(claim, text, mine)),
            float(negation_differs(claim, text, mine)),
            float(direction_differs(claim, text, mine)),
            float(facts.hedge),
            dense * lexical,
            float(scored.passage.field == "title"),
            # The fused reciprocal ranks of the passage among all the library's passages.
            10.0 * scored.score,
            math.log1p(max(scored.lexical, 0.0)),
            float(facts.finding),
            1.0 / max(where.rank, 1),
            float(where.rank == 1),
            where.share,
            dense - where.best_dense,
            lexical - where.best_coverage,
        ],
        dtype=np.float64,
    )


def ranked_features(
    claim: str,
    ranked: Sequence[RankedReference],
    chosen: Sequence[RankedReference],
    idf: Mapping[str, float],
    top: int = 5,
) -> list[NDArray[np.float64]]:
    """Feature rows (one per passage) of each reference of ``chosen``.

    The best dense and coverage scores are taken over the passages of the ``top``
    first references of ``ranked`` (and of ``chosen``), so each passage is measured
    against its competitors.
    """
    import numpy as np

    rarest = max(idf.values(), default=1.0)  # searched once, not once per passage
    specific = specific_tokens(claim, idf, rarest)
    pool = {r.key: r for r in [*ranked[:top], *chosen]}
    passages = [p for r in pool.values() for p in r.passages]
    best_dense = max((_dense(p) for p in passages), default=0.0)
    cover = coverage_of(claim, idf, rarest)
    covered = {t: cover(t) for t in dict.fromkeys(p.passage.text for p in passages)}
    best_coverage = max((covered[p.passage.text] for p in passages), default=0.0)
    first = ranked[0].score if ranked and ranked[0].score > 0 else 1.0
    rows: list[NDArray[np.float64]] = []
    for ref in chosen:
        context = Context(ref.rank, ref.score / first, best_dense, best_coverage)
        rows.append(
            np.stack(
                [
                    pair_features(claim, p, idf, specific, context, rarest, covered[p.passage.text])
                    for p in ref.passages
                ]
            )
            if ref.passages
            else np.zeros((0, len(FEATURES)))
        )
    return rows


@dataclass(frozen=True)
class StanceModel:
    """Softmax regression over :func:`pair_features`.

    ``support`` and ``contradict`` are the least probabilities at which a sentence
    supports or contradicts the claim; ``relevance`` the least probability of "not
    neutral" at which it bears on the claim.  All were chosen on SciFact train.
    Implements :class:`mesorefs.claims.verify.Verifier` (without ranking context)
    and ``verify_ranked`` (with it, as :func:`mesorefs.claims.check.link_claim` calls).
    """

    weights: tuple[tuple[float, ...], ...]
    """One row per label of ``LABELS``: a bias, then one weight per feature."""
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    support: float = 0.5
    contradict: float = 0.5
    relevance: float = 0.3
    version: str = "stance-lr/2"
    notes: dict[str, object] = field(default_factory=dict, compare=False)

    @classmethod
    def load(cls, path: str | Path = STANCE_FILE) -> StanceModel:
        """The model saved at ``path`` (the shipped one by default)."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path}: features {data['features']} are not {list(FEATURES)}")
        return cls(
            weights=tuple(tuple(float(v) for v in row) for row in data["weights"]),
            mean=tuple(float(v) for v in data["mean"]),
            scale=tuple(float(v) for v in data["scale"]),
            support=float(data["thresholds"]["supports"]),
            contradict=float(data["thresholds"]["contradicts"]),
            relevance=float(data["thresholds"]["relevance"]),
            version=str(data.get("version", "stance-lr/2")),
            notes=dict(data.get("notes", {})),
        )

    @property
    def name(self) -> str:
        sides = [
            f"{side}>={threshold:g}" if threshold <= 1 else f"never {side}"
            for side, threshold in (("supports", self.support), ("contradicts", self.contradict))
        ]
        return f"{self.version} ({', '.join(sides)}, relevance>={self.relevance:g})"

    def probabilities(self, features: NDArray[np.float64]) -> NDArray[np.float64]:
        """Rows of (supports, contradicts, neutral) probabilities for rows of features."""
        import numpy as np

        x = (np.atleast_2d(features) - np.asarray(self.mean)) / np.asarray(self.scale)
        w = np.asarray(self.weights)
        z = x @ w[:, 1:].T + w[:, 0]
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        out: NDArray[np.float64] = e / e.sum(axis=1, keepdims=True)
        return out

    def judge(self, probs: NDArray[np.float64]) -> Judgement:
        """The judgement for one row of probabilities."""
        p_s, p_c, p_n = (float(v) for v in probs)
        return judge_probabilities(p_s, p_c, p_n, self.support, self.contradict)

    def _judge_rows(self, rows: NDArray[np.float64]) -> list[Judgement]:
        """One judgement per row of features (none for none)."""
        return [self.judge(probs) for probs in self.probabilities(rows)] if len(rows) else []

    def verify(
        self,
        claim: str,
        passages: Sequence[ScoredPassage],
        idf: Mapping[str, float],
    ) -> list[Judgement]:
        """Judgements of one reference's passages, without knowing the other candidates."""
        if not passages:
            return []
        reference = RankedReference("", 1.0, 1, tuple(passages))
        (rows,) = ranked_features(claim, [reference], [reference], idf)
        return self._judge_rows(rows)

    def verify_ranked(
        self,
        claim: str,
        ranked: Sequence[RankedReference],
        chosen: Sequence[RankedReference],
        idf: Mapping[str, float],
    ) -> list[list[Judgement]]:
        """Judgements of the passages of each reference of ``chosen``, knowing the ranking."""
        rows = ranked_features(claim, ranked, chosen, idf)
        return [self._judge_rows(r) for r in rows]


_LOADED: list[StanceModel | None] = []


def load_stance_model() -> StanceModel | None:
    """The shipped stance model (read once per process), or None when its file is missing."""
    if not _LOADED:
        try:
            _LOADED.append(StanceModel.load())
        except (OSError, ValueError, KeyError):
            _LOADED.append(None)
    return _LOADED[0]
