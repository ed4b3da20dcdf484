"""Journey maps in a real browser: nothing overflows, light and dark, and author text is inert."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .browser import OUTPUT, TEXT_BOXES, PageWatch, serve, text_problems
from .conftest import JOURNEY, PERSONA, ROOT, make_site, run, write

JOURNEY_IDS = sorted(p.stem for p in (ROOT / "content" / "journeys").iterdir())


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_text_overflows_on_example_maps(browser: Any, example_site: Path, scheme: str) -> None:
    OUTPUT.mkdir(exist_ok=True)
    with serve(example_site) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 1000},
                                color_scheme=scheme)
        watch = PageWatch(page, base)
        for journey_id in JOURNEY_IDS:
            page.goto(f"{base}journeys/{journey_id}/")
            expected = "slate" if scheme == "dark" else "default"
            assert page.get_attribute("body", "data-md-color-scheme") == expected
            charts = page.evaluate(TEXT_BOXES)
            assert len(charts) == 1 and len(charts[0]["texts"]) > 20
            assert text_problems(charts) == []
            page.locator("svg.journey-map").screenshot(
                path=str(OUTPUT / f"map-{journey_id}-{scheme}.png"))
        page.goto(f"{base}journeys/new-laptop/")
        page.screenshot(path=str(OUTPUT / f"journey-page-{scheme}.png"), full_page=True)
        watch.assert_clean()
        page.close()


def test_map_sits_above_the_touchpoint_table(browser: Any, example_site: Path) -> None:
    with serve(example_site) as base:
        page = browser.new_page()
        page.goto(f"{base}journeys/new-laptop/")
        map_top = page.locator("svg.journey-map").bounding_box()["y"]
        table_top = page.locator(".journey-touchpoints table").bounding_box()["y"]
        assert map_top < table_top
        title = page.locator("svg.journey-map title").first.text_content()
        assert title == "Journey map: Requesting a new laptop"
        page.close()


WORLD = {
    "hu": ("Új laptop igénylése", "Megkeresi a megrendelőlapot a tudásbázisban, "
           "de csak elavult leírásokat talál", "tudásbázis", "Ügyfélszolgálat",
           "bizonytalanságérzés"),
    "pl": ("Zgłoszenie awarii", "Zgłasza awarię przez portal i czeka na odpowiedź, "
           "która nie przychodzi", "portal samoobsługowy", "Wsparcie techniczne",
           "zniecierpliwiony"),
    "he": ("בקשת מחשב נייד חדש", "מחפשת את טופס ההזמנה במאגר הידע ולא מוצאת אותו", "מאגר ידע",
           "מוקד שירות", "מתוסכלת"),
    "zh": ("申请新笔记本电脑", "在知识库中查找订购表格但是找不到任何相关的说明文档", "知识库",
           "服务台", "困惑"),
}

XSS = ['<script>alert("xss")</script>', '<img src=x onerror=alert(1)>', "]]></text><x>",
       '" onmouseover="alert(1)', "javascript:alert(1)", "</title><script>alert(2)</script>",
       "'><svg onload=alert(3)>"]


def journey_text(title: str, action: str, channel: str, team: str, feeling: str) -> str:
    return f"""\
---
title: {title!r}
persona: eva
goal: {action!r}
tags: [{feeling!r}]
expectations: [{feeling!r}]
teams: [{team!r}, Hardware]
stages:
  - name: {title!r}
    touchpoints:
      - id: one
        action: {action!r}
        channel: {channel!r}
        team: {team!r}
        emotion: [-2, -1]
        feeling: {feeling!r}
        quote: {action!r}
        pain: {feeling!r}
        gap: {action!r}
        duration: 1 h
        wait: 2 days
      - id: two
        action: {action!r}
        channel: {channel!r}
        team: Hardware
        backstage: true
  - name: {feeling!r}
    touchpoints:
      - id: three
        action: {action + " " + action!r}
        channel: {channel!r}
        team: {team!r}
        emotion: 1.5
        feeling: {feeling!r}
opportunities:
  - id: first
    title: {action!r}
    touchpoints: [one, three]
    team: {team!r}
    description: {action!r}
