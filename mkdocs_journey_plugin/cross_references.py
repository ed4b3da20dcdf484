"""What content gets wrong about itself and about other files: duplicate ids, unknown teams,
touchpoints, personas, journeys and milestones, emotions on backstage steps, persona photos."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .loading import did_you_mean
from .problems import Loc, Problem, Source

if TYPE_CHECKING:
    from .catalog import Catalog, JourneyEntry


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
    known = set(milestones)  # the list is for "did you mean"; a list looked up in is quadratic
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
    if catalog.metrics:
        problems += _duplicates(((m.id, ("metrics", i, "id")) for i, m in
                                 enumerate(catalog.metrics.model.metrics)), "metric",
                                catalog.metrics.source)
    if catalog.roadmap:
        problems += _duplicates(((m.id, ("milestones", i, "id")) for i, m in
                                 enumerate(catalog.roadmap.roadmap.milestones)), "milestone",
                                catalog.roadmap.source)
    return problems
