"""The figures derived from one journey (the guide's "Figures": content/guide/index.md), as
plain functions."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from itertools import pairwise
from typing import Any, Literal

from .metrics import NO_MEASURES, Measures
from .model import Journey, Touchpoint


@dataclass(frozen=True)
class Moment:
    """A frontstage touchpoint singled out by a figure, with its (mean) emotion."""

    id: str
    action: str
    emotion: float


@dataclass(frozen=True)
class Wait:
    """A touchpoint singled out by how long the customer waits before it, in seconds."""

    id: str
    action: str
    seconds: int


@dataclass(frozen=True)
class MeasureFigure:
    """A measure as figures give it: where, which metric, the value against the target."""

    where: str  # journey, stage or touchpoint
    place: str  # the stage's name, the touchpoint's action, the journey's title
    touchpoint: str | None  # the touchpoint's id
    metric: str
    value: float
    target: float | None
    met: bool | None  # None: the metric has no target
    as_of: str | None  # the date of the value (YYYY-MM-DD); None: from the journey file
    dated_values: int


@dataclass(frozen=True)
class Figures:
    touchpoints: int
    lowest: Moment
    highest: Moment
    end: float
    average: float
    channel_switches: int
    handoffs: int
    gaps: int
    open_opportunities: int
    # Times in seconds; None when no touchpoint says (an unknown time is not zero).
    elapsed: int | None
    waiting: int | None
    longest_wait: Wait | None
    moments_of_truth: int
    # Measures against their targets (metrics.yml, data files); None when no measure has a
    # target (not measured is not zero met).
    targets_met: int | None = None
    targets_missed: int | None = None
    measures: tuple[MeasureFigure, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _score(touchpoint: Touchpoint) -> float:
    score = touchpoint.score
    assert score is not None, "validated journeys give every frontstage touchpoint an emotion"
    return score


def _moment(touchpoint: Touchpoint) -> Moment:
    assert touchpoint.id is not None
    return Moment(touchpoint.id, touchpoint.action, _score(touchpoint))


def lowest_moment(journey: Journey) -> Moment:
    """The frontstage touchpoint that feels worst; the first of equals."""
    return _moment(min(journey.frontstage, key=_score))


def highest_moment(journey: Journey) -> Moment:
    """The frontstage touchpoint that feels best; the first of equals."""
    return _moment(max(journey.frontstage, key=_score))


def end_emotion(journey: Journey) -> float:
    """How the journey ends for the customer: the last frontstage emotion."""
    return _score(journey.frontstage[-1])


def average_emotion(journey: Journey) -> float:
    scores = [_score(t) for t in journey.frontstage]
    return sum(scores) / len(scores)


def channel_switches(journey: Journey) -> int:
    """How often the customer must change channel between frontstage touchpoints."""
    channels = [t.channel.casefold() for t in journey.frontstage]
    return sum(1 for before, after in pairwise(channels) if before != after)


def handoffs(journey: Journey) -> int:
    """How often the work passes from one team to another, frontstage or backstage."""
    teams = [t.team.casefold() if t.team else None for t in journey.touchpoints]
    return sum(1 for before, after in pairwise(teams)
               if before is not None and after is not None and before != after)


def gaps(journey: Journey) -> int:
    """Touchpoints where communication the customer needed was missing."""
    return sum(1 for t in journey.touchpoints if t.gap is not None)


def open_opportunities(journey: Journey) -> int:
    """Opportunities still to do: not done, and not parked as won't-have."""
    return sum(1 for o in journey.opportunities if o.status != "done" and o.priority != "wont")


def elapsed_time(journey: Journey) -> int | None:
    """How long the journey takes from its first touchpoint to its last: every wait and every
    duration given, backstage ones too (the customer waits through them)."""
    times = [t for tp in journey.touchpoints for t in (tp.wait_seconds, tp.duration_seconds)
             if t is not None]
    return sum(times) if times else None


