"""A record of a whole ``mesorefs check`` run, so an unchanged rerun prints it again at once.

The record is kept in the claim cache's folder (``<cache folder>/claims/<key>.json``, a
file of ours like the others there) under a SHA-256 of everything the run read:

- the document's and the .bib's bytes, the ``--verified`` report's bytes, the options
  (the paths named, the output files asked for), the working folder;
- every ``MESOREFS_*`` variable and the bytes of the user and project config files
  (the settings are not interpreted, their sources are hashed);
- what the printed report depends on beside: the terminal's width, whether standard
  output is a terminal and its encoding, the Python running, whether the encoder's
  packages and pypdf are installed;
- the mesorefs version and what ``stat`` says (size, modification and status-change
  times, inode, device) of every module and data file of the package.

It holds what the run printed and wrote (standard output, the ``--html``,
``--markdown`` and ``--annotate`` files, the exit code) and the files the run read
besides those named above (the full-text files the .bib names, the encoder's model
files) with what ``stat`` said of each (or that it was missing).  A rerun whose key
finds a record whose files all still say the same prints it and stops: it reads
neither the .bib nor the full texts, loads no settings and imports no claim checking.

Only runs of the shipped verifier are recorded (never ``nli:`` or ``openai:``), only
compact or JSON reports (not the ``-v`` table, which depends on the terminal's
colours), only when the run had no warning, and only when the cache folder found here
is the one the settings name.  A file changed less than 2 seconds before the run is
not trusted to keep its times (a clock counting whole seconds), so no record is kept
then.  A damaged, foreign or unreadable record is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mesorefs import __version__
from mesorefs.outputs import open_cache_file, write_cache_file

__all__ = ["FORMAT", "RunRecord", "cache_dir", "file_state", "run_key"]

FORMAT = "mesorefs-check-run/1"
"""Changes whenever what a record holds, or how it is read back, changes."""
RACY_SECONDS = 2.0
"""A file changed this recently is not trusted to keep its times."""
ENV_PREFIX = "MESOREFS_"
_PACKAGE = Path(__file__).resolve().parent.parent
_MODEL_DIR = _PACKAGE / "claims" / "data" / "minilm"
MODEL_FILES = (_MODEL_DIR / "model_int8.onnx", _MODEL_DIR / "tokenizer.json")
"""The encoder's files (as :mod:`mesorefs.claims.encoder` names them)."""


