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
import textwrap
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
            assert '<div class="journey-touchpoints journey-stack">' in text, journey


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


def i18n(structure: str) -> str:
    return textwrap.dedent(f"""\
        - i18n:
            docs_structure: {structure}
            languages:
              - locale: en
                default: true
                name: English
              - locale: de
                name: Deutsch
        """)


SUFFIX_PAGES = {"content/about.md": "# About\n", "content/about.de.md": "# Über uns\n"}
# The folder structure keeps each language's pages in a folder; our content stays outside.
FOLDER_PAGES = {"content/en/index.md": "# Home\n\n[Journeys](../journeys/index.md)\n",
                "content/de/index.md": "# Start\n\n[Journeys](../journeys/index.md)\n",
                "content/en/about.md": "# About\n", "content/de/about.md": "# Über uns\n"}


def check_each_language(built: object) -> None:
    from tests.plugin_sites import Built

    assert isinstance(built, Built)
    check_journeys_published(built)
    check_journeys_published(built, "de/")
    english, german = built.html("journeys/badge/"), built.html("de/journeys/badge/")
    assert '<html lang="en"' in english and '<html lang="de"' in german
    # The plugin's own words follow the language of each build; the map is drawn in it too.
    assert ">Journey map</h2>" in english and ">Customer-Journey-Map</h2>" in german
    assert "<title>Sichtbarkeitslinie</title>" in built.html("de/journeys/badge.svg")
    assert "<title>Sichtbarkeitslinie</title>" not in built.html("journeys/badge.svg")
    # So is each journey's presentation, in the language's folder.
    assert '<html lang="de" dir="ltr">' in built.html("de/journeys/badge/present/")
    assert '<html lang="en" dir="ltr">' in built.html("journeys/badge/present/")
    assert "Über uns" in built.html("de/about/")


@pytest.mark.parametrize("ours_first", [True, False], ids=["journeys-then-i18n", "i18n-first"])
def test_static_i18n_suffix_structure_publishes_our_pages_per_language(
        tmp_path: Path, ours_first: bool) -> None:
    plugins = ["- journeys\n", i18n("suffix")]
    project = make_project(tmp_path / "site", "- search\n" + "".join(
        plugins if ours_first else reversed(plugins)), files=SUFFIX_PAGES)
    built = build_project(project)
    check_each_language(built)
    # Generated pages are pages of each language: the German menu leads to German pages.
    assert 'href="../../insights/"' in built.html("de/journeys/badge/")
    assert built.html("de/").count('class="journey-card ') == 2


def test_static_i18n_folder_structure_publishes_our_pages_per_language(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site", "- search\n- journeys\n" + i18n("folder"),
                           files=FOLDER_PAGES)
    built = build_project(project)
    check_each_language(built)
    assert "Start" in built.html("de/") and "Home" in built.html("")


def test_a_translated_journey_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site", "- search\n- journeys\n" + i18n("suffix"),
                           files=SUFFIX_PAGES)
    journeys = project / "content" / "journeys"
    (journeys / "badge.de.md").write_text(
        (journeys / "badge.md").read_text(encoding="utf-8"), encoding="utf-8")
    built = build_project(project)
    assert built.returncode == 1
    assert ("badge.de.md:1:1: this reads as a translation (de) of 'badge.md', which is not "
            "supported") in built.output
    assert "nothing was built" in built.output


def test_a_journey_page_in_a_language_folder_stops_the_build(tmp_path: Path) -> None:
    # In the folder structure, de/journeys/badge.md would be the German badge page: it is
    # named as in the way of the generated one, never silently replaced or replacing.
    project = make_project(tmp_path / "site", "- search\n- journeys\n" + i18n("folder"),
                           files={**FOLDER_PAGES, "content/de/journeys/badge.md": "# Badge\n"})
    built = build_project(project)
    assert built.returncode == 1
    assert "de/journeys/badge.md" in built.output
    assert "in the way of generated pages" in built.output


def test_folders_of_processes_that_are_gone_are_swept(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs_journey_plugin.sources import PageSources

    gone_pid = subprocess.Popen(["true"])  # a pid that no longer runs, once waited for
    gone_pid.wait()
    gone = tmp_path / f"journeys-pages-{gone_pid.pid}-abc"
    alive = tmp_path / f"journeys-pages-{os.getpid()}-def"
    other = tmp_path / "journeys-pages-notes"
    for folder in (gone, alive, other):
        (folder / "tags").mkdir(parents=True)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    sources = PageSources()
    written = sources.write({"index.md": "# Journeys\n"})
    assert Path(written["index.md"]).is_relative_to(tmp_path)
    assert not gone.exists() and alive.exists() and other.exists()
    sources.remove()
