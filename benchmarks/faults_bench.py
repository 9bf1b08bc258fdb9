"""Server faults against `mesorefs resolve`: wall time, peak memory and outcome per case.

A loopback HTTP server stands in for every service (Crossref, doi.org, DataCite, PubMed,
OpenAlex, arXiv) and misbehaves one way per case: 500s, 429 storms, bodies or headers
dripped a byte at a time, a 40 s stall, connection resets, a 50 MB body, a 1 MiB gzip
body that expands to 1 GiB, JSON nested 100,000 deep, NaN, and records whose identifiers
are not valid.  Each case runs `mesorefs resolve` on the repository's references.bib
(7 entries) in a fresh process with default settings (and a fresh cache), and checks the
targets: within the case's deadline (60 s by default), peak memory under 500 MB, no
invalid identifier written, input untouched.

    python benchmarks/faults_bench.py                   # every case
    python benchmarks/faults_bench.py stall-40s reset   # some cases

Figures, dates and targets of every benchmark: benchmarks/README.md.

Last run (2026-12-02, 2 shared cores, `python benchmarks/faults_bench.py`; "error" is an
entry reported as failed, with its reason, which is what a broken server should give)::

    gzip bomb: 1.0 MiB expanding to 1024 MiB
    case                        wall s  limit  peak MB  ok  outcome
    not-found                      2.5     60      139  yes 2 error, 5 not_found
    500                           10.3     60      139  yes 7 error
    429-storm                     32.6     60      139  yes 7 error
    429-twice-per-url             35.4     60      139  yes 2 error, 5 not_found
    drip-headers                  30.8     60      139  yes 7 error
    drip-body                     30.9     60      139  yes 7 error
    stall-40s                     30.9     60      139  yes 7 error
    stall-40s --deadline 10       11.1     15      139  yes 7 error
    reset                         10.6     60      139  yes 7 error
    huge-50MB                      2.4     60      139  yes 7 error
    huge-chunked                   1.9     60      166  yes 7 error
    gzip-bomb-1GiB                 1.6     60      168  yes 7 error
    deep-json                      1.7     60      139  yes 7 error
    nan                            1.7     60      139  yes 7 error
    invalid-identifiers            1.6     60      139  yes 7 matched
    15/15 cases within every target
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.resolve.fakes import local_http_server, reply, send  # noqa: E402

from mesorefs.errors import InvalidIdentifier  # noqa: E402
from mesorefs.identifiers import normalize_doi  # noqa: E402
from mesorefs.library import Library  # noqa: E402

BIB = ROOT / "references.bib"
_MEASURED_CLI = """
import atexit, os, resource, sys
def _peak():
    with open(os.environ["FAULTS_PEAK_FILE"], "w") as out:
        out.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
