"""Safety cases of the snapshot and batch commands (issue 27, area "distributed").

Every case works inside the temporary folder it is given: snapshots, victims, sources,
FIFOs and outputs are all made there.  Commands run as a user runs them
(``python -m mesorefs.cli``), with a config file and cache of their own in that folder.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from benchmarks.safety.case import Case, Result

KEY = "sk-safety-bench-1f2e3d4c5b6a"


# -- helpers -----------------------------------------------------------------------------


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "MESOREFS_CONFIG": os.devnull,
            "MESOREFS_CACHE_DIR": str(tmp / "cache"),
            "MESOREFS_OFFLINE": "1",
            "NO_COLOR": "1",
        }
    )
    env.update(extra)
    return env


def _cli(
    tmp: Path, *args: str, timeout: float = 120, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mesorefs.cli", *args],
        cwd=tmp,
        env=_env(tmp, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _one_line_error(run: subprocess.CompletedProcess[str], *names: str) -> Result:
    """Held when the command failed with one error line naming each of ``names``."""
    lines = [line for line in run.stderr.splitlines() if line.startswith("mesorefs: error:")]
    shown = (lines or run.stderr.strip().splitlines() or [""])[-1][:150]
    if "Traceback" in run.stderr or "Traceback" in run.stdout:
        return Result(False, f"traceback: {run.stderr.strip().splitlines()[-1][:150]}")
    if run.returncode == 0:
        return Result(False, "exit 0")
    if not lines or not all(any(n in line for line in lines) for n in names):
        return Result(False, f"exit {run.returncode}, no error line naming {names}: {shown}")
    return Result(True, f"exit {run.returncode}: {shown}")


def _items(count: int = 5, prefix: str = "10.5555/safety") -> list[dict[str, Any]]:
    return [
        {
            "DOI": f"{prefix}.{n}",
            "type": "journal-article",
            "title": [f"Field observations of wading birds, part {n}"],
            "author": [{"given": "Ada", "family": f"Lovelace{n}"}],
            "container-title": ["Journal of Safety Cases"],
            "issued": {"date-parts": [[2001 + n]]},
            "volume": str(n),
        }
        for n in range(count)
    ]


def _source(tmp: Path, name: str = "items.json.gz", items: list[Any] | None = None) -> Path:
    path = tmp / "sources" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(json.dumps({"items": items or _items()}).encode()))
    return path


def _snapshot(tmp: Path) -> Path:
    """A snapshot of a few records, built by the command line."""
    run = _cli(tmp, "snapshot", "build", str(_source(tmp)), "-o", str(tmp / "snap"))
    if run.returncode != 0:
        raise RuntimeError(f"the first build failed: {run.stderr[-300:]}")
    return tmp / "snap"


def _manifest(snap: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((snap / "manifest.json").read_text())
    return data


def _write_manifest(snap: Path, data: dict[str, Any]) -> None:
    (snap / "manifest.json").write_text(json.dumps(data))


def _rebuild(tmp: Path) -> subprocess.CompletedProcess[str]:
    more = _source(tmp, "more.json.gz", _items(3, "10.5555/more"))
    return _cli(tmp, "snapshot", "build", str(more), "-o", str(tmp / "snap"))


# -- deleting what is not ours ---------------------------------------------------------


def _victim(tmp: Path) -> Path:
    victim = tmp / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("not mesorefs' file\n")
    return victim


def _escape(make_path: Callable[[Path, Path], str]) -> Callable[[Path], Result]:
    def run(tmp: Path) -> Result:
        snap = _snapshot(tmp)
        victim = _victim(tmp)
        manifest = _manifest(snap)
        manifest["indexes"]["crossref"] = make_path(snap, victim)
        _write_manifest(snap, manifest)
        result = _one_line_error(_rebuild(tmp), "manifest.json", "indexes.crossref")
        if not (victim / "keep.txt").is_file():
            return Result(False, "the victim folder outside the snapshot was deleted")
        return result

    return run


def _orphan(tmp: Path) -> Result:
    """A build killed while writing its index leaves a folder; the next build removes it,
    and leaves a folder it did not make (no marker) alone."""
    source = _source(tmp)
    killer = (
        "import os, sys\n"
        "import mesorefs.snapshot.build as b\n"
        "def killed(folder, records, threads=2):\n"
        "    (folder / 'half-written').write_text('x')\n"
        "    os._exit(9)\n"
        "b.build_index = killed\n"
        "b.build_snapshot(sys.argv[1:2], sys.argv[2])\n"
    )
    subprocess.run(
        [sys.executable, "-c", killer, str(source), str(tmp / "snap")],
        env=_env(tmp),
        check=False,
        timeout=60,
    )
    orphans = sorted((tmp / "snap" / "index").glob("crossref-*"))
    if not orphans:
        return Result(False, "the killed build left no index folder to test with")
    foreign = tmp / "snap" / "index" / "crossref-20200101T000000-abcdef"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("no marker: not ours\n")
    run = _cli(tmp, "snapshot", "build", str(source), "-o", str(tmp / "snap"))
    if run.returncode != 0:
        return Result(False, f"rebuild failed: {run.stderr[-150:]}")
    left = [p.name for p in orphans if p.exists()]
    if left:
        return Result(False, f"orphan index folders left: {left}")
    if not (foreign / "keep.txt").is_file():
        return Result(False, "a folder without mesorefs' marker was deleted")
    named = set(_manifest(tmp / "snap")["indexes"].values())
    return Result(True, f"orphan removed, foreign folder kept, manifest names {sorted(named)}")


def _managed_mode(tmp: Path) -> Result:
    """Index files are 0644 under umask 022 (tantivy's .managed.json was 0600)."""
    old = os.umask(0o022)
    try:
        snap = _snapshot(tmp)
    finally:
        os.umask(old)
    modes = {
        p.name: stat.S_IMODE(p.stat().st_mode) for p in (snap / "index").rglob("*") if p.is_file()
    }
    managed = [m for n, m in modes.items() if n == ".managed.json"]
    wrong = {n: oct(m) for n, m in modes.items() if m != 0o644}
    if not managed:
        return Result(False, "no .managed.json in the index")
    return Result(not wrong, f"modes not 0644: {wrong}" if wrong else "every index file 0644")


# -- batch and Dask --------------------------------------------------------------------


def _loopback(tmp: Path) -> Result:
    """mesorefs' local cluster: scheduler, workers and dashboard on 127.0.0.1 only."""
    import psutil

    from mesorefs.batch.cluster import _client

    with _client(1, None, None) as client:
        cluster = client.cluster
        addresses = {str(cluster.scheduler_address), str(client.dashboard_link)}
        listening = set()
        me = psutil.Process()
        for process in [me, *me.children(recursive=True)]:
            for conn in process.net_connections(kind="inet"):
                if conn.status == psutil.CONN_LISTEN:
                    listening.add(conn.laddr.ip)
    wide = sorted(ip for ip in listening if ip != "127.0.0.1")
    if wide or not listening:
        return Result(False, f"listening on {sorted(listening)}; {sorted(addresses)}")
    return Result(True, f"listening on {sorted(listening)}; {sorted(addresses)}")


def _secret_in_task(tmp: Path) -> Result:
    """The task sent to the workers, pickled as Dask pickles it, holds no API key."""
    from distributed.protocol.pickle import dumps

    import mesorefs.batch.cluster as cluster
    from mesorefs.batch import run_batch
    from mesorefs.settings import Settings

    settings = Settings.load(
        env={},
        config_file=tmp / "none.toml",
        cache_dir=tmp / "cache",
        offline=True,
        openalex_api_key=KEY,
        ncbi_api_key=KEY,
        openai_api_key=KEY,
    )
    if KEY.encode() not in dumps(settings):
        return Result(False, "the control (settings with keys) does not show the key")
    (tmp / "in.jsonl").write_text(json.dumps({"id": "a", "text": "Some reference"}) + "\n")
    sent: list[bytes] = []

    def capture(function: Any, items: Any, keys: Any, **kwargs: Any) -> None:
        sent.extend(dumps(function) + dumps(item) for item in items)

    cluster.run_tasks = capture
    run_batch([tmp / "in.jsonl"], tmp / "out", settings=settings, workers=1)
    if not sent:
        return Result(False, "no task was sent")
    leaked = sum(KEY.encode() in payload for payload in sent)
    return Result(not leaked, f"{leaked} of {len(sent)} pickled tasks hold the key")


_LINES = [
    json.dumps({"id": "good-1", "text": "Lovelace A. Field observations. 2001."}),
    "[" * 100_000 + "]" * 100_000,
    '{"id": "\\ud800", "text": "Lovelace A. Wading birds. 2002."}',
    '{"id": "lone-text", "text": "Wading \\udc00 birds"}',
    "not JSON at all",
    json.dumps({"id": "empty", "text": ""}),
    json.dumps("A plain string reference, 2003."),
    "",
    json.dumps({"id": "good-2", "text": "Journal of Safety Cases 4 (2005)."}),
    json.dumps({"text": "no id at all, 2006"}),
]


def _rows_per_line(workers: int) -> Callable[[Path], Result]:
    def run(tmp: Path) -> Result:
        source = tmp / "in.jsonl"
        source.write_text("\n".join(_LINES) + "\n", encoding="utf-8")
        run = _cli(
            tmp,
            "batch",
            str(source),
            "-o",
            str(tmp / "out"),
            "--workers",
            str(workers),
            "--partition-rows",
            "4",
            timeout=150,
        )
        if "Traceback" in run.stderr:
            return Result(False, f"traceback: {run.stderr.strip().splitlines()[-1][:150]}")
        jsonl = [
            json.loads(line)
            for path in sorted((tmp / "out" / "jsonl").glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()
        ]
        import pyarrow.parquet as pq

        parquet = sum(
            pq.read_metadata(p).num_rows for p in (tmp / "out" / "parquet").glob("*.parquet")
        )
        errors = sum(r["status"] == "error" for r in jsonl)
        detail = f"{len(_LINES)} lines: {len(jsonl)} JSONL rows, {parquet} Parquet rows"
        held = len(jsonl) == parquet == len(_LINES) and errors >= 5 and run.returncode == 1
        return Result(held, f"{detail}, {errors} errors, exit {run.returncode}")

    return run


def _unreadable_input(tmp: Path) -> Result:
    """A FIFO among the inputs is one error row (never opened); the rest is done."""
    folder = tmp / "inputs"
    folder.mkdir()
    os.mkfifo(folder / "pipe.jsonl")
    (folder / "good.jsonl").write_text(json.dumps({"id": "a", "text": "A reference"}) + "\n")
    run = _cli(tmp, "batch", str(folder), "-o", str(tmp / "out"), "--workers", "0", timeout=25)
    if "Traceback" in run.stderr:
        return Result(False, f"traceback: {run.stderr.strip().splitlines()[-1][:150]}")
    rows = [
        json.loads(line)
        for path in (tmp / "out" / "jsonl").glob("*.jsonl")
        for line in path.read_text().splitlines()
    ]
    pipe = [r for r in rows if str(r["input_id"]).endswith("pipe.jsonl")]
    held = len(rows) == 2 and len(pipe) == 1 and pipe[0]["status"] == "error"
    return Result(held, f"{len(rows)} rows; the FIFO's: {pipe[0]['error'] if pipe else None}")


def _missing_column(tmp: Path) -> Result:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"text": ["A reference"]}), tmp / "refs.parquet")
    run = _cli(tmp, "batch", "refs.parquet", "-o", "out", "--workers", "0", "--column", "ref")
    return _one_line_error(run, "refs.parquet", "'ref'")


