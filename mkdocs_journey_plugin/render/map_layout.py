"""The journey map's layout: where every lane, cell, badge and legend entry goes.

`lay_out` works it out from the journey and the options before anything is drawn, and
`journey_map.py` paints it. Layout x always runs left to right: the canvas' frame mirrors it in a
right-to-left map.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import TYPE_CHECKING

from ..durations import format_duration
from ..figures import handoffs, lowest_moment
from ..labels import Labels
from ..model import Journey, Opportunity, Touchpoint
from .metrics_lane import MetricBlock, lay_out_metrics
from .svg import ASCENT, Text
from .text import ELLIPSIS, fit, line_height, text_width

if TYPE_CHECKING:
    from .journey_map import MapOptions

COLUMN = 140.0  # one touchpoint: ten of them fit a 1280-pixel window at 0.8 of their size
GUTTER = 120.0  # lane names
PAD = 12.0
SIZE = 12.0
SMALL = 11.0
STAGE_SIZE = SIZE + 1  # of a stage's name
INNER = COLUMN - 2 * PAD
CURVE = 170.0  # height of the emotion area
AXIS_ROOM = 26.0  # at the gutter's end, beside the lane names: the emotion axis' numbers
ICON = 18.0  # a channel's icon, over the channel's name
ICON_GAP = 4.0  # from the icon to the name
HANDOFF_ROOM = 14.0  # under the team names, for the handoff arrows
BADGE = 9.0  # radius of a moment badge
BADGE_GAP = 6.0  # between badges beside each other, and between their rows
TAG_INSET = 10.0  # wider than its word, for a tag ("lowest", "end")
BADGE_INSET = 8.0  # wider than its glyph, for a badge as long as its number
GLYPH_DROP = 4.0  # from a badge's middle down to its glyph's baseline
SAMPLE = 30.0  # a legend entry's sample, before its words
LEGEND_GAP = 18.0  # between legend entries in a row
LONGEST_GAP = 2 * COLUMN  # on a time axis, the room the longest time between touchpoints adds


@dataclass(frozen=True)
class Badge:
    glyph: str
    css: str
    tooltip: str
    href: str | None = None

    @property
    def width(self) -> float:
        glyph = text_width(self.glyph, SMALL, bold=True)
        if self.css.startswith("jm-tag"):
            return glyph + TAG_INSET
        return max(2 * BADGE, glyph + BADGE_INSET)


@dataclass(frozen=True)
class Lane:
    """A band across the map, its name in the gutter."""

    name: str
    top: float
    height: float
    key: str = ""  # which lane: "stage", "action", "actors", "channel", ..., "backstage"


@dataclass(frozen=True)
class Stage:
    """A stage's name over its columns."""

    text: Text
    left: float
    span: float


# Placed at (left, top): a badge, and a legend entry's key, words, left and top.
PlacedBadge = tuple[Badge, float, float]
LegendEntry = tuple[str, Text, float, float]


@dataclass(frozen=True)
class TimeGap:
    """On a time axis: the room between two columns for the time that passes between them."""

    left: float
    width: float
    text: Text | None  # how long, when it fits in the room


@dataclass(frozen=True)
class MapLayout:
    """The geometry of a map, computed from the journey and the options."""

    width: float
    height: float
    lefts: tuple[float, ...]  # each touchpoint's column; a time axis spaces them apart
    lanes: list[Lane]
    stages: list[Stage]
    stage_height: float
    cells: list[tuple[Text | None, ...]]  # per touchpoint: action, actors, channel, team,
    # backstage
    channel_top: float | None  # of the channel icons; None without a channel lane
    curve_top: float
    visibility_y: float | None  # the line of visibility; None with neither team nor backstage
    badges: list[list[PlacedBadge]]  # per touchpoint
    legend: list[LegendEntry]
    times: list[Text | None]  # on a time axis, per touchpoint: when it starts
    gaps: list[TimeGap]
    metrics: list[MetricBlock]  # the lane of measures; empty without measures

    def centre(self, index: int) -> float:
        """The middle of a touchpoint's column."""
        return self.lefts[index] + COLUMN / 2


def time_between(journey: Journey) -> list[int]:
    """Seconds from each touchpoint's start back to the one before's: its duration and this
    one's wait (the first: 0). A time not given counts as none."""
    touchpoints = journey.touchpoints
    return [0] + [(before.duration_seconds or 0) + (after.wait_seconds or 0)
                  for before, after in pairwise(touchpoints)]


