"""The roadmap: milestones on a time axis, each with its progress and whether it is overdue.

A horizontal axis of months runs along the top. Every milestone hangs below it at its date: a
thin leader from the axis down to its marker (a diamond; a warning triangle when it is past its
date with opportunities still open), and after the marker, on a card, its title, its date, a
progress bar with "{done} of {total} done" and, when overdue, the overdue text. Milestones close
in time are stacked in rows: `placement.py` finds each one's row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..labels import Labels
from ..model import SLUG
from .placement import CARD, MARK, ROW_GAP, SIDE_GAP, SIZE, _Label, _Placed, place
from .svg import ASCENT, DESCENT, Canvas, Direction, DrawnChart, Frame, Text, hits, isolate
from .text import ELLIPSIS, fit, line_height, text_width

WIDTH = 720.0  # as the bars; scaled down to the page column when wider
PAD = 12.0
SMALL = 11.0
GAP = 6.0  # from a marker to its label
LABEL = 140.0  # width of a milestone's label
PROGRESS = 44.0  # width of the progress bar
PROGRESS_HEIGHT = 6.0
LINE_GAP = 2.0  # between the parts of a label
AXIS_LEFT = PAD + MARK
# Labels go after their marker, so the latest date must leave room for one on its right.
AXIS_RIGHT = WIDTH - PAD - LABEL - MARK - GAP
MIN_MARGIN = 20  # days of axis before the first and after the last milestone
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200)


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
        """Each milestone in the highest row where it hits nothing placed (see `placement`)."""
        probes = []
        for index, mark in enumerate(self.milestones):
            x = self.x(mark.date)
            probes.append(_Placed(mark, index, x, first_top, self.label(index, x)))
        return place(probes, first_top, self.fits)

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