atexit.register(_peak)
sys.argv[0] = "mesorefs"
from mesorefs.cli import main
main()
"""
"""`mesorefs` in a process that writes its own peak resident memory (kB) when it exits."""
MEMORY_LIMIT_MB = 500
Handler = Callable[[BaseHTTPRequestHandler], None]


def _quietly(handle: Handler) -> Handler:
    """Handlers write to a client that may have hung up on purpose."""

    def wrapped(request: BaseHTTPRequestHandler) -> None:
        with contextlib.suppress(OSError):
            handle(request)

    return wrapped


def drip(head: bytes, body: bytes, pause: float = 0.5) -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        request.wfile.write(head)
        request.wfile.flush()
        for byte in body:
            time.sleep(pause)
            request.wfile.write(bytes([byte]))
            request.wfile.flush()

    return _quietly(handle)


def stall(seconds: float) -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        send(request, 404, b"late")

    return _quietly(handle)


def reset(request: BaseHTTPRequestHandler) -> None:
    """Close with RST before answering."""
    request.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    request.connection.close()
    request.close_connection = True


def twice_429_per_url() -> Handler:
    seen: Counter[str] = Counter()
    lock = threading.Lock()

    def handle(request: BaseHTTPRequestHandler) -> None:
        with lock:
            seen[request.path] += 1
            count = seen[request.path]
        if count <= 2:
            send(request, 429, b"", Retry_After="1")
        else:
            send(request, 404, b"Resource not found.", "text/plain")

    return handle


def chunked(body_chunk: bytes, total: int) -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/json")
        request.end_headers()
        sent = 0
        while sent < total:
            request.wfile.write(body_chunk)
            sent += len(body_chunk)

    return _quietly(handle)


def gzip_bomb(expanded: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b" " * (1024 * 1024)
    parts = [compressor.compress(block) for _ in range(expanded // len(block))]
    return b"".join(parts) + compressor.flush()


def crossref_item(reference: object, doi: str) -> dict[str, object]:
    ref = reference  # a mesorefs Reference
    item: dict[str, object] = {
        "type": "journal-article",
        "title": [ref.title],  # type: ignore[attr-defined]
        "author": [
            {"family": p.family, "given": p.given}
            for p in ref.authors  # type: ignore[attr-defined]
        ],
        "DOI": doi,
    }
    if ref.issued:  # type: ignore[attr-defined]
        item["issued"] = {"date-parts": [[ref.issued.year]]}  # type: ignore[attr-defined]
    if ref.container_title:  # type: ignore[attr-defined]
        item["container-title"] = [ref.container_title]  # type: ignore[attr-defined]
    return item


def invalid_identifiers() -> Handler:
    """Records that match each entry, with DOI ``not-a-doi`` (and a bad PMID in PubMed)."""
    references = Library.read(BIB).references
    by_doi = {(r.doi or "").lower(): r for r in references if r.doi}
    items = [crossref_item(r, "not-a-doi") for r in references]

    def handle(request: BaseHTTPRequestHandler) -> None:
        path = request.path
        if path.startswith("/crossref/works?"):
            body = {"status": "ok", "message-type": "work-list", "message": {"items": items}}
            send(request, 200, json.dumps(body))
            return
        match = re.match(r"/crossref/works/(.+)$", path)
        if match:
            from urllib.parse import unquote

            ref = by_doi.get(unquote(match.group(1)).lower())
            if ref is not None:
                body = {
                    "status": "ok",
                    "message-type": "work",
                    "message": crossref_item(ref, "not-a-doi"),
                }
                send(request, 200, json.dumps(body))
                return
        if path.startswith("/eutils/esearch"):
            send(request, 200, json.dumps({"esearchresult": {"count": "1", "idlist": ["x12"]}}))
            return
        send(request, 404, b"Resource not found.", "text/plain")

    return handle


def cases(bomb: bytes) -> dict[str, tuple[Handler, list[str], float]]:
    """name -> (handler for every path, extra CLI arguments, deadline in seconds)."""
    huge = b'{"status":"ok","message":{"title":["' + b"x" * (50 * 1024 * 1024) + b'"]}}'
    default = 60.0
    return {
        "not-found": (reply(404, b"Resource not found.", "text/plain"), [], default),
        "500": (reply(500, b"oops", "text/plain"), [], default),
        "429-storm": (reply(429, b"", Retry_After="1"), [], default),
        "429-twice-per-url": (twice_429_per_url(), [], default),
        "drip-headers": (drip(b"HTTP/1.1 200 OK\r\n", b"X-Slow: " + b"a" * 200), [], default),
        "drip-body": (
            drip(b"HTTP/1.1 200 OK\r\nContent-Length: 400\r\n\r\n", b" " * 400),
            [],
            default,
        ),
        "stall-40s": (stall(40.0), [], default),
        "stall-40s --deadline 10": (stall(40.0), ["--deadline", "10"], 15.0),
        "reset": (reset, [], default),
        "huge-50MB": (_quietly(reply(200, huge)), [], default),
        "huge-chunked": (chunked(b"x" * 65536, 200 * 1024 * 1024), [], default),
        "gzip-bomb-1GiB": (_quietly(reply(200, bomb, Content_Encoding="gzip")), [], default),
        "deep-json": (reply(200, "[" * 100_000), [], default),
        "nan": (reply(200, '{"status": "ok", "message": NaN}'), [], default),
        "invalid-identifiers": (invalid_identifiers(), [], default),
    }


def written_identifiers_valid(path: Path) -> bool:
    if not path.exists():
        return True
    for reference in Library.read(path).references:
        if reference.doi:
            try:
                normalize_doi(reference.doi)
            except InvalidIdentifier:
                return False
    return True


def run_case(
    name: str, handler: Handler, extra: list[str], deadline: float, work: Path
) -> dict[str, object]:
    with local_http_server() as server:
        server.routes["/"] = handler
        env = dict(os.environ)
        env.update(
            {
                "MESOREFS_CROSSREF_URL": server.url + "/crossref",
                "MESOREFS_DOI_URL": server.url + "/doi",
                "MESOREFS_DATACITE_URL": server.url + "/datacite",
                "MESOREFS_PUBMED_URL": server.url + "/eutils",
                "MESOREFS_OPENALEX_URL": server.url + "/openalex",
                "MESOREFS_ARXIV_URL": server.url + "/arxiv",
                "MESOREFS_CACHE_DIR": str(work / f"cache-{abs(hash(name))}"),
                "MESOREFS_CONFIG": os.devnull,
            }
        )
        source = work / "refs.bib"
        source.write_bytes(BIB.read_bytes())
        before = hashlib.sha256(source.read_bytes()).hexdigest()
        output = work / "out.bib"
        output.unlink(missing_ok=True)
        peak_file = work / "peak"
        peak_file.unlink(missing_ok=True)
        env["FAULTS_PEAK_FILE"] = str(peak_file)
        command = [sys.executable, "-c", _MEASURED_CLI, "resolve", str(source)]
        command += ["-o", str(output), "--json", *extra]
        started = time.monotonic()
        child = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        killed = False
        try:
            stdout, stderr = child.communicate(timeout=max(deadline * 3, 120))
        except subprocess.TimeoutExpired:
            child.kill()
            stdout, stderr = child.communicate()
            killed = True
        wall = time.monotonic() - started
    peak_kb = peak_file.read_text() if peak_file.exists() else ""
    peak_mb = int(peak_kb) / 1024 if peak_kb.isdigit() else float("nan")
    statuses: Counter[str] = Counter()
    with contextlib.suppress(ValueError, KeyError):
        for row in json.loads(stdout)["results"]:
            statuses[row["status"]] += 1
    outcome = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())) or (
        stderr.strip().splitlines()[-1][:70] if stderr.strip() else f"exit {child.returncode}"
    )
    untouched = hashlib.sha256(source.read_bytes()).hexdigest() == before
    valid = written_identifiers_valid(output)
    within = wall <= deadline and not killed
    ok = within and peak_mb < MEMORY_LIMIT_MB and valid and untouched  # nan fails
    return {
        "case": name,
        "wall_s": round(wall, 1),
        "deadline_s": deadline,
        "peak_mb": "?" if peak_mb != peak_mb else round(peak_mb),
        "exit": child.returncode,
        "outcome": outcome,
        "valid_ids": valid,
        "input_untouched": untouched,
        "ok": ok,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="only these cases (default: all)")
    args = parser.parse_args()
    bomb = gzip_bomb(1024 * 1024 * 1024)
    print(f"gzip bomb: {len(bomb) / 1024 / 1024:.1f} MiB expanding to 1024 MiB")
    chosen = cases(bomb)
    names = args.cases or list(chosen)
    print(f"{'case':26s} {'wall s':>7s} {'limit':>6s} {'peak MB':>8s}  {'ok':3s} outcome")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            handler, extra, deadline = chosen[name]
            row = run_case(name, handler, extra, deadline, Path(tmp))
            results.append(row)
            print(
                f"{name:26s} {row['wall_s']:7.1f} {deadline:6.0f} {row['peak_mb']:>8}  "
                f"{'yes' if row['ok'] else 'NO':3s} {row['outcome']}"
                + ("" if row["valid_ids"] else "  INVALID IDENTIFIER WRITTEN")
                + ("" if row["input_untouched"] else "  INPUT CHANGED"),
                flush=True,
            )
    failed = [r["case"] for r in results if not r["ok"]]
    print(
        f"{len(results) - len(failed)}/{len(results)} cases within every target"
        + (f"; missed: {', '.join(map(str, failed))}" if failed else "")
    )


if __name__ == "__main__":
    main()
