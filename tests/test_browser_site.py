"""The intranet site as a stakeholder uses it: links only, dark mode, search, axe, screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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


@pytest.fixture(scope="module")
def site(example_site: Path) -> Iterator[str]:
    with serve(example_site) as base:
        yield base


def new_page(browser: Any, scheme: str = "light") -> Any:
    return browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)


def main_link(page: Any, name: str) -> Any:
    """A link inside the page content (not the navigation), by its visible name."""
    return page.locator("article.md-content__inner").get_by_role("link", name=name, exact=True)


def test_walk_home_journey_persona_backlog_and_back(browser: Any, site: str) -> None:
    page = new_page(browser)
    watch = PageWatch(page, site)
    page.goto(site)
    assert page.locator("h1").first.inner_text() == "Journeys"
    assert page.locator(".journey-card").count() == 7
    main_link(page, "Requesting a new laptop").click()
    page.wait_for_url(f"{site}journeys/new-laptop/")
    assert page.locator("svg.journey-map").count() == 1
    main_link(page, "Eva Kovacs").first.click()
    page.wait_for_url(f"{site}personas/eva/")
    assert page.locator(".journey-card").count() == 3
    main_link(page, "Resetting an expired password").click()
    page.wait_for_url(f"{site}journeys/password-reset/")
    page.go_back()
    page.wait_for_url(f"{site}personas/eva/")
    page.go_back()
    page.go_back()
    page.wait_for_url(site)
    main_link(page, "Opportunity backlog").click()
    page.wait_for_url(f"{site}opportunities/")
    wont = page.locator("h2", has_text="Won't have (this time)")
    assert wont.count() == 1
    main_link(page, "Hardware").first.click()
    page.wait_for_url(f"{site}opportunities/hardware/")
    rows = page.locator(".journey-backlog tbody tr")
    assert rows.count() > 0
    teams = rows.locator("td:nth-child(4)").all_inner_texts()
    assert set(teams) == {"Hardware"}
    rows.first.locator("td").first.get_by_role("link").click()
    assert "#opp-" in page.url and "/journeys/" in page.url
    target = page.url.split("#")[1]
    assert page.locator(f"[id='{target}']").is_visible()
    watch.assert_clean()
    page.close()


def test_tag_filter_pages_need_no_javascript(browser: Any, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site)
    filters = page.get_by_role("navigation", name="Filter journeys")
    filters.get_by_role("link", name="hardware").click()
    page.wait_for_url(f"{site}tags/hardware/")
    titles = page.locator(".journey-card__title").all_inner_texts()
    assert titles == ["Requesting a new laptop", "Requesting a new laptop (ideal)",
                      "Requesting a new laptop as a developer"]  # the ideal beside its current
    assert page.locator("svg.journey-sparkline").count() == 3  # drawn without any script
    context.close()


def test_dark_mode_toggle(browser: Any, site: str) -> None:
    page = new_page(browser)
    watch = PageWatch(page, site)
    page.goto(f"{site}journeys/new-laptop/")
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    light = page.locator("svg.journey-map").evaluate("e => getComputedStyle(e).backgroundColor")
    page.locator("label[for='__palette_1']").click()
    page.wait_for_function(
        "document.body.getAttribute('data-md-color-scheme') === 'slate'")
    dark = page.locator("svg.journey-map").evaluate("e => getComputedStyle(e).backgroundColor")
    assert light != dark
    page.screenshot(path=str(OUTPUT / "toggled-dark.png"))
    watch.assert_clean()
    page.close()


def test_search_finds_a_quote_and_lands_on_its_journey(browser: Any, site: str) -> None:
    page = new_page(browser)
    watch = PageWatch(page, site)
    page.goto(site)
    query = page.locator("input.md-search__input")
    query.click()
    # Material reads the query when its index is ready and on keyup, not on input: wait for the
    # index, then type so that a key goes up (fill alone raced the index and found nothing).
    page.wait_for_function("document.querySelector('.md-search-result__meta')"
                           "?.textContent.trim() !== 'Initializing search'", timeout=60_000)
    query.press_sequentially("twelve articles about docking stations")
    result = page.locator(".md-search-result__link").first
    result.wait_for(timeout=60_000)
    result.click()
    page.wait_for_url(f"{site}journeys/new-laptop/**")
    assert page.locator("h1").first.inner_text() == "Requesting a new laptop"
    watch.assert_clean()
    page.close()


PAGES = {"home": "", "journey": "journeys/new-laptop/", "persona": "personas/eva/",
         "backlog": "opportunities/", "team": "opportunities/hardware/",
         "tag": "tags/hardware/", "guide": "guide/", "roadmap": "roadmap/",
         "insights": "insights/", "group": "groups/new-laptop/",
         "compared": "journeys/new-laptop-ideal/", "measured": "journeys/password-reset/",
         "metrics-guide": "guide/metrics/"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_no_serious_accessibility_violation(browser: Any, site: str, kind: str,
                                            scheme: str) -> None:
    page = new_page(browser, scheme)
    watch = PageWatch(page, site)
    page.goto(site + PAGES[kind])
    charts = page.evaluate(TEXT_BOXES, CHARTS)
    assert text_problems(charts) == []
    assert serious_violations(page) == []
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"page-{kind}-{scheme}.png"), full_page=True)
    watch.assert_clean()
    page.close()


def test_instant_navigation_keeps_maps(browser: Any, tmp_path: Path) -> None:
    """Material's instant loading swaps pages by script; the inline map must come along."""
    (tmp_path / "mkdocs.yml").write_text(
        (ROOT / "mkdocs.yml").read_text().replace(
            "    - navigation.sections", "    - navigation.instant\n    - navigation.sections")
        .replace("docs_dir: content", f"docs_dir: {ROOT / 'content'}")
        .replace("custom_dir: theme_overrides", f"custom_dir: {ROOT / 'theme_overrides'}"))
    result = run(["mkdocs", "build", "--strict", "-f", str(tmp_path / "mkdocs.yml"), "-d",
                  str(tmp_path / "site")], ROOT)
    assert result.returncode == 0, result.stderr
    with serve(tmp_path / "site") as base:
        page = new_page(browser)
        watch = PageWatch(page, base)
        page.goto(base)
        main_link(page, "Reporting an outage").click()
        page.wait_for_url(f"{base}journeys/report-outage/")
        page.locator("svg.journey-map").wait_for()
        assert page.locator("svg.journey-map title").first.text_content() == \
            "Journey map: Reporting an outage"
        # The page came by script, not by load: its zoom buttons were set up all the same.
        whole = page.get_by_role("button", name="Whole map")
        whole.click()
        assert whole.get_attribute("aria-pressed") == "true"
        assert page.get_attribute(".journey-map-region", "data-zoom") == "fit"
        watch.assert_clean()
        page.close()


