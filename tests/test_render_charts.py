"""The roadmap, the emotion bars and the comparison of curves: properties over generated input,
exact geometry worked out by hand, and a look in a real browser, light and dark."""

from __future__ import annotations

import datetime
import itertools
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_journey_plugin.model import EmotionScale, Journey
from mkdocs_journey_plugin.render.bars import Bar, BarOptions, draw_emotion_bars
from mkdocs_journey_plugin.render.comparison import (
    SHAPES,
    ComparisonOptions,
    Series,
    draw_comparison,
    render_comparison,
    stage_columns,
)
from mkdocs_journey_plugin.render.roadmap import (
    AXIS_LEFT,
    AXIS_RIGHT,
    WIDTH,
    MilestoneMark,
    RoadmapOptions,
    draw_roadmap,
    render_roadmap,
)
from mkdocs_journey_plugin.render.svg import DrawnChart, hits, num

from .browser import OUTPUT, PageWatch, text_problems
from .test_render_properties import NASTY, overlaps, sentence

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "mkdocs_journey_plugin" / "assets"
COMMON = {"svg", "title", "desc", "defs", "g", "line", "rect", "text", "tspan", "polygon"}
ELEMENTS = {
    "journey-roadmap": COMMON | {"a"},
    "journey-bars": COMMON | {"pattern"},
    "journey-comparison": COMMON | {"polyline", "circle"},
}
DAY = datetime.date(2027, 1, 1)
directions = st.sampled_from(["ltr", "rtl"])


# --- shared checks ------------------------------------------------------------------------------

def parse(drawn: DrawnChart) -> ET.Element:
    return ET.fromstring(drawn.svg)  # unescaped author markup would break parsing or add elements


def shown_text(root: ET.Element) -> str:
    """Every text of the chart, tooltips included, without white space (wrapping moves it) and
    without the left-to-right marks that keep a wrapped hyphen with its word in rtl."""
    return "".join("".join("".join(e.itertext()).split()).replace("\u200e", "")
                   for e in root.iter(f"{SVG}text"))


def squeeze(text: str) -> str:
    return "".join(text.split())


def check_chart(drawn: DrawnChart, css: str, prefix: str) -> ET.Element:
    """What every chart promises, whatever its input."""
    root = parse(drawn)
    assert root.tag == f"{SVG}svg"
    assert root.get("class") == css and root.get("role") == "img"
    assert root.get("viewBox") == f"0 0 {num(drawn.width)} {num(drawn.height)}"
    assert root.get("aria-labelledby") == f"{prefix}-title {prefix}-desc"
    assert root.find(f"{SVG}title").get("id") == f"{prefix}-title"  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").get("id") == f"{prefix}-desc"  # type: ignore[union-attr]
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)) and all(i.startswith(prefix) for i in ids)  # type: ignore
    assert {e.tag.removeprefix(SVG) for e in root.iter()} <= ELEMENTS[css]
    for element in root.iter():
        assert not any(name.startswith("on") or name == "style" for name in element.attrib)
        href = element.get(XLINK) or element.get("href")
        assert href is None or href.startswith("#milestone-")
    # Every text drawn is one the layout knows about, so the box checks below see them all.
    assert len(list(root.iter(f"{SVG}text"))) == len(drawn.texts)
    for text in drawn.texts:
        left, top, right, bottom = text.box()
        assert left >= -0.01 and right <= drawn.width + 0.01, text
        assert top >= -0.01 and bottom <= drawn.height + 0.01, text
    for a, b in itertools.combinations(drawn.texts, 2):
        assert not overlaps(a, b), (a, b)
    return root


def floats(value: str | None) -> float:
    assert value is not None
    return float(value)


def polygon_centre(element: ET.Element) -> tuple[float, float]:
    points = [tuple(map(float, p.split(","))) for p in (element.get("points") or "").split()]
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


# --- roadmap ------------------------------------------------------------------------------------

@st.composite
def milestones(draw: Any) -> list[MilestoneMark]:
    count = draw(st.integers(1, 30))
    # Few distinct days, so that many milestones share one, over up to three years.
    days = draw(st.lists(st.integers(0, 3 * 365), min_size=1, max_size=6))
    marks = []
    for index in range(count):
        total = draw(st.integers(0, 12))
        marks.append(MilestoneMark(
            f"m-{index}", draw(sentence),
            DAY + datetime.timedelta(days=draw(st.sampled_from(days) | st.integers(0, 3 * 365))),
            draw(st.integers(0, total)), total, draw(st.booleans())))
    return marks


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(milestones(), directions,
       st.none() | st.integers(-200, 4 * 365).map(lambda d: DAY + datetime.timedelta(days=d)))
