"""Running partitions on Dask (the only module that imports dask and distributed).

By default a local cluster of worker processes, one thread each (the work is Python,
so threads would share one interpreter lock), that listens on the loopback interface
only (127.0.0.1; its dashboard too), so no other machine can reach it.  With
``scheduler`` an existing cluster: ``tls://host:8786`` with the TLS files given
(:class:`distributed.Security`; the CA that signed the cluster's certificates, and this
client's certificate and key) or, without them, those of Dask's own configuration
(``distributed.comm.tls.ca-file``, ``distributed.comm.tls.client.cert`` and ``.key``).
A plain ``tcp://`` scheduler anyone can reach runs anyone's code: use TLS beyond one
machine.  The scheduler must answer within :data:`CONNECT_TIMEOUT` seconds.

A task whose worker dies is run again elsewhere by Dask; one that kills its workers
:data:`ALLOWED_FAILURES` times comes back as an error.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import dask
from distributed import Client, LocalCluster, Security, as_completed
from distributed.comm.addressing import parse_address
from distributed.comm.core import connect
from distributed.comm.registry import get_backend

from mesorefs.errors import InputError

__all__ = ["ALLOWED_FAILURES", "CONNECT_TIMEOUT", "LOOPBACK", "TLSFiles", "run_tasks"]

ALLOWED_FAILURES = 3
CONNECT_TIMEOUT = 10.0
LOOPBACK = "127.0.0.1"
T = TypeVar("T")
R = TypeVar("R")

TLSFiles = tuple[str | None, str | None, str | None]
"""(CA file, client certificate, client key) for a ``tls://`` scheduler."""


def _security(scheduler: str, tls: TLSFiles | None) -> Security | None:
    """The Security to reach ``scheduler`` with; InputError when the address or the
    TLS files cannot be used."""
    try:
        protocol, location = parse_address(scheduler)
        get_backend(protocol)
    except (ValueError, TypeError) as exc:
        raise InputError(f"not a Dask scheduler address ({exc})", scheduler) from None
    if not location or (protocol in ("tcp", "tls") and ":" not in location):
        raise InputError("not a Dask scheduler address (host:port)", scheduler)
    given = [f for f in tls or () if f]
    if not given:
        return None  # Dask's own configuration (distributed.comm.tls.*) applies
    if protocol != "tls":
        raise InputError("TLS files need a tls:// scheduler address", scheduler)
    ca, cert, key = tls or (None, None, None)
    if not (ca and cert):
        raise InputError("a TLS cluster needs --tls-ca-file and --tls-cert", scheduler)
    for path in given:
        if not Path(path).is_file():
            raise InputError("no such TLS file", path)
    return Security(
        tls_ca_file=ca, tls_client_cert=cert, tls_client_key=key, require_encryption=True
    )


async def _probe(scheduler: str, security: Security) -> None:
    """Connect to ``scheduler`` and read its greeting, within :data:`CONNECT_TIMEOUT`
    seconds (Dask's own connect waits for the greeting without end: a web server given
    as the scheduler would hang the run)."""
    comm = await asyncio.wait_for(
        connect(scheduler, timeout=CONNECT_TIMEOUT, **security.get_connection_args("client")),
        CONNECT_TIMEOUT,
    )
    await comm.close()


@contextmanager
def _client(workers: int, scheduler: str | None, tls: TLSFiles | None) -> Iterator[Client]:
    with dask.config.set(
        {
            "distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
            "distributed.comm.timeouts.connect": f"{CONNECT_TIMEOUT}s",
        }
    ):
        if scheduler:
            security = _security(scheduler, tls)
            try:
                asyncio.run(_probe(scheduler, security or Security()))
                client = Client(scheduler, timeout=CONNECT_TIMEOUT, security=security)
            except TimeoutError:
                raise InputError(
                    f"no Dask scheduler answered within {CONNECT_TIMEOUT:.0f} s", scheduler
                ) from None
            except (OSError, ValueError) as exc:  # CommClosedError is an OSError
                reason = " ".join(str(exc).split())[:200] or type(exc).__name__
                raise InputError(f"cannot use the Dask scheduler ({reason})", scheduler) from None
            with client:
                yield client
            return
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host=LOOPBACK,
                dashboard_address=f"{LOOPBACK}:0",  # a free port, on the loopback only
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client


def run_tasks(
    function: Callable[[T], R],
    items: Sequence[T],
    keys: Sequence[str],
    *,
    workers: int,
    scheduler: str | None = None,
    tls: TLSFiles | None = None,
    finished: Callable[[int, T, R | None, BaseException | None], None],
) -> None:
    """Run ``function`` on every item on the cluster; ``finished(index, item, result,
    error)`` is called on this side as each one ends, in the order they end."""
    if not items:
        return
    with _client(workers, scheduler, tls) as client:
        futures = [
            client.submit(function, item, key=f"mesorefs-{key}", pure=False, retries=0)
            for item, key in zip(items, keys, strict=True)
        ]
        index = {future.key: i for i, future in enumerate(futures)}
        for future in as_completed(futures):
            i = index[future.key]
            try:
                result: Any = future.result()
            except Exception as exc:  # a task that failed or killed its workers
                finished(i, items[i], None, exc)
            else:
                finished(i, items[i], result, None)
            future.release()
