"""Figures across journeys, the roadmap view and stage differences, on content worked out by hand.

Three journeys (ids a, b, c):
  a: S1 [portal/Desk -1, phone/Desk +1], S2 [portal/HW -2, gap g1]; o1 Desk must idea m1,
     o2 HW wont done m1
  b: S1 [Portal/Desk mean(0, 2) = +1, backstage ticket/HW], S3 [chat/no team -0.5, gap g2];
     o3 desk should done m2
  c: S1 [chat/HW +2]
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from mkdocs_journey_plugin.catalog import Catalog, load_catalog
from mkdocs_journey_plugin.figures import (
    all_gaps,
    channel_switches,
    emotion_by,
    handoffs,
    lowest_moments,
    opportunities_by_team,
    organisation_figures,
    ranked,
    stage_differences,
)
from mkdocs_journey_plugin.model import Journey
from mkdocs_journey_plugin.views import roadmap_view

from .conftest import make_site, run, write

FILES = {
    "personas/p.yml": "name: P\nrole: R\n",
    "roadmap.yml": """\
milestones:
  - {id: m1, title: First, date: 2027-01-01}
  - {id: m2, title: Second, date: 2027-06-01}
  - {id: m3, title: Empty, date: 2027-09-01}
""",
    "journeys/a.yml": """\
title: A
persona: p
teams: [Desk, HW]
stages:
  - name: S1
    touchpoints:
      - {id: t1, action: a1, channel: portal, team: Desk, emotion: -1}
      - {id: t2, action: a2, channel: phone, team: Desk, emotion: 1}
  - name: S2
    touchpoints:
      - {id: t3, action: a3, channel: portal, team: HW, emotion: -2, gap: g1}
opportunities:
  - {id: o1, title: O1, touchpoints: [t1], team: Desk, priority: must, milestone: m1}
  - {id: o2, title: O2, touchpoints: [t3], team: HW, priority: wont, status: done,
     milestone: m1}
""",
    "journeys/b.yml": """\
title: B
persona: p
compare_to: a
teams: [Desk, HW]
stages:
  - name: S1
    touchpoints:
      - {id: u1, action: b1, channel: Portal, team: Desk, emotion: [0, 2]}
      - {id: u2, action: b2, channel: ticket, team: HW, backstage: true}
  - name: S3
    touchpoints:
      - {id: u3, action: b3, channel: chat, emotion: -0.5, gap: g2}
opportunities:
  - {id: o3, title: O3, touchpoints: [u1], team: desk, priority: should, status: done,
     milestone: m2}
""",
    "journeys/c.yml": """\
title: C
persona: p
teams: [HW]
stages:
  - name: S1
    touchpoints:
      - {id: v1, action: c1, channel: chat, team: HW, emotion: 2}
