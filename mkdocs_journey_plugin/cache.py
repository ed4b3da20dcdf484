"""Rendered charts and read files on disk, by a hash of everything that shapes them.

A second build (CI that keeps the folder, or `mkdocs serve` after an edit) reads only the files
that changed and draws only the charts whose journey, options or plugin code changed. The
plugin's own files, the versions of the libraries it renders with and Python's are part of
every hash, so a new version, a changed label or an upgraded library never reuses an old result.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import Any, BinaryIO

from . import __version__

SUFFIXES = (".py", ".yml", ".json", ".css", ".j2")
# What our output also depends on: an upgrade of one of these never reuses an old result.
LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "pydantic", "pydantic-core", "pyyaml",
             "svgwrite")


def _library_versions() -> str:
    versions = [sys.version]
    for name in LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} missing")
    return "\n".join(versions)


@cache
def code_fingerprint() -> str:
    """A hash of the plugin's version, its code, labels and metrics, the libraries it renders
    with and Python's version."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(_library_versions().encode())
    root = Path(str(files(__package__)))
    for path in sorted(root.rglob("*")):
        if path.suffix in SUFFIXES and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def compiled_templates(folder: Path) -> Path:
    """Where Jinja keeps compiled templates: one folder per version of our code and libraries
    (Jinja itself checks only a template's text), older ones removed."""
    current = folder / code_fingerprint()[:16]
    if folder.is_dir():
        for other in folder.iterdir():
            if other != current:
                shutil.rmtree(other, ignore_errors=True)
    current.mkdir(parents=True, exist_ok=True)
    return current


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write through a temporary file, so that a reader never sees half a file (and two builds
    sharing the folder never write into the same temporary one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as file:
            write(file)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_former_layout(folder: Path | None) -> None:
    """Before 2026-12-01 the cache held a file per entry, in folders (`models/`, `pages/` and
    `00` to `ff` for charts); this layout does not read them, so they go."""
    if folder is None or not folder.is_dir():
        return
    for child in folder.iterdir():
        if child.is_dir() and (child.name in ("models", "pages")
                               or re.fullmatch("[0-9a-f]{2}", child.name)):
            shutil.rmtree(child, ignore_errors=True)


class Shelf:
    """Every stored entry of one kind in one file, read whole when first asked for and written
    whole once the build is done.

    A file per entry cost more to open than to read (0.1 ms an open here: 1,400 of them were a
    third of a second build's plugin time at 300 journeys); one file of 12 MB reads in 25 ms.
    Entries stay bytes until asked for, so a build unpickles only what it uses.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, bytes] | None = None
        self.used: set[str] = set()
        self.changed = False
        self.saved = False  # and not changed since

    @property
    def entries(self) -> dict[str, bytes]:
        if self._entries is None:
            self._entries = self._read()
        return self._entries

    def _read(self) -> dict[str, bytes]:
        if self.path is None or not self.path.is_file():
            return {}
        try:
            found = pickle.loads(self.path.read_bytes())
        except Exception:  # a file cut short or from another Python: start afresh
            return {}
        return found if isinstance(found, dict) else {}

    def get(self, key: str) -> bytes | None:
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: str, data: bytes) -> None:
        if self.path is not None:
            self.entries[key] = data
            self.used.add(key)
            self.changed, self.saved = True, False

    def keep(self, key: str) -> None:
        """Count the entry under `key` as used by this build, so that saving keeps it."""
        if key in self.entries:
            self.used.add(key)

    def save(self, prune: bool = True) -> int:
        """Write the entries this build used (with `prune`) or all of them, and let go of them
        (a later `get` reads the file again); how many were left out, so that the file does
        not grow forever."""
        if self.path is None or self.saved or (self._entries is None and not prune):
            return 0
        kept = ({k: v for k, v in self.entries.items() if k in self.used} if prune
                else self.entries)
        left_out = len(self.entries) - len(kept)
        if self.changed or left_out:
            # Straight into the file: a pickled copy of everything first was tens of MB more.
            write_atomically(self.path, functools.partial(
                pickle.dump, kept, protocol=pickle.HIGHEST_PROTOCOL))
        self._entries, self.changed, self.saved = None, False, True
        return left_out


class ChartCache:
    """Reuses a drawing when the hash of its inputs was drawn before; counts both cases."""

    def __init__(self, folder: Path | None) -> None:
        self.shelf = Shelf(folder / "charts.pickle" if folder is not None else None)
        self.drawn: Counter[str] = Counter()  # by kind of chart
        self.reused = 0
        self.memory: dict[str, str] = {}  # this build's drawings: a sparkline shows on 3 pages

    def get(self, kind: str, inputs: str, draw: Callable[[], str]) -> str:
        """The SVG for `inputs` (a deterministic description of a renderer's arguments)."""
        if inputs in self.memory:
            self.reused += 1
            return self.memory[inputs]
        self.memory[inputs] = svg = self._load_or_draw(kind, inputs, draw)
        return svg

    def _load_or_draw(self, kind: str, inputs: str, draw: Callable[[], str]) -> str:
        key = hashlib.sha256((code_fingerprint() + inputs).encode()).hexdigest()
        found = self.shelf.get(key)
        if found is not None:
            self.reused += 1
            return found.decode("utf-8")
        svg = draw()
        self.drawn[kind] += 1
        self.shelf.put(key, svg.encode("utf-8"))
        return svg

    def summary(self) -> str:
        """'drew 3 charts (journey_map 1, sparkline 1, emotion_bars 1), reused 40'."""
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.drawn.items()))
        total = sum(self.drawn.values())
        return f"drew {total} charts{f' ({kinds})' if kinds else ''}, reused {self.reused}"

    def save(self, prune: bool = True) -> int:
        """Keep this build's drawings on disk; with `prune`, only those; how many went."""
        return self.shelf.save(prune)