def _garbage_scheduler(address: str) -> Callable[[Path], Result]:
    def run(tmp: Path) -> Result:
        (tmp / "in.jsonl").write_text(json.dumps({"id": "a", "text": "A reference"}) + "\n")
        ran = _cli(tmp, "batch", "in.jsonl", "-o", "out", "--scheduler", address, timeout=25)
        return _one_line_error(ran, address)

    return run


def _http_scheduler(tmp: Path) -> Result:
    """A web server given as the scheduler: a one-line error within the connect timeout."""

    class Quiet(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        address = f"tcp://127.0.0.1:{server.server_address[1]}"
        started = time.monotonic()
        result = _garbage_scheduler(address)(tmp)
        seconds = time.monotonic() - started
    finally:
        server.shutdown()
    return Result(result.held and seconds < 30, f"{seconds:.0f} s; {result.detail}")


# -- snapshot inputs and damaged snapshots -----------------------------------------------


def _bad_source(text: bytes, expect: str) -> Callable[[Path], Result]:
    """A source file beside a good one: the good one is built, the bad one is either a
    skipped file (exit 1) or records counted unusable/kept; never a traceback."""

    def run(tmp: Path) -> Result:
        good = _source(tmp)
        bad = tmp / "sources" / "bad.json"
        bad.write_bytes(text)
        ran = _cli(tmp, "snapshot", "build", str(good), str(bad), "-o", "snap", "--json")
        if "Traceback" in ran.stderr:
            return Result(False, f"traceback: {ran.stderr.strip().splitlines()[-1][:150]}")
        try:
            report = json.loads(ran.stdout)
        except ValueError:
            return Result(False, f"exit {ran.returncode}: {ran.stderr.strip()[-150:]}")
        records, skipped = report["records"], report["skipped"]
        if expect == "skipped":
            held = ran.returncode == 1 and len(skipped) == 1 and records == len(_items())
        else:
            held = ran.returncode == 0 and not skipped and records >= len(_items())
        return Result(
            held,
            f"exit {ran.returncode}, {records} records, {report['unusable']} unusable, "
            f"skipped {[s[1][:60] for s in skipped]}",
        )

    return run


def _crossref_item(raw_year: str = "2020", title: str = '"A title"') -> bytes:
    return (
        '{"items": [{"DOI": "10.5555/odd", "type": "journal-article", '
        f'"title": [{title}], "issued": {{"date-parts": [[{raw_year}]]}}}}]}}'
    ).encode()


def _manifest_value(value: Any) -> Callable[[Path], Result]:
    def run(tmp: Path) -> Result:
        snap = _snapshot(tmp)
        manifest = _manifest(snap)
        if value is _MISSING:
            del manifest["partitions"]
        else:
            manifest["partitions"] = value
        _write_manifest(snap, manifest)
        return _one_line_error(_rebuild(tmp), "manifest.json", "partitions")

    return run


_MISSING = object()


def _truncated_partition(tmp: Path) -> Result:
    snap = _snapshot(tmp)
    part = max((snap / "records").glob("*.parquet"), key=lambda p: p.stat().st_size)
    part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])
    return _one_line_error(_rebuild(tmp), part.name)


