"""Author text made safe for pages: inert Markdown, escaped titles, Markdown fields without HTML.

Author text reaches a page only through these and Jinja's autoescaping in HTML. `md` writes every
punctuation mark as a character reference, so that no author text can become Markdown or HTML
markup under any extension a site enables. Links follow one rule, `safe_url`: Markdown fields
are cleaned by nh3 (ammonia) with it, and what the site's own Markdown makes of a page's body is
filtered with it by `drop_unsafe_urls`.
"""

from __future__ import annotations

import html
import json
import re
import string
import unicodedata
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import unquote

import markdown
import nh3
from markupsafe import Markup, escape

_PUNCTUATION = frozenset(string.punctuation)


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
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:")
# Browsers drop tabs and newlines anywhere in a URL and C0 controls and spaces around it; we
# drop every control, format character and space anywhere: reading more as a scheme than a
# browser would only ever refuses a link, never lets one through.
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def _readings(url: str) -> list[str]:
    """The URL as written, and again with entities and percent-escapes decoded, until stable:
    the browser decodes entities in an attribute once, but a link may pass through more than
    one reader (Markdown, the theme, a redirect), so every reading must be safe."""
    readings = [url]
    for _ in range(4):
        decoded = unquote(html.unescape(readings[-1]))
        if decoded == readings[-1]:
            break
        readings.append(decoded)
    return readings


def _flat(url: str) -> str:
    return "".join(c for c in url if not c.isspace()
                   and unicodedata.category(c) not in _INVISIBLE).casefold()


# A relative link of these characters alone reads the same however it is decoded, and holds
# no scheme (no colon) and no backslash: most links of a page (`../x/`, `#tp-1`) are decided
# by this test alone, where reading each character cost half of a second build's plugin time.
_PLAIN_RELATIVE = re.compile(r"[A-Za-z0-9._~/#?=+-]*")


@lru_cache(maxsize=8192)
def safe_url(url: str) -> bool:
    """Only http, https, mailto and relative links; never javascript:, data: or vbscript:.

    Decided on the URL as a browser reads it (see _readings and _INVISIBLE). A link to
    another host without a scheme (`//host`, `\\\\host`, `/\\host`) is refused: authors
    can write https:// for that, and a page opened from disk would read it as file://host.
    """
    if _PLAIN_RELATIVE.fullmatch(url):
        return not url.startswith("//")
    for reading in _readings(url):
        flat = _flat(reading)
        if flat[:2] in ("//", "\\\\", "/\\", "\\/"):
            return False
        scheme = _SCHEME.match(flat)
        if scheme and scheme.group(0)[:-1] not in SAFE_SCHEMES:
            return False
    return True


# Attributes whose value a browser loads or follows as a URL (HTML, SVG and old forms).
URL_ATTRIBUTES = frozenset({
    "href", "src", "srcset", "action", "formaction", "xlink:href", "poster", "data", "cite",
    "background", "ping", "longdesc", "usemap", "codebase", "classid", "archive", "manifest",
    "icon", "profile", "lowsrc", "dynsrc",
})


def _safe_attribute(name: str, value: str) -> bool:
    if name == "srcset":  # "url 1x, url 2x": each candidate's URL
        return all(safe_url(part.split()[0]) for part in value.split(",") if part.split())
    return safe_url(value)


def _only_safe_urls(element: str, attribute: str, value: str) -> str | None:
    return None if attribute in URL_ATTRIBUTES and not _safe_attribute(attribute, value) \
        else value


# What Python-Markdown writes without extensions; anything else would not come from Markdown.
_MARKDOWN_TAGS = frozenset({
    "p", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "br", "hr",
    "img", "h1", "h2", "h3", "h4", "h5", "h6",
})
_MARKDOWN_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    # html5ever parses the HTML as a browser does and ammonia keeps what is listed; the filter
    # applies our reading of URLs on top of ammonia's own scheme check.
    return nh3.Cleaner(tags=set(_MARKDOWN_TAGS), attributes=_MARKDOWN_ATTRIBUTES,
                       attribute_filter=_only_safe_urls, url_schemes=set(SAFE_SCHEMES),
                       url_relative=lambda url: url if safe_url(url) else None,
                       link_rel=None, strip_comments=True)


