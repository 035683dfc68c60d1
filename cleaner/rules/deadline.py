"""The CPU-time limit on one rule's regexes for one document.

A rule whose regex backtracks for ever (a hostile rule file, or a pattern that meets the
wrong line) must be stopped, skipped for that document and named. The `regex` module's
`timeout=` does that per call, but it reads the process CPU clock (a system call, about a
microsecond) at the start of every call: a third of what a rule's regex costs on a short
line, and a document makes dozens of calls.

So where it can, `Deadline` arms one profiling timer (`setitimer(ITIMER_PROF)`, process CPU
time like the module's clock) while a rule plans its changes to a document. The `regex`
module checks for signals as it matches; the handler's `TimeoutError` stops the call as
`timeout=` would, and the rule is skipped for that document as before. Elsewhere (not the
main thread, no `setitimer`, or SIGPROF already in use, e.g. by a profiler) `start` returns
the limit to give each call instead.

Only a kind's planning runs under the timer: it changes nothing (see `kinds.py`), so a
`TimeoutError` raised anywhere in it leaves the document as it was.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

_SIGNAL = getattr(signal, "SIGPROF", None)
_TIMER = getattr(signal, "ITIMER_PROF", None)


class _Running:
    """Whether a deadline is armed: the handler raises only then (a late signal, after
    `stop`, is ignored)."""

    seconds: float | None = None


_RUNNING = _Running()


def _expired(signum: int, frame: FrameType | None) -> None:
    if _RUNNING.seconds is not None:
        seconds, _RUNNING.seconds = _RUNNING.seconds, None
        raise TimeoutError(f"regex time limit of {seconds:g} s reached")


def _installed() -> bool:
    """Our handler is SIGPROF's (installed now if nobody else has one)."""
    if _SIGNAL is None or _TIMER is None:
        return False
    current = signal.getsignal(_SIGNAL)
    if current is _expired:
        return True
    if current not in (signal.SIG_DFL, None) or signal.getitimer(_TIMER) != (0.0, 0.0):
        return False  # a profiler or the application uses it: leave it alone
    signal.signal(_SIGNAL, _expired)
    return True


class Deadline:
    """`seconds` of CPU for one rule on one document: `start` before the kind runs,
    `stop` after (in a `finally`), `close` after the document's last rule (in a `finally`).
    Made once per document: whether the timer can be used is asked once.

    `stop` leaves the timer running, ignored: the next `start` re-arms it anyway, so a
    document pays one system call per rule, plus one in `close`, not two per rule."""

    def __init__(self, seconds: float | None) -> None:  # None: no limit
        self.seconds = seconds
        self._usable: bool | None = None  # asked at the first `start`
        self._armed = False

    def start(self) -> float | None:
        """Arm the timer and return None, or return the limit each regex call must be given
        (`timeout=`) where the timer cannot be used."""
        if self._usable is None:
            self._usable = (self.seconds is not None  # signal handlers: main thread only
                            and threading.current_thread() is threading.main_thread()
                            and _installed())
        if not self._usable:
            return self.seconds
        # Re-armed first: a signal of the previous rule's timer, still running, is ignored.
        signal.setitimer(_TIMER, self.seconds)  # type: ignore[arg-type]
        _RUNNING.seconds = self.seconds
        self._armed = True
        return None

    def stop(self) -> None:
        _RUNNING.seconds = None  # a signal from now on is ignored

    def close(self) -> None:
        self.stop()
        if self._armed:
            signal.setitimer(_TIMER, 0)  # type: ignore[arg-type]
            self._armed = False