def test_roadmap_properties(marks: list[MilestoneMark], direction: str,
                            today: datetime.date | None) -> None:
    options = RoadmapOptions(direction=direction, id_prefix="rm-x", today=today)  # type: ignore
    drawn = draw_roadmap("A <b>roadmap</b> ]]>", marks, options)
    root = check_chart(drawn, "journey-roadmap", "rm-x")
    groups = [g for g in root.iter(f"{SVG}g") if g.get("data-milestone")]
    assert [g.get("data-milestone") for g in groups] == [m.id for m in marks]
    shown = shown_text(root)
    for mark in marks:
        assert squeeze(mark.title) in shown
    assert drawn.svg == render_roadmap("A <b>roadmap</b> ]]>", marks, options)
    # Cards hide what runs behind them: never another card, nor a marker.
    cards = [(floats(r.get("x")), floats(r.get("y")), floats(r.get("x")) + floats(r.get("width")),
              floats(r.get("y")) + floats(r.get("height")))
             for r in root.iter(f"{SVG}rect") if r.get("class") == "jr-card"]
    markers = []
    for marker in roadmap_markers(root).values():
        points = [tuple(map(float, p.split(","))) for p in (marker.get("points") or "").split()]
        markers.append((min(p[0] for p in points), min(p[1] for p in points),
                        max(p[0] for p in points), max(p[1] for p in points)))
    for a, b in itertools.combinations(cards, 2):
        assert not hits(a, b), (a, b)
    for card, marker in itertools.product(cards, markers):
        assert not hits(card, marker), (card, marker)
    links = [a.get(XLINK) for a in root.iter(f"{SVG}a")]
    assert links == [f"#milestone-{m.id}" for m in marks]
    assert root.findtext(f"{SVG}title") == "Roadmap: A <b>roadmap</b> ]]>"


def roadmap_markers(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-milestone") or "": g.find(f"{SVG}polygon")  # type: ignore[misc]
            for g in root.iter(f"{SVG}g") if g.get("data-milestone")}


def mark(id_: str, day: datetime.date, done: int = 1, total: int = 2,
         overdue: bool = False) -> MilestoneMark:
    return MilestoneMark(id_, f"Milestone {id_}", day, done, total, overdue)


def test_milestone_on_the_mid_date_sits_mid_axis() -> None:
    marks = [mark("a", DAY), mark("b", DAY + datetime.timedelta(days=100)),
             mark("c", DAY + datetime.timedelta(days=200))]
    root = parse(draw_roadmap("R", marks))
    xs = {key: polygon_centre(m)[0] for key, m in roadmap_markers(root).items()}
    assert xs["b"] == pytest.approx((AXIS_LEFT + AXIS_RIGHT) / 2, abs=0.1)
    assert xs["b"] == pytest.approx((xs["a"] + xs["c"]) / 2, abs=0.1)
    axis = next(e for e in root.iter(f"{SVG}line") if e.get("class") == "jr-axis-line")
    assert (floats(axis.get("x1")) + floats(axis.get("x2"))) / 2 == pytest.approx(xs["b"], abs=.1)
    # 20 days (6 % of 200, rounded: 12, but at least 20) before the first and after the last.
    assert xs["a"] == pytest.approx(AXIS_LEFT + 20 / 240 * (AXIS_RIGHT - AXIS_LEFT), abs=0.1)


def test_overdue_milestone_has_a_triangle_and_says_so() -> None:
    marks = [mark("late", DAY, 1, 4, overdue=True), mark("fine", DAY + datetime.timedelta(60))]
    root = parse(draw_roadmap("R", marks))
    markers = roadmap_markers(root)
    assert len((markers["late"].get("points") or "").split()) == 3
    assert "jr-marker--overdue" in (markers["late"].get("class") or "")
    assert len((markers["fine"].get("points") or "").split()) == 4
    overdue = [e for e in root.iter(f"{SVG}text") if "jr-overdue" in (e.get("class") or "")]
    assert ["".join(e.itertext()) for e in overdue] == ["Past its date, 3 open"]
    assert "past their date with opportunities still open: 1" in (root.findtext(f"{SVG}desc") or "")


