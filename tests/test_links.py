"""Links in author Markdown: known ways around a scheme check, in every Markdown field of a real
built site, on every page where the field shows; good links keep working; and in a browser,
clicking every link opens no dialog."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_journey_plugin.markup import drop_unsafe_urls, render_markdown, safe_url

from .browser import PageWatch, serve
from .conftest import make_site, run, write
from .test_site import _Text

# Link targets that a browser reads as javascript:, data:, vbscript: or another scheme, or as
# another host, however they are written: entities (decimal, hex, padded, without semicolons,
# named), percent-escapes, case, controls and spaces inside or around the scheme.
BAD_TARGETS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "java&#115;cript:alert(1)",
    "javascript&#58;alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "&#x6a&#x61vascript:alert(1)",
    "&#106&#97vascript:alert(1)",
    "&#0000106avascript:alert(1)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
    "jav&#97;script&#x3A;alert(1)",
    "javascript&#x3a;alert(1)",
    "javascript&colon;alert(1)",
    "java&Tab;script:alert(1)",
    "java&NewLine;script:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "jav&#x0A;ascript:alert(1)",
    "jav&#x0D;ascript:alert(1)",
    "jav&#9;ascript:alert(1)",
    "&#x20;javascript:alert(1)",
    "&amp;#106;avascript:alert(1)",
    "%6Aavascript:alert(1)",
    "javascript%3Aalert(1)",
    "java%09script:alert(1)",
    "java%0ascript:alert(1)",
    "javascript://%0aalert(1)",
    "jav\tascript:alert(1)",
    "\x00javascript:alert(1)",
    "\x01javascript:alert(1)",
    "java\x00script:alert(1)",
    "\x7fjavascript:alert(1)",
    "\u200bjavascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DaTa:text/html,alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://evil.example/",
    "//evil.example/",
    "\\\\\\\\evil.example/",
    "/\\\\evil.example/",
    "&#47;&#47;evil.example/",
]


def link_forms(target: str, n: int) -> list[str]:
    """One target written as Markdown in every way that makes a link or an image."""
    return [
        f"[inline {n}]({target})",
        f"[titled {n}]({target} \"title {n}\")",
        f"[angled {n}](<{target}>)",
        f"[spaced {n}](   {target}   )",
        f"![image {n}]({target})",
        f"[reference {n}][ref-{n}]",
        f"[collapsed-{n}][]",
        f"[![nested {n}]({target})]({target})",
    ]


def references(target: str, n: int) -> list[str]:
    return [f"[ref-{n}]: {target}", f"[collapsed-{n}]: {target} \"title\""]


WHOLE = [  # not a link target: a link as a whole
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<data:text/html,alert(1)>",
    "<vbscript:msgbox(1)>",
    '<a href="javascript:alert(1)">raw</a>',
    "<img src=x onerror=alert(1)>",
    '<svg><a xlink:href="javascript:alert(1)">svg</a></svg>',
]


def corpus() -> str:
    lines: list[str] = []
    refs: list[str] = []
    for n, target in enumerate(BAD_TARGETS):
        lines += link_forms(target, n)
        refs += references(target, n)
    return "\n\n".join([*lines, *WHOLE, "\n".join(refs)]) + "\n"


GOOD = {  # link -> the href it must keep
    "[http](http://example.org/h)": "http://example.org/h",
    "[https](https://example.org/s?a=1&b=2#top)": "https://example.org/s?a=1&b=2#top",
    "[mail](mailto:desk@example.org)": "mailto:desk@example.org",
    "[relative](../../notes/guide/)": "../../notes/guide/",
    "[absolute path](/help/)": "/help/",
    "[fragment](#notes)": "#notes",
    "[query](?tab=2)": "?tab=2",
    "<https://example.org/auto>": "https://example.org/auto",
}
GOOD_TEXT = "\n\n".join(GOOD) + "\n"
AUTOLINK = "<https://example.org/auto>"
DESCRIPTIONS = ("opportunity description", "milestone description")


def yaml_text(text: str) -> str:
    return json.dumps(text)  # JSON strings are YAML strings, controls escaped


PERSONA_MD = "---\nname: Eva\nrole: Office manager\n---\n{body}"
PERSONA_YML = "name: Yusuf\nrole: Developer\nnotes: {notes}\n"
JOURNEY_MD = """\
---
title: Laptop
persona: eva
teams: [Service desk]
stages:
  - name: Request
    touchpoints:
      - {{id: ask, action: Asks, channel: portal, team: Service desk, emotion: -1}}