def waiting_time(journey: Journey) -> int | None:
    """How long the customer waits in all: the waits given."""
    waits = [t.wait_seconds for t in journey.touchpoints if t.wait_seconds is not None]
    return sum(waits) if waits else None


def longest_wait(journey: Journey) -> Wait | None:
    """The touchpoint the customer waits longest for; the first of equals."""
    waited = [t for t in journey.touchpoints if t.wait_seconds]
    if not waited:
        return None
    longest = max(waited, key=lambda t: t.wait_seconds or 0)
    assert longest.id is not None and longest.wait_seconds is not None
    return Wait(longest.id, longest.action, longest.wait_seconds)


def moments_of_truth(journey: Journey) -> list[Touchpoint]:
    return [t for t in journey.touchpoints if t.moment_of_truth]


def measure_figures(journey: Journey, measures: Measures) -> tuple[MeasureFigure, ...]:
    return tuple(MeasureFigure(p.where, p.place, p.place_id, p.measure.metric, p.measure.value,
                               p.measure.target, p.measure.met,
                               p.measure.as_of.isoformat() if p.measure.as_of else None,
                               len(p.measure.series))
                 for p in measures.placed(journey))


def journey_figures(journey: Journey, measures: Measures = NO_MEASURES) -> Figures:
    return Figures(
        touchpoints=len(journey.touchpoints),
        lowest=lowest_moment(journey),
        highest=highest_moment(journey),
        end=end_emotion(journey),
        average=average_emotion(journey),
        channel_switches=channel_switches(journey),
        handoffs=handoffs(journey),
        gaps=gaps(journey),
        open_opportunities=open_opportunities(journey),
        elapsed=elapsed_time(journey),
        waiting=waiting_time(journey),
        longest_wait=longest_wait(journey),
        moments_of_truth=len(moments_of_truth(journey)),
        targets_met=measures.met if measures.targeted else None,
        targets_missed=measures.missed if measures.targeted else None,
        measures=measure_figures(journey, measures),
    )


# --- across journeys ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EmotionGroup:
    """Frontstage emotions of one channel or team across journeys."""

    name: str
    average: float
    lowest: float
    count: int


def emotion_by(journeys: Mapping[str, Journey],
               key: Literal["channel", "team"]) -> list[EmotionGroup]:
    """Average and lowest emotion per channel or team, worst average first, then by name.

    Names are compared ignoring case and shown as first written; frontstage touchpoints without
    a team do not count for teams.
    """
    shown: dict[str, str] = {}
    scores: dict[str, list[float]] = {}
    for journey in journeys.values():
        for touchpoint in journey.frontstage:
            name = touchpoint.channel if key == "channel" else touchpoint.team
            if name is None:
                continue
            folded = name.casefold()
            shown.setdefault(folded, name)
            scores.setdefault(folded, []).append(_score(touchpoint))
    groups = [EmotionGroup(shown[k], sum(v) / len(v), min(v), len(v)) for k, v in scores.items()]
    return sorted(groups, key=lambda g: (g.average, g.name.casefold()))


@dataclass(frozen=True)
class JourneyMoment:
    journey_id: str
    moment: Moment


def lowest_moments(journeys: Mapping[str, Journey], count: int = 10) -> list[JourneyMoment]:
    """The `count` frontstage touchpoints that feel worst across all journeys.

    Ties keep journey id and file order, so the list is the same on every build.
    """
    touchpoints = ((journey_id, touchpoint) for journey_id, journey in sorted(journeys.items())
                   for touchpoint in journey.frontstage)
    # As sorted(...)[:count], stable too, without a Moment for each of thousands of touchpoints.
    lowest = heapq.nsmallest(count, touchpoints, key=lambda pair: _score(pair[1]))
    return [JourneyMoment(journey_id, _moment(touchpoint)) for journey_id, touchpoint in lowest]


def ranked(journeys: Mapping[str, Journey], figure: Callable[[Journey], int],
           count: int = 5) -> list[tuple[str, int]]:
    """Journeys with the highest value of a figure (channel switches, handoffs), highest first."""
    values = [(journey_id, figure(journey)) for journey_id, journey in sorted(journeys.items())]
    return sorted(values, key=lambda v: -v[1])[:count]


