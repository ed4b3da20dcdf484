"""The Hebrew and German example sites (examples/he, examples/de), built for real and read in
Chromium: every page kind in light and dark, right to left in Hebrew, German words and numbers.

Screenshots for people to look at go to test-output/lang-<language>-<kind>-<scheme>.png, and the
whole journey maps (their standalone SVG) to test-output/lang-<language>-map.png.
"""

from __future__ import annotations

import calendar
import datetime
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from .browser import (
    CHARTS,
    OUTPUT,
    TEXT_BOXES,
    PageWatch,
    serious_violations,
    serve,
    text_problems,
)
from .conftest import ROOT, run
from .test_locales import LOCALES, chart_texts

EXAMPLES = ROOT / "examples"
BUILD_DAY = datetime.date(2026, 11, 23)  # the examples' "today": their first milestone is overdue
JOURNEY = {"he": "report-outage", "de": "stoerung-diensthandy"}
PERSONA = {"he": "noa", "de": "jonas"}
PAGES = {language: {"home": "", "journey": f"journeys/{JOURNEY[language]}/",
                    "persona": f"personas/{PERSONA[language]}/", "backlog": "opportunities/",
                    "roadmap": "roadmap/", "insights": "insights/"}
         for language in JOURNEY}
ENGLISH = yaml.safe_load((LOCALES / "en.yml").read_text(encoding="utf-8"))
WORDS = {language: yaml.safe_load((LOCALES / f"{language}.yml").read_text(encoding="utf-8"))
         for language in JOURNEY}
LANES = ["lane_stage", "lane_action", "lane_channel", "lane_emotion", "lane_moments",
         "lane_metrics", "lane_team", "lane_backstage"]


def build_example(language: str, folder: Path) -> Path:
    """A copy of the example built with `mkdocs build --strict`, the repository left as it is."""
    work = folder / language
    shutil.copytree(EXAMPLES / language, work, ignore=shutil.ignore_patterns("site", ".cache"))
    epoch = calendar.timegm(BUILD_DAY.timetuple())
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
                             str(work / "site")], cwd=work, capture_output=True, text=True,
                            timeout=300, env={**os.environ, "SOURCE_DATE_EPOCH": str(epoch),
                                              "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    assert not re.search(r"^(WARNING|ERROR)\b", result.stderr, re.M), result.stderr
    return work / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("examples")
    return {language: build_example(language, folder) for language in JOURNEY}


def page_html(sites: dict[str, Path], language: str, kind: str) -> str:
    return (sites[language] / PAGES[language][kind] / "index.html").read_text(encoding="utf-8")


# --- without a browser ----------------------------------------------------------------------

@pytest.mark.parametrize("language", sorted(JOURNEY))
def test_example_content_validates(language: str) -> None:
    result = run(["mkdocs_journey_plugin.cli", "validate"], EXAMPLES / language)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert "no problems" in result.stdout


@pytest.mark.parametrize("language", sorted(JOURNEY))
def test_example_builds_every_page_kind(sites: dict[str, Path], language: str) -> None:
    for kind in PAGES[language]:
        html = page_html(sites, language, kind)
        assert f'<html lang="{language}"' in html, kind
    assert (sites[language] / "journeys" / f"{JOURNEY[language]}.svg").is_file()
    persona = page_html(sites, language, "persona")
    assert re.search(r"<ol>\s*<li>", persona), "preferred channels are a numbered list"
    assert "<q>" in persona  # the browser quotes as the language does: „…“ in German


def test_no_english_label_in_the_hebrew_map(sites: dict[str, Path]) -> None:
    html = page_html(sites, "he", "journey")
    he = WORDS["he"]
    english = {str(value) for key, value in ENGLISH.items() if he[key] != value}
    lanes = chart_texts(html, css="jm-lane-name")
    legend = chart_texts(html, css="jm-legend-text")
    tags = chart_texts(html, css="jm-tag-text")
    assert lanes == [he[key] for key in LANES]
    assert he["legend_peak_end"] in legend and he["legend_handoff"] in legend
    assert sorted(tags) == sorted([he["tag_lowest"], he["tag_end"]])
    for text in lanes + legend + tags:
        assert text not in english, text
        for value in english:  # nor inside a longer text: "Emotion, -2 to +2"
            if len(value) > 3 and re.search(r"[A-Za-z]{4}", value):
                assert value.split(",")[0] not in text, (text, value)
    title = re.search(r'<title id="map-[\w-]+-title">([^<]*)</title>', html)
    assert title and title.group(1) == he["map_title"].format(title="דיווח על תקלת רשת בסניף")


def test_german_incident_journey_has_five_channel_switches(sites: dict[str, Path]) -> None:
    """The source text's journey: knowledge base, portal, e-mail, phone, e-mail, chat."""
    html = page_html(sites, "de", "journey")
    assert "<dt>Kanalwechsel</dt><dd>5</dd>" in html
    channels = chart_texts(html, css="jm-channel")
    assert [c for c in channels if c not in ("Ticketsystem",)][:6] == [
        "Wissensdatenbank", "Portal", "E-Mail", "Telefon", "E-Mail", "Chat"]


# --- in Chromium ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(sites: dict[str, Path]) -> Iterator[dict[str, str]]:
    with serve(sites["he"]) as hebrew, serve(sites["de"]) as german:
        yield {"he": hebrew, "de": german}


def new_page(browser: Any, scheme: str = "light") -> Any:
    return browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)