def column_lefts(journey: Journey) -> tuple[float, ...]:
    """Where each column starts: side by side, or on a time axis with room for the time
    between them, the longest time given LONGEST_GAP and the others as much less as they are
    shorter. Not to scale from the start: every column keeps its width, so a day between two
    touchpoints is drawn as a day between their columns' edges."""
    between = time_between(journey) if journey.time_axis else [0] * len(journey.touchpoints)
    longest = max(between)
    lefts, x = [], GUTTER
    for seconds in between:
        x += seconds / longest * LONGEST_GAP if longest else 0.0
        lefts.append(x)
        x += COLUMN
    return tuple(lefts)


class _Lanes:
    """Lanes stacked from the top of the map down, each as tall as what is in it."""

    def __init__(self) -> None:
        self.lanes: list[Lane] = []
        self.y = 0.0  # the top of the next lane

    def add(self, name: str, height: float, key: str = "") -> None:
        self.lanes.append(Lane(name, self.y, height, key))
        self.y += height

    def cells(self, name: str, cells: list[Text | None], minimum: float,
              key: str = "") -> list[Text | None]:
        """A lane as tall as its tallest cell (at least `minimum`), padded."""
        self.add(name, max([c.height for c in cells if c] + [minimum]) + 2 * PAD, key)
        return cells

    def grow(self, *room: float) -> None:
        """The last lane taller by `room` under its cells, and everything below it lower."""
        last = self.lanes[-1]
        height = last.height
        for part in room:
            height += part
        self.lanes[-1] = replace(last, height=height)
        self.y += sum(room)


def cell_text(value: str | None, middle: float, top: float, size: float = SIZE, lines: int = 6,
              css: str = "jm-text", bold: bool = False) -> Text | None:
    """A touchpoint's text in its column (its `middle`), wrapped and shortened to fit."""
    if not value:
        return None
    wrapped = fit(value, INNER, size, lines, bold)
    shortened = bool(wrapped) and wrapped[-1].endswith(ELLIPSIS)
    return Text(tuple(wrapped), middle, top + ASCENT * size, size, css,
                "middle", bold, value if shortened else None)


def _stages(journey: Journey, lefts: tuple[float, ...]) -> list[Stage]:
    stages: list[Stage] = []
    index = 0
    for stage in journey.stages:
        left = lefts[index]
        span = lefts[index + len(stage.touchpoints) - 1] + COLUMN - left
        lines = fit(stage.name, span - 2 * PAD, STAGE_SIZE, 2, bold=True)
        text = Text(tuple(lines), left + span / 2, PAD + ASCENT * STAGE_SIZE, STAGE_SIZE,
                    "jm-stage-name", "middle", True)
        stages.append(Stage(text, left, span))
        index += len(stage.touchpoints)
    return stages


def _touchpoint_badges(touchpoint: Touchpoint, lowest: str | None, end: str, t: Labels,
                       touching: list[Opportunity], numbers: dict[str | None, int]) -> list[Badge]:
    found: list[Badge] = []
    if touchpoint.id == lowest:
        found.append(Badge(t("tag_lowest"), "jm-tag jm-tag--lowest", t("legend_peak_end")))
    if touchpoint.id == end:
        found.append(Badge(t("tag_end"), "jm-tag jm-tag--end", t("legend_peak_end")))
    if touchpoint.moment_of_truth:
        found.append(Badge("\u2605", "jm-badge jm-badge--truth", t("moment_of_truth")))
    if touchpoint.gap:
        found.append(Badge("?", "jm-badge jm-badge--gap", f"{t('gap')}: {touchpoint.gap}"))
    if touchpoint.pain:
        found.append(Badge("!", "jm-badge jm-badge--pain", f"{t('pain')}: {touchpoint.pain}"))
    if touchpoint.quote:
        found.append(Badge("\u201c", "jm-badge jm-badge--quote",
                           f"{t('quote')}: \u201c{touchpoint.quote}\u201d"))
    for opportunity in touching:
        if opportunity.id:
            found.append(Badge(str(numbers[opportunity.id]), "jm-badge jm-badge--opportunity",
                               f"{t('opportunity')} {numbers[opportunity.id]}: "
                               f"{opportunity.title}", f"#opp-{opportunity.id}"))
    return found


def moment_badges(journey: Journey, t: Labels) -> list[list[Badge]]:
    """Each touchpoint's badges in the lane of moments: lowest, end, moment of truth, gap,
    pain, quote and the numbers of its opportunities."""
    numbers = {o.id: n for n, o in enumerate(journey.opportunities, start=1)}
    # Each touchpoint's opportunities, in their order: asking every opportunity about every
    # touchpoint was touchpoints x opportunities.
    touching: dict[str, list[Opportunity]] = {}
    for opportunity in journey.opportunities:
        for touchpoint_id in dict.fromkeys(opportunity.touchpoints):
            touching.setdefault(touchpoint_id, []).append(opportunity)
    lowest = lowest_moment(journey).id
    end = journey.frontstage[-1].id or ""
    return [_touchpoint_badges(tp, lowest, end, t, touching.get(tp.id or "", []), numbers)
            for tp in journey.touchpoints]


