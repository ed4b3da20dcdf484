"""Rendered charts on disk, by a hash of everything that shapes them.

A second build (CI that keeps the folder, or `mkdocs serve` after an edit) draws only the charts
whose journey, options or plugin code changed. The plugin's own files are part of the hash, so
a new version, or a changed label, never reuses an old drawing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from pathlib import Path

from . import __version__

SUFFIXES = (".py", ".yml", ".json", ".css", ".j2")


@cache
def code_fingerprint() -> str:
    """A hash of the plugin's version and of its code, labels and metrics."""
    digest = hashlib.sha256(__version__.encode())
    root = Path(str(files(__package__)))
    for path in sorted(root.rglob("*")):
        if path.suffix in SUFFIXES and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class ChartCache:
    """Reuses a drawing when the hash of its inputs was drawn before; counts both cases."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.drawn: Counter[str] = Counter()  # by kind of chart
        self.reused = 0
        self.memory: dict[str, str] = {}  # this build's drawings: a sparkline shows on 3 pages
        self.used: set[Path] = set()

    def get(self, kind: str, inputs: str, draw: Callable[[], str]) -> str:
        """The SVG for `inputs` (a deterministic description of a renderer's arguments)."""
        if inputs in self.memory:
            self.reused += 1
            return self.memory[inputs]
        self.memory[inputs] = svg = self._load_or_draw(kind, inputs, draw)
        return svg

    def _load_or_draw(self, kind: str, inputs: str, draw: Callable[[], str]) -> str:
        if self.folder is None:
            self.drawn[kind] += 1
            return draw()
        key = hashlib.sha256((code_fingerprint() + inputs).encode()).hexdigest()
        path = self.folder / key[:2] / f"{key}.svg"
        self.used.add(path)
        if path.is_file():
            self.reused += 1
            return path.read_text(encoding="utf-8")
        svg = draw()
        self.drawn[kind] += 1
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(svg, encoding="utf-8")
        temporary.replace(path)  # a reader never sees half a file
        return svg

    def summary(self) -> str:
        """'drew 3 charts (journey_map 1, sparkline 1, emotion_bars 1), reused 40'."""
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.drawn.items()))
        total = sum(self.drawn.values())
        return f"drew {total} charts{f' ({kinds})' if kinds else ''}, reused {self.reused}"

    def prune(self) -> int:
        """Remove drawings this build did not use, so the folder does not grow forever."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        removed = 0
        for path in self.folder.glob("*/*.svg"):
            if path not in self.used:
                path.unlink()
                removed += 1
        return removed
