"""All content of a site: journeys, personas and the roadmap, read (or taken from the cache)
and checked against each other."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path, PurePath
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel

from .cache import ModelCache
from .content_files import Added, check_file_name, content_files, display_path
from .cross_references import cross_reference_problems
from .data_files import MAX_DATA_BYTES, DataRow, read_data_file
from .loading import decode_text, marks_of, parse_document, read_bytes, to_model
from .metrics import NO_MEASURES, Measures, join_measures, journey_metric_problems
from .model import (
    DEFAULT_SCALE,
    EmotionScale,
    Journey,
    Metric,
    MetricsFile,
    Opportunity,
    Persona,
    Roadmap,
    Touchpoint,
)
from .problems import Problem, Source


@dataclass(frozen=True)
class Layout:
    """Where content lives inside the content folder (docs_dir), and where generated pages go."""

    # The defaults of the options of the same names (config.py takes them from here), in the
    # order folders are checked against each other.
    journeys_dir: str = "journeys"
    personas_dir: str = "personas"
    roadmap_file: str = "roadmap.yml"
    metrics_file: str = "metrics.yml"
    data_dir: str = "data"
    tags_dir: str = "tags"
    backlog_dir: str = "opportunities"
    backlog: bool = True
    roadmap_dir: str = "roadmap"
    insights_dir: str = "insights"
    groups_dir: str = "groups"


N = TypeVar("N", Journey, Persona, Roadmap, MetricsFile)


@dataclass(frozen=True)
class Entry(Generic[N]):
    """One valid content file: its model, its Markdown body and where it came from."""

    MODEL: ClassVar[type[BaseModel]]

    id: str  # the file name without its suffix; "roadmap" for the roadmap
    src_uri: str  # the source file, relative to the content folder
    model: N
    body: str
    source: Source
    digest: str  # of the file's bytes: its identity in chart cache keys


@dataclass(frozen=True)
class JourneyEntry(Entry[Journey]):
    MODEL = Journey
    # What was measured on it, from metrics.yml and the data files (see metrics.py); its
    # digest then names them too, so that every cached page and chart of it is drawn again
    # when a value changes.
    measures: Measures = NO_MEASURES

    @property
    def journey(self) -> Journey:
        return self.model

    @cached_property
    def _touchpoints(self) -> dict[str, Touchpoint]:
        found: dict[str, Touchpoint] = {}
        for touchpoint in self.journey.touchpoints:
            if touchpoint.id is not None:
                found.setdefault(touchpoint.id, touchpoint)
        return found

    def touchpoint(self, touchpoint_id: str) -> Touchpoint | None:
        """As Journey.touchpoint, looked up: the backlog asks for every opportunity's
        touchpoints, and searching a journey of thousands of them each time would be quadratic."""
        return self._touchpoints.get(touchpoint_id)


class PersonaEntry(Entry[Persona]):
    MODEL = Persona

    @property
    def persona(self) -> Persona:
        return self.model


class RoadmapEntry(Entry[Roadmap]):
    MODEL = Roadmap

    @property
    def roadmap(self) -> Roadmap:
        return self.model

    @cached_property
    def titles(self) -> dict[str, str]:
        """Milestone titles by id (the first of a duplicate id): looked up for every row of the
        backlog, where searching the milestones would take opportunities x milestones."""
        titles: dict[str, str] = {}
        for milestone in self.roadmap.milestones:
            titles.setdefault(milestone.id, milestone.title)
        return titles


class MetricsEntry(Entry[MetricsFile]):
    MODEL = MetricsFile

    @cached_property
    def by_id(self) -> dict[str, Metric]:
        """The metrics by id, in file order (the first of a duplicate id)."""
        found: dict[str, Metric] = {}
        for metric in self.model.metrics:
            found.setdefault(metric.id, metric)
        return found


@dataclass(frozen=True)
class OpportunityRef:
    """An opportunity with the journey it belongs to and its number there (as on the map)."""

    journey: JourneyEntry
    number: int
    opportunity: Opportunity


@dataclass
class Catalog:
    """Every journey and persona by id (sorted), and the roadmap if there is one."""

    journeys: dict[str, JourneyEntry] = field(default_factory=dict)
    personas: dict[str, PersonaEntry] = field(default_factory=dict)
    roadmap: RoadmapEntry | None = None
    metrics: MetricsEntry | None = None
    # Ids whose files exist but hold problems: references to them are not reported again.
    unreadable: set[str] = field(default_factory=set)

    def journeys_of(self, persona_id: str) -> list[JourneyEntry]:
        return [j for j in self.journeys.values() if j.journey.persona == persona_id]

    def opportunities(self) -> list[OpportunityRef]:
        """Every opportunity of every journey, journeys in id order, opportunities in file order."""
        return [OpportunityRef(entry, number, opportunity)
                for entry in self.journeys.values()
                for number, opportunity in enumerate(entry.journey.opportunities, start=1)]

    def tags(self) -> dict[str, list[JourneyEntry]]:
        """Journeys by tag; tags compared ignoring case, shown as first written."""
        shown: dict[str, str] = {}
        tagged: dict[str, list[JourneyEntry]] = {}
        for entry in self.journeys.values():
            for tag in dict.fromkeys(t.casefold() for t in entry.journey.tags):
                shown.setdefault(tag, next(t for t in entry.journey.tags if t.casefold() == tag))
                tagged.setdefault(tag, []).append(entry)
        return {shown[tag]: tagged[tag] for tag in sorted(tagged)}

    def groups(self) -> dict[str, list[JourneyEntry]]:
        """Journeys that share a `group`, by group id; a group of one is no comparison."""
        grouped: dict[str, list[JourneyEntry]] = {}
        for entry in self.journeys.values():
            if entry.journey.group:
                grouped.setdefault(entry.journey.group, []).append(entry)
        return {g: entries for g, entries in sorted(grouped.items()) if len(entries) > 1}

    def milestone_title(self, milestone_id: str | None) -> str | None:
        if milestone_id is None or self.roadmap is None:
            return None
        return self.roadmap.titles.get(milestone_id)

    @property
    def src_uris(self) -> set[str]:
        uris = {e.src_uri for e in self.journeys.values()} | {e.src_uri for e in
                                                              self.personas.values()}
        return uris | {e.src_uri for e in (self.roadmap, self.metrics) if e is not None}

    @property
    def measured(self) -> bool:
        """Whether any journey has measures: the pages and the map show them then."""
        return any(e.measures for e in self.journeys.values())


E = TypeVar("E", bound="Entry[Any]")


def _load_folder(root: Path, folder: str, kind: type[E], scale: EmotionScale,
                 unreadable: set[str], stored: ModelCache,
                 added: Mapping[str, Added]) -> tuple[dict[str, E], list[Problem]]:
    """Every valid file of one folder by id; ids of files with problems go to `unreadable`.
    A file another plugin added stands in for the file on disk of the same name, as it does
    for MkDocs."""
    name = kind.MODEL.__name__.lower()
    loaded: dict[str, E] = {}
    paths, problems = content_files(root, folder)
    found: dict[str, Path | Added] = {p.relative_to(root).as_posix(): p for p in paths}
    found |= {uri: a for uri, a in added.items() if uri.startswith(f"{folder}/")}
    for src_uri in sorted(found, key=lambda uri: uri[len(folder) + 1:]):
        item = found[src_uri]
        path = item if isinstance(item, Path) else PurePath(src_uri)
        display = display_path(item) if isinstance(item, Path) else item.display
        problems += check_file_name(path, display)
        read = _read_entry(item, display, kind, scale, stored)
        if isinstance(read, list):
            problems += read
            unreadable.add(f"{name}:{path.stem}")
            continue
        if path.stem in loaded:
            problems.append(read.source.at((), f"{name} '{path.stem}' is defined twice: "
                                           f"also in {loaded[path.stem].src_uri}"))
            continue
        loaded[path.stem] = replace(read, id=path.stem, src_uri=src_uri)
    return loaded, problems


def _read_entry(item: Path | Added, display: str, kind: type[E], scale: EmotionScale,
                stored: ModelCache) -> E | list[Problem]:
    """One file as an entry (its id and src_uri left for the caller), or its problems; a file
    read before comes from `stored`."""
    if isinstance(item, Path):
        data, problems = read_bytes(item, display)
        suffix = item.suffix
    else:
        data, problems, suffix = item.data, list(item.problems), PurePath(item.src_uri).suffix
    if data is None:
        return problems
    key = stored.key(kind.MODEL.__name__, repr(scale), display, suffix, data)
    digest = hashlib.sha256(data).hexdigest()
    marks = functools.partial(marks_of, data, display, suffix)
    found = stored.get(key, functools.partial(_from_stored, kind, scale, Source.later(
        display, marks), digest))
    if found is not None:
        return found
    text, problems = decode_text(data, display)
    document, problems = parse_document(text, display, suffix) if text else (None, problems)
    valid, problems = to_model(document, kind.MODEL, scale) if document else (None, problems)
    if document is None or valid is None:
        return problems
    body = document.body or getattr(valid, "notes", None) or ""
    if stored.folder is not None:  # `journeys validate` keeps no cache: no dump to make
        stored.put(key, {"model": valid.model_dump(mode="json", exclude_unset=True),
                         "body": body})
    return kind("", "", valid, body, document.source, digest)


def _from_stored(kind: type[E], scale: EmotionScale, source: Source, digest: str,
                 data: object) -> E | None:
    """A stored reading, validated again as a file's data is (a stored entry can only ever be
    what a content file could be); None when it is not one. Its line marks are not stored:
    `source` finds them in the file's bytes when a problem needs them."""
    if not (isinstance(data, dict) and set(data) == {"model", "body"}
            and isinstance(data["body"], str)):
        return None
    valid = kind.MODEL.model_validate(data["model"], context={"scale": scale})
    return kind("", "", valid, data["body"], source, digest)


