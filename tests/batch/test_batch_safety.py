"""Batch jobs under hostile inputs and clusters: one row per line, no secrets sent,
loopback only, one-line errors for what cannot be used."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psutil
import pytest

import mesorefs.batch.cluster as cluster
from mesorefs.batch import plan, read_rows, run_batch
from mesorefs.batch.work import run_partition, without_secrets
from mesorefs.errors import InputError
from mesorefs.settings import Settings

KEY = "sk-test-batch-5a4b3c2d1e"

LINES = [
    json.dumps({"id": "one", "text": "Modern statistical methods in ecology. 2012."}),
    "[" * 100_000 + "]" * 100_000,
    '{"id": "\\ud800", "text": "Wading birds. 2002."}',
    '{"id": "lone-text", "text": "Wading \\udc00 birds"}',
    "not JSON",
    json.dumps({"id": "empty", "text": ""}),
    json.dumps("A plain string reference, 2003."),
    "",
    json.dumps({"id": "two", "text": "Journal of Ecology 4 (2005)."}),
    json.dumps({"text": "no id, 2006"}),
]


def _jsonl_rows(out: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for path in sorted((out / "jsonl").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("workers", [pytest.param(0, id="in-process"), pytest.param(2, id="two")])
def test_every_line_is_one_row_in_both_outputs(
    hostile: Path, tmp_path: Path, settings: Settings, workers: int
) -> None:
    """Deep JSON and lone surrogates are one error row each, in JSON Lines and Parquet."""
    report = run_batch(
        [hostile], tmp_path / "out", settings=settings, workers=workers, partition_rows=4
    )
    jsonl, parquet = _jsonl_rows(tmp_path / "out"), read_rows(tmp_path / "out")
    assert len(jsonl) == len(parquet) == len(LINES) == report.rows
    by_id = {str(r["input_id"]): r for r in jsonl}
    for input_id in (f"{hostile}:2", f"{hostile}:3", "lone-text", f"{hostile}:5"):
        assert by_id[input_id]["status"] == "error"
    assert "nested too deep" in by_id[f"{hostile}:2"]["error"]
    assert "surrogate" in by_id[f"{hostile}:3"]["error"]
    assert "surrogate" in by_id["lone-text"]["error"]


def test_a_failed_partition_is_one_error_row_per_line(
    hostile: Path, tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A partition that cannot be done at all leaves a row for each of its lines, twice."""
    import mesorefs.batch.work as work

    def broken(partition: Any, settings: Any) -> Iterator[dict[str, Any]]:
        raise RuntimeError("the worker fell over")
        yield {}

    monkeypatch.setattr(work, "partition_rows", broken)
    report = run_batch([hostile], tmp_path / "out", settings=settings, workers=0)
    ids = [r["input_id"] for r in _jsonl_rows(tmp_path / "out")]
    assert ids == [f"{hostile}:{n}" for n in range(1, len(LINES) + 1)]
    assert len(read_rows(tmp_path / "out")) == report.errors == len(LINES)


def test_a_file_cut_short_gives_rows_for_its_missing_lines(
    hostile: Path, tmp_path: Path, settings: Settings
) -> None:
    """Lines planned but gone when the worker reads are error rows, one per line."""
    [partition] = plan([hostile], partition_rows=100)
    hostile.write_text(LINES[0] + "\n", encoding="utf-8")
    hostile.unlink()
    result = run_partition(partition, settings, tmp_path / "out")
    assert result.rows == len(LINES) and result.errors == len(LINES)


