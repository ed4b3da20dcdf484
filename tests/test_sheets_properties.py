"""Export then import gives the same journeys: every field, the body and the figures, for
generated journeys (text with direction controls, quotes, formula characters and line breaks,
scores of any precision), through CSV and through a workbook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_journey_plugin.catalog import Catalog, Layout, load_catalog
from mkdocs_journey_plugin.figures import organisation_figures
from mkdocs_journey_plugin.importing import ImportOptions, journey_file, plan, write_files
from mkdocs_journey_plugin.model import DEFAULT_SCALE, unique_default_ids
from mkdocs_journey_plugin.sheets import (
    export_tables,
    read_csv_folder,
    read_workbook,
    workbook_bytes,
    write_csv,
)

from .conftest import PERSONA, write

ROADMAP = """\
milestones:
  - id: 2027-q1
    title: First
    date: 2027-03-31
  - id: 2027-q2
    title: Second
    date: 2027-06-30
"""

# Characters no web page, SVG or workbook holds (the model refuses them in plain text) and a
# carriage return, which a workbook's XML turns into a line feed (see the guide).
_NEVER = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE,
                           0xFFFF)] + ["\r"]
_CHARACTERS = st.characters(blacklist_categories=("Cs",), blacklist_characters=_NEVER)
TEXT = st.text(_CHARACTERS, min_size=1, max_size=12)
LINE = TEXT.filter(lambda t: "\n" not in t and t.strip() != "")  # a list item: one line
NAME = st.sampled_from(["Service desk", "Hardware", "=Finance", "Ünïcode", "\u202eRTL"])
SLUG = st.from_regex(r"[a-z][a-z0-9]{0,4}(-[a-z0-9]{1,3})?", fullmatch=True)
SCORE = st.integers(-2, 2) | st.floats(-2, 2, allow_nan=False)
EMOTION = SCORE | st.lists(SCORE, min_size=1, max_size=3)
# Times as authors write them, in several languages and ISO 8601 (durations.py reads them).
TIME = st.sampled_from(["45 min", "2 h", "3 days", "1 h 30 min", "2-3 days", "8 working days",
                        "PT2H30M", "P3D", "3 Tage", "1,5 Std.", "2 uur", "3 dni", "2 óra",
                        "שעתיים", "about a week"])


def _maybe(draw: st.DrawFn, data: dict[str, Any], key: str, values: st.SearchStrategy[Any]) -> None:
    if draw(st.booleans()):
        data[key] = draw(values)


@st.composite
def journeys(draw: st.DrawFn) -> dict[str, Any]:
    teams = draw(st.lists(NAME, unique_by=str.casefold, max_size=3))
    names = draw(st.lists(TEXT, min_size=1, max_size=3, unique=True))  # no stage repeats one
    stages = []
    touchpoints: list[dict[str, Any]] = []
    for name in names:
        stage: list[dict[str, Any]] = []
        for _ in range(draw(st.integers(1, 3))):
            touchpoint: dict[str, Any] = {"action": draw(TEXT), "channel": draw(TEXT)}
            if teams:
                _maybe(draw, touchpoint, "team", st.sampled_from(teams))
            if touchpoints and draw(st.booleans()):
                touchpoint["backstage"] = True
            else:
                _maybe(draw, touchpoint, "backstage", st.just(False))
                touchpoint["emotion"] = draw(EMOTION)
                _maybe(draw, touchpoint, "feeling", TEXT)
            for key in ("quote", "pain", "gap"):
                _maybe(draw, touchpoint, key, TEXT)
            for key in ("duration", "wait"):
                _maybe(draw, touchpoint, key, TIME)
            _maybe(draw, touchpoint, "moment_of_truth", st.booleans())
            _maybe(draw, touchpoint, "actors", st.lists(LINE, max_size=2))
            stage.append(touchpoint)
            touchpoints.append(touchpoint)
        stages.append({"name": name, "touchpoints": stage})
    given_ids = draw(st.lists(SLUG, min_size=len(touchpoints), max_size=len(touchpoints),
                              unique=True))
    explicit = [i if draw(st.booleans()) else None for i in given_ids]
    for touchpoint, ident in zip(touchpoints, explicit, strict=True):
        if ident is not None:
            touchpoint["id"] = ident
    ids = unique_default_ids(explicit, [t["action"] for t in touchpoints], "touchpoint")
    opportunities = []
    for ident in draw(st.lists(st.none() | SLUG, max_size=2).filter(
            lambda found: len({i for i in found if i}) == len([i for i in found if i]))):
        opportunity: dict[str, Any] = {
            "title": draw(TEXT), "touchpoints": draw(st.lists(st.sampled_from(ids), min_size=1,
                                                              max_size=2))}
        if ident is not None:
            opportunity["id"] = ident
        _maybe(draw, opportunity, "priority", st.sampled_from(["must", "should", "could",
                                                               "wont"]))
        _maybe(draw, opportunity, "status", st.sampled_from(["idea", "planned", "doing",
                                                             "done"]))
        if teams:
            _maybe(draw, opportunity, "team", st.sampled_from(teams))
        _maybe(draw, opportunity, "milestone", st.sampled_from(["2027-q1", "2027-q2"]))
        _maybe(draw, opportunity, "description", TEXT)
        opportunities.append(opportunity)
    journey: dict[str, Any] = {"title": draw(TEXT), "persona": "eva"}
    _maybe(draw, journey, "state", st.sampled_from(["current", "ideal"]))
    _maybe(draw, journey, "group", SLUG)
    _maybe(draw, journey, "goal", TEXT)
    _maybe(draw, journey, "expectations", st.lists(LINE, max_size=3))
    if teams or draw(st.booleans()):
        journey["teams"] = teams
    _maybe(draw, journey, "tags", st.lists(LINE.filter(lambda t: len(t) <= 100), max_size=2))
    journey["stages"] = stages
    if any("duration" in t or "wait" in t for t in touchpoints):  # the axis needs a time
        _maybe(draw, journey, "time_axis", st.booleans())
    if opportunities or draw(st.booleans()):
        journey["opportunities"] = opportunities
    return journey


def _site(folder: Path) -> Path:
    root = folder / "content"
    write(root / "personas" / "eva.md", PERSONA)
    write(root / "roadmap.yml", ROADMAP)
    return root


def _seen(catalog: Catalog) -> dict[str, Any]:
    journeys = {i: e.journey for i, e in catalog.journeys.items()}
    return {"models": {i: (e.journey.model_dump(), e.body) for i, e in catalog.journeys.items()},
            "figures": json.dumps(organisation_figures(journeys))}


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(first=journeys(), second=journeys(), body=st.text(_CHARACTERS, max_size=30),
       compared=st.booleans())
def test_export_then_import_gives_the_same_journeys(tmp_path_factory: Any, first: dict[str, Any],
                                                    second: dict[str, Any], body: str,
                                                    compared: bool) -> None:
    if compared:
        first = {**first, "compare_to": "second-one"}
    folder = tmp_path_factory.mktemp("round")
    root = _site(folder / "original")
    for journey_id, data in (("first", first), ("second-one", second)):
        path = root / "journeys" / f"{journey_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(journey_file(data, body).encode())
    original, problems = load_catalog(root)
    assert problems == []
    exported = export_tables(original, original.journeys.values(), root)
    assert exported.problems == []
    write_csv(exported.rows, folder / "csv")
    (folder / "book.xlsx").write_bytes(workbook_bytes(exported.rows))
    options = ImportOptions(DEFAULT_SCALE)
    for name, read, source in (("csv", read_csv_folder, folder / "csv"),
                               ("xlsx", read_workbook, folder / "book.xlsx")):
        back = _site(folder / name)
        reading = read(source, options)
        files, problems = plan(reading.journeys, back / "journeys", Layout(), DEFAULT_SCALE,
                               False, reading.problems)
        assert problems == []
        assert write_files(files) == []
        imported, problems = load_catalog(back)
        assert problems == []
        assert _seen(imported) == _seen(original), name
