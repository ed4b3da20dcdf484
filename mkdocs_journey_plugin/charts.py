"""Every chart a page can hold, drawn from the catalog when its placeholder is swapped in
(see islands.finish_page), or taken from the chart cache; the maps and the presentations as
files of their own, and the plugin's stylesheet."""

from __future__ import annotations

import base64
import datetime
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import fields, is_dataclass
from importlib.resources import files
from pathlib import Path
from typing import ClassVar

from .addresses import Addresses
from .cache import ChartCache
from .catalog import Catalog, JourneyEntry
from .figures import emotion_by
from .history import History
from .labels import Labels
from .model import EmotionScale, Journey
from .presentation import PresentationOptions, render_presentation
from .render import (
    Bar,
    BarOptions,
    ComparisonOptions,
    MapOptions,
    MilestoneMark,
    RoadmapOptions,
    Series,
    SparklineOptions,
    map_of_region,
    render_comparison,
    render_emotion_bars,
    render_journey_map,
    render_map_region,
    render_roadmap,
    render_sparkline,
)
from .render.history import HistoryOptions, Point, render_history
from .render.stage_curves import StageCurveOptions
from .render.svg import with_styles
from .timing import timed
from .views import roadmap_view

STYLESHEET = "assets/journeys/journeys.css"
SCRIPT = "assets/journeys/journeys.js"  # zoom buttons and stage names in view (see the file)
# A renderer and the arguments it draws a chart from.
Drawing = tuple[Callable[..., str], tuple[object, ...]]


def map_options(entry: JourneyEntry, catalog: Catalog, scale: EmotionScale,
                labels: Labels) -> MapOptions:
    """How a journey's map is drawn: with the journey it compares to, ids prefixed by its id."""
    compared = catalog.journeys.get(entry.journey.compare_to or "")
    return MapOptions(scale, labels, labels.direction, f"map-{entry.id}",
                      compared.journey if compared else None,
                      compared.journey.title if compared else "", measures=entry.measures)


