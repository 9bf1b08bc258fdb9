"""Stance verifier backends, chosen by a spec string.

- ``baseline``: the shipped default (the stance model after dense ranking, the cue
  baseline after lexical ranking), offline;
- ``nli:<model>``: a sequence-classification NLI model, a local folder or a model id
  (:mod:`mesorefs.claims.nli`; needs ``mesorefs[nli]``);
- ``openai:<base-url>#<model>``: an OpenAI-compatible chat-completions endpoint
  (:mod:`mesorefs.claims.llm`).

:func:`parse_spec` is pure; :func:`load_verifier` imports a backend's libraries only when
it is chosen, so the default costs nothing.  A bad spec or a model that cannot be loaded
raises :class:`~mesorefs.errors.VerifierError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from mesorefs.errors import VerifierError
from mesorefs.redaction import redact_url

if TYPE_CHECKING:
    from mesorefs.claims.verify import Verifier
    from mesorefs.settings import Settings

__all__ = ["BASELINE", "VerifierSpec", "backend_of", "load_verifier", "parse_spec"]

BASELINE = "baseline"
_USAGE = "use baseline, nli:<model folder or id> or openai:<base-url>#<model>"


@dataclass(frozen=True)
class VerifierSpec:
    """A parsed ``--verifier`` value."""

    kind: Literal["baseline", "nli", "openai"]
    model: str = ""
    base_url: str = ""

    def __str__(self) -> str:
        if self.kind == "nli":
            return f"nli:{self.model}"
        if self.kind == "openai":
            return f"openai:{self.base_url}#{self.model}"
        return BASELINE


def _shown_spec(spec: str) -> str:
    """``spec`` fit for a message: an ``openai:`` URL without its user, password or query."""
    kind, sep, rest = spec.strip().partition(":")
    if sep and kind.lower() == "openai":
        base, hash_, model = rest.rpartition("#")
        return repr(f"openai:{redact_url(base if hash_ else rest)}{hash_}{model}"[:120])
    return repr(spec[:80])


def parse_spec(spec: str) -> VerifierSpec:
    """The backend and model a spec names; VerifierError when it names none."""
    text = spec.strip()
    kind, sep, rest = text.partition(":")
    kind = kind.lower()
    if text.lower() == BASELINE:
        return VerifierSpec("baseline")
    if sep and kind == "nli":
        if not rest.strip():
            raise VerifierError(f"verifier {spec!r}: nli: needs a model folder or id")
        return VerifierSpec("nli", model=rest.strip())
    if sep and kind == "openai":
        shown = _shown_spec(spec)
        base, hash_, model = rest.rpartition("#")
        if not hash_ or not model.strip():
            raise VerifierError(f"verifier {shown}: openai: needs <base-url>#<model>")
        try:
            parts = urlsplit(base)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise VerifierError(f"verifier {shown}: the base URL cannot be parsed") from None
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise VerifierError(f"verifier {shown}: not an http(s) URL")
        return VerifierSpec("openai", model=model.strip(), base_url=base.rstrip("/"))
    raise VerifierError(f"unknown verifier {_shown_spec(spec)}: {_USAGE}")


def load_verifier(spec: str | VerifierSpec, settings: Settings | None = None) -> Verifier | None:
    """The verifier a spec names, ready to judge; None for ``baseline`` (the caller's default).

    ``settings`` (default: :meth:`Settings.load`) gives an ``openai:`` backend its key,
    timeouts, limits and cache.
    """
    parsed = spec if isinstance(spec, VerifierSpec) else parse_spec(spec)
    if parsed.kind == "baseline":
        return None
    if parsed.kind == "nli":
        from mesorefs.claims.nli import load_nli_verifier

        return load_nli_verifier(parsed.model)
    from mesorefs.claims.llm import OpenAIVerifier
    from mesorefs.settings import Settings

    return OpenAIVerifier(parsed.base_url, parsed.model, settings or Settings.load())


def backend_of(verifier: object) -> str:
    """The spec of the backend behind ``verifier`` (``baseline`` for the shipped engines)."""
    backend = getattr(verifier, "backend", None)
    return backend if isinstance(backend, str) else BASELINE