def test_progress_bar_and_empty_milestone() -> None:
    root = parse(draw_roadmap("R", [mark("half", DAY, 1, 4), mark("none", DAY, 0, 0)]))
    texts = ["".join(e.itertext()) for e in root.iter(f"{SVG}text")]
    assert "1 of 4 done" in texts and "0 of 0 done" in texts
    groups = {g.get("data-milestone"): g for g in root.iter(f"{SVG}g") if g.get("data-milestone")}
    half = {r.get("class"): r for r in groups["half"].iter(f"{SVG}rect")}
    assert floats(half["jr-progress-done"].get("width")) * 4 == floats(
        half["jr-progress"].get("width"))
    assert [r.get("class") for r in groups["none"].iter(f"{SVG}rect")] == ["jr-card", "jr-progress"]


def test_same_day_milestones_stack_on_one_string() -> None:
    marks = [mark(f"m{n}", DAY) for n in range(5)]
    drawn = draw_roadmap("R", marks)
    centres = [polygon_centre(m) for m in roadmap_markers(parse(drawn)).values()]
    assert len({round(x, 1) for x, _ in centres}) == 1
    ys = [y for _, y in centres]
    assert ys == sorted(ys) and len(set(ys)) == 5  # the author's order, top to bottom
    cards = [(floats(r.get("y")), floats(r.get("y")) + floats(r.get("height")))
             for r in parse(drawn).iter(f"{SVG}rect") if r.get("class") == "jr-card"]
    assert [b[0] - a[1] for a, b in itertools.pairwise(cards)] == pytest.approx([12] * 4, abs=.15)


def test_today_line_only_within_the_axis() -> None:
    marks = [mark("a", DAY), mark("b", DAY + datetime.timedelta(days=100))]
    inside = parse(draw_roadmap("R", marks, RoadmapOptions(
        today=DAY + datetime.timedelta(days=50))))
    line = next(e for e in inside.iter(f"{SVG}line") if e.get("class") == "jr-today-line")
    assert floats(line.get("x1")) == pytest.approx((AXIS_LEFT + AXIS_RIGHT) / 2, abs=0.1)
    assert "Today" in ["".join(e.itertext()) for e in inside.iter(f"{SVG}text")]
    outside = draw_roadmap("R", marks, RoadmapOptions(today=DAY + datetime.timedelta(days=900)))
    assert "jr-today" not in outside.svg


def test_roadmap_right_to_left_mirrors_x() -> None:
    marks = [mark("a", DAY), mark("b", DAY + datetime.timedelta(days=30)),
             mark("c", DAY + datetime.timedelta(days=300))]
    ltr = roadmap_markers(parse(draw_roadmap("R", marks)))
    rtl_drawn = draw_roadmap("R", marks, RoadmapOptions(direction="rtl"))
    rtl = roadmap_markers(parse(rtl_drawn))
    for key in ltr:
        (x1, y1), (x2, y2) = polygon_centre(ltr[key]), polygon_centre(rtl[key])
        assert x2 == pytest.approx(WIDTH - x1, abs=0.1) and y1 == y2
    assert parse(rtl_drawn).get("direction") == "rtl"
    assert "\u20662027-01-01\u2069" in rtl_drawn.svg  # dates stay left to right


def test_no_milestones_draws_an_empty_axis() -> None:
    for today in (None, DAY):
        drawn = draw_roadmap("R", [], RoadmapOptions(today=today))
        root = check_chart(drawn, "journey-roadmap", "roadmap")
        assert "jr-axis-line" in drawn.svg and not roadmap_markers(root)


def test_long_roadmap_labels_months_without_touching() -> None:
    marks = [mark("a", DAY), mark("b", DAY + datetime.timedelta(days=3 * 365))]
    root = parse(draw_roadmap("R", marks))
    ticks = ["".join(e.itertext()) for e in root.iter(f"{SVG}text")
             if e.get("class") == "jr-tick-text"]
    assert 4 <= len(ticks) <= 12 and all(len(t) == 7 for t in ticks)
    assert ticks[0] < ticks[-1]


# --- bars ---------------------------------------------------------------------------------------

nasty_labels = st.one_of(st.sampled_from(NASTY), sentence,
                         st.just("<script>alert(1)</script> " * 6))


@st.composite
def bar_lists(draw: Any, scale: EmotionScale) -> list[Bar]:
    low, high = scale
    values = st.floats(low, high, allow_nan=False).map(lambda v: round(v, 3))
    bars = []
    for _ in range(draw(st.integers(1, 25))):
        average = draw(values)
        lowest = min(round(draw(st.floats(low, average)), 3), average)
        bars.append(Bar(draw(nasty_labels), average, lowest, draw(st.integers(1, 100_000))))
    return bars


