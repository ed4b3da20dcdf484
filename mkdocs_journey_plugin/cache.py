"""Rendered charts and read files on disk, by a hash of everything that shapes them.

A second build (CI that keeps the folder, or `mkdocs serve` after an edit) reads only the files
that changed and draws only the charts whose journey, options or plugin code changed. The
plugin's own files, the versions of the libraries it renders with and Python's are part of
every hash, so a new version, a changed label or an upgraded library never reuses an old result.

The folder is data only (JSON values, a checksum per entry) and is trusted for nothing: CI caches
are shared between builds of pull requests and of the published site, so nothing in it may run or
break a build. An entry that does not check out or does not validate is made anew, a folder
that cannot be written or goes away is an info line, never a failed build. A checksum is not a
signature, though: an entry forged with a right checksum is taken (see the authors' guide).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import secrets
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from types import CodeType
from typing import Any, BinaryIO, TypeVar

from jinja2.bccache import Bucket, BytecodeCache

from . import __version__

SUFFIXES = (".py", ".yml", ".json", ".css", ".js", ".j2")
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


class CompiledTemplates(BytecodeCache):
    """Compiled templates in this process's memory, for the next build of `mkdocs serve`.

    Not on disk: a compiled template is code that Jinja runs (even the header of its file is
    read in a format that can call code), so a file planted in a shared cache folder would run
    during a build. Compiling
    our templates takes about 0.13 s a build; that is the price of a cache that holds only data.
    """

    def __init__(self) -> None:
        self.codes: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.codes.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:  # Jinja's hash of the source
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self.codes[bucket.key] = (bucket.checksum, bucket.code)


COMPILED_TEMPLATES = CompiledTemplates()


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write through a temporary file, so that a reader never sees half a file (and two builds
    sharing the folder never write into the same temporary one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with temporary.open("wb") as file:
            write(file)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_former_layout(folder: Path | None) -> None:
    """Files of earlier layouts of the cache folder, which this one never reads: a file per entry
    in folders (`models/`, `pages/` and `00` to `ff` for charts), a file per kind in a format
    that could run code (`models`, `pages` and `charts`, not `.json`), and compiled templates
    (`templates/`)."""
    if folder is None:
        return
    try:  # another build may remove the folder, or these files, at the same time
        children = list(folder.iterdir())
    except OSError:
        return
    for child in children:
        if child.is_dir() and (child.name in ("models", "pages", "templates")
                               or re.fullmatch("[0-9a-f]{2}", child.name)):
            shutil.rmtree(child, ignore_errors=True)
        elif child.stem in ("models", "pages", "charts") and child.suffix != ".json":
            child.unlink(missing_ok=True)


FORMAT = "mkdocs-journey-plugin cache"
VERSION = 1


def canonical(value: object) -> str:
    """The JSON text of `value` on one line, as stored (and checksummed)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def checksum(key: str, text: str | bytes) -> str:
    """What an entry is checked against: a hash of its key and its text together, so that an
    entry changed, cut short or moved to another key is not taken for the one it was."""
    digest = hashlib.sha256(f"{key}\0".encode())
    digest.update(text.encode() if isinstance(text, str) else text)
    return digest.hexdigest()


