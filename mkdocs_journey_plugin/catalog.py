"""All content of a site: journeys, personas and the roadmap, checked against each other."""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path, PurePath
from typing import Generic, TypeVar

from .cache import ModelCache
from .loading import (
    decode_text,
    did_you_mean,
    marks_of,
    parse_document,
    read_bytes,
    to_model,
)
from .model import (
    DEFAULT_SCALE,
    MAX_ID,
    SLUG,
    EmotionScale,
    Journey,
    Opportunity,
    Persona,
    Roadmap,
    Touchpoint,
)
from .problems import Loc, Problem, Source

CONTENT_SUFFIXES = (".md", ".yml", ".yaml")
RESERVED_IDS = frozenset({"index"})  # generated index pages live there
# `badge.de.md`, `badge.pt_BR.md`: how mkdocs-static-i18n's suffix structure names translations.
_TRANSLATED = re.compile(r"(.+)\.([a-z]{2,3}(?:[_-][A-Za-z]{2,4})?)")


@dataclass(frozen=True)
class Layout:
    """Where content lives inside the content folder (docs_dir), and where generated pages go."""

    journeys_dir: str = "journeys"
    personas_dir: str = "personas"
    roadmap_file: str = "roadmap.yml"
    backlog_dir: str = "opportunities"
    tags_dir: str = "tags"
    backlog: bool = True
    roadmap_dir: str = "roadmap"
    insights_dir: str = "insights"
    groups_dir: str = "groups"


@dataclass(frozen=True)
class JourneyEntry:
    id: str
    src_uri: str  # the source file, relative to the content folder
    journey: Journey
    body: str
    source: Source
    digest: str = ""  # of the file's bytes: the journey's identity in chart cache keys

    @cached_property
    def _touchpoints(self) -> dict[str, Touchpoint]:
        found: dict[str, Touchpoint] = {}
        for touchpoint in self.journey.touchpoints:
            if touchpoint.id is not None:
                found.setdefault(touchpoint.id, touchpoint)
        return found

    def touchpoint(self, touchpoint_id: str) -> Touchpoint | None:
        """As Journey.touchpoint, looked up: the backlog asks for every opportunity's
        touchpoints, and searching a journey of thousands of them each time was quadratic."""
        return self._touchpoints.get(touchpoint_id)


@dataclass(frozen=True)
class PersonaEntry:
    id: str
    src_uri: str
    persona: Persona
    body: str
    source: Source
    digest: str = ""


@dataclass(frozen=True)
class RoadmapEntry:
    src_uri: str
    roadmap: Roadmap
    source: Source
    digest: str = ""

    @cached_property
    def titles(self) -> dict[str, str]:
        """Milestone titles by id (the first of a duplicate id): looked up for every row of the
        backlog, where searching the milestones was opportunities x milestones."""
        titles: dict[str, str] = {}
        for milestone in self.roadmap.milestones:
            titles.setdefault(milestone.id, milestone.title)
        return titles


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
        return uris | ({self.roadmap.src_uri} if self.roadmap else set())


def display_path(path: Path) -> str:
    """Paths in messages are relative to the current directory, as compilers print them."""
    return os.path.relpath(path) if path.is_absolute() else str(path)


def is_content_file(name: str) -> bool:
    """A journey or persona file by its name: MkDocs leaves out names starting with '.' (where
    Material's `.meta.yml` and awesome-nav's `.nav.yml` live), and suffixes are any case."""
    return not name.startswith(".") and PurePath(name).suffix.lower() in CONTENT_SUFFIXES


def content_files(root: Path, folder: str) -> tuple[list[Path], list[Problem]]:
    """The content files of a folder and of its subfolders, in path order, as MkDocs finds them
    (it follows links); a link that leads out of the content folder, or nowhere, is a problem
    rather than a file left out: MkDocs would publish it as a plain page, or fail on it."""
    directory = root / folder
    if not directory.is_dir():
        return [], []
    inside = root.resolve()
    found: list[Path] = []
    problems: list[Problem] = []
    seen = {directory.resolve()}
    for current, folders, names in os.walk(directory, followlinks=True):
        here = Path(current)
        kept = []
        for name in sorted(folders):
            target = (here / name).resolve()
            if name.startswith(".") or target in seen:
                continue  # left out by MkDocs, or a link back to a folder already read
            if not target.is_relative_to(inside):
                if any(is_content_file(p.name) for p in target.rglob("*")):
                    problems.append(Problem(display_path(here / name), 1, 1,
                                            f"a link to a folder outside the content folder "
                                            f"({target}): copy its files in instead"))
                continue
            seen.add(target)
            kept.append(name)
        folders[:] = kept
        for name in sorted(names):
            path = here / name
            if PurePath(name).suffix.lower() in OTHER_MARKDOWN and not name.startswith("."):
                problems.append(Problem(display_path(path), 1, 1, "journey and persona files "
                                        f"end in {', '.join(CONTENT_SUFFIXES)}: rename it"))
            if not is_content_file(name):
                continue
            problem = _link_problem(path, inside)
            if problem:
                problems.append(Problem(display_path(path), 1, 1, problem))
            else:
                found.append(path)
    return sorted(found, key=lambda p: p.relative_to(directory).as_posix()), problems


