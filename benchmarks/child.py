"""One `mkdocs build`, run in this process with timers around every plugin event; JSON out.

run.py starts this script as a child process per build, so that the parent can read the child's
peak memory with os.wait4 and time it from outside, exactly as it would time `mkdocs build`.
The build runs as the `mkdocs build` command runs it (load_config, on_startup, build,
on_shutdown). Nothing in the package is edited: timers are put around the plugins' event methods
when MkDocs registers them, and the journeys plugin reports its steps, pages and renderers to
its timing hook (`mkdocs_journey_plugin.timing.recorder`), which is off in a normal build.

    python benchmarks/child.py SITE/mkdocs.yml --out result.json [--journeys]
        [--profile whole.prof] [--profile-plugin plugin.prof]
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import functools  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

TIMES: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])  # key -> [seconds, calls]
SAMPLES: dict[str, list[float]] = defaultdict(list)  # per-call seconds, for a few keys
SAMPLED = {"render.render_map_region"}  # the map as pages show it
_depth = [0]  # nesting of timed plugin events: an event calling another is counted once


PROFILER: list[Any] = []  # with --profile-plugin: a cProfile.Profile run inside plugin events


def timed(key: str, function: Callable[..., Any]) -> Callable[..., Any]:
    profiled = key.startswith("event:journeys:")

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if profiled and PROFILER:
            PROFILER[0].enable()
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent = time.perf_counter() - started
            if profiled and PROFILER:
                PROFILER[0].disable()
            entry = TIMES[key]
            entry[0] += spent
            entry[1] += 1
            if key in SAMPLED:
                SAMPLES[key].append(spent)

    priority = getattr(function, "mkdocs_priority", None)
    if priority is not None:
        wrapper.mkdocs_priority = priority  # type: ignore[attr-defined]
    return wrapper


def instrument_mkdocs() -> None:
    """Times every event method of every plugin, keyed 'event:<plugin>:<event>'."""
    from mkdocs.commands import build
    from mkdocs.plugins import CombinedEvent, PluginCollection

    register = PluginCollection._register_event

    def _register_event(self: Any, event_name: str, method: Any,
                        plugin_name: str | None = None) -> None:
        if not isinstance(method, CombinedEvent):
            method = timed(f"event:{plugin_name}:{event_name}", method)
        register(self, event_name, method, plugin_name=plugin_name)

    PluginCollection._register_event = _register_event  # type: ignore[method-assign]
    # MkDocs' own steps; each includes the plugin events it runs.
    for name in ("get_files", "_populate_page", "_build_page", "_build_theme_template",
                 "_build_extra_template"):
        if hasattr(build, name):
            setattr(build, name, timed(f"mkdocs:{name}", getattr(build, name)))


def instrument_journeys() -> list[str]:
    """Times the plugin's steps, pages and renderers through its timing hook (set before the
    plugin is loaded); returns what could not be found."""
    try:
        from mkdocs_journey_plugin import timing
    except ImportError as error:
        return [f"mkdocs_journey_plugin.timing: {error}"]

    def record(key: str, spent: float) -> None:
        entry = TIMES[key]
        entry[0] += spent
        entry[1] += 1
        if key in SAMPLED:
            SAMPLES[key].append(spent)

    timing.recorder = record
    return []


def cache_counts(config: Any) -> dict[str, Any] | None:
    """What the plugin's chart cache did, if it has one: drawn (by kind) and reused."""
    try:
        instance = config.plugins["journeys"]
    except (KeyError, TypeError):
        return None
    # The charts live in the build the plugin made in on_files (earlier: on the plugin).
    charts = getattr(getattr(instance, "build", None), "charts", None) or \
        getattr(instance, "charts", None)
    cache = getattr(charts, "cache", None)
    if cache is None:
        return None
    drawn = getattr(cache, "drawn", None)
    return {"folder": str(getattr(getattr(cache, "shelf", None), "path", None)),
            "drawn": dict(drawn) if drawn is not None else None,
            "reused": getattr(cache, "reused", None)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("--out", required=True)
    parser.add_argument("--journeys", action="store_true", help="time the journeys plugin")
    parser.add_argument("--profile", help="write cProfile stats of the build here")
    parser.add_argument("--profile-plugin", help="write cProfile stats of the journeys "
                        "plugin's events (only the time inside them) here")
    args = parser.parse_args()

    # As `mkdocs build -q`: warnings and errors on stderr, strict mode from mkdocs.yml.
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)

    imported = time.perf_counter()
    from mkdocs import config as mkdocs_config
    from mkdocs.commands import build

    instrument_mkdocs()
    missing = instrument_journeys() if args.journeys else []
    ready = time.perf_counter()

    if args.profile_plugin:
        import cProfile
        PROFILER.append(cProfile.Profile())
    profiler = None
    if args.profile:
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
    error = None
    try:
        config = mkdocs_config.load_config(config_file=args.config)
        loaded = time.perf_counter()
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build.build(config, dirty=False)
        finally:
            config.plugins.on_shutdown()
    except BaseException as exc:  # reported to the parent, which stops the benchmark
        error = f"{type(exc).__name__}: {exc}"
        loaded = loaded if "loaded" in locals() else time.perf_counter()
        config = None
    built = time.perf_counter()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    if PROFILER:
        PROFILER[0].dump_stats(args.profile_plugin)

    events = {k: v for k, v in TIMES.items() if k.startswith("event:")}
    journeys_events = sum(v[0] for k, v in events.items() if k.startswith("event:journeys:"))
    result = {
        "error": error,
        "seconds": {"imports": ready - STARTED, "startup_to_imports": imported - STARTED,
                    "load_config": loaded - ready, "build": built - loaded,
                    "total_in_process": built - STARTED},
        "journeys_events_s": journeys_events,
        "timers": {k: {"s": v[0], "calls": v[1]} for k, v in sorted(TIMES.items())},
        "samples": {k: v for k, v in SAMPLES.items()},
        "cache": cache_counts(config) if config is not None else None,
        "missing_hooks": missing,
    }
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(result, out)
    sys.exit(1 if error else 0)


if __name__ == "__main__":
    main()