class Shelf:
    """Every stored entry of one kind in one file, read whole when first asked for and written
    whole once the build is done.

    A file per entry cost more to open than to read (0.1 ms an open here: 1,400 of them were a
    third of a second build's plugin time at 300 journeys); one file of 12 MB reads in 25 ms.

    The file holds data only, in lines: `{"format": ..., "version": 1}`, then an entry a line,
    `key checksum json`, its JSON the canonical text of its value (an SVG drawing's text, a
    model's fields) and its checksum that of its key and that text. Entries stay text until
    asked for, so a build checks and decodes only what it uses, and writes back what it did
    not change as it read it (one JSON document of it all took ten times as long as the
    file of the former format, most of it escaping and unescaping pages and drawings). An entry
    that does not check out is left out and made anew, and a file without that first line is
    ignored whole. Either is said once (see `notes`), and the next save writes the file
    afresh: a damaged cache heals.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, tuple[str, bytes]] | None = None  # (checksum, JSON text)
        self.used: set[str] = set()
        self.changed = False
        self.saved = False  # and not changed since
        self.rejected = 0  # entries that did not check out, since the last notes
        self.ignored: str | None = None  # why the file was ignored whole

    @property
    def entries(self) -> dict[str, tuple[str, bytes]]:
        if self._entries is None:
            self._entries = self._read()
        return self._entries

    def _read(self) -> dict[str, tuple[str, bytes]]:
        if self.path is None:
            return {}
        try:
            data = self.path.read_bytes()
        except OSError:  # none yet, or removed by another build a moment ago
            return {}
        try:
            lines = data.split(b"\n")  # bytes: decoding what a build does not use cost
            header = json.loads(lines[0])
        except (ValueError, RecursionError):  # cut short, or not ours at all
            return self._ignore("it does not start with a cache's first line")
        if header != {"format": FORMAT, "version": VERSION}:
            return self._ignore(f"it is not a cache of version {VERSION}")
        entries: dict[str, tuple[str, bytes]] = {}
        for line in lines[1:]:
            key, _, rest = line.partition(b" ")
            total, _, text = rest.partition(b" ")
            if key.isalnum() and len(total) == 64 and total.isalnum() and text:
                entries[key.decode()] = (total.decode(), text)
            elif line:
                self.rejected += 1
                self.changed = True
        return entries

    def _ignore(self, why: str) -> dict[str, tuple[str, bytes]]:
        self.ignored, self.changed = why, True
        return {}

    def get(self, key: str) -> Any:
        """The value stored under `key` if it checks out and is JSON, else None."""
        found = self.entries.get(key)
        if found is None:
            return None
        try:
            if checksum(key, found[1]) != found[0]:
                raise ValueError("does not check out")
            value = json.loads(found[1])
        except (ValueError, RecursionError):
            self.reject(key)
            return None
        self.used.add(key)
        return value

    def reject(self, key: str) -> None:
        """Leave out the entry under `key`: it did not check out, or not load."""
        if self.entries.pop(key, None) is not None:
            self.rejected += 1
            self.changed, self.saved = True, False
        self.used.discard(key)

    def put(self, key: str, value: object) -> None:
        """Store `value`, JSON data (dicts, lists, text, numbers)."""
        if self.path is not None:
            try:
                text = canonical(value).encode()
            except ValueError:  # text that UTF-8 cannot hold (a lone surrogate): not stored
                return
            self.entries[key] = (checksum(key, text), text)
            self.used.add(key)
            self.changed, self.saved = True, False

    def keep(self, key: str) -> None:
        """Count the entry under `key` as used by this build, so that saving keeps it."""
        if key in self.entries:
            self.used.add(key)

    def notes(self) -> list[str]:
        """What was wrong with the file or its entries, once: info, not a warning (the build
        is right all the same)."""
        notes = []
        if self.ignored is not None:
            notes.append(f"journeys: the cache file {self.path} was ignored ({self.ignored}); "
                         "it is written anew")
        if self.rejected:
            entries = "entry" if self.rejected == 1 else "entries"
            notes.append(f"journeys: {self.rejected} {entries} of the cache file {self.path} "
                         "did not check out; made anew")
        self.ignored, self.rejected = None, 0
        return notes

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
            write_atomically(self.path, functools.partial(_write_shelf, kept))
        self._entries, self.changed, self.saved = None, False, True
        return left_out


def _write_shelf(entries: dict[str, tuple[str, bytes]], file: BinaryIO) -> None:
    # A line at a time: the whole file as one string first was tens of MB more at its peak.
    file.write(json.dumps({"format": FORMAT, "version": VERSION}).encode() + b"\n")
    for key, (total, text) in entries.items():
        file.write(f"{key} {total} ".encode() + text + b"\n")


class ChartCache:
    """Reuses a drawing when the hash of its inputs was drawn before; counts both cases."""

    def __init__(self, folder: Path | None) -> None:
        self.shelf = Shelf(folder / "charts.json" if folder is not None else None)
        self.drawn: Counter[str] = Counter()  # by kind of chart
        self.reused = 0
        self.memory: dict[str, str] = {}  # this build's drawings: a sparkline shows on 3 pages

    def get(self, kind: str, inputs: str, draw: Callable[[], str],
            valid: Callable[[str], bool] | None = None) -> str:
        """The SVG for `inputs` (a deterministic description of a renderer's arguments); a
        stored one only when `valid` takes it (a PNG's text must decode)."""
        if inputs in self.memory:
            self.reused += 1
            return self.memory[inputs]
        self.memory[inputs] = svg = self._load_or_draw(kind, inputs, draw, valid)
        return svg

    def _load_or_draw(self, kind: str, inputs: str, draw: Callable[[], str],
                      valid: Callable[[str], bool] | None = None) -> str:
        key = hashlib.sha256((code_fingerprint() + inputs).encode()).hexdigest()
        found = self.shelf.get(key)
        if isinstance(found, str) and (valid is None or valid(found)):
            self.reused += 1
            return found
        if found is not None:  # checked out, yet not a drawing: made by other code
            self.shelf.reject(key)
        svg = draw()
        self.drawn[kind] += 1
        self.shelf.put(key, svg)
        return svg

    def summary(self) -> str:
        """'drew 3 charts (journey_map 1, sparkline 1, emotion_bars 1), reused 40'."""
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.drawn.items()))
        total = sum(self.drawn.values())
        return f"drew {total} charts{f' ({kinds})' if kinds else ''}, reused {self.reused}"

    def save(self, prune: bool = True) -> int:
        """Keep this build's drawings on disk; with `prune`, only those; how many went."""
        return self.shelf.save(prune)


