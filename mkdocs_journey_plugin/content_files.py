"""Finding content files: which files of a content folder are journeys and personas, as MkDocs
finds them, what their names may be, and the files other plugins add to the build."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePath

from .model import MAX_ID, SLUG
from .problems import Problem

CONTENT_SUFFIXES = (".md", ".yml", ".yaml")
# Suffixes MkDocs also reads as Markdown pages: in a content folder they would be published as
# plain pages, not journeys, without a word.
OTHER_MARKDOWN = (".markdown", ".mdown", ".mkdn", ".mkd")
RESERVED_IDS = frozenset({"index"})  # generated index pages live there
# `badge.de.md`, `badge.pt_BR.md`: how mkdocs-static-i18n's suffix structure names translations.
_TRANSLATED = re.compile(r"(.+)\.([a-z]{2,3}(?:[_-][A-Za-z]{2,4})?)")


@dataclass(frozen=True)
class Added:
    """A content file that another plugin put in the build (mkdocs-gen-files writes them in
    `on_files`): its bytes as MkDocs has them, read as a file on disk would be."""

    src_uri: str  # relative to the content folder, as the plugin named it
    data: bytes | None
    display: str  # how problems name it: there is no file an author could open
    problems: tuple[Problem, ...] = ()  # why its bytes could not be had


def display_path(path: Path) -> str:
    """Paths in messages are relative to the current directory, as compilers print them."""
    return os.path.relpath(path) if path.is_absolute() else str(path)


def is_content_file(name: str) -> bool:
    """A journey or persona file by its name: MkDocs leaves out names starting with '.' (where
    Material's `.meta.yml` and awesome-nav's `.nav.yml` live), and suffixes are any case."""
    return not name.startswith(".") and PurePath(name).suffix.lower() in CONTENT_SUFFIXES


def content_files(root: Path, folder: str) -> tuple[list[Path], list[Problem]]:
    """The content files of a folder and of its subfolders, in path order, as MkDocs finds them
    (it follows links); a link that leads out of the content folder, or nowhere, is a problem
    rather than a file left out: MkDocs would publish it as a plain page, or fail on it."""
    directory = root / folder
    if not directory.is_dir():
        return [], []
    inside = root.resolve()
    found: list[Path] = []
    problems: list[Problem] = []
    seen = {directory.resolve()}
    for current, folders, names in os.walk(directory, followlinks=True):
        here = Path(current)
        kept = []
        for name in sorted(folders):
            target = (here / name).resolve()
            if name.startswith(".") or target in seen:
                continue  # left out by MkDocs, or a link back to a folder already read
            if not target.is_relative_to(inside):
                if any(is_content_file(p.name) for p in target.rglob("*")):
                    problems.append(Problem(display_path(here / name), 1, 1,
                                            f"a link to a folder outside the content folder "
                                            f"({target}): copy its files in instead"))
                continue
            seen.add(target)
            kept.append(name)
        folders[:] = kept
        for name in sorted(names):
            path = here / name
            if PurePath(name).suffix.lower() in OTHER_MARKDOWN and not name.startswith("."):
                problems.append(Problem(display_path(path), 1, 1, "journey and persona files "
                                        f"end in {', '.join(CONTENT_SUFFIXES)}: rename it"))
            if not is_content_file(name):
                continue
            problem = _link_problem(path, inside)
            if problem:
                problems.append(Problem(display_path(path), 1, 1, problem))
            else:
                found.append(path)
    return sorted(found, key=lambda p: p.relative_to(directory).as_posix()), problems


def _link_problem(path: Path, inside: Path) -> str | None:
    if not path.is_symlink():
        return None
    target = path.resolve()
    if not target.is_file():
        return f"a link to a file that does not exist ({target})"
    if not target.is_relative_to(inside):
        return f"a link to a file outside the content folder ({target}): copy the file in"
    return None


def check_file_name(path: PurePath, display: str) -> list[Problem]:
    if path.stem in RESERVED_IDS:
        return [Problem(display, 1, 1, f"the file name '{path.stem}' is reserved for the "
                        "generated index page; choose another")]
    translated = _TRANSLATED.fullmatch(path.stem)
    if translated and SLUG.fullmatch(translated.group(1)):
        original, language = translated.groups()
        return [Problem(display, 1, 1, f"this reads as a translation ({language}) of "
                        f"'{original}{path.suffix}', which is not supported: a journey or "
                        "persona is one file, and its pages in every language of the site are "
                        "built from it (the plugin's own words follow each language, the "
                        "author's text does not)")]
    if not SLUG.fullmatch(path.stem):
        return [Problem(display, 1, 1, "file names are ids: use lower-case letters, digits and "
                        "hyphens only")]
    if len(path.stem) > MAX_ID:
        return [Problem(display, 1, 1, f"the file name is {len(path.stem)} characters long; ids "
                        f"are at most {MAX_ID}, since they become web addresses")]
    return []
