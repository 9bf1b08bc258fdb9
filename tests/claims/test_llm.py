"""The ``openai:`` verifier against a real OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mesorefs.claims import check_claims
from mesorefs.claims.backends import load_verifier, parse_spec
from mesorefs.claims.evidence import Passage
from mesorefs.claims.llm import (
    OpenAIVerifier,
    chat_request,
    find_json_object,
    parse_answer,
    quote_in_passage,
)
from mesorefs.claims.retrieve import ScoredPassage
from mesorefs.cli import main
from mesorefs.errors import VerifierError
from mesorefs.models import Reference
from mesorefs.resolve.http import HttpClient
from mesorefs.settings import Settings
from resolve.fakes import LocalServer, local_http_server, send

CLAIM = "Mesotherapy injects small doses of drugs into the middle layer of the skin."
PASSAGE = (
    "Mesotherapy is a technique of injecting small amounts of drugs into the mesoderm. "
    "It was first described by Pistor in 1952."
)
QUOTE = "mesotherapy is a technique of injecting small   amounts of drugs into the mesoderm"
KEY = "sk-test-secret-0123"

Answer = Callable[[dict[str, Any]], tuple[int, bytes, dict[str, str]]]


class FakeClock:
    """Real time for the server, but the client's waits are only recorded."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.offset += max(seconds, 0.0)


def chat(content: str | None, refusal: str | None = None) -> bytes:
    message = {"role": "assistant", "content": content, "refusal": refusal}
    return json.dumps({"choices": [{"index": 0, "message": message}]}).encode()


def verdict(stance: str, quote: str = QUOTE, confidence: float = 0.9) -> bytes:
    return chat(json.dumps({"stance": stance, "confidence": confidence, "quote": quote}))


class Endpoint:
    """A chat-completions route that records each request and answers from ``answers``."""

    def __init__(self, server: LocalServer, *answers: Answer) -> None:
        self.server = server
        self.answers = list(answers)
        self.requests: list[dict[str, Any]] = []
        self.auth: list[str | None] = []
        server.routes["/v1/chat/completions"] = self.handle

    @property
    def base(self) -> str:
        return self.server.url + "/v1"

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = json.loads(request.rfile.read(length))
        self.requests.append(body)
        self.auth.append(request.headers.get("Authorization"))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        status, payload, headers = answer(body)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            send(request, status, payload, **headers)  # the client may hang up on a big body


def fixed(status: int, payload: bytes, **headers: str) -> Answer:
    return lambda body: (status, payload, headers)


_OPENED: list[OpenAIVerifier] = []


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with local_http_server() as local:
        yield local
    while _OPENED:
        _OPENED.pop().close()


def settings(tmp_path: Path, **extra: Any) -> Settings:
    options: dict[str, Any] = {
        "cache": False,
        "cache_dir": tmp_path / "cache",
        "max_retries": 2,
        "backoff_base": 0.0,
        "unreachable_pause": 0.0,
        "request_deadline": 5.0,
        "openai_api_key": KEY,
    }
    options.update(extra)
    return Settings.load(env={}, config_file=tmp_path / "none.toml", **options)


def make(endpoint: Endpoint, tmp_path: Path, clock: Any = None, **extra: Any) -> OpenAIVerifier:
    s = settings(tmp_path, **extra)
    verifier = OpenAIVerifier(endpoint.base, "test", s, HttpClient(s, clock=clock))
    _OPENED.append(verifier)
    return verifier


def scored(text: str = PASSAGE) -> ScoredPassage:
    passage = Passage("ref1", "abstract", text, 0, len(text), 0)
    return ScoredPassage(passage, 1.0, 1.0, None)


# -- pure parts --------------------------------------------------------------------------


def test_request_asks_for_json_with_the_fixed_prompt() -> None:
    """The body names the model, sends claim and passage, and asks for JSON mode."""
    body = chat_request("llama3.1", CLAIM, PASSAGE)
    assert body["model"] == "llama3.1" and body["temperature"] == 0
    assert body["response_format"] == {"type": "json_object"}
    assert CLAIM in body["messages"][1]["content"] and PASSAGE in body["messages"][1]["content"]
    assert "response_format" not in chat_request("m", CLAIM, PASSAGE, json_mode=False)


def test_json_object_is_found_in_prose_and_fences() -> None:
    """The first JSON object is read whether bare, in prose or in a code fence."""
    assert find_json_object('{"stance": "neutral"}') == {"stance": "neutral"}
    wrapped = 'Sure! Here it is:\n```json\n{"stance": "supports", "quote": "a {b}"}\n``` Done.'
    assert find_json_object(wrapped) == {"stance": "supports", "quote": "a {b}"}
    assert find_json_object("no verdict {here") is None


