"""Stand-ins for the network: a real HTTP server on 127.0.0.1 with handlers by path prefix.

Importable from any test (``tests/resolve/conftest.py`` wraps it in the ``local_server``
fixture; ``tests/test_pipeline.py`` starts it directly).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Handler", "LocalServer", "local_http_server", "reply", "send", "service_urls"]

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class LocalServer:
    url: str
    routes: dict[str, Handler]
    hits: list[str]


def service_urls(server: LocalServer) -> dict[str, str]:
    """Settings that send every service to ``server``, each under its own path."""
    return {
        "crossref_url": server.url,
        "doi_url": server.url + "/doi",
        "datacite_url": server.url + "/datacite",
        "pubmed_url": server.url + "/eutils",
        "openalex_url": server.url + "/openalex",
        "arxiv_url": server.url + "/arxiv",
    }


@contextmanager
def local_http_server() -> Iterator[LocalServer]:
    """A real HTTP server on 127.0.0.1 (port 0); callers register handlers by path prefix."""
    routes: dict[str, Handler] = {}
    hits: list[str] = []

    class _Handler(BaseHTTPRequestHandler):
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            self.do_GET()  # handlers read the body themselves

        def do_GET(self) -> None:
            hits.append(self.path)
            for prefix in sorted(routes, key=len, reverse=True):
                if self.path.startswith(prefix):
                    routes[prefix](self)
                    return
            send(self, 404, b"Resource not found.", "text/plain")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield LocalServer(f"http://127.0.0.1:{server.server_address[1]}", routes, hits)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def send(
    request: BaseHTTPRequestHandler,
    status: int,
    body: str | bytes = b"",
    content_type: str = "application/json",
    **headers: str,
) -> None:
    """Answer ``request`` with ``status`` and ``body``."""
    payload = body.encode("utf-8") if isinstance(body, str) else body
    request.send_response(status)
    request.send_header("Content-Type", content_type)
    request.send_header("Content-Length", str(len(payload)))
    for name, value in headers.items():
        request.send_header(name.replace("_", "-"), value)
    request.end_headers()
    request.wfile.write(payload)


def reply(
    status: int, body: str | bytes = b"", content_type: str = "application/json", **headers: str
) -> Handler:
    """A handler that sends a fixed answer."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        send(request, status, body, content_type, **headers)

    return handle