def _resolve_against(tmp: Path, snap: Path) -> subprocess.CompletedProcess[str]:
    (tmp / "refs.bib").write_text(
        "@article{a, title={Field observations of wading birds, part 1}, doi={10.5555/safety.1}}\n"
    )
    return _cli(tmp, "resolve", "refs.bib", "--dry-run", "--snapshot-dir", str(snap), timeout=60)


def _damaged_read(damage: Callable[[Path], str]) -> Callable[[Path], Result]:
    """Resolving against a damaged snapshot: an error naming the damaged file, no
    traceback (exit 2 as a one-line error, or exit 1 with the error as the entry's)."""

    def run(tmp: Path) -> Result:
        snap = _snapshot(tmp)
        name = damage(snap)
        ran = _resolve_against(tmp, snap)
        output = ran.stdout + ran.stderr
        if "Traceback" in output:
            return Result(False, f"traceback: {ran.stderr.strip().splitlines()[-1][:150]}")
        shown = next((line for line in output.splitlines() if name in line), "")
        held = ran.returncode != 0 and bool(shown)
        return Result(held, f"exit {ran.returncode}: {shown.strip()[:150] or output[-150:]}")

    return run


def _garbage_versions(snap: Path) -> str:
    (snap / "versions.parquet").write_bytes(b"PAR1 this is not Parquet at all PAR1")
    return "versions.parquet"