DEFAULT_LAYOUT = Layout()


def load_catalog(root: Path, layout: Layout = DEFAULT_LAYOUT, scale: EmotionScale = DEFAULT_SCALE,
                 stored: ModelCache | None = None,
                 added: Iterable[Added] = ()) -> tuple[Catalog, list[Problem]]:
    """Read every content file under `root`, and those `added` by other plugins; the catalog
    of what is valid, and all problems.

    With `stored`, files whose bytes were read before (by this code, at this scale) are taken
    from there instead of being parsed and validated again.
    """
    stored = stored or ModelCache(None)
    extra = {a.src_uri: a for a in added}
    catalog = Catalog()
    catalog.journeys, problems = _load_folder(root, layout.journeys_dir, JourneyEntry, scale,
                                              catalog.unreadable, stored, extra)
    catalog.personas, found = _load_folder(root, layout.personas_dir, PersonaEntry, scale,
                                           catalog.unreadable, stored, extra)
    problems += found
    catalog.roadmap, found = _load_single(root, layout.roadmap_file, RoadmapEntry, "roadmap",
                                          scale, catalog.unreadable, stored, extra)
    problems += found
    catalog.metrics, found = _load_single(root, layout.metrics_file, MetricsEntry, "metrics",
                                          scale, catalog.unreadable, stored, extra)
    problems += found
    problems += cross_reference_problems(catalog, root)
    problems += _measure(catalog, root, layout)
    return catalog, sorted(set(problems))


