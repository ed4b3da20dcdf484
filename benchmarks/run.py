"""The benchmark: the plugin's site against plain Markdown pages, side by side in one run.

    python benchmarks/run.py            # N = 100, 300, 1000 journeys of M = 20 touchpoints
    python benchmarks/run.py --quick    # N = 20, 60, one repetition: a smoke run
    python benchmarks/run.py --profile 300   # where the plugin's time goes, N = 300
    python benchmarks/run.py --only scaling  # growth with one big input (benchmarks/scaling.py)

For each N it generates a site with the `journeys` plugin and a baseline site of plain Markdown
pages holding the same text and tables (benchmarks/generate.py, seeded), then runs
`mkdocs build` of each as a child process, plugin and baseline interleaved, repeated, medians.
It measures the wall time and the peak memory (ru_maxrss of the child, from os.wait4) of each
build, the plugin's own share (its events, timed inside the build by benchmarks/child.py) and
the render time of each journey map, then a second build after one journey changed. In Chromium
it measures bytes transferred and the time until the map is painted on a journey page, against
the same journey drawn by Mermaid's `journey` diagram, with mermaid.min.js fetched from the npm
registry into benchmarks/work/ and served, like everything else here, from 127.0.0.1.

The machine is shared and noisy: only ratios of figures measured side by side in this run mean
anything. Results: benchmarks/results.json and benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import hashlib
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Callable
from functools import partial
from html import escape as html_escape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"
sys.path.insert(0, str(HERE))

import scaling  # noqa: E402
from generate import (  # noqa: E402
    DEFAULT_SEED,
    SOURCE_DATE_EPOCH,
    change_one_emotion,
    generate,
    generate_baseline,
    journey_file,
    make_data,
)

PACKAGE = "mkdocs_journey_plugin"
TARGETS = {"ratio_at_300": 1.25, "second_build_fraction": 0.1, "paint_speedup": 10.0,
           "bytes_fraction": 1 / 20}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 # Nothing but 127.0.0.1 resolves: the browser cannot reach anything else.
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
MERMAID_SPEC = "mermaid@11"
TIME_LIMIT_S = 15 * 60
BROWSER_S = 75  # the Chromium part, with its N = 1 build


class BenchError(RuntimeError):
    pass


def log(message: str) -> None:
    print(message, flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --- the machine and the code -----------------------------------------------------------------


def _command_output(*command: str) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=60,
                              check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def code_hash() -> str:
    """A hash of the plugin package's files: tells whether the code changed during the run."""
    digest = hashlib.sha256()
    root = REPO / PACKAGE
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    versions: dict[str, str | None] = {}
    for name in ("mkdocs", "mkdocs-material", "mkdocs-journey-plugin", "pydantic", "PyYAML",
                 "Jinja2", "Markdown", "svgwrite", "playwright"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    status = _command_output("git", "-C", str(REPO), "status", "--porcelain", "--", PACKAGE)
    return {
        "nproc": os.cpu_count(),
        "nproc_command": _command_output("nproc"),
        "cpu": cpu,
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "chromium": _command_output(CHROMIUM, "--version"),
        "node": _command_output("node", "--version"),
        "npm": _command_output("npm", "--version"),
        "git_head": _command_output("git", "-C", str(REPO), "rev-parse", "--short", "HEAD"),
        "package_changes_uncommitted": len(status.splitlines()),
        "code_hash_start": code_hash(),
    }


def cache_option() -> dict[str, Any]:
    """Whether the plugin has a `cache_dir` option: then the benchmark gives it a folder."""
    probe = ("import json\nfrom mkdocs_journey_plugin.config import JourneysConfig\n"
             "schema = dict(getattr(JourneysConfig, '_schema', []))\n"
             "print(json.dumps({'cache_dir': 'cache_dir' in schema, 'cache': 'cache' in schema,"
             " 'default': str(getattr(schema.get('cache_dir'), 'default', None))}))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=False, cwd=REPO)
    try:
        found: dict[str, Any] = json.loads(result.stdout)
    except json.JSONDecodeError:
        found = {"cache_dir": False, "error": result.stderr.strip()[-500:]}
    return found


# --- builds -----------------------------------------------------------------------------------


def build(site: Path, plugin: bool, tag: str, profile: Path | None = None,
          profile_plugin: Path | None = None) -> dict[str, Any]:
    """`mkdocs build` of a site in a child process: wall time, peak RSS and the child's timers."""
    out = WORK / "runs" / f"{tag}.json"
    err = WORK / "runs" / f"{tag}.stderr"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    command = [sys.executable, str(HERE / "child.py"), str(site / "mkdocs.yml"), "--out", str(out)]
    if plugin:
        command.append("--journeys")
    if profile:
        command += ["--profile", str(profile)]
    if profile_plugin:
        command += ["--profile-plugin", str(profile_plugin)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    with open(err, "wb") as stderr:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=site, stdout=subprocess.DEVNULL, stderr=stderr,
                                 env=env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    result: dict[str, Any] = {}
    if out.exists():
        result = json.loads(out.read_text())
    if child.returncode != 0 or result.get("error"):
        tail = err.read_text(errors="replace")[-3000:]
        raise BenchError(f"build {tag} failed (exit {child.returncode}): "
                         f"{result.get('error')}\n{tail}")
    result.update(wall_s=wall, peak_rss_mb=usage.ru_maxrss / 1024, user_s=usage.ru_utime,
                  sys_s=usage.ru_stime, tag=tag)
    return result


def count_pages(site: Path) -> int:
    return sum(1 for _ in (site / "site").rglob("*.html")) - 1  # without 404.html


def map_render_ms(result: dict[str, Any]) -> tuple[float | None, float | None, int]:
    """Mean and median milliseconds per journey map drawn in a build, and how many."""
    timer = result.get("timers", {}).get("render.render_map_region")
    samples = result.get("samples", {}).get("render.render_map_region", [])
    if not timer or not timer["calls"]:
        return None, None, 0
    return (timer["s"] / timer["calls"] * 1000, median(samples) * 1000 if samples else None,
            timer["calls"])


def seconds_left(budget: float, started: float) -> float:
    return budget - (time.perf_counter() - started)


def measure_size(n: int, touchpoints: int, reps: int, seed: int, cache: dict[str, Any],
                 seconds_left: Callable[[], float] | None = None) -> dict[str, Any]:
    """Both sites of N journeys, built `reps` times each, then the plugin's second build.

    With `seconds_left` (the time budget), a repetition after the first is made only when it
    and the second build still fit, judged by the builds of this N so far.
    """
    data = make_data(n, touchpoints, seed)
    plugin_site = WORK / "sites" / f"plugin-n{n}"
    baseline_site = WORK / "sites" / f"baseline-n{n}"
    cache_dir = WORK / "cache" / f"n{n}"
    options = {"cache_dir": str(cache_dir)} if cache.get("cache_dir") else {}
    generate(plugin_site, data=data, plugin_options=options)
    generate_baseline(baseline_site, data=data)
    sizes = {"journeys": len(data.journeys), "personas": len(data.personas),
             "touchpoints_per_journey": touchpoints,
             "content_bytes_plugin": sum(p.stat().st_size for p in
                                         (plugin_site / "content").rglob("*") if p.is_file()),
             "content_bytes_baseline": sum(p.stat().st_size for p in
                                           (baseline_site / "content").rglob("*")
                                           if p.is_file())}
    runs: dict[str, list[dict[str, Any]]] = {"plugin": [], "baseline": []}
    first_hash = ""
    skipped = 0
    for rep in range(reps):
        if rep and seconds_left is not None:
            plugin_s = max(r["wall_s"] for r in runs["plugin"])
            baseline_s = max(r["wall_s"] for r in runs["baseline"])
            if seconds_left() < 2 * plugin_s + baseline_s:  # this pair and the second build
                skipped = reps - rep
                log(f"  (time budget: {rep} repetition(s) of N={n}, not {reps})")
                break
        # Alternate the order (P B, B P, ...) so that drift on this shared machine hits both.
        order = ["plugin", "baseline"] if rep % 2 == 0 else ["baseline", "plugin"]
        for kind in order:
            if kind == "plugin":
                shutil.rmtree(cache_dir, ignore_errors=True)  # a cold build, every time
                first_hash = code_hash()
                result = build(plugin_site, True, f"n{n}-plugin-{rep + 1}")
                log(f"  N={n} plugin   #{rep + 1}: {result['wall_s']:6.2f} s, "
                    f"{result['peak_rss_mb']:6.0f} MB, plugin events "
                    f"{result['journeys_events_s']:6.2f} s")
            else:
                result = build(baseline_site, False, f"n{n}-baseline-{rep + 1}")
                log(f"  N={n} baseline #{rep + 1}: {result['wall_s']:6.2f} s, "
                    f"{result['peak_rss_mb']:6.0f} MB")
            runs[kind].append(result)
    sizes["pages_plugin"] = count_pages(plugin_site)
    sizes["pages_baseline"] = count_pages(baseline_site)
    sizes["site_bytes_plugin"] = sum(p.stat().st_size for p in (plugin_site / "site").rglob("*")
                                     if p.is_file())
    sizes["site_bytes_baseline"] = sum(p.stat().st_size for p in
                                       (baseline_site / "site").rglob("*") if p.is_file())

    # The second build: one emotion of one journey changed, the cache folder (if any) kept from
    # the last cold build above, as CI that keeps the folder between runs.
    changed = change_one_emotion(plugin_site, data)
    before = code_hash()
    try:
        second = build(plugin_site, True, f"n{n}-plugin-second")
    finally:
        journey = next(j for j in data.journeys if changed.endswith(f"/{j['id']}.md"))
        Path(changed).write_text(journey_file(journey), "utf-8")
    log(f"  N={n} second build: {second['wall_s']:6.2f} s, plugin events "
        f"{second['journeys_events_s']:6.2f} s, cache {second.get('cache')}")
    # The cache key holds the plugin's code: an edit of the package between the two builds
    # (another engineer at work) makes the second build draw everything again.
    second["code_changed_since_first"] = first_hash != before or before != code_hash()
    return {"n": n, "sizes": sizes, "runs": runs, "second": second, "skipped_reps": skipped,
            "changed_file": str(Path(changed).relative_to(plugin_site)),
            "cache_option": bool(cache.get("cache_dir"))}


def summarise_size(size: dict[str, Any]) -> dict[str, Any]:
    plugin, baseline = size["runs"]["plugin"], size["runs"]["baseline"]
    p_wall = median([r["wall_s"] for r in plugin])
    b_wall = median([r["wall_s"] for r in baseline])
    p_events = median([r["journeys_events_s"] for r in plugin])
    means = [m for m in (map_render_ms(r)[0] for r in plugin) if m is not None]
    medians = [m for m in (map_render_ms(r)[1] for r in plugin) if m is not None]
    pairs = [p["wall_s"] / b["wall_s"] for p, b in zip(plugin, baseline, strict=False)]
    second = size["second"]
    timers = ["event:journeys:files", "event:journeys:page_context", "event:journeys:post_build",
              "event:journeys:config", "event:journeys:nav", "step:load_catalog",
              "step:read_histories", "pages:all_pages", "step:finish_page",
              "step:write_standalone_maps", "step:write_presentations", "render.render_map_region",
              "render.render_presentation", "render.render_sparkline", "render.render_comparison",
              "cache:get",
              "pages:journey_page", "pages:backlog_page", "pages:tag_page",
              "pages:journey_index", "pages:roadmap_page", "pages:insights_page",
              "markup.render_markdown", "event:material/search:page_context",
              "mkdocs:_populate_page", "mkdocs:_build_page", "mkdocs:_build_theme_template"]
    breakdown = {}
    for key in timers:
        values = [r["timers"][key]["s"] for r in plugin if key in r.get("timers", {})]
        if values:
            breakdown[key] = median(values)
    base_breakdown = {}
    for key in ("event:material/search:page_context", "mkdocs:_populate_page",
                "mkdocs:_build_page", "mkdocs:_build_theme_template"):
        values = [r["timers"][key]["s"] for r in baseline if key in r.get("timers", {})]
        if values:
            base_breakdown[key] = median(values)
    # The second build's own events: what remains when (almost) everything comes from the cache.
    second_breakdown = {key: second["timers"][key]["s"] for key in timers
                        if key in second.get("timers", {}) and not key.startswith(
                            ("mkdocs:", "event:material"))}
    # Python's start and the imports (the plugin's package with pydantic, svgwrite, ...).
    breakdown["startup and imports"] = median([r["seconds"]["imports"] for r in plugin])
    base_breakdown["startup and imports"] = median([r["seconds"]["imports"] for r in baseline])
    return {
        "n": size["n"],
        "pages_plugin": size["sizes"]["pages_plugin"],
        "pages_baseline": size["sizes"]["pages_baseline"],
        "reps": len(plugin),
        "plugin_build_s": p_wall,
        "baseline_build_s": b_wall,
        "ratio": p_wall / b_wall,
        "ratio_per_pair": pairs,
        "plugin_events_s": p_events,
        "plugin_share": median([r["journeys_events_s"] / r["wall_s"] for r in plugin]),
        "map_render_ms_mean": median(means) if means else None,
        "map_render_ms_median": median(medians) if medians else None,
        "peak_mb_plugin": median([r["peak_rss_mb"] for r in plugin]),
        "peak_mb_baseline": median([r["peak_rss_mb"] for r in baseline]),
        "second_build_s": second["wall_s"],
        "second_plugin_events_s": second["journeys_events_s"],
        "second_fraction": second["journeys_events_s"] / p_events if p_events else None,
        "second_cache": second.get("cache"),
        "second_code_changed": second.get("code_changed_since_first", False),
        "first_cache": plugin[-1].get("cache"),
        "plugin_breakdown_s": breakdown,
        "baseline_breakdown_s": base_breakdown,
        "second_breakdown_s": second_breakdown,
    }


# --- Chromium: our map against Mermaid's journey diagram --------------------------------------


def fetch_mermaid() -> dict[str, Any]:
    """mermaid.min.js from the npm registry's `mermaid` package, into benchmarks/work/."""
    folder = WORK / "mermaid"
    script = folder / "mermaid.min.js"
    manifest = folder / "package.json"
    if not script.exists() or not manifest.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        log(f"fetching {MERMAID_SPEC} from the npm registry (npm pack)...")
        packed = subprocess.run(["npm", "pack", MERMAID_SPEC, "--json", "--silent"], cwd=folder,
                                capture_output=True, text=True, check=False, timeout=600)
        if packed.returncode != 0:
            raise BenchError(f"npm pack {MERMAID_SPEC} failed: {packed.stderr[-2000:]}")
        tarball = folder / json.loads(packed.stdout)[0]["filename"]
        with tarfile.open(tarball) as archive:
            for name, target in (("package/dist/mermaid.min.js", script),
                                 ("package/package.json", manifest)):
                member = archive.extractfile(name)
                if member is None:
                    raise BenchError(f"{tarball.name} has no {name}")
                target.write_bytes(member.read())
        tarball.unlink()
    version = json.loads(manifest.read_text())["version"]
    raw = script.read_bytes()
    return {"version": version, "bytes": len(raw), "gzip_bytes": len(gzip.compress(raw, 6)),
            "path": str(script)}


def _svg_at(html: str, css_class: str) -> tuple[int, int]:
    """Start and end of the first <svg> element with `css_class`, nested <svg> included."""
    found = re.search(r'<svg\b[^>]*\bclass="(?:[^"]*\s)?' + re.escape(css_class) + r'(?:\s[^"]*)?"',
                      html)
    if found is None:
        raise BenchError(f"no <svg class={css_class}> in the journey page")
    start = found.start()
    depth = 0
    for match in re.finditer(r"<svg\b|</svg>", html[start:]):
        depth += 1 if match.group(0) == "<svg" else -1
        if depth == 0:
            return start, start + match.end()
    raise BenchError("unbalanced <svg> in the journey page")


def mermaid_source(journey: dict[str, Any]) -> str:
    """The journey as a Mermaid `journey` diagram: sections are stages, scores 1-5 from -2..2.

    Backstage touchpoints have no score (the customer does not see them) and Mermaid's syntax
    needs one, so they are left out; actors are the touchpoint's team.
    """
    def clean(text: str) -> str:
        return re.sub(r"[:;#\n]", " ", text).strip()

    lines = ["journey", f"    title {clean(journey['title'])}"]
    for stage in journey["stages"]:
        steps = [t for t in stage["touchpoints"] if "emotion" in t]
        if not steps:
            continue
        lines.append(f"    section {clean(stage['name'])}")
        for tp in steps:
            emotion = tp["emotion"]
            value = sum(emotion) / len(emotion) if isinstance(emotion, list) else emotion
            score = max(1, min(5, round(value + 3)))
            lines.append(f"      {clean(tp['action'])}: {score}: {clean(tp.get('team', 'Me'))}")
    return "\n".join(lines) + "\n"


MERMAID_RUN = ('<script src="{src}"></script>\n<script>mermaid.initialize({{startOnLoad: false}});'
               ' mermaid.run({{querySelector: "pre.mermaid"}});</script>\n')


def prepare_pages(folder: Path, seed: int, touchpoints: int,
                  mermaid: dict[str, Any]) -> dict[str, Any]:
    """An N=1 site built with the plugin, and beside its journey page the same page with the
    map drawn by Mermaid instead, plus a bare page of each (the chart alone, no theme)."""
    data = make_data(1, touchpoints, seed)
    site = folder / "site-n1"
    generate(site, data=data, plugin_options={"cache": False} if cache_option().get("cache")
             else {})
    build(site, True, "browser-n1-build")
    root = site / "site"
    journey = data.journeys[0]
    page = root / "journeys" / journey["id"] / "index.html"
    html = page.read_text("utf-8")
    start, end = _svg_at(html, "journey-map")
    svg = html[start:end]
    diagram = f'<pre class="mermaid">\n{mermaid_source(journey)}</pre>'
    shutil.copy(mermaid["path"], root / "mermaid.min.js")
    # The same page, the map replaced by Mermaid's diagram (same theme, table, text).
    with_mermaid = html[:start] + diagram + html[end:]
    with_mermaid = with_mermaid.replace("</body>", MERMAID_RUN.format(src="../../mermaid.min.js")
                                        + "</body>", 1)
    (page.parent / "mermaid.html").write_text(with_mermaid, "utf-8")
    bare = root / "bare"
    bare.mkdir(exist_ok=True)
    head = '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{}</title>\n'
    (bare / "ours.html").write_text(
        head.format("journey map") + '<link rel="stylesheet" href="../assets/journeys/'
        'journeys.css">\n</head><body>\n' + svg + "\n</body></html>\n", "utf-8")
    (bare / "mermaid.html").write_text(
        head.format("mermaid journey") + "</head><body>\n" + diagram + "\n"
        + MERMAID_RUN.format(src="../mermaid.min.js") + "</body></html>\n", "utf-8")
    # Two yardsticks for the paint times: a page of one line of text (the soonest this browser
    # paints any text here) and our map without its texts (what the texts cost).
    (bare / "floor.html").write_text(
        head.format("one line") + "</head><body>\n<p id=\"floor\">"
        + html_escape(journey["title"]) + "</p>\n</body></html>\n", "utf-8")
    (bare / "ours-no-text.html").write_text(
        (bare / "ours.html").read_text("utf-8").replace(
            svg, re.sub(r"<text\b.*?</text>", "", svg, flags=re.S)), "utf-8")
    base = f"journeys/{journey['id']}/"
    return {
        "root": root,
        "journey": journey["id"],
        "svg_bytes": len(svg.encode()),
        "mermaid_source": mermaid_source(journey),
        "variants": {
            # Opened at the map's heading, as from the table of contents: the map is below
            # the fold of a 1280x800 window otherwise (persona card, facts, figures first).
            "ours_page": (base + "#journey-map", "svg.journey-map"),
            "mermaid_page": (base + "mermaid.html#journey-map", "pre.mermaid svg"),
            "ours_bare": ("bare/ours.html", "svg.journey-map"),
            "mermaid_bare": ("bare/mermaid.html", "pre.mermaid svg"),
            "floor_bare": ("bare/floor.html", "#floor"),
            "ours_bare_no_text": ("bare/ours-no-text.html", "svg.journey-map"),
        },
    }


class _Counting:
    """A write-through file that counts what the server sends."""

    def __init__(self, raw: Any, handler: _Handler) -> None:
        self.raw = raw
        self.handler = handler

    def write(self, data: bytes) -> int:
        self.handler.sent += len(data)
        return int(self.raw.write(data))

    def flush(self) -> None:
        self.raw.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


class _Handler(SimpleHTTPRequestHandler):
    sent = 0

    def setup(self) -> None:
        super().setup()
        self.sent = 0
        self.wfile = _Counting(self.wfile, self)  # type: ignore[assignment]

    def finish(self) -> None:
        super().finish()
        with self.server.lock:  # type: ignore[attr-defined]
            self.server.served.append((getattr(self, "path", "?"), self.sent))  # type: ignore

    def log_message(self, format: str, *args: Any) -> None:
        pass


PAINT_SCRIPT = """
(() => {
  const selector = %s;
  const bench = window.__bench = {found: null, frame: null, painted: null};
  const check = () => {
    if (bench.found !== null) return true;
    const element = document.querySelector(selector);
    if (!element) return false;
    bench.found = performance.now();
    // The frame that draws it starts in the next requestAnimationFrame; the one after that
    // starts once that frame is painted: "painted" is the second (the usual double rAF).
    requestAnimationFrame(() => {
      bench.frame = performance.now();
      requestAnimationFrame(() => { bench.painted = performance.now(); });
    });
    return true;
  };
  const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
  observer.observe(document, {childList: true, subtree: true});
})();
"""


def measure_browser(pages: dict[str, Any], runs: int) -> dict[str, Any]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    root: Path = pages["root"]
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(root)))
    server.lock = threading.Lock()  # type: ignore[attr-defined]
    server.served = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}/"
    gzipped: dict[str, int] = {}

    def gzip_size(path: str) -> int:
        clean = path.split("?", 1)[0].lstrip("/")
        target = root / clean
        if target.is_dir():
            target = target / "index.html"
        if clean not in gzipped:
            gzipped[clean] = len(gzip.compress(target.read_bytes(), 6)) if target.is_file() else 0
        return gzipped[clean]

    results: dict[str, list[dict[str, Any]]] = {name: [] for name in pages["variants"]}
    offsite: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=CHROMIUM_ARGS)
            names = list(pages["variants"])
            for run in range(runs + 1):  # run 0 warms the OS file cache; not counted
                order = names[run % len(names):] + names[:run % len(names)]
                for name in order:
                    path, selector = pages["variants"][name]
                    context = browser.new_context(viewport={"width": 1280, "height": 800})
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                    encoded = [0]
                    urls: list[str] = []
                    cdp.on("Network.loadingFinished",
                           lambda e, encoded=encoded: encoded.__setitem__(
                               0, encoded[0] + int(e.get("encodedDataLength", 0))))
                    cdp.on("Network.requestWillBeSent",
                           lambda e, urls=urls: urls.append(e["request"]["url"]))
                    page.add_init_script(PAINT_SCRIPT % json.dumps(selector))
                    with server.lock:  # type: ignore[attr-defined]
                        server.served.clear()  # type: ignore[attr-defined]
                    try:
                        page.goto(origin + path, wait_until="load", timeout=60_000)
                        page.wait_for_function(
                            "window.__bench && window.__bench.painted !== null", timeout=60_000)
                        page.wait_for_load_state("networkidle", timeout=60_000)
                    except PlaywrightError as error:
                        raise BenchError(f"{name} ({origin + path}): never painted "
                                         f"{selector}: {error}") from None
                    bench = page.evaluate("window.__bench")
                    fcp = page.evaluate("(performance.getEntriesByName('first-contentful-paint')"
                                        "[0] || {}).startTime || null")
                    drawn = page.evaluate(
                        "(s) => { const e = document.querySelector(s); return e ? "
                        "{bytes: e.outerHTML.length, texts: e.querySelectorAll('text').length}"
                        " : null }", selector)
                    if run == 1:
                        page.screenshot(path=str(WORK / "browser" / f"{name}.png"))
                    context.close()
                    time.sleep(0.2)  # let the server finish counting the last response
                    with server.lock:  # type: ignore[attr-defined]
                        served = list(server.served)  # type: ignore[attr-defined]
                    offsite += [u for u in urls if not u.startswith(("http://127.0.0.1",
                                                                     "data:", "blob:"))]
                    if run == 0:
                        continue
                    results[name].append({
                        "found_ms": bench["found"], "frame_ms": bench["frame"],
                        "painted_ms": bench["painted"],
                        "fcp_ms": fcp, "bytes_server": sum(b for _, b in served),
                        "bytes_cdp": encoded[0], "requests": len(served),
                        "gzip_body_bytes": sum(gzip_size(p) for p, _ in served),
                        "paths": sorted(p for p, _ in served), "drawn": drawn})
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    summary: dict[str, Any] = {"origin": origin, "runs": runs, "offsite_requests": offsite,
                               "svg_bytes": pages["svg_bytes"], "variants": {}}
    for name, items in results.items():
        summary["variants"][name] = {
            "painted_ms": median([i["painted_ms"] for i in items]),
            "found_ms": median([i["found_ms"] for i in items]),
            "frame_ms": median([i["frame_ms"] for i in items]),
            "fcp_ms": median([i["fcp_ms"] for i in items if i["fcp_ms"] is not None]),
            "bytes": median([i["bytes_server"] for i in items]),
            "bytes_cdp": median([i["bytes_cdp"] for i in items]),
            "gzip_body_bytes": median([i["gzip_body_bytes"] for i in items]),
            "requests": median([i["requests"] for i in items]),
            "paths": items[-1]["paths"],
            "drawn": items[-1]["drawn"],
            "painted_ms_all": [i["painted_ms"] for i in items],
        }
    v = summary["variants"]
    for pair, ours, theirs in (("page", "ours_page", "mermaid_page"),
                               ("bare", "ours_bare", "mermaid_bare")):
        summary[f"{pair}_paint_speedup"] = v[theirs]["painted_ms"] / v[ours]["painted_ms"]
        summary[f"{pair}_bytes_fraction"] = v[ours]["bytes"] / v[theirs]["bytes"]
        summary[f"{pair}_gzip_fraction"] = v[ours]["gzip_body_bytes"] / v[theirs][
            "gzip_body_bytes"]
    return summary