@lru_cache(maxsize=1)
def _markdown() -> markdown.Markdown:
    renderer = markdown.Markdown(extensions=[])
    # Raw HTML written by an author is shown as text, like every other author value.
    renderer.preprocessors.deregister("html_block")
    renderer.inlinePatterns.deregister("html")
    return renderer


# A description shows on its journey, the backlog, its team's backlog and the roadmap: once each.
@lru_cache(maxsize=4096)
def render_markdown(text: str) -> Markup:
    """A short Markdown field (an opportunity's description) as HTML: no raw HTML, safe links.

    The HTML goes through nh3 (ammonia) last, so that whatever Markdown makes of a link, what
    reaches the page is what a browser would parse, with only Markdown's elements and safe URLs.
    """
    return Markup(_cleaner().clean(_markdown().reset().convert(text)))


# An attribute's name, read backwards from its `=` (a search for it from the front of the
# window cost as much as parsing the page). Most `=` of a page are not a URL attribute's
# (class, id, aria-label): the three letters before it tell, without reading the name.
_NAME_BACKWARDS = re.compile(r"\s*([\w:.-]+)")
_SPACES = re.compile(r"\s*")
_URL_ENDINGS = frozenset(name[-3:] for name in URL_ATTRIBUTES)


def drop_unsafe_urls(page: str) -> str:
    """A page's HTML with every unsafe URL attribute (see safe_url) removed from its tags.

    For what MkDocs' own Markdown made of an author's text: the body of a journey or persona
    page is rendered with the site's extensions, so its links cannot be checked as written.
    Most pages have only double-quoted, safe URLs, found from each `=`; a page with anything
    else is read by an HTML parser, and only the tags with an unsafe URL are written anew.
    """
    at = page.find("=")
    while at >= 0:
        if page[at - 3:at].lower() not in _URL_ENDINGS and not page[at - 1:at].isspace():
            at = page.find("=", at + 1)
            continue
        window = max(0, at - 40)
        before = _NAME_BACKWARDS.match(page[window:at][::-1])
        name = before.group(1)[::-1].lower() if before else ""
        if name in URL_ATTRIBUTES:
            if before and before.end() == at - window and window > 0:
                return _rewrite_unsafe_tags(page)  # a name longer than we look back
            start = _SPACES.match(page, at + 1).end()  # type: ignore[union-attr]
            end = page.find('"', start + 1)
            if page[start:start + 1] != '"' or end < 0 or \
                    not _safe_attribute(name, html.unescape(page[start + 1:end])):
                return _rewrite_unsafe_tags(page)
        at = page.find("=", at + 1)
    return page