@dataclass(frozen=True)
class TruthMoment:
    """A moment of truth of one journey; backstage ones have no emotion."""

    journey_id: str
    touchpoint: Touchpoint


def all_moments_of_truth(journeys: Mapping[str, Journey]) -> list[TruthMoment]:
    """Every moment of truth, the worst felt first (where trust is lost), then by journey id
    and file order; backstage ones last."""
    found = [TruthMoment(journey_id, touchpoint)
             for journey_id, journey in sorted(journeys.items())
             for touchpoint in moments_of_truth(journey)]
    return sorted(found, key=lambda m: (m.touchpoint.score is None,
                                        m.touchpoint.score or 0.0))


@dataclass(frozen=True)
class Gap:
    journey_id: str
    touchpoint_id: str
    action: str
    gap: str


def all_gaps(journeys: Mapping[str, Journey]) -> list[Gap]:
    """Every communication gap, journeys by id, touchpoints in file order."""
    return [Gap(journey_id, t.id or "", t.action, t.gap)
            for journey_id, journey in sorted(journeys.items())
            for t in journey.touchpoints if t.gap is not None]


PRIORITIES = ("must", "should", "could", "wont")
STATUSES = ("idea", "planned", "doing", "done")


@dataclass(frozen=True)
class TeamLoad:
    """How many opportunities a team holds, by MoSCoW priority and by status."""

    team: str
    by_priority: dict[str, int]
    by_status: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_priority.values())


def opportunities_by_team(journeys: Mapping[str, Journey]) -> list[TeamLoad]:
    """Opportunities per team (compared ignoring case; no team: ''), most first, then by name."""
    shown: dict[str, str] = {}
    loads: dict[str, tuple[dict[str, int], dict[str, int]]] = {}
    for journey in journeys.values():
        for opportunity in journey.opportunities:
            team = opportunity.team or ""
            folded = team.casefold()
            shown.setdefault(folded, team)
            priority, status = loads.setdefault(folded, ({p: 0 for p in PRIORITIES},
                                                         {s: 0 for s in STATUSES}))
            priority[opportunity.priority] += 1
            status[opportunity.status] += 1
    result = [TeamLoad(shown[k], p, s) for k, (p, s) in loads.items()]
    return sorted(result, key=lambda load: (-load.total, load.team == "", load.team.casefold()))


@dataclass(frozen=True)
class StageDifference:
    """One stage of a journey against the same stage (by name) of the journey it compares to."""

    stage: str
    emotion: float | None  # mean frontstage emotion in this journey; None: stage missing or
    other_emotion: float | None  # no frontstage touchpoint there
    touchpoints: int
    other_touchpoints: int
    channel_switches: int
    other_channel_switches: int

    @property
    def emotion_change(self) -> float | None:
        if self.emotion is None or self.other_emotion is None:
            return None
        return self.emotion - self.other_emotion


def _stage_figures(journey: Journey) -> dict[str, tuple[str, float | None, int, int]]:
    """Per stage (by folded name): shown name, mean emotion, touchpoints, channel switches.

    A channel switch belongs to the stage of the touchpoint the customer switches to; stages
    of the same name count as one.
    """
    names: dict[str, str] = {}
    scores: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    switches: dict[str, int] = {}
    previous: str | None = None
    for stage in journey.stages:
        folded = stage.name.casefold()
        names.setdefault(folded, stage.name)
        counts[folded] = counts.get(folded, 0) + len(stage.touchpoints)
        for touchpoint in stage.touchpoints:
            if touchpoint.backstage:
                continue
            scores.setdefault(folded, []).append(_score(touchpoint))
            channel = touchpoint.channel.casefold()
            if previous is not None and channel != previous:
                switches[folded] = switches.get(folded, 0) + 1
            previous = channel
    return {folded: (name, sum(scores[folded]) / len(scores[folded]) if folded in scores
                     else None, counts[folded], switches.get(folded, 0))
            for folded, name in names.items()}


