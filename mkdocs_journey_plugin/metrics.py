"""What was measured: the metrics of metrics.yml, the values journey files give them and the
dated values of data files, joined into each journey's measures, and checked against each
other (an unknown metric, journey, stage or touchpoint; a value out of the metric's range).

A place's value is its latest dated value from a data file; without one, the value its journey
file gives. Its dated values, oldest first, are its series (the map's sparkline).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from .data_files import DataRow
from .loading import did_you_mean
from .model import Journey, Metric
from .problems import Problem, Source

if TYPE_CHECKING:
    from .catalog import JourneyEntry

Where = Literal["journey", "stage", "touchpoint"]


@dataclass(frozen=True)
class Measure:
    """One metric's value at one place of a journey, and its target."""

    metric: str  # the id
    name: str
    unit: str | None
    better: Literal["higher", "lower"]
    target: float | None
    value: float
    as_of: datetime.date | None  # the date of the value; None: the journey file's
    series: tuple[tuple[datetime.date, float], ...] = ()  # dated values, oldest first

    @property
    def met(self) -> bool | None:
        """Whether the value reaches the target; None without a target."""
        if self.target is None:
            return None
        return self.value >= self.target if self.better == "higher" else \
            self.value <= self.target


@dataclass(frozen=True)
class Placed:
    """A measure with where on the journey it was taken."""

    where: Where
    place: str  # the stage's name, the touchpoint's action; the journey's title
    place_id: str | None  # the touchpoint's id
    channel: str | None  # the touchpoint's
    measure: Measure


