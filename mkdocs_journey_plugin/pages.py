"""Models to page Markdown through Jinja templates, one page function per kind of page.

Pages: one per journey and persona, the journey index (also the home page when the site has
none), a page per tag, the opportunity backlog and a backlog per team, the roadmap, the
insights and a page per group. Each page is kept (and cached) with its HTML blocks stashed
(see islands.py); its charts are placeholders that the plugin swaps in after Markdown.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .addresses import Addresses, slugs_for
from .cache import COMPILED_TEMPLATES, PageCache
from .catalog import Catalog, JourneyEntry, OpportunityRef, PersonaEntry
from .durations import format_duration
from .figures import (
    PRIORITIES,
    STATUSES,
    Figures,
    all_gaps,
    all_moments_of_truth,
    channel_switches,
    emotion_by,
    handoffs,
    journey_figures,
    lowest_moments,
    missed_by_channel,
    missed_by_journey,
    opportunities_by_team,
    ranked,
    stage_differences,
)
from .history import History
from .islands import NOTES_START, chart_placeholder, restore_islands, stash_html_blocks
from .labels import Labels
from .markup import md, page_title, render_markdown
from .model import DEFAULT_SCALE, EmotionScale
from .render.metrics_lane import STATES, SYMBOLS, shown_target, shown_value
from .timing import timed_calls
from .views import (
    build_date,
    by_journey,
    by_priority,
    group_by_priority,
    initials,
    opportunity_numbers,
    roadmap_view,
    sorted_journeys,
    touchpoint_rows,
)


@dataclass(frozen=True)
class PageSet:
    """The generated pages: src_uri (relative to the content folder) to Markdown."""

    pages: dict[str, str]
    edit_uris: dict[str, str]
    unlisted: set[str]  # pages reached by links, kept out of the menu
    subjects: dict[str, dict[str, str]]  # journey and persona pages: what feedback is about
    islands: dict[str, list[str]] = field(default_factory=dict)  # see stash_html_blocks


@dataclass(frozen=True)
class Written:
    """One generated page as MkDocs gets it: its Markdown with its HTML blocks stashed, and
    those blocks (see islands.stash_html_blocks)."""

    markdown: str
    islands: list[str]

    @property
    def text(self) -> str:
        """The page's Markdown as its template wrote it, the blocks in their places."""
        return restore_islands(self.markdown, self.islands)


