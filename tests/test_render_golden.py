"""Golden files: the maps of the example journeys, byte for byte.

After an intended change of the drawing, look at the new maps (`journeys render`), then run
`UPDATE_GOLDEN=1 make test` and commit the changed files with the change.
"""

from __future__ import annotations

import datetime
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mkdocs_journey_plugin.catalog import load_catalog
from mkdocs_journey_plugin.charts import Charts
from mkdocs_journey_plugin.labels import Labels
from mkdocs_journey_plugin.model import EmotionScale
from mkdocs_journey_plugin.render import SparklineOptions, map_of_region, render_sparkline

from .conftest import ROOT, run

GOLDEN = Path(__file__).parent / "golden"
CATALOG, PROBLEMS = load_catalog(ROOT / "content")
TODAY = datetime.date(2027, 2, 1)


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"no golden file {path}: run with UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"{name} changed"


@pytest.mark.parametrize("journey_id", sorted(CATALOG.journeys))
def test_example_map_matches_golden(journey_id: str) -> None:
    assert PROBLEMS == []
    region = Charts(CATALOG, EmotionScale(), Labels(), TODAY).svg("map", journey_id)
    check_golden(f"{journey_id}.svg", map_of_region(region))  # the drawing, as in its file


@pytest.mark.parametrize("journey_id", sorted(CATALOG.journeys))
def test_example_sparkline_matches_golden(journey_id: str) -> None:
    svg = render_sparkline(CATALOG.journeys[journey_id].journey,
                           SparklineOptions(id_prefix=f"spark-{journey_id}"))
    check_golden(f"{journey_id}.sparkline.svg", svg)


def test_compared_journey_draws_both_curves_and_a_legend() -> None:
    entry = CATALOG.journeys["new-laptop-ideal"]
    root = ET.fromstring(Charts(CATALOG, EmotionScale(), Labels(), TODAY).svg("map", entry.id))
    classes = [e.get("class", "") for e in root.iter()]
    assert "jm-curve jm-curve--compare" in classes
    legend = "".join(root.find(".//*[@class='jm-legend']").itertext())  # type: ignore[union-attr]
    assert "Compared with: Requesting a new laptop" in legend


def test_render_command_writes_a_standalone_map(tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    result = run(["mkdocs_journey_plugin.cli", "render", "content/journeys/new-laptop.md", "-o",
                  str(out)], ROOT)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    root = ET.fromstring(text)
    style = root.find(".//{http://www.w3.org/2000/svg}style")
    assert style is not None and ".jm-curve" in (style.text or "")
    assert root.get("role") == "img"
    missing = run(["mkdocs_journey_plugin.cli", "render", "content/personas/eva.md"], ROOT)
    assert missing.returncode == 1
    assert missing.stderr.startswith("content/personas/eva.md:1:1: not a journey file")
