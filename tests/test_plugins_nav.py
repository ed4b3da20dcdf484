"""Plugins that make the menu or add files, beside ours: section-index, awesome-nav,
literate-nav, gen-files and monorepo, each in a real site built with `--strict`."""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path

import pytest

from mkdocs_journey_plugin.labels import Labels

from .plugin_sites import build_project, check_journeys_published, make_project, svg_maps
from .test_history import git


@pytest.fixture(autouse=True)
def _quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    # Plugins that import properdocs print a banner starting "WARNING" on every build; it is
    # no log message (the build passes --strict), but it would read as one.
    monkeypatch.setenv("DISABLE_MKDOCS_2_WARNING", "true")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


def menu(page_html: str) -> list[tuple[str, str]]:
    """The links of the primary navigation, in order: (text, href)."""
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', page_html, re.S)
    assert nav, "the page has a menu"
    links = []
    for tag, text in re.findall(r'(<a\b[^>]*class="md-nav__link[^"]*"[^>]*>)(.*?)</a>',
                                nav.group(0), re.S):
        href = re.search(r'href="([^"]*)"', tag)
        words = " ".join(re.sub(r"<[^>]+>", " ", text).split())
        if href and words:
            links.append((html_module.unescape(words), href.group(1)))
    return links


def orders(other: str) -> list[str]:
    return [f"- {other}\n- journeys\n", f"- journeys\n- {other}\n"]


@pytest.mark.parametrize("plugins", orders("section-index"), ids=["before", "after"])
def test_section_index_keeps_every_section_and_gives_each_its_page(
        tmp_path: Path, plugins: str) -> None:
    built = build_project(make_project(tmp_path, plugins))
    check_journeys_published(built)
    links = menu(built.html(""))
    for title, href in [("Insights", "insights/"), ("Opportunity backlog", "opportunities/"),
                        ("Roadmap", "roadmap/"), ("Personas", "personas/"),
                        ("Journeys", "journeys/")]:
        assert (title, href) in links, links
    assert not any("tags/" in href for _, href in links)  # still out of the menu
    # Clicking the Personas section opens the persona index, not the first persona.
    personas = built.html("personas/")
    assert "Ines Duarte" in personas and 'href="../journeys/badge/"' in personas
    assert 'href="../journeys/badge-ideal/"' in personas


def test_section_pages_are_named_in_the_sites_language(tmp_path: Path) -> None:
    plugins = "- section-index\n- journeys:\n    language: de\n"
    built = build_project(make_project(tmp_path, plugins))
    assert built.returncode == 0, built.output
    labels = Labels("de")
    links = menu(built.html(""))
    for key, href in [("insights", "insights/"), ("personas", "personas/"),
                      ("roadmap", "roadmap/")]:
        assert (labels(key), href) in links, links


def test_awesome_nav_places_generated_pages_and_keeps_its_titles(tmp_path: Path) -> None:
    built = build_project(make_project(tmp_path, "- awesome-nav\n- journeys\n", files={
        "content/.nav.yml": """\
            nav:
              - Start: index.md
              - journeys
              - Who we serve: personas
              - "*"
            """,
        "content/about/team.md": "# About the team\n"}))
    check_journeys_published(built)
    links = menu(built.html(""))
    texts = [text for text, _ in links]
    assert texts[:2] == ["Start", "Journeys"], links
    home = built.html("")  # section titles are labels, not links
    assert home.index("Who we serve") < home.index("About the team") < home.index("Insights")
    for title, href in [("Getting a building badge", "journeys/badge/"), ("Personas", "personas/"),
                        ("Insights", "insights/"), ("Facilities roadmap 2027", "roadmap/")]:
        assert (title, href) in links, links
    assert not any("tags/" in href for _, href in links)


def test_literate_nav_lists_generated_pages_of_a_folder_link(tmp_path: Path) -> None:
    built = build_project(make_project(tmp_path, "- literate-nav\n- journeys\n", files={
        "content/SUMMARY.md": """\
            * [Start](index.md)
            * [Our journeys](journeys/)
            * [People](personas/)
            * [Backlog](opportunities/index.md)
            * [Roadmap](roadmap/index.md)
            * [Insights](insights/index.md)
            """}))
    check_journeys_published(built)
    links = menu(built.html(""))
    home = built.html("")  # section titles are labels, not links
    assert home.index("Our journeys") < home.index("People") < home.index("Backlog")
    for title, href in [("Getting a building badge", "journeys/badge/"),
                        ("Getting a building badge (ideal)", "journeys/badge-ideal/"),
                        ("Ines Duarte", "personas/ines/"), ("Backlog", "opportunities/")]:
        assert (title, href) in links, links


GENERATE = '''\
import mkdocs_gen_files

with mkdocs_gen_files.open("journeys/generated.md", "w") as f:
    f.write("""---
title: A generated journey
persona: robot
stages:
  - name: Only
    touchpoints:
      - {action: Runs the script, channel: web, emotion: 1%s}
---
Written by a script.
""")
with mkdocs_gen_files.open("personas/robot.yml", "w") as f:
    f.write("name: Robo Tester\\nrole: A persona written by a script\\n")
'''


@pytest.mark.parametrize("plugins", orders("gen-files:\n    scripts: [gen.py]"),
                         ids=["before", "after"])
def test_a_journey_written_by_gen_files_is_a_journey(tmp_path: Path, plugins: str) -> None:
    built = build_project(make_project(tmp_path, plugins, files={"gen.py": GENERATE % ""}))
    check_journeys_published(built)
    page = built.html("journeys/generated/")
    assert len(svg_maps(page)) == 1 and "Written by a script." in page
    assert "Robo Tester" in built.html("personas/robot/")
    assert (built.site / "journeys" / "generated.svg").is_file()
    assert "A generated journey" in built.html("journeys/")
    assert "/edit/" not in page  # no file of the repository to edit
    assert "/edit/main/content/journeys/badge.md" in built.html("journeys/badge/")
    assert "no history for 3 of 3 journeys" in built.output  # outside git


def test_a_problem_in_a_generated_journey_names_the_plugin(tmp_path: Path) -> None:
    built = build_project(make_project(tmp_path, "- gen-files:\n    scripts: [gen.py]\n"
                                       "- journeys\n", files={"gen.py": GENERATE % ", mood: 3"}))
    assert built.returncode == 1
    assert ("journeys/generated.md (written by the mkdocs-gen-files plugin):7:61: "
            "unknown key 'mood'") in built.output, built.output


MONOREPO = """\
nav:
  - Journeys: journeys/index.md
  - Handbook: '!include handbook/mkdocs.yml'
"""


def test_monorepo_keeps_the_history_of_journeys(tmp_path: Path) -> None:
    """mkdocs-monorepo builds from a copy in a temporary folder: the history comes from the
    files it copied, in the project's repository."""
    project = make_project(tmp_path / "repo", "- monorepo\n- journeys\n", extra=MONOREPO, files={
        "handbook/mkdocs.yml": "site_name: handbook\nnav:\n  - Home: index.md\n",
        "handbook/docs/index.md": "# The handbook\n"})
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Journeys", date="2026-05-10")
    built = build_project(project)
    check_journeys_published(built)
    assert "The handbook" in built.html("handbook/")
    for journey in ("badge", "badge-ideal"):  # a .md and a .yml file
        page = built.html(f"journeys/{journey}/")
        assert "Last changed on May 10&#44; 2026&#46;" in page, journey
    assert "no history" not in built.output
