"""The roadmap: milestones on a time axis, each with its progress and whether it is overdue.

A horizontal axis of months runs along the top. Every milestone hangs below it at its date: a
thin leader from the axis down to its marker (a diamond; a warning triangle when it is past its
date with opportunities still open), and after the marker, on a card, its title, its date, a
progress bar with "{done} of {total} done" and, when overdue, the overdue text.

Milestones close in time are stacked in rows, earliest first, each in the highest row where its
card and marker touch no other card or marker. Leaders and the Today line run behind the cards,
which hide them where they cross: were leaders obstacles too, a run of milestones a few days apart
would form a staircase as deep as the run is long. Milestones on one day (or a few days apart)
hang on one string, in the author's order.
"""

from __future__ import annotations

import datetime
import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import pairwise
from typing import Any

from ..labels import Labels
from ..model import SLUG
from .svg import ASCENT, DESCENT, Box, Canvas, Direction, DrawnChart, Frame, Text, hits, isolate
from .text import ELLIPSIS, fit, line_height, text_width

WIDTH = 720.0  # as the bars; scaled down to the page column when wider
PAD = 12.0
SIZE = 12.0
SMALL = 11.0
MARK = 7.0  # half the size of a marker
GAP = 6.0  # from a marker to its label
LABEL = 140.0  # width of a milestone's label
PROGRESS = 44.0  # width of the progress bar
PROGRESS_HEIGHT = 6.0
LINE_GAP = 2.0  # between the parts of a label
ROW_GAP = 12.0  # between a milestone and the one stacked under it
SIDE_GAP = 10.0  # between a label and the next milestone beside it
CARD = 4.0  # padding of a label's card
AXIS_LEFT = PAD + MARK
# Labels go after their marker, so the latest date must leave room for one on its right.
AXIS_RIGHT = WIDTH - PAD - LABEL - MARK - GAP
MIN_MARGIN = 20  # days of axis before the first and after the last milestone
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200)
# Two boxes hit when they come closer than this vertically (see `hits`).
CLEAR = ROW_GAP - 0.01
EPS = 1e-6  # far above the rounding of sums of these coordinates, far below any real distance



@dataclass(frozen=True)
class MilestoneMark:
    """What the roadmap shows of a milestone: computed by the caller from the catalog."""

    id: str  # a slug: the milestone's anchor is #milestone-<id>
    title: str
    date: datetime.date
    done: int  # opportunities planned for it that are done
    total: int  # opportunities planned for it
    overdue: bool  # past its date with opportunities still open


@dataclass(frozen=True)
class RoadmapOptions:
    """Everything besides the milestones that changes the drawing."""

    labels: Labels = field(default_factory=Labels)
    direction: Direction = "ltr"
    id_prefix: str = "roadmap"
    today: datetime.date | None = None  # a dashed line when within the axis
    links: bool = True  # each milestone links to #milestone-<id>, its entry in the page's list


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


