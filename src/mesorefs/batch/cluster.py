"""Running partitions on Dask (the only module that imports dask and distributed).

By default a local cluster of worker processes, one thread each (the work is Python,
so threads would share one interpreter lock); with ``scheduler`` an existing cluster
(``tcp://host:8786``).  A task whose worker dies is run again elsewhere by Dask; one
that kills its workers :data:`ALLOWED_FAILURES` times comes back as an error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import dask
from distributed import Client, LocalCluster, as_completed

__all__ = ["ALLOWED_FAILURES", "run_tasks"]

ALLOWED_FAILURES = 3
T = TypeVar("T")
R = TypeVar("R")


@contextmanager
def _client(workers: int, scheduler: str | None) -> Iterator[Client]:
    with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}):
        if scheduler:
            with Client(scheduler) as client:
                yield client
            return
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # a free port: the HTTP server starts in any case
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
    finished: Callable[[int, T, R | None, BaseException | None], None],
) -> None:
    """Run ``function`` on every item on the cluster; ``finished(index, item, result,
    error)`` is called on this side as each one ends, in the order they end."""
    if not items:
        return
    with _client(workers, scheduler) as client:
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