KEYS = "|".join(re.escape(key) for key in ENGLISH if "_" in key)
RAW_KEY = re.compile(rf"\b(?:{KEYS})\b")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGES["he"]))
@pytest.mark.parametrize("language", sorted(JOURNEY))
def test_every_page_kind_reads_well(browser: Any, served: dict[str, str], language: str,
                                    kind: str, scheme: str) -> None:
    base = served[language]
    page = new_page(browser, scheme)
    watch = PageWatch(page, base)
    page.goto(base + PAGES[language][kind])
    assert page.get_attribute("body", "data-md-color-scheme") == \
        ("slate" if scheme == "dark" else "default")
    # Material puts the direction on <body>; everything in the article inherits it.
    assert page.evaluate("document.documentElement.lang") == language
    direction = page.evaluate(
        "getComputedStyle(document.querySelector('article.md-content__inner')).direction")
    assert direction == ("rtl" if language == "he" else "ltr")
    charts = page.evaluate(TEXT_BOXES, CHARTS)
    assert text_problems(charts) == []
    article = page.locator("article.md-content__inner").inner_text()
    assert RAW_KEY.findall(article) == []  # a label never shows as its key
    assert serious_violations(page) == []
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"lang-{language}-{kind}-{scheme}.png"), full_page=True)
    watch.assert_clean()
    page.close()


# For every text node under the selected elements that holds a signed number: is its sign drawn
# left of its first digit? Measured on screen, character by character.
SIGNS_ON_THE_LEFT = """
(selector) => {
  const wrong = []; let checked = 0;
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[+-]\\u2069*\\u2066*\\d/g)) {
        const left = (i) => { const r = document.createRange(); r.setStart(node, i);
                               r.setEnd(node, i + 1); return r.getBoundingClientRect().left; };
        const digit = match.index + match[0].length - 1;
        checked += 1;
        if (!(left(match.index) < left(digit))) wrong.push(node.data);
      }
    }
  }
  return {checked, wrong};
}
"""
# The same for a target's sign: '\u2265 80', never '80 \u2264' (see metrics_lane).
TARGET_SIGNS_ON_THE_LEFT = SIGNS_ON_THE_LEFT.replace("[+-]\\u2069*\\u2066*\\d",
                                                     "[\\u2264\\u2265]\\u00a0\\d")
assert TARGET_SIGNS_ON_THE_LEFT != SIGNS_ON_THE_LEFT

COLUMNS = """
() => [...document.querySelectorAll('svg.journey-map g.jm-touchpoint')].map(g => {
  const r = g.getBoundingClientRect();
  return {id: g.dataset.touchpoint, centre: (r.left + r.right) / 2};
})
"""


def screenshot_whole_map(page: Any, base: str, language: str) -> None:
    """The journey map's standalone SVG (the download), whole, for people to look at."""
    OUTPUT.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 2000, "height": 900})
    page.set_content(f'<body style="margin:0;background:#fff">'
                     f'<img src="{base}journeys/{JOURNEY[language]}.svg" alt=""></body>')
    image = page.locator("img")
    image.evaluate("img => img.decode()")
    assert image.evaluate("img => img.naturalWidth") > 1000
    image.screenshot(path=str(OUTPUT / f"lang-{language}-map.png"))


def centres(page: Any, selector: str) -> list[float]:
    return page.locator(selector).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return (r.left + r.right) / 2; })")


