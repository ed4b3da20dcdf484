"""Cost that grows with the input, not faster: roadmap placement and default ids.

Each faster algorithm is compared with the one it replaced, kept here as the reference, on
generated input; and its work is counted (not timed) on an input where the former one did
about the cube (milestones) or the square (repeated actions) of the size.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_journey_plugin import model
from mkdocs_journey_plugin.model import slugify, unique_default_ids
from mkdocs_journey_plugin.render import roadmap
from mkdocs_journey_plugin.render.roadmap import (
    CARD,
    ROW_GAP,
    MilestoneMark,
    RoadmapOptions,
    _Placed,
    _RoadmapDrawer,
    render_roadmap,
)

from .test_render_charts import milestones, sentence

DAY = datetime.date(2027, 1, 1)


class TooMuch(Exception):
    """Raised by a counter past its limit: the former code stops early instead of running on
    for minutes."""


# --- roadmap placement ---------------------------------------------------------------------------


def reference_place(self: _RoadmapDrawer, first_top: float) -> list[_Placed]:
    """The placement as it was (cubic in the milestones): every row against every milestone."""
    order = sorted(range(len(self.milestones)),
                   key=lambda i: (self.milestones[i].date.toordinal(), i))
    placed: list[_Placed] = []
    for index in order:
        x = self.x(self.milestones[index].date)
        label = self.label(index, x)
        for top in sorted({first_top, *(p.bottom + ROW_GAP + CARD for p in placed)}):
            candidate = _Placed(self.milestones[index], index, x, top, label)
            if self.fits(candidate, placed):
                break
        placed.append(candidate)
    placed.sort(key=lambda p: p.index)
    return placed


@st.composite
def crowded(draw: Any) -> list[MilestoneMark]:
    """Up to 80 milestones in a few days or over years, many of them beside each other."""
    count = draw(st.integers(1, 80))
    span = draw(st.sampled_from([0, 3, 30, 200, 3 * 365, 40 * 365]))
    marks = []
    for index in range(count):
        total = draw(st.integers(0, 12))
        title = draw(st.sampled_from(["Go", "Status updates everywhere, for everyone", "x" * 60])
                     | sentence)
        marks.append(MilestoneMark(f"m-{index}", title,
                                   DAY + datetime.timedelta(days=draw(st.integers(0, span))),
                                   draw(st.integers(0, total)), total, draw(st.booleans())))
    return marks


def both(marks: list[MilestoneMark], options: RoadmapOptions) -> tuple[str, str]:
    """The roadmap drawn with the placement, and with the reference placement."""
    new = render_roadmap("R", marks, options)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(_RoadmapDrawer, "place", reference_place)
        old = render_roadmap("R", marks, options)
    return new, old


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crowded() | milestones(), st.sampled_from(["ltr", "rtl"]),
       st.none() | st.integers(-200, 4 * 365).map(lambda d: DAY + datetime.timedelta(days=d)))
def test_roadmap_placement_is_the_former_one(marks: list[MilestoneMark], direction: str,
                                             today: datetime.date | None) -> None:
    new, old = both(marks, RoadmapOptions(direction=direction, today=today))  # type: ignore
    assert new == old


def test_roadmap_placement_is_the_former_one_on_a_big_roadmap() -> None:
    new, old = both(spread(150), RoadmapOptions(today=DAY))
    assert new == old


def spread(count: int) -> list[MilestoneMark]:
    """Milestones about a week apart, titles of 1-9 words: a roadmap as a big site has it."""
    words = ["status", "updates", "everywhere", "one", "owner", "per", "ticket", "self",
             "service", "that", "works"]
    marks = []
    for index in range(count):
        title = " ".join(words[(index * 7 + k) % len(words)] for k in range(1 + index % 9))
        day = DAY + datetime.timedelta(days=(index * 37) % (count * 7))
        marks.append(MilestoneMark(f"m-{index}", title.capitalize(), day, index % 5,
                                   index % 7, index % 3 == 0))
    return marks


@contextmanager
def counted_hits(limit: int) -> Iterator[list[int]]:
    """Counts the box tests of the roadmap's placement; past `limit`, raises TooMuch."""
    calls = [0]
    real = roadmap.hits

    def counting(*args: Any) -> bool:
        calls[0] += 1
        if calls[0] > limit:
            raise TooMuch(f"more than {limit} box tests")
        return real(*args)

    roadmap.hits = counting  # type: ignore[assignment]
    try:
        yield calls
    finally:
        roadmap.hits = real  # type: ignore[assignment]


def test_roadmap_placement_tests_few_boxes_per_milestone() -> None:
    # The former placement tried every row against every milestone: at 1,000 milestones,
    # hundreds of millions of box tests (about 200 s); now each milestone is tested only in the
    # few rows that can hold it, against the few milestones near them: about 5 tests each.
    count = 1000
    with counted_hits(20 * count) as calls:
        drawn = render_roadmap("R", spread(count), RoadmapOptions(today=DAY))
    assert drawn.count("jr-milestone jr-milestone--") == count
    assert calls[0] < 20 * count


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
