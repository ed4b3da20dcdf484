"""A journey's presentation as a workshop uses it, in Chromium: the example site's
`journeys/new-laptop/present/` stepped through with keys, buttons and swipes, each slide fitting
the window in large type, right to left in Hebrew, without JavaScript, and axe in light and dark.

Screenshots for people to look at go to test-output/present-<slide>-<scheme>.png (1280x800),
present-phone-<slide>.png (390x844) and present-he-<slide>.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from .browser import OUTPUT, PageWatch, serious_violations, serve
from .conftest import ROOT
from .test_browser_languages import SIGNS_ON_THE_LEFT, build_example

PRESENT = "journeys/new-laptop/present/"
JOURNEY_PAGE = "journeys/new-laptop/"
_FRONT = (ROOT / "content" / "journeys" / "new-laptop.md").read_text(encoding="utf-8")
STAGES = [stage["name"] for stage in yaml.safe_load(_FRONT.split("---")[1])["stages"]]
HEADINGS = ["Requesting a new laptop", *STAGES, "Opportunities"]

# Runs in the page: the shown slide's heading, its number in the counter and the address, how
# far its content reaches against the window and the bar, what sticks out, and its smallest text.
SHOWN = """
() => {
  const shown = [...document.querySelectorAll('.jp-slide')].filter(
    s => getComputedStyle(s).display !== 'none');
  const slide = shown[0];
  const bar = document.querySelector('.jp-bar').getBoundingClientRect();
  const out = [];
  let bottom = 0;
  for (const el of slide.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    bottom = Math.max(bottom, r.bottom);
    if (r.left < -0.5 || r.right > innerWidth + 0.5 || r.top < -0.5 || r.bottom > bar.top + 0.5)
      out.push(`${el.tagName} ${el.getAttribute('class') || ''} ${Math.round(r.bottom)}`);
  }
  const sizes = [];
  for (const el of slide.querySelectorAll('h1, h2, h3, p, dt, dd, li, span, q')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.data.trim());
    if (own && !el.closest('svg')) sizes.push(parseFloat(getComputedStyle(el).fontSize));
  }
  return {count: shown.length, heading: slide.querySelector('h1, h2').textContent,
          counter: document.querySelector('.jp-count-shown').textContent,
          hash: location.hash, overflow: slide.scrollHeight - slide.clientHeight,
          bottom: Math.round(bottom), barTop: Math.round(bar.top), out,
          smallest: Math.min(...sizes)};
}
"""

# Runs in the page: elements wider than the window, or reaching past its sides.
TOO_WIDE = """
() => [...document.querySelectorAll('body *')].filter(el => {
  const r = el.getBoundingClientRect();
  return r.width && (r.left < -0.5 || r.right > innerWidth + 0.5);
}).map(el => el.tagName + ' ' + (el.getAttribute('class') || '')).concat(
  document.documentElement.scrollWidth > innerWidth ? ['the page scrolls sideways'] : [])
