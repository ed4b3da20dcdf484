"""Models to page Markdown through Jinja templates: one page per journey and persona, an index.

Author text reaches a page only through two filters: autoescaping in HTML, and `md` in
Markdown, which writes every punctuation mark as a character reference so that no author text
can become Markdown or HTML markup under any extension the site enables.
"""

from __future__ import annotations

import json
import posixpath
import string
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from xml.etree.ElementTree import Element

import markdown
from jinja2 import Environment, PackageLoader, StrictUndefined
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

from .catalog import Catalog, JourneyEntry, Layout, PersonaEntry
from .figures import Figures, journey_figures
from .labels import Labels, format_score
from .model import EmotionScale, Journey, Opportunity, Touchpoint
from .render import MapOptions, render_journey_map

_PUNCTUATION = frozenset(string.punctuation)
PRIORITIES = ("must", "should", "could", "wont")


def map_placeholder(journey_id: str) -> Markup:
    """Where the journey map goes in a page; journey ids are slugs, so this is inert."""
    return Markup(f"<!-- journeys:map:{journey_id} -->")


def md(text: object) -> Markup:
    """Author text as inert Markdown: punctuation as character references, one line."""
    flat = " ".join(str(text).split())
    return Markup("".join(f"&#{ord(c)};" if c in _PUNCTUATION else c for c in flat))


def page_title(text: object) -> Markup:
    """The page's title for its front matter, HTML-escaped: themes print titles unescaped.

    MkDocs and Material put `page.title` into `<title>` and the navigation as raw HTML, so the
    escaping has to happen here. The value is a JSON string, which is also a YAML string.
    """
    return Markup(json.dumps(str(escape(str(text)))))


SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def safe_url(url: str) -> bool:
    """Only http, https, mailto and relative links; never javascript: or data:."""
    scheme, colon, _ = url.strip().partition(":")
    if not colon or "/" in scheme or "?" in scheme or "#" in scheme:
        return True  # no scheme: a relative path or a fragment
    return scheme.lower() in SAFE_SCHEMES


