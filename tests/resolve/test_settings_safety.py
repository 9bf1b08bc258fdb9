"""Settings that cannot be used are refused at load, naming the setting, never a secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.errors import SettingsError
from mesorefs.settings import Settings

KEY = "sk-live-0123456789abcdef"


def load(tmp_path: Path, env: dict[str, str], config: str | None = None) -> Settings:
    path = tmp_path / "config.toml"
    if config is not None:
        path.write_text(config, encoding="utf-8")
    return Settings.load(env=env, config_file=path)


@pytest.mark.parametrize(
    ("config", "setting"),
    [
        ("ncbi_api_key = 98765432101234\n", "ncbi_api_key"),
        (f'openai_api_key = ["{KEY}"]\n', "openai_api_key"),
        (f'openalex_api_key = {{ value = "{KEY}" }}\n', "openalex_api_key"),
    ],
    ids=["int", "list", "table"],
)
def test_key_of_the_wrong_type_is_named_not_shown(
    tmp_path: Path, config: str, setting: str
) -> None:
    """A key of the wrong type in the config file is one line naming it, without its value."""
    with pytest.raises(SettingsError) as caught:
        load(tmp_path, {}, config)
    message = str(caught.value)
    assert setting in message and "\n" not in message
    assert KEY not in message and "98765432101234" not in message


@pytest.mark.parametrize("end", ["\r", "\n", "\r\n"], ids=["cr", "lf", "crlf"])
def test_one_trailing_line_end_of_a_key_or_mailto_is_dropped(tmp_path: Path, end: str) -> None:
    """A key or mailto read from a file written on Windows works without its line end."""
    env = {"MESOREFS_NCBI_API_KEY": KEY + end, "MESOREFS_MAILTO": "me@example.org" + end}
    settings = load(tmp_path, env)
    assert settings.secret("ncbi_api_key") == KEY
    assert settings.mailto == "me@example.org"


@pytest.mark.parametrize(
    ("variable", "value", "setting"),
    [
        ("MESOREFS_OPENAI_API_KEY", KEY[:5] + "\r" + KEY[5:], "openai_api_key"),
        ("OPENAI_API_KEY", KEY[:5] + "é€" + KEY[5:], "openai_api_key"),
        ("MESOREFS_NCBI_API_KEY", KEY + "\r\n\r\n", "ncbi_api_key"),
        ("MESOREFS_OPENALEX_API_KEY", KEY[:5] + " " + KEY[5:], "openalex_api_key"),
        ("MESOREFS_MAILTO", "me@exa\rmple.org", "mailto"),
        ("MESOREFS_MAILTO", "me@exämple.org", "mailto"),
    ],
    ids=[
        "key-cr-inside",
        "key-non-latin1",
        "key-two-line-ends",
        "key-space",
        "mailto-cr",
        "mailto-umlaut",
    ],
)
def test_header_breaking_values_are_refused_without_the_secret(
    tmp_path: Path, variable: str, value: str, setting: str
) -> None:
    """A key or mailto an HTTP header cannot carry is one line naming the setting; a key's
    value is never in it."""
    with pytest.raises(SettingsError) as caught:
        load(tmp_path, {variable: value})
    message = str(caught.value)
    assert f"setting {setting}" in message and "\n" not in message
    assert KEY[:5] not in message and KEY[5:] not in message


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MESOREFS_RATE_LIMITS", "crossref=1e-9"),
        ("MESOREFS_RATE_LIMITS", "crossref=-5"),
        ("MESOREFS_RATE_LIMITS", "crossref=inf"),
        ("MESOREFS_RATE_LIMITS", "crossref=nan"),
        ("MESOREFS_RATE_LIMITS", "crossref=1e300"),
        ("MESOREFS_CONCURRENCY", "crossref=0"),
        ("MESOREFS_CONCURRENCY", "crossref=100000"),
        ("MESOREFS_CACHE_EXPIRE_DAYS", "1e300"),
        ("MESOREFS_CACHE_EXPIRE_DAYS", "inf"),
        ("MESOREFS_READ_TIMEOUT", "inf"),
        ("MESOREFS_DEADLINE", "1e300"),
    ],
    ids=[
        "rate-tiny",
        "rate-negative",
        "rate-inf",
        "rate-nan",
        "rate-huge",
        "concurrency-zero",
        "concurrency-huge",
        "expire-huge",
        "expire-inf",
        "timeout-inf",
        "deadline-huge",
    ],
)
def test_numbers_out_of_range_are_one_line(tmp_path: Path, variable: str, value: str) -> None:
    """Numbers are finite and within their ranges, checked at load (no hang, no Overflow)."""
    setting = variable.removeprefix("MESOREFS_").lower()
    with pytest.raises(SettingsError) as caught:
        load(tmp_path, {variable: value})
    assert str(caught.value).startswith(f"setting {setting} (from {variable})")
    assert "\n" not in str(caught.value)


def test_rates_at_the_edges_of_the_range_load(tmp_path: Path) -> None:
    """One request every 10 s and a million a second are both accepted."""
    settings = load(tmp_path, {"MESOREFS_RATE_LIMITS": "crossref=0.1,doi=1000000"})
    assert settings.rate_limits == {"crossref": 0.1, "doi": 1_000_000.0}


@pytest.mark.parametrize(
    "url", ["http://[::1", "ftp://mirror.example/", "mirror.example"], ids=["ipv6", "ftp", "bare"]
)
def test_service_url_that_is_not_http_is_refused(tmp_path: Path, url: str) -> None:
    """A service URL that cannot be parsed or is not http(s) is one line naming the setting."""
    with pytest.raises(SettingsError, match=r"^setting crossref_url"):
        load(tmp_path, {"MESOREFS_CROSSREF_URL": url})


def test_url_password_is_never_shown_and_is_a_secret(tmp_path: Path) -> None:
    """A mirror URL's password is listed among the secrets and redacted in errors."""
    url = "https://mirror:pa55-w0rd-long@mirror.example/"
    settings = load(tmp_path, {"MESOREFS_CROSSREF_URL": url, "MESOREFS_NCBI_API_KEY": KEY})
    assert set(settings.secret_values()) >= {KEY, "pa55-w0rd-long"}
    with pytest.raises(SettingsError) as caught:
        load(tmp_path, {"MESOREFS_DATACITE_URL": "ftp://u:pa55-w0rd-long@x/"})
    assert "pa55-w0rd-long" not in str(caught.value)
