"""MkDocs events, wired to plain functions. No logic lives here."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from . import config as options
from .addresses import Addresses
from .cache import ChartCache, ModelCache, PageCache, remove_former_layout, save_caches
from .catalog import Catalog, Layout, load_catalog
from .charts import STYLESHEET, Charts, stylesheet, write_standalone_maps
from .collector import collector_paused
from .history import missing_note, read_file_histories
from .islands import (
    finish_page,
    generated_content,
    hide_from_search,
    page_links,
    published_markdown,
    show_again,
)
from .labels import Labels
from .model import EmotionScale
from .navigation import hide_pages, name_sections
from .pages import PageWriter
from .problems import Problem
from .publishing import added_content, history_files, replaced_files, shown_path, site_folder
from .sources import PageSources
from .views import build_date, section_titles

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class JourneysPlugin(BasePlugin[options.JourneysConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.layout = Layout()
        self.scale = EmotionScale()
        self.labels = Labels()
        self.catalog = Catalog()
        self.generated: set[str] = set()  # src_uris of the pages this plugin wrote
        self.unlisted: set[str] = set()
        self.islands: dict[str, list[str]] = {}
        self.subjects: dict[str, dict[str, str]] = {}
        self.shown: dict[str, dict[str, str]] = {}  # src_uri: placeholder to what went in
        self.sources = PageSources()
        self.feedback: str | None = None
        self.addresses = Addresses(self.layout)
        self.today = build_date()
        self.charts = Charts(self.catalog, self.scale, self.labels, self.today)
        self.stored = ModelCache(None)
        self.pages = PageCache(None)
        self.cache_folder: Path | None = None
        self.folder = ""  # of the site, that other plugins moved the pages into (i18n: `de/`)
        self.after_i18n = False  # mkdocs-static-i18n runs in this build (see on_files)

    # Options are checked once, before any file is read, so a bad option stops the build early.
    # After static-i18n's (-100), which sets the theme's language for each language it builds.
    @event_priority(-110)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        try:
            self.scale = options.scale_of(self.config)
            self.feedback = options.feedback_of(self.config)
            self.layout = options.layout_of(self.config)
        except ValueError as error:
            raise PluginError(str(error)) from None
        self.today = build_date()  # per build: `mkdocs serve` may run for days
        theme_language = config.theme.get("language") if config.theme else None
        self.labels = Labels(self.config.language or theme_language or "en")
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        self.after_i18n = "i18n" in config.plugins
        return config

    # Content becomes pages here, before MkDocs reads any page, so that generated pages are
    # ordinary pages to every later plugin (search, navigation, edit links). Late (-50), so
    # that files added by other plugins are already in `files`, yet before literate-nav
    # (-100), which lists a folder's pages from `files`. With static-i18n, after it (-110):
    # it makes every file it is given anew from the content folder (and would lose our pages'
    # text) and moves each further language's pages into a folder of its own.
    @event_priority(-50)
    def _files_before_navigation(self, files: Files, config: MkDocsConfig) -> Files:
        return files if self.after_i18n else self.make_pages(files, config)

    @event_priority(-110)
    def _files_after_i18n(self, files: Files, config: MkDocsConfig) -> Files:
        return self.make_pages(files, config) if self.after_i18n else files

    on_files = CombinedEvent(_files_before_navigation, _files_after_i18n)

    @collector_paused
    def make_pages(self, files: Files, config: MkDocsConfig) -> Files:
        folder = self.cache_folder = options.cache_folder(self.config, config.config_file_path)
        self.stored = ModelCache(folder)
        added = added_content(files, config.docs_dir, self.layout)
        catalog, problems = load_catalog(Path(config.docs_dir), self.layout, self.scale,
                                         self.stored, added)
        self.stop_on(problems, "problem(s) in the content")
        self.catalog = catalog
        if folder is not None:
            log.info(f"journeys: {self.stored.summary()}")
        self.save_caches(self.stored, prune=True)  # every file is read: less held in memory
        with_home = files.get_file_from_path("index.md") is None
        addresses = Addresses(self.layout, config.use_directory_urls)
        sources = {i: e.src_uri for i, e in catalog.journeys.items()}
        histories = read_file_histories(
            history_files(sources, files, config.docs_dir, config.plugins.values()),
            self.scale, self.config.history_limit) if self.config.history else {}
        note = missing_note(sources, histories) if self.config.history else None
        if note:
            log.info(note)
        pages = PageCache(folder)
        writer = PageWriter(catalog, addresses, self.labels, self.scale, self.today, histories,
                            pages)
        page_set = writer.all_pages(with_home)
        self.pages = pages
        self.save_caches(pages, prune=True)  # every page is written
        if folder is not None:
            log.info(f"journeys: {pages.fresh} generated pages written anew, "
                     f"{pages.reused} unchanged from the cache")
        self.folder = folder_of_site = site_folder(files, config.use_directory_urls,
                                                   catalog.src_uris)
        for src_uri in catalog.src_uris:
            # By its exact name: static-i18n's `files` answer `badge.md` with `badge.de.md`.
            source = files.src_uris.get(src_uri)
            if source is not None:
                files.remove(source)
        texts = {**page_set.pages, STYLESHEET: stylesheet()}
        # Other plugins open or stat a page's source (rss: dates and images, i18n: paths).
        sources = self.sources.write(texts)
        generated = []
        for uri, text in texts.items():
            file = File.generated(config, uri, content=text)
            file.abs_src_path = sources[uri]  # the text stays in memory: MkDocs reads that
            file.dest_uri = folder_of_site + file.dest_uri
            generated.append(file)
        self.stop_on(replaced_files(
            {f.dest_uri: f.src_uri for f in generated}
            | {folder_of_site + addresses.map_file(i): addresses.map_file(i)
               for i in catalog.journeys},
            {f.dest_uri: shown_path(f, config.docs_dir) for f in files}, self.layout),
            "file(s) in the way of generated pages")
        written_by_others = {a.src_uri for a in added}
        for page in generated:
            src_uri = page.src_uri
            edited = page_set.edit_uris.get(src_uri)
            if edited in written_by_others:
                edited = None  # no file of the repository to edit, or to read the history of
            # The edit link opens the file an author changes, not the generated Markdown.
            page.edit_uri = edited
            if edited is not None:
                # A journey or persona page is its source file rendered: pointing at that file
                # lets plugins that read it (git revision dates, rss) treat the page as the file.
                page.abs_src_path = str(Path(config.docs_dir) / edited)
                page.generated_by = None
            files.append(page)
        self.addresses = addresses
        self.generated = set(page_set.pages)
        self.charts = Charts(catalog, self.scale, self.labels, self.today, histories,
                             ChartCache(folder))
        self.unlisted = page_set.unlisted
        self.islands = page_set.islands
        self.subjects = page_set.subjects
        return files

    # Tag and team pages are reached from links on the index and the backlog; listing each of
    # them in the menu would bury the journeys.
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        hide_pages(nav, self.unlisted)
        if config.nav is None:  # a site's own `nav:` names its sections itself
            name_sections(nav.items, section_titles(self.layout, self.labels))
        return nav

    # Our HTML blocks, charts and links go in first thing after Markdown (priority 100), so
    # that every other plugin reading a page's HTML (print-site, rss) gets the page as
    # published; unsafe links in what Markdown made of a body go before anyone sees them.
    @event_priority(100)
    @collector_paused
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig,
                        files: Files) -> str | None:
        src_uri = page.file.src_uri
        if src_uri not in self.generated:
            return html
        html = generated_content(html, self.islands.get(src_uri))
        subject = self.subjects.get(src_uri)
        links = page_links(self.labels, page.edit_url, self.feedback,
                           {**subject, "url": page.canonical_url or page.url}
                           ) if subject is not None else None
        html, shown = finish_page(html, self.charts.svg, links)
        self.shown[src_uri] = shown
        # Later handlers of this event may read the page rather than `html` (rss does both).
        page.content = html
        if page.markdown is not None:
            page.markdown = published_markdown(page.markdown, self.islands.get(src_uri), shown)
        return html

    # Search must not parse the charts (DESIGN.md section 6: it reads every tag in pure Python,
    # and the touchpoint table is what it should index): they step out just before search's
    # page_context (priority 0, Material's and MkDocs' own) and back in right after it.
    @event_priority(1)
    @collector_paused
    def _hide_charts(self, context: TemplateContext, page: Page, config: MkDocsConfig,
                     nav: Navigation) -> TemplateContext:
        shown = self.shown.get(page.file.src_uri)
        if shown and page.content is not None:
            page.content = hide_from_search(page.content, shown)
        return context

    @event_priority(-1)
    @collector_paused
    def _show_charts(self, context: TemplateContext, page: Page, config: MkDocsConfig,
                     nav: Navigation) -> TemplateContext:
        shown = self.shown.pop(page.file.src_uri, None)
        if shown and page.content is not None:
            page.content = show_again(page.content, shown)
        return context

    on_page_context = CombinedEvent(_hide_charts, _show_charts)

    # The download files are written once the site exists; MkDocs has no page for them. The
    # cache is saved here too, when every chart of this build has been asked for, without
    # what the build did not use.
    @collector_paused
    def on_post_build(self, config: MkDocsConfig) -> None:
        try:
            write_standalone_maps(Path(config.site_dir) / self.folder, self.charts,
                                  self.addresses)
        except OSError as error:  # a full disk or a site folder taken away: said, not traced
            raise PluginError(f"journeys: the map files could not be written: {error}") from None
        self.save_caches(self.charts.cache, prune=True)
        remove_former_layout(self.cache_folder)
        log.info(f"journeys: {self.charts.cache.summary()}")

    # The generated pages' files are kept until no plugin can ask for them any more.
    def on_shutdown(self) -> None:
        self.sources.remove()

    # A failed build keeps what it read and drew, and all it did not reach.
    def on_build_error(self, *, error: Exception) -> None:
        self.save_caches(self.stored, self.pages, self.charts.cache, prune=False)

    @staticmethod
    def stop_on(problems: list[Problem], what: str) -> None:
        """Each problem on a line of its own, then the build stops before anything is written."""
        if problems:
            for problem in problems:
                log.error(str(problem))
            raise PluginError(f"journeys: {len(problems)} {what}; nothing was built")

    @staticmethod
    def save_caches(*caches: ModelCache | ChartCache, prune: bool) -> None:
        for message in save_caches(caches, prune):
            log.info(message)  # a cache costs time, never the build: not a warning (--strict)
