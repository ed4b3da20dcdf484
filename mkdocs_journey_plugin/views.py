"""What the page templates show, worked out of the catalog: rows, groups, orders, the
roadmap's milestones, the build's date."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from dataclasses import dataclass

from .bidi import without_controls
from .catalog import Catalog, JourneyEntry, Layout, OpportunityRef
from .figures import PRIORITIES
from .labels import Labels
from .model import Journey, Milestone, Opportunity, Roadmap, Touchpoint


def initials(name: str) -> str:
    """Up to two initials for an avatar: 'Eva Kovacs' -> 'EK'."""
    name = without_controls(name)
    words = [w for w in name.split() if w[:1].isalpha()]
    picked = words[:1] + words[1:][-1:]
    return "".join(w[0].upper() for w in picked) or name[:1]


@dataclass(frozen=True)
class JourneyRows:
    """Consecutive opportunities of one journey in a list of rows (see by_journey)."""

    journey: JourneyEntry
    refs: list[OpportunityRef]

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(r.number for r in self.refs)


def by_journey(refs: Iterable[OpportunityRef]) -> list[JourneyRows]:
    """Rows cut where the journey changes, in their order (Jinja's groupby would sort)."""
    groups: list[JourneyRows] = []
    for ref in refs:
        if groups and groups[-1].journey is ref.journey:
            groups[-1].refs.append(ref)
        else:
            groups.append(JourneyRows(ref.journey, [ref]))
    return groups


def by_priority(refs: Iterable[OpportunityRef]) -> dict[str, list[OpportunityRef]]:
    """Opportunities by MoSCoW priority, each list in the given order; one pass."""
    grouped: dict[str, list[OpportunityRef]] = {p: [] for p in PRIORITIES}
    for ref in refs:
        grouped[ref.opportunity.priority].append(ref)
    return grouped


def section_titles(layout: Layout, labels: Labels) -> dict[str, str]:
    """The menu's name for each folder of generated pages."""
    return {layout.journeys_dir: labels("journeys"), layout.personas_dir: labels("personas"),
            layout.backlog_dir: labels("backlog"), layout.roadmap_dir: labels("roadmap"),
            layout.insights_dir: labels("insights")}


def build_date() -> datetime.date:
    """Today, or the day of SOURCE_DATE_EPOCH, so that a build can be reproduced exactly."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc).date()
    return datetime.date.today()


@dataclass(frozen=True)
class MilestoneView:
    milestone: Milestone
    refs: list[OpportunityRef]  # its opportunities, won't-haves left out
    overdue: bool

    @property
    def done(self) -> int:
        return sum(1 for r in self.refs if r.opportunity.status == "done")


@dataclass(frozen=True)
class RoadmapView:
    """The roadmap with its opportunities: per milestone, won't have, and not yet planned."""

    roadmap: Roadmap
    milestones: list[MilestoneView]
    wont: list[OpportunityRef]
    unplanned: list[OpportunityRef]


def roadmap_view(catalog: Catalog, today: datetime.date) -> RoadmapView | None:
    """Milestones in date order; a past milestone with open opportunities is overdue."""
    if catalog.roadmap is None:
        return None
    refs = catalog.opportunities()
    planned = [r for r in refs if r.opportunity.priority != "wont"]
    # Grouped once: picking each milestone's out of all of them was milestones x opportunities.
    by_milestone: dict[str, list[OpportunityRef]] = {}
    for ref in planned:
        if ref.opportunity.milestone is not None:
            by_milestone.setdefault(ref.opportunity.milestone, []).append(ref)
    views = []
    for milestone in sorted(catalog.roadmap.roadmap.milestones, key=lambda m: (m.date, m.id)):
        mine = list(by_milestone.get(milestone.id, ()))
        open_ones = [r for r in mine if r.opportunity.status != "done"]
        views.append(MilestoneView(milestone, mine, milestone.date < today and bool(open_ones)))
    return RoadmapView(catalog.roadmap.roadmap, views,
                       [r for r in refs if r.opportunity.priority == "wont"],
                       [r for r in planned if r.opportunity.milestone is None])


def sorted_journeys(entries: Iterable[JourneyEntry]) -> list[JourneyEntry]:
    """By title; a journey that compares to another comes right after it (ideal after current)."""
    by_id = {e.id: e for e in entries}

    def key(entry: JourneyEntry) -> tuple[str, int, str]:
        other = by_id.get(entry.journey.compare_to or "")
        anchor = other.journey.title if other else entry.journey.title
        return anchor.casefold(), 1 if other else 0, entry.id

    return sorted(by_id.values(), key=key)


def opportunity_numbers(journey: Journey) -> dict[str, int]:
    """Each opportunity's number, in file order: the same number marks it on the map."""
    return {o.id or "": n for n, o in enumerate(journey.opportunities, start=1)}


@dataclass(frozen=True)
class TouchpointRow:
    number: int
    stage: str
    first_of_stage: bool
    stage_size: int
    touchpoint: Touchpoint
    opportunities: list[Opportunity]


def touchpoint_rows(journey: Journey) -> list[TouchpointRow]:
    """The touchpoint table's rows: numbered in order, with the opportunities touching each."""
    rows: list[TouchpointRow] = []
    # Each touchpoint's opportunities gathered once: not touchpoints x opportunities.
    by_touchpoint: dict[str | None, list[Opportunity]] = {}
    for opportunity in journey.opportunities:
        for touchpoint_id in dict.fromkeys(opportunity.touchpoints):
            by_touchpoint.setdefault(touchpoint_id, []).append(opportunity)
    for stage in journey.stages:
        for position, touchpoint in enumerate(stage.touchpoints):
            touching = list(by_touchpoint.get(touchpoint.id, ()))
            rows.append(TouchpointRow(len(rows) + 1, stage.name, position == 0,
                                      len(stage.touchpoints), touchpoint, touching))
    return rows


def group_by_priority(opportunities: list[Opportunity]) -> list[tuple[str, list[Opportunity]]]:
    """MoSCoW groups in priority order, leaving out empty ones."""
    groups = [(p, [o for o in opportunities if o.priority == p]) for p in PRIORITIES]
    return [(p, items) for p, items in groups if items]
