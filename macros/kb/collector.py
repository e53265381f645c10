"""Python's cycle collector, kept out of the way of the knowledge base's many objects.

Loading a knowledge base (or its history) makes millions of small objects
and no reference cycles. `collector_paused()` holds the collector off while
they are made: it would otherwise scan them again and again as they pile up
(40% of the time of validating 100,000 citations). With `keep=True` they are
also moved out of its reach for good (`gc.freeze`) before it comes back, for
objects that live as long as the process's build: it then never goes over
them, not even once (re-enabled with them still young, it would at once
scan every object made while it was off).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(keep: bool = False) -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if keep:
            gc.freeze()
    finally:
        if enabled:
            gc.enable()
