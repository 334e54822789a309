"""The cycle collector's settings while a build makes objects by the hundred thousand that form no cycles."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

# Building an article makes objects by the hundred thousand and no cyclic garbage (none found on the bench
# corpus), yet the default thresholds run a collection every 700 of them, each walking what the caches
# hold. Collections still run, a hundred times more rarely. With the workers' gc.freeze, measured with
# bench/ (1,000 articles, --jobs 2, 5 interleaved runs each, 2026-12-07): 46.8 s of CPU against 52.3 s
# with Python's defaults (medians; 7% by the paired ratios); wall times on that busy machine (load 5-7)
# swung too much to tell (36-83 s). On 100 articles: 3% of CPU, 5% of wall. It pays, so it stays.
_BUILD_GC_THRESHOLD = (50_000, 1_000, 1_000)


@contextmanager
def paused_gc(freeze: bool = False) -> Iterator[None]:
    """Pause the cycle collector while a step makes objects by the hundred thousand that form no cycles
    (identity's lock entries and report, the parts of the decks, the lock's lines): each batch of them
    would set off a collection that walks every object alive, the whole build's included (40% of
    identity's time on 1,000 articles). Reference counting frees them as usual. With `freeze`, what is
    alive at the end stays out of every later collection (gc.freeze): else the first one after the pause
    walks all of it once more. Garbage left from before (an article built in this process) is collected
    first, so none of it is kept for good.

    Measured with bench/ (5 interleaved runs each, 2026-12-07): 1,000 articles read from the cache into a
    folder with no lock, so that identity matches all 67,000 notes, 3.35 s with the pause and 4.39 s
    without (medians). A rebuild with nothing changed: 1.85 s with, 1.72 s without; one article changed:
    1.74 s against 1.77 s. It pays on the row it was made for, so it stays."""
    import gc

    was_enabled = gc.isenabled()
    if freeze:
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()
