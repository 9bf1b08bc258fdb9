"""The claim-checking pipeline: claims from a document, links to references, verdicts.

Each stage is a pure function over data:

``parse_document`` -> :func:`extract_claims` (claims and their parts) -> ``passages_for_all``
-> ``build_index`` -> :func:`link_claim` (per part: rank, verify, decide, explain; then
:func:`combine`) -> :class:`~mesorefs.claims.report.ClaimReport`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from mesorefs.claims.backends import backend_of, load_verifier
from mesorefs.claims.bm25 import Bm25Cache
from mesorefs.claims.citing import (
    UNCITED_NOTICE,
    citation_check,
    cited_first,
    could_cite,
    resolve_citations,
    resolve_marker,
    title_only_notice,
)
from mesorefs.claims.claim_cache import RunRecord, claim_key, open_store
from mesorefs.claims.document import Document, parse_document
from mesorefs.claims.evidence import Passage, ReferenceLike, passages_for_all, reference_key
from mesorefs.claims.explain import explain, quote
from mesorefs.claims.extract import MAX_CLAIM_CHARS, checkworthiness, extract_claims
from mesorefs.claims.parts import Part
from mesorefs.claims.report import (
    Claim,
    ClaimReport,
    ClaimResult,
    Evidence,
    Link,
    PartResult,
    Verdict,
)
from mesorefs.claims.results import link_order
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
from mesorefs.claims.stance import load_stance_model
from mesorefs.claims.statement import statement_core
from mesorefs.claims.verify import (
    BaselineVerifier,
    Judgement,
    RankedVerifier,
    Verifier,
    specific_tokens,
    unverified,
)
from mesorefs.errors import MesorefsError
from mesorefs.inputs import repair_surrogates

__all__ = [
    "MAX_CLAIM_CHARS",
    "UNCITED_NOTICE",
    "LinkSettings",
    "check_claims",
    "checkworthiness",
    "combine",
    "decide",
    "explain",
    "extract_claims",
    "link_claim",
    "resolve_citations",
    "resolve_marker",
    "title_only_notice",
]

MAX_DENSE_PASSAGES = 4000
"""Beyond this many passages ranking is lexical only (with a warning)."""
MAX_CLAIMS = 5000
"""Only this many checkworthy claims of a document are checked (a few ms each); the
rest are reported as not checked, with a warning, so that a document of a million
lines is answered in bounded time."""


@dataclass(frozen=True)
class LinkSettings:
    """Knobs of the linking stage; defaults were chosen on SciFact train only."""

    top_references: int = 5
    top_passages: int = 3
    fusion: FusionWeights = field(default_factory=FusionWeights)
    dense: bool = True
    """Rank with the shipped dense encoder when it loads (``False``: lexical only)."""
    not_found: frozenset[str] = frozenset()
    """Keys of references that ``mesorefs verify`` found no record of: whatever their
    passages say, they support nothing (a claim resting on a work that may not exist is
    not supported)."""


def decide(judged: Sequence[tuple[str, Judgement]], relevance: float) -> Verdict:
    """The verdict on one statement from the per-reference judgements ``(key, judgement)``.

    A side is taken only when no reference takes the other: references that disagree
    need review, whatever their confidences (each side's threshold was chosen for its
    precision alone, so one side's confidence does not outweigh the other's).  A
    statement that some reference bears on (``relevance`` or more) without taking a
    side needs review; below that floor it is unsupported.
    """
    sides = {j.stance for _, j in judged} - {"neutral"}
    if sides == {"supports"}:
        return "supported"
    if sides == {"contradicts"}:
        return "contradicted"
    if sides:
        return "needs review"
    if any(j.relevance >= relevance for _, j in judged):
        return "needs review"
    return "unsupported"


def _best(judgements: Sequence[Judgement]) -> int:
    """Index of the strongest judgement: a stance beats neutral, then confidence decides."""

    def weight(i: int) -> tuple[int, float, float]:
        j = judgements[i]
        return (j.stance != "neutral", j.confidence if j.stance != "neutral" else 0.0, j.relevance)

    return max(range(len(judgements)), key=weight)


TOPIC_SHARE = 0.2
"""The least share of a statement's specific words (IDF weighted) that a reference's best
passages must hold for the reference to bear on the statement's topic."""


