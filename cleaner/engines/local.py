"""The local engine: worker processes on this machine (`--jobs N`), or in-process for 1."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from cleaner.engines import Engine, ordered_window
from cleaner.engines.collector import collector_for_a_run

# Payloads submitted ahead per worker: enough to keep every worker busy while the driver
# writes results, few enough that memory stays flat.
AHEAD_PER_WORKER = 2

# Numerical libraries' thread pools get one thread in each worker: the workers fill the
# cores already, and the classifier hands numpy's BLAS only small matrix-vector products.
# With OpenBLAS's default (a helper thread per core), every such call waited for its helper
# to get a core the other workers kept busy: `--jobs 2` on 5,000 documents took 6.90 s
# against 6.72 s. Read when numpy loads, which a worker does after it starts. A user's own
# setting wins.
ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

# Set once per worker process by the pool initializer; the rules then cross the process
# boundary once per worker instead of once per task.
_worker: dict[str, Any] = {}


def _die_with_parent() -> None:
    """A driver killed with -9 runs no cleanup: without this its workers would live on,
    orphaned, forever waiting for work. Linux only; elsewhere the pool's own checks remain."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() == 1:  # the driver died before prctl took effect
        os._exit(1)


def _init_worker(func: Callable[[Any, Any], Any], context: Any) -> None:
    # Ctrl-C goes to the whole process group: let the driver alone decide to stop (it
    # cancels the pool), instead of every worker printing a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    for name in ONE_THREAD:
        os.environ.setdefault(name, "1")
    _worker["func"] = func
    _worker["context"] = context


def _run(payload: Any) -> Any:
    return _worker["func"](_worker["context"], payload)


def _mp_context() -> multiprocessing.context.BaseContext:
    # fork is cheapest on Linux (workers inherit the imported pipeline); elsewhere use the
    # platform default (spawn), which pickles func and context instead.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


@contextmanager
def local_engine(func: Callable[[Any, Any], Any], context: Any, *, jobs: int) -> Iterator[Engine]:
    with collector_for_a_run(), _local_engine(func, context, jobs=jobs) as engine:
        yield engine


@contextmanager
def _local_engine(func: Callable[[Any, Any], Any], context: Any, *, jobs: int
                  ) -> Iterator[Engine]:
    if jobs <= 1:
        # One job runs in this process: no pickling, and tracebacks point at the real code.
        def serial(items: Iterable[tuple[Any, Any]]) -> Iterator[tuple[Any, Any]]:
            for meta, payload in items:
                yield meta, None if payload is None else func(context, payload)

        yield serial
        return

    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_mp_context(),
                               initializer=_init_worker, initargs=(func, context))

    def parallel(items: Iterable[tuple[Any, Any]]) -> Iterator[tuple[Any, Any]]:
        def wait(future: Future[Any]) -> Any:
            return future.result()

        return ordered_window(items, lambda payload: pool.submit(_run, payload), wait,
                              limit=jobs * AHEAD_PER_WORKER)

    try:
        yield parallel
    except BaseException:
        # Interrupted or failed: drop what is queued rather than finish it.
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    else:
        pool.shutdown(wait=True)