class _UnsafeTags(HTMLParser):
    """Finds start tags with an unsafe URL attribute: where they are, and the tag without it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[tuple[int, int], str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs, ">")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs, " />")

    def _check(self, tag: str, attrs: list[tuple[str, str | None]], end: str) -> None:
        kept = [(k, v) for k, v in attrs
                if v is None or k not in URL_ATTRIBUTES or _safe_attribute(k, v)]
        if len(kept) < len(attrs):
            written = "".join(f' {k}="{escape(v)}"' if v is not None else f" {k}"
                              for k, v in kept)
            self.found.append((self.getpos(), self.get_starttag_text() or "",
                               f"<{tag}{written}{end}"))


def _rewrite_unsafe_tags(page: str) -> str:
    parser = _UnsafeTags()
    parser.feed(page)
    parser.close()
    line_starts = [0] + [m.end() for m in re.finditer("\n", page)]
    pieces, done = [], 0
    for (line, column), original, rewritten in parser.found:
        at = line_starts[line - 1] + column
        if page[at:at + len(original)] != original:  # never expected: then the tag is text
            original = page[at:page.find(">", at) + 1 or len(page)]
            rewritten = str(escape(original))
        pieces += [page[done:at], rewritten]
        done = at + len(original)
    return "".join([*pieces, page[done:]])


# Elements a browser closes itself, or never: nothing to balance.
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "basefont", "bgsound", "frame", "keygen", "image",
})
# In a body these reach beyond it: a script runs, <base> moves every relative link of the page,
# <meta> can redirect it, <link> loads what it likes, <plaintext> swallows the rest unclosed.
_DROPPED_WITH_CONTENT = frozenset({"script"})
_DROPPED = frozenset({"base", "meta", "link", "plaintext"})


def _active(attribute: str) -> bool:
    """Event handlers, and `srcdoc`, whose value is a page of its own (scripts and all)."""
    return attribute.startswith("on") or attribute == "srcdoc"


class _BodyRepair(HTMLParser):
    """Finds, in the HTML of a page's body, what would reach past it: its edits as offsets."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.edits: list[tuple[int, int, str]] = []
        self.open: list[str] = []
        self.dropping: int | None = None  # where an element dropped with its content started

    def _at(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, ">")
        if tag in _DROPPED_WITH_CONTENT:
            self.dropping = self._at()
        elif tag not in _VOID and tag not in _DROPPED:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, " />")

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], end: str) -> None:
        at, original = self._at(), self.get_starttag_text() or ""
        if tag in _DROPPED:
            self.edits.append((at, at + len(original), ""))
            return
        kept = [(k, v) for k, v in attrs if not _active(k)]
        if len(kept) < len(attrs) and tag not in _DROPPED_WITH_CONTENT:
            written = "".join(f' {k}="{escape(v)}"' if v is not None else f" {k}"
                              for k, v in kept)
            self.edits.append((at, at + len(original), f"<{tag}{written}{end}"))

    def handle_endtag(self, tag: str) -> None:
        at = self._at()
        end = self.text.find(">", at) + 1 or len(self.text)
        if self.dropping is not None and tag in _DROPPED_WITH_CONTENT:
            self.edits.append((self.dropping, end, ""))
            self.dropping = None
        elif tag in self.open:
            # Closing an outer element closes the ones inside it, as in a browser.
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]
        else:  # it would close one of the page's own elements around the body
            self.edits.append((at, end, ""))

    def finish(self) -> list[tuple[int, int, str]]:
        """The edits, once the whole text is fed: also for what is left open at its end."""
        rest = len(self.text) - len(self.rawdata)
        if self.dropping is not None:
            self.edits.append((self.dropping, len(self.text), ""))
        elif self.cdata_elem is None and "<" in self.rawdata:
            # An unfinished tag or comment would take in what follows the body: made text.
            at = rest + self.rawdata.index("<")
            self.edits.append((at, at + 1, "&lt;"))
        else:
            closing = "".join(f"</{tag}>" for tag in reversed(self.open))
            if closing:
                self.edits.append((len(self.text), len(self.text), closing))
        return self.edits


def contained_body(fragment: str) -> str:
    """The HTML of a page's body made unable to reach the page around it, else unchanged.

    The body is rendered like any page of the site, raw HTML included; what it could do to
    the rest of our page goes: elements left open are closed at its end, closing tags without
    their element and unfinished tags are dropped or made text, and scripts, event handlers,
    `srcdoc` and <base>, <meta>, <link> are removed. HTML that is whole and inert, which is
    all Markdown itself writes, is left byte for byte as it was. Each edit can make the next
    one visible (`<<script></script>script>`), so the text is read again until none is left.
    """
    for _ in range(len(fragment) + 1):
        parser = _BodyRepair(fragment)
        parser.feed(fragment)
        edits = parser.finish()
        if not edits:
            return fragment
        pieces, done = [], 0
        for start, end, replacement in sorted(edits):
            pieces += [fragment[done:start], replacement]
            done = max(done, end)
        fragment = "".join([*pieces, fragment[done:]])
    return fragment