def test_quote_must_occur_in_the_passage() -> None:
    """Case, spacing, quote marks and a trailing ellipsis do not matter; other words do."""
    assert quote_in_passage(QUOTE, PASSAGE)
    assert quote_in_passage("“It was first described by Pistor…”", PASSAGE)
    assert not quote_in_passage("Mesotherapy cures baldness.", PASSAGE)
    assert not quote_in_passage("", PASSAGE)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"choices": []},
        {"choices": [{"message": {"content": None, "refusal": "I can't help with that."}}]},
        {"choices": [{"message": {"content": "I cannot judge medical claims."}}]},
        {"choices": [{"message": {"content": '{"stance": "maybe"}'}}]},
        {"choices": [{"message": {"content": '{"stance": "supports", "confidence": "high"}'}}]},
    ],
)
def test_malformed_answers_raise(data: Any) -> None:
    """An answer without a readable verdict is an error, never a guess."""
    with pytest.raises(VerifierError):
        parse_answer(data, PASSAGE)


def test_spec_parsing() -> None:
    """Specs name a backend and model; anything else is a one-line VerifierError."""
    assert str(parse_spec("baseline")) == "baseline"
    assert parse_spec("nli:/models/deberta").model == "/models/deberta"
    spec = parse_spec("openai:http://localhost:11434/v1/#llama3.1")
    assert (spec.base_url, spec.model) == ("http://localhost:11434/v1", "llama3.1")
    for bad in ("gpt", "nli:", "openai:http://x/v1", "openai:ftp://x#m", "openai:x#m"):
        with pytest.raises(VerifierError) as info:
            parse_spec(bad)
        assert "\n" not in str(info.value)
    assert load_verifier("baseline") is None


# -- against the loopback server ---------------------------------------------------------


def test_valid_json_gives_its_stance(server: LocalServer, tmp_path: Path) -> None:
    """A JSON verdict with a quote from the passage becomes the judgement; the key goes only
    into the Authorization header."""
    endpoint = Endpoint(server, fixed(200, verdict("contradicts", confidence=0.8)))
    verifier = make(endpoint, tmp_path)
    [judgement] = verifier.verify(CLAIM, [scored()], {})
    assert (judgement.stance, judgement.confidence, judgement.failed) == ("contradicts", 0.8, None)
    assert server.hits == ["/v1/chat/completions"]
    assert endpoint.requests[0]["model"] == "test"
    assert endpoint.requests[0]["response_format"] == {"type": "json_object"}
    assert endpoint.auth == [f"Bearer {KEY}"]
    assert KEY not in verifier.name + repr(verifier) + " ".join(verifier.warnings)
    assert verifier.name.startswith(f"openai:{endpoint.base}#test")


def test_json_in_prose_is_read(server: LocalServer, tmp_path: Path) -> None:
    """A verdict wrapped in the model's prose is still read."""
    prose = "Let me think. " + verdict("supports").decode()
    content = json.loads(prose[len("Let me think. ") :])["choices"][0]["message"]["content"]
    endpoint = Endpoint(server, fixed(200, chat(f"Here is my answer:\n{content}\nHope it helps.")))
    [judgement] = make(endpoint, tmp_path).verify(CLAIM, [scored()], {})
    assert judgement.stance == "supports"


def test_quote_not_in_passage_is_neutral(server: LocalServer, tmp_path: Path) -> None:
    """A stance resting on words the passage does not hold is discarded as neutral."""
    endpoint = Endpoint(server, fixed(200, verdict("supports", quote="It cures baldness.")))
    verifier = make(endpoint, tmp_path)
    [judgement] = verifier.verify(CLAIM, [scored()], {})
    assert judgement.stance == "neutral" and "quote not in passage" in judgement.cues
    assert judgement.failed is None and not verifier.warnings


@pytest.mark.parametrize(
    "payload",
    [chat(None, refusal="I can't help with that."), chat("I'm sorry, I can't assess this.")],
)
def test_refusal_is_a_warning_not_a_verdict(
    server: LocalServer, tmp_path: Path, payload: bytes
) -> None:
    """A refusal gives no judgement: a failed neutral one and one warning line."""
    endpoint = Endpoint(server, fixed(200, payload))
    verifier = make(endpoint, tmp_path)
    [judgement] = verifier.verify(CLAIM, [scored()], {})
    assert judgement.stance == "neutral" and judgement.failed
    assert len(verifier.warnings) == 1 and "\n" not in verifier.warnings[0]


def test_429_waits_for_retry_after(server: LocalServer, tmp_path: Path) -> None:
    """A 429 is retried after the Retry-After it names, then the answer counts."""
    endpoint = Endpoint(
        server,
        fixed(429, b'{"error": "slow down"}', Retry_After="7"),
        fixed(200, verdict("supports")),
    )
    clock = FakeClock()
    verifier = make(endpoint, tmp_path, clock, request_deadline=30.0)
    [judgement] = verifier.verify(CLAIM, [scored()], {})
    assert judgement.stance == "supports"
    assert len(endpoint.requests) == 2
    assert 7.0 in clock.sleeps