T = TypeVar("T")


class ModelCache:
    """Validated files (model, body, marks) by a hash of their bytes, kind, scale and our code.

    Entries are JSON, and what comes back is checked by the caller's `decode` (a model is
    validated again, as if read from its file): an entry that does not decode is a miss, so
    the file is read again. A file with problems is never stored, so its messages always come
    from a fresh reading.
    """

    FILE = "models.json"  # in the cache folder

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.shelf = Shelf(folder / self.FILE if folder is not None else None)
        self.reused = 0
        self.fresh = 0  # files read and validated anew, then stored

    @staticmethod
    def key(*parts: str | bytes) -> str:
        digest = hashlib.sha256(code_fingerprint().encode())
        for part in parts:
            digest.update(part.encode() if isinstance(part, str) else part)
            digest.update(b"\0")
        return digest.hexdigest()

    def get(self, key: str, decode: Callable[[Any], T | None]) -> T | None:
        value = self.load(key, decode)
        if value is not None:
            self.reused += 1
        return value

    def put(self, key: str, value: object) -> None:
        if self.folder is not None:
            self.fresh += 1
        self.store(key, value)

    def load(self, key: str, decode: Callable[[Any], T | None]) -> T | None:
        """What is stored under `key` as `decode` makes it of the JSON data, or None when
        nothing is or `decode` refuses it (None, or ValueError, TypeError, KeyError); not
        counted (for parts of pages)."""
        found = self.shelf.get(key)
        if found is None:
            return None
        try:
            value = decode(found)
        except (ValueError, TypeError, KeyError, RecursionError):
            value = None
        if value is None:
            self.shelf.reject(key)
        return value

    def store(self, key: str, value: object) -> None:
        """Store `value`, JSON data (dicts, lists, text, numbers)."""
        self.shelf.put(key, value)

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


class PageCache(ModelCache):
    """Generated pages by a hash of what they show (see PageWriter), and the parts of long
    pages (see Pieces); stored and checked as models are."""

    FILE = "pages.json"


def save_caches(caches: Iterable[ChartCache | ModelCache], prune: bool) -> list[str]:
    """Save each cache (see Shelf.save); what was wrong with it and what could not be written,
    as messages for the log's info level: a cache that cannot be written costs the next build
    time, not this build, and `--strict` fails on warnings."""
    messages = []
    for kind in caches:
        try:
            kind.save(prune)
        except OSError as error:
            messages.append(f"journeys: the cache was not saved: {error}")
        messages += kind.shelf.notes()
    return messages