# --- the profile ------------------------------------------------------------------------------

AREAS = [  # (area, substring of the code's file path), first match wins
    ("journeys: text measuring", f"{PACKAGE}/render/text.py"),
    ("journeys: render (drawing)", f"{PACKAGE}/render/"),
    ("journeys: loading (YAML reader, errors)", f"{PACKAGE}/loading.py"),
    ("journeys: loading (YAML reader, errors)", f"{PACKAGE}/yaml_reader.py"),
    ("journeys: loading (YAML reader, errors)", f"{PACKAGE}/problems.py"),
    ("journeys: model", f"{PACKAGE}/model.py"),
    ("journeys: pages", f"{PACKAGE}/pages.py"),
    ("journeys: pages", f"{PACKAGE}/views.py"),
    ("journeys: pages", f"{PACKAGE}/islands.py"),
    ("journeys: pages", f"{PACKAGE}/charts.py"),  # as when charts were in pages.py
    ("journeys: cache", f"{PACKAGE}/cache.py"),
    ("journeys: other", f"{PACKAGE}/"),
    ("journeys templates (Jinja)", "templates/"),
    ("PyYAML", "/yaml/"),
    ("pydantic", "/pydantic"),
    ("Jinja2", "/jinja2/"),
    ("MarkupSafe", "/markupsafe/"),
    ("svgwrite", "/svgwrite/"),
    ("Markdown", "/markdown/"),
    ("Material (search, theme)", "/material/"),
    ("MkDocs", "/mkdocs/"),
    ("Python: re", "/re/"),
    ("Python: html.parser", "/html/"),
    ("Python: xml/etree", "/xml/"),
    ("Python: other stdlib", "/lib/python3"),
    ("built-in functions", "~"),
]