class Charts:
    """Every chart a page can hold, drawn when its placeholder is swapped in, or reused."""

    def __init__(self, catalog: Catalog, scale: EmotionScale, labels: Labels,
                 today: datetime.date, histories: Mapping[str, History] | None = None,
                 cache: ChartCache | None = None) -> None:
        self.catalog = catalog
        self.scale = scale
        self.labels = labels
        self.today = today
        self.histories = histories or {}
        self.cache = cache or ChartCache(None)
        self.digests = {id(e.journey): e.digest for e in catalog.journeys.values() if e.digest}
        # A sparkline shows on up to four pages and a map twice (page, file): its key is
        # described once per build.
        self._svgs: dict[tuple[str, str], str] = {}
        self._fonts: str | None = None

    def _draw(self, renderer: Callable[..., str], *arguments: object) -> str:
        inputs = describe_inputs((renderer.__module__, renderer.__name__, arguments),
                                 self.digests)
        kind = renderer.__name__.removeprefix("render_")

        def draw() -> str:
            with timed(f"render.{renderer.__name__}"):
                return renderer(*arguments)

        with timed("cache:get"):
            return self.cache.get(kind, inputs, draw)

    def svg(self, kind: str, key: str) -> str:
        found = self._svgs.get((kind, key))
        if found is None:
            found = self._svgs[kind, key] = self._svg(kind, key)
        else:
            self.cache.reused += 1
        return found

    def _svg(self, kind: str, key: str) -> str:
        renderer, arguments = self._INPUTS[kind](self, key)  # an unknown kind: KeyError
        return self._draw(renderer, *arguments)

    # Each kind of chart: its renderer and the arguments it is drawn from, for the chart's key
    # (the journey id, or the group id, the grouping of the bars, "roadmap").

    def _map(self, key: str) -> Drawing:
        entry = self.catalog.journeys[key]
        return render_map_region, (entry.journey,
                                   map_options(entry, self.catalog, self.scale, self.labels))

    def _sparkline(self, key: str) -> Drawing:
        return render_sparkline, (self.catalog.journeys[key].journey, SparklineOptions(
            scale=self.scale, labels=self.labels, direction=self.labels.direction,
            id_prefix=f"spark-{key}"))

    def _compare(self, key: str) -> Drawing:
        entry = self.catalog.journeys[key]
        other = self.catalog.journeys[entry.journey.compare_to or ""]
        series = [Series(entry.journey.title, entry.journey),
                  Series(other.journey.title, other.journey)]
        return render_comparison, (series, ComparisonOptions(
            scale=self.scale, labels=self.labels, direction=self.labels.direction,
            id_prefix=f"compare-{key}", title=entry.journey.title))

    def _group(self, key: str) -> Drawing:
        entries = self.catalog.groups()[key]
        series = [Series(self.catalog.personas[e.journey.persona].persona.name, e.journey)
                  for e in entries]
        return render_comparison, (series, ComparisonOptions(
            scale=self.scale, labels=self.labels, direction=self.labels.direction,
            id_prefix=f"group-{key}", title=entries[0].journey.title))

    def mermaid_map(self, journey: Journey, options: MapOptions) -> str:
        """The map of a Mermaid journey on a page (see mermaid_blocks.py), cached as a map."""
        return self._draw(render_map_region, journey, options)

    def png(self, key: str) -> bytes:
        """A journey's map as PNG, as its SVG file looks in a browser (see raster.py), drawn
        or taken from the cache. Its key is what the renderer is given (the drawing and the
        stylesheet), the renderer's version and the fonts it may draw with."""
        from . import raster

        drawing = map_of_region(self.svg("map", key))
        css = stylesheet()
        inputs = hashlib.sha256("\0".join((
            "png", raster.renderer_version(".png"), self.fonts(), drawing, css)).encode())

        def draw() -> str:
            with timed("render.png"):
                return base64.b64encode(raster.to_png(drawing, css)).decode("ascii")

        with timed("cache:get"):
            text = self.cache.get("png", inputs.hexdigest(), draw, valid=_is_png)
        return base64.b64decode(text)

    def fonts(self) -> str:
        """The fonts a PNG may be drawn with, read once a build."""
        if self._fonts is None:
            from .raster import fonts_fingerprint

            self._fonts = fonts_fingerprint()
        return self._fonts

    def presentation(self, key: str, back: str) -> str:
        """A journey's presentation (a page, not a chart, yet a pure function of its journey
        and persona too): kept whole, so that an unchanged build only writes it."""
        entry = self.catalog.journeys[key]
        curves = StageCurveOptions(scale=self.scale, labels=self.labels,
                                   direction=self.labels.direction, id_prefix=f"stage-{key}")
        return self._draw(render_presentation, entry.journey,
                          self.catalog.personas[entry.journey.persona].persona,
                          PresentationOptions(curves, back))

    def _roadmap(self, key: str) -> Drawing:
        view = roadmap_view(self.catalog, self.today)
        assert view is not None
        marks = [MilestoneMark(m.milestone.id, m.milestone.title, m.milestone.date, m.done,
                               len(m.refs), m.overdue) for m in view.milestones]
        return render_roadmap, (view.roadmap.title, marks, RoadmapOptions(
            labels=self.labels, direction=self.labels.direction, id_prefix="roadmap-chart",
            today=self.today))

    def _history(self, key: str) -> Drawing:
        points = [Point(r.date, r.average, r.lowest) for r in self.histories[key].revisions]
        return render_history, (self.catalog.journeys[key].journey.title, points, HistoryOptions(
            scale=self.scale, labels=self.labels, direction=self.labels.direction,
            id_prefix=f"history-{key}"))

    def _bars(self, key: str) -> Drawing:
        labels = self.labels
        groups = emotion_by({i: e.journey for i, e in self.catalog.journeys.items()},
                            "channel" if key == "channel" else "team")
        return render_emotion_bars, (
            [Bar(g.name, g.average, g.lowest, g.count) for g in groups],
            BarOptions(scale=self.scale, labels=labels, direction=labels.direction,
                       id_prefix=f"bars-{key}", what=labels(f"what_{key}"),
                       what_plural=labels(f"what_{key}_plural"),
                       count_label=labels("count_label"),
                       legend_average=labels("legend_average"),
                       legend_lowest=labels("legend_lowest")))

    # The kind in a chart's placeholder (`<!-- journeys:map:ID -->`) to what draws it.
    _INPUTS: ClassVar[dict[str, Callable[[Charts, str], Drawing]]] = {
        "map": _map, "sparkline": _sparkline, "compare": _compare, "group": _group,
        "roadmap": _roadmap, "history": _history, "bars": _bars,
    }


