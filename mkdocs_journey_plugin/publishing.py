"""Where the generated pages and files land in the site, and the files of others they would take.

MkDocs writes whichever of two files with one address comes last, without a word: an author's
`opportunities.md` and the generated backlog both become `opportunities/index.html`. Every
address the plugin writes is compared with every other file's, by the path in the built site,
so that `use_directory_urls` and `README.md` as an index page are taken into account.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from .addresses import Addresses
from .catalog import Catalog, Layout
from .charts import SCRIPT, STYLESHEET, script, stylesheet
from .config import FOLDERS
from .content_files import Added, display_path, is_content_file
from .history import History, missing_note, read_file_histories
from .model import EmotionScale
from .pages import PageSet
from .problems import Problem
from .sources import PageSources


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


def is_content_uri(src_uri: str, layout: Layout) -> bool:
    """A journey, persona or roadmap file by its place in the content folder."""
    if src_uri == layout.roadmap_file:
        return True
    inside = any(src_uri.startswith(f"{f}/") for f in (layout.journeys_dir, layout.personas_dir))
    parts = src_uri.split("/")
    return inside and is_content_file(parts[-1]) and not any(p.startswith(".") for p in parts)


def added_content(files: Iterable[File], docs_dir: str, layout: Layout) -> list[Added]:
    """Content files that other plugins put in the build (mkdocs-gen-files) or changed there:
    those whose bytes are not the file on disk at their place in the content folder. MkDocs
    publishes what `files` holds, so these are the journeys the site has."""
    added = []
    for file in files:
        if not is_content_uri(file.src_uri, layout):
            continue
        on_disk = file.generated_by is None and file.abs_src_path is not None and \
            Path(file.abs_src_path).resolve() == (Path(docs_dir) / file.src_uri).resolve()
        if on_disk:
            continue
        shown = shown_path(file, docs_dir)
        try:
            added.append(Added(file.src_uri, file.content_bytes, shown))
        except OSError as error:
            added.append(Added(file.src_uri, None, shown, (Problem(
                shown, 1, 1, f"cannot read file: {error.strerror}"),)))
    return added


def history_files(sources: Mapping[str, str], files: Iterable[File], docs_dir: str,
                  plugins: Iterable[object]) -> dict[str, Path]:
    """The file each journey's history is in (`sources` maps ids to src_uris): the file MkDocs
    reads, or the one it is a copy of. mkdocs-monorepo builds from a temporary folder holding
    a copy of every docs folder, where git knows nothing; journeys that another plugin wrote
    have no file at all, and no history."""
    by_uri = {file.src_uri: file for file in files}
    found = {}
    for journey_id, src_uri in sources.items():
        file = by_uri.get(src_uri)
        if file is None or file.generated_by is not None or file.abs_src_path is None:
            continue
        found[journey_id] = Path(_original(file.abs_src_path, src_uri, docs_dir, plugins))
    return found


def journey_histories(catalog: Catalog, files: Files, config: MkDocsConfig, scale: EmotionScale,
                      limit: int) -> tuple[dict[str, History], str | None]:
    """Each journey's history from git, and what the build says of journeys without one."""
    sources = {i: e.src_uri for i, e in catalog.journeys.items()}
    histories = read_file_histories(
        history_files(sources, files, config.docs_dir, config.plugins.values()), scale, limit)
    return histories, missing_note(sources, histories)


def _original(path: str, src_uri: str, docs_dir: str, plugins: Iterable[object]) -> str:
    """Where mkdocs-monorepo copied a file from: its own record of the Markdown files, or, for
    the rest, the docs folder of the site (alias) the file's path starts with."""
    for plugin in plugins:
        copies = getattr(plugin, "files_source_dir", None)
        original = getattr(plugin, "originalDocsDir", None)
        if not isinstance(copies, dict) or not isinstance(original, str):
            continue  # not mkdocs-monorepo, or one that did not run (a site without `nav`)
        if path in copies:
            return str(copies[path])
        for alias, site in sorted(getattr(plugin, "aliases", {}).items(), key=lambda a: -len(a[0])):
            if alias and src_uri.startswith(f"{alias}/") and isinstance(site, dict):
                return str(Path(site["docs_dir"]) / src_uri[len(alias) + 1:])
        return str(Path(original) / src_uri)
    return path


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


def publish(page_set: PageSet, catalog: Catalog, files: Files, config: MkDocsConfig,
            addresses: Addresses, sources: PageSources,
            added: Iterable[Added], png: bool = False) -> tuple[str, list[Problem]]:
    """The generated pages, the stylesheet and the script in `files`, in place of the content
    files; the folder of the site they went into (see site_folder), and the files of others
    they would replace (the map files too, PNG with `png`), in which case none went in."""
    folder = site_folder(files, config.use_directory_urls, catalog.src_uris)
    for src_uri in catalog.src_uris:
        # By its exact name: static-i18n's `files` answer `badge.md` with `badge.de.md`.
        source = files.src_uris.get(src_uri)
        if source is not None:
            files.remove(source)
    texts = {**page_set.pages, STYLESHEET: stylesheet(), SCRIPT: script()}
    # Other plugins open or stat a page's source (rss: dates and images, i18n: paths).
    paths = sources.write(texts)
    generated = []
    for uri, text in texts.items():
        file = File.generated(config, uri, content=text)
        file.abs_src_path = paths[uri]  # the text stays in memory: MkDocs reads that
        file.dest_uri = folder + file.dest_uri
        generated.append(file)
    problems = replaced_files(
        {f.dest_uri: f.src_uri for f in generated}
        | {folder + addresses.map_file(i): addresses.map_file(i) for i in catalog.journeys}
        | {folder + addresses.png_file(i): addresses.png_file(i)
           for i in (catalog.journeys if png else ())}
        | {folder + addresses.presentation(i): addresses.presentation(i) for i in catalog.journeys},
        {f.dest_uri: shown_path(f, config.docs_dir) for f in files}, addresses.layout)
    written_by_others = {a.src_uri for a in added}
    if not problems:
        for page in generated:
            files.append(_edited_as(page, page_set.edit_uris.get(page.src_uri), config.docs_dir,
                                    written_by_others))
    return folder, problems


def _edited_as(page: File, edited: str | None, docs_dir: str, written_by_others: set[str]) -> File:
    """A generated page whose edit link opens the file an author changes, not the generated
    Markdown; none for a file that another plugin wrote, with no file of the repository to edit
    or to read the history of."""
    if edited in written_by_others:
        edited = None
    page.edit_uri = edited
    if edited is not None:
        # A journey or persona page is its source file rendered: pointing at that file lets
        # plugins that read it (git revision dates, rss) treat the page as the file.
        page.abs_src_path = str(Path(docs_dir) / edited)
        page.generated_by = None
    return page
