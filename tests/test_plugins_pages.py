"""Plugins that read our pages' sources or HTML, built for real beside ours (issue 14).

rss reads each page's source file (git dates) and its HTML or Markdown (item texts), print-site
collects every page's HTML into one, redirects points old addresses at our pages, static-i18n
rebuilds the site per language from the files it is given. None of them may get a placeholder
of ours or a page without a source file.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.plugin_sites import (
    JOURNEYS,
    build_project,
    check_journeys_published,
    make_project,
    placeholders_in,
    svg_maps,
)

COMMITTED = "2026-03-04T10:00:00+00:00"


@pytest.fixture(autouse=True)
def _without_notices(monkeypatch: pytest.MonkeyPatch) -> None:
    """mkdocs-redirects has MkDocs print a notice about MkDocs 2 that starts with "WARNING:";
    it is no warning of the build, and `--strict` ignores it too."""
    monkeypatch.setenv("DISABLE_MKDOCS_2_WARNING", "true")


def committed(project: Path) -> None:
    """The project as one commit of a fixed date, so that git dates can be checked."""
    environment = {**os.environ, "GIT_AUTHOR_DATE": COMMITTED, "GIT_COMMITTER_DATE": COMMITTED,
                   "GIT_AUTHOR_NAME": "Ines", "GIT_AUTHOR_EMAIL": "ines@example.org",
                   "GIT_COMMITTER_NAME": "Ines", "GIT_COMMITTER_EMAIL": "ines@example.org"}
    for command in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"],
                    ["git", "commit", "-q", "-m", "Content"]):
        subprocess.run(command, cwd=project, check=True, env=environment)


RSS = """\
- rss:
    abstract_chars_count: {chars}
    date_from_meta:
      default_timezone: UTC
"""


@pytest.mark.parametrize("ours_first", [True, False], ids=["journeys-then-rss", "rss-first"])
@pytest.mark.parametrize("chars", [-1, 160], ids=["whole-pages", "abstracts"])
def test_rss_feeds_hold_our_pages_with_dates_and_no_placeholder(
        tmp_path: Path, ours_first: bool, chars: int) -> None:
    rss = RSS.format(chars=chars)
    plugins = "- search\n" + ("- journeys\n" + rss if ours_first else rss + "- journeys\n")
    project = make_project(tmp_path / "site", plugins)
    committed(project)
    built = build_project(project)
    check_journeys_published(built)  # every file of the site, feeds included
    for feed in ("feed_rss_created.xml", "feed_rss_updated.xml"):
        assert "<item>" in built.html(feed), feed
    items = {item["url"]: item for item in json.loads(
        built.html("feed_json_created.json"))["items"]}
    # Every generated page is an item, the backlog and the index too (they had no source file).
    for page in ("journeys/badge/", "personas/ines/", "opportunities/", "journeys/", "roadmap/"):
        assert f"https://intranet.example.org/journeys/{page}" in items, page
    for journey in JOURNEYS:
        item = items[f"https://intranet.example.org/journeys/journeys/{journey}/"]
        # A journey page is its author's file: the feed dates it by that file's commit.
        assert item["date_published"].startswith("2026-03-04"), item["date_published"]
        text = item["content_html"]
        if chars == -1:  # the whole page, as published: the map and the touchpoint table
            assert len(svg_maps(text)) == 1, journey
            assert '<div class="journey-touchpoints">' in text, journey


def test_the_print_page_holds_every_journey_map(tmp_path: Path) -> None:
    # print-site warns unless it is the last plugin (its own rule), so there is one order.
    project = make_project(tmp_path / "site", "- search\n- journeys\n- print-site")
    built = build_project(project)
    check_journeys_published(built)
    printed = built.html("print_page/")
    maps = svg_maps(printed)
    for journey in JOURNEYS:
        assert sum(f'id="map-{journey}"' in svg for svg in maps) == 1, journey
    # The other charts (sparklines on the index, the roadmap) are there as drawings too.
    assert 'class="journey-sparkline' in printed
    assert placeholders_in(built.site) == []


def test_a_redirect_leads_to_a_journey_page(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site", """\
        - search
        - journeys
        - redirects:
            redirect_maps:
              old-badge.md: journeys/badge.md
              access/badge.md: journeys/badge.md
        """)
    built = build_project(project)
    check_journeys_published(built)
    assert 'url=../journeys/badge/"' in built.html("old-badge/")
    assert 'url=../../journeys/badge/"' in built.html("access/badge/")
    assert (built.site / "journeys/badge/index.html").is_file()


def test_page_sources_hold_the_latest_build_and_go_at_shutdown() -> None:
    from mkdocs_journey_plugin.sources import PageSources

    sources = PageSources()
    first = sources.write({"index.md": "# Journeys\n", "tags/access.md": "# Access\n"})
    assert Path(first["tags/access.md"]).read_text(encoding="utf-8") == "# Access\n"
    again = sources.write({"index.md": "# Journeys, again\n"})  # a rebuild of `mkdocs serve`
    assert again["index.md"] == first["index.md"]
    assert Path(again["index.md"]).read_text(encoding="utf-8") == "# Journeys, again\n"
    assert not Path(first["tags/access.md"]).exists()
    assert not Path(first["tags/access.md"]).parent.exists()
    sources.remove()
    assert not Path(first["index.md"]).parent.exists()
