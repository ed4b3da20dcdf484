"""How the plugin's cost grows with one big input: many milestones, or one long journey.

    python benchmarks/scaling.py                 # 250 and 1,000 milestones; 5,000 and 20,000
                                                 # touchpoints; seconds, not minutes
    python benchmarks/run.py --only scaling      # the same, from the benchmark's driver
    python benchmarks/scaling.py --milestones 125 250 --touchpoints 2500 5000 --no-write

Content that is valid but large must cost about in proportion to its size: each step is timed
at two sizes, and the ratio of the times is set beside the ratio of the sizes (4x when linear).
The steps run in this process, each on content generated here (seeded) into benchmarks/work/:

- a roadmap of K milestones (dates a week or so apart, titles of 2-9 words), with K
  opportunities in K/100 journeys planned for them: `validate` (the catalog read and checked,
  as `journeys validate`), the roadmap `chart` (the SVG) and the roadmap `page` (its Markdown);
- one journey of T touchpoints in a .yml file (a journey file must stay under 1 MiB), with
  short actions repeated without ids, so that the default ids are numbered on repeats:
  `validate`, the journey `map` (the standalone SVG, as `journeys render`), its `page` and its
  `figures`.

The figures go into benchmarks/scaling.json and a section of benchmarks/RESULTS.md (the rest of
that file is kept). The machine is shared: compare ratios measured in one run.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORK = HERE / "work" / "scaling"
RESULTS_MD = HERE / "RESULTS.md"
RESULTS_JSON = HERE / "scaling.json"
START, END = "<!-- scaling:start -->", "<!-- scaling:end -->"
MILESTONES = (250, 1000)
TOUCHPOINTS = (5000, 20000)
TODAY = datetime.date(2027, 1, 15)
WORDS = ("status", "updates", "everywhere", "one", "owner", "per", "ticket", "self", "service",
         "that", "works", "right", "the", "first", "time", "closing", "loop", "measured", "end",
         "to", "nobody", "waits", "in", "dark")
ACTIONS = ("Calls", "Waits", "Writes", "Asks", "Reads", "Logs in", "Chases", "Gets it",
           "Opens", "Signs")
CHANNELS = ("phone", "web", "mail", "chat", "desk")
MAX_FILE = 1 << 20  # the loader's limit for a content file


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


PERSONA = "name: Eva Kovacs\nrole: Office manager\n"


def roadmap_content(root: Path, milestones: int, seed: int = 1) -> None:
    """A roadmap of `milestones` milestones, and as many opportunities planned for them."""
    rng = random.Random(seed)
    shutil.rmtree(root, ignore_errors=True)
    _write(root / "personas" / "eva.yml", PERSONA)
    start = datetime.date(2024, 1, 1).toordinal()
    lines = ["title: Roadmap", "milestones:"]
    for number in range(1, milestones + 1):
        day = datetime.date.fromordinal(start + rng.randrange(milestones * 7))
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 9))).capitalize()
        lines += [f"  - id: m-{number}", f"    title: {title}", f"    date: {day.isoformat()}"]
    _write(root / "roadmap.yml", "\n".join(lines) + "\n")
    per_journey = 100
    for journey in range(max(1, milestones // per_journey)):
        text = ["title: Journey", "persona: eva", "stages:", "  - name: One", "    touchpoints:"]
        text += [f"      - {{id: t-{i}, action: Step {i}, channel: phone, emotion: 0}}"
                 for i in range(20)]
        text.append("opportunities:")
        for number in range(per_journey):
            status = rng.choice(("idea", "planned", "doing", "done"))
            text.append(f"  - {{id: o-{number}, title: Improve {number}, touchpoints: "
                        f"[t-{number % 20}], status: {status}, "
                        f"milestone: m-{rng.randint(1, milestones)}}}")
        _write(root / "journeys" / f"j-{journey}.yml", "\n".join(text) + "\n")


def touchpoint_content(root: Path, touchpoints: int, seed: int = 1) -> str:
    """One journey of `touchpoints` touchpoints without ids, their actions repeated."""
    rng = random.Random(seed)
    shutil.rmtree(root, ignore_errors=True)
    _write(root / "personas" / "eva.yml", PERSONA)
    stages = 10
    text = ["title: Long", "persona: eva", "teams: [Desk, Field]", "stages:"]
    for stage in range(stages):
        # Indented as little as YAML allows: 20,000 touchpoints must fit in 1 MiB.
        text += [f"- name: Stage {stage + 1}", "  touchpoints:"]
        for _ in range(touchpoints // stages):
            extra = ", team: Desk" if rng.random() < 0.1 else ""
            text.append(f"  - {{action: {rng.choice(ACTIONS)}, channel: "
                        f"{rng.choice(CHANNELS)}, emotion: {rng.randint(-2, 2)}{extra}}}")
    # References to numbered default ids, which the catalog checks.
    text.append("opportunities:")
    for number in range(1, 21):
        text.append(f"- {{title: Fix {number}, touchpoints: "
                    f"[waits-{max(2, number * touchpoints // 250)}, calls]}}")
    body = "\n".join(text) + "\n"
    if len(body.encode()) >= MAX_FILE:
        raise SystemExit(f"{touchpoints} touchpoints make a file over 1 MiB: fewer, please")
    _write(root / "journeys" / "long.yml", body)
    return "long"


def _timed(step: Callable[[], object]) -> float:
    """Seconds of one step: the fastest of up to five runs (fewer when they take a while), the
    one the other jobs on this shared machine disturbed least."""
    times: list[float] = []
    while True:
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
        if len(times) == 5 or sum(times) > 4.0:
            return min(times)


def measure_roadmap(milestones: int) -> dict[str, float]:
    from mkdocs_journey_plugin.addresses import Addresses
    from mkdocs_journey_plugin.catalog import Layout, load_catalog
    from mkdocs_journey_plugin.labels import Labels
    from mkdocs_journey_plugin.pages import PageWriter
    from mkdocs_journey_plugin.render.roadmap import MilestoneMark, RoadmapOptions, render_roadmap
    from mkdocs_journey_plugin.views import roadmap_view

    root = WORK / f"roadmap-{milestones}"
    roadmap_content(root, milestones)
    catalog, problems = load_catalog(root)
    if problems:
        raise SystemExit(f"generated roadmap content has problems: {problems[:3]}")
    view = roadmap_view(catalog, TODAY)
    assert view is not None
    marks = [MilestoneMark(m.milestone.id, m.milestone.title, m.milestone.date, m.done,
                           len(m.refs), m.overdue) for m in view.milestones]
    writer = PageWriter(catalog, Addresses(Layout()), Labels(), today=TODAY)
    return {
        "validate": _timed(lambda: load_catalog(root)),
        "chart": _timed(lambda: render_roadmap("Roadmap", marks, RoadmapOptions(today=TODAY))),
        "page": _timed(writer._roadmap_page),
    }


def measure_touchpoints(touchpoints: int) -> dict[str, float]:
    from mkdocs_journey_plugin.addresses import Addresses
    from mkdocs_journey_plugin.catalog import Layout, load_catalog
    from mkdocs_journey_plugin.charts import standalone_map
    from mkdocs_journey_plugin.figures import journey_figures
    from mkdocs_journey_plugin.labels import Labels
    from mkdocs_journey_plugin.model import EmotionScale
    from mkdocs_journey_plugin.pages import PageWriter

    root = WORK / f"touchpoints-{touchpoints}"
    journey_id = touchpoint_content(root, touchpoints)
    catalog, problems = load_catalog(root)
    if problems:
        raise SystemExit(f"generated journey has problems: {problems[:3]}")
    entry = catalog.journeys[journey_id]
    writer = PageWriter(catalog, Addresses(Layout()), Labels(), today=TODAY)
    return {
        "validate": _timed(lambda: load_catalog(root)),
        "map": _timed(lambda: standalone_map(entry, catalog, EmotionScale(), Labels())),
        "page": _timed(lambda: writer.journey_page(entry)),
        "figures": _timed(lambda: journey_figures(entry.journey)),
    }


def measure(milestones: tuple[int, ...] = MILESTONES,
            touchpoints: tuple[int, ...] = TOUCHPOINTS) -> dict[str, Any]:
    started = time.perf_counter()
    results: dict[str, Any] = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
                               "milestones": {}, "touchpoints": {}}
    for size in milestones:
        results["milestones"][str(size)] = measure_roadmap(size)
        print(f"  {size} milestones: " + ", ".join(
            f"{k} {v:.3f} s" for k, v in results["milestones"][str(size)].items()), flush=True)
    for size in touchpoints:
        results["touchpoints"][str(size)] = measure_touchpoints(size)
        print(f"  {size} touchpoints: " + ", ".join(
            f"{k} {v:.3f} s" for k, v in results["touchpoints"][str(size)].items()), flush=True)
    results["wall_s"] = time.perf_counter() - started
    return results


def section(results: dict[str, Any]) -> str:
    """The Markdown section of RESULTS.md, between markers so that it can be replaced alone."""
    lines = [START, "## Growth with one big input", "",
             f"Measured by `python benchmarks/scaling.py` on {results['date']} in "
             f"{results['wall_s']:.0f} s, in one process; the fastest of up to five runs. The "
             "growth column is the time at the larger size over the time at the smaller: about "
             "the ratio of the sizes when the step is linear.", ""]
    before = results.get("before")
    if before:
        lines += [f"Before (measured on {before['date']} in {before['wall_s']:.0f} s): "
                  f"{before.get('note') or 'an earlier version'}.", ""]
    for kind, what in (("milestones", "milestones on the roadmap"),
                       ("touchpoints", "touchpoints in one journey")):
        versions = [("before", before[kind]), ("after", results[kind])] if before and \
            before.get(kind) else [("", results[kind])]
        if not results[kind]:
            continue
        names = list(next(iter(results[kind].values())))
        lines += [f"| {what} | " + " | ".join(f"{k} s" for k in names) + " |",
                  "|---|" + "---|" * len(names)]
        for version, sizes in versions:
            keys = list(sizes)
            for size in keys:
                lines.append(f"| {int(size):,} {version} | " + " | ".join(
                    f"{sizes[size][name]:.3f}" for name in names) + " |")
            if len(keys) >= 2:
                small, large = keys[0], keys[-1]
                growth = [sizes[large][name] / max(sizes[small][name], 1e-9) for name in names]
                lines.append(f"| growth {version} ({int(large) / int(small):g}x the size) | "
                             + " | ".join(f"**{g:.1f}x**" for g in growth) + " |")
        lines.append("")
    lines.append(END)
    return "\n".join(lines) + "\n"


def write(results: dict[str, Any]) -> None:
    """scaling.json, and the section in RESULTS.md: replaced if there, else added at the end."""
    RESULTS_JSON.write_text(json.dumps(results, indent=1) + "\n")
    text = RESULTS_MD.read_text() if RESULTS_MD.exists() else "# Benchmark results\n"
    new = section(results)
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END) + "\n?", re.DOTALL)
    text = pattern.sub(lambda _: new, text) if pattern.search(text) else \
        text.rstrip("\n") + "\n\n" + new
    RESULTS_MD.write_text(text)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--milestones", type=int, nargs="*", default=list(MILESTONES))
    parser.add_argument("--touchpoints", type=int, nargs="*", default=list(TOUCHPOINTS))
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--json", type=Path, metavar="FILE",
                        help="write the figures there, not into scaling.json and RESULTS.md")
    parser.add_argument("--before", type=Path, metavar="FILE",
                        help="figures of an earlier version (from --json), shown beside these")
    parser.add_argument("--before-note", default="",
                        help="what the earlier version was, for RESULTS.md")
    args = parser.parse_args(argv)
    results = measure(tuple(args.milestones), tuple(args.touchpoints))
    if args.before:
        results["before"] = {**json.loads(args.before.read_text()), "note": args.before_note}
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    elif not args.no_write:
        write(results)
        print(f"wrote {RESULTS_JSON} and the section of {RESULTS_MD}")
    else:
        print(section(results))


if __name__ == "__main__":
    main()