---
"""


@pytest.fixture(scope="module")
def world_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = make_site(tmp_path_factory.mktemp("world"))
    quoted = [repr(p) for p in XSS]
    write(site / "content" / "personas" / "eva.md",
          PERSONA.replace("Eva Kovacs", XSS[0]).replace("Office manager", XSS[1]).replace(
              "channels: [e-mail, phone]",
              f"channels: [{', '.join(quoted)}]\nquote: {quoted[2]}\n"
              f"goals: [{', '.join(quoted)}]\nexpectations: [{', '.join(quoted)}]\n"
              f"frustrations: [{', '.join(quoted)}]"))
    for language, fields in WORLD.items():
        write(site / "content" / "journeys" / f"{language}.md", journey_text(*fields))
    for number, payload in enumerate(XSS):
        write(site / "content" / "journeys" / f"xss-{number}.md",
              journey_text(payload, payload, payload, payload, payload))
    write(site / "content" / "journeys" / "plain.md", JOURNEY)
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    return site / "site"


def test_accented_hebrew_and_cjk_text_fits(browser: Any, world_site: Path) -> None:
    with serve(world_site) as base:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        watch = PageWatch(page, base)
        for language in WORLD:
            page.goto(f"{base}journeys/{language}/")
            charts = page.evaluate(TEXT_BOXES)
            assert text_problems(charts) == [], language
            page.locator("svg.journey-map").screenshot(path=str(OUTPUT / f"map-{language}.png"))
        watch.assert_clean()
        page.close()


def test_xss_payloads_render_as_visible_text(browser: Any, world_site: Path) -> None:
    with serve(world_site) as base:
        page = browser.new_page()
        watch = PageWatch(page, base)
        for number, payload in enumerate(XSS):
            page.goto(f"{base}journeys/xss-{number}/")
            page.locator("svg.journey-map").hover()
            texts = page.locator("svg.journey-map text").all_text_contents()
            assert any(payload in t for t in texts), payload
            assert payload in page.locator(".journey-touchpoints table").inner_text()
            assert page.locator("h1").first.inner_text() == payload
            assert page.locator("script:not([src])").evaluate_all(
                "els => els.filter(e => e.textContent.includes('alert')).length") == 0
            assert text_problems(page.evaluate(TEXT_BOXES)) == []
        page.goto(f"{base}personas/eva/")
        assert XSS[0] in page.locator("h1").first.inner_text()
        article = page.locator("article.md-content__inner").inner_text()
        assert all(payload in article for payload in XSS)
        watch.assert_clean()
        page.close()


A3_LANDSCAPE_POINTS = (1190.55, 841.89)  # 420 mm x 297 mm


def test_journey_page_prints_on_a3_landscape_with_the_map_whole(browser: Any,
                                                                example_site: Path) -> None:
    with serve(example_site) as base:
        page = browser.new_page(viewport={"width": 1587, "height": 1123})  # A3 at 96 dpi
        page.goto(f"{base}journeys/new-laptop/")
        page.emulate_media(media="print")
        sizes = page.evaluate("""() => {
            const svg = document.querySelector('svg.journey-map').getBoundingClientRect();
            const main = document.querySelector('article').getBoundingClientRect();
            return {svgLeft: svg.left, svgRight: svg.right, svgHeight: svg.height,
                    mainLeft: main.left, mainRight: main.right,
                    scroll: document.querySelector('.journey-map-scroll').scrollWidth,
                    box: document.querySelector('.journey-map-scroll').clientWidth};
        }""")
        assert sizes["svgLeft"] >= sizes["mainLeft"] - 1
        assert sizes["svgRight"] <= sizes["mainRight"] + 1  # the whole map fits the width
        assert sizes["scroll"] <= sizes["box"] + 1  # nothing is scrolled away in print
        assert sizes["svgHeight"] < 1123 - 2 * 38  # and it fits one page's height
        page.screenshot(path=str(OUTPUT / "print-preview-new-laptop.png"), full_page=True)
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        (OUTPUT / "new-laptop.pdf").write_bytes(pdf)
        boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
        assert boxes, "the PDF has pages"
        for width, height in boxes:  # every page one A3 landscape sheet wide
            assert abs(float(width) - A3_LANDSCAPE_POINTS[0]) < 1
            assert abs(float(height) - A3_LANDSCAPE_POINTS[1]) < 1
        page.close()


# The lane of measures as the browser lays it out: every sparkline and every text of the lane
# inside the lane, apart from each other, and the words of met and missed readable.
METRICS_LANE = """
() => {
  const svg = document.querySelector('svg.journey-map');
  const box = e => { const b = e.getBBox();
                     return {x: b.x, y: b.y, right: b.x + b.width, bottom: b.y + b.height}; };
  const rgb = text => (text.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const texts = [...svg.querySelectorAll('.jm-metrics text')].map(t => ({
    text: t.textContent, css: t.getAttribute('class'), fill: rgb(getComputedStyle(t).fill),
    ...box(t)}));
  const sparks = [...svg.querySelectorAll('.jm-metric-spark')].map(box);
  const names = [...document.querySelectorAll('.journey-map-gutter .jm-lane-name')]
    .map(t => t.textContent);
  return {texts, sparks, names, background: rgb(getComputedStyle(svg).backgroundColor),
          width: svg.viewBox.baseVal.width};
}
"""


def _luminance(rgb: list[float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (channel(v) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: list[float], b: list[float]) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_the_lane_of_measures_fits_and_reads(browser: Any, example_site: Path, scheme: str,
                                             size: tuple[int, int]) -> None:
    with serve(example_site) as base:
        page = browser.new_page(viewport={"width": size[0], "height": size[1]},
                                color_scheme=scheme)
        watch = PageWatch(page, base)
        page.goto(f"{base}journeys/password-reset/")
        lane = page.evaluate(METRICS_LANE)
        assert "Measures" in lane["names"]
        values = [t for t in lane["texts"] if "jm-metric-value" in t["css"]]
        # Met and missed by a symbol as well as by colour: every value starts with one.
        assert sorted(t["text"][0] for t in values) == ["\u2713"] * 4 + ["\u2717"] * 2
        targets = [t["text"] for t in lane["texts"] if "jm-metric-target" in t["css"]]
        assert sum(t.endswith("missed") for t in targets) == 2  # and in words
        assert sum(t.endswith("met") for t in targets) == 4
        assert len(lane["sparks"]) == 4  # the places with dated values
        texts = lane["texts"]
        for spark in lane["sparks"]:
            assert spark["x"] >= 0 and spark["right"] <= lane["width"]
            for text in texts:
                assert not (min(spark["right"], text["right"]) - max(spark["x"], text["x"]) > 0.5
                            and min(spark["bottom"], text["bottom"])
                            - max(spark["y"], text["y"]) > 0.5), (spark, text["text"])
        assert text_problems([{"id": "measures", "width": lane["width"], "height": 1e9,
                               "texts": texts}]) == []
        for text in texts:  # WCAG AA for text of this size: 4.5
            assert contrast(text["fill"], lane["background"]) >= 4.5, (text["text"], scheme)
        page.locator("svg.journey-map").screenshot(
            path=str(OUTPUT / f"map-measures-{size[0]}-{scheme}.png"))
        watch.assert_clean()
        page.close()
