"""Small performance tools shared by the loaders, the stores and the walk."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Suspend Python's cyclic garbage collector while building many small objects that hold no cycles.

    Parsing a bundle, writing the embedded graph or tracing a large upstream allocates hundreds of
    thousands of containers; every allocation threshold then triggers a collection that rescans the whole
    heap (the embedded store's graph included) for nothing, which can double the time and causes the
    long tail of trace latencies. Reference counting still frees everything as usual; only cycle
    detection waits until the block ends. The collector is process-wide: nested or concurrent blocks
    leave it as the outermost one found it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
