"""Claim results kept on disk between runs, so a rerun judges only the claims that changed.

A claim's result depends on its own words (its text, what is checked, its parts), the
keys it cites, and the library it is judged against: every passage of every reference,
the encoder, the verifier, the linking settings and the code that links.  Each result
is kept as plain JSON in ``<cache folder>/claims/<key>.json``, under a SHA-256 of all of
these, and read back into the same :class:`~mesorefs.claims.results.ClaimResult`.  What
a result does not depend on (where the claim stands in the document, its id, the works
its markers cite that match no reference) is taken from the run that reads it.

Beside the results, one small record per library (``run``) keeps what the report says
of the whole run (the ranking, the engine's name and backend), so a rerun in which every
claim is found builds no index, loads no encoder and imports no numpy.  The record is
kept only after a run whose index was built without a warning.

Like the other caches it is an optimisation only: a file that is damaged, foreign or
of another format is ignored (and replaced when the claim is judged again), a folder
that cannot be written is left alone, and nothing is kept that a run would not print
(no key of a verifier; results of a remote verifier are not kept at all).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mesorefs.claims.evidence import Passage
from mesorefs.claims.parts import Part
from mesorefs.claims.results import (
    VERDICTS,
    CitationCheck,
    Claim,
    ClaimResult,
    Evidence,
    Link,
    PartResult,
    Verdict,
)
from mesorefs.claims.stance import StanceModel
from mesorefs.claims.verify import BaselineVerifier
from mesorefs.errors import OutputError
from mesorefs.outputs import open_cache_file, write_cache_file

if TYPE_CHECKING:
    from mesorefs.claims.retrieve import Encoder
    from mesorefs.claims.verify import Verifier

__all__ = [
    "FORMAT",
    "ClaimCache",
    "RunRecord",
    "claim_key",
    "code_digest",
    "library_key",
    "open_store",
    "result_from_data",
    "result_to_data",
]

FORMAT = "mesorefs-claim-result/1"
"""Changes whenever what is stored, or how it is read back, changes."""
KEEP = 20_000
"""The most results kept; beyond it the least recently used are removed."""
_OWN_NAME = re.compile(r"[0-9a-f]{64}\.json")
_CODE = Path(__file__).resolve().parent


def _digest(parts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\x1e")
    return digest.hexdigest()


def code_digest(folder: Path = _CODE) -> str:
    """A SHA-256 of the claim-checking code and data (``claims/*.py``, ``data/*.json``):
    an edited module, or another stance model, never reads results made before it."""
    digest = hashlib.sha256()
    for path in sorted([*folder.glob("*.py"), *(folder / "data").glob("*.json")]):
        with contextlib.suppress(OSError):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\x1e")
    return digest.hexdigest()


def library_key(
    passages: Sequence[Passage],
    keys: Sequence[str],
    *,
    encoder: str,
    verifier: str,
    settings: str,
    version: str,
) -> str:
    """The key of a library as judged: its passages and keys, in order, the encoder's and
    the verifier's identities, the settings, the mesorefs version and the code."""
    head = [FORMAT, version, code_digest(), encoder, verifier, settings, json.dumps(list(keys))]
    rows = (
        json.dumps([p.key, p.field, p.text, p.start, p.end, p.index, p.source]) for p in passages
    )
    return _digest([*head, *rows])


def claim_key(library: str, claim: Claim, cited: Sequence[str]) -> str:
    """The key of one claim's result against the library ``library`` (a
    :func:`library_key`): what :func:`~mesorefs.claims.check.link_claim` reads of it."""
    words = [
        claim.text,
        claim.query,
        json.dumps([[p.text, p.query] for p in claim.parts]),
        str(bool(claim.citations)),
        json.dumps(list(cited)),
    ]
    return _digest([library, "claim", *words])


def _link_data(lk: Link) -> dict[str, Any]:
    e = lk.evidence
    return {
        "key": lk.key,
        "stance": lk.stance,
        "score": lk.score,
        "relevance": lk.relevance,
        "rank": lk.rank,
        "cues": list(lk.cues),
        "cited": lk.cited,
        "related": lk.related,
        "verifier": lk.verifier,
        "evidence": [e.field, e.text, e.start, e.end, e.source],
    }


def result_to_data(result: ClaimResult) -> dict[str, Any]:
    """What a claim's result adds to the claim, as plain JSON data."""
    return {
        "verdict": result.verdict,
        "explanation": result.explanation,
        "links": [_link_data(lk) for lk in result.links],
        "citation_checks": [
            {
                "key": c.key,
                "stance": c.stance,
                "supports": c.supports,
                "better": c.better,
                "verdict": c.verdict,
                "link": _link_data(c.link) if c.link is not None else None,
                "suggestions": list(c.suggestions),
            }
            for c in result.citation_checks
        ],
        "parts": [
            {
                "verdict": p.verdict,
                "explanation": p.explanation,
                "links": [_link_data(lk) for lk in p.links],
            }
            for p in result.parts
        ],
        "citation_needed": result.citation_needed,
        "could_cite": list(result.could_cite),
    }


def _of(value: Any, kind: type | tuple[type, ...]) -> Any:
    """``value`` when it is a ``kind`` (never a bool for a number), else ValueError."""
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
        raise ValueError(f"{type(value).__name__} where {kind} was stored")
    return value


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _number(value: Any) -> float:
    return float(_of(value, (int, float)))


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(_of(v, str) for v in _of(value, list))


def _verdict(value: Any) -> Verdict:
    if value not in VERDICTS:
        raise ValueError(f"unknown verdict {value!r}")
    found: Verdict = value
    return found


def _link(data: Any) -> Link:
    d = _of(data, dict)
    where, text, start, end, source = _of(d["evidence"], list)
    return Link(
        key=_of(d["key"], str),
        stance=_of(d["stance"], str),
        score=_number(d["score"]),
        relevance=_number(d["relevance"]),
        rank=_of(d["rank"], int),
        evidence=Evidence(
            field=_of(where, str),
            text=_of(text, str),
            start=_of(start, int),
            end=_of(end, int),
            source=None if source is None else _of(source, str),
        ),
        cues=_strings(d["cues"]),
        cited=_of(d["cited"], bool),
        related=_of(d["related"], bool),
        verifier=_of(d["verifier"], str),
    )


def _links(data: Any) -> tuple[Link, ...]:
    return tuple(_link(x) for x in _of(data, list))


def result_from_data(data: Any, claim: Claim, unresolved: Sequence[str] = ()) -> ClaimResult:
    """The result :func:`result_to_data` made, for ``claim`` (as it stands in this run's
    document); ValueError, KeyError or TypeError when ``data`` is not such a result."""
    d = _of(data, dict)
    spans = claim.parts or (Part(claim.text, claim.query, claim.start, claim.end),)
    parts = _of(d["parts"], list)
    if len(parts) != len(spans):
        raise ValueError("the stored parts are not the claim's")
    checks = tuple(
        CitationCheck(
            key=_of(c["key"], str),
            stance=_of(c["stance"], str),
            supports=_of(c["supports"], bool),
            better=None if c["better"] is None else _of(c["better"], str),
            verdict=_of(c["verdict"], str),
            link=None if c["link"] is None else _link(c["link"]),
            suggestions=_strings(c["suggestions"]),
        )
        for c in (_of(x, dict) for x in _of(d["citation_checks"], list))
    )
    return ClaimResult(
        claim=claim,
        verdict=_verdict(d["verdict"]),
        links=_links(d["links"]),
        citation_checks=checks,
        explanation=_of(d["explanation"], str),
        parts=tuple(
            PartResult(
                part=span,
                verdict=_verdict(_of(p, dict)["verdict"]),
                explanation=_of(p["explanation"], str),
                links=_links(p["links"]),
            )
            for span, p in zip(spans, parts, strict=True)
        ),
        unresolved=tuple(unresolved),
        citation_needed=_of(d["citation_needed"], bool),
        could_cite=_strings(d["could_cite"]),
    )


@dataclass(frozen=True)
class RunRecord:
    """What a report says of the whole run over one library."""

    ranking: str
    engine: str
    verifier: str


def _ours(info: os.stat_result) -> bool:
    """A regular file (not a link) of this user: one this cache may have written."""
    owner = getattr(os, "getuid", lambda: info.st_uid)()
    return stat.S_ISREG(info.st_mode) and info.st_uid == owner


@dataclass
class ClaimCache:
    """Claim results as JSON files in ``folder`` (made on first write)."""

    folder: Path
    keep: int = KEEP
    problem: str | None = None
    written: int = field(default=0, repr=False)

    @property
    def warnings(self) -> list[str]:
        """Problems worth a line in a report (a folder that could not be written)."""
        return [self.problem] if self.problem else []

    def _read(self, key: str) -> Any:
        path = self.folder / f"{key}.json"
        handle = open_cache_file(path)  # never a link, FIFO or device planted here
        if handle is None:
            return None
        try:
            with handle:
                stored = json.loads(handle.read())
        except (OSError, ValueError):
            return None  # missing, unreadable or not JSON (damaged): judged again
        if not isinstance(stored, dict) or stored.get("format") != FORMAT:
            return None
        if stored.get("key") != key:
            return None  # a file copied under another name
        with contextlib.suppress(OSError):
            os.utime(path)  # used: kept when the oldest are removed
        return stored.get("value")

    def _write(self, key: str, value: Any) -> None:
        if self.problem is not None:
            return
        text = json.dumps({"format": FORMAT, "key": key, "value": value}, ensure_ascii=False)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_cache_file(self.folder / f"{key}.json", text.encode("utf-8", "surrogatepass"))
        except (OSError, OutputError, UnicodeError) as error:
            self.problem = f"claim cache {self.folder} not used: {error}"
            return
        self.written += 1

    def result(self, key: str, claim: Claim, unresolved: Sequence[str] = ()) -> ClaimResult | None:
        """The result kept under ``key``, for ``claim``; None when none is kept (or the
        file cannot be trusted)."""
        data = self._read(key)
        if data is None:
            return None
        try:
            return result_from_data(data, claim, unresolved)
        except (ValueError, KeyError, TypeError):
            return None

    def keep_result(self, key: str, result: ClaimResult) -> None:
        """Keep ``result`` under ``key`` for later runs."""
        self._write(key, result_to_data(result))

    def run(self, key: str) -> RunRecord | None:
        """The record kept for the library ``key``, or None."""
        data = self._read(key)
        if not isinstance(data, dict):
            return None
        ranking, engine, verifier = (data.get(n) for n in ("ranking", "engine", "verifier"))
        if not (isinstance(ranking, str) and isinstance(engine, str) and isinstance(verifier, str)):
            return None
        return RunRecord(ranking, engine, verifier)

    def keep_run(self, key: str, record: RunRecord) -> None:
        """Keep ``record`` for the library ``key``."""
        value: Mapping[str, str] = {
            "ranking": record.ranking,
            "engine": record.engine,
            "verifier": record.verifier,
        }
        self._write(key, dict(value))

    def prune(self) -> None:
        """Remove all but the ``keep`` most recently used files this cache names (only
        after a run that wrote some)."""
        if not self.written or self.problem is not None:
            return
        dated: list[tuple[int, Path]] = []
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        if len(entries) <= self.keep:
            return
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if _OWN_NAME.fullmatch(entry.name) and _ours(info):
                dated.append((info.st_mtime_ns, Path(entry.path)))
        dated.sort()
        for _, old in dated[: max(0, len(dated) - self.keep)]:
            with contextlib.suppress(OSError):
                old.unlink(missing_ok=True)


KEPT_ENGINES = (StanceModel, BaselineVerifier)
"""Verifiers whose results are kept: local, deterministic, known by their parameters."""


def open_store(
    cache_dir: str | Path | None,
    passages: Sequence[Passage],
    keys: Sequence[str],
    encoder: Encoder | Literal[False] | None,
    verifier: Verifier,
    settings: Any,
) -> tuple[ClaimCache, str] | None:
    """The claim cache in ``cache_dir`` and the library's key in it.

    ``encoder`` is the dense encoder the ranking will use (None: none could be loaded;
    ``False``: lexical ranking), ``verifier`` the engine that will judge, ``settings``
    the linking settings (a dataclass).  None when results are not kept: no
    cache folder, or an encoder or verifier whose identity is not known (a user's own
    encoder; an NLI model or a remote endpoint, whose answers may change and whose
    key must never be stored).
    """
    if cache_dir is None or type(verifier) not in KEPT_ENGINES:
        return None
    encoder_id = "lexical"
    if encoder is None:
        encoder_id = "none"  # ranking falls back to lexical, with a warning
    elif encoder is not False:
        identity = getattr(encoder, "identity", None)
        if not isinstance(identity, bytes):
            return None
        encoder_id = f"{encoder.name} {identity.hex()}"
    from mesorefs import __version__

    shown = {**asdict(settings), "not_found": sorted(settings.not_found)}
    key = library_key(
        passages,
        keys,
        encoder=encoder_id,
        verifier=repr(verifier),
        settings=json.dumps(shown, sort_keys=True),
        version=__version__,
    )
    return ClaimCache(Path(cache_dir) / "claims"), key
