"""Where each milestone of the roadmap goes: stacked in rows, none touching another.

Milestones close in time are stacked in rows, earliest first, each in the highest row where its
card and marker touch no other card or marker. Leaders and the Today line run behind the cards,
which hide them where they cross: were leaders obstacles too, a run of milestones a few days apart
would form a staircase as deep as the run is long. Milestones on one day (or a few days apart)
hang on one string, in the author's order.

The names here are private to `render/`: `roadmap.py` lays out each label and draws the result.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING

from .svg import Box, Text

if TYPE_CHECKING:
    from .roadmap import MilestoneMark

SIZE = 12.0  # of a milestone's title, whose first line the marker is level with
MARK = 7.0  # half the size of a marker
ROW_GAP = 12.0  # between a milestone and the one stacked under it
SIDE_GAP = 10.0  # between a label and the next milestone beside it
CARD = 4.0  # padding of a label's card
# Two boxes hit when they come closer than this vertically (see `hits`).
CLEAR = ROW_GAP - 0.01
EPS = 1e-6  # far above the rounding of sums of these coordinates, far below any real distance

# Whether a milestone's card and marker keep clear of those placed before it.
Fits = Callable[["_Placed", Iterable["_Placed"]], bool]


@dataclass(frozen=True)
class _Label:
    """A milestone's label laid out once, as if its top were at y = 0."""

    texts: tuple[Text, ...]
    bar: tuple[float, float]  # left and top of the progress bar
    ink: Box  # of texts and progress bar


@dataclass
class _Placed:
    """A milestone's geometry in layout coordinates (always left to right)."""

    mark: MilestoneMark
    index: int  # in the author's order
    x: float  # of its date
    top: float
    label: _Label

    # Cached: a milestone's geometry is read many times while the others are placed, and its
    # top never changes once it is made.
    @cached_property
    def ink(self) -> Box:
        left, top, right, bottom = self.label.ink
        return left, top + self.top, right, bottom + self.top

    @property
    def bar(self) -> tuple[float, float]:
        return self.label.bar[0], self.label.bar[1] + self.top

    @property
    def texts(self) -> list[Text]:
        return [replace(text, y=text.y + self.top) for text in self.label.texts]

    @cached_property
    def marker(self) -> Box:
        centre = self.top + 0.6 * SIZE
        return self.x - MARK, centre - MARK, self.x + MARK, centre + MARK

    @cached_property
    def card(self) -> Box:
        """The label's background, which hides the leaders and the Today line behind it."""
        left, top, right, bottom = self.ink
        return left - CARD, top - CARD, right + CARD, bottom + CARD

    @cached_property
    def bottom(self) -> float:
        return max(self.card[3], self.marker[3])


def _apart(a: Box, b: Box, gap: float) -> bool:
    """Whether two boxes are too far apart horizontally to ever hit (the first half of `hits`)."""
    return not min(a[2], b[2]) - max(a[0], b[0]) > -gap + 0.01


# Where a marker is, from its milestone's top (as `_Placed.marker`).
MARKER_TOP = 0.6 * SIZE - MARK
MARKER_BOTTOM = 0.6 * SIZE + MARK