""",
}


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    for name, text in FILES.items():
        write(tmp_path / "content" / name, text)
    catalog, problems = load_catalog(tmp_path / "content")
    assert problems == []
    return catalog


def journeys(catalog: Catalog) -> dict[str, Journey]:
    return {i: e.journey for i, e in catalog.journeys.items()}


def test_emotion_per_channel(catalog: Catalog) -> None:
    groups = emotion_by(journeys(catalog), "channel")
    assert [(g.name, g.count, g.lowest) for g in groups] == [
        ("portal", 3, -2), ("chat", 2, -0.5), ("phone", 1, 1)]
    assert [g.average for g in groups] == pytest.approx([-2 / 3, 0.75, 1])


def test_emotion_per_team_leaves_out_touchpoints_without_team(catalog: Catalog) -> None:
    groups = emotion_by(journeys(catalog), "team")
    assert [(g.name, g.count, g.lowest) for g in groups] == [("HW", 2, -2), ("Desk", 3, -1)]
    assert [g.average for g in groups] == pytest.approx([0, 1 / 3])


def test_lowest_moments_ties_in_journey_and_file_order(catalog: Catalog) -> None:
    moments = lowest_moments(journeys(catalog))
    assert [(m.journey_id, m.moment.id) for m in moments] == [
        ("a", "t3"), ("a", "t1"), ("b", "u3"), ("a", "t2"), ("b", "u1"), ("c", "v1")]
    assert len(lowest_moments(journeys(catalog), 2)) == 2


def test_rankings_gaps_and_team_loads(catalog: Catalog) -> None:
    data = journeys(catalog)
    assert ranked(data, channel_switches) == [("a", 2), ("b", 1), ("c", 0)]
    assert ranked(data, handoffs) == [("a", 1), ("b", 1), ("c", 0)]
    assert [(g.journey_id, g.touchpoint_id, g.gap) for g in all_gaps(data)] == [
        ("a", "t3", "g1"), ("b", "u3", "g2")]
    loads = opportunities_by_team(data)
    assert [(load.team, load.total) for load in loads] == [("Desk", 2), ("HW", 1)]
    assert loads[0].by_priority == {"must": 1, "should": 1, "could": 0, "wont": 0}
    assert loads[0].by_status == {"idea": 1, "planned": 0, "doing": 0, "done": 1}


def test_stage_differences(catalog: Catalog) -> None:
    rows = stage_differences(catalog.journeys["a"].journey, catalog.journeys["b"].journey)
    assert [(r.stage, r.emotion, r.other_emotion, r.emotion_change, r.touchpoints,
             r.other_touchpoints, r.channel_switches, r.other_channel_switches)
            for r in rows] == [
        ("S1", 0, 1, -1, 2, 2, 1, 0),
        ("S2", -2, None, None, 1, 0, 1, 0),
        ("S3", None, -0.5, None, 0, 1, 0, 1),
    ]


def test_roadmap_view_progress_overdue_wont_and_unplanned(catalog: Catalog) -> None:
    view = roadmap_view(catalog, datetime.date(2027, 3, 1))
    assert view is not None
    assert [(m.milestone.id, [r.opportunity.id for r in m.refs], m.done, m.overdue)
            for m in view.milestones] == [
        ("m1", ["o1"], 0, True),  # past, o1 still open; o2 is a won't-have
        ("m2", ["o3"], 1, False),
        ("m3", [], 0, False),
    ]
    assert [r.opportunity.id for r in view.wont] == ["o2"]
    assert view.unplanned == []
    assert roadmap_view(Catalog(), datetime.date(2027, 3, 1)) is None


def test_organisation_figures_command(catalog: Catalog, tmp_path: Path) -> None:
    result = run(["mkdocs_journey_plugin.cli", "figures", "--all", "content"], tmp_path)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures == json.loads(json.dumps(organisation_figures(journeys(catalog))))
    assert figures["journeys"] == 3 and figures["touchpoints"] == 7
    assert figures["most_channel_switches"][0] == {"journey": "a", "channel_switches": 2}
    assert [g["name"] for g in figures["by_channel"]] == ["portal", "chat", "phone"]


def test_figures_all_of_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "content" / "journeys").mkdir(parents=True)
    result = run(["mkdocs_journey_plugin.cli", "figures", "--all", "content"], tmp_path)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["journeys"] == 0 and figures["average_of_journeys"] is None
    assert figures["lowest_moments"] == [] and figures["by_team"] == []


def table_rows(html: str) -> list[str]:
    """Every table row as its cells' text joined by |."""
    return ["|".join(re.sub(r"<[^>]+>", "", cell).strip()
                     for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S))
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)]


def test_insights_and_comparison_pages_show_the_same_figures(tmp_path: Path) -> None:
    for name, text in FILES.items():
        write(tmp_path / "content" / name, text)
    make_site(tmp_path)
    result = run(["mkdocs", "build", "--strict"], tmp_path)
    assert result.returncode == 0, result.stderr
    insights = (tmp_path / "site" / "insights" / "index.html").read_text(encoding="utf-8")
    rows = table_rows(insights)
    assert "portal|-0.67|-2|3" in rows and "chat|+0.75|-0.5|2" in rows
    assert "HW|0|-2|2" in rows and "Desk|+0.33|-1|3" in rows
    assert "Desk|1|1|0|0|1|0|0|1|2" in rows  # must should could wont idea planned doing done
    compared = (tmp_path / "site" / "journeys" / "b" / "index.html").read_text(encoding="utf-8")
    rows = table_rows(compared)
    # b against a, stage by stage: S1 +1 vs 0; S3 only in b; S2 only in a
    assert "S1|+1|0|+1|2 (0)|0 (-1)" in rows
    assert "S3|-0.5|—|—|1 (+1)|1 (+1)" in rows
    assert "S2|—|-2|—|0 (-1)|0 (-1)" in rows
