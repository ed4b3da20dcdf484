"""Compatibility fixtures, built end to end: one small project per case under fixtures/compat/.

Like mkdocs-git-revision-date-localized-plugin's own fixture projects, each case is a complete
site that a real command line builds in a temporary folder; the HTML is then read back. A case's
folder holds its own mkdocs.yml (and any page of its own); the content all four share (one persona,
a `.md` journey and a `.yml` journey that compares to it, a roadmap) is kept once, in
fixtures/compat/content/, and copied into each case, so their pages can be compared.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "compat"
CASES = ("material", "mkdocs-theme", "properdocs", "git-revision-date")
SHARED_CONTENT = FIXTURES / "content"

# What the fixtures hold (the same in every case).
JOURNEYS = {"badge": "Getting a building badge", "badge-ideal": "Getting a building badge (ideal)"}
SOURCES = {"badge": "journeys/badge.md", "badge-ideal": "journeys/badge-ideal.yml"}
PERSONA, PERSONA_NAME = "ines", "Ines Duarte"
QUOTE = "We stood at the gate for twenty minutes with a cardboard box."
STYLESHEET = "assets/journeys/journeys.css"
EDIT_BASE = "https://git.example.org/facilities/journeys/-/edit/main/content/"
COMMIT_DATE = "2026-05-04T10:00:00+00:00"

BASE = "http://site.invalid/"  # resolves relative links; never fetched
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# ---------------------------------------------------------------------------------------------
# Building a case


def command(case: str) -> list[str]:
    """What a user of that case runs in CI."""
    if case == "properdocs":
        # ProperDocs looks for properdocs.yml first; an unchanged mkdocs.yml is passed with -f.
        return [sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml"]
    return [sys.executable, "-m", "mkdocs", "build", "--strict"]


def copy_fixture(case: str, target: Path) -> Path:
    """A case's project in `target`: the shared content, then the case's own files over it."""
    ignore = shutil.ignore_patterns("site", ".git", "__pycache__")
    shutil.copytree(SHARED_CONTENT, target / "content", ignore=ignore)
    shutil.copytree(FIXTURES / case, target, ignore=ignore, dirs_exist_ok=True)
    return target


def git_commit_all(project: Path) -> None:
    """A repository of its own with one commit at a fixed date, as the revision plugin needs."""
    env = {**os.environ, "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE,
           "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (["init", "-q"],
                 ["config", "user.name", "Compat Test"],
                 ["config", "user.email", "compat@example.org"],
                 ["config", "commit.gpgsign", "false"],
                 ["add", "-A"],
                 ["commit", "-q", "-m", "Fixture"]):
        subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True,
                       timeout=60)


def warnings_in(output: str) -> list[str]:
    """MkDocs' and ProperDocs' WARNING log lines (and anything else that shouts WARNING)."""
    return [line for line in ANSI.sub("", output).splitlines()
            if re.match(r"\s*WARNING\b", line)]


@dataclass(frozen=True)
class Built:
    case: str
    project: Path
    site: Path
    output: str

    def html(self, path: str) -> str:
        return (self.site / path / "index.html").read_text(encoding="utf-8")


def build(case: str, where: Path) -> Built:
    project = copy_fixture(case, where / case)
    if case == "git-revision-date":
        git_commit_all(project)
    result = subprocess.run(command(case), cwd=project, capture_output=True, text=True,
                            timeout=180)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output, output
    assert warnings_in(output) == [], output
    return Built(case, project, project / "site", output)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Built]:
    """Each case is built once for the module, on first use."""
    cache: dict[str, Built] = {}

    def get(case: str) -> Built:
        if case not in cache:
            cache[case] = build(case, tmp_path_factory.mktemp("compat"))
        return cache[case]

    return get


# ---------------------------------------------------------------------------------------------
# Reading pages back


VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, and the classes of its ancestors."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.inside: list[set[str]] = []  # per tag: the classes of its ancestors and its own
        self._open: list[tuple[str, set[str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        classes = set(values.get("class", "").split())
        around = self._open[-1][1] if self._open else set()
        self.tags.append((tag, values))
        self.inside.append(around | classes)
        if tag not in VOID:
            self._open.append((tag, around | classes))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self._open.pop()

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth][0] == tag:
                del self._open[depth:]
                return

    def find(self, tag: str, within: str = "", **wanted: str) -> list[dict[str, str]]:
        """Tags with these attributes (`class_`: one class among several), optionally at or
        inside an element of class `within`."""
        found = []
        for (name, attrs), around in zip(self.tags, self.inside, strict=True):
            if name != tag or (within and within not in around):
                continue
            if all((value in attrs.get("class", "").split()) if key == "class_"
                   else attrs.get(key) == value for key, value in wanted.items()):
                found.append(attrs)
        return found


def links_of(html: str, page: str, tag: str = "a", attr: str = "href") -> set[str]:
    """The site paths a page links to, resolved as a browser would (query and fragment off)."""
    base = urljoin(BASE, page + "/" if page else "")
    paths = set()
    for name, attrs in Tags(html).tags:
        if name == tag and attr in attrs:
            target = urljoin(base, attrs[attr])
            if target.startswith(BASE):
                paths.add(urlsplit(target).path.lstrip("/"))
    return paths


def svg_maps(html: str) -> list[str]:
    """The journey maps of a page (not the theme's icons)."""
    return re.findall(r'<svg\b[^>]*\bclass="journey-map"[^>]*>.*?</svg>', html, re.S)


# ---------------------------------------------------------------------------------------------
# What every case must give


@pytest.mark.parametrize("case", CASES)
def test_builds_strict_without_warnings(built: Callable[[str], Built], case: str) -> None:
    site = built(case)  # the build asserts exit 0, no traceback, no WARNING line
    assert (site.site / "index.html").is_file()
    assert "ERROR" not in ANSI.sub("", site.output), site.output
    # the sources are pages, not files copied into the site
    assert not list(site.site.rglob("*.yml")), "roadmap.yml and .yml journeys are not published"


@pytest.mark.parametrize("case", CASES)
def test_journey_pages_have_map_and_touchpoint_table(built: Callable[[str], Built],
                                                     case: str) -> None:
    site = built(case)
    for journey_id, title in JOURNEYS.items():
        assert (site.site / "journeys" / journey_id / "index.html").is_file(), journey_id
        html = site.html(f"journeys/{journey_id}")
        tags = Tags(html)
        maps = tags.find("svg", class_="journey-map", role="img")
        assert len(maps) == 1, (journey_id, [a for t, a in tags.tags if t == "svg"])
        # a real table of the touchpoints: the table has the class, or sits in a box that has
        assert tags.find("table", within="journey-touchpoints"), journey_id
        assert tags.find("tr", within="journey-touchpoints", id="tp-fill-form"), journey_id
        assert title in html, journey_id
        assert "journeys:map:" not in html, "the map placeholder was replaced"
    # the current journey's quote is in its table; the ideal journey draws the current one too
    assert QUOTE in site.html("journeys/badge")
    ideal = site.html("journeys/badge-ideal")
    assert "journeys/badge/" in links_of(ideal, "journeys/badge-ideal")
    assert "The ideal journey, agreed with Security in <strong>June</strong>." in ideal


@pytest.mark.parametrize("case", CASES)
def test_a_mermaid_journey_is_drawn_and_a_flowchart_left(built: Callable[[str], Built],
                                                         case: str) -> None:
    html = built(case).html("diagrams")
    tags = Tags(html)
    assert len(tags.find("svg", class_="journey-map", role="img")) == 1
    assert tags.find("tr", within="journey-touchpoints", id="tp-mermaid-1-2")
    assert "Waits for a badge" in html and "journeys:mermaid" not in html
    assert "flowchart LR\n    Gate --&gt; Desk" in html


@pytest.mark.parametrize("case", CASES)
def test_persona_page_links_both_journeys(built: Callable[[str], Built], case: str) -> None:
    site = built(case)
    assert (site.site / "personas" / PERSONA / "index.html").is_file()
    html = site.html(f"personas/{PERSONA}")
    assert PERSONA_NAME in html
    links = links_of(html, f"personas/{PERSONA}")
    for journey_id in JOURNEYS:
        assert f"journeys/{journey_id}/" in links, (journey_id, sorted(links))
    # and each journey page links back to its persona
    for journey_id in JOURNEYS:
        page = f"journeys/{journey_id}"
        assert f"personas/{PERSONA}/" in links_of(site.html(page), page), journey_id


@pytest.mark.parametrize("case", CASES)
def test_home_page_links_every_journey(built: Callable[[str], Built], case: str) -> None:
    site = built(case)
    html = site.html("")
    links = links_of(html, "")
    for journey_id, title in JOURNEYS.items():
        assert f"journeys/{journey_id}/" in links, (journey_id, sorted(links))
        assert title in html


@pytest.mark.parametrize("case", CASES)
def test_stylesheet_is_published_and_linked(built: Callable[[str], Built], case: str) -> None:
    site = built(case)
    css = site.site / STYLESHEET
    assert css.is_file() and ".journey-map" in css.read_text(encoding="utf-8")
    for page in ("", "journeys/badge", "journeys/badge-ideal", f"personas/{PERSONA}"):
        stylesheets = links_of(site.html(page), page, tag="link")
        assert STYLESHEET in stylesheets, (page, sorted(stylesheets))


@pytest.mark.parametrize("case", CASES)
def test_search_indexes_the_table_not_the_map(built: Callable[[str], Built], case: str) -> None:
    site = built(case)
    index = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    journey = [d for d in index["docs"] if d["location"].startswith("journeys/badge/")]
    assert journey, "the journey page is in the search index"
    text = " ".join(d["text"] for d in journey)
    assert QUOTE in text
    assert "<svg" not in text and "journey-map" not in text


EXTERNAL = re.compile(r"^\s*(https?:)?//", re.I)
FETCHED = {"script": "src", "img": "src", "iframe": "src", "source": "src", "link": "href"}
FETCHED_LINKS = {"stylesheet", "preload", "icon", "modulepreload", "prefetch"}


@pytest.mark.parametrize("case", CASES)
def test_pages_fetch_nothing_from_the_internet(built: Callable[[str], Built], case: str) -> None:
    """Scripts, stylesheets, images and frames come from the site itself (links may leave)."""
    site = built(case)
    for path in sorted(site.site.rglob("*.html")):
        for tag, attrs in Tags(path.read_text(encoding="utf-8")).tags:
            attr = FETCHED.get(tag)
            if attr is None or not EXTERNAL.match(attrs.get(attr, "")):
                continue
            if tag == "link" and not FETCHED_LINKS & set(attrs.get("rel", "").split()):
                continue  # <link rel="canonical"> and the like are not fetched
            pytest.fail(f"{path.relative_to(site.site)}: <{tag} {attr}={attrs[attr]!r}> "
                        "is fetched from the internet")


@pytest.mark.parametrize("case", ["material", "mkdocs-theme", "properdocs"])
def test_edit_link_opens_the_source_file(built: Callable[[str], Built], case: str) -> None:
    site = built(case)
    for journey_id, source in SOURCES.items():
        html = site.html(f"journeys/{journey_id}")
        assert f'href="{EDIT_BASE}{source}"' in html, journey_id
    assert f'href="{EDIT_BASE}personas/{PERSONA}.md"' in site.html(f"personas/{PERSONA}")
    # No page offers to edit a file that is not there (generated indexes have no source).
    for path in sorted(site.site.rglob("*.html")):
        for tag, attrs in Tags(path.read_text(encoding="utf-8")).tags:
            href = attrs.get("href", "")
            if tag == "a" and href.startswith(EDIT_BASE):
                source = site.project / "content" / href.removeprefix(EDIT_BASE)
                assert source.is_file(), f"{path.relative_to(site.site)}: edit link {href}"


def test_plain_mkdocs_theme_has_no_material_markup(built: Callable[[str], Built]) -> None:
    site = built("mkdocs-theme")
    html = site.html("journeys/badge")
    assert "md-content" not in html and "assets/stylesheets/main" not in html
    assert "Getting a building badge" in html


def test_properdocs_builds_the_same_site_as_mkdocs(built: Callable[[str], Built]) -> None:
    """Same fixture content and theme as the Material case: the same pages and the same maps."""
    proper, mkdocs = built("properdocs"), built("material")
    pages = {p.relative_to(proper.site) for p in proper.site.rglob("*.html")}
    assert pages == {p.relative_to(mkdocs.site) for p in mkdocs.site.rglob("*.html")}
    for journey_id in JOURNEYS:
        page = f"journeys/{journey_id}"
        assert svg_maps(proper.html(page)) == svg_maps(mkdocs.html(page)), journey_id
        assert svg_maps(proper.html(page))


def test_revision_date_on_written_and_generated_pages(built: Callable[[str], Built]) -> None:
    site = built("git-revision-date")
    # A page written by hand shows the date of its commit.
    about = site.html("about")
    assert "git-revision-date-localized-plugin-date" in about
    assert ">May 4, 2026<" in about
    # Journey and persona pages are their source files rendered: the plugin points the page at
    # its source, so they show the date of the source file's commit, not the build date.
    for page in ("journeys/badge", "journeys/badge-ideal", f"personas/{PERSONA}"):
        html = site.html(page)
        assert "git-revision-date-localized-plugin-date" in html, page
        assert ">May 4, 2026<" in html, page
    assert "has no git logs" not in site.output
    assert "fallback_to_build_date" not in site.output


# ---------------------------------------------------------------------------------------------
# `mkdocs serve` rebuilds on content changes


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


class Server:
    """`mkdocs serve` in a subprocess, its log collected by a thread."""

    def __init__(self, project: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        # Plain `mkdocs serve`, as a user runs it: live reload is on, and only with it does the
        # server watch docs_dir and rebuild (`--no-livereload` serves a single build).
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(ANSI.sub("", line))

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def count(self, message: str) -> int:
        return sum(message in line for line in self.lines)

    def rebuilt_since(self, changes: int) -> Callable[[], bool]:
        """A change was seen after `changes` earlier ones, and every rebuild has finished.

        Each change starts a rebuild, and "Reloading browsers" follows each one that finished.
        ("Documentation built in ..." cannot be counted: MkDocs drops a log message that
        repeats one it printed before, and two builds can take the same time.)
        """
        def check() -> bool:
            seen = self.count("Detected file changes")
            return seen > changes and self.count("Reloading browsers") >= seen
        return check

    def wait_for(self, what: str, check: Callable[[], bool], timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the server stopped:\n{self.log}"
            if check():
                return
            time.sleep(0.2)
        pytest.fail(f"timed out after {timeout} s waiting for {what}:\n{self.log}")

    def page_shows(self, path: str, text: str) -> Callable[[], bool]:
        return lambda: text in (fetch(self.url + path) or "")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.reader.join(timeout=5)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(copy_fixture("material", tmp_path / "project"))
    try:
        yield running
    finally:
        running.stop()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_serve_rebuilds_when_content_changes(server: Server, tmp_path: Path) -> None:
    content = tmp_path / "project" / "content"
    server.wait_for("the journey page", server.page_shows("journeys/badge/", JOURNEYS["badge"]))
    assert 'class="journey-map"' in (fetch(server.url + "journeys/badge/") or "")

    # (a) a journey's title
    edit(content / "journeys" / "badge.md", "title: Getting a building badge",
         "title: Collecting an access card")
    server.wait_for("the new journey title",
                    server.page_shows("journeys/badge/", "Collecting an access card"))
    server.wait_for("the new title on the home page",
                    server.page_shows("", "Collecting an access card"))

    # (b) a persona's name, shown on the persona page and on every journey of the persona
    edit(content / "personas" / "ines.md", "name: Ines Duarte", "name: Ines Duarte-Silva")
    server.wait_for("the new persona name",
                    server.page_shows(f"personas/{PERSONA}/", "Ines Duarte-Silva"))
    server.wait_for("the new persona name on a journey",
                    server.page_shows("journeys/badge-ideal/", "Ines Duarte-Silva"))

    # (c) a milestone title in roadmap.yml. Every page that showed the old title (the journey
    # and the backlog name an opportunity's milestone, and so does the `roadmap/` page) must
    # show the new one. Should no page show milestone titles, the server must still rebuild,
    # stay up and keep answering.
    milestone_pages = [path for path in ("journeys/badge/", "opportunities/", "roadmap/")
                       if "Badges on day one" in (fetch(server.url + path) or "")]
    changes = server.count("Detected file changes")
    edit(content / "roadmap.yml", "title: Badges on day one", "title: Access cards on day one")
    server.wait_for("a rebuild after the roadmap changed", server.rebuilt_since(changes))
    for path in milestone_pages:
        server.wait_for(f"the new milestone title on {path}",
                        server.page_shows(path, "Access cards on day one"))
        assert "Badges on day one" not in (fetch(server.url + path) or "")
    server.wait_for("the journey page after the roadmap changed",
                    server.page_shows("journeys/badge/", "Collecting an access card"))

    assert "Traceback" not in server.log, server.log
    assert "ERROR" not in server.log, server.log