@dataclass(frozen=True)
class Measures:
    """A journey's measures: its own, each stage's and each touchpoint's, in file order."""

    journey: tuple[Measure, ...] = ()
    stages: tuple[tuple[Measure, ...], ...] = ()
    touchpoints: tuple[tuple[Measure, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.journey) or self.on_the_map

    @property
    def on_the_map(self) -> bool:
        """Whether a stage or a touchpoint has a measure: a journey's own have no column."""
        return any(self.stages) or any(self.touchpoints)

    def placed(self, journey: Journey) -> list[Placed]:
        """Every measure with its place: the journey's, then stage by stage, each stage's own
        before its touchpoints'."""
        found = [Placed("journey", journey.title, None, None, m) for m in self.journey]
        index = 0
        for s, stage in enumerate(journey.stages):
            found += [Placed("stage", stage.name, None, None, m)
                      for m in (self.stages[s] if s < len(self.stages) else ())]
            for touchpoint in stage.touchpoints:
                mine = self.touchpoints[index] if index < len(self.touchpoints) else ()
                found += [Placed("touchpoint", touchpoint.action, touchpoint.id,
                                 touchpoint.channel, m) for m in mine]
                index += 1
        return found

    @property
    def met(self) -> int:
        return sum(1 for m in self._all() if m.met is True)

    @property
    def missed(self) -> int:
        return sum(1 for m in self._all() if m.met is False)

    @property
    def targeted(self) -> bool:
        """Whether any measure has a target."""
        return any(m.target is not None for m in self._all())

    def _all(self) -> Iterable[Measure]:
        yield from self.journey
        for measures in (*self.stages, *self.touchpoints):
            yield from measures

    @property
    def digest(self) -> str:
        """What the measures are, for cache keys: their repr is deterministic."""
        return hashlib.sha256(repr(self).encode()).hexdigest()


NO_MEASURES = Measures()


# --- checking journey files --------------------------------------------------------------------


def _value_problems(values: Mapping[str, float], loc: tuple[str | int, ...],
                    metrics: Mapping[str, Metric], source: Source,
                    defined: bool) -> list[Problem]:
    problems = []
    for metric_id, value in values.items():
        where = (*loc, "metrics", metric_id)
        metric = metrics.get(metric_id)
        if metric is None:
            hint = did_you_mean(metric_id, list(metrics)) if defined else \
                ": there is no metrics.yml to define it"
            problems.append(source.at(where, f"unknown metric '{metric_id}'{hint}", key=True))
        elif not metric.allows(value):
            problems.append(source.at(where, f"'{metric_id}' must lie {range_words(metric)}, "
                                      f"not {value:g}"))
    return problems


def range_words(metric: Metric) -> str:
    """'between 0 and 100', 'at least 0', 'at most 5'."""
    if metric.min is not None and metric.max is not None:
        return f"between {metric.min:g} and {metric.max:g}"
    if metric.min is not None:
        return f"at or above {metric.min:g}"
    return f"at or below {metric.max:g}"


def journey_metric_problems(entry: JourneyEntry, metrics: Mapping[str, Metric],
                            defined: bool) -> list[Problem]:
    """Metric ids a journey file names that metrics.yml does not define, and values out of
    their metric's range, each at its key or value."""
    journey, source = entry.journey, entry.source
    problems = _value_problems(journey.metrics, (), metrics, source, defined)
    for s, stage in enumerate(journey.stages):
        problems += _value_problems(stage.metrics, ("stages", s), metrics, source, defined)
        for t, touchpoint in enumerate(stage.touchpoints):
            problems += _value_problems(touchpoint.metrics, ("stages", s, "touchpoints", t),
                                        metrics, source, defined)
    return problems


# --- joining data files ------------------------------------------------------------------------

Key = tuple[str, int, str]  # "journey" | "stage" | "touchpoint", its index, the metric id
Dated = dict[datetime.date, float]  # a place's values of one metric, by date


class _Said:
    """Problems of data rows, each said once a file at its first row with how many more rows
    have it: a journey renamed in a data file of 10,000 rows is one problem to fix, not
    10,000 lines (and its cell is found, and a hint looked for, once)."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str], Problem] = {}
        self.more: dict[tuple[str, str], int] = {}

    def add(self, row: DataRow, column: str, message: str) -> None:
        key = (row.path, message)
        if key in self.first:
            self.more[key] = self.more.get(key, 0) + 1
        else:
            self.first[key] = row.at(column, message)

    def problems(self) -> list[Problem]:
        return [replace(p, message=f"{p.message} (and in {self.more[k]} more "
                                   f"row{'s' if self.more[k] > 1 else ''})")
                if k in self.more else p for k, p in self.first.items()]


def _place(row: DataRow, journey: Journey, stages: dict[str, int], touchpoints: dict[str, int],
           hint: Callable[[str, tuple[str, ...]], str]) -> tuple[str, int] | tuple[str, str]:
    """Where on the journey a row's value is: ("touchpoint", index) and so on, or the column
    and the message of the problem."""
    if row.touchpoint is not None:
        index = touchpoints.get(row.touchpoint)
        if index is None:
            return "touchpoint", (f"unknown touchpoint '{row.touchpoint}' in journey "
                                  f"'{row.journey}'{hint(row.touchpoint, tuple(touchpoints))}")
        return "touchpoint", index
    if row.stage is not None:
        index = stages.get(row.stage.casefold())
        if index is None:
            names = tuple(s.name for s in journey.stages)
            return "stage", (f"unknown stage '{row.stage}' in journey '{row.journey}'"
                             f"{hint(row.stage, names)}")
        return "stage", index
    return "journey", 0


def join_measures(journeys: Mapping[str, JourneyEntry], metrics: Mapping[str, Metric],
                  rows: Iterable[DataRow], unreadable: set[str],
                  ) -> tuple[dict[str, Measures], list[Problem]]:
    """Each journey's measures: the values its file gives, and the data files' dated values
    (rows about a journey whose file has problems are left for that file's problems)."""
    said = _Said()
    hint = functools.lru_cache(maxsize=1024)(
        lambda word, choices: did_you_mean(word, list(choices)))
    journey_ids, metric_ids = tuple(journeys), tuple(metrics)
    series: dict[str, dict[Key, Dated]] = {}
    places: dict[str, tuple[dict[str, int], dict[str, int]]] = {}
    for row in rows:
        entry = journeys.get(row.journey)
        if entry is None:
            if f"journey:{row.journey}" not in unreadable:
                said.add(row, "journey", f"unknown journey '{row.journey}'"
                                         f"{hint(row.journey, journey_ids)}")
            continue
        metric = metrics.get(row.metric)
        if metric is None:
            said.add(row, "metric", f"unknown metric '{row.metric}'{hint(row.metric, metric_ids)}")
            continue
        if not metric.allows(row.value):
            said.add(row, "value", f"'{metric.id}' must lie {range_words(metric)}, "
                                   f"not {row.value:g}")
            continue
        journey = entry.journey
        if row.journey not in places:
            places[row.journey] = (
                {s.name.casefold(): i for i, s in reversed(list(enumerate(journey.stages)))},
                {t.id: i for i, t in reversed(list(enumerate(journey.touchpoints))) if t.id})
        kind, where = _place(row, journey, *places[row.journey], hint)
        if isinstance(where, str):
            said.add(row, kind, where)
            continue
        key = (kind, where, metric.id)
        dated = series.setdefault(row.journey, {}).setdefault(key, {})
        if row.date in dated:
            said.add(row, "value", f"an earlier row gives '{metric.id}' here for the same "
                                   "date: keep one of them")
            continue
        dated[row.date] = row.value
    return {journey_id: _measures(entry.journey, metrics, series.get(journey_id, {}))
            for journey_id, entry in journeys.items()}, said.problems()


def _measure(metric: Metric, written: float | None, found: Dated | None) -> Measure:
    dated = tuple(sorted(found.items())) if found else ()
    value, as_of = (dated[-1][1], dated[-1][0]) if dated else (written, None)
    assert value is not None
    return Measure(metric.id, metric.name, metric.unit, metric.better, metric.target, value,
                   as_of, dated)


def _measures_at(kind: str, index: int, written: Mapping[str, float],
                 metrics: Mapping[str, Metric], found: Mapping[Key, Dated]) -> tuple[Measure,
                                                                                      ...]:
    ids = [m for m in metrics if m in written or (kind, index, m) in found]
    return tuple(_measure(metrics[m], written.get(m), found.get((kind, index, m))) for m in ids)


def _measures(journey: Journey, metrics: Mapping[str, Metric],
              found: Mapping[Key, Dated]) -> Measures:
    if not metrics:
        return NO_MEASURES
    measures = Measures(
        _measures_at("journey", 0, journey.metrics, metrics, found),
        tuple(_measures_at("stage", i, s.metrics, metrics, found)
              for i, s in enumerate(journey.stages)),
        tuple(_measures_at("touchpoint", i, t.metrics, metrics, found)
              for i, t in enumerate(journey.touchpoints)))
    return measures if measures else NO_MEASURES