class _RoadmapDrawer:
    def __init__(self, title: str, milestones: Sequence[MilestoneMark],
                 options: RoadmapOptions) -> None:
        self.title = title
        self.milestones = list(milestones)
        self.options = options
        self.t = options.labels
        self.texts: list[Text] = []
        dates = [m.date.toordinal() for m in self.milestones]
        if dates:
            first, last = min(dates), max(dates)
        elif options.today is not None:  # nothing planned yet: a quarter either side of today
            first = last = options.today.toordinal()
        else:
            first = last = 0
        margin = max(MIN_MARGIN, round((last - first) * 0.06)) if dates else 3 * MIN_MARGIN
        self.start, self.end = first - margin, last + margin
        self.dated = bool(dates) or options.today is not None

    def iso(self, value: str) -> str:
        return isolate(value, self.options.direction)

    def x(self, day: datetime.date) -> float:
        share = (day.toordinal() - self.start) / (self.end - self.start)
        return AXIS_LEFT + share * (AXIS_RIGHT - AXIS_LEFT)

    def add(self, text: Text) -> Text:
        self.texts.append(text)
        return text

    # --- layout ---------------------------------------------------------------------------

    def label(self, index: int, x: float) -> _Label:
        """The label of a milestone after its marker, its first line level with the marker."""
        t, n = self.t, self.iso
        mark = self.milestones[index]
        left = x + MARK + GAP
        texts: list[Text] = []
        cursor = 0.0

        def stack(lines: list[str], size: float, css: str, bold: bool = False,
                  whole: str | None = None, indent: float = 0.0) -> None:
            nonlocal cursor
            shortened = bool(lines) and lines[-1].endswith(ELLIPSIS)
            text = Text(tuple(lines) or ("",), left + indent, cursor + ASCENT * size, size, css,
                        "start", bold, whole if shortened else None)
            texts.append(text)
            cursor += text.height + LINE_GAP

        stack(fit(mark.title, LABEL, SIZE, 3, bold=True), SIZE, "jr-title", True, mark.title)
        stack([n(self.t.short_date(mark.date))], SMALL, "jr-date")
        progress = t("milestone_progress", done=n(str(mark.done)), total=n(str(mark.total)))
        # The bar sits level with the middle of the progress text's first line.
        bar_top = cursor + (ASCENT + DESCENT) * SMALL / 2 - PROGRESS_HEIGHT / 2
        stack(fit(progress, LABEL - PROGRESS - GAP, SMALL, 2), SMALL, "jr-progress-text",
              indent=PROGRESS + GAP)
        if mark.overdue:
            still_open = n(str(max(mark.total - mark.done, 0)))
            stack(fit(t("milestone_overdue", open=still_open), LABEL, SMALL, 2), SMALL,
                  "jr-overdue", True)
        boxes = [text.box() for text in texts]
        ink = (left, 0.0, max(max(b[2] for b in boxes), left + PROGRESS),
               max(b[3] for b in boxes))
        return _Label(tuple(texts), (left, bar_top), ink)

    @staticmethod
    def fits(new: _Placed, placed: Iterable[_Placed]) -> bool:
        """Whether a milestone's card and marker keep clear of those placed before it.

        Leaders do not count: they run behind the cards, which hide them where they cross.
        """
        return not any(
            hits(new.card, other.card, SIDE_GAP, ROW_GAP)
            or hits(new.card, other.marker, 2, ROW_GAP)
            or hits(new.marker, other.card, 2, ROW_GAP)
            or hits(new.marker, other.marker, 2, ROW_GAP)
            for other in placed)

    def place(self, first_top: float) -> list[_Placed]:
        """Each milestone, earliest first, in the highest row where it hits nothing placed.

        The rows a milestone may take are the first row and the row under each card placed so
        far; it takes the first of them where `fits` finds it clear of everything placed. The
        same rows and the same test as trying them all against all, but `_Reach` rules out the
        rows where it would surely hit one, and `fits` tests a row only against the milestones
        close to it that it can still reach: their card beside its card, or ending beside its
        marker. Everything further left cannot reach it, nor anything placed after it, since
        the milestones come in date order, left to right.
        """
        order = sorted(range(len(self.milestones)),
                       key=lambda i: (self.milestones[i].date.toordinal(), i))
        placed: list[_Placed] = []
        rows = [first_top]  # the tops a milestone may take, sorted, each once
        reach = _Reach()
        # By the right edge of their card: those beside the new card, then those beside the
        # new marker; the first leave, then the others, as milestones move to the right.
        beside: list[tuple[float, int, _Placed]] = []
        near: list[tuple[float, int, _Placed]] = []
        tallest = 0.0  # of any card placed
        for index in order:
            x = self.x(self.milestones[index].date)
            label = self.label(index, x)
            probe = _Placed(self.milestones[index], index, x, first_top, label)
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
            new = self._first_fit(probe, rows, reach, tallest)
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

    def _first_fit(self, probe: _Placed, rows: list[float], reach: _Reach,
                   tallest: float) -> _Placed:
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
                if self.fits(candidate, others):
                    return candidate
        raise AssertionError("the row under everything placed always fits")

    def months(self) -> tuple[list[tuple[float, str]], list[float]]:
        """Labelled ticks (x, text) and minor ticks, spaced so that their labels never touch."""
        if not self.dated:
            return [], []
        start = datetime.date.fromordinal(self.start)
        end = datetime.date.fromordinal(self.end)
        firsts: list[datetime.date] = []
        year, month = start.year, start.month
        while True:
            day = datetime.date(year, month, 1)
            if day > end:
                break
            if day >= start:
                firsts.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        per_month = (AXIS_RIGHT - AXIS_LEFT) / (self.end - self.start) * 30.44
        room = text_width(self.t.month(datetime.date(2000, 12, 1)), SMALL) + 14
        step = next((s for s in MONTH_STEPS if per_month * s >= room), MONTH_STEPS[-1])
        labelled: list[tuple[float, str]] = []
        for day in firsts:
            if step >= 12:
                if day.month == 1 and day.year % (step // 12) == 0:
                    labelled.append((self.x(day), f"{day.year:04d}"))
            elif (day.month - 1) % step == 0:
                labelled.append((self.x(day), self.t.month(day)))
        minor = [self.x(day) for day in firsts] if per_month >= 4 else []
        return labelled, minor

    # --- drawing --------------------------------------------------------------------------

    def draw(self) -> DrawnChart:
        t, options = self.t, self.options
        today = options.today
        show_today = today is not None and self.dated and \
            self.start <= today.toordinal() <= self.end
        y = PAD
        today_text: Text | None = None
        if show_today and today is not None:
            label = t("today")
            width = text_width(label, SMALL, bold=True)
            centre = min(max(self.x(today), PAD + width / 2), WIDTH - PAD - width / 2)
            today_text = Text((label,), centre, y + ASCENT * SMALL, SMALL, "jr-today-text",
                              "middle", True)
            y += line_height(SMALL) + 2
        ticks, minor = self.months()
        tick_texts = []
        for x, label in ticks:
            text = Text((self.iso(label),), x, y + ASCENT * SMALL, SMALL, "jr-tick-text",
                        "middle")
            left, _, right, _ = text.box()
            if left >= 0 and right <= WIDTH:
                tick_texts.append(text)
        y += line_height(SMALL) + 2
        axis = y + 6
        placed = self.place(axis + 10 + CARD)
        height = max([p.bottom for p in placed] + [axis + 10]) + PAD

        canvas = Canvas(Frame(WIDTH, options.direction), height, options.id_prefix)
        dates = sorted(m.date for m in self.milestones)
        canvas.describe(
            t("roadmap_chart_title", title=self.title),
            t("roadmap_chart_desc", count=len(self.milestones),
              first=t.date(dates[0]) if dates else "",
              last=t.date(dates[-1]) if dates else "",
              overdue=sum(1 for m in self.milestones if m.overdue)), "journey-roadmap")

        if show_today and today is not None and today_text is not None:
            group = canvas.group("jr-today")
            canvas.line((self.x(today), today_text.box()[3] + 2), (self.x(today), height - 4),
                        "jr-today-line", group)
            canvas.text(self.add(today_text), group)

        group = canvas.group("jr-axis")
        canvas.line((AXIS_LEFT - MARK, axis), (AXIS_RIGHT + MARK, axis), "jr-axis-line", group)
        for x in minor:
            canvas.line((x, axis - 3), (x, axis), "jr-tick jr-tick--minor", group)
        for text in tick_texts:
            canvas.line((text.x, axis - 6), (text.x, axis), "jr-tick", group)
            canvas.text(self.add(text), group)

        leaders = canvas.group("jr-leaders")
        for item in placed:
            canvas.line((item.x, axis), (item.x, item.marker[1]), "jr-leader", leaders)
        milestones = canvas.group("jr-milestones")
        for item in placed:
            self.draw_milestone(canvas, item, milestones)
        return DrawnChart(canvas.tostring(), WIDTH, height, self.texts)

    def draw_milestone(self, canvas: Canvas, item: _Placed, parent: Any) -> None:
        mark = item.mark
        if self.options.links and SLUG.fullmatch(mark.id):
            link = canvas.drawing.a(href=f"#milestone-{mark.id}")
            del link.attribs["target"]  # svgwrite opens links in a new window
            parent.add(link)
            parent = link
        kind = "overdue" if mark.overdue else "done" if mark.total and \
            mark.done >= mark.total else "open"
        group = canvas.group(f"jr-milestone jr-milestone--{kind}", parent,
                             data_milestone=mark.id)
        left, top, right, bottom = item.card
        canvas.rect(left, top, right - left, bottom - top, "jr-card", group, radius=CARD)
        left, top, right, bottom = item.marker
        cx, cy = (left + right) / 2, (top + bottom) / 2
        if mark.overdue:  # a warning triangle instead of the diamond
            s = MARK + 1
            canvas.polygon([(cx, cy - s), (cx + s, cy + s * 0.8), (cx - s, cy + s * 0.8)],
                           "jr-marker jr-marker--overdue", group)
        else:
            canvas.polygon([(cx, cy - MARK), (cx + MARK, cy), (cx, cy + MARK), (cx - MARK, cy)],
                           f"jr-marker jr-marker--{kind}", group)
        bar_left, bar_top = item.bar
        canvas.rect(bar_left, bar_top, PROGRESS, PROGRESS_HEIGHT, "jr-progress", group,
                    radius=PROGRESS_HEIGHT / 2)
        share = min(max(mark.done / mark.total, 0.0), 1.0) if mark.total > 0 else 0.0
        if share > 0:
            canvas.rect(bar_left, bar_top, PROGRESS * share, PROGRESS_HEIGHT, "jr-progress-done",
                        group, radius=PROGRESS_HEIGHT / 2)
        for text in item.texts:
            canvas.text(self.add(text), group)


def draw_roadmap(title: str, milestones: Sequence[MilestoneMark],
                 options: RoadmapOptions | None = None) -> DrawnChart:
    """The roadmap chart and the geometry of its text; for tests and for callers that need the
    size."""
    return _RoadmapDrawer(title, milestones, options or RoadmapOptions()).draw()


def render_roadmap(title: str, milestones: Sequence[MilestoneMark],
                   options: RoadmapOptions | None = None) -> str:
    """The roadmap as an SVG string: a pure function of the milestones and the options."""
    return draw_roadmap(title, milestones, options).svg
