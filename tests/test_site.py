"""Real `mkdocs build` runs in temporary folders, with the HTML read back."""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import JOURNEY, PERSONA, ROOT, make_site, run, write


class _Text(HTMLParser):
    """The visible text and the elements of a page's article."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def article(html: str) -> _Text:
    match = re.search(r"<article class=\"md-content__inner.*</article>", html, re.S)
    assert match, "the page has an article"
    parser = _Text()
    parser.feed(match.group(0))
    return parser


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_every_journey_and_persona_has_a_page(example_site: Path) -> None:
    journeys = sorted(p.stem for p in (ROOT / "content" / "journeys").iterdir())
    personas = sorted(p.stem for p in (ROOT / "content" / "personas").iterdir())
    assert len(journeys) >= 5 and len(personas) >= 3
    for journey_id in journeys:
        assert (example_site / "journeys" / journey_id / "index.html").is_file(), journey_id
    for persona_id in personas:
        assert (example_site / "personas" / persona_id / "index.html").is_file(), persona_id


def test_home_page_lists_every_journey_with_links(example_site: Path) -> None:
    home = article(page(example_site, ""))
    links = {a.get("href") for tag, a in home.tags if tag == "a"}
    for journey in (ROOT / "content" / "journeys").iterdir():
        assert f"journeys/{journey.stem}/" in links
    assert "Requesting a new laptop" in "".join(home.text)


def test_journey_page_shows_its_parts(example_site: Path) -> None:
    html = page(example_site, "journeys/incident-many-channels")
    text = " ".join(" ".join(article(html).text).split())
    assert "Channel switches 5" in text
    for heading in ("Touchpoints", "Opportunities", "At a glance"):
        assert f">{heading}</h2>" in html
    assert 'href="../../personas/daan/"' in html
    # the backstage steps are marked in the table, and every touchpoint has an anchor
    assert "journey-touchpoint--backstage" in html
    assert 'id="tp-solution-mail"' in html


def test_edit_link_opens_the_source_file(example_site: Path) -> None:
    html = page(example_site, "journeys/new-laptop")
    assert ('href="https://git.example.org/service-desk/journeys/-/edit/main/content/journeys/'
            'new-laptop.md"') in html
    html = page(example_site, "personas/eva")
    assert "/-/edit/main/content/personas/eva.md" in html


def test_persona_page_lists_the_journeys_featuring_them(example_site: Path) -> None:
    html = page(example_site, "personas/eva")
    assert 'href="../../journeys/new-laptop/"' in html
    assert 'href="../../journeys/new-laptop-ideal/"' in html


def test_source_files_are_not_published_as_files(example_site: Path) -> None:
    assert not (example_site / "roadmap.yml").exists()
    assert not list(example_site.rglob("*.yml"))


def test_yml_journey_gets_a_page_and_its_notes(tmp_path: Path) -> None:
    site = make_site(tmp_path, extra="repo_url: https://git.example.org/desk\n"
                     "edit_uri: edit/main/content/\n")
    write(site / "content" / "personas" / "eva.yml", "name: Eva\nrole: Office manager\n")
    write(site / "content" / "journeys" / "outage.yml", """\
        title: Reporting an outage
        persona: eva
        notes: "Interviews: **three** callers."
        stages:
          - name: Report
            touchpoints:
              - {action: Calls the desk, channel: phone, emotion: -1}
        """)
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    html = page(site / "site", "journeys/outage")
    assert "<strong>three</strong>" in html
    assert 'href="https://git.example.org/desk/edit/main/content/journeys/outage.yml"' in html
    assert not (site / "site" / "journeys" / "outage.yml").exists()


XSS = '<script>alert("x")</script> <img src=x onerror=alert(1)> ]]> *bold* [a](javascript:x)'


def test_author_text_is_escaped_everywhere(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write(site / "content" / "personas" / "eva.md",
          PERSONA.replace("Eva Kovacs", f"'{XSS.replace(chr(39), '')}'"))
    text = JOURNEY.replace("Requesting a new laptop", f"'{XSS}'").replace(
        "Looks for the order form", f"'{XSS}'").replace(
        "Send a status update", f"'{XSS}'") + ""
    text = text.replace("priority: must", f"priority: must\n    description: '{XSS}'")
    write(site / "content" / "journeys" / "new-laptop.md", text)
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    for path in ("", "journeys/new-laptop", "personas/eva"):
        html = page(site / "site", path)
        body = article(html)
        tags = [tag for tag, _ in body.tags]
        assert "script" not in tags and "img" not in tags, path
        assert not any(any(k.startswith("on") for k in attrs) for _, attrs in body.tags), path
        assert not any((attrs.get("href") or "").startswith("javascript:")
                       for _, attrs in body.tags), path
        # Markdown in a text field stays literal; only `description` is Markdown.
        assert "*bold* [a](javascript:x)" in "".join(body.text), path
        assert '<script>alert("x")</script>' in "".join(body.text), path
        assert "<script>alert" not in html, path  # nor in <title> or the navigation
    search_index = (site / "site" / "search" / "search_index.json").read_text()
    assert "<script" not in search_index and "<img" not in search_index


def test_bad_content_stops_the_build_and_leaves_no_site(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write(site / "content" / "personas" / "eva.md", PERSONA)
    write(site / "content" / "journeys" / "new-laptop.md", JOURNEY)
    assert run(["mkdocs", "build", "--strict"], site).returncode == 0
    assert (site / "site" / "index.html").is_file()
    write(site / "content" / "journeys" / "new-laptop.md",
          JOURNEY.replace("persona: eva", "persona: evaa"))
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 1
    assert ("content/journeys/new-laptop.md:3:10: unknown persona 'evaa' (did you mean 'eva'?)"
            in result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert not (site / "site" / "index.html").exists(), "the old site must not look current"


def test_plain_mkdocs_theme_builds(tmp_path: Path) -> None:
    site = make_site(tmp_path, theme="mkdocs")
    write(site / "content" / "personas" / "eva.md", PERSONA)
    write(site / "content" / "journeys" / "new-laptop.md", JOURNEY)
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    html = (site / "site" / "journeys" / "new-laptop" / "index.html").read_text()
    assert "Requesting a new laptop" in html and 'id="tp-search-kb"' in html


def test_site_with_its_own_home_page_keeps_it(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write(site / "content" / "index.md", "# Welcome to the service desk\n")
    write(site / "content" / "personas" / "eva.md", PERSONA)
    write(site / "content" / "journeys" / "new-laptop.md", JOURNEY)
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    assert "Welcome to the service desk" in page(site / "site", "")
    assert "new-laptop/" in page(site / "site", "journeys")


def test_builds_are_deterministic(tmp_path: Path) -> None:
    for folder in ("content", "theme_overrides"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    outputs = []
    for name in ("one", "two"):
        assert run(["mkdocs", "build", "--strict", "-d", name], tmp_path).returncode == 0
        outputs.append({path.relative_to(tmp_path / name): path.read_bytes()
                        for path in sorted((tmp_path / name).rglob("*.html"))})
    assert len(outputs[0]) > 20
    assert outputs[0] == outputs[1]


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c63f8cfc0f01f0005fe02fea7d6a5d1000000"
                    "0049454e44ae426082")


def test_persona_photo_is_shown_and_checked(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "content" / "personas").mkdir(parents=True)
    (site / "content" / "personas" / "eva photo.png").write_bytes(PNG)
    write(site / "content" / "personas" / "eva.md",
          PERSONA.replace("channels:", "photo: eva photo.png\nchannels:"))
    write(site / "content" / "journeys" / "new-laptop.md", JOURNEY)
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    assert 'src="../../personas/eva%20photo.png"' in page(site / "site", "journeys/new-laptop")
    assert 'src="../eva%20photo.png"' in page(site / "site", "personas/eva")
    assert (site / "site" / "personas" / "eva photo.png").read_bytes() == PNG
    for photo, message in [
            ("https://example.org/eva.png", "must be a path relative to the persona file, not a "
                                            "URL"),
            ("../../mkdocs.yml", "is outside the content folder"),
            ("eva.md", "must be an image"),
            ("nobody.png", "not found next to the persona file")]:
        write(site / "content" / "personas" / "eva.md",
              PERSONA.replace("channels:", f"photo: '{photo}'\nchannels:"))
        result = run(["mkdocs", "build", "--strict"], site)
        assert result.returncode == 1
        assert f"content/personas/eva.md:4:8: photo '{photo}' {message}" in result.stderr


def test_search_index_holds_touchpoints_quotes_and_pain_points(example_site: Path) -> None:
    index = (example_site / "search" / "search_index.json").read_text(encoding="utf-8")
    for text in ("Hears nothing for weeks", "got twelve articles about docking stations",
                 "The order form is three levels deep"):
        assert text in index
    assert "<svg" not in index  # maps come in after indexing
    assert "journeys:island" not in index  # HTML blocks are back before search reads the page
    assert not [page for page in example_site.rglob("*.html")
                if "journeys:island" in page.read_text(encoding="utf-8")]
    pages = {doc["location"].split("#")[0] for doc in json.loads(index)["docs"]}
    assert {"journeys/new-laptop/", "personas/eva/", "opportunities/"} <= pages
    # Tag, team and group pages repeat journey pages: each text is found once, on its journey.
    assert (example_site / "tags" / "hardware" / "index.html").is_file()
    assert not [p for p in pages if p.startswith(("tags/", "opportunities/", "groups/"))
                and p != "opportunities/"]


def test_the_journey_index_is_searched_once_when_it_is_also_the_home_page(
        tmp_path: Path) -> None:
    site = make_site(tmp_path)  # no index.md of its own: the journey index is the home page
    write(site / "content" / "personas" / "eva.md", PERSONA)
    write(site / "content" / "journeys" / "new-laptop.md", JOURNEY)
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    home = (site / "site" / "index.html").read_text(encoding="utf-8")
    assert "Requesting a new laptop" in home
    index = json.loads((site / "site" / "search" / "search_index.json").read_text())
    pages = [doc["location"].split("#")[0] for doc in index["docs"]
             if "Requesting a new laptop" in doc["title"] + doc["text"]]
    assert "journeys/" in pages and "" not in pages


def test_a_generated_page_never_replaces_an_author_file(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write(site / "content" / "personas" / "eva.md", PERSONA)
    write(site / "content" / "journeys" / "new-laptop.md",
          JOURNEY.replace("teams:", "tags: [hardware]\nteams:"))
    write(site / "content" / "tags" / "hardware.md", "# My own page\n")
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 1
    assert "file(s) in the way of generated pages" in result.stderr
    assert "tags/hardware.md" in result.stderr
    assert "Traceback" not in result.stderr


def test_backlog_can_be_switched_off_and_pages_moved(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write(site / "mkdocs.yml", (site / "mkdocs.yml").read_text().replace(
        "  - journeys\n", "  - journeys:\n      backlog: false\n      tags_dir: topics\n"))
    write(site / "content" / "personas" / "eva.md", PERSONA)
    write(site / "content" / "journeys" / "new-laptop.md",
          JOURNEY.replace("teams:", "tags: [hardware]\nteams:"))
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    assert not (site / "site" / "opportunities").exists()
    assert (site / "site" / "topics" / "hardware" / "index.html").is_file()
    assert 'href="topics/hardware/"' in page(site / "site", "")


def test_links_work_without_directory_urls(tmp_path: Path) -> None:
    site = make_site(tmp_path, extra="use_directory_urls: false\n")
    write(site / "content" / "personas" / "eva.md", PERSONA)
    write(site / "content" / "journeys" / "new-laptop.md",
          JOURNEY.replace("teams:", "tags: [hardware]\nteams:"))
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    out = site / "site"
    hrefs: set[tuple[Path, str]] = set()
    for html_file in out.rglob("*.html"):
        if html_file.name == "404.html":  # served from any folder, so MkDocs links it from /
            continue
        for href in re.findall(r'href="([^"#:]+\.html)(?:#[^"]*)?"', html_file.read_text()):
            hrefs.add((html_file.parent, href))
    assert len(hrefs) > 10
    missing = [(str(p), h) for p, h in hrefs if not (p / h).resolve().is_file()]
    assert missing == []
    assert (out / "journeys" / "new-laptop.html").is_file()


def visible_text(html: str) -> str:
    return " ".join(" ".join(article(html).text).split())


def test_empty_site_builds_and_says_so(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "content").mkdir()
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    assert "There are no journeys yet" in visible_text(page(site / "site", ""))
    assert "There are no journeys yet" in visible_text(page(site / "site", "insights"))
    assert not (site / "site" / "roadmap").exists()
    assert not (site / "site" / "opportunities").exists()


def test_one_journey_without_opportunities_or_milestones(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write(site / "content" / "personas" / "eva.md", PERSONA)
    write(site / "content" / "journeys" / "new-laptop.md",
          re.sub(r"opportunities:.*?---", "---", JOURNEY, flags=re.S))
    write(site / "content" / "roadmap.yml", "title: Plans\nvision: Fewer surprises\n")
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    journey = visible_text(page(site / "site", "journeys/new-laptop"))
    assert "No opportunities recorded for this journey yet." in journey
    roadmap = visible_text(page(site / "site", "roadmap"))
    assert "The roadmap has no milestones yet." in roadmap
    assert "Every opportunity is planned for a milestone." in roadmap
    assert "Nothing is parked as won't have." in roadmap
    insights = visible_text(page(site / "site", "insights"))
    assert "No journey has opportunities yet." in insights
    assert "No journey records a communication gap." in insights
    assert "Looks for the order form" in insights  # the one journey's lowest moment
    assert not (site / "site" / "opportunities").exists()


def test_overdue_milestone_is_flagged_against_the_build_date(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write(site / "content" / "personas" / "eva.md", PERSONA)
    write(site / "content" / "journeys" / "new-laptop.md",
          JOURNEY.replace("priority: must", "priority: must\n    milestone: q1"))
    write(site / "content" / "roadmap.yml",
          "milestones:\n  - {id: q1, title: First quarter, date: 2027-03-31}\n")
    flags = []
    for day in ("2027-03-01", "2027-04-01"):
        epoch = int(datetime.datetime.fromisoformat(day + "T12:00:00+00:00").timestamp())
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site,
                                capture_output=True, text=True,
                                env={**os.environ, "SOURCE_DATE_EPOCH": str(epoch)})
        assert result.returncode == 0, result.stderr
        flags.append("Past its date; still open: 1" in visible_text(
            page(site / "site", "roadmap")))
    assert flags == [False, True]


def test_feedback_and_edit_links_with_author_text_encoded(tmp_path: Path) -> None:
    site = make_site(tmp_path, extra="repo_url: https://git.example.org/desk\n"
                     "edit_uri: edit/main/content/\n")
    write(site / "mkdocs.yml", (site / "mkdocs.yml").read_text().replace(
        "  - journeys\n", "  - journeys:\n      feedback_url: 'https://git.example.org/desk/"
        "issues/new?title=Feedback on {kind} {title}&body={path} {url}'\n"))
    write(site / "content" / "personas" / "eva.md", PERSONA)
    write(site / "content" / "journeys" / "new-laptop.md",
          JOURNEY.replace("title: Requesting a new laptop", "title: 'A & B <i>\"x\"</i>'"))
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    html = page(site / "site", "journeys/new-laptop")
    assert ('<a href="https://git.example.org/desk/edit/main/content/journeys/new-laptop.md">'
            'Edit this file</a>') in html
    assert ('href="https://git.example.org/desk/issues/new?title=Feedback on journey '
            'A%20%26%20B%20%3Ci%3E%22x%22%3C%2Fi%3E&amp;body=journeys%2Fnew-laptop.md '
            'journeys%2Fnew-laptop%2F"') in html
    assert "Give feedback on this page" in page(site / "site", "personas/eva")


@pytest.mark.parametrize("template, message", [
    ("javascript:alert(1)//{title}", "must start with http:, https: or mailto:"),
    ("https://x.org/?t={name}", "may only use the placeholders"),
    ("https://x.org/?t={title.__class__}", "'feedback_url' may only use the placeholders "
     "{title}, {id}, {kind}, {path}, {url}, as they are, not {title.__class__}"),
])
def test_bad_feedback_url_stops_the_build(tmp_path: Path, template: str, message: str) -> None:
    site = make_site(tmp_path)
    write(site / "mkdocs.yml", (site / "mkdocs.yml").read_text().replace(
        "  - journeys\n", f"  - journeys:\n      feedback_url: '{template}'\n"))
    (site / "content").mkdir()
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_each_map_can_be_downloaded_as_a_standalone_svg(example_site: Path) -> None:
    html = page(example_site, "journeys/new-laptop")
    assert '<a href="../new-laptop.svg" download>Download the map (SVG)</a>' in html
    svg = (example_site / "journeys" / "new-laptop.svg").read_text(encoding="utf-8")
    assert svg.startswith('<?xml version="1.0" encoding="utf-8"?>\n<svg')
    assert "<style" in svg and 'role="img"' in svg
