"""Author text made safe for pages: inert Markdown, escaped titles, Markdown fields without HTML.

Author text reaches a page only through these and Jinja's autoescaping in HTML. `md` writes every
punctuation mark as a character reference, so that no author text can become Markdown or HTML
markup under any extension a site enables.
"""

from __future__ import annotations

import json
import string
from functools import lru_cache
from xml.etree.ElementTree import Element

import markdown
from markdown.treeprocessors import Treeprocessor
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


@lru_cache(maxsize=1)
def _markdown() -> markdown.Markdown:
    renderer = markdown.Markdown(extensions=[])
    # Raw HTML written by an author is shown as text, like every other author value.
    renderer.preprocessors.deregister("html_block")
    renderer.inlinePatterns.deregister("html")
    renderer.treeprocessors.register(_DropUnsafeLinks(renderer), "drop-unsafe-links", 0)
    return renderer


# A description shows on its journey, the backlog, its team's backlog and the roadmap: once each.
@lru_cache(maxsize=4096)
def render_markdown(text: str) -> Markup:
    """A short Markdown field (an opportunity's description) as HTML: no raw HTML, safe links."""
    return Markup(_markdown().reset().convert(text))
