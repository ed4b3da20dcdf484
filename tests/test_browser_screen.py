"""The map as stakeholders read it (issue 16): whole on a 1440x900 or 1280x800 screen, on
Material and on the plain theme; longer maps scroll inside their region with the lane names in
view; zoom; map and table linked both ways; on a 390-pixel phone only the map scrolls sideways
and the tables are cards. Measured in Chromium, boxes and all.

Screenshots for people to look at: test-output/screen-<theme>-<width>-<journey>.png and
test-output/screen-phone-<scheme>.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from mkdocs_journey_plugin.catalog import load_catalog

from .browser import OUTPUT, PageWatch, serious_violations, serve
from .conftest import ROOT, run
from .test_browser_languages import build_example

CATALOG, _ = load_catalog(ROOT / "content")
TOUCHPOINTS = {i: len(e.journey.touchpoints) for i, e in CATALOG.journeys.items()}
SHORT = sorted(i for i, n in TOUCHPOINTS.items() if n <= 10)  # must show whole
LONG = max(TOUCHPOINTS, key=lambda i: TOUCHPOINTS[i])  # the longest example journey
SCREENS = [(1440, 900), (1280, 800)]
SMALLEST_SCALE = 0.8 - 1e-3  # the stylesheet's 0.8, less the browser's rounding to 1/64 px

MEASURE = """
() => {
  const region = document.querySelector('.journey-map-region');
  const svg = region.querySelector('svg.journey-map');
  const box = svg.getBoundingClientRect(), view = region.getBoundingClientRect();
  return {left: box.left, right: box.right, width: box.width,
          drawn: svg.viewBox.baseVal.width, scale: box.width / svg.viewBox.baseVal.width,
          scrollWidth: region.scrollWidth, clientWidth: region.clientWidth,
          scrollLeft: region.scrollLeft, viewLeft: view.left, viewRight: view.right,
          window: document.documentElement.clientWidth};
}
"""

# Texts of the gutter (lane names, axis) and the stage names the region shows, with boxes.
IN_VIEW = """
() => {
  const region = document.querySelector('.journey-map-region');
  const view = region.getBoundingClientRect();
  const boxes = sel => [...region.querySelectorAll(sel)].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, left: r.left, right: r.right};
  });
  return {view: {left: view.left, right: view.right},
          gutter: region.querySelector('svg.journey-map-gutter').getBoundingClientRect(),
          lanes: boxes('svg.journey-map-gutter text.jm-lane-name'),
          mapLanes: boxes('svg.journey-map text.jm-lane-name'),
          stages: boxes('svg.journey-map text.jm-stage-name'),
          stageBoxes: boxes('svg.journey-map rect.jm-stage')};
}
"""


@pytest.fixture(scope="module")
def sites(example_site: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[dict[str, str]]:
    """The example intranet on Material (its own mkdocs.yml) and on the plain mkdocs theme."""
    folder = tmp_path_factory.mktemp("screen")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    plain = {"site_name": config["site_name"], "docs_dir": str(ROOT / "content"),
             "site_dir": str(folder / "plain"), "theme": {"name": "mkdocs", "highlightjs": False},
             "plugins": config["plugins"], "use_directory_urls": True}
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(plain), encoding="utf-8")
    result = run(["mkdocs", "build", "--strict", "-f", str(folder / "mkdocs.yml")], folder)
    assert result.returncode == 0, result.stderr
    with serve(example_site) as on_material, serve(folder / "plain") as on_plain:
        yield {"material": on_material, "plain": on_plain}


def open_page(browser: Any, base: str, path: str, width: int, height: int,
              **options: Any) -> tuple[Any, PageWatch]:
    page = browser.new_page(viewport={"width": width, "height": height}, **options)
    watch = PageWatch(page, base)
    page.goto(base + path)
    return page, watch


def test_the_examples_hold_a_ten_touchpoint_map_and_a_longer_one() -> None:
    assert 10 in TOUCHPOINTS.values() and TOUCHPOINTS[LONG] > 10


@pytest.mark.parametrize("theme", ["material", "plain"])
@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_maps_of_up_to_ten_touchpoints_show_whole(browser: Any, sites: dict[str, str],
                                                  theme: str, width: int, height: int) -> None:
    OUTPUT.mkdir(exist_ok=True)
    for journey_id in SHORT:
        page, watch = open_page(browser, sites[theme], f"journeys/{journey_id}/", width, height)
        found = page.evaluate(MEASURE)
        assert found["scrollWidth"] <= found["clientWidth"], (journey_id, found)
        assert found["left"] >= 0 and found["right"] <= found["window"], (journey_id, found)
        assert found["scale"] >= SMALLEST_SCALE, (journey_id, found)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if TOUCHPOINTS[journey_id] == 10:
            page.locator(".journey-map-region").screenshot(
                path=str(OUTPUT / f"screen-{theme}-{width}-{journey_id}.png"))
        watch.assert_clean()
        page.close()


@pytest.mark.parametrize("theme", ["material", "plain"])
@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_a_longer_map_scrolls_by_keyboard_with_its_lane_names_in_view(
        browser: Any, sites: dict[str, str], theme: str, width: int, height: int) -> None:
    page, watch = open_page(browser, sites[theme], f"journeys/{LONG}/", width, height)
    found = page.evaluate(MEASURE)
    assert found["scrollWidth"] > found["clientWidth"]  # it does not fit: it scrolls
    assert found["scale"] >= SMALLEST_SCALE
    region = page.locator(".journey-map-region")
    region.focus()
    for _ in range(200):  # the arrow key scrolls the focused region, a step at a time
        before = page.evaluate(MEASURE)["scrollLeft"]
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"document.querySelector('.journey-map-region').scrollLeft"
                               f" != {before} || {before} >= "
                               f"{found['scrollWidth'] - found['clientWidth'] - 1}",
                               timeout=2000)
        if page.evaluate(MEASURE)["scrollLeft"] == before:
            break
    end = page.evaluate(MEASURE)
    assert end["scrollLeft"] >= end["scrollWidth"] - end["clientWidth"] - 1  # at the end
    page.wait_for_timeout(100)  # the stage names follow on the next frame
    shown = page.evaluate(IN_VIEW)
    view = shown["view"]
    lanes = shown["lanes"]
    assert [t["text"] for t in lanes] == [t["text"] for t in shown["mapLanes"]]
    for lane in lanes:
        assert view["left"] - 0.5 <= lane["left"] and lane["right"] <= view["right"] + 0.5, lane
    gutter_right = shown["gutter"]["right"]
    # Every stage whose box shows beside the gutter has its name there too, uncovered.
    for stage, box in zip(shown["stages"], shown["stageBoxes"], strict=True):
        if box["right"] - max(box["left"], gutter_right) > stage["right"] - stage["left"] + 20:
            assert stage["left"] >= gutter_right - 0.5 and stage["right"] <= view["right"] + 0.5, \
                stage
    assert any(s["left"] < gutter_right - 1 for s in shown["stageBoxes"])  # one runs under
    region.screenshot(path=str(OUTPUT / f"screen-{theme}-{width}-{LONG}-scrolled.png"))
    watch.assert_clean()
    page.close()


def test_zoom_by_keyboard_whole_map_and_actual_size_remembered(browser: Any,
                                                              sites: dict[str, str]) -> None:
    page, watch = open_page(browser, sites["material"], f"journeys/{LONG}/", 1280, 800)
    fit = page.get_by_role("button", name="Whole map")
    actual = page.get_by_role("button", name="Actual size")
    assert fit.is_visible() and actual.is_visible()
    fit.focus()
    page.keyboard.press("Enter")
    found = page.evaluate(MEASURE)
    assert fit.get_attribute("aria-pressed") == "true"
    assert found["scrollWidth"] <= found["clientWidth"] and found["scale"] < 0.8  # all of it
    assert abs(found["width"] - found["clientWidth"]) <= 1
    page.reload()
    assert page.evaluate(MEASURE)["scrollWidth"] <= page.evaluate(MEASURE)["clientWidth"]
    assert fit.get_attribute("aria-pressed") == "true"  # remembered for the page
    actual.focus()
    page.keyboard.press("Space")
    found = page.evaluate(MEASURE)
    assert abs(found["scale"] - 1) < 1e-3 and actual.get_attribute("aria-pressed") == "true"
    assert fit.get_attribute("aria-pressed") == "false"
    page.keyboard.press("Space")  # pressed again: back to the window's width
    assert SMALLEST_SCALE <= page.evaluate(MEASURE)["scale"] < 0.9
    page.goto(sites["material"] + f"journeys/{SHORT[0]}/")  # another page: its own zoom
    assert page.get_by_role("button", name="Whole map").get_attribute("aria-pressed") == "false"
    watch.assert_clean()
    page.close()


def test_without_javascript_the_map_scrolls_with_its_lane_names(browser: Any,
                                                               sites: dict[str, str]) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800},
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto(sites["material"] + f"journeys/{LONG}/")
    assert not page.locator(".journey-map-zoom").is_visible()  # no buttons that do nothing
    region = page.locator(".journey-map-region")
    region.focus()
    gutter = page.locator("svg.journey-map-gutter")
    before = gutter.bounding_box()
    first_stage = page.locator("svg.journey-map rect.jm-stage").first.bounding_box()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    assert page.locator("svg.journey-map rect.jm-stage").first.bounding_box()["x"] < \
        first_stage["x"]  # the map moved
    assert gutter.bounding_box() == before  # and its gutter did not
    context.close()


def test_map_and_touchpoint_table_link_to_each_other(browser: Any, sites: dict[str, str]) -> None:
    journey_id = "new-laptop"
    page, watch = open_page(browser, sites["material"], f"journeys/{journey_id}/", 1280, 800)
    links = page.evaluate("""() => [...document.querySelectorAll(
        '.journey-map-links a[href^="#tp-"]')].map(a => ({href: a.getAttribute('href'),
        id: a.id, name: a.textContent}))""")
    assert len(links) == TOUCHPOINTS[journey_id]
    backstage = []
    for number, link in enumerate(links, start=1):
        row = page.locator(link["href"])
        assert row.evaluate("e => e.tagName") == "TR", link
        assert link["name"].startswith(f"{number}. "), link  # a name for screen readers
        assert row.locator(f'a[href="#{link["id"]}"]').count() == 1, link  # and back
        if "journey-touchpoint--backstage" in (row.get_attribute("class") or ""):
            backstage.append(link)
    assert backstage  # backstage steps are links too
    markers = page.evaluate("""() => [...document.querySelectorAll(
        '.journey-map-links a[href^="#opp-"]')].map(a => a.getAttribute('href'))""")
    assert markers and all(page.locator(m).count() == 1 for m in markers)
    assert page.locator("svg.journey-map a").count() == 0  # the picture holds no link itself
    # Between the links the pointer reaches the drawing: a pain point's tooltip shows on hover.
    pain = page.locator("svg.journey-map text.jm-badge-text--pain").first
    pain.scroll_into_view_if_needed()
    box = pain.bounding_box()
    assert page.evaluate(f"document.elementFromPoint({box['x'] + box['width'] / 2}, "
                         f"{box['y'] + box['height'] / 2}).closest('svg.journey-map') !== null")
    # Map to table: a backstage step's row comes into view, as the page's target.
    step = backstage[0]
    page.locator(f'.journey-map-links a[href="{step["href"]}"]').click()
    assert page.evaluate("location.hash") == step["href"]
    row_box = page.locator(step["href"]).bounding_box()
    assert 48 <= row_box["y"] < 800  # under Material's header, not behind it
    # And back: the row's number leads to the touchpoint in the map, in view.
    page.locator(f'{step["href"]} a[href="#{step["id"]}"]').click()
    target = page.locator(f'[id="{step["id"]}"]')
    box, view = target.bounding_box(), page.evaluate(MEASURE)
    gutter = page.locator("svg.journey-map-gutter").bounding_box()
    assert box["y"] >= 48 and box["y"] + box["height"] <= 800
    assert gutter["x"] + gutter["width"] <= box["x"] + 1  # not under the lane names
    assert box["x"] + box["width"] <= view["viewRight"] + 1
    assert target.evaluate("e => getComputedStyle(e).outlineWidth") == "3px"  # :target shows
    # Focus is visible on the map's links, reached by Tab from the region.
    page.locator(".journey-map-region").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.journey-map-links') !== null")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineWidth") == "3px"
    watch.assert_clean()
    page.close()


PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 2}

# Elements of the page (not the menu drawer, which waits off screen) that reach past the
# window, outside the regions of the map and the other charts.
TOO_WIDE = """
() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('.md-main *, .md-header *')]
    .filter(e => !e.closest('.journey-map-scroll, .md-sidebar, .md-search, [hidden]'))
    .map(e => ({e, r: e.getBoundingClientRect()}))
    .filter(({r}) => r.width > 0 && (r.right > width + 0.5 || r.left < -0.5))
    .map(({e, r}) => `${e.tagName}.${e.className}: ${r.left}..${r.right}`);
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("journey_id", ["new-laptop", "new-laptop-ideal"])
def test_on_a_phone_only_the_map_scrolls_and_rows_are_cards(
        browser: Any, sites: dict[str, str], journey_id: str, scheme: str) -> None:
    context = browser.new_context(**PHONE, color_scheme=scheme)
    page = context.new_page()
    watch = PageWatch(page, sites["material"])
    page.goto(sites["material"] + f"journeys/{journey_id}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(TOO_WIDE) == []
    found = page.evaluate(MEASURE)
    assert found["scrollWidth"] > found["clientWidth"] and found["scale"] >= SMALLEST_SCALE
    rows = page.locator(".journey-touchpoints tbody tr")
    assert rows.count() == TOUCHPOINTS[journey_id]
    cards = rows.evaluate_all("""rows => rows.map(r => {
        const b = r.getBoundingClientRect();
        const labels = [...r.querySelectorAll('td[data-label]')].map(
            td => getComputedStyle(td, '::before').content);
        return {display: getComputedStyle(r).display, width: b.width, labels};
    })""")
    for card in cards:
        assert card["display"] == "block" and card["width"] <= 390, card
        assert '"Channel: "' in card["labels"] and '"Team: "' in card["labels"], card
    assert serious_violations(page) == []
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"screen-phone-{journey_id}-{scheme}.png"), full_page=True)
    watch.assert_clean()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_no_serious_accessibility_violation_on_wide_screens(
        browser: Any, sites: dict[str, str], scheme: str, width: int, height: int) -> None:
    page, watch = open_page(browser, sites["material"], f"journeys/{LONG}/", width, height,
                            color_scheme=scheme)
    assert serious_violations(page) == []
    page.screenshot(path=str(OUTPUT / f"screen-material-{width}-{scheme}.png"))
    watch.assert_clean()
    page.close()


