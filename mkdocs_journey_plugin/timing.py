"""One hook to time the plugin's steps: off unless a benchmark sets `recorder`.

benchmarks/child.py sets `timing.recorder` to a function of a step's name and its seconds;
`with timed("step:load_catalog"):` then reports the time spent inside, and a method decorated
with `@timed_calls("pages:journey_page")` each call's. Off, `timed` hands out one shared
context that does nothing.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import ParamSpec, TypeVar

recorder: Callable[[str, float], None] | None = None  # set by a benchmark, None in a build

_OFF = nullcontext()
P = ParamSpec("P")
R = TypeVar("R")


class _Timer:
    __slots__ = ("record", "started", "step")

    def __init__(self, step: str, record: Callable[[str, float], None]) -> None:
        self.step = step
        self.record = record
        self.started = 0.0

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exception: object) -> None:
        self.record(self.step, time.perf_counter() - self.started)


def timed(step: str) -> AbstractContextManager[None]:
    """The time spent in a `with` block, reported as `step` when a recorder is set."""
    return _OFF if recorder is None else _Timer(step, recorder)


def timed_calls(step: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Each call of the decorated function, timed as `step` (see timed)."""
    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def timed_function(*args: P.args, **kwargs: P.kwargs) -> R:
            with timed(step):
                return function(*args, **kwargs)
        return timed_function
    return decorate
