"""Settings: mailto, API keys, base URLs, cache, rate limits.

Each value comes from the first source that has it:

1. arguments to :meth:`Settings.load` (or to the constructor),
2. environment variables ``MESOREFS_<NAME>`` (``MESOREFS_CROSSREF_URL``, ``MESOREFS_MAILTO``,
   ``MESOREFS_NCBI_API_KEY``, ...),
3. the TOML config file (``MESOREFS_CONFIG`` or ``<user config dir>/mesorefs/config.toml``),
4. the defaults below.

Values are checked as they are loaded: a value that cannot be used raises
:class:`~mesorefs.errors.SettingsError` naming the setting and where it came from.
API keys are :class:`pydantic.SecretStr`: they never appear in ``repr`` or ``str``, nor
in any error: a key (or mailto) that cannot go in an HTTP header is refused at load with
a message naming the setting, never its value.  One trailing line end (``\\r\\n``,
``\\n`` or ``\\r``, left by a key file written on Windows) is dropped; any other control
character is an error.  Numbers are finite and within the ranges below.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)

from mesorefs.errors import SettingsError
from mesorefs.redaction import redact_url, split_userinfo

__all__ = [
    "DEFAULT_URLS",
    "ENV_PREFIX",
    "RATE_RANGE",
    "SECRETS",
    "Settings",
    "default_config_path",
]

ENV_PREFIX = "MESOREFS_"

DEFAULT_URLS: dict[str, str] = {
    "crossref_url": "https://api.crossref.org",
    "datacite_url": "https://api.datacite.org",
    "doi_url": "https://doi.org",
    "pubmed_url": "https://eutils.ncbi.nlm.nih.gov/entrez/eutils",
    "openalex_url": "https://api.openalex.org",
    "arxiv_url": "https://export.arxiv.org/api",
}


SECRETS = ("ncbi_api_key", "openalex_api_key", "openai_api_key")
"""The settings whose values are never shown."""
_UNSHOWN = (*SECRETS, "mailto")
"""Settings whose values no error shows (a mailto is personal)."""
RATE_RANGE = (0.1, 1_000_000.0)
"""Requests per second a ``rate_limits`` setting may ask for: one every 10 s at the
slowest (the floor a service's own rate headers are held to as well)."""
CONCURRENCY_RANGE = (1, 64)
_LINE_END = ("\r\n", "\n", "\r")


def _header_safe(name: str, value: str) -> str:
    """``value`` without one trailing line end; ValueError (naming ``name``, never the
    value; :meth:`Settings.load` makes it a SettingsError) when it holds a character an
    HTTP header cannot carry."""
    for end in _LINE_END:
        if value.endswith(end):
            value = value[: -len(end)]
            break
    if not value:
        raise ValueError(f"{name} is empty")
    bad = next((c for c in value if not (" " < c < "\x7f")), None)
    if bad is not None:
        kind = "a control character" if bad.isascii() or not bad.isprintable() else "non-ASCII"
        if bad == " ":
            kind = "a space"
        raise ValueError(f"{name} holds {kind} (U+{ord(bad):04X}); it cannot go in an HTTP header")
    return value


def default_config_path() -> Path:
    """Where the config file is looked for when ``MESOREFS_CONFIG`` is not set."""
    return Path(platformdirs.user_config_dir("mesorefs")) / "config.toml"


def _default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("mesorefs"))


