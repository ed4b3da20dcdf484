"""What metrics and data files cost: reading a site's content with 10,000 and 100,000 rows of
dated values against the same site without them, and what a build redraws when one row changes.

    python benchmarks/metrics_join.py [--journeys 100] [--rounds 5]

A generated site (benchmarks/generate.py) gets a metrics.yml of three metrics and data files
of monthly values per touchpoint. Each round reads the content with `load_catalog` once per
variant, the variants in turn (the machine is shared: a ratio measured side by side holds
where seconds do not), and the peak memory of one reading is taken with tracemalloc. Then
`mkdocs build` runs twice (first and second build, as child processes) on the site with
100,000 rows, a row's value is changed, and the third build's log says what it drew again.
Results: benchmarks/metrics-join.json, and printed.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import generate  # noqa: E402

from mkdocs_journey_plugin.catalog import load_catalog  # noqa: E402

METRICS = """\
metrics:
  - {id: csat, name: Customer satisfaction, unit: "%", min: 0, max: 100, target: 80}
  - {id: fcr, name: First-contact resolution, unit: "%", min: 0, max: 100, target: 70}
  - {id: answer-time, name: Time to answer, unit: min, min: 0, better: lower, target: 5}
"""


def write_data(content: Path, rows: int, seed: int = 7) -> None:
    """`rows` dated values over the site's touchpoints, a file per 10,000 rows."""
    rng = random.Random(seed)
    folder = content / "data"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.csv"):
        old.unlink()
    catalog, problems = load_catalog(content)
    assert not problems, problems[:3]
    places = [(i, t.id) for i, e in catalog.journeys.items() for t in e.journey.touchpoints]
    metrics = ["csat", "fcr", "answer-time"]
    lines, taken = [], set()
    while len(lines) < rows:
        journey, touchpoint = rng.choice(places)
        metric = rng.choice(metrics)
        day = f"{rng.randint(2019, 2026)}-{rng.randint(1, 12):02d}-01"
        if (journey, touchpoint, metric, day) in taken:
            continue
        taken.add((journey, touchpoint, metric, day))
        value = rng.uniform(1, 15) if metric == "answer-time" else rng.uniform(40, 100)
        lines.append(f"{day},{journey},,{touchpoint},{metric},{value:.1f}\n")
    for number in range(0, rows, 10_000):
        (folder / f"desk-{number // 10_000:02d}.csv").write_text(
            "date,journey,stage,touchpoint,metric,value\n" + "".join(lines[number:number + 10_000]),
            encoding="utf-8")


def read_time(content: Path) -> float:
    gc.collect()
    started = time.perf_counter()
    _, problems = load_catalog(content)
    elapsed = time.perf_counter() - started
    assert not problems, problems[:3]
    return elapsed


def peak_memory(content: Path) -> int:
    gc.collect()
    tracemalloc.start()
    load_catalog(content)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def build(site: Path) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site,
                            capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    line = re.search(r"journeys: drew .*", result.stderr)
    return time.perf_counter() - started, line.group(0) if line else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        variants: dict[str, Path] = {}
        for name, rows in (("no data", 0), ("10k rows", 10_000), ("100k rows", 100_000)):
            site = Path(scratch) / name.replace(" ", "-")
            generate(site, journeys=arguments.journeys, touchpoints=20)
            (site / "content" / "metrics.yml").write_text(METRICS, encoding="utf-8")
            if rows:
                write_data(site / "content", rows)
            variants[name] = site
        times: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(arguments.rounds):
            for name, site in variants.items():
                times[name].append(read_time(site / "content"))
        medians = {name: statistics.median(values) for name, values in times.items()}
        memory = {name: peak_memory(site / "content") for name, site in variants.items()}
        site = variants["100k rows"]
        first, _ = build(site)
        second, second_log = build(site)
        data = site / "content" / "data" / "desk-00.csv"
        lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
        cells = lines[1].rstrip("\n").split(",")
        lines[1] = ",".join([*cells[:-1], "99.9" if cells[-1] != "99.9" else "98.9"]) + "\n"
        data.write_text("".join(lines), encoding="utf-8")
        third, third_log = build(site)
    base = medians["no data"]
    result = {
        "journeys": arguments.journeys, "touchpoints_each": 20, "rounds": arguments.rounds,
        "load_catalog_s": medians,
        "load_catalog_ratio": {name: value / base for name, value in medians.items()},
        "peak_memory_mib": {name: value / 2 ** 20 for name, value in memory.items()},
        "build_100k_s": {"first": first, "second": second, "one_row_changed": third},
        "second_build": second_log, "after_one_row_changed": third_log,
    }
    (HERE / "metrics-join.json").write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
