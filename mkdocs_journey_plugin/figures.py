"""The figures derived from one journey (DESIGN.md section 1), as plain functions."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from itertools import pairwise
from typing import Any

from .model import Journey, Touchpoint


@dataclass(frozen=True)
class Moment:
    """A frontstage touchpoint singled out by a figure, with its (mean) emotion."""

    id: str
    action: str
    emotion: float


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


def journey_figures(journey: Journey) -> Figures:
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
    )