def _index(snap: Path) -> Path:
    return snap / str(_manifest(snap)["indexes"]["crossref"])


def _deleted_index_file(snap: Path) -> str:
    (_index(snap) / "meta.json").unlink()
    return _index(snap).name


def _truncated_index_files(snap: Path) -> str:
    for path in _index(snap).glob("*.store"):
        path.write_bytes(path.read_bytes()[:20])
    return _index(snap).name


def _deleted_index_folder(snap: Path) -> str:
    folder = _index(snap)
    shutil.rmtree(folder)
    return folder.name


def _gzip_bomb(tmp: Path) -> Result:
    """2 MiB of gzip that decompresses to 2 GiB of zeros: refused, under 500 MB."""
    bomb = tmp / "sources" / "bomb.json.gz"
    bomb.parent.mkdir(parents=True, exist_ok=True)
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
    zeros = bytes(2**20)
    with bomb.open("wb") as out:
        for _ in range(2048):
            out.write(squeeze.compress(zeros))
        out.write(squeeze.flush())
    size = bomb.stat().st_size
    good = _source(tmp)
    ran = _cli(tmp, "snapshot", "build", str(good), str(bomb), "-o", "snap", "--json")
    if "Traceback" in ran.stderr:
        return Result(False, f"traceback: {ran.stderr.strip().splitlines()[-1][:150]}")
    report = json.loads(ran.stdout)
    held = ran.returncode == 1 and [s[0] for s in report["skipped"]] == [str(bomb)]
    reasons = [s[1][:80] for s in report["skipped"]]
    return Result(held, f"{size / 2**20:.1f} MiB bomb: exit {ran.returncode}, {reasons}")