def test_non_regular_input_is_an_error_row(tmp_path: Path, settings: Settings) -> None:
    """A FIFO among the inputs is one error row (never opened); the others are done."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    os.mkfifo(folder / "pipe.jsonl")
    os.symlink(folder / "gone.jsonl", folder / "dangling.jsonl")
    (folder / "good.jsonl").write_text(json.dumps({"id": "a", "text": "A reference"}) + "\n")
    run_batch([folder], tmp_path / "out", settings=settings, workers=0)
    rows = {Path(str(r["input_id"])).name: r for r in _jsonl_rows(tmp_path / "out")}
    assert rows["pipe.jsonl"]["status"] == "error" and "regular" in rows["pipe.jsonl"]["error"]
    assert rows["dangling.jsonl"]["status"] == "error"
    assert set(rows) == {"pipe.jsonl", "dangling.jsonl", "a"}


def test_unreadable_input_is_an_error_row(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that cannot be opened (no permission) is an error row naming it."""
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "a", "text": "A reference"}) + "\n")
    locked = tmp_path / "locked.jsonl"
    locked.write_text(json.dumps({"id": "b", "text": "Another"}) + "\n")
    real_open = Path.open

    def deny(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "locked.jsonl":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    run_batch([good, locked], tmp_path / "out", settings=settings, workers=0)
    rows = {Path(str(r["input_id"])).name: r for r in _jsonl_rows(tmp_path / "out")}
    assert rows["locked.jsonl"]["status"] == "error"
    assert "Permission denied" in rows["locked.jsonl"]["error"]


def test_missing_parquet_column_is_one_line(tmp_path: Path, settings: Settings) -> None:
    """--column naming no column of the file is an InputError naming both."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"text": ["A reference"]}), tmp_path / "refs.parquet")
    with pytest.raises(InputError, match=r"refs.parquet: no column 'ref' \(it has: text\)"):
        run_batch([tmp_path / "refs.parquet"], tmp_path / "out", settings=settings, column="ref")


def test_no_api_key_travels_in_the_tasks(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The function and partitions sent to the cluster, pickled as Dask does, hold no key."""
    from distributed.protocol.pickle import dumps

    keyed = Settings.load(
        env={},
        config_file=tmp_path / "none.toml",
        cache=False,
        snapshot_dir=settings.snapshot_dir,
        ncbi_api_key=KEY,
        openalex_api_key=KEY,
        openai_api_key=KEY,
    )
    assert KEY.encode() in dumps(keyed)  # the control: keys do show when sent
    sent: list[bytes] = []

    def capture(function: Any, items: Any, keys: Any, **kwargs: Any) -> None:
        sent.extend(dumps(function) + dumps(item) for item in items)

    monkeypatch.setattr(cluster, "run_tasks", capture)
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": "a", "text": "A reference"}) + "\n")
    run_batch([tmp_path / "in.jsonl"], tmp_path / "out", settings=keyed, workers=1)
    assert sent and not [p for p in sent if KEY.encode() in p]
    assert without_secrets(keyed).openalex_api_key is None


def test_workers_use_their_own_keys(
    hostile: Path, tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker given settings without keys takes them from its own environment."""
    import mesorefs.batch.work as work

    seen: list[Settings] = []
    monkeypatch.setenv("MESOREFS_OPENALEX_API_KEY", KEY)
    monkeypatch.setattr(work, "partition_rows", lambda p, s: seen.append(s) or iter(()))
    [partition] = plan([hostile], partition_rows=100)
    run_partition(partition, without_secrets(settings), tmp_path / "out", local_secrets=True)
    assert seen[0].secret("openalex_api_key") == KEY


def test_local_cluster_listens_on_loopback_only() -> None:
    """mesorefs' local cluster: scheduler, workers and dashboard on 127.0.0.1."""
    with cluster._client(1, None, None) as client:
        assert client.cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        assert client.dashboard_link.startswith("http://127.0.0.1:")
        me = psutil.Process()
        listening = {
            c.laddr.ip
            for p in [me, *me.children(recursive=True)]
            for c in p.net_connections(kind="inet")
            if c.status == psutil.CONN_LISTEN
        }
    assert listening == {"127.0.0.1"}


@pytest.mark.parametrize(
    ("address", "tls", "message"),
    [
        pytest.param("not a scheduler", None, "not a Dask scheduler address", id="garbage"),
        pytest.param("foo://h:1", None, "unknown address scheme", id="scheme"),
        pytest.param("tcp://", None, "not a Dask scheduler address", id="empty"),
        pytest.param(
            "tcp://127.0.0.1:1", ("ca.pem", "c.pem", "k.pem"), "need a tls://", id="tls-on-tcp"
        ),
        pytest.param("tls://127.0.0.1:1", ("ca.pem", None, None), "--tls-cert", id="no-cert"),
        pytest.param(
            "tls://127.0.0.1:1", ("ca.pem", "c.pem", "k.pem"), "no such TLS file", id="no-file"
        ),
    ],
)
def test_unusable_scheduler_is_one_line(
    tmp_path: Path, address: str, tls: Any, message: str
) -> None:
    """A scheduler address or TLS files that cannot be used: an InputError, at once."""
    started = time.monotonic()
    with pytest.raises(InputError, match=message), cluster._client(1, address, tls):
        pass
    assert time.monotonic() - started < 5


def test_tls_files_make_a_security(tmp_path: Path) -> None:
    """Given TLS files, the client requires encryption with them."""
    for name in ("ca.pem", "c.pem", "k.pem"):
        (tmp_path / name).write_text("x")
    files = tuple(str(tmp_path / n) for n in ("ca.pem", "c.pem", "k.pem"))
    security = cluster._security("tls://10.0.0.1:8786", files)
    assert security is not None and security.require_encryption
    assert security.tls_client_cert == files[1] and security.tls_ca_file == files[0]


def test_web_server_as_scheduler_fails_within_the_connect_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server that never greets like Dask: an InputError after CONNECT_TIMEOUT."""

    class Silent(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2.0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Silent)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    started = time.monotonic()
    try:
        address = f"tcp://127.0.0.1:{server.server_address[1]}"
        with (
            pytest.raises(InputError, match="no Dask scheduler answered"),
            cluster._client(1, address, None),
        ):
            pass
    finally:
        server.shutdown()
        server.server_close()
    assert time.monotonic() - started < 10
