"""Where the generated pages and files land in the site, and the files of others they would take.

MkDocs writes whichever of two files with one address comes last, without a word: an author's
`opportunities.md` and the generated backlog both become `opportunities/index.html`. Every
address the plugin writes is compared with every other file's, by the path in the built site,
so that `use_directory_urls` and `README.md` as an index page are taken into account.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from mkdocs.structure.files import File, Files

from .catalog import Layout, display_path
from .config import FOLDERS
from .problems import Problem


def moved_by(layout: Layout, generated: str) -> str | None:
    """The option that moves the generated page or file `generated` (a path in the site)."""
    folders = sorted(((getattr(layout, option), option) for option in FOLDERS),
                     key=lambda pair: -len(pair[0]))
    return next((option for folder, option in folders if generated.startswith(f"{folder}/")),
                None)


def replaced_files(ours: Mapping[str, str], theirs: Mapping[str, str],
                   layout: Layout) -> list[Problem]:
    """A problem for each file of the site that a generated page or file would replace.

    `ours` maps each address in the built site (`opportunities/index.html`) to the generated
    page or file written there; `theirs` maps the addresses of every other file (the author's,
    or another plugin's) to the path shown for it.
    """
    problems = []
    for address in sorted(ours.keys() & theirs.keys()):
        option = moved_by(layout, ours[address])
        remedy = (f"rename this file, or set the journeys plugin's '{option}' to another folder"
                  if option else "rename this file")
        what = (f"its generated page {ours[address]}" if ours[address].endswith(".md")
                else f"its own {ours[address]}")
        problems.append(Problem(theirs[address], 1, 1, f"the journeys plugin publishes {what} "
                                f"at {address}, where this file would be: {remedy}"))
    return problems


def shown_path(file: File, docs_dir: str) -> str:
    """How a file of the site is named in a message: its path, or who generated it."""
    if file.generated_by:
        return f"{file.src_uri} (written by the {file.generated_by} plugin)"
    return display_path(Path(file.abs_src_path or Path(docs_dir) / file.src_uri))


def site_folder(files: Files, use_directory_urls: bool, ours: Iterable[str]) -> str:
    """The folder of the site (with its slash) that the site's pages were moved into, or "".

    mkdocs-static-i18n builds each further language into a folder of its own (`de/`) by moving
    every page it is given there, but for its folder structure the language folder is part of
    a page's own path (`de/about.md`). Read from the content files the generated pages replace
    (`ours`), so that the generated pages go where those went; else from any page.
    """
    by_uri = files.src_uris
    pages = [by_uri[uri] for uri in ours if uri in by_uri] + list(files)
    for file in pages:
        if not file.is_documentation_page():
            continue
        natural = File(file.src_uri, None, "", use_directory_urls).dest_uri
        if file.dest_uri == natural:
            return ""
        if file.dest_uri.endswith(f"/{natural}"):
            return file.dest_uri[:-len(natural)]
    return ""