def stage_differences(journey: Journey, other: Journey) -> list[StageDifference]:
    """Stage by stage: this journey's stages in order, then stages only the other one has."""
    mine, theirs = _stage_figures(journey), _stage_figures(other)
    rows = []
    for folded in [*mine, *(k for k in theirs if k not in mine)]:
        missing = (None, 0, 0)
        name = (mine.get(folded) or theirs[folded])[0]
        emotion, touchpoints, switches = mine[folded][1:] if folded in mine else missing
        other_emotion, other_touchpoints, other_switches = (
            theirs[folded][1:] if folded in theirs else missing)
        rows.append(StageDifference(name, emotion, other_emotion, touchpoints, other_touchpoints,
                                    switches, other_switches))
    return rows


@dataclass(frozen=True)
class TargetCount:
    """How many measures of a journey or a channel meet their target and how many miss it."""

    name: str  # the journey's id, or the channel as first written
    met: int
    missed: int


def missed_by_journey(journeys: Mapping[str, Journey],
                      measures: Mapping[str, Measures]) -> list[TargetCount]:
    """Journeys with a missed target, most missed first (then fewest met, then by id)."""
    counts = [TargetCount(i, measures[i].met, measures[i].missed) for i in journeys
              if i in measures and measures[i].missed]
    return sorted(counts, key=lambda c: (-c.missed, c.met, c.name))


def missed_by_channel(journeys: Mapping[str, Journey],
                      measures: Mapping[str, Measures]) -> list[TargetCount]:
    """Channels whose touchpoints' measures miss a target, most missed first; channels
    compared ignoring case."""
    names: dict[str, str] = {}
    met: dict[str, int] = {}
    missed: dict[str, int] = {}
    for journey_id, journey in journeys.items():
        for placed in measures.get(journey_id, NO_MEASURES).placed(journey):
            if placed.channel is None or placed.measure.met is None:
                continue
            key = placed.channel.casefold()
            names.setdefault(key, placed.channel)
            tally = met if placed.measure.met else missed
            tally[key] = tally.get(key, 0) + 1
    counts = [TargetCount(names[k], met.get(k, 0), n) for k, n in missed.items()]
    return sorted(counts, key=lambda c: (-c.missed, c.met, c.name.casefold()))


def organisation_figures(journeys: Mapping[str, Journey],
                         measures: Mapping[str, Measures] | None = None) -> dict[str, Any]:
    """Every figure across journeys as plain data, for `journeys figures --all` and tracking."""
    measures = measures or {}
    return {
        "journeys": len(journeys),
        "touchpoints": sum(len(j.touchpoints) for j in journeys.values()),
        "average_of_journeys": (sum(average_emotion(j) for j in journeys.values()) / len(journeys)
                    if journeys else None),
        "per_journey": {i: journey_figures(j, measures.get(i, NO_MEASURES)).as_dict()
                        for i, j in sorted(journeys.items())},
        "by_channel": [asdict(g) for g in emotion_by(journeys, "channel")],
        "by_team": [asdict(g) for g in emotion_by(journeys, "team")],
        "lowest_moments": [{"journey": m.journey_id, **asdict(m.moment)}
                           for m in lowest_moments(journeys)],
        "most_channel_switches": [{"journey": i, "channel_switches": n}
                                  for i, n in ranked(journeys, channel_switches)],
        "most_handoffs": [{"journey": i, "handoffs": n} for i, n in ranked(journeys, handoffs)],
        "gaps": [asdict(g) for g in all_gaps(journeys)],
        "opportunities_by_team": [{"team": t.team, "total": t.total, "by_priority": t.by_priority,
                                   "by_status": t.by_status} for t in opportunities_by_team(
                                       journeys)],
        "missed_targets_by_journey": [asdict(c) for c in missed_by_journey(journeys, measures)],
        "missed_targets_by_channel": [asdict(c) for c in missed_by_channel(journeys, measures)],
    }
