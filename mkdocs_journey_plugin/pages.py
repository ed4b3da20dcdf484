"""Models and charts to page Markdown through Jinja templates.

Pages: one per journey and persona, the journey index (also the home page when the site has
none), a page per tag, the opportunity backlog and a backlog per team. Charts are not put in the
Markdown: a placeholder marks their place and `insert_charts` swaps them in after search indexing
(DESIGN.md section 6).
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined
from markdown.util import BLOCK_LEVEL_ELEMENTS
from markupsafe import Markup, escape

from .addresses import Addresses, slugs_for
from .bidi import without_controls
from .cache import COMPILED_TEMPLATES, ChartCache, ModelCache
from .catalog import Catalog, JourneyEntry, Layout, OpportunityRef, PersonaEntry
from .figures import (
    STATUSES,
    Figures,
    all_gaps,
    channel_switches,
    emotion_by,
    handoffs,
    journey_figures,
    lowest_moments,
    opportunities_by_team,
    ranked,
    stage_differences,
)
from .history import History
from .labels import Labels
from .markup import contained_body, drop_unsafe_urls, md, page_title, render_markdown
from .model import (
    DEFAULT_SCALE,
    EmotionScale,
    Journey,
    Milestone,
    Opportunity,
    Roadmap,
    Touchpoint,
)
from .render import (
    Bar,
    BarOptions,
    ComparisonOptions,
    MapOptions,
    MilestoneMark,
    RoadmapOptions,
    Series,
    SparklineOptions,
    render_comparison,
    render_emotion_bars,
    render_journey_map,
    render_roadmap,
    render_sparkline,
)
from .render.history import HistoryOptions, Point, render_history
from .render.svg import with_styles

PRIORITIES = ("must", "should", "could", "wont")
STYLESHEET = "assets/journeys/journeys.css"
_CHART = re.compile(r"<!-- journeys:([a-z]+):([a-z0-9-]+) -->")


def chart_placeholder(kind: str, key: str) -> Markup:
    """Where a chart goes in a page; keys are slugs (ids), so this is inert."""
    return Markup(f"<!-- journeys:{kind}:{key} -->")


def insert_charts(html: str, chart: Callable[[str, str], str]) -> str:
    """The page's HTML with every chart placeholder replaced by `chart(kind, key)`."""
    return _CHART.sub(lambda m: chart(m.group(1), m.group(2)), html)


LINKS_PLACEHOLDER = "<!-- journeys:links -->"


def _ours_and_body(html: str) -> tuple[str, str]:
    """The page's own part, and the author's body with what follows it (see generated_content):
    a comment in the body that looks like one of ours stays a comment."""
    start = html.find(NOTES_DIV)
    return (html, "") if start < 0 else (html[:start], html[start:])


def finish_page(html: str, chart: Callable[[str, str], str],
                links: str | None) -> tuple[str, dict[str, str]]:
    """A generated page's HTML with its charts, and its edit and feedback links if it has any;
    and what went in for each placeholder, so that it can be taken out again for search.

    Only the page's own part is searched for chart placeholders. The links go after the body,
    which is last in the page, whatever its HTML holds.
    """
    shown: dict[str, str] = {}

    def drawn(match: re.Match[str]) -> str:
        svg = shown[match.group(0)] = chart(match.group(1), match.group(2))
        return svg

    ours, body = _ours_and_body(html)
    html = _CHART.sub(drawn, ours) + body
    if links:
        html = f"{html}\n{links}"
        shown[LINKS_PLACEHOLDER] = links
    return html, shown


def hide_from_search(html: str, shown: Mapping[str, str]) -> str:
    """The page's HTML with what `finish_page` put in back to its placeholders: search parses
    every tag (DESIGN.md section 6) and should index the touchpoint table, not the charts."""
    links = shown.get(LINKS_PLACEHOLDER)
    at = html.rfind(links) if links else -1
    if links and at >= 0:
        html = html[:at] + LINKS_PLACEHOLDER + html[at + len(links):]
    ours, body = _ours_and_body(html)
    for placeholder, fragment in shown.items():
        if placeholder != LINKS_PLACEHOLDER:
            ours = ours.replace(fragment, placeholder)
    return ours + body


def show_again(html: str, shown: Mapping[str, str]) -> str:
    """The page's HTML with what `hide_from_search` took out back in its place."""
    links = shown.get(LINKS_PLACEHOLDER)
    at = html.rfind(LINKS_PLACEHOLDER) if links else -1
    if links and at >= 0:
        html = html[:at] + links + html[at + len(LINKS_PLACEHOLDER):]
    ours, body = _ours_and_body(html)
    for placeholder, fragment in shown.items():
        if placeholder != LINKS_PLACEHOLDER:
            ours = ours.replace(placeholder, fragment)
    return ours + body
    return html