class _Reach:
    """The placed milestones a later one can still hit, by the top of their card.

    Each holds, for the milestone being placed, a span of tops where it would surely hit it:
    where their cards would come too close, while the cards are beside each other (`beside`),
    or afterwards, while its card still ends beside the new marker, where that marker would.
    Only the gaps between these spans, of consecutive milestones, can hold a top that fits;
    whether it does is for `fits` to say. The milestones are kept in blocks, each knowing its
    widest gap, so that the first gap tall enough is found without walking them all: a roadmap
    of a thousand milestones has hundreds of them beside each other, one under another.
    """

    BLOCK = 64
    # An entry: (card top, end of its span, start of its span, whether the start moves up by
    # the new milestone's height, the milestone); spans are open, with EPS to spare.
    Entry = tuple[float, float, float, bool, "_Placed"]

    def __init__(self) -> None:
        self.blocks: list[list[_Reach.Entry]] = []
        self.keys: list[list[float]] = []  # the card tops of each block
        self.firsts: list[float] = []  # the first card top of each block
        # The widest gap in each block, before a milestone whose span's start moves with the
        # new milestone's height (to compare with it) and before the others (with 0).
        self.widest: list[tuple[float, float]] = []

    @staticmethod
    def entry(item: _Placed, beside: bool) -> _Reach.Entry:
        _, top, _, bottom = item.card
        if beside:  # the new card must clear this card, below it or above it
            return top, bottom + CARD + CLEAR, top - CARD - CLEAR, True, item
        # The new marker must clear this card.
        return top, bottom + CLEAR - MARKER_TOP, top - CLEAR - MARKER_BOTTOM, False, item

    def _block(self, key: float) -> int:
        """The block where entries with this card top or any later one may be: cards can start
        level, and entries that start level can end one block and begin the next."""
        return max(bisect_left(self.firsts, key) - 1, 0)

    def _update(self, b: int) -> None:
        self.firsts[b] = self.keys[b][0]
        moving = fixed = -float("inf")
        for upper, lower in pairwise(self.blocks[b]):
            if lower[3]:
                moving = max(moving, lower[2] - upper[1])
            else:
                fixed = max(fixed, lower[2] - upper[1])
        self.widest[b] = (moving, fixed)

    def insert(self, entry: _Reach.Entry) -> None:
        key = entry[0]
        if not self.blocks:
            self.blocks, self.keys, self.firsts = [[entry]], [[key]], [key]
            self.widest = [(-float("inf"), -float("inf"))]
            return
        b = self._block(key)
        at = bisect_right(self.keys[b], key)
        self.blocks[b].insert(at, entry)
        self.keys[b].insert(at, key)
        if len(self.blocks[b]) > 2 * self.BLOCK:
            half = self.BLOCK
            self.blocks.insert(b + 1, self.blocks[b][half:])
            self.keys.insert(b + 1, self.keys[b][half:])
            del self.blocks[b][half:], self.keys[b][half:]
            self.firsts.insert(b + 1, 0.0)
            self.widest.insert(b + 1, (0.0, 0.0))
            self._update(b + 1)
        self._update(b)

    def remove(self, item: _Placed) -> _Reach.Entry:
        key = item.card[1]
        b = self._block(key)
        at = bisect_left(self.keys[b], key)
        while at == len(self.blocks[b]) or self.blocks[b][at][4] is not item:
            # Cards may start level, and the block found may end before this card's top.
            b, at = (b + 1, 0) if at == len(self.blocks[b]) else (b, at + 1)
        entry = self.blocks[b].pop(at)
        del self.keys[b][at]
        if self.blocks[b]:
            self._update(b)
        else:
            del self.blocks[b], self.keys[b], self.firsts[b], self.widest[b]
        return entry

    def gaps(self, height: float) -> Iterator[tuple[float, float]]:
        """From top to bottom, the ranges of tops (wider by EPS) between the spans of each two
        consecutive milestones, where a new one of this ink height may fit."""
        least = -2 * EPS
        above = -float("inf")  # the end of the span of the milestone above the gap
        for block, (moving, fixed) in zip(self.blocks, self.widest, strict=True):
            start = block[0][2] - (height if block[0][3] else 0.0)
            if start - above >= least:
                yield above - EPS, start + EPS
            if moving - height >= least or fixed >= least:
                for upper, lower in pairwise(block):
                    start = lower[2] - (height if lower[3] else 0.0)
                    if start - upper[1] >= least:
                        yield upper[1] - EPS, start + EPS
            above = block[-1][1]
        yield above - EPS, float("inf")

    def around(self, low: float, high: float) -> Iterator[_Placed]:
        """The milestones whose card tops are between `low` and `high`."""
        b = self._block(low)
        while b < len(self.blocks) and self.firsts[b] <= high:
            keys = self.keys[b]
            for at in range(bisect_left(keys, low), bisect_right(keys, high)):
                yield self.blocks[b][at][4]
            b += 1


def place(probes: Sequence[_Placed], first_top: float, fits: Fits) -> list[_Placed]:
    """Each milestone (given at `first_top`), earliest first, in the highest row where it hits
    nothing placed.

    The rows a milestone may take are the first row and the row under each card placed so
    far; it takes the first of them where `fits` finds it clear of everything placed. The
    same rows and the same test as trying them all against all, but `_Reach` rules out the
    rows where it would surely hit one, and `fits` tests a row only against the milestones
    close to it that it can still reach: their card beside its card, or ending beside its
    marker. Everything further left cannot reach it, nor anything placed after it, since
    the milestones come in date order, left to right.
    """
    order = sorted(probes, key=lambda p: (p.mark.date.toordinal(), p.index))
    placed: list[_Placed] = []
    rows = [first_top]  # the tops a milestone may take, sorted, each once
    reach = _Reach()
    # By the right edge of their card: those beside the new card, then those beside the
    # new marker; the first leave, then the others, as milestones move to the right.
    beside: list[tuple[float, int, _Placed]] = []
    near: list[tuple[float, int, _Placed]] = []
    tallest = 0.0  # of any card placed
    for probe in order:
        while beside and _apart(probe.card, beside[0][2].card, SIDE_GAP):
            _, number, item = heapq.heappop(beside)
            reach.remove(item)
            reach.insert(_Reach.entry(item, beside=False))
            heapq.heappush(near, (item.card[2], number, item))
        while near and _apart(probe.marker, near[0][2].card, 2):
            _, number, item = heapq.heappop(near)
            # Its marker is left of its card's end, hence out of reach too.
            assert _apart(probe.card, item.marker, 2) and _apart(probe.marker, item.marker, 2)
            reach.remove(item)
        new = _first_fit(probe, rows, reach, tallest, fits)
        tallest = max(tallest, new.card[3] - new.card[1])
        placed.append(new)
        reach.insert(_Reach.entry(new, beside=True))
        heapq.heappush(beside, (new.card[2], len(placed), new))
        row = new.bottom + ROW_GAP + CARD
        at = bisect_left(rows, row)
        if at == len(rows) or rows[at] != row:
            rows.insert(at, row)
    # Drawn in the author's order, so that the keyboard visits them as the page lists them.
    placed.sort(key=lambda p: p.index)
    return placed


def _first_fit(probe: _Placed, rows: list[float], reach: _Reach, tallest: float,
               fits: Fits) -> _Placed:
    """The milestone at the first of `rows` where `fits` finds it clear of the milestones
    in reach, looking only into the gaps `reach` leaves."""
    height = probe.label.ink[3]
    margin = CARD + CLEAR + 1.0  # beyond this, two cards cannot come too close
    for start, end in reach.gaps(height):
        for at in range(bisect_left(rows, start), len(rows)):
            top = rows[at]
            if top > end:
                break
            candidate = _Placed(probe.mark, probe.index, probe.x, top, probe.label)
            others = reach.around(top - tallest - margin, top + height + margin)
            if fits(candidate, others):
                return candidate
    raise AssertionError("the row under everything placed always fits")