# Suffixes MkDocs also reads as Markdown pages: in a content folder they would be published as
# plain pages, not journeys, without a word.
OTHER_MARKDOWN = (".markdown", ".mdown", ".mkdn", ".mkd")


def _link_problem(path: Path, inside: Path) -> str | None:
    if not path.is_symlink():
        return None
    target = path.resolve()
    if not target.is_file():
        return f"a link to a file that does not exist ({target})"
    if not target.is_relative_to(inside):
        return f"a link to a file outside the content folder ({target}): copy the file in"
    return None


def _check_file_name(path: PurePath, display: str) -> list[Problem]:
    if path.stem in RESERVED_IDS:
        return [Problem(display, 1, 1, f"the file name '{path.stem}' is reserved for the "
                        "generated index page; choose another")]
    translated = _TRANSLATED.fullmatch(path.stem)
    if translated and SLUG.fullmatch(translated.group(1)):
        original, language = translated.groups()
        return [Problem(display, 1, 1, f"this reads as a translation ({language}) of "
                        f"'{original}{path.suffix}', which is not supported: a journey or "
                        "persona is one file, and its pages in every language of the site are "
                        "built from it (the plugin's own words follow each language, the "
                        "author's text does not)")]
    if not SLUG.fullmatch(path.stem):
        return [Problem(display, 1, 1, "file names are ids: use lower-case letters, digits and "
                        "hyphens only")]
    if len(path.stem) > MAX_ID:
        return [Problem(display, 1, 1, f"the file name is {len(path.stem)} characters long; ids "
                        f"are at most {MAX_ID}, since they become web addresses")]
    return []


M = TypeVar("M", Journey, Persona)
N = TypeVar("N", Journey, Persona, Roadmap)


@dataclass(frozen=True)
class Added:
    """A content file that another plugin put in the build (mkdocs-gen-files writes them in
    `on_files`): its bytes as MkDocs has them, read as a file on disk would be."""

    src_uri: str  # relative to the content folder, as the plugin named it
    data: bytes | None
    display: str  # how problems name it: there is no file an author could open
    problems: tuple[Problem, ...] = ()  # why its bytes could not be had


def _load_folder(root: Path, folder: str, model: type[M], scale: EmotionScale,
                 unreadable: set[str], stored: ModelCache,
                 added: Mapping[str, Added]) -> tuple[dict[str, _Loaded[M]], list[Problem]]:
    """Every valid file of one folder by id; ids of files with problems go to `unreadable`.
    A file another plugin added stands in for the file on disk of the same name, as it does
    for MkDocs."""
    kind = model.__name__.lower()
    loaded: dict[str, _Loaded[M]] = {}
    paths, problems = content_files(root, folder)
    found: dict[str, Path | Added] = {p.relative_to(root).as_posix(): p for p in paths}
    found |= {uri: a for uri, a in added.items() if uri.startswith(f"{folder}/")}
    for src_uri in sorted(found, key=lambda uri: uri[len(folder) + 1:]):
        item = found[src_uri]
        path = item if isinstance(item, Path) else PurePath(src_uri)
        display = display_path(item) if isinstance(item, Path) else item.display
        problems += _check_file_name(path, display)
        read = _read_model(item, display, model, scale, stored)
        if isinstance(read, list):
            problems += read
            unreadable.add(f"{kind}:{path.stem}")
            continue
        if path.stem in loaded:
            problems.append(read.source.at((), f"{kind} '{path.stem}' is defined twice: "
                                           f"also in {loaded[path.stem].src_uri}"))
            continue
        loaded[path.stem] = replace(read, src_uri=src_uri)
    return loaded, problems


