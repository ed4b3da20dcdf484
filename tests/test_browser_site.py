"""The intranet site as a stakeholder uses it: links only, dark mode, search, axe, screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from .browser import OUTPUT, PageWatch, launch, serve
from .conftest import ROOT, run


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright, chromium = launch()
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("example") / "site"
    result = run(["mkdocs", "build", "--strict", "--site-dir", str(out)], ROOT)
    assert result.returncode == 0, result.stderr
    with serve(out) as base:
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
    assert page.locator(".journey-card").count() == 6
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
    assert titles == ["Requesting a new laptop", "Requesting a new laptop (ideal)"]
    assert page.locator("svg.journey-sparkline").count() == 2  # drawn without any script
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
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").fill("twelve articles about docking stations")
    result = page.locator(".md-search-result__link").first
    result.wait_for()
    result.click()
    page.wait_for_url(f"{site}journeys/new-laptop/**")
    assert page.locator("h1").first.inner_text() == "Requesting a new laptop"
    watch.assert_clean()
    page.close()


PAGES = {"home": "", "journey": "journeys/new-laptop/", "persona": "personas/eva/",
         "backlog": "opportunities/", "team": "opportunities/hardware/",
         "tag": "tags/hardware/", "guide": "guide/"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_no_serious_accessibility_violation(browser: Any, site: str, kind: str,
                                            scheme: str) -> None:
    page = new_page(browser, scheme)
    watch = PageWatch(page, site)
    page.goto(site + PAGES[kind])
    results = Axe().run(page)
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
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
        watch.assert_clean()
        page.close()
