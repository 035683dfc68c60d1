"""Engines: run one function over a stream of payloads, in order, with bounded work in flight.

An engine is a plain function `map(items) -> results`: `items` yields `(meta, payload)`,
the engine yields `(meta, func(context, payload))` in the same order. `meta` stays in the
driver (where the result goes); only the payload travels to a worker. A `None` payload is
not run (an input that is already up to date) and comes back with a `None` result, in
its place, so the driver sees one ordered stream.

The context (for the cleaner: the loaded RuleSet and options) is shipped to workers once,
not with every payload: a pool initializer for the local engine, `ray.put` for Ray.

At most `limit` items are in flight at once: the driver only reads the next input when a
slot frees up, so memory does not grow with the corpus.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Literal, TypeVar

M = TypeVar("M")
P = TypeVar("P")
R = TypeVar("R")
H = TypeVar("H")

EngineName = Literal["local", "ray"]
Engine = Callable[[Iterable[tuple[Any, Any]]], Iterator[tuple[Any, Any]]]


def open_engine(
    name: EngineName,
    func: Callable[[Any, Any], Any],
    context: Any,
    *,
    jobs: int,
    address: str | None = None,
) -> AbstractContextManager[Engine]:
    """`with open_engine(...) as run: for meta, result in run(items): ...`"""
    if name == "ray":
        from cleaner.engines.ray_engine import ray_engine

        return ray_engine(func, context, jobs=jobs, address=address)
    from cleaner.engines.local import local_engine

    return local_engine(func, context, jobs=jobs)


def ordered_window(
    items: Iterable[tuple[M, P | None]],
    submit: Callable[[P], H],
    wait: Callable[[H], R],
    limit: int,
) -> Iterator[tuple[M, R | None]]:
    """Submit up to `limit` payloads ahead, hand results back in submission order.

    Why not `multiprocessing.Pool.imap`: its feeder thread drains the input iterator as
    fast as it can, so a fast reader and slow workers pile the whole corpus up in memory.
    Here the next item is pulled only when the oldest result has been handed back.
    """
    pending: deque[tuple[M, H | None]] = deque()
    source = iter(items)
    exhausted = False
    while True:
        while not exhausted and len(pending) < limit:
            try:
                meta, payload = next(source)
            except StopIteration:
                exhausted = True
                break
            pending.append((meta, None if payload is None else submit(payload)))
        if not pending:
            return
        meta, handle = pending.popleft()
        yield meta, None if handle is None else wait(handle)
