"""Models to SVG. The only code that touches svgwrite; every renderer is a pure function."""

from .bars import Bar, BarOptions, draw_emotion_bars, render_emotion_bars
from .comparison import ComparisonOptions, Series, draw_comparison, render_comparison
from .journey_map import (
    MapOptions,
    draw_journey_map,
    map_of_region,
    render_journey_map,
    render_map_region,
)
from .roadmap import MilestoneMark, RoadmapOptions, draw_roadmap, render_roadmap
from .sparkline import SparklineOptions, render_sparkline
from .svg import DrawnChart

__all__ = ["Bar", "BarOptions", "ComparisonOptions", "DrawnChart", "MapOptions",
           "MilestoneMark", "RoadmapOptions", "Series", "SparklineOptions", "draw_comparison",
           "draw_emotion_bars", "draw_journey_map", "draw_roadmap", "map_of_region",
           "render_comparison", "render_emotion_bars", "render_journey_map", "render_map_region",
           "render_roadmap", "render_sparkline"]