def page_links(labels: Labels, edit_url: str | None, feedback: str | None,
               values: dict[str, str]) -> str:
    """'Edit this file' and 'Give feedback' for a journey or persona page, as safe HTML."""
    links = []
    if edit_url:
        links.append(f'<a href="{escape(edit_url)}">{escape(labels("edit_source"))}</a>')
    if feedback:
        href = feedback.format(**{k: quote(v, safe="") for k, v in values.items()})
        links.append(f'<a href="{escape(href)}">{escape(labels("give_feedback"))}</a>')
    if not links:
        return ""
    return f'<p class="journey-page-links">{" · ".join(links)}</p>'


def initials(name: str) -> str:
    """Up to two initials for an avatar: 'Eva Kovacs' -> 'EK'."""
    name = without_controls(name)
    words = [w for w in name.split() if w[:1].isalpha()]
    picked = words[:1] + words[1:][-1:]
    return "".join(w[0].upper() for w in picked) or name[:1]


_ISLAND = re.compile(r"<!-- journeys:island:(\d+) -->")
_OPENING = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[\s>]")
_BLANK_LINES = re.compile(r"(\n[ \t]*\n)")


def _one_element(chunk: str, tag: str) -> bool:
    """Whether `chunk` is one `tag` element: it closes at the very end, and not before."""
    depth = 0
    for match in re.finditer(rf"<(/?){tag}[\s>]", chunk, re.IGNORECASE):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return chunk[match.end():].strip() == ""
    return False


def stash_html_blocks(markdown_text: str) -> tuple[str, list[str]]:
    """Our pages' HTML blocks (tables, cards, lists) out of the Markdown, as numbered comments.

    Python-Markdown copies a raw HTML block through unchanged, but reads it with its
    pure-Python HTML parser first: on a journey page that cost three times the rest of the
    page. A chunk between blank lines that is one block-level element goes in `islands`; the
    plugin puts it back in the HTML, before search indexes the page. A page's body is the
    author's Markdown and reaches MkDocs as written: nothing after NOTES_START is stashed.
    """
    ours, body = split_body(markdown_text)
    chunks = _BLANK_LINES.split(ours)
    islands: list[str] = []
    for number, chunk in enumerate(chunks):
        opening = _OPENING.match(chunk)
        if (opening and opening.group(1).lower() in BLOCK_LEVEL_ELEMENTS
                and _one_element(chunk, opening.group(1))):
            chunks[number] = f"<!-- journeys:island:{len(islands)} -->"
            islands.append(chunk.strip("\n"))
        else:
            chunks[number] = _inert_braces(chunk)
    return "".join(chunks) + body, islands


def _inert_braces(chunk: str) -> str:
    """Braces as character references, the same text in HTML and Markdown: plugins such as
    mkdocs-macros run `{{ }}` and `{% %}` in a page's Markdown (and its title) as templates,
    and no author value of ours is one. Stashed blocks are out of their reach already."""
    return chunk.replace("{", "&#123;").replace("}", "&#125;") if "{" in chunk else chunk


def restore_islands(html: str, islands: list[str]) -> str:
    """The page's HTML with each stashed block back in its place (never in the body, where a
    comment that looks like a placeholder is the author's text)."""
    ours, body = split_body(html)
    return _ISLAND.sub(lambda m: islands[int(m.group(1))], ours) + body


# Where the body of a journey or persona page starts: it is the last part of the page, so it
# runs to the end of the Markdown and of the HTML. Author text before it is written as inert
# Markdown and escaped HTML, which can hold no comment: the first one is ours. The div that
# holds the body (and lets the stylesheet reach it) is put in after Markdown, as Markdown
# inside a raw <div> would stay raw.
NOTES_START = "<!-- journeys:notes -->"
NOTES_DIV = '<div class="journey-notes">'


def split_body(text: str) -> tuple[str, str]:
    """A generated page's Markdown or HTML: our part, and its body from NOTES_START on."""
    start = text.find(NOTES_START)
    return (text, "") if start < 0 else (text[:start], text[start:])


def generated_content(html: str, islands: list[str] | None) -> str:
    """A generated page's HTML as MkDocs' Markdown made it, with our blocks back in it, its
    body in a block of its own, and without unsafe links.

    The body of a journey or persona page is the author's Markdown, rendered by the site's
    Markdown with the site's extensions, raw HTML and all, as any page of the site would be.
    What would reach past it into our page is taken out (see contained_body), and its links
    are checked here, on the HTML, whatever Markdown made of them (the other author fields
    were made safe when the page was written).
    """
    html = restore_islands(html, islands) if islands else html
    ours, body = split_body(html)
    if body:
        # Markdown puts our comment and blank lines before the body's first element.
        body = body[len(NOTES_START):].lstrip("\n")
        html = f"{ours}{NOTES_DIV}{contained_body(body)}</div>"
    return drop_unsafe_urls(html)


