"""The claim-checking pipeline: claims from a document, links to references, verdicts.

Each stage is a pure function over data:

``parse_document`` -> :func:`extract_claims` -> ``passages_for_all`` -> ``build_index``
-> :func:`link_claim` (rank, verify, decide) -> :class:`~mesorefs.claims.report.ClaimReport`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from mesorefs.claims.document import Block, Citation, Document, Segment, parse_document
from mesorefs.claims.evidence import Passage, ReferenceLike, passages_for_all, reference_key
from mesorefs.claims.report import (
    CitationCheck,
    Claim,
    ClaimReport,
    ClaimResult,
    Evidence,
    Link,
    Verdict,
)
from mesorefs.claims.retrieve import (
    Encoder,
    EvidenceIndex,
    FusionWeights,
    RankedReference,
    build_index,
    content_tokens,
    default_encoder,
    rank,
)
from mesorefs.claims.verify import BaselineVerifier, Judgement, Verifier
from mesorefs.errors import MesorefsError
from mesorefs.inputs import repair_surrogates

__all__ = [
    "Settings",
    "check_claims",
    "checkworthiness",
    "decide",
    "extract_claims",
    "link_claim",
    "resolve_citations",
]

_ADVICE_START = re.compile(
    r"^(?:(?:if|when|before|after|to)\b[^,]{0,120},\s*)?(?:please\s+)?(?:always\s+|only\s+|never\s+)?"
    r"(call|consult|ask|avoid|see|talk|make sure|be sure|don't|do not|check|contact|seek|"
    r"get|go|try|remember|keep|stop|use|speak|tell|visit|book|consider|choose)\b",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"\b(?:click here|subscribe|sign up|all rights reserved|copyright|read more|share this|"
    r"in this article|this article (?:will|explains|covers)|table of contents|cookie)\b",
    re.IGNORECASE,
)


MAX_CLAIM_CHARS = 2000
"""A longer segment has no sentence break: data or markup, not a claim; ranking and
verifying it would cost minutes and gigabytes for nothing."""
MAX_DENSE_PASSAGES = 4000
"""Beyond this many passages ranking is lexical only (with a warning)."""


def checkworthiness(segment: Segment) -> tuple[bool, str | None]:
    """Whether a segment states something a reference could support, and if not, why."""
    text = segment.text.strip()
    if segment.kind in ("title", "heading"):
        return False, "heading"
    if len(text) > MAX_CLAIM_CHARS:
        return False, f"{len(text):,} characters without a sentence break: too long for one claim"
    if text.endswith("?"):
        return False, "question"
    if _BOILERPLATE.search(text):
        return False, "boilerplate"
    if text.endswith(":"):
        return False, "list lead-in (checked through its items)"
    if _ADVICE_START.match(text) or re.search(r"\byou (?:should|must|need to)\b", text, re.I):
        return False, "advice"
    if len(content_tokens(text)) < 2 and segment.kind != "item":
        return False, "too short"
    return True, None


def extract_claims(document: Document) -> list[Claim]:
    """Every sentence, list item and heading of ``document`` as a claim, checkworthy or not."""
    claims: list[Claim] = []
    for number, segment in enumerate(document.segments, start=1):
        worthy, reason = checkworthiness(segment)
        context = segment.context
        if segment.kind == "item" and context:
            lead = context.rstrip(":").rstrip()
            lead = re.sub(r",?\s*(?:including|such as|these include|include|as follows)$", "", lead)
            query = (
                f"{lead}: {segment.text}"
                if lead and lead.lower() not in ("these", "they")
                else segment.text
            )
            if re.fullmatch(r"(?:these|they|this|it)\b.*", lead, re.I) and segment.section:
                query = f"{segment.section.rstrip('?:')}: {segment.text}"
        else:
            query = segment.text
        claims.append(
            Claim(
                id=f"c{number}",
                text=segment.text,
                query=query,
                kind=segment.kind,
                start=segment.start,
                end=segment.end,
                section=segment.section,
                context=context,
                checkworthy=worthy,
                reason=reason,
                citations=segment.citations,
            )
        )
    return claims


def _title_match(entry: str, title: str) -> float:
    a, b = set(content_tokens(title)), set(content_tokens(entry))
    return len(a & b) / len(a) if a else 0.0


def resolve_citations(
    citation: Citation,
    references: Sequence[ReferenceLike],
    keys: Sequence[str],
    bibliography: Sequence[Block] = (),
) -> list[str]:
    """The keys of the library references a citation marker points to (may be empty)."""
    known = set(keys)
    if citation.style in ("pandoc", "latex"):
        return [k for k in citation.keys if k in known]
    if citation.style == "numeric":
        out: list[str] = []
        for n in citation.numbers:
            if bibliography and 1 <= n <= len(bibliography):
                entry = bibliography[n - 1].text
                scores = [_title_match(entry, r.title or "") for r in references]
                best = max(range(len(scores)), key=scores.__getitem__, default=-1)
                if best >= 0 and scores[best] >= 0.6:
                    out.append(keys[best])
            elif not bibliography and 1 <= n <= len(keys):
                out.append(keys[n - 1])
        return out
    matches: list[str] = []
    wanted = citation.authors[0].lower() if citation.authors else ""
    for reference, key in zip(references, keys, strict=True):
        families = [a.sort_name.lower() for a in reference.authors]
        year = str(reference.year) if reference.year is not None else None
        if families and families[0] == wanted and (citation.year or "")[:4] == year:
            matches.append(key)
    return matches


@dataclass(frozen=True)
class Settings:
    """Knobs of the linking stage; defaults were chosen on SciFact train only."""

    top_references: int = 5
    top_passages: int = 3
    fusion: FusionWeights = field(default_factory=FusionWeights)
    margin: float = 0.1
    """A supports/contradicts conflict closer than this is ``uncertain``."""
    dense: bool = True
    """Rank with the shipped dense encoder when it loads (``False``: lexical only)."""


def decide(
    judged: Sequence[tuple[str, Judgement]], relevance: float, margin: float = Settings.margin
) -> Verdict:
    """The verdict on a claim from the per-reference judgements ``(key, judgement)``.

    When references disagree, the side whose best judgement is stronger by at least
    ``margin`` wins (a verifier puts both stances on one confidence scale); a closer
    call is ``uncertain``.
    """
    best_support = max((j.confidence for _, j in judged if j.stance == "supports"), default=0.0)
    best_contra = max((j.confidence for _, j in judged if j.stance == "contradicts"), default=0.0)
    if best_support and best_contra:
        if abs(best_support - best_contra) < margin:
            return "uncertain"
        return "supported" if best_support > best_contra else "contradicted"
    if best_support:
        return "supported"
    if best_contra:
        return "contradicted"
    if any(j.relevance >= relevance for _, j in judged):
        return "uncertain"
    return "unsupported"


def _best(judgements: Sequence[Judgement]) -> int:
    """Index of the strongest judgement: a stance beats neutral, then confidence decides."""

    def weight(i: int) -> tuple[int, float, float]:
        j = judgements[i]
        return (j.stance != "neutral", j.confidence if j.stance != "neutral" else 0.0, j.relevance)

    return max(range(len(judgements)), key=weight)


def link_claim(
    claim: Claim,
    index: EvidenceIndex,
    verifier: Verifier,
    settings: Settings | None = None,
    cited: Sequence[str] = (),
    ranked: Sequence[RankedReference] | None = None,
) -> ClaimResult:
    """Rank (unless ``ranked`` is given), verify and decide one claim against an evidence index."""
    s = settings or Settings()
    if not claim.checkworthy:
        return ClaimResult(claim=claim, verdict="not checked", links=(), citation_checks=())
    if ranked is None:
        ranked = rank(
            index,
            claim.query,
            top_passages=s.top_passages,
            weights=s.fusion,
            limit=s.top_references,
            keep=cited,
        )
    wanted = {r.key for r in ranked[: s.top_references]} | set(cited)
    links: list[Link] = []
    judged: list[tuple[str, Judgement]] = []
    by_key: dict[str, Link] = {}
    for ref in ranked:
        if ref.key not in wanted or not ref.passages:
            continue
        # A list item is judged on its own words: the lead-in only steers the ranking.
        judged_text = claim.text if claim.kind == "item" else claim.query
        judgements = verifier.verify(judged_text, ref.passages, index.idf)
        i = _best(judgements)
        j, p = judgements[i], ref.passages[i]
        judged.append((ref.key, j))
        link = Link(
            key=ref.key,
            stance=j.stance,
            score=round(j.confidence, 3),
            relevance=round(j.relevance, 3),
            rank=ref.rank,
            cues=j.cues,
            cited=ref.key in cited,
            evidence=Evidence(
                field=p.passage.field,
                text=p.passage.text,
                start=p.passage.start,
                end=p.passage.end,
                source=p.passage.source,
            ),
        )
        by_key[ref.key] = link
        if j.stance != "neutral" or ref.key in cited:
            links.append(link)
    relevance = getattr(verifier, "relevance", 0.3)
    verdict = decide(judged, float(relevance), s.margin)
    links.sort(key=lambda lk: (lk.stance == "neutral", -lk.score))
    checks: list[CitationCheck] = []
    supporters = [lk for lk in links if lk.stance == "supports"]
    for key in cited:
        found = by_key.get(key)
        stance = found.stance if found else "neutral"
        better = None
        if stance != "supports":
            better = next((lk.key for lk in supporters if lk.key not in cited), None)
        checks.append(
            CitationCheck(key=key, stance=stance, supports=stance == "supports", better=better)
        )
    return ClaimResult(
        claim=claim, verdict=verdict, links=tuple(links), citation_checks=tuple(checks)
    )


def _apply_resolver(references: list[Any], resolver: Any, warnings: list[str]) -> list[Any]:
    """Fill missing abstracts through ``resolver`` (anything with ``resolve(reference)``)."""
    resolve: Callable[[Any], Any] | None = getattr(resolver, "resolve", None)
    if resolve is None and callable(resolver):
        resolve = resolver
    if resolve is None:
        return references
    out: list[Any] = []
    for reference in references:
        if reference.abstract:
            out.append(reference)
            continue
        try:
            resolved = resolve(reference)
        except MesorefsError as error:
            warnings.append(f"{reference.key or reference.title}: abstract not resolved: {error}")
            out.append(reference)
            continue
        abstract = getattr(resolved, "abstract", None)
        if abstract and hasattr(reference, "model_copy"):
            out.append(reference.model_copy(update={"abstract": abstract}))
        else:
            out.append(resolved if abstract else reference)
    return out


def _index(
    passages: Sequence[Passage],
    keys: Sequence[str],
    encoder: Encoder | Literal[False] | None,
    settings: Settings,
    warnings: list[str],
) -> EvidenceIndex:
    """The evidence index, dense when wanted and possible, else lexical (with a warning)."""
    if encoder is False or not settings.dense:
        return build_index(passages, keys)
    if len(passages) > MAX_DENSE_PASSAGES:  # encoding costs ~5 ms a passage
        warnings.append(
            f"{len(passages):,} passages: more than the {MAX_DENSE_PASSAGES:,} dense ranking "
            "encodes in reasonable time: lexical only"
        )
        return build_index(passages, keys)
    chosen = encoder if encoder is not None else default_encoder()
    if chosen is None:
        warnings.append(
            "dense ranking unavailable (no encoder model or onnxruntime/tokenizers): lexical only"
        )
        return build_index(passages, keys)
    try:
        return build_index(passages, keys, chosen)
    except Exception as error:  # a broken model file or runtime must not stop the check
        warnings.append(f"dense ranking failed ({type(error).__name__}: {error}): lexical only")
        return build_index(passages, keys)


def check_claims(
    document: str | Document,
    library: Iterable[ReferenceLike],
    resolver: Any = None,
    *,
    verifier: Verifier | None = None,
    encoder: Encoder | Literal[False] | None = None,
    format: Literal["text", "markdown", "html", "latex"] | None = None,
    base_dir: str | Path | None = None,
    settings: Settings | None = None,
    full_text_dirs: Sequence[str | Path] | None = None,
) -> ClaimReport:
    """Link every claim of ``document`` to the references of ``library`` that bear on it.

    ``document`` is the text (plain, Markdown, HTML or LaTeX; detected unless ``format``
    is given) or an already parsed :class:`Document`.  ``resolver``, when given, fills
    missing abstracts.  Ranking fuses BM25 with the shipped dense encoder
    (:func:`mesorefs.claims.retrieve.default_encoder`) when it loads; give another
    ``encoder``, or ``encoder=False`` (or ``Settings(dense=False)``) for lexical-only
    ranking.  ``report.ranking`` says which ranking ran, and a warning says why dense
    ranking was skipped when it was wanted but could not run.  Without a ``verifier``
    the :class:`BaselineVerifier` tuned for that ranking labels the links.  Local
    full-text files named in a reference's ``file`` field are read relative to
    ``base_dir``, and only when they lie under ``full_text_dirs`` (default: ``base_dir``,
    or the working folder); others are named in the warnings.
    """
    if isinstance(document, str):
        document = repair_surrogates(document)
    doc = document if isinstance(document, Document) else parse_document(document, format)
    warnings: list[str] = []
    references: list[Any] = list(library)
    if resolver is not None:
        references = _apply_resolver(references, resolver, warnings)
    keys = [reference_key(r, i) for i, r in enumerate(references)]
    skipped: list[str] = []
    passages = passages_for_all(
        references,
        base_dir=Path(base_dir) if base_dir else None,
        full_text_dirs=None if full_text_dirs is None else [Path(d) for d in full_text_dirs],
        skipped=skipped,
    )
    warnings.extend(skipped)
    index = _index(passages, keys, encoder, settings or Settings(), warnings)
    engine = verifier or (BaselineVerifier() if index.encoder else BaselineVerifier.lexical())
    results: list[ClaimResult] = []
    for claim in extract_claims(doc):
        cited: list[str] = []
        for citation in claim.citations:
            for key in resolve_citations(citation, references, keys, doc.bibliography):
                if key not in cited:
                    cited.append(key)
        results.append(link_claim(claim, index, engine, settings, cited))
    return ClaimReport(
        document=doc,
        claims=tuple(results),
        engine=engine.name,
        ranking=index.ranking,
        references=tuple(keys),
        warnings=tuple(warnings),
    )
