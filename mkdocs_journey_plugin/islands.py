"""What a generated page holds besides its Markdown, taken out and put back.

Python-Markdown reads a raw HTML block with a slow pure-Python parser, so our pages' HTML
blocks are stashed out of the Markdown as numbered comments ("islands") and put back in the
HTML. Charts are not in the Markdown either: a placeholder marks their place, and
`finish_page` swaps them in after Markdown; they step out again while search reads the page
(`hide_from_search`, `show_again`). The author's body, last on journey and persona pages, is
never touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from urllib.parse import quote

from markdown.util import BLOCK_LEVEL_ELEMENTS
from markupsafe import Markup, escape

from .labels import Labels
from .markup import contained_body, drop_unsafe_urls

_CHART = re.compile(r"<!-- journeys:([a-z]+):([a-z0-9-]+) -->")


def chart_placeholder(kind: str, key: str) -> Markup:
    """Where a chart goes in a page; keys are slugs (ids), so this is inert."""
    return Markup(f"<!-- journeys:{kind}:{key} -->")


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
    every tag in pure Python and should index the touchpoint table, not the charts."""
    return _swapped(html, shown, hide=True)


def show_again(html: str, shown: Mapping[str, str]) -> str:
    """The page's HTML with what `hide_from_search` took out back in its place."""
    return _swapped(html, shown, hide=False)


def _swapped(html: str, shown: Mapping[str, str], hide: bool) -> str:
    """What went in for each placeholder (`shown`) back to its placeholder, or (not `hide`)
    the other way round: the links after the body, the charts in the page's own part."""
    links = shown.get(LINKS_PLACEHOLDER)
    if links:
        old, new = (links, LINKS_PLACEHOLDER) if hide else (LINKS_PLACEHOLDER, links)
        at = html.rfind(old)
        if at >= 0:
            html = html[:at] + new + html[at + len(old):]
    ours, body = _ours_and_body(html)
    for placeholder, fragment in shown.items():
        if placeholder != LINKS_PLACEHOLDER:
            ours = (ours.replace(fragment, placeholder) if hide
                    else ours.replace(placeholder, fragment))
    return ours + body


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