def test_500_is_retried_then_reported(server: LocalServer, tmp_path: Path) -> None:
    """5xx is retried with backoff; after the last retry the pair is a failed judgement."""
    endpoint = Endpoint(server, fixed(500, b"oops"))
    verifier = make(endpoint, tmp_path, max_retries=2)
    [judgement] = verifier.verify(CLAIM, [scored()], {})
    assert judgement.failed and "500" in judgement.failed
    assert len(endpoint.requests) == 3
    endpoint.answers = [fixed(503, b""), fixed(200, verdict("supports"))]
    [judgement] = make(endpoint, tmp_path).verify(CLAIM, [scored()], {})
    assert judgement.stance == "supports"


def test_stall_past_the_deadline_fails_in_time(server: LocalServer, tmp_path: Path) -> None:
    """A server that stalls is cut off at the request deadline."""

    def stall(body: dict[str, Any]) -> tuple[int, bytes, dict[str, str]]:
        time.sleep(3)
        return 200, verdict("supports"), {}

    endpoint = Endpoint(server, stall)
    verifier = make(endpoint, tmp_path, request_deadline=0.5, read_timeout=0.5, max_retries=0)
    started = time.monotonic()
    [judgement] = verifier.verify(CLAIM, [scored()], {})
    assert time.monotonic() - started < 2.5
    assert judgement.stance == "neutral" and judgement.failed
    assert "deadline" in judgement.failed or "timed out" in judgement.failed


def test_50_mb_body_is_refused(server: LocalServer, tmp_path: Path) -> None:
    """A 50 MB body is refused (by its length, or while it streams), not read into memory."""
    endpoint = Endpoint(server, fixed(200, b" " * (50 * 1024 * 1024)))
    [judgement] = make(endpoint, tmp_path).verify(CLAIM, [scored()], {})
    assert judgement.failed and "refused" in judgement.failed

    def undeclared(request: BaseHTTPRequestHandler) -> None:
        request.rfile.read(int(request.headers["Content-Length"]))
        request.send_response(200)
        request.send_header("Content-Type", "application/json")
        request.end_headers()
        request.close_connection = True
        try:
            for _ in range(50):
                request.wfile.write(b" " * (1024 * 1024))
        except (BrokenPipeError, ConnectionResetError):
            pass

    server.routes["/v1/chat/completions"] = undeclared
    [judgement] = make(endpoint, tmp_path).verify(CLAIM, [scored()], {})
    assert judgement.failed and "larger than" in judgement.failed


def test_server_without_json_mode_is_asked_again(server: LocalServer, tmp_path: Path) -> None:
    """A 400 to ``response_format`` is retried once without it, and JSON mode stays off."""
    endpoint = Endpoint(server, fixed(400, b'{"error": "response_format"}'))
    endpoint.answers.append(fixed(200, verdict("supports")))
    verifier = make(endpoint, tmp_path)
    judgements = verifier.verify(CLAIM, [scored(), scored()], {})
    assert [j.stance for j in judgements] == ["supports", "supports"]
    assert "response_format" not in endpoint.requests[-1]


def test_cache_makes_a_rerun_free(server: LocalServer, tmp_path: Path) -> None:
    """Every answer is kept in the persistent cache: a second run sends no request."""
    endpoint = Endpoint(server, fixed(200, verdict("supports")))
    texts = [PASSAGE, PASSAGE + " Later work disagreed."]
    first = make(endpoint, tmp_path, cache=True).verify(CLAIM, [scored(t) for t in texts], {})
    assert len(endpoint.requests) == 2
    again = make(endpoint, tmp_path, cache=True)
    second = again.verify(CLAIM, [scored(t) for t in texts], {})
    assert second == first and len(endpoint.requests) == 2
    again.verify("Another claim about mesotherapy.", [scored()], {})
    assert len(endpoint.requests) == 3
    stored = b"".join(p.read_bytes() for p in (tmp_path / "cache").iterdir())
    assert KEY.encode() not in stored


# -- through check -----------------------------------------------------------------------


def _quote_first_sentence(body: dict[str, Any]) -> tuple[int, bytes, dict[str, str]]:
    passage = body["messages"][1]["content"].split("Passage: ", 1)[1]
    return 200, verdict("supports", quote=passage.split(". ")[0]), {}