def _link(
    ref: RankedReference,
    judgements: Sequence[Judgement],
    topic: Mapping[str, float],
    index: EvidenceIndex,
    cited: Sequence[str],
    backend: str = "baseline",
    floor: float = 0.0,
) -> tuple[Link, Judgement]:
    """The link from a statement to one ranked reference: its strongest passage and stance.

    ``topic`` holds the statement's own specific words with their IDF; the reference
    bears on the statement when the passage shown for it reaches the verifier's relevance
    ``floor`` and its best passages hold at least ``TOPIC_SHARE`` of those words, or
    the rarest of them that any reference holds.
    """
    tokens = [set(content_tokens(scored.passage.text)) for scored in ref.passages]
    i = _best(judgements)
    if judgements[i].stance == "neutral":
        # No passage takes a side: show the one that says most about the topic.
        i = max(
            range(len(tokens)),
            key=lambda n: (math.fsum(w for t, w in topic.items() if t in tokens[n]), -n),
        )
    j, p = judgements[i], ref.passages[i]
    words = set().union(*tokens)
    total = math.fsum(topic.values())
    shared = math.fsum(w for t, w in topic.items() if t in words)
    # A short statement (a list item) is about its rarest word; a longer one about
    # enough of its words.
    rarest = max(topic, key=lambda t: (topic[t], t), default=None)
    if len(topic) <= 2:
        about = rarest is not None and rarest in words
    else:
        about = total > 0 and shared / total >= TOPIC_SHARE
    related = j.stance != "neutral" or (about and j.relevance >= floor)
    link = Link(
        key=ref.key,
        stance=j.stance,
        score=round(j.confidence, 3),
        relevance=round(j.relevance, 3),
        rank=ref.rank,
        cues=j.cues,
        cited=ref.key in cited,
        related=related,
        verifier=backend,
        evidence=Evidence(
            field=p.passage.field,
            text=p.passage.text,
            start=p.passage.start,
            end=p.passage.end,
            source=p.passage.source,
        ),
    )
    return link, j


def _judge_statement(
    part: Part,
    ranked: Sequence[RankedReference],
    index: EvidenceIndex,
    verifier: Verifier,
    settings: LinkSettings,
    cited: Sequence[str],
) -> tuple[Verdict, str, tuple[Link, ...]]:
    """Verdict, reason and links (every candidate, strongest first) of one statement.

    The statement is judged as its query reads (an item under its lead-in); its topic
    and the words no reference mentions come from its own words.
    """
    # The judgement reads the statement without a frame that attributes it ("Studies
    # show that ..."): the frame is the citation's business, not the references'.
    text = statement_core(part.query)
    # The statement's own words, without what brackets add ("(male or female ...)") and
    # without letters and digits alone ("vitamins C and E" is not about "e.g.").
    own = specific_tokens(re.sub(r"\([^)]*\)", " ", statement_core(part.text)), index.idf)
    topic = {t: w for t, w in own.items() if len(t) >= 3}
    wanted = {r.key for r in ranked[: settings.top_references]} | set(cited)
    links: list[Link] = []
    judged: list[tuple[str, Judgement]] = []
    chosen = [ref for ref in ranked if ref.key in wanted and ref.passages]
    if isinstance(verifier, RankedVerifier):
        per_reference = verifier.verify_ranked(text, ranked, chosen, index.idf)
    else:
        per_reference = [verifier.verify(text, ref.passages, index.idf) for ref in chosen]
    if settings.not_found:
        per_reference = [
            [unverified(j) for j in judgements] if ref.key in settings.not_found else judgements
            for ref, judgements in zip(chosen, per_reference, strict=True)
        ]
    backend = backend_of(verifier)
    failures: list[str] = []
    relevance = float(getattr(verifier, "relevance", 0.3))
    for ref, judgements in zip(chosen, per_reference, strict=True):
        link, judgement = _link(ref, judgements, topic, index, cited, backend, relevance)
        links.append(link)
        judged.append((ref.key, judgement))
        failures += [f"{ref.key}: {j.failed}" for j in judgements if j.failed]
    verdict = decide(judged, relevance)
    sided = any(j.stance != "neutral" for _, j in judged)
    if verdict == "needs review" and not sided and not any(lk.related for lk in links):
        # No side taken: a reference must bear on the statement (a passage above the
        # verifier's relevance floor, and the statement's own words) to need a reader.
        verdict = "unsupported"
    links.sort(key=link_order)
    if failures:
        # A passage the backend did not judge might have changed the verdict: never
        # give one it did not make.
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        why = f"the verifier could not judge {failures[0]}{more}: read the passages"
        return "needs review", why, tuple(links)
    return verdict, explain(verdict, links, part.text, index), tuple(links)


