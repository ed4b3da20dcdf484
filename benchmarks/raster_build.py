"""What PNG downloads add to a build of the example site: `png: true` against `png: false`.

    python benchmarks/raster_build.py [--rounds 5]

Each round builds the example site (mkdocs.yml of this repository, into a temporary folder)
four times, as child processes through benchmarks/child.py: without PNG and with, each a first
build (an empty cache folder) and a second (the cache that build left). Per kind: the median
wall time, CPU time of the child (user + system, from os.wait4: less shaken by other work on a
shared machine) and the plugin's own time writing the PNG files (step:write_png_maps). Results:
benchmarks/raster-build.json, and printed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def config(folder: Path, png: bool) -> Path:
    """The example site's mkdocs.yml with the png option and a cache folder of its own."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    cache = folder / ("cache-png" if png else "cache-svg")
    text, count = re.subn(r"^  - journeys:\n", "  - journeys:\n"
                          f"      png: {str(png).lower()}\n      cache_dir: {cache}\n", text,
                          count=1, flags=re.MULTILINE)
    assert count == 1
    text = re.sub(r"^docs_dir: .*$", f"docs_dir: {REPO / 'content'}", text, flags=re.MULTILINE)
    text = re.sub(r"^  custom_dir: .*$", f"  custom_dir: {REPO / 'theme_overrides'}", text,
                  flags=re.MULTILINE)
    path = folder / f"mkdocs-{'png' if png else 'svg'}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def build(mkdocs_yml: Path) -> dict[str, float]:
    out = mkdocs_yml.with_suffix(".json")
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, str(HERE / "child.py"), str(mkdocs_yml),
                              "--out", str(out), "--journeys"], cwd=mkdocs_yml.parent,
                             env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    stderr = child.stderr.read().decode() if child.stderr else ""
    assert os.waitstatus_to_exitcode(status) == 0, stderr
    result = json.loads(out.read_text())
    assert result["error"] is None, result["error"]
    png = result["timers"].get("step:write_png_maps", {"s": 0.0})["s"]
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "png_step": png}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    figures: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="raster-build-") as scratch:
        folder = Path(scratch)
        for _ in range(rounds):
            for png in (False, True):
                mkdocs_yml = config(folder, png)
                shutil.rmtree(folder / ("cache-png" if png else "cache-svg"), ignore_errors=True)
                for which in ("first", "second"):
                    figures.setdefault(f"{'png' if png else 'svg'} {which}", []).append(
                        build(mkdocs_yml))
    medians = {kind: {name: round(statistics.median(r[name] for r in runs), 3)
                      for name in ("wall", "cpu", "png_step")}
               for kind, runs in figures.items()}
    for kind, values in medians.items():
        print(f"{kind:12} wall {values['wall']:.2f} s  cpu {values['cpu']:.2f} s  "
              f"PNG step {values['png_step']:.3f} s")
    (HERE / "raster-build.json").write_text(json.dumps(
        {"rounds": rounds, "medians": medians}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