def test_hebrew_journey_map_runs_right_to_left(browser: Any, served: dict[str, str],
                                               sites: dict[str, Path]) -> None:
    base = served["he"]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = PageWatch(page, base)
    page.goto(base + PAGES["he"]["journey"])
    assert page.evaluate("document.body.dir") == "rtl"
    assert page.get_attribute("svg.journey-map", "direction") == "rtl"
    columns = page.evaluate(COLUMNS)
    assert columns[0]["id"] == "notice-outage" and columns[-1]["id"] == "closing-sms"
    assert columns[0]["centre"] > columns[-1]["centre"]  # the first touchpoint is on the right
    assert [c["centre"] for c in columns] == sorted((c["centre"] for c in columns), reverse=True)
    stages = centres(page, "svg.journey-map text.jm-stage-name")
    assert stages == sorted(stages, reverse=True)
    lane_left = min(page.locator("svg.journey-map text.jm-lane-name").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().left)"))
    assert lane_left > columns[0]["centre"]  # lane names in the gutter on the right
    curve = page.get_attribute("svg.journey-map polyline.jm-curve:not(.jm-curve--compare)",
                               "points") or ""
    xs = [float(point.split(",")[0]) for point in curve.split()]
    assert xs[0] > xs[-1]
    # Numbers in right-to-left text: isolated in the map, -1.5 never shown as 1.5-.
    scores = page.locator("svg.journey-map text.jm-score").all_text_contents()
    assert scores and all(s.startswith("\u2066") and s.endswith("\u2069") for s in scores)
    assert "\u2066-1.5\u2069" in "".join(s.replace("\u2066\u2066", "\u2066")
                                         .replace("\u2069\u2069", "\u2069") for s in scores)
    for selector in ("svg.journey-map text.jm-score", "svg.journey-map text.jm-axis",
                     ".journey-figures dd", ".journey-touchpoints td"):
        found = page.evaluate(SIGNS_ON_THE_LEFT, selector)
        assert found["checked"] > 0 and found["wrong"] == [], selector
    for selector in ("svg.journey-map text.jm-metric-target", ".journey-metrics td"):
        found = page.evaluate(TARGET_SIGNS_ON_THE_LEFT, selector)
        assert found["checked"] >= 2 and found["wrong"] == [], selector
    watch.assert_clean()
    screenshot_whole_map(page, base, "he")
    page.close()


def test_hebrew_roadmap_and_sparklines_run_right_to_left(browser: Any,
                                                         served: dict[str, str]) -> None:
    base = served["he"]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = PageWatch(page, base)
    page.goto(base + PAGES["he"]["roadmap"])
    milestones = [centres(page, f"svg.journey-roadmap g.jr-milestone[data-milestone='{m}'] "
                                ".jr-marker")[0] for m in ("2026-q4", "2027-q1", "2027-q2")]
    assert milestones == sorted(milestones, reverse=True)  # the first milestone on the right
    ticks = centres(page, "svg.journey-roadmap text.jr-tick-text")
    assert len(ticks) > 1 and ticks == sorted(ticks, reverse=True)
    overdue = page.locator("svg.journey-roadmap text.jr-overdue").all_text_contents()
    assert overdue == [WORDS["he"]["milestone_overdue"].format(open="\u20661\u2069")]
    page.goto(base)
    lines = page.locator("svg.journey-sparkline polyline").evaluate_all(
        "els => els.map(e => e.getAttribute('points'))")
    assert len(lines) == 2
    for points in lines:
        xs = [float(point.split(",")[0]) for point in points.split()]
        assert xs[0] > xs[-1]  # the journey starts on the right
    watch.assert_clean()
    page.close()


def test_german_labels_and_decimal_comma(browser: Any, served: dict[str, str]) -> None:
    base = served["de"]
    de = WORDS["de"]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = PageWatch(page, base)
    page.goto(base + PAGES["de"]["journey"])
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    lanes = page.locator("svg.journey-map text.jm-lane-name").evaluate_all(
        "els => els.map(e => { const spans = [...e.querySelectorAll('tspan')];"
        " return (spans.length ? spans.map(s => s.textContent) : [e.textContent]).join(' '); })")
    assert lanes == [de[key] for key in LANES]
    assert "Was der Melder tut" in lanes
    scores = page.locator("svg.journey-map text.jm-score").all_text_contents()
    assert "-0,5" in scores and "-1,83" in scores
    assert not any("." in score for score in scores)
    legend = page.locator("svg.journey-map text.jm-legend-text").all_text_contents()
    assert "Emotion, -2 bis +2" in legend
    figures = dict(zip(page.locator(".journey-figures dt").all_inner_texts(),
                       page.locator(".journey-figures dd").all_inner_texts(), strict=True))
    assert figures["Durchschnittliche Emotion"] == "-0,64"
    assert figures["Kanalwechsel"] == "5"
    headings = page.locator("article h2, article h3").all_inner_texts()
    for label in ("at_a_glance", "map", "touchpoints", "opportunities", "priority_must",
                  "priority_wont"):
        assert de[label] in headings, label
    page.goto(base + PAGES["de"]["roadmap"])
    assert page.get_by_text("Fällig am 31. März 2027").count() == 1
    watch.assert_clean()
    screenshot_whole_map(page, base, "de")
    page.close()