def file_state(path: str | os.PathLike[str]) -> list[int] | None:
    """What ``stat`` says of ``path`` (size, modification and status-change times in ns,
    inode, device), or None when it cannot be read."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def _read(path: str | os.PathLike[str]) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None


def _toml_value(path: Path, name: str) -> object:
    """``name`` of a config file (flat, ``[mesorefs]`` or ``[tool.mesorefs]``), or None."""
    data = _read(path)
    if data is None:
        return None
    import tomllib

    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    if path.name == "pyproject.toml":
        tool = parsed.get("tool")
        parsed = tool.get("mesorefs", {}) if isinstance(tool, dict) else {}
    else:
        parsed = parsed.get("mesorefs", parsed)
    if not isinstance(parsed, dict):
        return None
    return parsed.get(name, parsed.get(name.replace("_", "-")))


def _project_config(start: Path) -> Path | None:
    """The project config file as the settings find it (``find_project_config``)."""
    for folder in (start, *start.parents):
        candidate = folder / "mesorefs.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            head = (_read(pyproject) or b"")[: 1 << 20].decode("utf-8", "replace")
            if re.search(r"^\s*\[tool\.mesorefs\]", head, re.MULTILINE):
                return pyproject
    return None


def _config_files(environ: Mapping[str, str]) -> tuple[Path, Path | None]:
    """(the user config file, the project config file or None), as the settings find them."""
    import platformdirs

    named = environ.get(ENV_PREFIX + "CONFIG")
    user = Path(named) if named else Path(platformdirs.user_config_dir("mesorefs")) / "config.toml"
    return user, _project_config(Path.cwd())


def cache_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """The cache folder the settings would name, read without them (environment > project
    config > user config > default); None when a config file names one this cannot
    read.  A record is written only where this agrees with the settings."""
    environ = os.environ if environ is None else environ
    if environ.get(ENV_PREFIX + "CACHE_DIR"):
        return Path(environ[ENV_PREFIX + "CACHE_DIR"])
    user, project = _config_files(environ)
    for path in (project, user):
        if path is None or not path.is_file():
            continue
        value = _toml_value(path, "cache_dir")
        if value is not None:
            return Path(value) if isinstance(value, str) else None
    import platformdirs

    return Path(platformdirs.user_cache_dir("mesorefs"))


def _code_state() -> list[Any]:
    """What ``stat`` says of every module and JSON data file of the package."""
    paths = sorted([*_PACKAGE.rglob("*.py"), *_PACKAGE.rglob("*.json")])
    return [[str(p.relative_to(_PACKAGE)), file_state(p)] for p in paths]


def run_key(
    *,
    document: str,
    bib: str,
    options: Mapping[str, object],
    environ: Mapping[str, str] | None = None,
) -> str | None:
    """The key of a run of ``check`` over these files and options; None when the run
    cannot be recorded (a file that cannot be read, standard input)."""
    import importlib.util
    import shutil

    environ = os.environ if environ is None else environ
    if "-" in (document, bib):
        return None
    digest = hashlib.sha256()

    def add(part: object) -> None:
        digest.update(json.dumps(part, sort_keys=True, default=str).encode() + b"\x1e")

    add([FORMAT, __version__, sys.version, sys.executable, os.getcwd()])
    add(sorted((k, v) for k, v in environ.items() if k.startswith(ENV_PREFIX)))
    user, project = _config_files(environ)
    for path in (user, project):
        data = _read(path) if path is not None else None
        add([str(path), hashlib.sha256(data).hexdigest() if data is not None else None])
    for source in (document, bib, options.get("verified")):
        if source is None:
            add(None)
            continue
        data = _read(str(source))
        if data is None:
            return None
        add([str(source), hashlib.sha256(data).hexdigest()])
    add(dict(options))
    stream = sys.stdout
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = None
    add([shutil.get_terminal_size((80, 24)).columns, tty, getattr(stream, "encoding", None)])
    # The encoder runs only with these; a .pdf full text is read only with pypdf.
    add([importlib.util.find_spec(m) is not None for m in ("onnxruntime", "tokenizers", "pypdf")])
    add(_code_state())
    return digest.hexdigest()


class RunRecord:
    """The record of one run of ``check``, in ``<folder>/claims/<key>.json``."""

    def __init__(self, folder: str | os.PathLike[str], key: str) -> None:
        self.path = Path(folder) / "claims" / f"{key}.json"
        self.key = key

    def load(self) -> dict[str, Any] | None:
        """The record when it is whole, of this key and every file it names still says
        the same; None otherwise."""
        handle = open_cache_file(self.path)
        if handle is None:
            return None
        try:
            with handle:
                data = json.loads(handle.read().decode("utf-8"))
        except (OSError, ValueError):
            return None
        if not _well_formed(data) or data["format"] != FORMAT or data["key"] != self.key:
            return None
        if any(file_state(path) != state for path, state in data["read"]):
            return None
        kept: dict[str, Any] = data
        return kept

    def save(
        self,
        *,
        stdout: str,
        exit_code: int,
        outputs: Mapping[str, str],
        read: Sequence[str | os.PathLike[str]],
    ) -> bool:
        """Keep what a run printed and wrote; False when it is not kept (a file read was
        changed too recently to trust its times, or the folder cannot be written)."""
        now = time.time_ns()
        states = []
        for path in sorted({os.fspath(p) for p in read}):
            state = file_state(path)
            if state is not None and now - max(state[1], state[2]) < RACY_SECONDS * 1e9:
                return False
            states.append([path, state])
        for _, state in _code_state():
            if state is not None and now - max(state[1], state[2]) < RACY_SECONDS * 1e9:
                return False
        data = {
            "format": FORMAT,
            "key": self.key,
            "stdout": stdout,
            "exit": exit_code,
            "outputs": dict(outputs),
            "read": states,
        }
        from mesorefs.errors import OutputError

        with contextlib.suppress(OutputError, OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_cache_file(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
            return True
        return False


def _well_formed(data: object) -> bool:
    if not isinstance(data, dict):
        return False
    read = data.get("read")
    outputs = data.get("outputs")
    return (
        isinstance(data.get("format"), str)
        and isinstance(data.get("key"), str)
        and isinstance(data.get("stdout"), str)
        and type(data.get("exit")) is int
        and isinstance(outputs, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in outputs.items())
        and isinstance(read, list)
        and all(
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], str)
            and (
                item[1] is None
                or (
                    isinstance(item[1], list)
                    and len(item[1]) == 5
                    and all(type(n) is int for n in item[1])
                )
            )
            for item in read
        )
    )