def describe_inputs(value: object, digests: Mapping[int, str]) -> str:
    """A renderer's arguments as deterministic text for the chart cache's key.

    Renderers are pure functions of their arguments, whose reprs are deterministic (models,
    dataclasses, Labels by language). A journey read from a file is named by its file's hash
    instead (its model is a function of those bytes, the scale and our code, which the key
    holds too): writing out its repr for every chart cost more than reading the drawing.
    """
    digest = digests.get(id(value))
    if digest is not None:
        return f"journey:{digest}"
    if is_dataclass(value) and not isinstance(value, type):
        inner = ", ".join(describe_inputs(getattr(value, f.name), digests) for f in fields(value))
        return f"{type(value).__name__}({inner})"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(describe_inputs(item, digests) for item in value) + "]"
    return repr(value)


def _is_png(text: str) -> bool:
    """Whether a stored PNG's text is base64 of a PNG (the cache is trusted for nothing)."""
    try:
        return base64.b64decode(text, validate=True).startswith(b"\x89PNG\r\n\x1a\n")
    except ValueError:
        return False


STANDALONE_HEADER = '<?xml version="1.0" encoding="utf-8"?>\n'


def standalone_map(entry: JourneyEntry, catalog: Catalog, scale: EmotionScale,
                   labels: Labels) -> str:
    """The map as a file of its own, for mail, wikis and slides: its styles go inside it."""
    svg = render_journey_map(entry.journey, map_options(entry, catalog, scale, labels))
    return STANDALONE_HEADER + with_styles(svg, stylesheet()) + "\n"


def write_standalone_maps(site_dir: Path, charts: Charts, addresses: Addresses) -> None:
    """Each journey's map as a file of its own beside its page, for the download link."""
    css = stylesheet()
    folders: set[Path] = set()
    for journey_id in charts.catalog.journeys:
        target = site_dir / addresses.map_file(journey_id)
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        svg = with_styles(map_of_region(charts.svg("map", journey_id)), css)  # the page's
        target.write_text(STANDALONE_HEADER + svg + "\n", encoding="utf-8")


def write_png_maps(site_dir: Path, charts: Charts, addresses: Addresses) -> None:
    """Each journey's map as PNG beside its SVG file (the `png` option, the renderer there)."""
    for journey_id in charts.catalog.journeys:
        target = site_dir / addresses.png_file(journey_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(charts.png(journey_id))


def write_presentations(site_dir: Path, charts: Charts, addresses: Addresses) -> None:
    """Each journey's presentation (see presentation.py) in a folder beside its page."""
    for journey_id in charts.catalog.journeys:
        target = site_dir / addresses.presentation(journey_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        back = addresses.from_presentation(journey_id, addresses.journey(journey_id))
        target.write_text(charts.presentation(journey_id, back), encoding="utf-8")


def stylesheet() -> str:
    """The plugin's stylesheet: maps, cards and tables, then the other charts."""
    assets = files(__package__).joinpath("assets")
    return "\n".join(assets.joinpath(name).read_text("utf-8")
                     for name in ("journeys.css", "charts.css"))


def script() -> str:
    """The plugin's script for journey pages: a few KB, no other script needed."""
    return files(__package__).joinpath("assets").joinpath("journeys.js").read_text("utf-8")