class _DropUnsafeLinks(Treeprocessor):
    def run(self, root: Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and not safe_url(value):
                    del element.attrib[attribute]


def render_markdown(text: str) -> Markup:
    """A short Markdown field (an opportunity's description) as HTML: no raw HTML, safe links."""
    renderer = markdown.Markdown(extensions=[])
    # Raw HTML written by an author is shown as text, like every other author value.
    renderer.preprocessors.deregister("html_block")
    renderer.inlinePatterns.deregister("html")
    renderer.treeprocessors.register(_DropUnsafeLinks(renderer), "drop-unsafe-links", 0)
    return Markup(renderer.convert(text))


@dataclass(frozen=True)
class PageSet:
    """The generated pages: src_uri (relative to the content folder) to Markdown."""

    pages: dict[str, str]
    edit_uris: dict[str, str]


class PageWriter:
    """Writes every generated page of a catalog with one Jinja environment and one locale."""

    def __init__(self, catalog: Catalog, layout: Layout, labels: Labels) -> None:
        self.catalog = catalog
        self.layout = layout
        self.t = labels
        self.env = Environment(
            loader=PackageLoader(__package__, "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(md=md, page_title=page_title, score=format_score,
                                markdown=render_markdown)
        self.env.globals.update(t=labels, priorities=PRIORITIES, map_placeholder=map_placeholder)
        self._figures = {i: journey_figures(e.journey) for i, e in catalog.journeys.items()}

    def journey_uri(self, journey_id: str) -> str:
        return f"{self.layout.journeys_dir}/{journey_id}.md"

    def persona_uri(self, persona_id: str) -> str:
        return f"{self.layout.personas_dir}/{persona_id}.md"

    def figures(self, journey_id: str) -> Figures:
        return self._figures[journey_id]

    def _link(self, from_uri: str, to_uri: str) -> str:
        """A relative Markdown link target, which MkDocs checks and rewrites to the page URL."""
        return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")

    def _render(self, template: str, uri: str, **context: object) -> str:
        link = lambda target: self._link(uri, target)  # noqa: E731 - a closure per page
        return self.env.get_template(template).render(
            link=link, journey_uri=self.journey_uri, persona_uri=self.persona_uri,
            figures=self.figures, catalog=self.catalog, **context)

    def journey_page(self, entry: JourneyEntry) -> str:
        journey = entry.journey
        persona = self.catalog.personas[journey.persona]
        compared = self.catalog.journeys.get(journey.compare_to) if journey.compare_to else None
        return self._render(
            "journey.md.j2", self.journey_uri(entry.id), entry=entry, journey=journey,
            persona=persona, compared=compared, compared_by=self.catalog.compared_with(entry.id),
            numbers=opportunity_numbers(journey), rows=touchpoint_rows(journey),
            grouped=group_by_priority(journey.opportunities))

    def persona_page(self, entry: PersonaEntry) -> str:
        return self._render("persona.md.j2", self.persona_uri(entry.id), entry=entry,
                            persona=entry.persona, journeys=self.catalog.journeys_of(entry.id))

    def journey_index(self, uri: str) -> str:
        return self._render("index.md.j2", uri, journeys=sorted_journeys(
            self.catalog.journeys.values()))

    def all_pages(self, with_home: bool) -> PageSet:
        """Every page; the journey index doubles as the home page when the site has none."""
        pages: dict[str, str] = {}
        edit_uris: dict[str, str] = {}
        for journey_id, entry in self.catalog.journeys.items():
            pages[self.journey_uri(journey_id)] = self.journey_page(entry)
            edit_uris[self.journey_uri(journey_id)] = entry.src_uri
        for persona_id, persona in self.catalog.personas.items():
            pages[self.persona_uri(persona_id)] = self.persona_page(persona)
            edit_uris[self.persona_uri(persona_id)] = persona.src_uri
        index_uri = f"{self.layout.journeys_dir}/index.md"
        pages[index_uri] = self.journey_index(index_uri)
        if with_home:
            pages["index.md"] = self.journey_index("index.md")
        return PageSet(pages, edit_uris)


def map_options(entry: JourneyEntry, catalog: Catalog, scale: EmotionScale,
                labels: Labels, standalone: bool = False) -> MapOptions:
    """How a journey's map is drawn: with the journey it compares to, ids prefixed by its id."""
    compared = catalog.journeys.get(entry.journey.compare_to or "")
    return MapOptions(scale, labels, labels.direction, f"map-{entry.id}",
                      compared.journey if compared else None,
                      compared.journey.title if compared else "",
                      stylesheet() if standalone else None)


def journey_map_svg(entry: JourneyEntry, catalog: Catalog, scale: EmotionScale,
                    labels: Labels) -> str:
    """The map as it appears inline on its page, styled by the site's stylesheet."""
    return render_journey_map(entry.journey, map_options(entry, catalog, scale, labels))


def standalone_map(entry: JourneyEntry, catalog: Catalog, scale: EmotionScale,
                   labels: Labels) -> str:
    """The map as a file of its own, for mail, wikis and slides: its styles go inside it."""
    svg = render_journey_map(entry.journey, map_options(entry, catalog, scale, labels, True))
    return '<?xml version="1.0" encoding="utf-8"?>\n' + svg + "\n"


def insert_map(html: str, journey_id: str, svg: str) -> str:
    """The page's HTML with its map in place of the placeholder."""
    return html.replace(map_placeholder(journey_id), svg, 1)


STYLESHEET = "assets/journeys/journeys.css"


def stylesheet() -> str:
    return files(__package__).joinpath("assets").joinpath("journeys.css").read_text("utf-8")


def sorted_journeys(entries: Iterable[JourneyEntry]) -> list[JourneyEntry]:
    """Journeys by title, the current state before the ideal one of the same title."""
    return sorted(entries, key=lambda e: (e.journey.title.casefold(), e.journey.state, e.id))


def opportunity_numbers(journey: Journey) -> dict[str, int]:
    """Each opportunity's number, in file order: the same number marks it on the map."""
    return {o.id or "": n for n, o in enumerate(journey.opportunities, start=1)}


@dataclass(frozen=True)
class TouchpointRow:
    number: int
    stage: str
    first_of_stage: bool
    stage_size: int
    touchpoint: Touchpoint
    opportunities: list[Opportunity]


def touchpoint_rows(journey: Journey) -> list[TouchpointRow]:
    """The touchpoint table's rows: numbered in order, with the opportunities touching each."""
    rows: list[TouchpointRow] = []
    for stage in journey.stages:
        for position, touchpoint in enumerate(stage.touchpoints):
            touching = [o for o in journey.opportunities if touchpoint.id in o.touchpoints]
            rows.append(TouchpointRow(len(rows) + 1, stage.name, position == 0,
                                      len(stage.touchpoints), touchpoint, touching))
    return rows


def group_by_priority(opportunities: list[Opportunity]) -> list[tuple[str, list[Opportunity]]]:
    """MoSCoW groups in priority order, leaving out empty ones."""
    groups = [(p, [o for o in opportunities if o.priority == p]) for p in PRIORITIES]
    return [(p, items) for p, items in groups if items]