def published_markdown(markdown_text: str, islands: list[str] | None,
                       shown: Mapping[str, str]) -> str:
    """A generated page's Markdown as it reads without our placeholders: the HTML blocks,
    charts and links in their places, for plugins that read `page.markdown` once the page is
    rendered (rss makes its item descriptions from it)."""
    text = restore_islands(markdown_text, islands) if islands else markdown_text
    ours, body = split_body(text)
    # The links come after the HTML, not in the Markdown; the body is the author's as written.
    ours = show_again(ours, {k: v for k, v in shown.items() if k != LINKS_PLACEHOLDER})
    return ours + body.removeprefix(NOTES_START)


@dataclass(frozen=True)
class PageSet:
    """The generated pages: src_uri (relative to the content folder) to Markdown."""

    pages: dict[str, str]
    edit_uris: dict[str, str]
    unlisted: set[str]  # pages reached by links, kept out of the menu
    subjects: dict[str, dict[str, str]]  # journey and persona pages: what feedback is about
    islands: dict[str, list[str]] = field(default_factory=dict)  # see stash_html_blocks


class PageWriter:
    """Writes every generated page of a catalog with one Jinja environment and one locale."""

    def __init__(self, catalog: Catalog, addresses: Addresses, labels: Labels,
                 scale: EmotionScale = DEFAULT_SCALE,
                 today: datetime.date | None = None,
                 histories: Mapping[str, History] | None = None,
                 stored: ModelCache | None = None) -> None:
        self.catalog = catalog
        self.histories = histories or {}
        self.stored = stored or ModelCache(None, "pages")
        self.stashed: dict[str, tuple[str, list[str]]] = {}  # by address, as all_pages gives it
        self.at = addresses
        self.t = labels
        self.scale = scale
        self.today = today or build_date()
        self.env = Environment(
            loader=PackageLoader(__package__, "templates"),
            bytecode_cache=COMPILED_TEMPLATES,  # in memory: see CompiledTemplates
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(md=md, page_title=page_title, score=labels.score,
                                date=labels.date, number=labels.number,
                                markdown=render_markdown, initials=initials,
                                signed=labels.signed, by_journey=by_journey,
                                by_priority=by_priority)
        self.env.globals.update(t=labels, priorities=PRIORITIES, chart=chart_placeholder,
                                notes_start=lambda: Markup(NOTES_START))
        self._figures: dict[str, Figures] = {}  # worked out when a page first shows them
        self.tags = catalog.tags()
        self.tag_slugs = slugs_for(self.tags, "tag")
        self.opportunities = catalog.opportunities()
        teams = [r.opportunity.team for r in self.opportunities if r.opportunity.team]
        self.team_slugs = slugs_for(teams, "team", reserved={"index"})  # the whole backlog
        self.groups = catalog.groups()
        self.compared_by: dict[str, list[JourneyEntry]] = {}
        for entry in catalog.journeys.values():
            if entry.journey.compare_to:
                self.compared_by.setdefault(entry.journey.compare_to, []).append(entry)
        # What every generated page shows besides its own entries (see _remember).
        roadmap = catalog.roadmap
        # The date shows on the roadmap alone (overdue milestones): it is in that page's key.
        self._site_key = repr((labels.language, addresses, scale,
                               tuple(self.tags), self.tag_slugs, self.team_slugs,
                               bool(self.opportunities), roadmap.digest if roadmap else None))

    def figures(self, journey_id: str) -> Figures:
        found = self._figures.get(journey_id)
        if found is None:
            found = self._figures[journey_id] = journey_figures(
                self.catalog.journeys[journey_id].journey)
        return found

    def tag_uri(self, tag: str) -> str:
        return self.at.tag(self.tag_slugs[tag.casefold()])

    def team_uri(self, team: str) -> str:
        return self.at.team_backlog(self.team_slugs[team.casefold()])

    def _render(self, template: str, uri: str, **context: object) -> str:
        def href(target: str, fragment: str = "") -> str:
            return self.at.href(uri, target, fragment)

        pieces = Pieces(self.stored, self._pieces_key(uri), self._shown)

        def photo(entry: PersonaEntry) -> str | None:
            picture = entry.persona.photo
            if picture is None:
                return None
            return self.at.file_href(uri, f"{entry.src_uri.rsplit('/', 1)[0]}/{picture}")

        text = self.env.get_template(template).render(
            href=href, photo=photo, at=self.at, figures=self.figures, catalog=self.catalog,
            tag_uri=self.tag_uri, team_uri=self.team_uri, tags=self.tags, piece=pieces,
            backlog=self.at.layout.backlog and bool(self.opportunities),
            has_roadmap=self.catalog.roadmap is not None, **{"searchable": True, **context})
        pieces.save()
        return text

    def _pieces_key(self, uri: str) -> str:
        return self.stored.key(self._site_key, "pieces", uri)

    def _remember(self, uri: str, parts: tuple[object, ...], make: Callable[[], str]) -> str:
        """The page at `uri` from the cache when none of what it shows changed. Entries are
        named by the hashes of their files; an entry without one (built in code) is never
        cached. The page's parts (see Pieces), if it has any, are kept for its next change.

        A page is kept as MkDocs gets it, its HTML blocks stashed (see stash_html_blocks):
        finding them again was a fifth of a second build's pages."""
        key = None
        if _all_named(parts):
            self.stored.keep(self._pieces_key(uri))
            key = self.stored.key(self._site_key, repr(parts))
        found = self.stored.get(key, _stashed_page) if key else None
        if found is None:
            found = stash_html_blocks(make())
            if key:
                self.stored.put(key, found)
        self.stashed[uri] = found
        return restore_islands(*found)

    def journey_page(self, entry: JourneyEntry) -> str:
        journey = entry.journey
        compared = self.catalog.journeys.get(journey.compare_to) if journey.compare_to else None
        persona = self.catalog.personas[journey.persona]
        group = self.groups.get(journey.group or "", [])
        parts = ("journey", entry.id, entry.src_uri, entry.digest, persona.src_uri,
                 persona.digest, (compared.id, compared.digest) if compared else None,
                 tuple((e.id, e.digest) for e in self.compared_by.get(entry.id, [])),
                 repr(self.histories.get(entry.id)), tuple((e.id, e.digest) for e in group))
        return self._remember(self.at.journey(entry.id), parts,
                              lambda: self._journey_page(entry, persona, compared))

    def _journey_page(self, entry: JourneyEntry, persona: PersonaEntry,
                      compared: JourneyEntry | None) -> str:
        journey = entry.journey
        return self._render(
            "journey.md.j2", self.at.journey(entry.id), entry=entry, journey=journey,
            persona=persona, compared=compared,
            compared_by=self.compared_by.get(entry.id, []), rows=touchpoint_rows(journey),
            numbers=opportunity_numbers(journey),
            grouped=group_by_priority(journey.opportunities),
            map_file=self.at.file_href(self.at.journey(entry.id), self.at.map_file(entry.id)),
            history=self.histories.get(entry.id),
            differences=stage_differences(journey, compared.journey) if compared else [],
            group=journey.group if journey.group in self.groups else None)

    def persona_page(self, entry: PersonaEntry) -> str:
        journeys = self.catalog.journeys_of(entry.id)
        parts = ("persona", entry.id, entry.src_uri, entry.digest,
                 tuple((j.id, j.digest) for j in journeys))
        return self._remember(self.at.persona(entry.id), parts, lambda: self._render(
            "persona.md.j2", self.at.persona(entry.id), entry=entry, persona=entry.persona,
            journeys=sorted_journeys(journeys)))

    def _shown(self, journeys: Iterable[JourneyEntry]) -> tuple[object, ...]:
        """What a list of journey cards or rows shows: each journey's file and its persona's."""
        personas = self.catalog.personas
        return tuple((j.id, j.src_uri, j.digest, personas[j.journey.persona].src_uri,
                      personas[j.journey.persona].digest) for j in journeys)

    def journey_index(self, uri: str) -> str:
        personas = [p for p in self.catalog.personas.values()
                    if self.catalog.journeys_of(p.id)]
        journeys = sorted_journeys(self.catalog.journeys.values())
        parts = ("index", uri, self._shown(journeys))
        # As the home page it repeats the journey index word for word: searched once, there.
        return self._remember(uri, parts, lambda: self._render(
            "index.md.j2", uri, title=self.t("journeys"), intro=self.t("journey_index_intro"),
            personas=personas, journeys=journeys, searchable=uri == self.at.journey_index()))

    def persona_index(self) -> str:
        """Every persona with their journeys: the page a reader expects behind the menu's
        Personas section (and the section's own page with section-index)."""
        uri = self.at.persona_index()
        personas = [(p, sorted_journeys(self.catalog.journeys_of(p.id)))
                    for p in self.catalog.personas.values()]
        parts = ("personas", uri, tuple((p.id, p.src_uri, p.digest) for p, _ in personas),
                 self._shown(sorted_journeys(self.catalog.journeys.values())))
        return self._remember(uri, parts, lambda: self._render(
            "personas.md.j2", uri, title=self.t("personas"),
            intro=self.t("persona_index_intro"), personas=personas))

    def tag_page(self, tag: str, journeys: list[JourneyEntry]) -> str:
        # Tag, team and group pages repeat what journey pages say: kept out of search, so that
        # a search finds each touchpoint and opportunity once, on its journey.
        shown, uri = sorted_journeys(journeys), self.tag_uri(tag)
        return self._remember(uri, ("tag", tag, self._shown(shown)), lambda: self._render(
            "index.md.j2", uri, title=self.t("tag_title", tag=tag), intro=None,
            personas=[], journeys=shown, searchable=False))

    def backlog_page(self, uri: str, refs: list[OpportunityRef], team: str | None) -> str:
        teams = sorted({r.opportunity.team for r in self.opportunities if r.opportunity.team},
                       key=str.casefold)
        # Rows come from their journeys' files alone; the team filter lists every team.
        journeys = {r.journey.id: r.journey for r in refs}.values()
        parts = ("backlog", uri, team, tuple(teams), self._shown(journeys))
        return self._remember(uri, parts, lambda: self._backlog_page(uri, refs, team, teams))

    def _backlog_page(self, uri: str, refs: list[OpportunityRef], team: str | None,
                      teams: list[str]) -> str:
        title = self.t("backlog_of_team", team=team) if team else self.t("backlog")
        grouped = list(by_priority(refs).items())
        return self._render("backlog.md.j2", uri, title=title, team=team, teams=teams,
                            grouped=grouped, count=len(refs), searchable=team is None)

    def roadmap_page(self) -> str:
        parts = ("roadmap", self.today.isoformat(), self._shown(self.catalog.journeys.values()))
        return self._remember(self.at.roadmap(), parts, self._roadmap_page)

    def _roadmap_page(self) -> str:
        view = roadmap_view(self.catalog, self.today)
        assert view is not None
        return self._render("roadmap.md.j2", self.at.roadmap(), view=view, today=self.today)

    def insights_page(self) -> str:
        parts = ("insights", self._shown(self.catalog.journeys.values()))
        return self._remember(self.at.insights(), parts, self._insights_page)

    def _insights_page(self) -> str:
        journeys = {i: e.journey for i, e in self.catalog.journeys.items()}
        return self._render(
            "insights.md.j2", self.at.insights(), journeys=journeys,
            by_channel=emotion_by(journeys, "channel"), by_team=emotion_by(journeys, "team"),
            lowest=lowest_moments(journeys), gaps=all_gaps(journeys),
            switches=ranked(journeys, channel_switches), handoffs=ranked(journeys, handoffs),
            loads=opportunities_by_team(journeys), statuses=STATUSES)

    def group_page(self, group_id: str, entries: list[JourneyEntry]) -> str:
        uri = self.at.group(group_id)
        return self._remember(uri, ("group", group_id, self._shown(entries)), lambda: self._render(
            "group.md.j2", uri, group_id=group_id, journeys=entries, searchable=False))

    def all_pages(self, with_home: bool) -> PageSet:
        """Every page; the journey index doubles as the home page when the site has none."""
        pages: dict[str, str] = {}
        edit_uris: dict[str, str] = {}
        for journey_id, entry in self.catalog.journeys.items():
            pages[self.at.journey(journey_id)] = self.journey_page(entry)
            edit_uris[self.at.journey(journey_id)] = entry.src_uri
        for persona_id, persona in self.catalog.personas.items():
            pages[self.at.persona(persona_id)] = self.persona_page(persona)
            edit_uris[self.at.persona(persona_id)] = persona.src_uri
        if self.catalog.personas:
            pages[self.at.persona_index()] = self.persona_index()
        pages[self.at.journey_index()] = self.journey_index(self.at.journey_index())
        if with_home:
            pages["index.md"] = self.journey_index("index.md")
        for tag, journeys in self.tags.items():
            pages[self.tag_uri(tag)] = self.tag_page(tag, journeys)
        if self.at.layout.backlog and self.opportunities:
            pages[self.at.backlog()] = self.backlog_page(self.at.backlog(), self.opportunities,
                                                         None)
            for team in {r.opportunity.team.casefold(): r.opportunity.team
                         for r in self.opportunities if r.opportunity.team}.values():
                refs = [r for r in self.opportunities
                        if (r.opportunity.team or "").casefold() == team.casefold()]
                pages[self.team_uri(team)] = self.backlog_page(self.team_uri(team), refs, team)
        if self.catalog.roadmap is not None:
            pages[self.at.roadmap()] = self.roadmap_page()
        pages[self.at.insights()] = self.insights_page()
        for group_id, entries in self.groups.items():
            pages[self.at.group(group_id)] = self.group_page(group_id, entries)
        unlisted = {self.tag_uri(tag) for tag in self.tags}
        unlisted |= {self.at.group(group_id) for group_id in self.groups}
        unlisted |= {uri for uri in pages if uri.startswith(f"{self.at.layout.backlog_dir}/")
                     and uri != self.at.backlog()}
        subjects = {self.at.journey(i): {"title": e.journey.title, "id": i, "kind": "journey",
                                         "path": e.src_uri}
                    for i, e in self.catalog.journeys.items()}
        subjects |= {self.at.persona(i): {"title": e.persona.name, "id": i, "kind": "persona",
                                          "path": e.src_uri}
                     for i, e in self.catalog.personas.items()}
        islands: dict[str, list[str]] = {}
        for uri in pages:
            pages[uri], islands[uri] = self.stashed[uri]
        return PageSet(pages, edit_uris, unlisted, subjects, islands)


class Pieces:
    """The parts of one long page, each stored by what it shows: when one journey of 300
    changes, the backlog renders that journey's rows again and takes the other rows from the
    last build. Used in templates as `{% call piece("rows", journey, ...) %}...{% endcall %}`;
    a part's key is its name, its journey's files and the other arguments, and its text may
    depend on nothing else but the page (its address) and the site (its key)."""

    def __init__(self, stored: ModelCache, key: str,
                 shown: Callable[[Iterable[JourneyEntry]], tuple[object, ...]]) -> None:
        self.stored = stored
        self.key = key
        self.shown = shown
        self.last: dict[str, str] | None = None  # read on the first part asked for
        self.now: dict[str, str] = {}
        self.made = 0

    def __call__(self, name: str, journey: JourneyEntry, *more: object,
                 caller: Callable[[], str]) -> Markup:
        shown = self.shown([journey])
        if not _all_named(shown):
            return Markup(caller())
        key = repr((name, shown, more))
        if self.last is None:
            self.last = self.stored.load(self.key, _texts_by_key) or {}
        text = self.now.get(key) or self.last.get(key)
        if text is None:
            text = str(caller())
            self.made += 1
        self.now[key] = text
        return Markup(text)

    def save(self) -> None:
        """Store this build's parts when any is new or one of the last build's went unused."""
        if self.now and (self.made or len(self.now) != len(self.last or {})):
            self.stored.store(self.key, self.now)


def _stashed_page(data: object) -> tuple[str, list[str]] | None:
    """A stored page as `stash_html_blocks` gives it, or None when it is not one."""
    if (isinstance(data, list) and len(data) == 2 and isinstance(data[0], str)
            and isinstance(data[1], list) and all(isinstance(i, str) for i in data[1])):
        return data[0], data[1]
    return None


def _texts_by_key(data: object) -> dict[str, str] | None:
    """Stored parts of a page (see Pieces), or None when they are not texts by key."""
    if isinstance(data, dict) and all(isinstance(text, str) for text in data.values()):
        return data
    return None


@dataclass(frozen=True)
class JourneyRows:
    """Consecutive opportunities of one journey in a list of rows (see by_journey)."""

    journey: JourneyEntry
    refs: list[OpportunityRef]

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(r.number for r in self.refs)


def by_journey(refs: Iterable[OpportunityRef]) -> list[JourneyRows]:
    """Rows cut where the journey changes, in their order (Jinja's groupby would sort)."""
    groups: list[JourneyRows] = []
    for ref in refs:
        if groups and groups[-1].journey is ref.journey:
            groups[-1].refs.append(ref)
        else:
            groups.append(JourneyRows(ref.journey, [ref]))
    return groups


def by_priority(refs: Iterable[OpportunityRef]) -> dict[str, list[OpportunityRef]]:
    """Opportunities by MoSCoW priority, each list in the given order; one pass."""
    grouped: dict[str, list[OpportunityRef]] = {p: [] for p in PRIORITIES}
    for ref in refs:
        grouped[ref.opportunity.priority].append(ref)
    return grouped


def _all_named(parts: object) -> bool:
    """No empty digest anywhere in a page's key parts."""
    if isinstance(parts, tuple):
        return all(_all_named(part) for part in parts)
    return parts != ""


def map_options(entry: JourneyEntry, catalog: Catalog, scale: EmotionScale,
                labels: Labels) -> MapOptions:
    """How a journey's map is drawn: with the journey it compares to, ids prefixed by its id."""
    compared = catalog.journeys.get(entry.journey.compare_to or "")
    return MapOptions(scale, labels, labels.direction, f"map-{entry.id}",
                      compared.journey if compared else None,
                      compared.journey.title if compared else "")


def section_titles(layout: Layout, labels: Labels) -> dict[str, str]:
    """The menu's name for each folder of generated pages."""
    return {layout.journeys_dir: labels("journeys"), layout.personas_dir: labels("personas"),
            layout.backlog_dir: labels("backlog"), layout.roadmap_dir: labels("roadmap"),
            layout.insights_dir: labels("insights")}


def build_date() -> datetime.date:
    """Today, or the day of SOURCE_DATE_EPOCH, so that a build can be reproduced exactly."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc).date()
    return datetime.date.today()


@dataclass(frozen=True)
class MilestoneView:
    milestone: Milestone
    refs: list[OpportunityRef]  # its opportunities, won't-haves left out
    overdue: bool

    @property
    def done(self) -> int:
        return sum(1 for r in self.refs if r.opportunity.status == "done")


@dataclass(frozen=True)
class RoadmapView:
    """The roadmap with its opportunities: per milestone, won't have, and not yet planned."""

    roadmap: Roadmap
    milestones: list[MilestoneView]
    wont: list[OpportunityRef]
    unplanned: list[OpportunityRef]


def roadmap_view(catalog: Catalog, today: datetime.date) -> RoadmapView | None:
    """Milestones in date order; a past milestone with open opportunities is overdue."""
    if catalog.roadmap is None:
        return None
    refs = catalog.opportunities()
    planned = [r for r in refs if r.opportunity.priority != "wont"]
    # Grouped once: picking each milestone's out of all of them was milestones x opportunities.
    by_milestone: dict[str, list[OpportunityRef]] = {}
    for ref in planned:
        if ref.opportunity.milestone is not None:
            by_milestone.setdefault(ref.opportunity.milestone, []).append(ref)
    views = []
    for milestone in sorted(catalog.roadmap.roadmap.milestones, key=lambda m: (m.date, m.id)):
        mine = list(by_milestone.get(milestone.id, ()))
        open_ones = [r for r in mine if r.opportunity.status != "done"]
        views.append(MilestoneView(milestone, mine, milestone.date < today and bool(open_ones)))
    return RoadmapView(catalog.roadmap.roadmap, views,
                       [r for r in refs if r.opportunity.priority == "wont"],
                       [r for r in planned if r.opportunity.milestone is None])


class Charts:
    """Every chart a page can hold, drawn when its placeholder is swapped in, or reused."""

    def __init__(self, catalog: Catalog, scale: EmotionScale, labels: Labels,
                 today: datetime.date, histories: Mapping[str, History] | None = None,
                 cache: ChartCache | None = None) -> None:
        self.catalog = catalog
        self.scale = scale
        self.labels = labels
        self.today = today
        self.histories = histories or {}
        self.cache = cache or ChartCache(None)
        self.digests = {id(e.journey): e.digest for e in catalog.journeys.values() if e.digest}
        # A sparkline shows on up to four pages and a map twice (page, file): its key is
        # described once per build.
        self._svgs: dict[tuple[str, str], str] = {}

    def _draw(self, renderer: Callable[..., str], *arguments: object) -> str:
        inputs = describe_inputs((renderer.__module__, renderer.__name__, arguments),
                                 self.digests)
        kind = renderer.__name__.removeprefix("render_")
        return self.cache.get(kind, inputs, lambda: renderer(*arguments))

    def svg(self, kind: str, key: str) -> str:
        found = self._svgs.get((kind, key))
        if found is None:
            found = self._svgs[kind, key] = self._svg(kind, key)
        else:
            self.cache.reused += 1
        return found

    def _svg(self, kind: str, key: str) -> str:
        catalog, labels, direction = self.catalog, self.labels, self.labels.direction
        if kind == "map":
            entry = catalog.journeys[key]
            return self._draw(render_journey_map, entry.journey,
                              map_options(entry, catalog, self.scale, labels))
        if kind == "sparkline":
            return self._draw(render_sparkline, catalog.journeys[key].journey, SparklineOptions(
                scale=self.scale, labels=labels, direction=direction, id_prefix=f"spark-{key}"))
        if kind == "compare":
            entry = catalog.journeys[key]
            other = catalog.journeys[entry.journey.compare_to or ""]
            series = [Series(entry.journey.title, entry.journey),
                      Series(other.journey.title, other.journey)]
            return self._draw(render_comparison, series, ComparisonOptions(
                scale=self.scale, labels=labels, direction=direction,
                id_prefix=f"compare-{key}", title=entry.journey.title))
        if kind == "group":
            entries = catalog.groups()[key]
            series = [Series(catalog.personas[e.journey.persona].persona.name, e.journey)
                      for e in entries]
            return self._draw(render_comparison, series, ComparisonOptions(
                scale=self.scale, labels=labels, direction=direction, id_prefix=f"group-{key}",
                title=entries[0].journey.title))
        if kind == "roadmap":
            view = roadmap_view(catalog, self.today)
            assert view is not None
            marks = [MilestoneMark(m.milestone.id, m.milestone.title, m.milestone.date, m.done,
                                   len(m.refs), m.overdue) for m in view.milestones]
            return self._draw(render_roadmap, view.roadmap.title, marks, RoadmapOptions(
                labels=labels, direction=direction, id_prefix="roadmap-chart", today=self.today))
        if kind == "history":
            points = [Point(r.date, r.average, r.lowest) for r in self.histories[key].revisions]
            return self._draw(render_history, catalog.journeys[key].journey.title, points,
                              HistoryOptions(scale=self.scale, labels=labels,
                                             direction=direction, id_prefix=f"history-{key}"))
        if kind == "bars":
            groups = emotion_by({i: e.journey for i, e in catalog.journeys.items()},
                                "channel" if key == "channel" else "team")
            return self._draw(
                render_emotion_bars,
                [Bar(g.name, g.average, g.lowest, g.count) for g in groups],
                BarOptions(scale=self.scale, labels=labels, direction=direction,
                           id_prefix=f"bars-{key}", what=labels(f"what_{key}"),
                           what_plural=labels(f"what_{key}_plural"),
                           count_label=labels("count_label"),
                           legend_average=labels("legend_average"),
                           legend_lowest=labels("legend_lowest")))
        raise KeyError(kind)


def describe_inputs(value: object, digests: Mapping[int, str]) -> str:
    """A renderer's arguments as deterministic text for the chart cache's key.

    Renderers are pure functions of their arguments, whose reprs are deterministic (models,
    dataclasses, Labels by language). A journey read from a file is named by its file's hash
    instead (its model is a function of those bytes, the scale and our code, which the key
    holds too): writing out its repr for every chart cost more than reading the drawing.
    """
    digest = digests.get(id(value))
    if digest is not None:
        return f"journey:{digest}"
    if is_dataclass(value) and not isinstance(value, type):
        inner = ", ".join(describe_inputs(getattr(value, f.name), digests) for f in fields(value))
        return f"{type(value).__name__}({inner})"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(describe_inputs(item, digests) for item in value) + "]"
    return repr(value)


STANDALONE_HEADER = '<?xml version="1.0" encoding="utf-8"?>\n'


def standalone_map(entry: JourneyEntry, catalog: Catalog, scale: EmotionScale,
                   labels: Labels) -> str:
    """The map as a file of its own, for mail, wikis and slides: its styles go inside it."""
    svg = render_journey_map(entry.journey, map_options(entry, catalog, scale, labels))
    return STANDALONE_HEADER + with_styles(svg, stylesheet()) + "\n"


def write_standalone_maps(site_dir: Path, charts: Charts, addresses: Addresses) -> None:
    """Each journey's map as a file of its own beside its page, for the download link."""
    css = stylesheet()
    folders: set[Path] = set()
    for journey_id in charts.catalog.journeys:
        target = site_dir / addresses.map_file(journey_id)
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        svg = with_styles(charts.svg("map", journey_id), css)  # the page's drawing, reused
        target.write_text(STANDALONE_HEADER + svg + "\n", encoding="utf-8")


def stylesheet() -> str:
    """The plugin's stylesheet: maps, cards and tables, then the other charts."""
    assets = files(__package__).joinpath("assets")
    return "\n".join(assets.joinpath(name).read_text("utf-8")
                     for name in ("journeys.css", "charts.css"))


def sorted_journeys(entries: Iterable[JourneyEntry]) -> list[JourneyEntry]:
    """By title; a journey that compares to another comes right after it (ideal after current)."""
    by_id = {e.id: e for e in entries}

    def key(entry: JourneyEntry) -> tuple[str, int, str]:
        other = by_id.get(entry.journey.compare_to or "")
        anchor = other.journey.title if other else entry.journey.title
        return anchor.casefold(), 1 if other else 0, entry.id

    return sorted(by_id.values(), key=key)


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
    # Each touchpoint's opportunities gathered once: not touchpoints x opportunities.
    by_touchpoint: dict[str | None, list[Opportunity]] = {}
    for opportunity in journey.opportunities:
        for touchpoint_id in dict.fromkeys(opportunity.touchpoints):
            by_touchpoint.setdefault(touchpoint_id, []).append(opportunity)
    for stage in journey.stages:
        for position, touchpoint in enumerate(stage.touchpoints):
            touching = list(by_touchpoint.get(touchpoint.id, ()))
            rows.append(TouchpointRow(len(rows) + 1, stage.name, position == 0,
                                      len(stage.touchpoints), touchpoint, touching))
    return rows


def group_by_priority(opportunities: list[Opportunity]) -> list[tuple[str, list[Opportunity]]]:
    """MoSCoW groups in priority order, leaving out empty ones."""
    groups = [(p, [o for o in opportunities if o.priority == p]) for p in PRIORITIES]
    return [(p, items) for p, items in groups if items]
