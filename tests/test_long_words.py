"""A 10,000-letter word in author text (a pasted token) widens neither the page nor any table,
and stays inside the map: in touchpoint actions, pains and quotes, a persona's name, an
opportunity's title and description, and a body."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mkdocs_journey_plugin.model import Journey
from mkdocs_journey_plugin.render import MapOptions, draw_journey_map
from mkdocs_journey_plugin.render.svg import Text

from .browser import TEXT_BOXES, serve, text_problems
from .conftest import JOURNEY, PERSONA, make_site, run, write

WORD = "Supercalifragilistic" * 500
assert len(WORD) == 10_000
TEAM = WORD[:100]  # team names become addresses: at most 100 characters

JOURNEY_TEXT = JOURNEY.replace("Looks for the order form", f"Looks {WORD}").replace(
    "        emotion: -1\n", f"        emotion: -1\n        pain: Pain {WORD}\n"
    f"        quote: Quote {WORD}\n", 1).replace(
    "Send a status update", f"Send {WORD}").replace(
    "    priority: must\n", f"    priority: must\n    team: Hardware\n"
    f"    description: Desc {WORD}\n").replace(
    "Interviews with five office managers.", f"Interviews {WORD}")
PERSONA_TEXT = PERSONA.replace("Eva Kovacs", f"Eva {WORD}").replace(
    "Eva runs the office.", f"Eva runs {WORD}")

# Pages where the word shows, in the menu too (the persona's name on the journey index).
PAGES = ["journeys/new-laptop/", "personas/eva/", "opportunities/", "opportunities/hardware/", ""]


def build(root: Path, theme: str) -> Path:
    site = make_site(root, theme=theme)
    write(site / "content" / "personas" / "eva.md", PERSONA_TEXT)
    write(site / "content" / "journeys" / "new-laptop.md", JOURNEY_TEXT)
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    return site / "site"


@pytest.fixture(scope="module")
def material(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(build(tmp_path_factory.mktemp("long"), "material")) as base:
        yield base


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(build(tmp_path_factory.mktemp("long-plain"), "mkdocs")) as base:
        yield base


# The document's width, and every shown element wider than the window, outside the map's own
# scrolling region: a table of 100,000 px inside the theme's scrolling wrapper leaves the
# document as wide as the window, but is no less a widened page to its reader.
WIDTHS = """
() => {
  const wide = [...document.body.querySelectorAll('*')].filter(e =>
    !e.closest('.journey-map-scroll') && e.getClientRects().length > 0 &&
    e.getBoundingClientRect().width > window.innerWidth);
  return {document: document.documentElement.scrollWidth, window: window.innerWidth,
          wide: wide.slice(0, 5).map(e => `${e.tagName}.${e.className}`)};
}
"""


def check_page(browser: Any, base: str, path: str) -> None:
    tab = browser.new_page(viewport={"width": 1280, "height": 800})
    tab.goto(f"{base}{path}")
    widths = tab.evaluate(WIDTHS)
    assert widths["document"] <= widths["window"], (path, widths)
    assert widths["wide"] == [], (path, widths)
    if path.startswith("journeys/"):
        assert text_problems(tab.evaluate(TEXT_BOXES)) == []
    tab.close()


@pytest.mark.parametrize("path", PAGES)
def test_a_long_word_widens_no_page(browser: Any, material: str, path: str) -> None:
    check_page(browser, material, path)


@pytest.mark.parametrize("path", ["journeys/new-laptop/", "opportunities/"])
def test_a_long_word_widens_no_page_on_the_plain_theme(browser: Any, plain: str,
                                                       path: str) -> None:
    check_page(browser, plain, path)


def test_a_long_word_is_broken_inside_the_map_by_font_metrics() -> None:
    journey = Journey.model_validate({
        "title": WORD, "persona": "eva", "teams": [TEAM],
        "stages": [{"name": WORD, "touchpoints": [
            {"id": "a", "action": f"Looks {WORD}", "channel": WORD, "team": TEAM,
             "emotion": -1, "feeling": WORD, "pain": WORD, "quote": WORD, "gap": WORD},
            {"id": "b", "action": WORD, "channel": "portal", "emotion": 1}]}],
        "opportunities": [{"title": WORD, "touchpoints": ["a"]}]})
    drawn = draw_journey_map(journey, MapOptions())
    assert drawn.width < 2000
    texts: list[Text] = drawn.texts
    for text in texts:
        left, top, right, bottom = text.box()
        assert left >= 0 and right <= drawn.width and top >= 0 and bottom <= drawn.height, text
    for a, b in itertools.combinations(texts, 2):
        ax0, ay0, ax1, ay1 = a.box()
        bx0, by0, bx1, by1 = b.box()
        assert not (min(ax1, bx1) - max(ax0, bx0) > 0.01 and min(ay1, by1) - max(ay0, by0) > 0.01)