def area_of(filename: str) -> str:
    for area, marker in AREAS:
        if marker in filename:
            return area
    return "other: " + filename.rsplit("/", 1)[-1]


def summarise_profile(path: Path, top: int = 25) -> dict[str, Any]:
    stats = pstats.Stats(str(path))
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in raw.values())
    by_area: dict[str, float] = {}
    rows = []
    for (filename, line, function), (_cc, calls, tottime, cumtime, _callers) in raw.items():
        area = area_of(filename if filename != "~" else "~")
        by_area[area] = by_area.get(area, 0.0) + tottime
        short = filename.split("site-packages/")[-1].split(f"{REPO}/")[-1]
        rows.append({"function": f"{short}:{line}({function})", "calls": calls,
                     "tottime": tottime, "cumtime": cumtime, "area": area})
    return {
        "total_s": total,
        "by_area": sorted(([a, s] for a, s in by_area.items()), key=lambda x: -x[1]),
        "top_tottime": sorted(rows, key=lambda r: -r["tottime"])[:top],
        "top_cumtime_journeys": [r for r in sorted(rows, key=lambda r: -r["cumtime"])
                                 if PACKAGE in r["function"]][:top],
    }


def run_profile(n: int, touchpoints: int, seed: int) -> None:
    """cProfile of one plugin build: the whole build, then inside the plugin's events only."""
    data = make_data(n, touchpoints, seed)
    site = WORK / "sites" / f"profile-n{n}"
    cache = cache_option()
    cache_dir = WORK / "cache" / f"profile-n{n}"
    generate(site, data=data,
             plugin_options={"cache_dir": str(cache_dir)} if cache.get("cache_dir") else {})
    out: dict[str, Any] = {"n": n, "touchpoints": touchpoints, "code_hash": code_hash()}
    for kind in ("plugin_events", "whole_build"):
        shutil.rmtree(cache_dir, ignore_errors=True)
        prof = WORK / f"profile-n{n}-{kind}.prof"
        log(f"profiling N={n}: {kind.replace('_', ' ')} (cold cache)...")
        result = build(site, True, f"profile-n{n}-{kind}",
                       profile=prof if kind == "whole_build" else None,
                       profile_plugin=prof if kind == "plugin_events" else None)
        out[kind] = {"wall_s": result["wall_s"], "plugin_events_s": result["journeys_events_s"],
                     **summarise_profile(prof)}
    (WORK / f"profile-n{n}.json").write_text(json.dumps(out, indent=1))
    for kind in ("plugin_events", "whole_build"):
        summary = out[kind]
        log(f"\n== {kind.replace('_', ' ')}, N={n}: wall {summary['wall_s']:.1f} s under "
            f"cProfile, profiled {summary['total_s']:.1f} s ==")
        log("own time by area:")
        for area, seconds in summary["by_area"][:16]:
            log(f"  {seconds:7.2f} s {seconds / summary['total_s']:6.1%}  {area}")
        log("top functions by own time:")
        for row in summary["top_tottime"][:20]:
            log(f"  {row['tottime']:7.2f} s {row['calls']:>9}  {row['function']}")
        if kind == "plugin_events":
            log("plugin functions by cumulative time:")
            for row in summary["top_cumtime_journeys"][:20]:
                log(f"  {row['cumtime']:7.2f} s {row['calls']:>9}  {row['function']}")
    log(f"\nprofiles: {WORK}/profile-n{n}-*.prof (python -m pstats), summary profile-n{n}.json")


