"""Settings: precedence arguments > environment > config file > defaults; secrets hidden."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mesorefs.cli import main
from mesorefs.errors import SettingsError
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
    config.write_text('[mesorefs]\nopenalex_url = "http://oa"\n', encoding="utf-8")
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


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"MESOREFS_READ_TIMEOUT": "abc"}, "setting read_timeout (from MESOREFS_READ_TIMEOUT)"),
        ({"MESOREFS_OFFLINE": "maybe"}, "setting offline (from MESOREFS_OFFLINE)"),
        ({"MESOREFS_MAX_RETRIES": "-1"}, "setting max_retries (from MESOREFS_MAX_RETRIES)"),
        ({"MESOREFS_RATE_LIMITS": "crossref=x"}, "setting rate_limits"),
        ({"MESOREFS_DEADLINE": "0"}, "setting deadline (from MESOREFS_DEADLINE)"),
    ],
)
def test_bad_environment_values_name_setting_and_source(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    """A value that cannot be used is one SettingsError line naming the setting and source."""
    with pytest.raises(SettingsError) as caught:
        Settings.load(env=env, config_file=tmp_path / "missing.toml")
    assert str(caught.value).startswith(expected)
    assert "\n" not in str(caught.value)


def test_bad_config_file_is_one_line(tmp_path: Path) -> None:
    """A config file that is not TOML, or holds a bad value, names the file."""
    config = tmp_path / "config.toml"
    config.write_text("mailto = [unclosed\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"^config file .*config.toml: not a readable TOML"):
        Settings.load(env={}, config_file=config)
    config.write_text('read_timeout = "abc"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"read_timeout \(from config file .*config.toml\)"):
        Settings.load(env={}, config_file=config)


def test_cli_reports_bad_setting_in_one_line(tmp_path: Path) -> None:
    """`mesorefs resolve` with a bad setting exits 2 with one line, no traceback."""
    bib = tmp_path / "r.bib"
    bib.write_text("@article{a, title={T}}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["resolve", str(bib)], env={"MESOREFS_READ_TIMEOUT": "abc"})
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "mesorefs: error: setting read_timeout (from MESOREFS_READ_TIMEOUT): Input should be a "
        "valid number, unable to parse string as a number (got 'abc')"
    ]