opportunities:
  - id: bad
    title: Bad links
    touchpoints: [ask]
    team: Service desk
    milestone: q1
    description: {bad}
  - id: good
    title: Good links
    touchpoints: [ask]
    team: Service desk
    description: {good}
---
## Notes

{body}
"""
JOURNEY_YML = """\
title: Outage
persona: yusuf
stages:
  - name: Report
    touchpoints:
      - {{id: call, action: Calls, channel: phone, emotion: -1}}
notes: {notes}
"""
ROADMAP = """\
title: Roadmap
milestones:
  - id: q1
    title: First
    date: 2030-03-31
    description: {bad}
  - id: q2
    title: Second
    date: 2030-06-30
    description: {good}
"""

# Every Markdown field, and the pages (folders of the built site) where each shows.
FIELDS = {
    "opportunity description": ["journeys/laptop", "opportunities", "opportunities/service-desk"],
    "milestone description": ["roadmap"],
    "journey body (.md)": ["journeys/laptop"],
    "journey notes (.yml)": ["journeys/outage"],
    "persona body (.md)": ["personas/eva"],
    "persona notes (.yml)": ["personas/yusuf"],
}
PAGES = sorted({p for pages in FIELDS.values() for p in pages})


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = make_site(tmp_path_factory.mktemp("links"))
    bad, good = corpus(), GOOD_TEXT
    body = bad.replace("\x00", "")  # a NUL byte makes a .md file binary (refused); YAML escapes it
    content = site / "content"
    write(content / "personas" / "eva.md", PERSONA_MD.format(body=body + "\n" + good))
    write(content / "personas" / "yusuf.yml", PERSONA_YML.format(notes=yaml_text(bad + good)))
    write(content / "journeys" / "laptop.md", JOURNEY_MD.format(
        bad=yaml_text(bad), good=yaml_text(good), body=body + "\n" + good))
    write(content / "journeys" / "outage.yml", JOURNEY_YML.format(notes=yaml_text(bad + good)))
    write(content / "roadmap.yml", ROADMAP.format(bad=yaml_text(bad), good=yaml_text(good)))
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return site / "site"


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "xlink:href", "poster",
                  "data", "cite", "background", "ping", "longdesc", "usemap", "codebase"}
SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")


def as_browser_reads(url: str) -> str:
    """Entities and percent-escapes decoded (until nothing changes: stricter than a browser,
    which decodes once), controls and spaces dropped, case folded."""
    decoded = unquote(html.unescape(url))
    while decoded != url:
        url, decoded = decoded, unquote(html.unescape(decoded))
    return "".join(c for c in decoded if not c.isspace()
                   and unicodedata.category(c) not in ("Cc", "Cf")).casefold()


def unsafe(url: str) -> bool:
    read = as_browser_reads(url)
    # Our decision: a link to another host without a scheme (//host, \\host) is refused too.
    if read[:2] in ("//", "\\\\", "/\\", "\\/"):
        return True
    scheme = SCHEME.match(read)
    return scheme is not None and scheme.group(1) not in ("http", "https", "mailto")


class _Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and name in URL_ATTRIBUTES:
                values = [v.split()[0] for v in value.split(",") if v.split()] \
                    if name == "srcset" else [value]
                self.urls += [(tag, name, v) for v in values]


def urls(text: str) -> list[tuple[str, str, str]]:
    parser = _Urls()
    parser.feed(text)
    return parser.urls


def test_the_corpus_is_large() -> None:
    assert len(BAD_TARGETS) >= 40
    assert len(BAD_TARGETS) * len(link_forms("x", 0)) + len(WHOLE) >= 300


@pytest.mark.parametrize("target", BAD_TARGETS)
def test_safe_url_refuses_every_known_bypass(target: str) -> None:
    assert not safe_url(target)
    assert unsafe(target)  # and the test's own reading agrees


@pytest.mark.parametrize("href", GOOD.values())
def test_safe_url_keeps_good_links(href: str) -> None:
    assert safe_url(href) and not unsafe(href)


@pytest.mark.parametrize("path", PAGES)
def test_no_page_has_an_unsafe_url(built: Path, path: str) -> None:
    found = urls(page(built, path))
    assert len(found) > 20, path
    bad = [u for u in found if unsafe(u[2])]
    assert bad == [], path


# Descriptions are Markdown without raw HTML; a body is Markdown like any page (raw HTML live).
DESCRIBED = sorted({p for field, pages in FIELDS.items() if "description" in field
                    for p in pages})


@pytest.mark.parametrize("path", PAGES)
def test_no_page_has_an_event_handler(built: Path, path: str) -> None:
    parsed = _Text()
    parsed.feed(page(built, path))
    assert not any(any(k.startswith("on") for k in attrs) for _, attrs in parsed.tags), path


@pytest.mark.parametrize("path", DESCRIBED)
def test_raw_html_in_a_description_shows_as_text(built: Path, path: str) -> None:
    parsed = _Text()
    parsed.feed(page(built, path))
    text = "".join(parsed.text)
    for raw in WHOLE[4:]:
        assert raw in text, (path, raw)


@pytest.mark.parametrize("field, pages", FIELDS.items())
def test_good_links_keep_working_in_every_field(built: Path, field: str,
                                                pages: list[str]) -> None:
    for path in pages:
        hrefs = {value for tag, name, value in urls(page(built, path)) if tag == "a"}
        missing = [h for h in GOOD.values() if h not in hrefs
                   # Bodies are HTML-escaped for now, which turns an autolink into text.
                   and not (h == GOOD[AUTOLINK] and field not in DESCRIPTIONS)]
        assert missing == [], (field, path)


def test_a_description_is_sanitised_once_more_by_a_browser_like_parser() -> None:
    # Python-Markdown keeps character references in attributes; the result must not.
    out = str(render_markdown("[x](java&#115;cript:alert(1)) [y](https://example.org/)"))
    assert out == '<p><a>x</a> <a href="https://example.org/">y</a></p>'


@pytest.fixture(scope="module")
def served(built: Path) -> Iterator[str]:
    with serve(built) as base:
        yield base


# Every link and area of the page's content as the browser reads it (its own URL parser), and a
# click on each. A link read as http, https or mailto is kept from navigating (the page must stay
# to click the next one); any other is clicked as it is, one at a time with a pause, so that a
# javascript: link that got through runs (a later navigation would cancel a pending one).
CLICK_ALL = """
async () => {
  const links = [...document.querySelectorAll('article a, article area')];
  const target = (a) => {
    const href = a.href && a.href.baseVal !== undefined ? a.href.baseVal : a.getAttribute('href');
    try { return href === null ? null : new URL(href, document.baseURI); }
    catch { return null; }  // what the browser cannot parse, it does not follow either
  };
  const leaving = (url) => url && ['http:', 'https:', 'mailto:'].includes(url.protocol);
  window.addEventListener('click', (event) => {
    const a = event.target.closest('a, area');
    if (a && leaving(target(a))) event.preventDefault();
  }, true);
  const others = [];
  for (const a of links) {
    const url = target(a);
    if (url && !leaving(url)) others.push(url.href);
    if (a.click) a.click();
    else a.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));
    if (url && !leaving(url)) await new Promise(done => setTimeout(done, 50));
  }
  return {count: links.length, others};
}
"""


@pytest.mark.parametrize("path", PAGES)
def test_clicking_every_link_opens_no_dialog(browser: Any, served: str, path: str) -> None:
    tab = browser.new_page()
    watch = PageWatch(tab, served)
    tab.route("**/*", lambda route: route.abort() if not route.request.url.startswith(served)
              else route.continue_())
    tab.goto(f"{served}{path}/")
    clicked = tab.evaluate(CLICK_ALL)
    tab.wait_for_timeout(300)
    assert clicked["count"] > 50
    assert clicked["others"] == [], path  # every link is http, https, mailto or on this site
    assert watch.dialogs == [], path
    tab.close()


ATTRIBUTE_FORMS = ['{name}="{value}"', "{name}='{value}'", "{name}={value}", '{name} = "{value}"',
                   '{NAME}="{value}"']


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(
    st.sampled_from(["a", "img", "area", "form", "iframe", "svg:a", "video"]),
    st.sampled_from(sorted(URL_ATTRIBUTES | {"title", "class"})),
    st.sampled_from(BAD_TARGETS + list(GOOD.values()) + ["plain", "a=b"]),
    st.sampled_from(ATTRIBUTE_FORMS),
    st.sampled_from([" ", "\n", "\t", " /", ' x="1" ', ' title="href=x" ', ' x="1"/'])),
    min_size=1, max_size=6))
def test_drop_unsafe_urls_leaves_no_unsafe_url_however_a_tag_is_written(
        tags: list[tuple[str, str, str, str, str]]) -> None:
    page = "".join(
        f"<p>text = {n}<{tag}{before}" + form.format(
            name=name, NAME=name.upper(), value=html.escape(value, quote=True)) + ">x</p>"
        for n, (tag, name, value, form, before) in enumerate(tags))
    cleaned = drop_unsafe_urls(page)
    assert [u for u in urls(cleaned) if unsafe(u[2])] == []
    if not any(unsafe(u[2]) for u in urls(page)):
        assert cleaned == page  # a page with only safe URLs is left byte for byte
