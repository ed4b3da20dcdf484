"""Derived figures, each checked on a journey whose answer was worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mkdocs_journey_plugin.catalog import load_catalog
from mkdocs_journey_plugin.figures import (
    average_emotion,
    channel_switches,
    end_emotion,
    gaps,
    handoffs,
    highest_moment,
    journey_figures,
    lowest_moment,
    open_opportunities,
)
from mkdocs_journey_plugin.model import Journey

from .conftest import ROOT, run


def touchpoint(tid: str, channel: str, team: str | None = None, emotion: Any = 0,
               **extra: Any) -> dict[str, Any]:
    data = {"id": tid, "action": tid, "channel": channel, "team": team, **extra}
    if not extra.get("backstage"):
        data["emotion"] = emotion
    return data


def journey(*touchpoints: dict[str, Any], opportunities: Any = ()) -> Journey:
    return Journey.model_validate({
        "title": "T", "persona": "p", "teams": ["Desk", "Network", "Hardware"],
        "stages": [{"name": "One", "touchpoints": list(touchpoints[:2])},
                   {"name": "Two", "touchpoints": list(touchpoints[2:])}],
        "opportunities": list(opportunities)})


# The German text's incident: knowledge base, portal, e-mail, phone, e-mail, chat, with
# backstage steps (whose channels do not count) between them.
INCIDENT = journey(
    touchpoint("kb", "knowledge base", "Desk", -1),
    touchpoint("portal", "portal", "Desk", 0),
    touchpoint("triage", "ticketing", "Desk", backstage=True),
    touchpoint("details", "e-mail", "Network", [-1, -2]),
    touchpoint("call", "phone", "Network", -1.5, gap="Nobody said who would call"),
    touchpoint("fix-mail", "E-Mail", None, -2, gap="No word on what to do if it fails"),
    touchpoint("escalate", "ticketing", "Network", backstage=True),
    touchpoint("chat", "chat", "Hardware", 1.5),
    opportunities=[
        {"title": "a", "touchpoints": ["kb"], "priority": "must"},
        {"title": "b", "touchpoints": ["kb"], "priority": "must", "status": "done"},
        {"title": "c", "touchpoints": ["kb"], "priority": "wont"},
        {"title": "d", "touchpoints": ["kb"], "priority": "could", "status": "doing"},
    ])


def test_channel_switches_count_frontstage_changes_ignoring_case() -> None:
    # kb->portal, portal->e-mail, e-mail->phone, phone->E-Mail, E-Mail->chat
    assert channel_switches(INCIDENT) == 5


def test_handoffs_count_team_changes_where_both_teams_are_set() -> None:
    # Desk,Desk,Desk,Network(1),Network,None,Network,Hardware(2): the None breaks one pair
    assert handoffs(INCIDENT) == 2


def test_lowest_highest_end_average() -> None:
    assert lowest_moment(INCIDENT).id == "fix-mail"
    assert lowest_moment(INCIDENT).emotion == -2
    assert highest_moment(INCIDENT).id == "chat"
    assert end_emotion(INCIDENT) == 1.5
    # -1, 0, -1.5 (mean of -1 and -2), -1.5, -2, 1.5 over 6 frontstage touchpoints
    assert average_emotion(INCIDENT) == pytest.approx(-4.5 / 6)


def test_ties_go_to_the_first() -> None:
    tied = journey(touchpoint("a", "x", emotion=-1), touchpoint("b", "x", emotion=-1),
                   touchpoint("c", "x", emotion=2), touchpoint("d", "x", emotion=2))
    assert lowest_moment(tied).id == "a"
    assert highest_moment(tied).id == "c"


def test_gaps_and_open_opportunities() -> None:
    assert gaps(INCIDENT) == 2
    assert open_opportunities(INCIDENT) == 2  # a (must, idea) and d (could, doing)


def test_figures_as_one_record() -> None:
    figures = journey_figures(INCIDENT)
    assert figures.touchpoints == 8
    assert figures.as_dict()["lowest"] == {"id": "fix-mail", "action": "fix-mail",
                                           "emotion": -2.0}


def test_example_incident_has_the_five_switches_of_the_german_text() -> None:
    catalog, problems = load_catalog(ROOT / "content")
    assert problems == []
    incident = catalog.journeys["incident-many-channels"].journey
    channels = [t.channel for t in incident.frontstage]
    assert channels == ["knowledge base", "portal", "e-mail", "phone", "e-mail", "chat"]
    assert channel_switches(incident) == 5


def test_figures_command_prints_json(tmp_path: Path) -> None:
    result = run(["mkdocs_journey_plugin.cli", "figures",
                  "content/journeys/incident-many-channels.md", "--json"], ROOT)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["channel_switches"] == 5
    assert set(figures) == {"touchpoints", "lowest", "highest", "end", "average",
                            "channel_switches", "handoffs", "gaps", "open_opportunities",
                            "elapsed", "waiting", "longest_wait", "moments_of_truth",
                            "targets_met", "targets_missed", "measures"}