def test_check_claims_takes_a_spec_string(
    server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``check_claims(verifier="openai:...")`` judges with the endpoint and says so per link."""
    (tmp_path / "none.toml").write_text("", encoding="utf-8")  # an empty config
    monkeypatch.setenv("MESOREFS_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("MESOREFS_CACHE", "false")
    endpoint = Endpoint(server, _quote_first_sentence)
    library = [Reference(key="pistor", title="Mesotherapy", abstract=PASSAGE)]
    report = check_claims(CLAIM, library, verifier=f"openai:{endpoint.base}#test", encoder=False)
    [result] = report.checked
    assert result.verdict == "supported"
    assert report.verifier == f"openai:{endpoint.base}#test"
    assert report.to_dict()["claims"][0]["links"][0]["verifier"] == report.verifier


def test_failures_become_needs_review_with_a_warning(server: LocalServer, tmp_path: Path) -> None:
    """An endpoint that fails gives "needs review" and a warning, never another verdict."""
    endpoint = Endpoint(server, fixed(500, b""))
    verifier = make(endpoint, tmp_path, max_retries=0)
    library = [Reference(key="pistor", title="Mesotherapy", abstract=PASSAGE)]
    report = check_claims(CLAIM + " It always works.", library, verifier=verifier, encoder=False)
    assert {r.verdict for r in report.checked} == {"needs review"}
    assert report.warnings and all("server error 500" in w for w in report.warnings)
    assert "could not judge" in report.checked[0].explanation


def test_cli_check_with_an_openai_endpoint(
    server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`mesorefs check --verifier openai:...` prints the full report, naming the backend."""
    (tmp_path / "none.toml").write_text("", encoding="utf-8")  # an empty config
    monkeypatch.setenv("MESOREFS_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("MESOREFS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("MESOREFS_RATE_LIMITS", "openai=10000")  # hundreds of pairs
    monkeypatch.setenv("MESOREFS_CONCURRENCY", "openai=4")
    endpoint = Endpoint(server, _quote_first_sentence)
    spec = f"openai:{endpoint.base}#test"
    result = CliRunner().invoke(main, ["check", "--verifier", spec])
    assert result.exit_code in (0, 1), result.output
    assert "checkworthy claims" in result.output and "supported" in result.output
    assert f"engine: {spec}" in result.output
    sent = len(endpoint.requests)
    assert sent > 10
    again = CliRunner().invoke(main, ["check", "--verifier", spec, "--json"])
    data = json.loads(again.output)
    assert data["verifier"] == spec and len(endpoint.requests) == sent  # all from the cache


def test_cli_bad_spec_exits_2_with_one_line() -> None:
    """An unknown backend is a usage error in one line."""
    result = CliRunner().invoke(main, ["check", "--verifier", "magic"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "unknown verifier" in result.output


def test_verifier_setting_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The backend comes from --verifier, then MESOREFS_VERIFIER, then the config file."""
    config = tmp_path / "config.toml"
    config.write_text('verifier = "nli:/missing-from-config"\n', encoding="utf-8")
    monkeypatch.setenv("MESOREFS_CONFIG", str(config))
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2 and "nli:/missing-from-config" in result.output
    monkeypatch.setenv("MESOREFS_VERIFIER", "nli:/missing-from-env")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2 and "nli:/missing-from-env" in result.output
    result = CliRunner().invoke(main, ["check", "--verifier", "nli:/missing-from-option"])
    assert result.exit_code == 2 and "nli:/missing-from-option" in result.output


def test_api_key_from_either_variable(tmp_path: Path) -> None:
    """MESOREFS_OPENAI_API_KEY wins over OPENAI_API_KEY; neither shows in the settings' repr."""
    none = tmp_path / "none.toml"
    plain = Settings.load(env={"OPENAI_API_KEY": "sk-a"}, config_file=none)
    assert plain.secret("openai_api_key") == "sk-a"
    both = {"OPENAI_API_KEY": "sk-a", "MESOREFS_OPENAI_API_KEY": "sk-b"}
    ours = Settings.load(env=both, config_file=none)
    assert ours.secret("openai_api_key") == "sk-b"
    assert "sk-b" not in repr(ours) and "sk-b" not in str(ours)
    assert Settings.load(env={}, config_file=none).secret("openai_api_key") is None


def test_404_is_not_cached_and_says_what_to_check(server: LocalServer, tmp_path: Path) -> None:
    """A 404 (a model not pulled yet) names what to check and is asked again next time."""
    endpoint = Endpoint(server, fixed(404, b'{"error": "model \\"test\\" not found"}'))
    [judgement] = make(endpoint, tmp_path, cache=True).verify(CLAIM, [scored()], {})
    assert judgement.failed and "base URL or model" in judgement.failed
    endpoint.answers = [fixed(200, verdict("supports"))]
    [judgement] = make(endpoint, tmp_path, cache=True).verify(CLAIM, [scored()], {})
    assert judgement.stance == "supports" and len(endpoint.requests) == 2
