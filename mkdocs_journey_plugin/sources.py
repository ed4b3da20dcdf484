"""Real files behind the generated pages, for other plugins that open or stat a page's source.

MkDocs lets a generated page live in memory only (`abs_src_path` is None), but plugins such as
mkdocs-rss-plugin (dates from git, images) and mkdocs-static-i18n (paths) read
`page.file.abs_src_path` without checking, and crash on None. Each page's Markdown is therefore
also written to a folder of this process's own: not the cache folder, which may be switched off
or shared by builds running at once, and not the content folder, which `mkdocs serve` watches.
The folder holds exactly the pages of the latest build (a page gone since the last rebuild
leaves no file) and is removed when MkDocs shuts down, or at the latest when Python exits. A
process stopped without either (`mkdocs serve` ended by SIGTERM, as CI and containers stop
it) leaves its folder behind: the next build sweeps the folders of processes that are gone.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

PREFIX = "journeys-pages-"
_OWNER = re.compile(rf"{PREFIX}(\d+)-")


class PageSources:
    """A folder of this process's own that holds each generated page's Markdown as a file."""

    def __init__(self) -> None:
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    def write(self, pages: Mapping[str, str]) -> dict[str, str]:
        """Each src_uri to the absolute path of a file that holds its text; files of the
        build before that are no longer pages go."""
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix=f"{PREFIX}{os.getpid()}-")
            sweep_left_behind(Path(self._folder.name).parent)
        root = Path(self._folder.name)
        paths = {}
        for src_uri, text in pages.items():
            path = root / src_uri
            path.parent.mkdir(parents=True, exist_ok=True)
            # Bytes, so that the file holds the text exactly as MkDocs reads it (no newline
            # translation on Windows).
            path.write_bytes(text.encode("utf-8"))
            paths[src_uri] = str(path)
        kept = {Path(p) for p in paths.values()}
        for path in sorted(root.rglob("*"), reverse=True):  # files before their folders
            if path.is_file() and path not in kept:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        return paths

    def remove(self) -> None:
        """The folder and its files, once no plugin can ask for them any more."""
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None


def sweep_left_behind(parent: Path) -> None:
    """Folders of ours in `parent` whose process no longer runs (POSIX only: Windows has no
    harmless way to ask, and removes its temporary files itself)."""
    if os.name != "posix":
        return
    for folder in parent.glob(f"{PREFIX}*"):
        owner = _OWNER.match(folder.name)
        if owner is None or not folder.is_dir() or folder.is_symlink():
            continue
        try:
            os.kill(int(owner.group(1)), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (PermissionError, OverflowError):  # another user's process, or no pid at all
            continue