@pytest.fixture(scope="module")
def hebrew(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = build_example("he", tmp_path_factory.mktemp("hebrew"))
    with serve(site) as base:
        yield base


def test_a_right_to_left_map_keeps_its_lane_names_on_the_right(browser: Any,
                                                               hebrew: str) -> None:
    page, watch = open_page(browser, hebrew, "journeys/report-outage/", 390, 844)
    found = page.evaluate(MEASURE)
    assert found["scrollWidth"] > found["clientWidth"]
    assert found["right"] <= found["viewRight"] + 1  # a right-to-left map starts on the right
    page.evaluate("document.querySelector('.journey-map-region').scrollLeft = -100000")
    page.wait_for_timeout(100)
    shown = page.evaluate(IN_VIEW)
    view = shown["view"]
    assert shown["lanes"]
    for lane in shown["lanes"]:
        assert view["left"] - 0.5 <= lane["left"] and lane["right"] <= view["right"] + 0.5, lane
    assert min(t["left"] for t in shown["lanes"]) > (view["left"] + view["right"]) / 2
    watch.assert_clean()
    page.close()


def test_the_script_is_small_and_asks_for_nothing_else() -> None:
    script = ROOT / "mkdocs_journey_plugin" / "assets" / "journeys.js"
    text = script.read_text(encoding="utf-8")
    assert len(text.encode()) < 5000
    assert "http" not in text and "import" not in text and "fetch" not in text