def _read_model(item: Path | Added, display: str, model: type[N], scale: EmotionScale,
                stored: ModelCache) -> _Loaded[N] | list[Problem]:
    """One file as its model, or its problems; a file read before comes from `stored`."""
    if isinstance(item, Path):
        data, problems = read_bytes(item, display)
        suffix = item.suffix
    else:
        data, problems, suffix = item.data, list(item.problems), PurePath(item.src_uri).suffix
    if data is None:
        return problems
    key = stored.key(model.__name__, repr(scale), display, suffix, data)
    digest = hashlib.sha256(data).hexdigest()
    marks = functools.partial(marks_of, data, display, suffix)
    found = stored.get(key, functools.partial(_from_stored, model, scale, Source.later(
        display, marks), digest))
    if found is not None:
        return found
    text, problems = decode_text(data, display)
    document, problems = parse_document(text, display, suffix) if text else (None, problems)
    valid, problems = to_model(document, model, scale) if document else (None, problems)
    if document is None or valid is None:
        return problems
    body = document.body or getattr(valid, "notes", None) or ""
    if stored.folder is not None:  # `journeys validate` keeps no cache: no dump to make
        stored.put(key, {"model": valid.model_dump(mode="json", exclude_unset=True),
                         "body": body})
    return _Loaded("", valid, body, document.source, digest)


def _from_stored(model: type[N], scale: EmotionScale, source: Source, digest: str,
                 data: object) -> _Loaded[N] | None:
    """A stored reading, validated again as a file's data is (a stored entry can only ever be
    what a content file could be); None when it is not one. Its line marks are not stored:
    `source` finds them in the file's bytes when a problem needs them."""
    if not (isinstance(data, dict) and set(data) == {"model", "body"}
            and isinstance(data["body"], str)):
        return None
    valid = model.model_validate(data["model"], context={"scale": scale})
    return _Loaded("", valid, data["body"], source, digest)


@dataclass(frozen=True)
class _Loaded(Generic[N]):
    src_uri: str
    model: N
    body: str
    source: Source
    digest: str


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
    journeys, problems = _load_folder(root, layout.journeys_dir, Journey, scale,
                                      catalog.unreadable, stored, extra)
    catalog.journeys = {i: JourneyEntry(i, j.src_uri, j.model, j.body, j.source, j.digest)
                        for i, j in journeys.items()}
    personas, found = _load_folder(root, layout.personas_dir, Persona, scale, catalog.unreadable,
                                   stored, extra)
    problems += found
    catalog.personas = {i: PersonaEntry(i, p.src_uri, p.model, p.body, p.source, p.digest)
                        for i, p in personas.items()}
    roadmap_path = root / layout.roadmap_file
    roadmap: Path | Added | None = extra.get(layout.roadmap_file) or (
        roadmap_path if roadmap_path.is_file() else None)
    if roadmap is not None:
        shown = display_path(roadmap) if isinstance(roadmap, Path) else roadmap.display
        read = _read_model(roadmap, shown, Roadmap, scale, stored)
        if isinstance(read, list):
            problems += read
            catalog.unreadable.add("roadmap")
        else:
            catalog.roadmap = RoadmapEntry(layout.roadmap_file, read.model, read.source,
                                           read.digest)
    problems += cross_reference_problems(catalog, root)
    return catalog, sorted(set(problems))


def _duplicates(ids: Iterable[tuple[str, Loc]], what: str, source: Source) -> list[Problem]:
    first: dict[str, Loc] = {}
    problems = []
    for ident, loc in ids:
        if ident in first:
            problems.append(source.at(loc, f"duplicate {what} id '{ident}' "
                                           f"(first at line {source.line_of(first[ident])})"))
        else:
            first[ident] = loc
    return problems


