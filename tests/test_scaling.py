"""Cost that grows with the input, not faster: default ids.

Each faster algorithm is compared with the one it replaced, kept here as the reference, on
generated input; and its work is counted (not timed) on an input where the former one did
about the cube (milestones) or the square (repeated actions) of the size.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_journey_plugin import model
from mkdocs_journey_plugin.model import slugify, unique_default_ids


class TooMuch(Exception):
    """Raised by a counter past its limit: the former code stops early instead of running on
    for minutes."""


# --- default ids ---------------------------------------------------------------------------------


def reference_default_ids(explicit: list[str | None], texts: list[str],
                          fallback: str) -> list[str]:
    """The default ids as they were numbered (quadratic in the repeats of one text)."""
    taken = {i for i in explicit if i is not None}
    ids: list[str] = []
    for position, (given_id, text) in enumerate(zip(explicit, texts, strict=True), start=1):
        if given_id is not None:
            ids.append(given_id)
            continue
        base = slugify(text) or f"{fallback}-{position}"
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}-{number}", number + 1
        taken.add(candidate)
        ids.append(candidate)
    return ids


# Texts and ids that collide: "a", "A!", "a 2" and the id "a-3" are all near the slug "a".
texts = st.sampled_from(["a", "A!", "a 2", "a-2", "a 3", "b", "a-b", "", "---", "é", "a 2 2"])
ids = st.none() | st.sampled_from(["a", "a-2", "a-3", "a-4", "b", "b-2", "a-2-2", "x-1",
                                   "x-3"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(ids, texts), max_size=40))
def test_default_ids_are_the_former_ones(items: list[tuple[str | None, str]]) -> None:
    explicit = [i for i, _ in items]
    text = [t for _, t in items]
    assert unique_default_ids(explicit, text, "x") == reference_default_ids(explicit, text, "x")


@contextmanager
def counted_lines(function: Callable[..., Any], limit: int) -> Iterator[list[int]]:
    """Counts the lines `function` runs (its own, not those it calls); past `limit`, raises."""
    lines = [0]
    code = function.__code__

    def local(frame: FrameType, event: str, arg: object) -> Any:
        if event == "line":
            lines[0] += 1
            if lines[0] > limit:
                raise TooMuch(f"more than {limit} lines")
        return local

    def calls(frame: FrameType, event: str, arg: object) -> Any:
        return local if frame.f_code is code else None

    before = sys.gettrace()
    sys.settrace(calls)
    try:
        yield lines
    finally:
        sys.settrace(before)


def test_default_ids_take_lines_in_proportion_to_the_touchpoints() -> None:
    # 5,000 touchpoints of one action: counting from 2 on each repeat ran its loop 12.5 million
    # times; now each repeat starts where the last stopped.
    count = 5000
    explicit: list[str | None] = [None] * count
    with counted_lines(model.unique_default_ids, 20 * count) as lines:
        result = unique_default_ids(explicit, ["Calls the desk"] * count, "touchpoint")
    assert result[:3] == ["calls-the-desk", "calls-the-desk-2", "calls-the-desk-3"]
    assert result[-1] == f"calls-the-desk-{count}"
    assert lines[0] < 20 * count
