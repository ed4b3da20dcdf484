"""MkDocs events, each a few lines that hand the work to plain functions (publishing.py,
state.py) and say why they run where they do."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from . import config as options
from . import raster
from .addresses import Addresses
from .cache import ChartCache, ModelCache, PageCache, remove_former_layout, save_caches
from .catalog import Catalog, load_catalog
from .charts import (
    SCRIPT,
    STYLESHEET,
    Charts,
    write_png_maps,
    write_presentations,
    write_standalone_maps,
)
from .collector import collector_paused
from .history import History
from .navigation import hide_pages, name_sections
from .pages import PageWriter
from .problems import Problem
from .publishing import added_content, journey_histories, publish
from .sources import PageSources
from .state import Build, Settings, settings_of
from .timing import timed
from .views import section_titles

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class JourneysPlugin(BasePlugin[options.JourneysConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.settings = Settings()  # made anew by on_config
        self.build: Build | None = None  # made by on_files
        self.caches: list[ModelCache | ChartCache] = []  # opened by this build, in this order
        self.sources = PageSources()  # the generated pages' files, kept until shutdown

    # Options are checked once, before any file is read, so a bad option stops the build early.
    # After static-i18n's (-100), which sets the theme's language for each language it builds.
    @event_priority(-110)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        try:
            self.settings = settings_of(self.config, config)
        except ValueError as error:
            raise PluginError(str(error)) from None
        if self.config.png and not self.settings.png:  # said, not a warning: --strict builds
            log.info(f"journeys: the maps are offered as SVG alone: {raster.missing('.png')}")
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        if SCRIPT not in config.extra_javascript:
            config.extra_javascript.append(SCRIPT)
        return config

    # Content becomes pages here, before MkDocs reads any page, so that generated pages are
    # ordinary pages to every later plugin (search, navigation, edit links). Late (-50), so
    # that files added by other plugins are already in `files`, yet before literate-nav
    # (-100), which lists a folder's pages from `files`. With static-i18n, after it (-110):
    # it makes every file it is given anew from the content folder (and would lose our pages'
    # text) and moves each further language's pages into a folder of its own.
    @event_priority(-50)
    def _files_before_navigation(self, files: Files, config: MkDocsConfig) -> Files:
        return files if self.settings.after_i18n else self.make_pages(files, config)

    @event_priority(-110)
    def _files_after_i18n(self, files: Files, config: MkDocsConfig) -> Files:
        return self.make_pages(files, config) if self.settings.after_i18n else files

    on_files = CombinedEvent(_files_before_navigation, _files_after_i18n)

    @collector_paused
    def make_pages(self, files: Files, config: MkDocsConfig) -> Files:
        """The content read, its pages written and put in `files` in place of its files."""
        settings, folder = self.settings, options.cache_folder(self.config, config.config_file_path)
        models, pages = ModelCache(folder), PageCache(folder)
        self.caches = [models, pages]  # saved even when the build fails
        added = added_content(files, config.docs_dir, settings.layout)
        with timed("step:load_catalog"):
            catalog, problems = load_catalog(Path(config.docs_dir), settings.layout,
                                             settings.scale, models, added)
        self.stop_on(problems, "problem(s) in the content")
        if folder is not None:
            log.info(f"journeys: {models.summary()}")
        self.save_caches(models, prune=True)  # every file is read: less held in memory
        histories = self.histories(catalog, files, config)
        addresses = Addresses(settings.layout, config.use_directory_urls)
        with timed("pages:all_pages"):
            page_set = PageWriter(catalog, addresses, settings.labels, settings.scale,
                                  settings.today, histories, pages, settings.png).all_pages(
                                      files.get_file_from_path("index.md") is None)
        self.save_caches(pages, prune=True)  # every page is written
        if folder is not None:
            log.info(f"journeys: {pages.fresh} generated pages written anew, "
                     f"{pages.reused} unchanged from the cache")
        site_folder, problems = publish(page_set, catalog, files, config, addresses,
                                        self.sources, added, settings.png)
        self.stop_on(problems, "file(s) in the way of generated pages")
        charts = Charts(catalog, settings.scale, settings.labels, settings.today, histories,
                        ChartCache(folder))
        self.caches.append(charts.cache)
        self.build = Build(settings, catalog, addresses, charts, page_set, site_folder, folder)
        return files

    def histories(self, catalog: Catalog, files: Files,
                  config: MkDocsConfig) -> dict[str, History]:
        """Each journey's history from git, with the history option on; said when some have
        none."""
        if not self.config.history:
            return {}
        with timed("step:read_histories"):
            histories, note = journey_histories(catalog, files, config, self.settings.scale,
                                                self.config.history_limit)
        if note:
            log.info(note)
        return histories

    # Tag and team pages are reached from links on the index and the backlog; listing each of
    # them in the menu would bury the journeys.
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        if self.build is not None:
            hide_pages(nav, self.build.pages.unlisted)
        if config.nav is None:  # a site's own `nav:` names its sections itself
            name_sections(nav.items, section_titles(self.settings.layout, self.settings.labels))
        return nav

    # Mermaid journeys, on any page, leave the Markdown before Markdown reads it (it would
    # make them code) and come back as maps after it. Late (-50): plugins that write a page's
    # Markdown (macros, include-markdown) have run, and a journey they wrote is drawn too.
    @event_priority(-50)
    @collector_paused
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig,
                         files: Files) -> str | None:
        if self.build is None or not self.settings.mermaid:
            return markdown
        with timed("step:mermaid_markdown"):
            markdown, problems = self.build.take_mermaid(page, markdown)
        for problem in problems:  # the block stays as written; --strict fails on these
            log.warning(str(problem))
        return markdown

    # Our HTML blocks, charts and links go in first thing after Markdown (priority 100), so
    # that every other plugin reading a page's HTML (print-site, rss) gets the page as
    # published; unsafe links in what Markdown made of a body go before anyone sees them.
    @event_priority(100)
    @collector_paused
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig,
                        files: Files) -> str | None:
        if self.build is None:
            return html
        if page.file.src_uri in self.build.pages.pages:
            html = self.build.finish(page, html)
        html = self.build.put_in_mermaid(page, html)
        # Later handlers of this event may read the page rather than `html` (rss does both).
        page.content = html
        return html

    # Search must not parse the charts (it reads every tag in pure Python, and the touchpoint
    # table is what it should index): they step out just before search's page_context
    # (priority 0, Material's and MkDocs' own) and back in right after it.
    @event_priority(1)
    @collector_paused
    def _hide_charts(self, context: TemplateContext, page: Page, config: MkDocsConfig,
                     nav: Navigation) -> TemplateContext:
        if self.build is not None:
            self.build.hide_charts(page)
        return context

    @event_priority(-1)
    @collector_paused
    def _show_charts(self, context: TemplateContext, page: Page, config: MkDocsConfig,
                     nav: Navigation) -> TemplateContext:
        if self.build is not None:
            self.build.show_charts(page)
        return context

    on_page_context = CombinedEvent(_hide_charts, _show_charts)

    # The download files are written once the site exists; MkDocs has no page for them. The
    # cache is saved here too, when every chart of this build has been asked for, without
    # what the build did not use.
    @collector_paused
    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.build is None:
            return
        charts, site = self.build.charts, Path(config.site_dir) / self.build.folder
        # The presentations are pages outside the theme: MkDocs has no page for them either.
        steps = [("the map files", write_standalone_maps),
                 ("the PNG maps", write_png_maps), ("the presentations", write_presentations)]
        for what, write in steps:
            if write is write_png_maps and not self.build.settings.png:
                continue
            try:
                with timed(f"step:{write.__name__}"):
                    write(site, charts, self.build.addresses)
            except OSError as error:  # a full disk or a site folder taken away: said, not traced
                raise PluginError(f"journeys: {what} could not be written: {error}") from None
        self.save_caches(charts.cache, prune=True)
        remove_former_layout(self.build.cache_folder)
        log.info(f"journeys: {charts.cache.summary()}")

    # The generated pages' files are kept until no plugin can ask for them any more.
    def on_shutdown(self) -> None:
        self.sources.remove()

    # A failed build keeps what it read and drew, and all it did not reach.
    def on_build_error(self, *, error: Exception) -> None:
        self.save_caches(*self.caches, prune=False)

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
