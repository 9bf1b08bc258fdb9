"""Settings: precedence arguments > environment > config file > defaults; secrets hidden."""

from __future__ import annotations

from pathlib import Path

from mesorefs.settings import DEFAULT_URLS, Settings


def test_defaults(tmp_path: Path) -> None:
    """Without any source the public services' URLs are used."""
    s = Settings.load(env={}, config_file=tmp_path / "missing.toml")
    assert s.base_url("crossref") == DEFAULT_URLS["crossref_url"]
    assert s.base_url("pubmed").endswith("/entrez/eutils")
    assert s.mailto is None
    assert s.offline is False


def test_precedence(tmp_path: Path) -> None:
    """Arguments beat the environment, which beats the config file, which beats defaults."""
    config = tmp_path / "config.toml"
    config.write_text(
        'mailto = "file@example.org"\ncrossref_url = "http://file/"\n'
        'datacite_url = "http://file-datacite"\n[rate_limits]\ncrossref = 2.0\n',
        encoding="utf-8",
    )
    env = {
        "MESOREFS_CROSSREF_URL": "http://env",
        "MESOREFS_MAILTO": "env@example.org",
        "MESOREFS_OFFLINE": "true",
    }
    s = Settings.load(env=env, config_file=config, mailto="arg@example.org")
    assert s.mailto == "arg@example.org"
    assert s.base_url("crossref") == "http://env"
    assert s.base_url("datacite") == "http://file-datacite"
    assert s.base_url("doi") == DEFAULT_URLS["doi_url"]
    assert s.rate_limits == {"crossref": 2.0}
    assert s.offline is True


def test_config_path_from_environment(tmp_path: Path) -> None:
    """MESOREFS_CONFIG points at another config file; a [mesorefs] table is accepted."""
    config = tmp_path / "other.toml"
    config.write_text('[mesorefs]\nopenalex_url = "http://oa"\nunknown = 1\n', encoding="utf-8")
    s = Settings.load(env={"MESOREFS_CONFIG": str(config)})
    assert s.base_url("openalex") == "http://oa"


def test_env_mappings(tmp_path: Path) -> None:
    """Rate limits and concurrency can be set from the environment as name=value lists."""
    env = {"MESOREFS_RATE_LIMITS": "crossref=4, pubmed=2", "MESOREFS_CONCURRENCY": "crossref=2"}
    s = Settings.load(env=env, config_file=tmp_path / "none.toml")
    assert s.rate_limits == {"crossref": 4.0, "pubmed": 2.0}
    assert s.concurrency == {"crossref": 2}


def test_secrets_never_shown(tmp_path: Path) -> None:
    """API keys do not appear in repr or str, but can be read on purpose."""
    env = {"MESOREFS_NCBI_API_KEY": "ncbi-secret-123", "MESOREFS_OPENALEX_API_KEY": "oa-secret"}
    s = Settings.load(env=env, config_file=tmp_path / "none.toml")
    assert "ncbi-secret-123" not in repr(s)
    assert "oa-secret" not in str(s)
    assert s.secret("ncbi_api_key") == "ncbi-secret-123"
    assert s.secret("openalex_api_key") == "oa-secret"


def test_openalex_switches(tmp_path: Path) -> None:
    """OpenAlex enrichment is on and its search off by default; env and file switch them."""
    default = Settings.load(env={}, config_file=tmp_path / "missing.toml")
    assert (default.enrich_openalex, default.search_openalex) == (True, False)
    config = tmp_path / "config.toml"
    config.write_text("search-openalex = true\n", encoding="utf-8")
    s = Settings.load(env={"MESOREFS_ENRICH_OPENALEX": "false"}, config_file=config)
    assert (s.enrich_openalex, s.search_openalex) == (False, True)