def journey_problems(entry: JourneyEntry) -> list[Problem]:
    """What one journey gets wrong about itself: ids, teams, emotions, opportunity links."""
    journey, source = entry.journey, entry.source
    problems: list[Problem] = []
    touchpoint_locs: list[tuple[str, Loc]] = []
    teams = {team.casefold() for team in journey.teams}
    for s, stage in enumerate(journey.stages):
        for t, touchpoint in enumerate(stage.touchpoints):
            loc: Loc = ("stages", s, "touchpoints", t)
            assert touchpoint.id is not None
            touchpoint_locs.append((touchpoint.id, (*loc, "id")))
            if touchpoint.team is not None and touchpoint.team.casefold() not in teams:
                hint = did_you_mean(touchpoint.team, journey.teams)
                problems.append(source.at((*loc, "team"), f"team '{touchpoint.team}' is not "
                                          f"listed in the journey's 'teams'{hint}"))
            if touchpoint.backstage:
                for key in ("emotion", "feeling"):
                    if getattr(touchpoint, key) is not None:
                        problems.append(source.at((*loc, key), f"a backstage touchpoint has no "
                                                  f"'{key}': the customer does not see it"))
            elif touchpoint.emotion is None:
                problems.append(source.at(loc, "missing required key 'emotion' (every "
                                          "frontstage touchpoint needs one)"))
    if not journey.frontstage:
        problems.append(source.at(("stages",), "a journey needs at least one frontstage "
                                  "touchpoint (one without 'backstage: true')"))
    problems += _duplicates(touchpoint_locs, "touchpoint", source)
    known = [i for i, _ in touchpoint_locs]  # for "did you mean"; looked up in as a set
    ids = set(known)
    opportunity_locs: list[tuple[str, Loc]] = []
    for o, opportunity in enumerate(journey.opportunities):
        assert opportunity.id is not None
        opportunity_locs.append((opportunity.id, ("opportunities", o, "id")))
        for i, touchpoint_id in enumerate(opportunity.touchpoints):
            if touchpoint_id not in ids:
                problems.append(source.at(("opportunities", o, "touchpoints", i),
                                          f"unknown touchpoint '{touchpoint_id}' in this "
                                          f"journey{did_you_mean(touchpoint_id, known)}"))
    problems += _duplicates(opportunity_locs, "opportunity", source)
    return problems


PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".svg")


def photo_problem(photo: str | None, root: Path, src_uri: str) -> str | None:
    """Why a persona's photo cannot be shown: it must be an image file inside the content."""
    if photo is None:
        return None
    if "://" in photo or photo.startswith(("/", "\\")) or ":" in photo.split("/")[0]:
        return f"photo '{photo}' must be a path relative to the persona file, not a URL"
    path = (root / src_uri).parent.joinpath(photo).resolve()
    if not path.is_relative_to(root.resolve()):
        return f"photo '{photo}' is outside the content folder"
    if path.suffix.lower() not in PHOTO_SUFFIXES:
        return f"photo '{photo}' must be an image ({', '.join(PHOTO_SUFFIXES)})"
    if not path.is_file():
        return f"photo '{photo}' not found next to the persona file"
    return None


def cross_reference_problems(catalog: Catalog, root: Path) -> list[Problem]:
    """References between files: personas, compared journeys, milestones, photos."""
    problems: list[Problem] = []
    milestones = [m.id for m in catalog.roadmap.roadmap.milestones] if catalog.roadmap else []
    known = set(milestones)  # the list is for "did you mean"; looked up in, it was quadratic
    for entry in catalog.journeys.values():
        journey, source = entry.journey, entry.source
        problems += journey_problems(entry)
        if journey.persona not in catalog.personas and \
                f"persona:{journey.persona}" not in catalog.unreadable:
            problems.append(source.at(("persona",), f"unknown persona '{journey.persona}'"
                                      f"{did_you_mean(journey.persona, list(catalog.personas))}"))
        if journey.compare_to == entry.id:
            problems.append(source.at(("compare_to",), "a journey cannot compare to itself"))
        elif journey.compare_to is not None and journey.compare_to not in catalog.journeys and \
                f"journey:{journey.compare_to}" not in catalog.unreadable:
            hint = did_you_mean(journey.compare_to, list(catalog.journeys))
            problems.append(source.at(("compare_to",),
                                      f"unknown journey '{journey.compare_to}'{hint}"))
        for o, opportunity in enumerate(journey.opportunities):
            if opportunity.milestone is None or opportunity.milestone in known or \
                    "roadmap" in catalog.unreadable:
                continue
            hint = did_you_mean(opportunity.milestone, milestones) if catalog.roadmap \
                else ": there is no roadmap.yml"
            problems.append(source.at(("opportunities", o, "milestone"),
                                      f"unknown milestone '{opportunity.milestone}'{hint}"))
    for persona in catalog.personas.values():
        problem = photo_problem(persona.persona.photo, root, persona.src_uri)
        if problem:
            problems.append(persona.source.at(("photo",), problem))
    if catalog.roadmap:
        problems += _duplicates(((m.id, ("milestones", i, "id")) for i, m in
                                 enumerate(catalog.roadmap.roadmap.milestones)), "milestone",
                                catalog.roadmap.source)
    return problems