def flow(badges: Sequence[Badge], left: float, top: float, width: float) -> list[PlacedBadge]:
    """Badges placed left to right, wrapping to new rows inside `width`."""
    placed: list[PlacedBadge] = []
    x, y = left, top
    for badge in badges:
        size = badge.width
        if x > left and x + size > left + width:
            x, y = left, y + 2 * BADGE + BADGE_GAP
        placed.append((badge, x, y))
        x += size + BADGE_GAP
    return placed


def _moments_height(placed: list[list[PlacedBadge]], top: float) -> float:
    """The lane of moments: as many rows of badges as the fullest column has."""
    row = 2 * BADGE + BADGE_GAP
    rows = max([(p[-1][2] - top) / row + 1 for p in placed if p] + [1])
    return rows * row - BADGE_GAP + 2 * PAD


def legend_items(journey: Journey, options: MapOptions) -> list[tuple[str, str]]:
    """The legend's entries (a key, the words), for what this map shows."""
    t, (low, high), number = options.labels, options.scale, options.number
    items = [("curve", t("legend_curve", low=number(low), high=number(high)))]
    if any(isinstance(tp.emotion, list) for tp in journey.frontstage):
        items.append(("band", t("legend_band")))
    if options.compare is not None:
        items.append(("compare", t("legend_compared", title=options.compare_title)))
    items.append(("ring", t("legend_peak_end")))
    if journey.time_axis:
        items.append(("time", t("legend_time")))
    if options.measures.on_the_map:
        items.append(("metric", t("legend_metric")))
    tps = journey.touchpoints
    for key, present in (("truth", any(tp.moment_of_truth for tp in tps)),
                         ("gap", any(tp.gap for tp in tps)),
                         ("pain", any(tp.pain for tp in tps)),
                         ("quote", any(tp.quote for tp in tps)),
                         ("opportunity", bool(journey.opportunities)),
                         ("handoff", handoffs(journey) > 0)):
        if present:
            items.append((key, t(f"legend_{key}")))
    return items


def flow_legend(items: list[tuple[str, str]], top: float,
                width: float) -> tuple[list[LegendEntry], float]:
    """Legend entries (a sample, then words) in rows that wrap inside the map's width."""
    placed: list[LegendEntry] = []
    left, right = PAD, width - PAD
    x, y, row_height = left, top, 2 * BADGE
    for key, label in items:
        lines = tuple(fit(label, right - left - SAMPLE, SMALL, 2))
        text = Text(lines, x + SAMPLE, y + BADGE + GLYPH_DROP, SMALL, "jm-legend-text")
        size = SAMPLE + text.width
        if x > left and x + size > right:
            x, y = left, y + row_height + BADGE_GAP
            row_height = 2 * BADGE
            text = Text(lines, x + SAMPLE, y + BADGE + GLYPH_DROP, SMALL, "jm-legend-text")
        placed.append((key, text, x, y))
        row_height = max(row_height, text.box()[3] - y)
        x += size + LEGEND_GAP
    return placed, y + row_height - top