class Settings(BaseModel):
    """Everything mesorefs needs to talk to metadata services politely."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    mailto: str | None = None
    """Contact e-mail sent in the User-Agent (Crossref polite pool, DataCite, NCBI ``email``)."""
    ncbi_api_key: SecretStr | None = None
    openalex_api_key: SecretStr | None = None
    ncbi_tool: str = "mesorefs"

    crossref_url: str = DEFAULT_URLS["crossref_url"]
    datacite_url: str = DEFAULT_URLS["datacite_url"]
    doi_url: str = DEFAULT_URLS["doi_url"]
    pubmed_url: str = DEFAULT_URLS["pubmed_url"]
    openalex_url: str = DEFAULT_URLS["openalex_url"]
    arxiv_url: str = DEFAULT_URLS["arxiv_url"]

    cache: bool = True
    cache_dir: Path = Field(default_factory=_default_cache_dir)
    cache_expire_days: float = Field(default=30.0, ge=0, le=36500)
    offline: bool = False

    connect_timeout: float = Field(default=10.0, gt=0, le=3600)
    read_timeout: float = Field(default=30.0, gt=0, le=3600)
    max_retries: int = Field(default=3, ge=0, le=20)
    backoff_base: float = Field(default=1.0, ge=0, le=600)
    """Seconds before the first retry; doubled on each further retry."""
    unreachable_pause: float = Field(default=60.0, ge=0, le=86400)
    """After a service times out or refuses on every retry, its next requests fail at once
    for this many seconds instead of waiting out their own timeouts."""
    max_retry_after: float = Field(default=120.0, ge=0, le=86400)
    """A Retry-After longer than this is not waited for: RateLimited is raised instead."""
    request_deadline: float = Field(default=30.0, gt=0, le=86400)
    """The most seconds one request may take, its retries and waits included, however
    slowly the server sends its headers or body."""
    deadline: float | None = Field(default=None, gt=0, le=10**7)
    """The most seconds a whole run (one resolver) may spend on the network; after it,
    lookups fail at once with DeadlineExceeded.  None: for a batch
    (:meth:`~mesorefs.resolve.Resolver.resolve_many`), ``run_seconds`` plus
    ``entry_seconds`` per entry, whatever the servers do; one lookup alone is bounded by
    ``request_deadline`` per request."""
    run_seconds: float = Field(default=15.0, gt=0, le=10**6)
    """Without ``deadline``: the fixed part of a batch's run deadline."""
    entry_seconds: float = Field(default=4.0, gt=0, le=10**4)
    """Without ``deadline``: what a batch's run deadline grows by with each entry."""
    max_response_bytes: int = Field(default=16 * 1024 * 1024, ge=1024, le=2**34)
    """The largest response body accepted, both as received and once decompressed."""
    max_json_depth: int = Field(default=64, ge=4, le=1000)
    """The deepest nesting accepted in a service's JSON."""

    rate_limits: dict[str, float] = Field(default_factory=dict)
    """Requests per second by service (``crossref``, ``crossref-list``, ``doi``, ``datacite``,
    ``pubmed``, ``openalex``, ``arxiv``); overrides the published defaults.  Each between
    0.1 and a million (:data:`RATE_RANGE`)."""
    concurrency: dict[str, int] = Field(default_factory=dict)
    """Requests in flight at once by service; overrides the published defaults (1 to 64)."""

    match_threshold: float | None = Field(default=None, ge=0, le=1)
    """Accept a search candidate at or above this score (None: the calibrated default)."""
    enrich_pubmed: bool = True
    """After a match with a DOI but no PMID, look the DOI up in PubMed and add the PMID,
    PMCID, abstract and publication types when PubMed's record agrees with the match."""
    enrich_openalex: bool = True
    """After a DOI match that still lacks an abstract, fetch OpenAlex's work of the DOI (a
    free singleton lookup) and add its abstract, PMID / PMCID and retraction flag when the
    work's DOI is the match's and its title agrees."""
    verifier: str = "baseline"
    """The stance backend of ``check``: ``baseline`` (the shipped default), ``nli:<model>``
    (a local folder or model id; needs ``mesorefs[nli]``) or ``openai:<base-url>#<model>``
    (an OpenAI-compatible chat-completions endpoint)."""
    openai_api_key: SecretStr | None = None
    """The key sent to an ``openai:`` verifier endpoint (``MESOREFS_OPENAI_API_KEY``, else
    ``OPENAI_API_KEY``); never printed."""

    search_openalex: bool = False
    """When Crossref's search finds no candidate at the threshold, search OpenAlex too (the
    same scoring and threshold).  Off by default: OpenAlex bills searches against a small
    daily budget, and a second search adds little when Crossref has nothing."""

    snapshot_dir: str | None = None
    """A metadata snapshot (``mesorefs snapshot build``) to resolve against instead of the
    online services: a folder or an fsspec URL (``s3://bucket/snapshot``)."""
    online_fallback: bool = False
    """With ``snapshot_dir``: ask the online services for what the snapshot lacks (a DOI
    it does not hold, a search it finds nothing for, PubMed enrichment)."""

    @field_validator(*SECRETS, mode="before")
    @classmethod
    def _secret_fits_a_header(cls, value: Any, info: Any) -> Any:
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError(f"{info.field_name} must be a string")
        return _header_safe(info.field_name, value)

    @field_validator(*DEFAULT_URLS)
    @classmethod
    def _url_is_http(cls, value: str, info: Any) -> str:
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise ValueError(f"{info.field_name} is not a URL") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{info.field_name} is not an http(s) URL")
        return value

    @field_validator("mailto", mode="before")
    @classmethod
    def _mailto_fits_a_header(cls, value: Any) -> Any:
        if value is None or not isinstance(value, str):
            return value
        return _header_safe("mailto", value)

    @field_validator("rate_limits")
    @classmethod
    def _rates_in_range(cls, value: dict[str, float]) -> dict[str, float]:
        low, high = RATE_RANGE
        for name, rate in value.items():
            if not low <= rate <= high:
                raise ValueError(
                    f"{name}={rate:g} requests a second is outside {low:g} to {high:g}"
                )
        return value

    @field_validator("concurrency")
    @classmethod
    def _concurrency_in_range(cls, value: dict[str, int]) -> dict[str, int]:
        low, high = CONCURRENCY_RANGE
        for name, conc in value.items():
            if not low <= conc <= high:
                raise ValueError(f"{name}={conc} requests at once is outside {low} to {high}")
        return value

    @classmethod
    def load(
        cls,
        *,
        env: Mapping[str, str] | None = None,
        config_file: str | Path | None = None,
        project_dir: str | Path | None = None,
        **overrides: Any,
    ) -> Settings:
        """Settings from arguments > environment > project config > user config > defaults.

        ``env`` defaults to ``os.environ``; ``config_file`` (the user config) to
        ``MESOREFS_CONFIG`` or :func:`default_config_path`: the default path (or a
        ``config_file`` argument) may be missing, a file ``MESOREFS_CONFIG`` names may not.  The
        project config is the first ``mesorefs.toml``, or ``pyproject.toml`` with a
        ``[tool.mesorefs]`` table, found from ``project_dir`` (default: the working
        folder) upward (:func:`find_project_config`); it may not hold API keys, since a
        repository carries it.  An unknown key in either file is an error naming it.
        """
        environ = os.environ if env is None else env
        values: dict[str, Any] = {}
        sources: dict[str, str] = {}
        named = environ.get(ENV_PREFIX + "CONFIG")
        path = Path(config_file or named or default_config_path())
        if named and not config_file and not path.exists():  # os.devnull: no user config
            raise SettingsError("no such config file", ENV_PREFIX + "CONFIG", "environment")
        project = find_project_config(Path(project_dir) if project_dir else Path.cwd())
        project_values: dict[str, Any] = {}
        if project is not None:
            project_values = _read_config(project, project=True)
            for key in project_values.keys() & set(SECRETS):
                raise SettingsError(
                    "an API key does not belong in a file a repository carries; set it in "
                    "the environment or your user config",
                    key,
                    f"project config {project}",
                )
        from_env = _from_env(environ)
        fallback = "openai_api_key" not in from_env and bool(environ.get("OPENAI_API_KEY"))
        if fallback:
            # The variable OpenAI's own tools read, as a fallback for ours.
            from_env["openai_api_key"] = environ["OPENAI_API_KEY"]
        for layer, source in (
            (_read_config(path), f"config file {path}"),
            (project_values, f"project config {project}"),
            (from_env, "environment"),
            ({k: v for k, v in overrides.items() if v is not None}, "argument"),
        ):
            values.update(layer)
            for name in layer:
                sources[name] = ENV_PREFIX + name.upper() if source == "environment" else source
            if source == "environment" and fallback:
                sources["openai_api_key"] = "OPENAI_API_KEY"
        try:
            return cls.model_validate(values)
        except ValidationError as error:
            problem = error.errors(include_input=False)[0]
            setting = str(problem["loc"][0]) if problem["loc"] else ""
            shown = ""
            if setting in values and setting not in _UNSHOWN:
                value = values[setting]
                text = redact_url(value) if setting.endswith("_url") else str(value)
                shown = f" (got {text[:60]!r})"
            message = str(problem["msg"]).splitlines()[0].removeprefix("Value error, ")
            raise SettingsError(
                f"{message}{shown}", setting or None, sources.get(setting)
            ) from None

    def base_url(self, service: str) -> str:
        """The base URL of ``service`` without a trailing slash."""
        url: str = getattr(self, f"{service}_url")
        return url.rstrip("/")

    def secret_values(self) -> list[str]:
        """Every secret these settings hold: the API keys and the passwords of URLs that
        carry a ``user:password@`` (the services' and an ``openai:`` verifier's)."""
        found = [v for v in (self.secret(name) for name in SECRETS) if v]
        urls = [getattr(self, name) for name in DEFAULT_URLS]
        urls.append(self.verifier.partition(":")[2].rpartition("#")[0])
        for url in urls:
            _, auth = split_userinfo(url)
            if auth is not None:
                found.extend(part for part in auth if part)
        return found

    def secret(self, name: str) -> str | None:
        """The plain value of an API key (``ncbi_api_key``, ``openalex_api_key``,
        ``openai_api_key``)."""
        value: SecretStr | None = getattr(self, name)
        return value.get_secret_value() if value is not None else None