scales = st.sampled_from([EmotionScale(), EmotionScale(1, 5), EmotionScale(-3, 3),
                          EmotionScale(0, 10)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scales.flatmap(lambda s: st.tuples(st.just(s), bar_lists(s))), directions)
def test_bars_properties(scale_and_bars: tuple[EmotionScale, list[Bar]], direction: str) -> None:
    scale, bars = scale_and_bars
    options = BarOptions(scale=scale, direction=direction, id_prefix="b-1")  # type: ignore
    drawn = draw_emotion_bars(bars, options)
    root = check_chart(drawn, "journey-bars", "b-1")
    shown = shown_text(root)
    for bar in bars:
        assert squeeze(bar.label) in shown
    rows = [g for g in root.iter(f"{SVG}g") if g.get("class") == "jb-row"]
    assert len(rows) == len(bars)
    zero = next(floats(e.get("x1")) for e in root.iter(f"{SVG}line")
                if e.get("class") == "jb-zero")
    middle = 0.0 if scale.low < 0 < scale.high else (scale.low + scale.high) / 2
    for row, bar in zip(rows, bars, strict=True):
        rect = row.find(f"{SVG}rect")
        assert rect is not None
        left, width = floats(rect.get("x")), floats(rect.get("width"))
        kind = (rect.get("class") or "").removeprefix("jb-bar jb-bar--")
        if kind == "neutral":
            assert left + width / 2 == pytest.approx(zero, abs=0.1)
            continue
        # Every bar starts on the zero line, and goes the way its sign says (mirrored in rtl).
        below = bar.average < middle
        assert kind == ("negative" if below else "positive")
        assert (rect.get("fill") == "url(#b-1-hatch)") == below
        leftwards = below == (direction == "ltr")
        assert (left + width if leftwards else left) == pytest.approx(zero, abs=0.11)
    hatch = root.find(f".//{SVG}pattern")
    assert hatch is not None and hatch.get("id") == "b-1-hatch"
    assert drawn.svg == draw_emotion_bars(bars, options).svg


def bar_geometry(drawn: DrawnChart) -> tuple[ET.Element, float, float, float]:
    """The first bar's rect, and the x of the low end, zero line and high end of the plot."""
    root = parse(drawn)
    low, high = (floats(e.get("x1")) for e in root.iter(f"{SVG}line")
                 if e.get("class") == "jb-grid")
    zero = next(floats(e.get("x1")) for e in root.iter(f"{SVG}line")
                if e.get("class") == "jb-zero")
    rect = next(e for e in root.iter(f"{SVG}rect") if "jb-bar" in (e.get("class") or ""))
    return rect, low, zero, high


def test_negative_bar_runs_from_zero_halfway_to_the_low_end() -> None:
    drawn = draw_emotion_bars([Bar("e-mail", -1, -2, 3)])
    rect, low, zero, high = bar_geometry(drawn)
    assert zero == pytest.approx((low + high) / 2, abs=0.1)
    left, width = floats(rect.get("x")), floats(rect.get("width"))
    assert left + width == pytest.approx(zero, abs=0.1)
    assert left == pytest.approx((low + zero) / 2, abs=0.1)
    assert rect.get("class") == "jb-bar jb-bar--negative"
    assert rect.get("fill") == "url(#bars-hatch)"
    root = parse(drawn)
    value = next(e for e in root.iter(f"{SVG}text") if "jb-value" in (e.get("class") or ""))
    assert "".join(value.itertext()) == "-1" and value.get("text-anchor") == "end"
    assert floats(value.get("x")) < left
    lowest = next(e for e in root.iter(f"{SVG}polygon") if e.get("class") == "jb-lowest")
    assert polygon_centre(lowest)[0] == pytest.approx(low, abs=0.1)
    label = next(t for t in drawn.texts if t.css == "jb-label")
    number = next(t for t in drawn.texts if t.css.startswith("jb-value"))
    assert label.box()[2] < number.box()[0]


def test_positive_bar_is_solid_and_points_right() -> None:
    drawn = draw_emotion_bars([Bar("portal", 1.5, -0.5, 3)])
    rect, _, zero, high = bar_geometry(drawn)
    assert floats(rect.get("x")) == pytest.approx(zero, abs=0.1)
    assert floats(rect.get("x")) + floats(rect.get("width")) == pytest.approx(
        zero + 0.75 * (high - zero), abs=0.1)
    assert rect.get("class") == "jb-bar jb-bar--positive" and rect.get("fill") is None


def test_bars_on_one_to_five_start_at_the_middle() -> None:
    drawn = draw_emotion_bars([Bar("chat", 4, 2, 8), Bar("phone", 3, 1, 2)],
                              BarOptions(scale=EmotionScale(1, 5)))
    rect, low, zero, high = bar_geometry(drawn)
    assert zero == pytest.approx((low + high) / 2, abs=0.1)
    assert floats(rect.get("x")) == pytest.approx(zero, abs=0.1)
    assert floats(rect.get("x")) + floats(rect.get("width")) == pytest.approx(
        (zero + high) / 2, abs=0.1)
    texts = ["".join(e.itertext()) for e in parse(drawn).iter(f"{SVG}text")]
    assert texts[:3] == ["1", "3", "5"]  # axis ticks: low, middle, high
    assert "jb-bar--neutral" in drawn.svg  # 3 on [1, 5] is the middle: a stub
    assert "n = 8" in texts and "n = 2" in texts


def test_bars_right_to_left_mirror_x_and_isolate_numbers() -> None:
    bars = [Bar("e-mail", -1, -2, 3)]
    ltr, _, _, _ = bar_geometry(draw_emotion_bars(bars))
    drawn = draw_emotion_bars(bars, BarOptions(direction="rtl"))
    rtl, _, _, _ = bar_geometry(drawn)
    assert floats(rtl.get("x")) == pytest.approx(
        drawn.width - floats(ltr.get("x")) - floats(ltr.get("width")), abs=0.1)
    assert "\u2066-1\u2069" in drawn.svg


def test_bars_title_and_description() -> None:
    root = parse(draw_emotion_bars([Bar("a", -1, -2, 3), Bar("b", 0.5, 0, 1)], BarOptions(
        what="team", what_plural="teams")))
    assert root.findtext(f"{SVG}title") == "Average emotion per team"
    assert root.findtext(f"{SVG}desc") == ("2 teams, average emotion from -1 to +0.5; the mark "
                                           "shows the lowest moment of each.")


# --- comparison ---------------------------------------------------------------------------------

STAGES = ["Request", "request", "WAIT", "Delivery", "Aftercare", "Onboarding"]
scores = st.floats(-2, 2, allow_nan=False).map(lambda v: round(v, 2))


@st.composite
def comparison_journeys(draw: Any) -> Journey:
    stages = []
    for number in range(draw(st.integers(1, 5))):
        touchpoints: list[dict[str, Any]] = []
        for index in range(draw(st.integers(1, 5))):
            backstage = bool(touchpoints) and draw(st.booleans()) and draw(st.booleans())
            touchpoint: dict[str, Any] = {"id": f"t-{number}-{index}", "action": "a",
                                          "channel": "c", "backstage": backstage}
            if not backstage:
                touchpoint["emotion"] = draw(scores | st.lists(scores, min_size=1, max_size=3))
            touchpoints.append(touchpoint)
        stages.append({"name": draw(st.sampled_from(STAGES) | sentence),
                       "touchpoints": touchpoints})
    return Journey.model_validate({"title": "T", "persona": "p", "stages": stages})


series_lists = st.lists(st.builds(Series, st.sampled_from(["Current", "Ideal"]) | sentence,
                                  comparison_journeys()), min_size=1, max_size=8)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(series_lists, directions)
def test_comparison_properties(series: list[Series], direction: str) -> None:
    options = ComparisonOptions(direction=direction, id_prefix="cmp-2",  # type: ignore[arg-type]
                                title="<i>now</i> & then")
    drawn = draw_comparison(series, options)
    root = check_chart(drawn, "journey-comparison", "cmp-2")
    shown = shown_text(root)
    for one in series:
        assert squeeze(one.name) in shown
    columns = stage_columns(series)
    assert len({c.casefold() for c in columns}) == len(columns)
    assert {s.name.casefold() for one in series for s in one.journey.stages} == {
        c.casefold() for c in columns}
    curves = [g for g in root.iter(f"{SVG}g") if g.get("data-shape")]
    assert [g.get("data-shape") for g in curves] == [SHAPES[n % 8] for n in range(len(series))]
    for group, one in zip(curves, series, strict=True):
        markers = [e for e in group if e.get("class") == "jc-marker"]
        assert len(markers) == len(one.journey.frontstage)
    assert drawn.svg == render_comparison(series, options)
    assert root.findtext(f"{SVG}title") == "Emotion curves: <i>now</i> & then"


def simple_journey(*stages: tuple[str, list[float]]) -> Journey:
    return Journey.model_validate({"title": "T", "persona": "p", "stages": [
        {"name": name, "touchpoints": [{"id": f"t{n}-{i}", "action": "a", "channel": "c",
                                        "emotion": e} for i, e in enumerate(scores_)]}
        for n, (name, scores_) in enumerate(stages)]})


def test_stage_columns_match_names_ignoring_case_and_keep_each_order() -> None:
    current = simple_journey(("Request", [1]), ("Wait", [1]), ("Deliver", [1]))
    ideal = simple_journey(("request", [1]), ("Approve", [1]), ("WAIT", [1]), ("Deliver", [1]),
                           ("Follow up", [1]))
    other = simple_journey(("Prepare", [1]), ("Deliver", [1]))
    alone = simple_journey(("Elsewhere", [1]))
    assert stage_columns([Series("c", current), Series("i", ideal), Series("o", other),
                          Series("a", alone)]) == [
        "Request", "Approve", "Wait", "Prepare", "Deliver", "Follow up", "Elsewhere"]


def test_points_spread_evenly_inside_their_stage() -> None:
    current = simple_journey(("Request", [-2, 2]), ("Wait", [0]))
    ideal = simple_journey(("Request", [1]), ("Wait", [0, 0, 0, 0]))
    drawn = draw_comparison([Series("Current", current), Series("Ideal", ideal)])
    root = parse(drawn)
    stages = [e for e in root.iter(f"{SVG}rect") if e.get("class") == "jc-stage"]
    lefts = [floats(r.get("x")) - 2 for r in stages]
    widths = [floats(r.get("width")) + 4 for r in stages]
    assert widths == [120, 160]  # Wait is wider: Ideal has four points in it
    lines = [e for e in root.iter(f"{SVG}polyline") if e.get("class") == "jc-line"]
    first = [tuple(map(float, p.split(","))) for p in (lines[0].get("points") or "").split()]
    second = [tuple(map(float, p.split(","))) for p in (lines[1].get("points") or "").split()]
    assert [x for x, _ in first] == pytest.approx(
        [lefts[0] + widths[0] / 4, lefts[0] + widths[0] * 3 / 4, lefts[1] + widths[1] / 2],
        abs=0.1)
    assert [x for x, _ in second] == pytest.approx(
        [lefts[0] + widths[0] / 2] + [lefts[1] + widths[1] * (n + 0.5) / 4 for n in range(4)],
        abs=0.1)
    ticks = {"".join(e.itertext()): floats(e.get("y")) for e in root.iter(f"{SVG}text")
             if e.get("class") == "jc-tick-text"}
    # -2 and +2 a whole scale apart, the first point of Current at -2, its second at +2.
    assert first[0][1] - first[1][1] == pytest.approx(ticks["-2"] - ticks["+2"], abs=0.1)


def test_each_series_has_its_own_dash_shape_and_label() -> None:
    journey = simple_journey(("Request", [0, 1]), ("Wait", [-1]))
    series = [Series(f"Persona {n}", journey) for n in range(8)]
    drawn = draw_comparison(series)
    root = parse(drawn)
    groups = [g for g in root.iter(f"{SVG}g") if g.get("data-shape")]
    assert len({g.get("data-shape") for g in groups}) == 8
    assert len({g.get("class") for g in groups}) == 8
    css = (ASSETS / "charts.css").read_text(encoding="utf-8")
    dashes = [line for line in css.splitlines()
              if "stroke-dasharray" in line and "jc-series" in line]
    assert len(dashes) == 7  # and series 0 is solid
    names = [t for t in drawn.texts if t.css.startswith("jc-name")]
    assert [t.lines[0] for t in names] == [f"Persona {n}" for n in range(8)]
    # All end at one point: the names are stacked off it, none on another.
    for a, b in itertools.combinations(names, 2):
        assert not overlaps(a, b)
    legend = [t for t in drawn.texts if t.css == "jc-legend-text"]
    assert [t.lines[0] for t in legend] == [f"Persona {n}" for n in range(8)]


def test_comparison_right_to_left_mirrors_x() -> None:
    journey = simple_journey(("Request", [0, 1]), ("Wait", [-1]))
    series = [Series("Current", journey)]
    ltr = draw_comparison(series)
    rtl = draw_comparison(series, ComparisonOptions(direction="rtl"))
    assert ltr.width == rtl.width

    def xs(drawn: DrawnChart) -> list[float]:
        line = next(e for e in parse(drawn).iter(f"{SVG}polyline"))
        return [float(p.split(",")[0]) for p in (line.get("points") or "").split()]

    assert xs(rtl) == pytest.approx([ltr.width - x for x in xs(ltr)], abs=0.1)


def test_ids_never_collide_between_charts() -> None:
    journey = simple_journey(("Request", [0]))
    svgs = [draw_roadmap("R", [mark("a", DAY)], RoadmapOptions(id_prefix="c1")).svg,
            draw_emotion_bars([Bar("a", -1, -1, 1)], BarOptions(id_prefix="c2")).svg,
            draw_comparison([Series("s", journey)], ComparisonOptions(id_prefix="c3")).svg,
            draw_emotion_bars([Bar("a", -1, -1, 1)], BarOptions(id_prefix="c4")).svg]
    seen: set[str] = set()
    for svg in svgs:
        ids = {e.get("id") or "" for e in ET.fromstring(svg).iter() if e.get("id")}
        assert ids and not ids & seen
        seen |= ids
    assert 'url(#c4-hatch)' in svgs[3]


# --- in a browser -------------------------------------------------------------------------------

CHART_BOXES = """
() => [...document.querySelectorAll(
    'svg.journey-roadmap, svg.journey-bars, svg.journey-comparison')].map(svg => {
  const view = svg.viewBox.baseVal;
  const texts = [...svg.querySelectorAll('text')].map(t => {
    const b = t.getBBox();
    const shown = [...t.querySelectorAll('tspan')].map(s => s.textContent).join(' ');
    return {text: shown, x: b.x, y: b.y, right: b.x + b.width, bottom: b.y + b.height};
  });
  return {id: svg.id, width: view.width, height: view.height, texts};
})
"""

# What Material sets on <body>, enough for the charts' variables; and Material's own switch to
# the slate scheme when the reader's system is dark.
PAGE = """<!doctype html>
<html lang="{lang}" dir="{direction}"><head><meta charset="utf-8"><title>Charts</title>
<link rel="stylesheet" href="journeys.css"><link rel="stylesheet" href="charts.css">
<style>
body {{ margin: 16px; background: var(--md-default-bg-color); font-family: sans-serif;
  --md-default-fg-color: rgba(0, 0, 0, 0.87); --md-default-fg-color--light: rgba(0, 0, 0, 0.54);
  --md-default-fg-color--lighter: rgba(0, 0, 0, 0.32);
  --md-default-fg-color--lightest: rgba(0, 0, 0, 0.07); --md-default-bg-color: #fff;
  --md-primary-fg-color: #4051b5; }}
[data-md-color-scheme="slate"] {{ --md-default-fg-color: hsla(232, 15%, 90%, 0.82);
  --md-default-fg-color--light: hsla(232, 15%, 90%, 0.56);
  --md-default-fg-color--lighter: hsla(232, 15%, 90%, 0.32);
  --md-default-fg-color--lightest: hsla(232, 15%, 90%, 0.12);
  --md-default-bg-color: hsla(232, 15%, 14%, 1); --md-primary-fg-color: #7b8ce8; }}
svg {{ max-width: none !important; }}
</style></head>
<body><script>if (matchMedia('(prefers-color-scheme: dark)').matches)
document.body.dataset.mdColorScheme = 'slate';</script>
{charts}
</body></html>
"""

HEBREW = "מחכה לתשובה מהמוקד ולא מקבלת שום עדכון"
CHINESE = "等待服务台的回复但是一直没有收到任何通知"


def example_charts(direction: str) -> list[str]:
    """A chart of each kind with the kinds of text that break layouts."""
    suffix = f"-{direction}"
    d = direction
    marks = [
        MilestoneMark("2027-q1", "Nobody waits in the dark", datetime.date(2027, 3, 31), 2, 5,
                      True),
        MilestoneMark("2027-q2", "Right the first time", datetime.date(2027, 6, 30), 0, 0, False),
        MilestoneMark("2027-q2b", HEBREW, datetime.date(2027, 7, 10), 1, 3, False),
        MilestoneMark("2027-q2c", '<script>alert("x")</script>', datetime.date(2027, 7, 10), 1,
                      1, False),
        MilestoneMark("2027-q3", "Closing the loop", datetime.date(2027, 9, 30), 3, 3, False),
        MilestoneMark("2027-q4", CHINESE, datetime.date(2027, 10, 15), 0, 2, False),
        MilestoneMark("2028-q1", "Supercalifragilisticexpialidocious self-service for "
                      "everyone, everywhere and always", datetime.date(2028, 1, 31), 0, 6,
                      False),
    ]
    roadmap = render_roadmap("Service desk roadmap 2027", marks, RoadmapOptions(
        direction=d, id_prefix=f"roadmap{suffix}", today=datetime.date(2027, 5, 12)))  # type: ignore
    # Twenty milestones in one year, several on one day: stacked, never overlapping.
    dense = render_roadmap("Busy year", [
        MilestoneMark(f"busy-{n}", f"Milestone {n}: " + "improve the intake form " * (n % 3),
                      datetime.date(2027, 1, 15) + datetime.timedelta(days=(n * 23) % 300
                                                                      if n % 4 else 40),
                      n % 5, 4, n % 6 == 0) for n in range(20)],
        RoadmapOptions(direction=d, id_prefix=f"roadmap-dense{suffix}",  # type: ignore
                       today=datetime.date(2027, 6, 1)))
    bars = render_emotion_bars_example(d, suffix)
    current = simple_journey(("Request", [-1, -0.5, -1.5]), ("Wait", [-2, -1.5]),
                             ("Delivery", [1, 0.5]))
    ideal = simple_journey(("request", [0.5, 1]), ("Confirmation", [1.5]),
                           ("Wait", [0.5]), ("Delivery", [2]))
    persona = simple_journey(("Request", [-2, -1]), ("Wait", [-2]), ("Delivery", [-0.5]),
                             (CHINESE, [0]))
    other = simple_journey(("Request", [1, 0]), ("Wait", [-1, -0.5, -1]), ("Delivery", [0.5]),
                           (CHINESE, [0.2]))
    comparison = render_comparison(
        [Series("Current journey", current), Series("Ideal journey", ideal),
         Series(HEBREW, other), Series("<b>Kasia</b> & ]]>", persona),
         Series("Daan", simple_journey(("Wait", [0]), ("Delivery", [0.5, 1])))],
        ComparisonOptions(direction=d, id_prefix=f"comparison{suffix}",  # type: ignore
                          title="Requesting a new laptop"))
    return [roadmap, dense, bars, comparison]


def render_emotion_bars_example(direction: str, suffix: str) -> str:
    bars = [Bar("e-mail", -1.25, -2, 14), Bar("portal", 0.4, -1, 9),
            Bar("knowledge base", -0.5, -1.5, 3), Bar("phone", 1.75, 1, 6),
            Bar('<script>alert("x")</script>', 0, -1, 1), Bar(HEBREW, -2, -2, 2),
            Bar(CHINESE, 2, 1.5, 120), Bar("Supercalifragilisticexpialidociousandthensome"
                                          "morelettersthatneverstop", -0.1, -0.2, 5)]
    return draw_emotion_bars(bars, BarOptions(direction=direction,  # type: ignore[arg-type]
                                              id_prefix=f"bars{suffix}")).svg


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("charts")
    for name in ("journeys.css", "charts.css"):
        (folder / name).write_text((ASSETS / name).read_text(encoding="utf-8"), encoding="utf-8")
    written = {}
    for direction, lang in (("ltr", "en"), ("rtl", "he")):
        path = folder / f"charts-{direction}.html"
        path.write_text(PAGE.format(lang=lang, direction=direction,
                                    charts="\n".join(example_charts(direction))),
                        encoding="utf-8")
        written[direction] = path
    return written


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_charts_in_a_browser(browser: Any, pages: dict[str, Path], scheme: str,
                             direction: str) -> None:
    OUTPUT.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1100, "height": 900}, color_scheme=scheme)
    url = pages[direction].as_uri()
    watch = PageWatch(page, url.rsplit("/", 1)[0])
    page.goto(url)
    expected = "slate" if scheme == "dark" else None
    assert page.get_attribute("body", "data-md-color-scheme") == expected
    charts = page.evaluate(CHART_BOXES)
    for chart in charts:
        page.locator(f"#{chart['id']}").screenshot(
            path=str(OUTPUT / f"chart-{chart['id']}-{scheme}.png"))
    assert len(charts) == 4 and all(len(chart["texts"]) > 10 for chart in charts)
    assert text_problems(charts) == []
    # Author markup is text on screen, and the charts take their colours from the stylesheet.
    assert '<script>alert("x")</script>' in (page.locator("svg.journey-bars").text_content() or "")
    background = page.evaluate(
        "() => getComputedStyle(document.querySelector('svg.journey-bars')).backgroundColor")
    assert background == ("rgb(30, 32, 41)" if scheme == "dark" else "rgb(255, 255, 255)")
    hatch = page.evaluate("() => getComputedStyle(document.querySelector("
                          "'.jb-bar--negative')).fill")
    assert "url(" in hatch
    watch.assert_clean()
    page.close()
