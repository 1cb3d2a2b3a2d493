"""Pause the cyclic garbage collector around bulk work that allocates many objects but no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Building 100 000 row dicts triggers full collections that walk every live row; our code makes no
    reference cycles (reference counting still frees everything), so the collector is paused meanwhile
    and resumed afterwards if it was running."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
