"""MkDocs events, wired to plain functions. No logic lives here."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from . import config as options
from .catalog import Catalog, Layout, load_catalog
from .labels import Labels
from .model import EmotionScale
from .pages import STYLESHEET, PageWriter, insert_map, journey_map_svg, stylesheet

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class JourneysPlugin(BasePlugin[options.JourneysConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.layout = Layout()
        self.scale = EmotionScale()
        self.labels = Labels()
        self.catalog = Catalog()
        self.map_pages: dict[str, str] = {}  # src_uri of a journey page -> journey id

    # Options are checked once, before any file is read, so a bad option stops the build early.
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        try:
            self.scale = options.scale_of(self.config)
        except ValueError as error:
            raise PluginError(str(error)) from None
        self.layout = options.layout_of(self.config)
        theme_language = config.theme.get("language") if config.theme else None
        self.labels = Labels(self.config.language or theme_language or "en")
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        return config

    # Content becomes pages here, before MkDocs reads any page, so that generated pages are
    # ordinary pages to every later plugin (search, navigation, edit links). Runs late (-50) so
    # that files added by other plugins are already in `files`.
    @event_priority(-50)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        catalog, problems = load_catalog(Path(config.docs_dir), self.layout, self.scale)
        if problems:
            for problem in problems:
                log.error(str(problem))
            raise PluginError(f"journeys: {len(problems)} problem(s) in the content; "
                              "nothing was built")
        self.catalog = catalog
        with_home = files.get_file_from_path("index.md") is None
        writer = PageWriter(catalog, self.layout, self.labels)
        page_set = writer.all_pages(with_home)
        for src_uri in catalog.src_uris:
            source = files.get_file_from_path(src_uri)
            if source is not None:
                files.remove(source)
        for src_uri, content in page_set.pages.items():
            page = File.generated(config, src_uri, content=content)
            # The edit link opens the file an author changes, not the generated Markdown.
            page.edit_uri = page_set.edit_uris.get(src_uri)
            files.append(page)
        files.append(File.generated(config, STYLESHEET, content=stylesheet()))
        self.map_pages = {writer.journey_uri(i): i for i in catalog.journeys}
        return files

    # Maps go in after Material's search has indexed the page (DESIGN.md section 6): search
    # parses every tag in pure Python, and the touchpoint table is what it should index.
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        journey_id = self.map_pages.get(page.file.src_uri)
        if journey_id is None:
            return output
        entry = self.catalog.journeys[journey_id]
        return insert_map(output, journey_id,
                          journey_map_svg(entry, self.catalog, self.scale, self.labels))
