"""Fixtures for the resolver tests: fake clock, fake session, local HTTP server."""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from mesorefs.models import Person, Reference
from mesorefs.settings import Settings

from .fakes import LocalServer, local_http_server, reply

__all__ = [
    "DATA",
    "FakeClock",
    "FakeResponse",
    "FakeSession",
    "LocalServer",
    "data_json",
    "data_text",
    "reply",
]

DATA = Path(__file__).parent / "data"


def data_text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def data_json(name: str) -> Any:
    return json.loads(data_text(name))


class FakeClock:
    """A clock that advances only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.0)


@dataclass
class FakeResponse:
    status_code: int
    text: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    url: str = ""


class FakeSession:
    """Answers GETs from a list of responses (or exceptions), recording the calls."""

    def __init__(self, *answers: FakeResponse | Exception) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def get(self, url: str, **kwargs: Any) -> FakeResponse:
        self.calls.append((url, kwargs))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if not answer.url:
            answer.url = url
        return answer


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.load(env={}, config_file=tmp_path / "none.toml", cache=False)


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    """A real HTTP server on 127.0.0.1 (port 0); tests register handlers by path prefix."""
    with local_http_server() as server:
        yield server


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every resolver test stays on this machine: looking up or connecting to any other
    host fails the test (a default base URL left in a test's settings shows up here)."""
    lookup, connect = socket.getaddrinfo, socket.socket.connect

    def local(host: Any) -> bool:
        if host is None or host == "localhost":
            return True
        try:
            return ipaddress.ip_address(str(host)).is_loopback
        except ValueError:
            return False

    def guarded_lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not local(host):
            raise AssertionError(f"a test tried to look up {host!r}")
        return lookup(host, *args, **kwargs)

    def guarded_connect(self: socket.socket, address: Any) -> None:
        if isinstance(address, tuple) and not local(address[0]):
            raise AssertionError(f"a test tried to reach {address!r}")
        connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", guarded_lookup)
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


# The PLOS record the recorded Crossref answers describe, as an entry that only has its DOI.
DOI = "10.1371/journal.pone.0033693"


def entry() -> Reference:
    return Reference(
        title="Methylphenidate exposure induces dopamine neuron loss and activation of microglia "
        "in the basal ganglia of mice",
        authors=[Person(family="Sadasivan", given="S")],
        doi=DOI,
    )