def find_project_config(start: Path) -> Path | None:
    """The first ``mesorefs.toml``, or ``pyproject.toml`` with a ``[tool.mesorefs]`` table,
    in ``start`` or a folder above it; None when there is none."""
    for folder in (start, *start.parents):
        candidate = folder / "mesorefs.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _TOOL_TABLE.search(_head(pyproject)):
            return pyproject
    return None


_TOOL_TABLE = re.compile(r"^\s*\[tool\.mesorefs\]", re.MULTILINE)


def _head(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return handle.read(1 << 20).decode("utf-8", "replace")
    except OSError:
        return ""


def _read_config(path: Path, project: bool = False) -> dict[str, Any]:
    """The settings of a TOML file: flat, or under ``[mesorefs]`` (a user config), or
    ``[tool.mesorefs]`` (a pyproject.toml); an unknown key is an error naming it."""
    if not path.is_file():
        return {}
    where = f"{'project' if project else 'config'} file {path}"
    # Loaded here, for the file found: most runs read no config file.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise SettingsError(f"not a readable TOML file: {reason}", source=where) from None
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        section = tool.get("mesorefs", {}) if isinstance(tool, dict) else {}
    else:
        section = data.get("mesorefs", data)
    if not isinstance(section, dict):
        raise SettingsError("the mesorefs table is not a table", source=where)
    known = set(Settings.model_fields)
    out: dict[str, Any] = {}
    for key, value in section.items():
        name = key.replace("-", "_")
        if name not in known:
            import difflib

            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise SettingsError(f"unknown setting {key[:60]!r}{hint}", source=where)
        out[name] = value
    return out


def _parse_mapping(name: str, text: str, cast: type[float] | type[int]) -> dict[str, Any]:
    """``crossref=5,pubmed=3`` -> ``{"crossref": 5.0, "pubmed": 3.0}``."""
    out: dict[str, Any] = {}
    for part in text.split(","):
        if "=" in part:
            key, value = part.split("=", 1)
            try:
                out[key.strip()] = cast(value.strip())
            except (ValueError, OverflowError):
                raise SettingsError(
                    f"{value.strip()[:40]!r} is not a {cast.__name__} (use service=number,...)",
                    name,
                    ENV_PREFIX + name.upper(),
                ) from None
    return out


def _from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in Settings.model_fields:
        raw = environ.get(ENV_PREFIX + name.upper())
        if raw is None or raw == "":
            continue
        if name == "rate_limits":
            out[name] = _parse_mapping(name, raw, float)
        elif name == "concurrency":
            out[name] = _parse_mapping(name, raw, int)
        else:
            out[name] = raw
    return out
