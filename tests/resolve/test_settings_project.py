"""Project configuration (issue 31): found upward, below the environment, checked key by key."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.errors import SettingsError
from mesorefs.settings import Settings, find_project_config


def _load(tmp_path: Path, start: Path, env: dict[str, str] | None = None) -> Settings:
    return Settings.load(env=env or {}, config_file=tmp_path / "user.toml", project_dir=start)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("mesorefs.toml", "mailto = 'team@example.org'\n"),
        (
            "pyproject.toml",
            "[project]\nname = 'x'\n\n[tool.mesorefs]\nmailto = 'team@example.org'\n",
        ),
    ],
    ids=["mesorefs-toml", "pyproject"],
)
def test_project_config_is_found_from_a_subfolder(tmp_path: Path, name: str, text: str) -> None:
    """A project file in a folder above the working one sets what the user config does not."""
    (tmp_path / name).write_text(text, encoding="utf-8")
    deep = tmp_path / "paper" / "figures"
    deep.mkdir(parents=True)
    assert find_project_config(deep) == tmp_path / name
    assert _load(tmp_path, deep).mailto == "team@example.org"


def test_precedence_argument_environment_project_user(tmp_path: Path) -> None:
    """Arguments beat the environment, which beats the project file, which beats the user's."""
    (tmp_path / "user.toml").write_text("read_timeout = 11\nconnect_timeout = 7\n")
    (tmp_path / "mesorefs.toml").write_text("read_timeout = 12\nmax_retries = 1\n")
    s = _load(tmp_path, tmp_path)
    assert (s.read_timeout, s.connect_timeout, s.max_retries) == (12, 7, 1)
    s = _load(tmp_path, tmp_path, {"MESOREFS_READ_TIMEOUT": "13"})
    assert s.read_timeout == 13
    s = Settings.load(
        env={"MESOREFS_READ_TIMEOUT": "13"},
        config_file=tmp_path / "user.toml",
        project_dir=tmp_path,
        read_timeout=14,
    )
    assert s.read_timeout == 14


def test_a_pyproject_without_the_table_is_passed_by(tmp_path: Path) -> None:
    """A pyproject.toml with no [tool.mesorefs] is not a project config: the search goes on."""
    (tmp_path / "mesorefs.toml").write_text("max_retries = 2\n")
    inner = tmp_path / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[project]\nname = 'pkg'\n")
    assert find_project_config(inner) == tmp_path / "mesorefs.toml"


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        (
            "mesorefs.toml",
            "mail_to = 'x@y.org'\n",
            "unknown setting 'mail_to' (did you mean 'mailto'?)",
        ),
        ("user.toml", "[mesorefs]\nreadtimeout = 3\n", "unknown setting 'readtimeout'"),
        ("mesorefs.toml", "ncbi_api_key = 'abcdef123'\n", "an API key does not belong"),
    ],
    ids=["project-typo", "user-typo", "key-in-project"],
)
def test_bad_keys_are_errors_that_name_them(
    tmp_path: Path, file: str, text: str, message: str
) -> None:
    """An unknown key, or an API key in a file a repository carries, is one line naming it."""
    (tmp_path / file).write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        _load(tmp_path, tmp_path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert "abcdef123" not in str(caught.value)


def test_a_missing_config_named_by_the_environment_is_an_error(tmp_path: Path) -> None:
    """MESOREFS_CONFIG naming a file that is not there is an error, not silence."""
    with pytest.raises(SettingsError, match=r"MESOREFS_CONFIG.*no such config file"):
        Settings.load(env={"MESOREFS_CONFIG": str(tmp_path / "gone.toml")}, project_dir=tmp_path)