class PageWriter:
    """Writes every generated page of a catalog with one Jinja environment and one locale."""

    def __init__(self, catalog: Catalog, addresses: Addresses, labels: Labels,
                 scale: EmotionScale = DEFAULT_SCALE,
                 today: datetime.date | None = None,
                 histories: Mapping[str, History] | None = None,
                 stored: PageCache | None = None, png: bool = False) -> None:
        self.catalog = catalog
        self.png = png  # a PNG of each map is published: the page links to it
        self.histories = histories or {}
        self.stored = stored or PageCache(None)
        self.addresses = addresses
        self.labels = labels
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
                                duration=lambda seconds: format_duration(seconds, labels),
                                date=labels.date, number=labels.number,
                                markdown=timed_calls("markup.render_markdown")(render_markdown),
                                initials=initials,
                                measure_value=lambda m: shown_value(
                                    m.value, m.unit, labels, labels.direction),
                                measure_target=lambda m: shown_target(m, labels,
                                                                      labels.direction),
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
            entry = self.catalog.journeys[journey_id]
            found = self._figures[journey_id] = journey_figures(entry.journey, entry.measures)
        return found

    def tag_uri(self, tag: str) -> str:
        return self.addresses.tag(self.tag_slugs[tag.casefold()])

    def team_uri(self, team: str) -> str:
        return self.addresses.team_backlog(self.team_slugs[team.casefold()])

    def _render(self, template: str, uri: str, **context: object) -> str:
        def href(target: str, fragment: str = "") -> str:
            return self.addresses.href(uri, target, fragment)

        pieces = Pieces(self.stored, self._pieces_key(uri), self._shown)

        def photo(entry: PersonaEntry) -> str | None:
            picture = entry.persona.photo
            if picture is None:
                return None
            return self.addresses.file_href(uri, f"{entry.src_uri.rsplit('/', 1)[0]}/{picture}")

        text = self.env.get_template(template).render(
            href=href, photo=photo, at=self.addresses, figures=self.figures, catalog=self.catalog,
            tag_uri=self.tag_uri, team_uri=self.team_uri, tags=self.tags, piece=pieces,
            backlog=self.addresses.layout.backlog and bool(self.opportunities),
            has_roadmap=self.catalog.roadmap is not None, **{"searchable": True, **context})
        pieces.save()
        return text

    def _pieces_key(self, uri: str) -> str:
        return self.stored.key(self._site_key, "pieces", uri)

    def _remember(self, uri: str, parts: tuple[object, ...], make: Callable[[], str]) -> Written:
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
        return Written(*found)

    @timed_calls("pages:journey_page")
    def journey_page(self, entry: JourneyEntry) -> Written:
        journey = entry.journey
        compared = self.catalog.journeys.get(journey.compare_to) if journey.compare_to else None
        persona = self.catalog.personas[journey.persona]
        group = self.groups.get(journey.group or "", [])
        parts = ("journey", entry.id, entry.src_uri, entry.digest, persona.src_uri,
                 persona.digest, (compared.id, compared.digest) if compared else None,
                 tuple((e.id, e.digest) for e in self.compared_by.get(entry.id, [])),
                 repr(self.histories.get(entry.id)), tuple((e.id, e.digest) for e in group),
                 self.png)
        return self._remember(self.addresses.journey(entry.id), parts,
                              lambda: self._journey_page(entry, persona, compared))

    def _journey_page(self, entry: JourneyEntry, persona: PersonaEntry,
                      compared: JourneyEntry | None) -> str:
        journey = entry.journey
        return self._render(
            "journey.md.j2", self.addresses.journey(entry.id), entry=entry, journey=journey,
            measures=entry.measures.placed(journey), symbols=SYMBOLS, states=STATES,
            persona=persona, compared=compared,
            compared_by=self.compared_by.get(entry.id, []), rows=touchpoint_rows(journey),
            numbers=opportunity_numbers(journey),
            grouped=group_by_priority(journey.opportunities),
            map_file=self.addresses.file_href(self.addresses.journey(entry.id),
                                              self.addresses.map_file(entry.id)),
            png_file=self.addresses.file_href(self.addresses.journey(entry.id),
                                              self.addresses.png_file(entry.id))
            if self.png else None,
            present_href=self.addresses.presentation_href(self.addresses.journey(entry.id),
                                                          entry.id),
            history=self.histories.get(entry.id),
            differences=stage_differences(journey, compared.journey) if compared else [],
            group=journey.group if journey.group in self.groups else None)

    @timed_calls("pages:persona_page")
    def persona_page(self, entry: PersonaEntry) -> Written:
        journeys = self.catalog.journeys_of(entry.id)
        parts = ("persona", entry.id, entry.src_uri, entry.digest,
                 tuple((j.id, j.digest) for j in journeys))
        return self._remember(self.addresses.persona(entry.id), parts, lambda: self._render(
            "persona.md.j2", self.addresses.persona(entry.id), entry=entry, persona=entry.persona,
            journeys=sorted_journeys(journeys)))

    def _shown(self, journeys: Iterable[JourneyEntry]) -> tuple[object, ...]:
        """What a list of journey cards or rows shows: each journey's file and its persona's."""
        personas = self.catalog.personas
        return tuple((j.id, j.src_uri, j.digest, personas[j.journey.persona].src_uri,
                      personas[j.journey.persona].digest) for j in journeys)

    @timed_calls("pages:journey_index")
    def journey_index(self, uri: str) -> Written:
        personas = [p for p in self.catalog.personas.values()
                    if self.catalog.journeys_of(p.id)]
        journeys = sorted_journeys(self.catalog.journeys.values())
        parts = ("index", uri, self._shown(journeys))
        # As the home page it repeats the journey index word for word: searched once, there.
        return self._remember(uri, parts, lambda: self._render(
            "index.md.j2", uri, title=self.labels("journeys"),
            intro=self.labels("journey_index_intro"), personas=personas, journeys=journeys,
            searchable=uri == self.addresses.journey_index()))

    @timed_calls("pages:persona_index")
    def persona_index(self) -> Written:
        """Every persona with their journeys: the page a reader expects behind the menu's
        Personas section (and the section's own page with section-index)."""
        uri = self.addresses.persona_index()
        personas = [(p, sorted_journeys(self.catalog.journeys_of(p.id)))
                    for p in self.catalog.personas.values()]
        parts = ("personas", uri, tuple((p.id, p.src_uri, p.digest) for p, _ in personas),
                 self._shown(sorted_journeys(self.catalog.journeys.values())))
        return self._remember(uri, parts, lambda: self._render(
            "personas.md.j2", uri, title=self.labels("personas"),
            intro=self.labels("persona_index_intro"), personas=personas))

    @timed_calls("pages:tag_page")
    def tag_page(self, tag: str, journeys: list[JourneyEntry]) -> Written:
        # Tag, team and group pages repeat what journey pages say: kept out of search, so that
        # a search finds each touchpoint and opportunity once, on its journey.
        shown, uri = sorted_journeys(journeys), self.tag_uri(tag)
        return self._remember(uri, ("tag", tag, self._shown(shown)), lambda: self._render(
            "index.md.j2", uri, title=self.labels("tag_title", tag=tag), intro=None,
            personas=[], journeys=shown, searchable=False))

    @timed_calls("pages:backlog_page")
    def backlog_page(self, uri: str, refs: list[OpportunityRef], team: str | None) -> Written:
        teams = sorted({r.opportunity.team for r in self.opportunities if r.opportunity.team},
                       key=str.casefold)
        # Rows come from their journeys' files alone; the team filter lists every team.
        journeys = {r.journey.id: r.journey for r in refs}.values()
        parts = ("backlog", uri, team, tuple(teams), self._shown(journeys))
        return self._remember(uri, parts, lambda: self._backlog_page(uri, refs, team, teams))

    def _backlog_page(self, uri: str, refs: list[OpportunityRef], team: str | None,
                      teams: list[str]) -> str:
        title = self.labels("backlog_of_team", team=team) if team else self.labels("backlog")
        grouped = list(by_priority(refs).items())
        return self._render("backlog.md.j2", uri, title=title, team=team, teams=teams,
                            grouped=grouped, count=len(refs), searchable=team is None)

    @timed_calls("pages:roadmap_page")
    def roadmap_page(self) -> Written:
        parts = ("roadmap", self.today.isoformat(), self._shown(self.catalog.journeys.values()))
        return self._remember(self.addresses.roadmap(), parts, self._roadmap_page)

    def _roadmap_page(self) -> str:
        view = roadmap_view(self.catalog, self.today)
        assert view is not None
        return self._render("roadmap.md.j2", self.addresses.roadmap(), view=view, today=self.today)

    @timed_calls("pages:insights_page")
    def insights_page(self) -> Written:
        parts = ("insights", self._shown(self.catalog.journeys.values()))
        return self._remember(self.addresses.insights(), parts, self._insights_page)

    def _insights_page(self) -> str:
        journeys = {i: e.journey for i, e in self.catalog.journeys.items()}
        measures = {i: e.measures for i, e in self.catalog.journeys.items()}
        return self._render(
            "insights.md.j2", self.addresses.insights(), journeys=journeys,
            by_channel=emotion_by(journeys, "channel"), by_team=emotion_by(journeys, "team"),
            lowest=lowest_moments(journeys), gaps=all_gaps(journeys),
            truths=all_moments_of_truth(journeys), measured=self.catalog.measured,
            missed_journeys=missed_by_journey(journeys, measures),
            missed_channels=missed_by_channel(journeys, measures),
            switches=ranked(journeys, channel_switches), handoffs=ranked(journeys, handoffs),
            loads=opportunities_by_team(journeys), statuses=STATUSES)

    @timed_calls("pages:group_page")
    def group_page(self, group_id: str, entries: list[JourneyEntry]) -> Written:
        uri = self.addresses.group(group_id)
        return self._remember(uri, ("group", group_id, self._shown(entries)), lambda: self._render(
            "group.md.j2", uri, group_id=group_id, journeys=entries, searchable=False))

    def all_pages(self, with_home: bool) -> PageSet:
        """Every page; the journey index doubles as the home page when the site has none."""
        where = self.addresses
        pages = self._every_page(with_home)
        edit_uris = {where.journey(i): e.src_uri for i, e in self.catalog.journeys.items()}
        edit_uris |= {where.persona(i): e.src_uri for i, e in self.catalog.personas.items()}
        unlisted = {self.tag_uri(tag) for tag in self.tags}
        unlisted |= {where.group(group_id) for group_id in self.groups}
        unlisted |= {uri for uri in pages if uri.startswith(f"{where.layout.backlog_dir}/")
                     and uri != where.backlog()}
        subjects = {where.journey(i): {"title": e.journey.title, "id": i, "kind": "journey",
                                       "path": e.src_uri}
                    for i, e in self.catalog.journeys.items()}
        subjects |= {where.persona(i): {"title": e.persona.name, "id": i, "kind": "persona",
                                        "path": e.src_uri}
                     for i, e in self.catalog.personas.items()}
        return PageSet({uri: page.markdown for uri, page in pages.items()}, edit_uris, unlisted,
                       subjects, {uri: page.islands for uri, page in pages.items()})

    def _every_page(self, with_home: bool) -> dict[str, Written]:
        """Each page by its address, in the order MkDocs gets them."""
        where = self.addresses
        pages = {where.journey(i): self.journey_page(e) for i, e in self.catalog.journeys.items()}
        pages |= {where.persona(i): self.persona_page(e) for i, e in self.catalog.personas.items()}
        if self.catalog.personas:
            pages[where.persona_index()] = self.persona_index()
        pages[where.journey_index()] = self.journey_index(where.journey_index())
        if with_home:
            pages["index.md"] = self.journey_index("index.md")
        for tag, journeys in self.tags.items():
            pages[self.tag_uri(tag)] = self.tag_page(tag, journeys)
        if where.layout.backlog and self.opportunities:
            pages[where.backlog()] = self.backlog_page(where.backlog(), self.opportunities, None)
            for team in {r.opportunity.team.casefold(): r.opportunity.team
                         for r in self.opportunities if r.opportunity.team}.values():
                refs = [r for r in self.opportunities
                        if (r.opportunity.team or "").casefold() == team.casefold()]
                pages[self.team_uri(team)] = self.backlog_page(self.team_uri(team), refs, team)
        if self.catalog.roadmap is not None:
            pages[where.roadmap()] = self.roadmap_page()
        pages[where.insights()] = self.insights_page()
        for group_id, entries in self.groups.items():
            pages[where.group(group_id)] = self.group_page(group_id, entries)
        return pages


class Pieces:
    """The parts of one long page, each stored by what it shows: when one journey of 300
    changes, the backlog renders that journey's rows again and takes the other rows from the
    last build. Used in templates as `{% call piece("rows", journey, ...) %}...{% endcall %}`;
    a part's key is its name, its journey's files and the other arguments, and its text may
    depend on nothing else but the page (its address) and the site (its key)."""

    def __init__(self, stored: PageCache, key: str,
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


def _all_named(parts: object) -> bool:
    """No empty digest anywhere in a page's key parts."""
    if isinstance(parts, tuple):
        return all(_all_named(part) for part in parts)
    return parts != ""