def _dev_zero(tmp: Path) -> Result:
    ran = _cli(tmp, "snapshot", "build", "/dev/zero", "-o", "snap", timeout=20)
    return _one_line_error(ran, "/dev/zero", "not a regular file")


def _fifo_source(tmp: Path) -> Result:
    fifo = tmp / "source.json.gz"
    os.mkfifo(fifo)
    started = time.monotonic()
    ran = _cli(tmp, "snapshot", "build", str(fifo), "-o", "snap", timeout=9)
    result = _one_line_error(ran, "source.json.gz", "not a regular file")
    return Result(result.held, f"{time.monotonic() - started:.1f} s; {result.detail}")


_DEEP = b"[" * 100_000 + b"]" * 100_000

CASES = [
    Case(
        "dist-manifest-escape-absolute",
        "snapshot build deletes the folder an absolute manifest path names",
        _escape(lambda snap, victim: str(victim)),
        seconds=60,
    ),
    Case(
        "dist-manifest-escape-dotdot",
        "snapshot build deletes the folder a ../ manifest path names",
        _escape(lambda snap, victim: "index/../../victim"),
        seconds=60,
    ),
    Case(
        "dist-orphan-index",
        "a killed build's index folder is never removed",
        _orphan,
        seconds=90,
    ),
    Case(
        "dist-managed-json-mode",
        "the index's .managed.json is 0600: other accounts cannot open a shared snapshot",
        _managed_mode,
        seconds=60,
    ),
    Case(
        "dist-cluster-loopback",
        "the local cluster's dashboard listens on 0.0.0.0",
        _loopback,
        seconds=90,
    ),
    Case(
        "dist-task-secret",
        "API keys travel pickled in every task sent to the workers",
        _secret_in_task,
        seconds=60,
    ),
    Case(
        "dist-rows-per-line-w0",
        "one bad line (deep JSON, lone surrogate) stops the batch under --workers 0",
        _rows_per_line(0),
        seconds=90,
    ),
    Case(
        "dist-rows-per-line-w2",
        "with workers one bad line collapses its partition into one Parquet-only row",
        _rows_per_line(2),
        seconds=150,
    ),
    Case(
        "dist-unreadable-input",
        "an unreadable input (a FIFO) is an error row, the batch goes on",
        _unreadable_input,
        seconds=30,
    ),
    Case(
        "dist-parquet-missing-column",
        "a missing Parquet column raises a traceback",
        _missing_column,
        seconds=60,
    ),
    Case(
        "dist-scheduler-garbage",
        "a garbage --scheduler address raises a traceback",
        _garbage_scheduler("not a scheduler"),
        seconds=30,
    ),
    Case(
        "dist-scheduler-bad-scheme",
        "a --scheduler with an unknown scheme raises a traceback",
        _garbage_scheduler("foo://127.0.0.1:1"),
        seconds=30,
    ),
    Case(
        "dist-scheduler-http",
        "an HTTP server given as the scheduler hangs the batch for 300 s",
        _http_scheduler,
        seconds=30,
    ),
    Case(
        "dist-snap-deep-json",
        "a source of JSON nested 100,000 deep aborts the build with a traceback",
        _bad_source(_DEEP, "skipped"),
        seconds=60,
    ),
    Case(
        "dist-snap-deep-jsonl",
        "a JSON Lines source with a line nested 100,000 deep aborts the build",
        _bad_source(
            json.dumps({"id": "https://openalex.org/W1", "title": "x"}).encode()
            + b"\n"
            + _DEEP
            + b"\n",
            "skipped",
        ),
        seconds=60,
    ),
    Case(
        "dist-snap-year-1e999",
        "a year of 1e999 aborts the build with a traceback",
        _bad_source(_crossref_item("1e999"), "built"),
        seconds=60,
    ),
    Case(
        "dist-snap-year-10e30",
        "a year of 10**30 aborts the build with a traceback",
        _bad_source(_crossref_item(str(10**30)), "built"),
        seconds=60,
    ),
    Case(
        "dist-snap-lone-surrogate",
        "a lone surrogate in a record aborts the build with a traceback",
        _bad_source(_crossref_item(title='"Wading \\ud800 birds"'), "built"),
        seconds=60,
    ),
    Case(
        "dist-snap-bad-source-skipped",
        "one bad source file aborts the whole build instead of being skipped",
        _bad_source(gzip.compress(b'{"items": [')[:-4], "skipped"),
        seconds=60,
    ),
    Case(
        "dist-manifest-partitions-0",
        "a manifest with partitions 0 raises a traceback",
        _manifest_value(0),
        seconds=60,
    ),
    Case(
        "dist-manifest-partitions-abc",
        'a manifest with partitions "abc" raises a traceback',
        _manifest_value("abc"),
        seconds=60,
    ),
    Case(
        "dist-manifest-partitions-missing",
        "a manifest without partitions raises a traceback",
        _manifest_value(_MISSING),
        seconds=60,
    ),
    Case(
        "dist-snap-truncated-partition",
        "a truncated records partition raises a traceback",
        _truncated_partition,
        seconds=60,
    ),
    Case(
        "dist-snap-garbage-versions",
        "a garbage versions.parquet raises a traceback",
        _damaged_read(_garbage_versions),
        seconds=60,
    ),
    Case(
        "dist-snap-index-file-deleted",
        "a deleted index file raises a traceback",
        _damaged_read(_deleted_index_file),
        seconds=60,
    ),
    Case(
        "dist-snap-index-files-truncated",
        "truncated index files raise a traceback",
        _damaged_read(_truncated_index_files),
        seconds=60,
    ),
    Case(
        "dist-snap-index-folder-deleted",
        "a deleted index folder raises a traceback",
        _damaged_read(_deleted_index_folder),
        seconds=60,
    ),
    Case(
        "dist-snap-gzip-bomb",
        "a 2 MiB gzip bomb takes 4.4 GB",
        _gzip_bomb,
        seconds=120,
        megabytes=500,
    ),
    Case(
        "dist-snap-dev-zero",
        "/dev/zero as a source raises MemoryError",
        _dev_zero,
        seconds=30,
    ),
    Case(
        "dist-snap-fifo-source",
        "a FIFO as a source hangs the build",
        _fifo_source,
        seconds=10,
    ),
]
