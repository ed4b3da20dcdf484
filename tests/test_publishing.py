"""No generated page or file takes the address of a file the author (or a plugin) wrote."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mkdocs_journey_plugin.catalog import Layout
from mkdocs_journey_plugin.publishing import moved_by, replaced_files

from .conftest import JOURNEY, make_site, run, write

ROADMAP = """\
milestones:
  - id: 2027-q1
    title: Status updates
    date: 2027-03-31
"""

# The content fixture's journey with a tag, a team's opportunity, a group and a milestone, so
# that every kind of generated page exists.
RICH = JOURNEY.replace("teams: [Service desk, Hardware]",
                       "teams: [Service desk, Hardware]\ntags: [hardware]\ngroup: laptops") \
    .replace("    priority: must", "    priority: must\n    team: Hardware\n"
             "    milestone: 2027-q1")

# Author files, and the generated page (or file) each would lose its address to.
IN_THE_WAY = {
    "opportunities.md": "opportunities/index.md",
    "opportunities/index.md": "opportunities/index.md",
    "opportunities/hardware.md": "opportunities/hardware.md",
    "roadmap.md": "roadmap/index.md",
    "insights.md": "insights/index.md",
    "insights/README.md": "insights/index.md",
    "tags/hardware.md": "tags/hardware.md",
    "groups/laptops.md": "groups/laptops.md",
    "journeys/new-laptop.svg": "journeys/new-laptop.svg",
    "journeys/new-laptop/present/index.html": "journeys/new-laptop/present/index.html",
    "assets/journeys/journeys.css": "assets/journeys/journeys.css",
}
WITHOUT_DIRECTORY_URLS = {
    "opportunities/index.md": "opportunities/index.md",
    "roadmap/index.md": "roadmap/index.md",
    "tags/hardware.md": "tags/hardware.md",
    "personas/eva.md": None,  # the persona's own source: it is replaced on purpose
    "journeys/new-laptop.svg": "journeys/new-laptop.svg",
    "journeys/new-laptop/present/index.html": "journeys/new-laptop/present/index.html",
}


def rich_site(content: Path, extra: str = "") -> Path:
    write(content / "journeys" / "new-laptop.md", RICH)
    write(content / "journeys" / "other.md",
          RICH.replace("Requesting a new laptop", "Returning a laptop"))
    write(content / "roadmap.yml", ROADMAP)
    return make_site(content.parent, extra=extra)


def build(site: Path) -> tuple[int, str]:
    result = run(["mkdocs", "build", "--strict"], site)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result.returncode, result.stderr


def test_the_rich_site_builds_every_kind_of_page(content: Path) -> None:
    site = rich_site(content)
    assert build(site)[0] == 0
    for page in ("opportunities/index.html", "opportunities/hardware/index.html",
                 "roadmap/index.html", "insights/index.html", "tags/hardware/index.html",
                 "groups/laptops/index.html", "journeys/new-laptop.svg",
                 "journeys/new-laptop/present/index.html", "assets/journeys/journeys.css"):
        assert (site / "site" / page).is_file(), page


@pytest.mark.parametrize(("directory_urls", "author_file"),
                         [(True, f) for f in IN_THE_WAY]
                         + [(False, f) for f in WITHOUT_DIRECTORY_URLS])
def test_a_file_in_the_way_of_a_generated_page_stops_the_build(
        content: Path, directory_urls: bool, author_file: str) -> None:
    site = rich_site(content, "" if directory_urls else "use_directory_urls: false\n")
    generated = (IN_THE_WAY if directory_urls else WITHOUT_DIRECTORY_URLS)[author_file]
    if generated is None:
        assert build(site)[0] == 0
        return
    write(content / author_file, "# An author's own page\n")
    code, errors = build(site)
    assert code == 1
    # The author's file and the generated one are both named, with what to do about it.
    assert re.search(rf"^ERROR\s+-\s+content/{re.escape(author_file)}:1:1: the journeys "
                     rf"plugin publishes its (generated page|own) {re.escape(generated)} at "
                     r"\S+, where this file would be: rename this file", errors, re.M), errors
    assert not (site / "site" / "index.html").exists(), "nothing is written"


def test_a_file_another_plugin_adds_in_the_way_is_named_with_the_plugin(content: Path) -> None:
    write(content.parent / "hooks" / "add_page.py", '''
from mkdocs.structure.files import File

def on_files(files, config):
    files.append(File.generated(config, "insights.md", content="# Our insights"))
    return files
''')
    site = make_site(content.parent, extra="hooks:\n  - hooks/add_page.py\n")
    code, errors = build(site)
    assert code == 1
    assert "insights.md (written by the " in errors
    assert "its generated page insights/index.md at insights/index.html" in errors


def test_two_kinds_of_page_in_one_folder_is_a_configuration_error(content: Path) -> None:
    site = make_site(content.parent)
    settings = site / "mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  - journeys\n", "  - journeys:\n      tags_dir: journeys\n"), encoding="utf-8")
    code, errors = build(site)
    assert code == 1
    assert "'journeys_dir' and 'tags_dir' are both 'journeys'" in errors


def test_replaced_files_names_the_option_that_moves_the_page() -> None:
    layout = Layout(backlog_dir="work/backlog", journeys_dir="work")
    assert moved_by(layout, "work/backlog/index.md") == "backlog_dir"
    assert moved_by(layout, "work/x.md") == "journeys_dir"
    assert moved_by(layout, "assets/journeys/journeys.css") is None
    problems = replaced_files({"work/backlog/index.html": "work/backlog/index.md",
                               "a.html": "a.md"},
                              {"work/backlog/index.html": "content/work/backlog.md",
                               "b.html": "content/b.md"}, layout)
    assert [str(p) for p in problems] == [
        "content/work/backlog.md:1:1: the journeys plugin publishes its generated page "
        "work/backlog/index.md at work/backlog/index.html, where this file would be: rename "
        "this file, or set the journeys plugin's 'backlog_dir' to another folder"]


def test_a_map_file_that_cannot_be_written_is_said_without_a_traceback(content: Path) -> None:
    write(content.parent / "hooks" / "block_map.py", '''
from pathlib import Path

from mkdocs.plugins import event_priority

@event_priority(100)  # before the journeys plugin writes its map files
def on_post_build(config):
    (Path(config.site_dir) / "journeys" / "new-laptop.svg").mkdir(parents=True)
''')
    site = make_site(content.parent, extra="hooks:\n  - hooks/block_map.py\n")
    code, errors = build(site)
    assert code == 1
    assert "journeys: the map files could not be written: [Errno 21] Is a directory" in errors