def lay_out(journey: Journey, options: MapOptions) -> MapLayout:
    """Lanes top to bottom: stage, (time), action, actors (when any touchpoint names them),
    channel, emotion, moments, measures (when there are any), team, backstage; then the
    legend. Each lane is as tall as its tallest cell. Without `options.channel_lane` the
    channel lane is left out, and without `options.empty_lanes` so are the team and backstage
    lanes when no touchpoint fills them."""
    t, touchpoints = options.labels, journey.touchpoints
    lefts = column_lefts(journey)
    middles = [left + COLUMN / 2 for left in lefts]
    width = lefts[-1] + COLUMN + PAD
    stages = _stages(journey, lefts)
    stage_height = max(s.text.height for s in stages) + 2 * PAD
    lanes = _Lanes()
    lanes.add(t("lane_stage"), stage_height, "stage")
    times: list[Text | None] = []
    gaps: list[TimeGap] = []
    if journey.time_axis:
        times, gaps = _time_lane(journey, lanes, lefts, t)
    top = lanes.y + PAD
    actions = lanes.cells(t("lane_action"), [
        None if tp.backstage else cell_text(tp.action, middles[i], top)
        for i, tp in enumerate(touchpoints)], line_height(SIZE), "action")
    nothing: list[Text | None] = [None] * len(touchpoints)
    actors = nothing
    if any(tp.actors for tp in touchpoints):
        top = lanes.y + PAD
        actors = lanes.cells(t("lane_actors"), [
            cell_text(", ".join(tp.actors), middles[i], top, SMALL, 3, "jm-actors")
            for i, tp in enumerate(touchpoints)], line_height(SMALL), "actors")
    channel_top: float | None = None
    channels = nothing
    if options.channel_lane:
        channel_top = lanes.y + PAD
        channels = lanes.cells(t("lane_channel"), [
            cell_text(tp.channel, middles[i], channel_top + ICON + ICON_GAP, SMALL, 2,
                      "jm-channel")
            for i, tp in enumerate(touchpoints)], line_height(SMALL), "channel")
        lanes.grow(ICON, ICON_GAP)
    curve_top = lanes.y + PAD
    lanes.add(t("lane_emotion"), CURVE + 2 * PAD, "emotion")
    top = lanes.y + PAD
    badges = [flow(found, lefts[i] + PAD, top, INNER)
              for i, found in enumerate(moment_badges(journey, t))]
    lanes.add(t("lane_moments"), _moments_height(badges, top), "moments")
    metrics: list[MetricBlock] = []
    if options.measures.on_the_map:
        top = lanes.y + PAD
        metrics, content = lay_out_metrics(
            options.measures, top, middles, [(s.left, s.span) for s in stages], INNER, PAD, SIZE,
            SMALL, t, options.direction)
        lanes.add(t("lane_metrics"), content + 2 * PAD, "metrics")
    teams = nothing
    if options.empty_lanes or any(tp.team for tp in touchpoints):
        top = lanes.y + PAD
        teams = lanes.cells(t("lane_team"), [
            cell_text(tp.team, middles[i], top, SMALL, 2, "jm-team")
            for i, tp in enumerate(touchpoints)], line_height(SMALL), "team")
        lanes.grow(HANDOFF_ROOM)
    visibility_y: float | None = lanes.y
    backstage = nothing
    if options.empty_lanes or any(tp.backstage for tp in touchpoints):
        top = lanes.y + PAD
        backstage = lanes.cells(t("lane_backstage"), [
            cell_text(tp.action, middles[i], top, SIZE, 6, "jm-text jm-text--backstage")
            if tp.backstage else None for i, tp in enumerate(touchpoints)], line_height(SIZE),
            "backstage")
    elif teams is nothing:
        visibility_y = None  # nothing below it: no line
    legend, legend_height = flow_legend(legend_items(journey, options), lanes.y + PAD, width)
    height = lanes.y + (legend_height + 2 * PAD)
    return MapLayout(width, height, lefts, lanes.lanes, stages, stage_height,
                     list(zip(actions, actors, channels, teams, backstage, strict=True)),
                     channel_top, curve_top, visibility_y, badges, legend, times, gaps,
                     metrics)


def _time_lane(journey: Journey, lanes: _Lanes, lefts: tuple[float, ...],
               t: Labels) -> tuple[list[Text | None], list[TimeGap]]:
    """The lane of a time axis: when each touchpoint starts, counted from the first, and how
    long each wait before it is; and the room of each time between two columns, with how long
    it is where that fits."""
    top = lanes.y + PAD
    times: list[Text | None] = []
    gaps: list[TimeGap] = []
    elapsed = 0
    for i, (seconds, tp) in enumerate(zip(time_between(journey), journey.touchpoints,
                                          strict=True)):
        elapsed += seconds
        lines = fit(t("time_start") if i == 0 else
                    t("time_after", time=format_duration(elapsed, t)), INNER, SMALL, 1)
        if tp.wait_seconds:
            lines += fit(t("time_wait", time=format_duration(tp.wait_seconds, t)), INNER, SMALL, 1)
        times.append(Text(tuple(lines), lefts[i] + COLUMN / 2, top + ASCENT * SMALL, SMALL,
                          "jm-time", "middle"))
        if i:
            left = lefts[i - 1] + COLUMN
            room = lefts[i] - left
            label = format_duration(seconds, t)
            fits = room >= text_width(label, SMALL) + 2 * PAD
            text = Text((label,), left + room / 2, top + ASCENT * SMALL, SMALL, "jm-gap-time",
                        "middle") if fits and seconds else None
            if room >= 1:
                gaps.append(TimeGap(left, room, text))
    lanes.cells(t("lane_time"), times, line_height(SMALL), "time")
    return times, gaps
