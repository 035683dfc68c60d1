"""The Ray engine (`--engine ray [--address ADDRESS]`, extra `cleaner[ray]`).

The same per-payload function as the local engine, run as Ray tasks. The driver loads and
validates the rules once and `ray.put`s them: every task gets that one object, so every
worker applies the same rules, whatever files the worker machines have. The driver keeps
reading inputs and writing outputs, manifest and error file, exactly as with the local
engine; workers only compute. Ray does the scheduling and re-runs a task whose worker
died (`max_retries`); the cleaner adds no scheduler of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from cleaner.engines import Engine, ordered_window

# Re-run a task this many times when its worker process or node dies. Our function never
# raises for a bad document (it reports it), so application errors are not retried.
MAX_RETRIES = 3
AHEAD_PER_CPU = 2


def _call(func: Callable[[Any, Any], Any], context: Any, payload: Any) -> Any:
    # `context` arrives as the object `ray.put` stored (Ray resolves top-level refs).
    return func(context, payload)


@contextmanager
def ray_engine(func: Callable[[Any, Any], Any], context: Any, *, jobs: int,
               address: str | None = None) -> Iterator[Engine]:
    try:
        import ray
    except ImportError:
        raise RuntimeError(
            "--engine ray needs Ray: pip install 'cleaner[ray]'"
        ) from None

    started_here = not ray.is_initialized()
    if started_here:
        if address:
            ray.init(address=address, logging_level=logging.WARNING)
        else:
            # A private local instance: no dashboard, one CPU slot per job.
            ray.init(num_cpus=jobs, include_dashboard=False, logging_level=logging.WARNING)
    try:
        context_ref = ray.put(context)
        remote = ray.remote(_call).options(num_cpus=1, max_retries=MAX_RETRIES,
                                           retry_exceptions=False)
        cpus = max(1, int(ray.cluster_resources().get("CPU", jobs)))

        def run(items: Iterable[tuple[Any, Any]]) -> Iterator[tuple[Any, Any]]:
            return ordered_window(
                items,
                lambda payload: remote.remote(func, context_ref, payload),
                ray.get,
                limit=cpus * AHEAD_PER_CPU,
            )

        yield run
    finally:
        if started_here:
            ray.shutdown()
