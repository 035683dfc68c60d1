"""The garbage collector's settings for the length of a `clean` run, restored afterwards.

Python's collector walks objects that reference counting frees anyway, and a run is the
worst case for it:

- What is alive when the run starts (modules, the rules and their compiled patterns, the
  stopword tables) lives as long as the run. `gc.freeze` takes it out of the full
  collections, which otherwise walk all of it each time and, in a forked worker, copy
  every memory page it sits on (~10 % of a worker's CPU, ~5 % in one process, on 2,000
  documents).
- A batch of documents keeps ~100 container objects a document (its paragraphs, the
  rules' per-document state) alive until it is written, then frees them all at once. At
  the default threshold (a young collection every 700 new containers) the collector
  walks each batch's documents five times over, missing the cache on each, for nothing:
  ~5 % of the plain-text path. `YOUNG_THRESHOLD` lets a batch, or the bench's block of
  100 documents, come and go between two collections.

Reference cycles still get collected, just less often: at most `YOUNG_THRESHOLD`
containers (a few megabytes) wait for it, whatever the corpus size.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 20_000


@contextmanager
def collector_for_a_run() -> Iterator[None]:
    """Freeze what is alive and raise the young generation's threshold for the block; both
    are undone afterwards, so a program that runs `clean` in-process gets its collector
    back as it was (unless it had frozen objects of its own: then they all stay frozen)."""
    thresholds = gc.get_threshold()
    ours = gc.get_freeze_count() == 0
    gc.freeze()
    gc.set_threshold(max(thresholds[0], YOUNG_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if ours:
            gc.unfreeze()