# --- the report -------------------------------------------------------------------------------


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "NOT met")


def report(results: dict[str, Any]) -> str:
    m = results["machine"]
    rows = results["sizes"]
    cache_note = ("the plugin has `cache_dir`: a folder under benchmarks/work/cache"
                  if results["cache_option"].get("cache_dir") else "no cache yet")
    lines = [
        "# Benchmark results", "",
        f"Produced by `{results['command']}` on {results['date']} in "
        f"{results['total_wall_s'] / 60:.1f} minutes.", "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory']} RAM, {m['os']}; "
        f"shared and noisy, so only the ratios of figures measured side by side in this run "
        f"mean anything. Python {m['python']}; "
        + ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v) + f"; {m['chromium']}"
        + (f"; Mermaid {results['browser']['mermaid']['version']}" if results.get("browser")
           else "") + ".", "",
        f"Code: git {m['git_head']} with {m['package_changes_uncommitted']} uncommitted "
        f"change(s) in the package; package hash {m['code_hash_start']} at the start, "
        f"{results['code_hash_end']} at the end"
        + (" (THE PACKAGE CHANGED DURING THE RUN)" if results["code_hash_end"]
           != m["code_hash_start"] else "") + ".", "",
        f"Content: seed {results['seed']}, M = {results['touchpoints']} touchpoints per journey, "
        "about N/10 personas, 3-8 opportunities per journey, a roadmap of 8 milestones. "
        "Baseline: the same text as plain Markdown pages (a page per journey with the same "
        "facts as tables and lists, a page per persona, an index and a roadmap page), same "
        "theme (Material, `font: false`) and search, no `journeys` plugin. Builds run as "
        f"`mkdocs build` in a child process, plugin and baseline interleaved; medians of "
        f"{min((r['reps'] for r in rows), default=0)}+ repetitions; every plugin build starts "
        f"with an empty chart cache ({cache_note}).",
        "",
        "## Build time and memory", "",
        "| N | pages plugin / baseline | plugin build s | baseline build s | ratio | "
        "ratio per pair | plugin share | plugin events s | map render ms / journey | "
        "peak MB plugin / baseline |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        render = (f"{r['map_render_ms_mean']:.1f}" if r["map_render_ms_mean"] is not None
                  else "n/a")
        lines.append(
            f"| {r['n']} | {r['pages_plugin']} / {r['pages_baseline']} | "
            f"{r['plugin_build_s']:.2f} | {r['baseline_build_s']:.2f} | **{r['ratio']:.2f}** | "
            f"{', '.join(f'{x:.2f}' for x in r['ratio_per_pair'])} | {r['plugin_share']:.0%} | "
            f"{r['plugin_events_s']:.2f} | {render} | "
            f"{r['peak_mb_plugin']:.0f} / {r['peak_mb_baseline']:.0f} |")
    growth = results.get("growth")
    if growth:
        lines += ["", f"Growth from N = {growth['from']} to {growth['to']} "
                  f"({growth['to'] / growth['from']:.2f}x the journeys): plugin site "
                  f"{growth['plugin']:.2f}x, baseline (MkDocs' own) {growth['baseline']:.2f}x."]
    lines += ["", "Plugin share: the time of the `journeys` plugin's own events inside the "
              "build (on_files, on_page_context, ...), over the build's wall time. The rest of the "
              "difference is MkDocs and Material working on the pages the plugin adds (tag, "
              "team backlog, insights pages) and on bigger pages.", "",
              "## Second build after one journey changed", "",
              "One emotion of one journey file changed, then `mkdocs build` again with the cache "
              "folder kept from the first build (as CI keeping it between runs).", "",
              "| N | first build: plugin events s | second build: plugin events s | second / "
              "first | second build wall s | charts drawn / reused (second build) |",
              "|---|---|---|---|---|---|"]
    for r in rows:
        cache = r.get("second_cache") or {}
        drawn = cache.get("drawn")
        counts = (f"{sum(drawn.values())} / {cache.get('reused')}" if drawn is not None
                  else "no cache yet")
        if not results["cache_option"].get("cache_dir"):
            counts = "no cache yet"
        if r.get("second_code_changed"):
            counts += " (the package changed between the builds)"
        lines.append(f"| {r['n']} | {r['plugin_events_s']:.2f} | "
                     f"{r['second_plugin_events_s']:.2f} | **{r['second_fraction']:.2f}** | "
                     f"{r['second_build_s']:.2f} | {counts} |")
    browser = results.get("browser")
    if browser:
        v = browser["variants"]
        lines += ["", "## In Chromium: our map against Mermaid's `journey` diagram", "",
                  f"One journey of {results['touchpoints']} touchpoints (N = 1 site). "
                  f"Headless Chromium, browser cache off, a fresh context per load, served from "
                  f"127.0.0.1 by Python's http.server (no compression); medians of "
                  f"{browser['runs']} loads each, interleaved. Painted: the first frame after "
                  "the chart's element exists (`svg.journey-map`; Mermaid: the `svg` inside "
                  "`pre.mermaid`): the second requestAnimationFrame after it (the first starts "
                  "the frame that draws it, the second the frame after that one was painted), "
                  "from navigation start; 'chart in the DOM' is when the element appeared. "
                  "Mermaid runs with `mermaid.run()` right after its script, not at the load "
                  "event (its fastest). Backstage steps are left out of Mermaid's diagram: they "
                  "have no score. The journey page is opened at `#journey-map`, as from its "
                  "table of contents (the map is below the fold of the 1280x800 window "
                  "otherwise); the Mermaid page is the same HTML with the map's `<svg>` "
                  "replaced by `<pre class=\"mermaid\">` and the script. Bytes are counted by "
                  "the server (Chromium's own count misses the search worker's requests); "
                  "gzip bytes are the served files gzipped (level 6), what a compressing "
                  "server would send.", "",
                  "| page | chart in the DOM ms | painted ms | first contentful paint ms | "
                  "bytes | gzip bytes | requests |", "|---|---|---|---|---|---|---|"]
        labels = {"ours_page": "journey page, our map (Material)",
                  "mermaid_page": "same page, Mermaid's diagram (Material + mermaid.min.js)",
                  "ours_bare": "bare: our SVG + the plugin's stylesheet",
                  "mermaid_bare": "bare: Mermaid's diagram + mermaid.min.js",
                  "floor_bare": "yardstick: a page of one line of text",
                  "ours_bare_no_text": "yardstick: our bare SVG without its texts"}
        for name, label in labels.items():
            if name not in v:
                continue
            x = v[name]
            lines.append(f"| {label} | {x['found_ms']:.0f} | {x['painted_ms']:.0f} | "
                         f"{x['fcp_ms']:.0f} | "
                         f"{x['bytes']:,} | {x['gzip_body_bytes']:,} | {x['requests']:.0f} |")
        lines += ["", "Ours against Mermaid's: the chart alone is painted "
                  f"**{browser['bare_paint_speedup']:.1f}x** sooner with "
                  f"**1/{1 / browser['bare_bytes_fraction']:.1f}** of the bytes "
                  f"(gzip: 1/{1 / browser['bare_gzip_fraction']:.1f}); the journey page "
                  f"**{browser['page_paint_speedup']:.1f}x** sooner with "
                  f"**1/{1 / browser['page_bytes_fraction']:.1f}** of the bytes "
                  f"(gzip: 1/{1 / browser['page_gzip_fraction']:.1f}). The map's SVG is "
                  f"{browser['svg_bytes']:,} bytes; mermaid.min.js "
                  f"{browser['mermaid']['bytes']:,} bytes ({browser['mermaid']['gzip_bytes']:,} "
                  "gzipped). Material's frame (the page without the map: HTML, CSS, "
                  "JavaScript, search index) is "
                  f"{v['ours_page']['bytes'] - browser['svg_bytes']:,} bytes of the journey "
                  "page, the same with either chart. Requests outside 127.0.0.1: "
                  f"{len(browser['offsite_requests'])}."]
        if "floor_bare" in v:
            needed = v["mermaid_bare"]["painted_ms"] / TARGETS["paint_speedup"]
            lines += ["", "What 10x would take: Mermaid's chart alone is painted at "
                      f"{v['mermaid_bare']['painted_ms']:.0f} ms, so 10x sooner is "
                      f"{needed:.0f} ms. On this machine a page of one line of text is painted "
                      f"at {v['floor_bare']['painted_ms']:.0f} ms, and our map without its "
                      f"texts at {v['ours_bare_no_text']['painted_ms']:.0f} ms: its "
                      f"{v['ours_bare']['drawn']['texts']} texts (the page's first use of a "
                      "font) take the rest. Mermaid's journey page is painted at "
                      f"{v['mermaid_page']['painted_ms']:.0f} ms (10x: "
                      f"{v['mermaid_page']['painted_ms'] / TARGETS['paint_speedup']:.0f} ms), "
                      "while Material's page itself is first painted (first contentful paint) "
                      f"at {v['ours_page']['fcp_ms']:.0f} ms with our map and "
                      f"{v['mermaid_page']['fcp_ms']:.0f} ms with Mermaid's."]
    lines += ["", "## Targets", "", "| target | figure | |", "|---|---|---|"]
    for t in results["targets"]:
        lines.append(f"| {t['target']} | {t['figure']} | {verdict(t['met'])} |")
    if results.get("notes"):
        lines += ["", "## Notes", "", *(f"- {n}" for n in results["notes"])]
    breakdown_rows = [r for r in rows if r.get("plugin_breakdown_s")]
    if breakdown_rows:
        keys = list(breakdown_rows[-1]["plugin_breakdown_s"])
        lines += ["", "## Where the plugin build's time goes (seconds, medians)", "",
                  "Timers nest: `step:load_catalog` and `pages:all_pages` (with `pages:*` and "
                  "`markup.render_markdown`) are inside `event:journeys:files`; `render.*`, "
                  "`cache:get` and `step:finish_page` inside `event:journeys:page_context` "
                  "(charts are drawn when a page's placeholder is swapped); MkDocs' "
                  "`_build_page` holds search's `page_context` and the plugin's. "
                  "Baseline figures in brackets.", "",
                  "| timer | " + " | ".join(f"N = {r['n']}" for r in breakdown_rows) + " |",
                  "|---|" + "---|" * len(breakdown_rows)]
        for key in keys:
            cells = []
            for r in breakdown_rows:
                value = r["plugin_breakdown_s"].get(key)
                base = r["baseline_breakdown_s"].get(key)
                cell = "" if value is None else f"{value:.2f}"
                if base is not None:
                    cell += f" ({base:.2f})"
                cells.append(cell)
            lines.append(f"| `{key}` | " + " | ".join(cells) + " |")
    second_rows = [r for r in rows if r.get("second_breakdown_s")]
    if second_rows:
        keys = [k for k in second_rows[-1]["second_breakdown_s"]
                if any(r["second_breakdown_s"].get(k, 0) >= 0.005 for r in second_rows)]
        lines += ["", "## Where the second build's plugin time goes (seconds)", "",
                  "The build after one journey changed, with the cache kept; the same timers.",
                  "", "| timer | " + " | ".join(f"N = {r['n']}" for r in second_rows) + " |",
                  "|---|" + "---|" * len(second_rows)]
        for key in keys:
            cells = [f"{r['second_breakdown_s'][key]:.2f}" if key in r["second_breakdown_s"]
                     else "" for r in second_rows]
            lines.append(f"| `{key}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    rows = {r["n"]: r for r in results["sizes"]}
    out = []
    r300 = rows.get(300)
    out.append({"target": "build ratio at N = 300 at most 1.25",
                "figure": f"{r300['ratio']:.2f}" if r300 else "not measured",
                "met": r300["ratio"] <= TARGETS["ratio_at_300"] if r300 else None})
    growth = results.get("growth")
    out.append({"target": "growth from N = 300 to 1000 no worse than MkDocs' own",
                "figure": (f"{growth['plugin']:.2f}x against {growth['baseline']:.2f}x "
                           f"(N = {growth['from']} to {growth['to']})") if growth
                else "not measured",
                "met": (growth["plugin"] <= growth["baseline"]
                        if growth and (growth["from"], growth["to"]) == (300, 1000) else None)})
    judged = r300 or (results["sizes"][-1] if results["sizes"] else None)
    if judged:
        fractions = ", ".join(f"{r['second_fraction']:.2f} at N = {r['n']}"
                              for r in results["sizes"])
        cache_note = "" if results["cache_option"].get("cache_dir") else " (no cache yet)"
        out.append({"target": "second build's plugin time at most a tenth of the first's",
                    "figure": fractions + cache_note,
                    "met": judged["second_fraction"] <= TARGETS["second_build_fraction"]})
    browser = results.get("browser")
    if browser:
        # The chart alone is what each way of drawing a map costs; on the journey page,
        # Material's own CSS, JavaScript and search index (the same in both) come on top.
        for pair, what in (("bare", "the chart alone"), ("page", "the journey page")):
            speedup = browser[f"{pair}_paint_speedup"]
            v = browser["variants"]
            needed = v[f"mermaid_{pair}"]["painted_ms"] / TARGETS["paint_speedup"]
            yardstick = ""
            if pair == "bare" and "floor_bare" in v:
                yardstick = (f"; 10x: {needed:.0f} ms, a page of one line of text: "
                             f"{v['floor_bare']['painted_ms']:.0f} ms")
            elif pair == "page":
                yardstick = (f"; 10x: {needed:.0f} ms, Material's first paint: "
                             f"{v['ours_page']['fcp_ms']:.0f} ms")
            out.append({"target": f"map painted at least 10x sooner than Mermaid's ({what})",
                        "figure": f"{speedup:.1f}x{yardstick}",
                        "met": speedup >= TARGETS["paint_speedup"]})
        for pair, what in (("bare", "the chart alone"), ("page", "the journey page")):
            fraction = browser[f"{pair}_bytes_fraction"]
            gz = browser[f"{pair}_gzip_fraction"]
            out.append({"target": f"at most a twentieth of Mermaid's bytes ({what})",
                        "figure": f"1/{1 / fraction:.1f} (gzip 1/{1 / gz:.1f})",
                        "met": fraction <= TARGETS["bytes_fraction"]})
    return out


def print_summary(results: dict[str, Any]) -> None:
    log("")
    log(f"{'N':>5} | {'plugin s':>8} | {'base s':>7} | {'ratio':>5} | {'share':>5} | "
        f"{'map ms':>6} | {'peak MB plugin/base':>19} | {'2nd/1st':>7}")
    for r in results["sizes"]:
        render = f"{r['map_render_ms_mean']:.1f}" if r["map_render_ms_mean"] else "n/a"
        log(f"{r['n']:>5} | {r['plugin_build_s']:8.2f} | {r['baseline_build_s']:7.2f} | "
            f"{r['ratio']:5.2f} | {r['plugin_share']:5.0%} | {render:>6} | "
            f"{r['peak_mb_plugin']:8.0f} / {r['peak_mb_baseline']:<8.0f} | "
            f"{r['second_fraction']:7.2f}")
    growth = results.get("growth")
    if growth:
        log(f"growth N={growth['from']}->{growth['to']}: plugin {growth['plugin']:.2f}x, "
            f"baseline {growth['baseline']:.2f}x")
    if not results["cache_option"].get("cache_dir"):
        log("second build: no cache yet (the plugin has no `cache_dir` option)")
    browser = results.get("browser")
    if browser:
        v = browser["variants"]
        for name in ("ours_page", "mermaid_page", "ours_bare", "mermaid_bare"):
            log(f"{name:>13}: painted {v[name]['painted_ms']:7.0f} ms, "
                f"{v[name]['bytes']:>10,} bytes ({v[name]['gzip_body_bytes']:>9,} gzip), "
                f"{v[name]['requests']:.0f} requests")
        log(f"Mermaid/ours: page painted {browser['page_paint_speedup']:.1f}x sooner, bytes "
            f"1/{1 / browser['page_bytes_fraction']:.1f}; bare "
            f"{browser['bare_paint_speedup']:.1f}x, 1/{1 / browser['bare_bytes_fraction']:.1f}")
    log("")
    for t in results["targets"]:
        log(f"[{verdict(t['met']):>7}] {t['target']}: {t['figure']}")
    log(f"\ntotal {results['total_wall_s'] / 60:.1f} min; results in {results['files']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: N = 20, 60, one repetition, 3 browser loads")
    parser.add_argument("--sizes", type=int, nargs="+", help="numbers of journeys N")
    parser.add_argument("--touchpoints", type=int, default=20, help="M, per journey")
    parser.add_argument("--reps", type=int, help="repetitions of each build (default 3; 2 at "
                        "N >= 1000)")
    parser.add_argument("--browser-runs", type=int, help="page loads per variant (default 7)")
    parser.add_argument("--budget-minutes", type=float, default=15,
                        help="build a large N fewer times (never less than once, and say so) "
                        "when the run would take longer; 0: no limit (default 15)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium part")
    parser.add_argument("--browser-only", action="store_true",
                        help="only the Chromium part (no builds); writes nothing but prints")
    parser.add_argument("--profile", type=int, metavar="N",
                        help="only profile one plugin build of N journeys with cProfile")
    parser.add_argument("--only", choices=["scaling"],
                        help="scaling: only the growth with 1,000 milestones and 20,000 "
                        "touchpoints (seconds; its section of RESULTS.md)")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    if args.only == "scaling":
        scaling.write(scaling.measure())
        return
    (WORK / "browser").mkdir(exist_ok=True)
    if args.profile:
        run_profile(args.profile, args.touchpoints, args.seed)
        return

    if args.browser_only:
        fetched = fetch_mermaid()
        pages = prepare_pages(WORK / "browser", args.seed, args.touchpoints, fetched)
        browser = measure_browser(pages, args.browser_runs or 3)
        browser["mermaid"] = fetched
        print(json.dumps({k: v for k, v in browser.items() if k != "variants"}, indent=1))
        for name, variant in browser["variants"].items():
            print(name, {k: v for k, v in variant.items() if k != "paths"})
        return

    started = time.perf_counter()
    sizes = args.sizes or ([20, 60] if args.quick else [100, 300, 1000])
    command = "python benchmarks/run.py" + "".join(f" {a}" for a in sys.argv[1:])
    info = machine()
    cache = cache_option()
    log(f"machine: {info['nproc']} cores, {info['cpu']}; code {info['git_head']} "
        f"(+{info['package_changes_uncommitted']} uncommitted), hash {info['code_hash_start']}")
    log("chart cache: " + ("`cache_dir` option found; a folder under benchmarks/work/cache"
                           if cache.get("cache_dir") else "no cache yet (no `cache_dir`)"))
    mermaid: dict[str, Any] | None = None
    if not args.no_browser:
        mermaid = fetch_mermaid()  # first: a network problem shows before the long builds
        log(f"mermaid {mermaid['version']}: {mermaid['bytes']:,} bytes")
    measured: list[dict[str, Any]] = []
    notes: list[str] = []
    budget = args.budget_minutes * 60
    for n in sizes:
        reps = args.reps or (1 if args.quick else (2 if n >= 1000 else 3))
        log(f"N = {n}, M = {args.touchpoints}: {reps} repetition(s)")
        # Where time allows: the largest N may be built fewer times (never less than once,
        # and the report says so) rather than the run going over budget.
        left = None
        if budget and not args.reps and n == sizes[-1]:
            left = partial(seconds_left, float(budget) - (0 if args.no_browser else BROWSER_S),
                           started)
        measured.append(measure_size(n, args.touchpoints, reps, args.seed, cache, left))
        if measured[-1]["skipped_reps"]:
            done = reps - measured[-1]["skipped_reps"]
            notes.append(f"N = {n} was built {done} time(s) each, not {reps}: another pair of "
                         f"builds would have taken the run over {args.budget_minutes:g} "
                         "minutes.")
        log(f"  ... {(time.perf_counter() - started) / 60:.1f} min so far")
    rows = [summarise_size(size) for size in measured]
    results: dict[str, Any] = {
        "command": command, "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "seed": args.seed, "touchpoints": args.touchpoints, "machine": info,
        "cache_option": cache, "sizes": rows, "notes": notes,
    }
    if len(rows) >= 2:
        a, b = rows[-2], rows[-1]
        results["growth"] = {"from": a["n"], "to": b["n"],
                             "plugin": b["plugin_build_s"] / a["plugin_build_s"],
                             "baseline": b["baseline_build_s"] / a["baseline_build_s"]}
    if mermaid is not None:
        browser_started = time.perf_counter()
        log("Chromium: our map against Mermaid's journey diagram...")
        pages = prepare_pages(WORK / "browser", args.seed, args.touchpoints, mermaid)
        browser = measure_browser(pages, args.browser_runs or (3 if args.quick else 7))
        browser["mermaid"] = mermaid
        browser["mermaid_source"] = pages["mermaid_source"]
        results["browser"] = browser
        browser["wall_s"] = time.perf_counter() - browser_started
    results["code_hash_end"] = code_hash()
    if results["code_hash_end"] != info["code_hash_start"]:
        results["notes"].append("The plugin's code changed while the benchmark ran: the "
                                "figures mix versions. Run it again on a quiet tree.")
    results["total_wall_s"] = time.perf_counter() - started
    if results["total_wall_s"] > TIME_LIMIT_S and not args.quick:
        results["notes"].append(f"The run took {results['total_wall_s'] / 60:.1f} minutes, "
                                f"over the {TIME_LIMIT_S // 60} minutes allowed; the plugin "
                                "builds at the largest N are what takes the time.")
    results["targets"] = targets(results)
    results_json = HERE / ("results-quick.json" if args.quick else "results.json")
    results_md = HERE / ("RESULTS-quick.md" if args.quick else "RESULTS.md")
    results["files"] = f"{results_md} and {results_json}"
    results_json.write_text(json.dumps(results, indent=1, default=str) + "\n")
    results_md.write_text(report(results) + kept_history(results_md))
    if not args.quick:  # a section of its own in RESULTS.md, measured now too (seconds)
        log("Growth with one big input (benchmarks/scaling.py)...")
        scaling.write(scaling.measure())
    print_summary(results)


HISTORY = re.compile(r"<!-- history:start -->.*?<!-- history:end -->\n?", re.DOTALL)


def kept_history(results_md: Path) -> str:
    """The history section of the results file, carried over when a run writes it anew."""
    found = HISTORY.search(results_md.read_text()) if results_md.exists() else None
    return "\n" + found.group(0) if found else ""


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        sys.exit(1)