"""


@pytest.fixture(scope="module")
def site(example_site: Path) -> Iterator[str]:
    with serve(example_site) as base:
        yield base


@pytest.fixture(scope="module")
def hebrew(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(build_example("he", tmp_path_factory.mktemp("examples"))) as base:
        yield base


def shown(page: Any) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(SHOWN)
    return result


def screenshot(page: Any, name: str) -> None:
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"present-{name}.png"))



def swipe(page: Any, start: float, end: float, y: float = 420) -> None:
    """A finger from x=start to x=end, as the touch screen reports it (Chromium makes the
    pointer events of it, as on a phone)."""
    session = page.context.new_cdp_session(page)
    session.send("Input.dispatchTouchEvent", {"type": "touchStart",
                                              "touchPoints": [{"x": start, "y": y}]})
    for step in range(1, 9):
        session.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
            {"x": start + (end - start) * step / 8, "y": y + step}]})
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    session.detach()


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (1280, 800)])
def test_keys_step_through_every_slide_each_fitting_the_window(browser: Any, site: str,
                                                               width: int, height: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})
    watch = PageWatch(page, site)
    page.goto(site + PRESENT)
    total = len(HEADINGS)
    forward = ["ArrowRight", "Space", "PageDown", "ArrowDown"]
    for number, heading in enumerate(HEADINGS, start=1):
        now = shown(page)
        assert (now["count"], now["heading"]) == (1, heading)
        assert now["counter"] == f"{number} / {total}"
        assert now["hash"] == ("" if number == 1 else f"#{number}")
        # The whole slide in the window, above the bar: no scrolling in a workshop.
        assert now["overflow"] <= 0 and now["out"] == [], (heading, now)
        if (width, height) == (1280, 800):
            assert now["smallest"] >= 24, (heading, now["smallest"])
        print(f"{width}x{height} slide {number} ({heading}): content ends at {now['bottom']} px, "
              f"the bar starts at {now['barTop']} px, smallest text {now['smallest']} px")
        page.keyboard.press(forward[number % len(forward)])
    assert shown(page)["heading"] == HEADINGS[-1]  # past the last: stays there
    for key, heading in [("ArrowLeft", HEADINGS[-2]), ("PageUp", HEADINGS[-3]),
                         ("ArrowUp", HEADINGS[-4]), ("Home", HEADINGS[0]), ("End", HEADINGS[-1]),
                         ("Shift+Space", HEADINGS[-2])]:
        page.keyboard.press(key)
        assert shown(page)["heading"] == heading, key
    watch.assert_clean()
    page.close()


def test_buttons_reload_escape_and_the_way_back(browser: Any, site: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    watch = PageWatch(page, site)
    page.goto(site + JOURNEY_PAGE)
    page.get_by_role("link", name="Present this journey").click()
    page.wait_for_url(site + PRESENT)
    following = page.get_by_role("button", name="Next slide")
    following.click()
    following.click()
    assert shown(page)["heading"] == HEADINGS[2]
    page.get_by_role("button", name="Previous slide").click()
    page.keyboard.press("ArrowRight")  # keys still work with a button focused
    page.keyboard.press("ArrowRight")
    assert shown(page)["heading"] == HEADINGS[3]
    page.reload()
    assert shown(page)["heading"] == HEADINGS[3]  # #4 keeps the place
    page.keyboard.press("Escape")
    page.wait_for_url(site + JOURNEY_PAGE)
    page.go_back()
    page.wait_for_url(site + PRESENT + "#4")
    assert shown(page)["heading"] == HEADINGS[3]
    page.goto(site + PRESENT + "#99")  # a number out of range: the first slide
    assert shown(page)["heading"] == HEADINGS[0]
    watch.assert_clean()
    page.close()


def test_swipes_step_on_a_phone_and_nothing_is_wider_than_it(browser: Any, site: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True)
    page = context.new_page()
    watch = PageWatch(page, site)
    page.goto(site + PRESENT)
    for number, heading in enumerate(HEADINGS, start=1):
        assert shown(page)["heading"] == heading
        assert page.evaluate(TOO_WIDE) == [], heading
        if number in (1, 2, len(HEADINGS)):
            screenshot(page, f"phone-{number}")
        swipe(page, 330, 60)  # to the left: the next slide
    assert shown(page)["heading"] == HEADINGS[-1]
    swipe(page, 60, 330)  # to the right: the one before
    assert shown(page)["heading"] == HEADINGS[-2]
    swipe(page, 200, 215)  # too short to count
    assert shown(page)["heading"] == HEADINGS[-2]
    watch.assert_clean()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_any_slide(browser: Any, site: str, scheme: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    watch = PageWatch(page, site)
    page.goto(site + PRESENT)
    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert background == ("rgb(22, 24, 29)" if scheme == "dark" else "rgb(255, 255, 255)")
    names = {1: "title", 2: "stage", len(HEADINGS): "last"}
    for number in range(1, len(HEADINGS) + 1):
        assert serious_violations(page) == [], number
        if number in names:
            screenshot(page, f"{names[number]}-{scheme}")
        page.keyboard.press("ArrowRight")
    watch.assert_clean()
    page.close()


def test_without_javascript_every_slide_is_shown_in_order(browser: Any, site: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280,
                                                                       "height": 800})
    page = context.new_page()
    page.goto(site + PRESENT)
    headings = page.locator(".jp-slide").locator("h1, h2")
    assert headings.all_inner_texts() == HEADINGS
    assert all(headings.nth(i).is_visible() for i in range(len(HEADINGS)))
    assert page.get_by_role("button").count() == 0  # the steps need the script
    assert page.get_by_role("link", name="Back to the journey page").is_visible()
    context.close()


def test_hebrew_runs_right_to_left(browser: Any, hebrew: str) -> None:
    words = yaml.safe_load((ROOT / "mkdocs_journey_plugin" / "locales" / "he.yml").read_text(
        encoding="utf-8"))
    context = browser.new_context(viewport={"width": 1280, "height": 800}, has_touch=True)
    page = context.new_page()
    watch = PageWatch(page, hebrew)
    page.goto(hebrew + "journeys/report-outage/")
    page.get_by_role("link", name=words["present"]).click()
    page.wait_for_url(hebrew + "journeys/report-outage/present/")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == \
        ["he", "rtl"]
    first = shown(page)["heading"]
    # "1 / 6" reads left to right, as numbers do in Hebrew text too.
    assert page.evaluate("getComputedStyle(document.querySelector('.jp-count-shown')).direction"
                         ) == "ltr"
    screenshot(page, "he-title")
    page.keyboard.press("ArrowLeft")  # forward, right to left
    second = shown(page)
    assert second["counter"] == "2 / 6" and second["out"] == [] and second["overflow"] <= 0
    found = page.evaluate(SIGNS_ON_THE_LEFT, ".jp-slide.jp-current .jp-emotion")
    assert found["checked"] > 0 and found["wrong"] == []
    # The stage's curve starts on the right, as the slide reads.
    xs = page.locator(".jp-current svg.journey-stage-curve polyline.jsc-context").get_attribute(
        "points") or ""
    assert float(xs.split()[0].split(",")[0]) > float(xs.split()[-1].split(",")[0])
    screenshot(page, "he-stage")
    page.keyboard.press("ArrowRight")  # back
    assert shown(page)["heading"] == first
    swipe(page, 300, 900)  # to the right: forward, right to left
    assert shown(page)["counter"] == "2 / 6"
    page.get_by_role("button", name=words["present_next"]).click()
    assert shown(page)["counter"] == "3 / 6"
    assert serious_violations(page) == []
    watch.assert_clean()
    context.close()