def test_walk_roadmap_insights_and_group(browser: Any, site: str) -> None:
    page = new_page(browser)
    watch = PageWatch(page, site)
    page.goto(site)
    main_link(page, "Roadmap").click()
    page.wait_for_url(f"{site}roadmap/")
    assert page.locator("svg.journey-roadmap").count() == 1
    assert page.locator("h2", has_text="Won't have (this time)").count() == 1
    assert page.locator("h2", has_text="Not planned yet").count() == 1
    page.locator("section.journey-milestone").first.get_by_role("link").first.click()
    assert "/journeys/" in page.url and "#opp-" in page.url
    page.go_back()
    page.goto(site)
    main_link(page, "Insights").click()
    page.wait_for_url(f"{site}insights/")
    assert page.locator("svg.journey-bars").count() == 2
    lowest = page.locator("h2", has_text="The ten lowest moments")
    assert lowest.count() == 1
    rows = page.locator(".journey-insights-table").nth(2).locator("tbody tr")
    assert rows.count() == 10
    rows.first.get_by_role("link").first.click()
    assert "#tp-" in page.url
    page.goto(f"{site}journeys/new-laptop/")
    main_link(page, "Compare the personas on this journey").click()
    page.wait_for_url(f"{site}groups/new-laptop/")
    assert page.locator("svg.journey-comparison").count() == 1
    assert page.locator("tbody tr").count() == 2
    watch.assert_clean()
    page.close()