def combine(parts: Sequence[PartResult]) -> tuple[Verdict, str]:
    """A claim's verdict and reason from the verdicts of its parts."""
    verdicts = [p.verdict for p in parts]
    if len(parts) == 1:
        return verdicts[0], parts[0].explanation
    if len(set(verdicts)) == 1:
        return verdicts[0], "; ".join(f"{quote(p.part.text, 40)}: {p.explanation}" for p in parts)
    by_verdict: dict[str, list[str]] = {}
    for p in parts:
        by_verdict.setdefault(p.verdict, []).append(quote(p.part.text, 40))
    said = "; ".join(f"{v}: {', '.join(texts)}" for v, texts in by_verdict.items())
    if "supported" in by_verdict:
        return "partly supported", said
    for verdict in ("contradicted", "needs review"):
        if verdict in by_verdict:
            return verdict, said
    return "unsupported", said


def _merge(parts: Sequence[PartResult]) -> tuple[Link, ...]:
    """One link per reference over all parts: the strongest stance it takes on any part."""
    best: dict[str, Link] = {}
    for part in parts:
        for lk in part.links:
            old = best.get(lk.key)
            if old is None or link_order(lk) < link_order(old):
                best[lk.key] = lk
    return tuple(sorted(best.values(), key=link_order))


def _not_checked(claim: Claim, unresolved: Sequence[str]) -> ClaimResult:
    return ClaimResult(claim, "not checked", (), (), unresolved=tuple(unresolved))


def link_claim(
    claim: Claim,
    index: EvidenceIndex,
    verifier: Verifier,
    settings: LinkSettings | None = None,
    cited: Sequence[str] = (),
    ranked: Sequence[RankedReference] | None = None,
    unresolved: Sequence[str] = (),
) -> ClaimResult:
    """Rank, verify and decide each part of one claim against an evidence index.

    ``ranked`` (the claim's query ranked beforehand) is used for a claim of one part.
    ``cited`` are the keys the claim's markers resolve to: their links come first, each
    with its own verdict in ``citation_checks``; ``unresolved`` names the works its
    markers cite that match no reference.  A checkworthy claim without a marker is
    marked ``citation_needed``, with the references that could support it.
    """
    s = settings or LinkSettings()
    if not claim.checkworthy:
        return _not_checked(claim, unresolved)
    parts = claim.parts or (Part(claim.text, claim.query, claim.start, claim.end),)
    results: list[PartResult] = []
    for part in parts:
        if ranked is not None and len(parts) == 1:
            order = ranked
        else:
            # A part's own words count twice: the frame around them (a lead-in, the
            # rest of a list) only steers the ranking.
            query = part.query if part.query == part.text else f"{part.query} {part.text}"
            order = rank(
                index,
                query,
                top_passages=s.top_passages,
                weights=s.fusion,
                limit=s.top_references,  # only these (and the cited) are judged
                keep=cited,
            )
        verdict, why, links = _judge_statement(part, order, index, verifier, s, cited)
        results.append(PartResult(part, verdict, why, links))
    verdict, explanation = combine(results)
    # What the claim cites comes first, whatever scores higher: the first question about
    # a cited claim is whether its own source says it.
    results = [replace(r, links=cited_first(r.links, cited)) for r in results]
    links = cited_first(results[0].links if len(results) == 1 else _merge(results), cited)
    checks = tuple(citation_check(key, links, cited) for key in cited)
    needed = not claim.citations
    return ClaimResult(
        claim=claim,
        verdict=verdict,
        links=links,
        citation_checks=checks,
        explanation=explanation,
        parts=tuple(results),
        unresolved=tuple(unresolved),
        citation_needed=needed,
        could_cite=could_cite(links) if needed else (),
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
    settings: LinkSettings,
    warnings: list[str],
    cache: Bm25Cache | None = None,
) -> EvidenceIndex:
    """The evidence index, dense when wanted and possible, else lexical (with a warning)."""
    if encoder is False or not settings.dense:
        return build_index(passages, keys, cache=cache)
    if len(passages) > MAX_DENSE_PASSAGES:  # encoding costs ~5 ms a passage
        warnings.append(
            f"{len(passages):,} passages: more than the {MAX_DENSE_PASSAGES:,} dense ranking "
            "encodes in reasonable time: lexical only"
        )
        return build_index(passages, keys, cache=cache)
    chosen = encoder if encoder is not None else default_encoder()
    if chosen is None:
        warnings.append(
            "dense ranking unavailable (no encoder model or onnxruntime/tokenizers): lexical only"
        )
        return build_index(passages, keys, cache=cache)
    try:
        return build_index(passages, keys, chosen, cache=cache)
    except Exception as error:  # a broken model file or runtime must not stop the check
        warnings.append(f"dense ranking failed ({type(error).__name__}: {error}): lexical only")
        return build_index(passages, keys, cache=cache)


