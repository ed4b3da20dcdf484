"""What the plugin holds from one event to the next: its settings, made in `on_config`, and
what one build made of the content, in `on_files`; and what the page events do with that."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from . import config as options
from . import raster
from .addresses import Addresses
from .catalog import Catalog, Layout
from .charts import Charts
from .content_files import display_path
from .islands import (
    finish_page,
    generated_content,
    hide_from_search,
    page_links,
    published_markdown,
    show_again,
)
from .labels import Labels
from .mermaid_blocks import PageJourneys, put_in, take_journeys
from .model import EmotionScale
from .pages import PageSet
from .problems import Problem
from .timing import timed
from .views import build_date


@dataclass(frozen=True)
class Settings:
    """The plugin's options as one build uses them."""

    layout: Layout = field(default_factory=Layout)
    scale: EmotionScale = field(default_factory=EmotionScale)
    labels: Labels = field(default_factory=Labels)
    feedback: str | None = None  # the feedback link's address, with {title}, {id}, ...
    today: datetime.date = field(default_factory=build_date)
    after_i18n: bool = False  # mkdocs-static-i18n runs in this build (see on_files)
    mermaid: bool = True  # Mermaid journeys drawn as our maps (see mermaid_blocks.py)
    png: bool = False  # the maps as PNG too: the option on and the renderer installed


def settings_of(plugin: options.JourneysConfig, config: MkDocsConfig) -> Settings:
    """The settings of a build; ValueError when an option is wrong. The date is read per
    build: `mkdocs serve` may run for days."""
    scale, feedback, layout = (options.scale_of(plugin), options.feedback_of(plugin),
                               options.layout_of(plugin))
    theme_language = config.theme.get("language") if config.theme else None
    return Settings(layout, scale, Labels(plugin.language or theme_language or "en"), feedback,
                    build_date(), "i18n" in config.plugins, plugin.mermaid_journeys,
                    bool(plugin.png) and raster.available(".png"))


@dataclass
class Build:
    """What one build made of the content, for the events that follow `on_files`."""

    settings: Settings
    catalog: Catalog
    addresses: Addresses
    charts: Charts
    pages: PageSet  # the generated pages, by src_uri
    folder: str  # of the site, that other plugins moved the pages into (i18n: `de/`)
    cache_folder: Path | None
    shown: dict[str, dict[str, str]] = field(default_factory=dict)  # see finish_page
    mermaid: dict[str, PageJourneys] = field(default_factory=dict)  # by src_uri
    mermaid_shown: dict[str, dict[str, str]] = field(default_factory=dict)  # see put_in

    def take_mermaid(self, page: Page, markdown: str) -> tuple[str, list[Problem]]:
        """The page's Markdown with its Mermaid journeys out (see mermaid_blocks.py), and the
        problems of those Mermaid would reject, placed in the page's file."""
        if "mermaid" not in markdown:
            return markdown, []
        file = Path(page.file.abs_src_path) if page.file.abs_src_path else None
        try:
            source = file.read_text(encoding="utf-8-sig") if file else None
        except (OSError, UnicodeDecodeError):
            source = None
        path = display_path(file) if file else page.file.src_path
        markdown, found = take_journeys(markdown, path, self.settings.scale,
                                        self.settings.labels, source)
        if found.drawn:
            self.mermaid[page.file.src_uri] = found
        return markdown, found.problems

    def put_in_mermaid(self, page: Page, html: str) -> str:
        """The page's Mermaid journeys drawn in their placeholders' places."""
        found = self.mermaid.pop(page.file.src_uri, None)
        if found is None:
            return html
        html, shown = put_in(html, found, self.settings.labels, self.settings.scale,
                             self.charts.mermaid_map)
        self.mermaid_shown[page.file.src_uri] = shown
        if page.markdown is not None:
            page.markdown = found.as_written(page.markdown)
        return html

    def finish(self, page: Page, html: str) -> str:
        """A generated page's HTML as published: our blocks, charts and links in it; and its
        Markdown the same (see published_markdown)."""
        src_uri = page.file.src_uri
        islands = self.pages.islands.get(src_uri)
        html = generated_content(html, islands)
        subject = self.pages.subjects.get(src_uri)
        links = page_links(self.settings.labels, page.edit_url, self.settings.feedback,
                           {**subject, "url": page.canonical_url or page.url}
                           ) if subject is not None else None
        with timed("step:finish_page"):
            html, shown = finish_page(html, self.charts.svg, links)
        self.shown[src_uri] = shown
        if page.markdown is not None:
            page.markdown = published_markdown(page.markdown, islands, shown)
        return html

    def hide_charts(self, page: Page) -> None:
        """The charts and links out of the page's HTML, while search reads it."""
        shown = self.shown.get(page.file.src_uri)
        if shown and page.content is not None:
            page.content = hide_from_search(page.content, shown)
        for placeholder, svg in self.mermaid_shown.get(page.file.src_uri, {}).items():
            if page.content is not None:
                page.content = page.content.replace(svg, placeholder, 1)

    def show_charts(self, page: Page) -> None:
        """What hide_charts took out back in, once search has read the page."""
        shown = self.shown.pop(page.file.src_uri, None)
        if shown and page.content is not None:
            page.content = show_again(page.content, shown)
        for placeholder, svg in self.mermaid_shown.pop(page.file.src_uri, {}).items():
            if page.content is not None:
                page.content = page.content.replace(placeholder, svg, 1)
