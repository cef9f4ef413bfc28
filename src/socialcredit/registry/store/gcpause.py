"""The cyclic garbage collector held back while a chunk is written."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold back the cyclic garbage collector during a chunk's work.

    A chunk allocates many short-lived, acyclic containers (rows, assessment bodies); each few
    hundred allocations start a collection, and every tenth of those walks older objects too,
    whose count grows with what the process holds: on a bulk submission those passes cost as
    much as the work itself. Anything cyclic a chunk leaves is collected once the collector is
    back on. Nested blocks leave it to the outermost.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