def _default_verifier(dense: bool) -> Verifier:
    """The learned stance model with dense ranking; the cue baseline tuned for lexical ranking.

    The stance model's dense features need the encoder, so without it the lexical
    baseline (its thresholds chosen for BM25 alone) judges; without the model file
    the dense baseline does.
    """
    if not dense:
        return BaselineVerifier.lexical()
    return load_stance_model() or BaselineVerifier()


def check_claims(
    document: str | Document,
    library: Iterable[ReferenceLike],
    resolver: Any = None,
    *,
    verifier: Verifier | str | None = None,
    encoder: Encoder | Literal[False] | None = None,
    format: Literal["text", "markdown", "html", "latex"] | None = None,
    base_dir: str | Path | None = None,
    settings: LinkSettings | None = None,
    full_text_dirs: Sequence[str | Path] | None = None,
    not_found: Collection[str] = (),
    cache_dir: str | Path | None = None,
) -> ClaimReport:
    """Link every claim of ``document`` to the references of ``library`` that bear on it.

    ``not_found`` names references that ``mesorefs verify`` found no record of
    (:func:`mesorefs.verify.not_found_keys` reads them from its JSON report): they
    support no claim, and the report says so at the top.  With ``cache_dir``, the
    library's BM25 indexes are kept there, so a rerun over the same library builds none.

    ``document`` is the text (plain, Markdown, HTML or LaTeX; detected unless ``format``
    is given) or an already parsed :class:`Document`.  ``resolver``, when given, fills
    missing abstracts.  Ranking fuses BM25 with the shipped dense encoder
    (:func:`mesorefs.claims.retrieve.default_encoder`) when it loads; give another
    ``encoder``, or ``encoder=False`` (or ``LinkSettings(dense=False)``) for lexical-only
    ranking.  ``report.ranking`` says which ranking ran, and a warning says why dense
    ranking was skipped when it was wanted but could not run.  Without a ``verifier``
    the shipped stance model (:class:`mesorefs.claims.stance.StanceModel`) labels the
    links after dense ranking, and the :class:`BaselineVerifier` tuned for lexical
    ranking after lexical ranking.  Local
    full-text files named in a reference's ``file`` field are read relative to
    ``base_dir``, and only when they lie under ``full_text_dirs`` (default: ``base_dir``,
    or the working folder); others are named in the warnings.
    """
    if isinstance(verifier, str):
        loaded = load_verifier(verifier)
        try:
            return check_claims(
                document,
                library,
                resolver,
                verifier=loaded,
                encoder=encoder,
                format=format,
                base_dir=base_dir,
                settings=settings,
                full_text_dirs=full_text_dirs,
                not_found=not_found,
                cache_dir=cache_dir,
            )
        finally:
            close: Callable[[], None] | None = getattr(loaded, "close", None)
            if close is not None:
                close()  # the HTTP session (and cache) of an endpoint we opened
    chosen = verifier
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
    notices = title_only_notice(keys, passages)
    missing = sorted(set(not_found) & set(keys))
    if missing:
        settings = replace(settings or LinkSettings(), not_found=frozenset(missing))
        notices += (
            f"{len(missing)} reference{'s' if len(missing) > 1 else ''} that mesorefs verify"
            f" found no record of ({', '.join(missing)}) support no claim: check"
            " that they exist before citing them.",
        )
    cache = Bm25Cache(Path(cache_dir) / "bm25") if cache_dir is not None else None
    link_settings = settings or LinkSettings()
    dense = encoder is not False and link_settings.dense and len(passages) <= MAX_DENSE_PASSAGES
    ranker = (encoder if encoder is not None else default_encoder()) if dense else False
    # The engine that judges when the index is built as planned (dense when it can be).
    expected = chosen or _default_verifier(ranker is not None and ranker is not False)
    store = open_store(cache_dir, passages, keys, ranker, expected, link_settings)
    claims = extract_claims(doc, MAX_CLAIMS)
    # Each claim with the keys it cites, its result's key and its result when kept.
    todo: list[tuple[Claim, list[str], list[str], str | None, ClaimResult | None]] = []
    for claim in claims:
        cited: list[str] = []
        unresolved: list[str] = []
        for citation in claim.citations:
            found, missing = resolve_marker(citation, references, keys, doc.bibliography)
            cited += [key for key in found if key not in cited]
            unresolved += [label for label in missing if label not in unresolved]
        key = claim_key(store[1], claim, cited) if store and claim.checkworthy else None
        kept = store[0].result(key, claim, unresolved) if store and key else None
        todo.append((claim, cited, unresolved, key, kept))
    record = store[0].run(store[1]) if store else None
    index: EvidenceIndex | None = None
    if record is None or any(c.checkworthy and kept is None for c, *_, kept in todo):
        before = len(warnings)
        index = _index(passages, keys, encoder, settings or LinkSettings(), warnings, cache)
        engine = chosen or _default_verifier(index.encoder is not None)
        # Results are kept only from the index and engine their key names.
        clean = len(warnings) == before and engine == expected
    unchecked = sum(1 for c in claims if c.reason and c.reason.startswith("beyond the first"))
    if unchecked:  # said after what the index said, as before results were kept
        warnings.append(
            f"{MAX_CLAIMS + unchecked:,} claims: only the first {MAX_CLAIMS:,} were checked"
        )
    results: list[ClaimResult] = []
    for claim, cited, unresolved, key, kept in todo:
        if kept is None and not claim.checkworthy:
            kept = _not_checked(claim, unresolved)
        elif kept is None:
            assert index is not None  # built: a checkworthy claim was not kept
            kept = link_claim(claim, index, engine, settings, cited, unresolved=unresolved)
            if store and key and clean:
                store[0].keep_result(key, kept)
        results.append(kept)
    if any(r.citation_needed for r in results) and not any(c.citations for c in claims):
        notices += (UNCITED_NOTICE,)
    if index is not None:
        said = [*getattr(engine, "warnings", []), *getattr(cache, "warnings", [])]
        said += getattr(index._encoder, "warnings", [])  # a cache unused
        if store and clean and not said:
            run = RunRecord(index.ranking, engine.name, backend_of(engine))
            store[0].keep_run(store[1], run)
        warnings.extend(dict.fromkeys(said))
        record = RunRecord(index.ranking, engine.name, backend_of(engine))
    if store:
        store[0].prune()
        warnings.extend(store[0].warnings)
    assert record is not None
    return ClaimReport(
        document=doc,
        claims=tuple(results),
        engine=record.engine,
        verifier=record.verifier,
        ranking=record.ranking,
        references=tuple(keys),
        warnings=tuple(warnings),
        notices=notices,
    )
