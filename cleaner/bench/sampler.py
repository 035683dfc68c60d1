"""Where wall time goes, by function, without cProfile's per-call cost.

cProfile charges every Python call ~0.5 µs of its own, so code made of many small calls
(the rules' scan, the fixes' gates) looks several times dearer than it is, and C work
inside one call (a regex over a page, a dict lookup per word) looks free. A sampler reads
the main thread's stack every `interval` seconds of wall time instead (SIGALRM: the rules'
CPU timer uses SIGPROF) and counts, for each function, the samples it was on the stack
for (inclusive) and at the top of it (self: its own bytecode and the C calls it makes).
"""

from __future__ import annotations

import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType

Where = tuple[str, str]  # (module, function)


@dataclass
class Samples:
    total: int = 0
    inclusive: Counter[Where] = field(default_factory=Counter)
    own: Counter[Where] = field(default_factory=Counter)

    def add(self, frame: FrameType | None) -> None:
        self.total += 1
        seen: set[Where] = set()
        top = True
        while frame is not None:
            where = (frame.f_globals.get("__name__", "?"), frame.f_code.co_name)
            if top:
                self.own[where] += 1
                top = False
            if where not in seen:  # a recursive function counts once per sample
                seen.add(where)
                self.inclusive[where] += 1
            frame = frame.f_back

    def table(self, top: int, within: Callable[[Where], bool] = lambda where: True) -> str:
        """The `top` functions by inclusive share, with their self share, as Markdown."""
        rows = ["| inclusive | self | function |", "|---|---|---|"]
        ranked = [where for where, _ in self.inclusive.most_common() if within(where)]
        for where in ranked[:top]:
            rows.append(f"| {self.inclusive[where] / self.total:.1%} "
                        f"| {self.own[where] / self.total:.1%} | {where[0]}.{where[1]} |")
        return "\n".join(rows) + "\n"


@contextmanager
def sampling(interval: float = 0.0005) -> Iterator[Samples]:
    """Sample the main thread's stack while the block runs (main thread only: signals)."""
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("the sampler runs in the main thread only")
    samples = Samples()

    def handler(signum: int, frame: FrameType | None) -> None:
        samples.add(frame)

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, interval, interval)
    try:
        yield samples
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
