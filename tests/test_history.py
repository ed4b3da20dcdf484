"""History from git: real repositories in temporary folders, shallow clones, and no git at all."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mkdocs_journey_plugin.history import missing_note, read_file_histories, read_histories
from mkdocs_journey_plugin.model import EmotionScale
from mkdocs_journey_plugin.render.history import HistoryOptions, Point, draw_history
from mkdocs_journey_plugin.render.svg import hits

from .conftest import PERSONA, make_site, run, write

JOURNEY = """\
---
title: Reporting an outage
persona: eva
stages:
  - name: Report
    touchpoints:
      - {{id: call, action: Calls the desk, channel: phone, emotion: {first}}}
      - {{id: wait, action: Waits for news, channel: e-mail, emotion: {second}}}
---
{body}
"""

# (date, first emotion, second emotion, body); the 2nd changes words only, the 4th is broken
COMMITS = [("2026-01-10", -2, -1, "Notes."), ("2026-02-10", -2, -1, "Notes, typo fixed."),
           ("2026-03-10", -1, 0, "Notes."), ("2026-04-10", "[", 0, "Notes."),
           ("2026-05-10", 0, 1, "Notes.")]


def git(repo: Path, *args: str, date: str = "2026-01-01") -> str:
    stamp = f"{date}T12:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
           "GIT_AUTHOR_NAME": "Author", "GIT_AUTHOR_EMAIL": "author@example.org",
           "GIT_COMMITTER_NAME": "Author", "GIT_COMMITTER_EMAIL": "author@example.org"}
    return subprocess.run(["git", "-C", str(repo), *args], env=env, check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    site = make_site(tmp_path / "repo")
    git(site, "init", "-q", "-b", "main")
    write(site / "content" / "personas" / "eva.md", PERSONA)
    for date, first, second, body in COMMITS:
        write(site / "content" / "journeys" / "outage.md",
              JOURNEY.format(first=first, second=second, body=body))
        git(site, "add", "-A")
        git(site, "commit", "-q", "-m", f"Journey as of {date}", date=date)
    return site


def rows(html: str) -> list[list[str]]:
    table = re.search(r'journey-history-table journey-stack">(.*?)</table>', html, re.S)
    assert table, "the page has a history table"
    return [[re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", table.group(1))[1:]]


def test_revisions_that_changed_emotions(repo: Path) -> None:
    histories = read_histories(repo / "content", {"outage": "journeys/outage.md"},
                               EmotionScale())
    history = histories["outage"]
    assert history.last_changed == datetime.date(2026, 5, 10)
    assert not history.shallow
    assert [(r.date.isoformat(), r.average, r.lowest) for r in history.revisions] == [
        ("2026-01-10", -1.5, -2), ("2026-03-10", -0.5, -1), ("2026-05-10", 0.5, 0)]
    assert read_histories(repo / "content", {"outage": "journeys/outage.md"}, EmotionScale(),
                          limit=2)["outage"].revisions[0].date == datetime.date(2026, 3, 10)


def test_journey_page_shows_history_from_a_real_repository(repo: Path) -> None:
    result = run(["mkdocs", "build", "--strict"], repo)
    assert result.returncode == 0, result.stderr
    html = (repo / "site" / "journeys" / "outage" / "index.html").read_text(encoding="utf-8")
    assert "Last changed on May 10&#44; 2026&#46;" in html
    commits = git(repo, "log", "--format=%h", "--abbrev=8").split()
    assert [row[:1] + row[2:] for row in rows(html)] == [
        ["January 10, 2026", "-1.5", "-2"], ["March 10, 2026", "-0.5", "-1"],
        ["May 10, 2026", "+0.5", "0"]]
    assert [row[1] for row in rows(html)] == [commits[4], commits[2], commits[0]]
    svg = re.search(r'<svg[^>]*class="journey-history".*?</svg>', html, re.S)
    assert svg and svg.group(0).count('class="jh-marker"') == 6
    assert "history starts at" not in html


def test_shallow_clone_says_where_its_history_starts(repo: Path, tmp_path: Path) -> None:
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "3", f"file://{repo}", str(shallow)],
                   check=True, capture_output=True)
    result = run(["mkdocs", "build", "--strict"], shallow)
    assert result.returncode == 0, result.stderr
    html = (shallow / "site" / "journeys" / "outage" / "index.html").read_text(encoding="utf-8")
    assert [row[0] for row in rows(html)] == ["March 10, 2026", "May 10, 2026"]
    assert ("The history starts at March 10&#44; 2026&#58; this build&#39;s copy of the "
            "repository holds no older commits&#46;") in html


def test_outside_git_there_is_no_history_and_no_error(repo: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git", "site"))
    result = run(["mkdocs", "build", "--strict"], plain)
    assert result.returncode == 0, result.stderr
    html = (plain / "site" / "journeys" / "outage" / "index.html").read_text(encoding="utf-8")
    assert "Last changed" not in html and "journey-history" not in html
    assert read_histories(plain / "content", {"outage": "journeys/outage.md"},
                          EmotionScale()) == {}


def test_history_can_be_switched_off(repo: Path) -> None:
    (repo / "mkdocs.yml").write_text((repo / "mkdocs.yml").read_text().replace(
        "  - journeys\n", "  - journeys:\n      history: false\n"))
    result = run(["mkdocs", "build", "--strict"], repo)
    assert result.returncode == 0, result.stderr
    html = (repo / "site" / "journeys" / "outage" / "index.html").read_text(encoding="utf-8")
    assert "Last changed" not in html


@pytest.mark.parametrize("count", [1, 2, 7, 20])
@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_history_chart_text_fits(count: int, direction: str) -> None:
    points = [Point(datetime.date(2026, 1, 1) + datetime.timedelta(days=30 * i),
                    -2 + 4 * i / 20, -2 + 3 * i / 20) for i in range(count)]
    options = HistoryOptions(direction=direction)  # type: ignore[arg-type]
    drawn = draw_history("<b>T</b> & co", points, options)
    root = ET.fromstring(drawn.svg)
    assert root.get("role") == "img" and "&lt;b&gt;T&lt;/b&gt;" in drawn.svg
    boxes = [t.box() for t in drawn.texts]
    assert len(boxes) == 5 + count  # two legend lines, three ticks, a date per revision
    for left, top, right, bottom in boxes:
        assert left >= 0 and right <= drawn.width and top >= 0 and bottom <= drawn.height
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not hits(a, b), (a, b)


def test_each_file_is_read_in_its_own_repository(repo: Path, tmp_path: Path) -> None:
    """A journey whose file is elsewhere (a monorepo site builds from copies) has the history
    of its own repository; one in no repository has none, and the build says which."""
    elsewhere = tmp_path / "copy" / "outage.md"
    write(elsewhere, (repo / "content" / "journeys" / "outage.md").read_text())
    histories = read_file_histories({"outage": repo / "content" / "journeys" / "outage.md",
                                     "copy": elsewhere}, EmotionScale())
    assert list(histories) == ["outage"] and len(histories["outage"].revisions) == 3
    assert missing_note({"outage": "journeys/outage.md", "copy": "journeys/copy.md"},
                        histories) == ("journeys: no history for 1 of 2 journeys, whose files "
                                       "are in no git repository or were written by another "
                                       "plugin: journeys/copy.md")
    assert missing_note({"outage": "journeys/outage.md"}, histories) is None
