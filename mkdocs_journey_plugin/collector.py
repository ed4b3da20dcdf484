"""Python's cycle collector, paused while the plugin's events run.

Our events make hundreds of thousands of short-lived objects (YAML nodes, models, SVG trees,
template output) on top of the heap MkDocs already holds, and each of Python's full collections
walks that whole heap: at 300 journeys they were a quarter of drawing the maps and a third of
reading the content. What we make is freed by reference counting; any cycle among it is
collected after the event, when the collector runs again as before.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def collector_paused(handler: Callable[P, R]) -> Callable[P, R]:
    """`handler`, run with the cycle collector paused (if it was running) and then restored."""

    @functools.wraps(handler)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return handler(*args, **kwargs)
        gc.disable()
        try:
            return handler(*args, **kwargs)
        finally:
            gc.enable()

    return paused