def _load_single(root: Path, name: str, kind: type[E], entry_id: str, scale: EmotionScale,
                 unreadable: set[str], stored: ModelCache,
                 extra: Mapping[str, Added]) -> tuple[E | None, list[Problem]]:
    """The site's one file of a kind (roadmap.yml, metrics.yml), when there is one."""
    path = root / name
    item: Path | Added | None = extra.get(name) or (path if path.is_file() else None)
    if item is None:
        return None, []
    shown = display_path(item) if isinstance(item, Path) else item.display
    read = _read_entry(item, shown, kind, scale, stored)
    if isinstance(read, list):
        unreadable.add(entry_id)
        return None, read
    return replace(read, id=entry_id, src_uri=name), []


def data_rows(root: Path, layout: Layout) -> tuple[list[DataRow], list[Problem]]:
    """Every row of every data file (`data/*.csv`), files in name order."""
    rows: list[DataRow] = []
    problems: list[Problem] = []
    folder = root / layout.data_dir
    files = [p for p in folder.iterdir() if p.suffix.lower() == ".csv"] if folder.is_dir() \
        else []
    for path in sorted(files):
        display = display_path(path)
        data, problems_reading = read_bytes(path, display)
        if data is None:
            problems += problems_reading
            continue
        text, problems_decoding = decode_text(data, display, limit=MAX_DATA_BYTES)
        if text is None:
            problems += problems_decoding
            continue
        found, problems_found = read_data_file(text, display)
        rows += found
        problems += problems_found
    return rows, problems


def _measure(catalog: Catalog, root: Path, layout: Layout) -> list[Problem]:
    """Each journey's measures joined from its file and the data files; the problems of the
    data files and of the metric values journeys give."""
    metrics = catalog.metrics.by_id if catalog.metrics else {}
    defined = catalog.metrics is not None or "metrics" in catalog.unreadable
    problems: list[Problem] = []
    if "metrics" not in catalog.unreadable:
        for entry in catalog.journeys.values():
            problems += journey_metric_problems(entry, metrics, catalog.metrics is not None)
    rows, found = data_rows(root, layout)
    problems += found
    if rows and not defined:
        first = rows[0]
        problems.append(first.at("metric", f"data files give values of metrics: define "
                                               f"them in {layout.metrics_file}"))
    if not metrics:
        return problems
    measures, found = join_measures(catalog.journeys, metrics, rows, catalog.unreadable)
    problems += found
    for journey_id, entry in catalog.journeys.items():
        mine = measures.get(journey_id, NO_MEASURES)
        if mine:
            digest = hashlib.sha256(f"{entry.digest}\0{mine.digest}".encode()).hexdigest()
            catalog.journeys[journey_id] = replace(entry, measures=mine, digest=digest)
    return problems
