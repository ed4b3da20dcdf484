"""The journey map: stages as columns, lanes of what happens, and the emotion curve under them.

Read left to right (right to left in Hebrew): a column per touchpoint, grouped by stage. Lanes, top
to bottom: stage, what the customer does, channel, emotion, moments (gaps, pain points, quotes,
opportunities, lowest and end), team with handoff arrows, the line of visibility, backstage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..figures import channel_switches, handoffs, lowest_moment
from ..model import Journey, Opportunity, Touchpoint
from .channels import channel_icon
from .options import ChartOptions
from .svg import ASCENT, Canvas, Frame, Text, num
from .text import ELLIPSIS, fit, line_height, text_width

COLUMN = 150.0  # one touchpoint
GUTTER = 120.0  # lane names
PAD = 12.0
SIZE = 12.0
SMALL = 11.0
INNER = COLUMN - 2 * PAD
CURVE = 170.0  # height of the emotion area
BADGE = 9.0  # radius of a moment badge
MARKER = 6.0  # half size of an emotion point
STACK_GAP = 14.0  # from an emotion point to its labels


@dataclass(frozen=True)
class MapOptions(ChartOptions):
    """Everything besides the journey that changes the drawing."""

    id_prefix: str = "journey-map"
    compare: Journey | None = None
    compare_title: str = ""


@dataclass(frozen=True)
class Badge:
    glyph: str
    css: str
    tooltip: str
    href: str | None = None


@dataclass
class DrawnMap:
    """The SVG and the text it placed, so that tests can check boxes without a browser."""

    svg: str
    width: float
    height: float
    texts: list[Text]
    points: list[tuple[float, float]]


class _MapDrawer:
    def __init__(self, journey: Journey, options: MapOptions) -> None:
        self.journey = journey
        self.options = options
        self.t = options.labels
        self.touchpoints = journey.touchpoints
        self.width = GUTTER + COLUMN * len(self.touchpoints) + PAD
        self.texts: list[Text] = []
        self.numbers = {o.id: n for n, o in enumerate(journey.opportunities, start=1)}
        # Each touchpoint's opportunities, in their order: asking every opportunity about every
        # touchpoint was touchpoints x opportunities.
        self.touching: dict[str, list[Opportunity]] = {}
        for opportunity in journey.opportunities:
            for touchpoint_id in dict.fromkeys(opportunity.touchpoints):
                self.touching.setdefault(touchpoint_id, []).append(opportunity)

    # --- geometry -------------------------------------------------------------------------

    def centre(self, index: int) -> float:
        return GUTTER + COLUMN * index + COLUMN / 2

    def score_y(self, value: float, top: float) -> float:
        low, high = self.options.scale
        return top + (high - value) / (high - low) * CURVE

    def add(self, text: Text) -> Text:
        self.texts.append(text)
        return text

    def cell_text(self, value: str | None, index: int, top: float, size: float = SIZE,
                  lines: int = 6, css: str = "jm-text", bold: bool = False) -> Text | None:
        if not value:
            return None
        wrapped = fit(value, INNER, size, lines, bold)
        shortened = bool(wrapped) and wrapped[-1].endswith(ELLIPSIS)
        return Text(tuple(wrapped), self.centre(index), top + ASCENT * size, size, css,
                    "middle", bold, value if shortened else None)

    def badges(self, touchpoint: Touchpoint, lowest: str, end: str) -> list[Badge]:
        t = self.t
        found: list[Badge] = []
        if touchpoint.id == lowest:
            found.append(Badge(t("tag_lowest"), "jm-tag jm-tag--lowest", t("legend_peak_end")))
        if touchpoint.id == end:
            found.append(Badge(t("tag_end"), "jm-tag jm-tag--end", t("legend_peak_end")))
        if touchpoint.gap:
            found.append(Badge("?", "jm-badge jm-badge--gap", f"{t('gap')}: {touchpoint.gap}"))
        if touchpoint.pain:
            found.append(Badge("!", "jm-badge jm-badge--pain", f"{t('pain')}: {touchpoint.pain}"))
        if touchpoint.quote:
            found.append(Badge("\u201c", "jm-badge jm-badge--quote",
                               f"{t('quote')}: \u201c{touchpoint.quote}\u201d"))
        for opportunity in self.touching.get(touchpoint.id or "", []):
            if opportunity.id:
                found.append(Badge(str(self.numbers[opportunity.id]),
                                   "jm-badge jm-badge--opportunity",
                                   f"{t('opportunity')} {self.numbers[opportunity.id]}: "
                                   f"{opportunity.title}", f"#opp-{opportunity.id}"))
        return found

    @staticmethod
    def badge_width(badge: Badge) -> float:
        if badge.css.startswith("jm-tag"):
            return text_width(badge.glyph, SMALL, bold=True) + 10
        return max(2 * BADGE, text_width(badge.glyph, SMALL, bold=True) + 8)

    def flow(self, badges: Sequence[Badge], left: float, top: float,
             width: float) -> list[tuple[Badge, float, float]]:
        """Badges placed left to right, wrapping to new rows inside `width`."""
        placed: list[tuple[Badge, float, float]] = []
        x, y = left, top
        for badge in badges:
            size = self.badge_width(badge)
            if x > left and x + size > left + width:
                x, y = left, y + 2 * BADGE + 6
            placed.append((badge, x, y))
            x += size + 6
        return placed

    def compare_points(self, top: float) -> list[tuple[float, float]]:
        """The compared journey's curve, placed under this map's stages of the same name."""
        other = self.options.compare
        if other is None:
            return []
        spans: dict[str, tuple[float, float]] = {}
        index = 0
        for stage in self.journey.stages:
            start = GUTTER + COLUMN * index
            index += len(stage.touchpoints)
            spans.setdefault(stage.name.casefold(), (start, GUTTER + COLUMN * index))
        points: list[tuple[float, float]] = []
        everything = len(other.frontstage)
        position = -1  # of the touchpoint among all frontstage ones (counted, not looked up)
        for stage in other.stages:
            front = [t for t in stage.touchpoints if not t.backstage]
            span = spans.get(stage.name.casefold())
            for number, touchpoint in enumerate(front):
                position += 1
                if span is not None:
                    x = span[0] + (span[1] - span[0]) * (number + 0.5) / len(front)
                else:  # no stage of that name here: spread over the whole map
                    x = GUTTER + (self.width - PAD - GUTTER) * (position + 0.5) / everything
                points.append((x, self.score_y(touchpoint.score or 0.0, top)))
        return sorted(points)

    # --- drawing --------------------------------------------------------------------------

    def draw(self) -> DrawnMap:
        t, journey = self.t, self.journey
        lowest = lowest_moment(journey).id
        front = journey.frontstage
        end = front[-1].id or ""
        lane_tops: list[tuple[str, float, float]] = []  # name, top, height
        y = 0.0

        # Stage names over their columns.
        stage_texts: list[Text] = []
        stage_spans: list[tuple[float, float]] = []
        index = 0
        for stage in journey.stages:
            left = GUTTER + COLUMN * index
            span = COLUMN * len(stage.touchpoints)
            lines = fit(stage.name, span - 2 * PAD, SIZE + 1, 2, bold=True)
            stage_texts.append(Text(tuple(lines), left + span / 2, y + PAD + ASCENT * (SIZE + 1),
                                    SIZE + 1, "jm-stage-name", "middle", True))
            stage_spans.append((left, span))
            index += len(stage.touchpoints)
        stage_height = max(s.height for s in stage_texts) + 2 * PAD
        lane_tops.append((t("lane_stage"), y, stage_height))
        y += stage_height

        def lane(name: str, cells: list[Text | None], minimum: float) -> list[Text | None]:
            nonlocal y
            height = max([c.height for c in cells if c] + [minimum]) + 2 * PAD
            lane_tops.append((name, y, height))
            y += height
            return cells

        action_top = y + PAD
        actions = lane(t("lane_action"), [
            None if tp.backstage else self.cell_text(tp.action, i, action_top)
            for i, tp in enumerate(self.touchpoints)], line_height(SIZE))

        channel_top = y + PAD
        icon_size = 18.0
        channels = lane(t("lane_channel"), [
            self.cell_text(tp.channel, i, channel_top + icon_size + 4, SMALL, 2, "jm-channel")
            for i, tp in enumerate(self.touchpoints)], line_height(SMALL))
        lane_tops[-1] = (lane_tops[-1][0], lane_tops[-1][1], lane_tops[-1][2] + icon_size + 4)
        y += icon_size + 4

        curve_top = y + PAD
        lane_tops.append((t("lane_emotion"), y, CURVE + 2 * PAD))
        y += CURVE + 2 * PAD

        moments_top = y + PAD
        placed = [self.flow(self.badges(tp, lowest, end), GUTTER + COLUMN * i + PAD, moments_top,
                            INNER) for i, tp in enumerate(self.touchpoints)]
        rows = max([(p[-1][2] - moments_top) / (2 * BADGE + 6) + 1 for p in placed if p] + [1])
        moments_height = rows * (2 * BADGE + 6) - 6 + 2 * PAD
        lane_tops.append((t("lane_moments"), y, moments_height))
        y += moments_height

        team_top = y + PAD
        teams = lane(t("lane_team"), [
            self.cell_text(tp.team, i, team_top, SMALL, 2, "jm-team")
            for i, tp in enumerate(self.touchpoints)], line_height(SMALL))
        lane_tops[-1] = (lane_tops[-1][0], lane_tops[-1][1], lane_tops[-1][2] + 14)
        y += 14

        visibility_y = y
        backstage_top = y + PAD
        backstage = lane(t("lane_backstage"), [
            self.cell_text(tp.action, i, backstage_top, SIZE, 6, "jm-text jm-text--backstage")
            if tp.backstage else None for i, tp in enumerate(self.touchpoints)],
            line_height(SIZE))

        legend_top = y + PAD
        legend = self.legend_items(any(isinstance(tp.emotion, list) for tp in front))
        legend_placed, legend_height = self.flow_legend(legend, legend_top)
        y += legend_height + 2 * PAD
        height = y

        canvas = Canvas(Frame(self.width, self.options.direction), height, self.options.id_prefix)
        figures_desc = t(
            "map_desc", touchpoints=len(self.touchpoints), count=len(journey.stages),
            stages=", ".join(s.name for s in journey.stages),
            lowest=lowest_moment(journey).action, lowest_score=t.score(
                lowest_moment(journey).emotion), end=t.score(front[-1].score or 0.0),
            switches=channel_switches(journey), handoffs=handoffs(journey))
        canvas.describe(t("map_title", title=journey.title), figures_desc, "journey-map")
        self.arrow_marker(canvas)

        # Lanes: a band each, the name in the gutter.
        lanes = canvas.group("jm-lanes")
        for number, (name, top, lane_height) in enumerate(lane_tops):
            canvas.rect(0, top, self.width, lane_height,
                        f"jm-lane jm-lane--{'odd' if number % 2 else 'even'}", lanes)
            label = Text(tuple(fit(name, GUTTER - 2 * PAD - 26, SMALL, 3, bold=True)), PAD,
                         top + PAD + ASCENT * SMALL, SMALL, "jm-lane-name", "start", True)
            canvas.text(self.add(label), lanes)
        for left, span in stage_spans:
            canvas.rect(left + 2, 2, span - 4, stage_height - 4, "jm-stage", lanes, radius=4)
            canvas.line((left, stage_height), (left, height), "jm-stage-rule", lanes)
        for text in stage_texts:
            canvas.text(self.add(text), lanes)

        cells = canvas.group("jm-cells")
        for i, tp in enumerate(self.touchpoints):
            column = canvas.group("jm-touchpoint" + (" jm-touchpoint--backstage" if tp.backstage
                                                     else ""), cells, data_touchpoint=tp.id or "")
            for cell in (actions[i], channels[i], teams[i], backstage[i]):
                if cell is not None:
                    canvas.text(self.add(cell), column)
            icon = canvas.drawing.path(d=channel_icon(tp.channel), class_="jm-icon")
            x = canvas.frame.x(self.centre(i)) - icon_size / 2
            icon.attribs["transform"] = f"translate({num(x)} {num(channel_top)}) scale(0.75)"
            column.add(icon)

        self.draw_handoffs(canvas, visibility_y - 9)
        canvas.line((0, visibility_y), (self.width, visibility_y), "jm-visibility",
                    tooltip=t("lane_visibility"))
        points = self.draw_curve(canvas, curve_top)
        self.draw_badges(canvas, placed)
        self.draw_legend(canvas, legend_placed)
        return DrawnMap(canvas.tostring(), self.width, height, self.texts, points)

    def arrow_marker(self, canvas: Canvas) -> None:
        marker = canvas.drawing.marker(insert=(8, 4), size=(8, 8), orient="auto",
                                       id=f"{self.options.id_prefix}-arrow")
        marker.add(canvas.drawing.path(d="M0 0L8 4L0 8z", class_="jm-arrow-head"))
        canvas.drawing.defs.add(marker)

    def draw_handoffs(self, canvas: Canvas, y: float) -> None:
        group = canvas.group("jm-handoffs")
        for i in range(1, len(self.touchpoints)):
            before, after = self.touchpoints[i - 1].team, self.touchpoints[i].team
            if before and after and before.casefold() != after.casefold():
                canvas.line((self.centre(i - 1) + 10, y), (self.centre(i) - 10, y), "jm-handoff",
                            group, marker_end=f"url(#{self.options.id_prefix}-arrow)")

    def draw_curve(self, canvas: Canvas, top: float) -> list[tuple[float, float]]:
        low, high = self.options.scale
        group = canvas.group("jm-emotion")
        middle = (low + high) / 2
        zero = 0.0 if low < 0 < high else middle
        canvas.line((GUTTER, self.score_y(zero, top)), (self.width - PAD, self.score_y(zero, top)),
                    "jm-zero", group)
        for value in (high, zero, low):
            axis = Text((self.options.number(value),), GUTTER - 6,
                        self.score_y(value, top) + 4, SMALL - 1, "jm-axis", "end")
            canvas.text(self.add(axis), group)
        front = [(i, tp) for i, tp in enumerate(self.touchpoints) if not tp.backstage]
        scores = [(self.centre(i), tp) for i, tp in front]
        if any(isinstance(tp.emotion, list) for _, tp in front):
            upper = [(x, self.score_y(max(_scores(tp)), top)) for x, tp in scores]
            lower = [(x, self.score_y(min(_scores(tp)), top)) for x, tp in scores]
            canvas.polygon(upper + lower[::-1], "jm-band", group)
        compared = self.compare_points(top)
        if compared:
            canvas.polyline(compared, "jm-curve jm-curve--compare", group)
            for point in compared:
                canvas.circle(point, 3.5, "jm-point jm-point--compare", group)
        points = [(x, self.score_y(tp.score or 0.0, top)) for x, tp in scores]
        canvas.polyline(points, "jm-curve", group)
        lowest = lowest_moment(self.journey).id
        end = front[-1][1].id
        for (x, y), (_, tp) in zip(points, scores, strict=True):
            value = tp.score or 0.0
            kind = "positive" if value > middle else "negative" if value < middle else "neutral"
            if tp.id in (lowest, end):
                canvas.circle((x, y), MARKER + 5, "jm-ring", group)
            self.marker(canvas, (x, y), kind, group)
            labels = [Text((self.options.number(value),), x, 0, SIZE, "jm-score", "middle", True)]
            if tp.feeling:
                labels.append(Text(tuple(fit(tp.feeling, INNER, SMALL, 2)), x, 0, SMALL,
                                   "jm-feeling", "middle"))
            stack = sum(label.height for label in labels) + 2 * (len(labels) - 1)
            below = y < top + CURVE / 2
            cursor = y + STACK_GAP if below else y - STACK_GAP - stack
            for label in labels:
                placed = Text(label.lines, x, cursor + ASCENT * label.size, label.size, label.css,
                              "middle", label.bold)
                canvas.text(self.add(placed), group)
                cursor += label.height + 2
        return points

    def marker(self, canvas: Canvas, centre: tuple[float, float], kind: str, parent: Any) -> None:
        x, y = centre
        css = f"jm-point jm-point--{kind}"
        if kind == "neutral":
            canvas.circle(centre, MARKER - 0.5, css, parent)
            return
        s = MARKER + 1
        tip = -s if kind == "positive" else s
        canvas.polygon([(x, y + tip), (x - s, y - tip * 0.7), (x + s, y - tip * 0.7)], css, parent)

    def draw_badges(self, canvas: Canvas, placed: list[list[tuple[Badge, float, float]]]) -> None:
        group = canvas.group("jm-moments")
        for column in placed:
            for badge, left, top in column:
                parent = group
                if badge.href:
                    parent = canvas.drawing.a(href=badge.href)
                    del parent.attribs["target"]  # svgwrite opens links in a new window
                    group.add(parent)
                width = self.badge_width(badge)
                canvas.rect(left, top, width, 2 * BADGE, badge.css, parent, radius=BADGE)
                text = Text((badge.glyph,), left + width / 2, top + BADGE + 4, SMALL,
                            _text_class(badge.css), "middle", True, badge.tooltip)
                canvas.text(self.add(text), parent)

    def legend_items(self, band: bool) -> list[tuple[str, str]]:
        t, journey = self.t, self.journey
        low, high = self.options.scale
        number = self.options.number
        items = [("curve", t("legend_curve", low=number(low), high=number(high)))]
        if band:
            items.append(("band", t("legend_band")))
        if self.options.compare is not None:
            items.append(("compare", t("legend_compared", title=self.options.compare_title)))
        items.append(("ring", t("legend_peak_end")))
        tps = journey.touchpoints
        for key, present in (("gap", any(tp.gap for tp in tps)),
                             ("pain", any(tp.pain for tp in tps)),
                             ("quote", any(tp.quote for tp in tps)),
                             ("opportunity", bool(journey.opportunities)),
                             ("handoff", handoffs(journey) > 0)):
            if present:
                items.append((key, t(f"legend_{key}")))
        return items

    def flow_legend(self, items: list[tuple[str, str]],
                    top: float) -> tuple[list[tuple[str, Text, float, float]], float]:
        """Legend entries (a sample, then words) in rows that wrap inside the map's width."""
        placed: list[tuple[str, Text, float, float]] = []
        left, right = PAD, self.width - PAD
        x, y, row_height = left, top, 2 * BADGE
        for key, label in items:
            lines = tuple(fit(label, right - left - 30, SMALL, 2))
            text = Text(lines, x + 30, y + BADGE + 4, SMALL, "jm-legend-text")
            size = 30 + text.width
            if x > left and x + size > right:
                x, y = left, y + row_height + 6
                row_height = 2 * BADGE
                text = Text(lines, x + 30, y + BADGE + 4, SMALL, "jm-legend-text")
            placed.append((key, text, x, y))
            row_height = max(row_height, text.box()[3] - y)
            x += size + 18
        return placed, y + row_height - top

    def draw_legend(self, canvas: Canvas, placed: list[tuple[str, Text, float, float]]) -> None:
        group = canvas.group("jm-legend")
        glyphs = {"gap": "?", "pain": "!", "quote": "\u201c", "opportunity": "1"}
        for key, text, x, y in placed:
            mid = y + BADGE
            if key in ("curve", "compare"):
                canvas.line((x, mid), (x + 24, mid), "jm-curve" + (" jm-curve--compare"
                                                                   if key == "compare" else ""),
                            group)
            elif key == "band":
                canvas.rect(x, mid - 6, 24, 12, "jm-band", group)
            elif key == "ring":
                canvas.circle((x + 12, mid), MARKER + 5, "jm-ring", group)
            elif key == "handoff":
                canvas.line((x, mid), (x + 20, mid), "jm-handoff", group,
                            marker_end=f"url(#{self.options.id_prefix}-arrow)")
            else:
                canvas.rect(x + 3, y, 2 * BADGE, 2 * BADGE, f"jm-badge jm-badge--{key}", group,
                            radius=BADGE)
                canvas.text(self.add(Text((glyphs[key],), x + 3 + BADGE, mid + 4, SMALL,
                                          f"jm-badge-text jm-badge-text--{key}", "middle", True)),
                            group)
            canvas.text(self.add(text), group)


def _text_class(shape_class: str) -> str:
    """'jm-badge jm-badge--gap' -> 'jm-badge-text jm-badge-text--gap' for the glyph on it."""
    return " ".join(part.replace("jm-badge", "jm-badge-text").replace("jm-tag", "jm-tag-text")
                    for part in shape_class.split())


def _scores(touchpoint: Touchpoint) -> list[float]:
    emotion = touchpoint.emotion
    if isinstance(emotion, list):
        return emotion
    return [emotion if emotion is not None else 0.0]


def draw_journey_map(journey: Journey, options: MapOptions | None = None) -> DrawnMap:
    """The map and the geometry of its text; for tests and for callers that need the size."""
    return _MapDrawer(journey, options or MapOptions()).draw()


def render_journey_map(journey: Journey, options: MapOptions | None = None) -> str:
    """The journey map as an SVG string: a pure function of the journey and the options."""
    return draw_journey_map(journey, options).svg
