"""Property tests of the journey map over generated journeys of 1 to 60 touchpoints."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_journey_plugin.labels import Labels
from mkdocs_journey_plugin.model import EmotionScale, Journey
from mkdocs_journey_plugin.render import (
    MapOptions,
    draw_journey_map,
    map_of_region,
    render_journey_map,
    render_map_region,
    render_sparkline,
)
from mkdocs_journey_plugin.render.svg import Text, num

SVG = "{http://www.w3.org/2000/svg}"
NASTY = ["<script>alert(1)</script>", "</text><script>x</script>", "]]>", "a & b", '" onload="x',
         "javascript:alert(1)", "ünïcödé ő ű ł ż", "מחכה לתשובה מהמוקד", "等待服务台的回复",
         "Supercalifragilisticexpialidociousandthensomemorelettersthatneverstop"]
words = st.one_of(st.sampled_from(NASTY), st.text(
    # U+FFFE and U+FFFF are refused where authors write them (XML cannot hold them).
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    min_size=1, max_size=40).filter(
        lambda s: s.strip() != ""))
sentence = st.lists(words, min_size=1, max_size=6).map(" ".join)
score = st.floats(-2, 2, allow_nan=False).map(lambda v: round(v, 2))
TEAMS = ["Service desk", "Hardware", "Network", "Software"]


@st.composite
def journeys(draw: Any, max_touchpoints: int = 60) -> Journey:
    count = draw(st.integers(1, max_touchpoints))
    touchpoints = []
    for index in range(count):
        backstage = index > 0 and draw(st.booleans()) and draw(st.booleans())
        touchpoint: dict[str, Any] = {
            "id": f"tp-{index}", "action": draw(sentence), "channel": draw(
                st.sampled_from(["portal", "e-mail", "phone", "chat", "walk-in", "x"]) | words),
            "team": draw(st.none() | st.sampled_from(TEAMS)), "backstage": backstage}
        if not backstage:
            touchpoint["emotion"] = draw(score | st.lists(score, min_size=1, max_size=5))
            for key in ("feeling", "quote", "pain", "gap"):
                if draw(st.booleans()):
                    touchpoint[key] = draw(sentence)
        touchpoints.append(touchpoint)
    cuts = sorted(draw(st.sets(st.integers(1, count - 1), max_size=7))) if count > 1 else []
    bounds = [0, *cuts, count]
    stages = [{"name": draw(sentence), "touchpoints": touchpoints[a:b]}
              for a, b in itertools.pairwise(bounds)]
    opportunities = [{"id": f"o-{n}", "title": draw(sentence),
                      "touchpoints": draw(st.lists(st.sampled_from(
                          [t["id"] for t in touchpoints]), min_size=1, max_size=3, unique=True))}
                     for n in range(draw(st.integers(0, 6)))]
    return Journey.model_validate({"title": draw(sentence), "persona": "p", "teams": TEAMS,
                                   "stages": stages, "opportunities": opportunities})


def overlaps(a: Text, b: Text) -> bool:
    ax0, ay0, ax1, ay1 = a.box()
    bx0, by0, bx1, by1 = b.box()
    return min(ax1, bx1) - max(ax0, bx0) > 0.01 and min(ay1, by1) - max(ay0, by0) > 0.01


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journeys(), st.sampled_from(["ltr", "rtl"]))
def test_map_is_well_formed_and_no_text_overflows_or_overlaps(journey: Journey,
                                                              direction: str) -> None:
    drawn = draw_journey_map(journey, MapOptions(direction=direction))  # type: ignore[arg-type]
    root = ET.fromstring(drawn.svg)
    assert root.get("viewBox") == f"0 0 {num(drawn.width)} {num(drawn.height)}"
    for text in drawn.texts:
        left, top, right, bottom = text.box()
        assert left >= 0 and right <= drawn.width, text
        assert top >= 0 and bottom <= drawn.height, text
    for a, b in itertools.combinations(drawn.texts, 2):
        assert not overlaps(a, b), (a, b)
    xs = [x for x, _ in drawn.points]
    assert xs == sorted(xs) and len(xs) == len(journey.frontstage)
    assert {e.tag.removeprefix(SVG) for e in root.iter()} <= {
        "svg", "title", "desc", "defs", "marker", "path", "g", "rect", "line", "text", "tspan",
        "polyline", "polygon", "circle", "a"}


@settings(max_examples=40, deadline=None)
@given(journeys(max_touchpoints=12))
def test_author_text_comes_out_as_text(journey: Journey) -> None:
    svg = draw_journey_map(journey).svg
    root = ET.fromstring(svg)  # any unescaped markup would break parsing or add elements
    shown = "".join("".join(e.itertext()) for e in root.iter(f"{SVG}text"))
    for touchpoint in journey.touchpoints:
        if touchpoint.channel.strip() and len(touchpoint.channel) < 12:
            # Wrapping may turn spaces into line breaks; every other character must be shown.
            assert "".join(touchpoint.channel.split()) in "".join(shown.split())
    assert not any(e.tag.endswith("script") or e.tag.endswith("foreignObject")
                   for e in root.iter())
    for element in root.iter():
        assert not any(name.startswith("on") for name in element.attrib)
        href = element.get("{http://www.w3.org/1999/xlink}href") or element.get("href")
        assert href is None or href.startswith(("#opp-o-", "#tp-tp-"))


@settings(max_examples=30, deadline=None)
@given(journeys(max_touchpoints=20))
def test_same_journey_same_bytes(journey: Journey) -> None:
    assert draw_journey_map(journey).svg == draw_journey_map(journey).svg
    assert render_sparkline(journey) == render_sparkline(journey)


def test_ids_are_prefixed_per_chart() -> None:
    journey = Journey.model_validate({"title": "T", "persona": "p", "stages": [
        {"name": "S", "touchpoints": [{"action": "a", "channel": "c", "emotion": 1}]}]})
    one = ET.fromstring(draw_journey_map(journey, MapOptions(id_prefix="map-a")).svg)
    two = ET.fromstring(draw_journey_map(journey, MapOptions(id_prefix="map-b")).svg)
    ids_one = {e.get("id") for e in one.iter() if e.get("id")}
    ids_two = {e.get("id") for e in two.iter() if e.get("id")}
    assert ids_one and not ids_one & ids_two
    assert all(i.startswith("map-a") for i in ids_one)
    assert one.get("role") == "img"
    assert one.get("aria-labelledby") == "map-a-title map-a-desc"


def test_scale_of_one_to_five_places_points_by_score() -> None:
    journey = Journey.model_validate({"title": "T", "persona": "p", "stages": [
        {"name": "S", "touchpoints": [
            {"action": "a", "channel": "c", "emotion": 1},
            {"action": "b", "channel": "c", "emotion": 5},
            {"action": "c", "channel": "c", "emotion": 3}]}]},
        context={"scale": EmotionScale(1, 5)})
    drawn = draw_journey_map(journey, MapOptions(scale=EmotionScale(1, 5), labels=Labels()))
    (_, low), (_, high), (_, middle) = drawn.points
    assert high < middle < low
    assert abs((low + high) / 2 - middle) < 0.01


@settings(max_examples=25, deadline=None)
@given(journeys(max_touchpoints=20))
def test_the_map_file_is_the_drawing_of_the_page_without_its_links_and_gutter(
        journey: Journey) -> None:
    region = render_map_region(journey)
    assert map_of_region(region) == render_journey_map(journey)
    root = ET.fromstring(region)  # the page's region is well-formed too, author text escaped
    links = root.find("div[@class='journey-map-links']")
    assert links is not None and len(links) >= len(journey.touchpoints)
    assert [a.get("href") for a in links][:len(journey.touchpoints)] == \
        [f"#tp-{tp.id}" for tp in journey.touchpoints]