class ModelCache:
    """Validated files (model, body, marks) by a hash of their bytes, kind, scale and our code;
    with kind "pages", generated pages by a hash of what they show.

    Pickled: the folder is the site's own build cache, as trusted as its content and settings.
    A file with problems is never stored, so its messages always come from a fresh reading.
    """

    def __init__(self, folder: Path | None, kind: str = "models") -> None:
        self.folder = folder
        self.shelf = Shelf(folder / f"{kind}.pickle" if folder is not None else None)
        self.reused = 0
        self.fresh = 0  # files read and validated anew, then stored

    @staticmethod
    def key(*parts: str | bytes) -> str:
        digest = hashlib.sha256(code_fingerprint().encode())
        for part in parts:
            digest.update(part.encode() if isinstance(part, str) else part)
            digest.update(b"\0")
        return digest.hexdigest()

    def get(self, key: str) -> Any:
        value = self.load(key)
        if value is not None:
            self.reused += 1
        return value

    def put(self, key: str, value: object) -> None:
        if self.folder is not None:
            self.fresh += 1
        self.store(key, value)

    def load(self, key: str) -> Any:
        """What is stored under `key`, or None; not counted (for parts of pages)."""
        found = self.shelf.get(key)
        if found is None:
            return None
        try:
            return pickle.loads(found)
        except Exception:  # stored by another version of a class: read the source again
            return None

    def store(self, key: str, value: object) -> None:
        self.shelf.put(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def keep(self, key: str) -> None:
        """Mark what is stored under `key` as used by this build, so that it is not pruned."""
        self.shelf.keep(key)

    def summary(self) -> str:
        """'read 1 content file anew, 40 unchanged from the cache'."""
        files = "file" if self.fresh == 1 else "files"
        return f"read {self.fresh} content {files} anew, {self.reused} unchanged from the cache"

    def save(self, prune: bool = True) -> int:
        """Keep what this build stored on disk; with `prune`, only what it used; how many went."""
        return self.shelf.save(prune)


def save_caches(caches: Iterable[ChartCache | ModelCache], prune: bool) -> list[str]:
    """Save each cache (see Shelf.save); what could not be written, as messages: a cache that
    cannot be written costs the next build time, not this build."""
    unsaved = []
    for kind in caches:
        try:
            kind.save(prune)
        except OSError as error:
            unsaved.append(f"journeys: the cache was not saved: {error}")
    return unsaved
