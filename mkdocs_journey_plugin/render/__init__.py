"""Models to SVG. The only code that touches svgwrite; every renderer is a pure function."""

from .journey_map import MapOptions, draw_journey_map, render_journey_map
from .sparkline import SparklineOptions, render_sparkline

__all__ = ["MapOptions", "SparklineOptions", "draw_journey_map", "render_journey_map",
           "render_sparkline"]
