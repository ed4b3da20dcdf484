"""Mermaid `journey` diagrams in a page's Markdown, drawn as our map with a table of their tasks.

Before Markdown reads a page, each fenced `mermaid` block (``` or ~~~, indented in a list or an
admonition too, `{.mermaid}` as well) whose diagram Mermaid takes for a journey is replaced by a
placeholder comment; every other block is left byte for byte. After Markdown, the placeholder
becomes the map and a table of the tasks (what search indexes); the map steps out while search
reads the page, as the other charts do (see islands.py). A diagram Mermaid would reject stays
as it was, and each of its problems is a warning `path:line:column: message`, which fails
`mkdocs build --strict`.

The placeholders carry a hash of the page's Markdown: an author cannot write one into a page.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from pydantic import ValidationError

from .labels import Labels
from .mermaid import (
    MermaidError,
    MermaidJourney,
    is_mermaid_journey,
    journey_data,
    parse_mermaid_journey,
)
from .model import EmotionScale, Journey
from .problems import Problem
from .render import MapOptions

_OPENING = re.compile(r"(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*)")
# A list item or an admonition, a collapsible block or a content tab: what a fence may be
# indented under (by four more spaces, as Python-Markdown nests blocks).
_CONTAINER = re.compile(r"[ \t]*(?:[-*+][ \t]|\d+[.)][ \t]|!!!|\?\?\?\+?|===\+?)")


@dataclass(frozen=True)
class Fence:
    """A fenced code block: its lines in the page (0-based, both fences), its language."""

    opening: int
    closing: int
    indent: int
    language: str
    lines: list[str]  # its content, the fence's indentation taken off


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _language(info: str, fence: str) -> str:
    """The fence's language: `mermaid` of ```mermaid, ``` mermaid title=..., ```{.mermaid}."""
    if fence.startswith("`") and "`" in info:
        return ""  # not a fence at all (CommonMark)
    info = info.strip()
    if info.startswith("{"):
        classes = re.findall(r"(?:^|\s|\{)\.([\w-]+)", info)
        return classes[0] if classes else ""
    return info.split()[0] if info else ""


def fences(lines: list[str]) -> Iterator[Fence]:
    """The page's fenced code blocks, outer ones only: a fence inside a fence is its text.

    A fence is one when indented less than four spaces past the list item or admonition it
    is in (else it is an indented code block's text), and when it is closed by a fence of its
    character at least as long (an unclosed one is text, as Python-Markdown has it).
    """
    containers: list[int] = []  # the content indentation of each open container
    number = 0
    while number < len(lines):
        line = lines[number]
        if not line.strip():
            number += 1
            continue
        indent = _indent(line)
        while containers and indent < containers[-1] - 2:
            containers.pop()
        opening = _OPENING.fullmatch(line)
        base = containers[-1] if containers else 0
        if opening and indent - base < 4:
            fence = opening.group("fence")
            closing = _closing(lines, number, indent, fence)
            if closing is not None:
                content = [_dedent(text, indent) for text in lines[number + 1:closing]]
                yield Fence(number, closing, indent, _language(opening.group("info"), fence),
                            content)
                number = closing + 1
                continue
        if _CONTAINER.match(line):
            containers.append(indent + 4)
        number += 1


def _closing(lines: list[str], opening: int, indent: int, fence: str) -> int | None:
    pattern = re.compile(rf"[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*")
    for number in range(opening + 1, len(lines)):
        if pattern.fullmatch(lines[number]) and _indent(lines[number]) <= indent + 3:
            return number
    return None


def _dedent(line: str, indent: int) -> str:
    return line[min(indent, _indent(line)):]


@dataclass
class Drawn:
    """A Mermaid journey of a page: the diagram, our journey made of it, its number."""

    number: int
    diagram: MermaidJourney
    journey: Journey | None  # None: the diagram has no tasks


@dataclass
class PageJourneys:
    """What `take_journeys` found in a page: the diagrams by placeholder, and problems."""

    token: str
    drawn: list[Drawn] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: dict[str, str] = field(default_factory=dict)  # placeholder -> the fence as written

    def as_written(self, markdown: str) -> str:
        """The page's Markdown with each placeholder back to its fence, for plugins that read
        `page.markdown` once the page is rendered (rss)."""
        for placeholder, fence in self.written.items():
            markdown = markdown.replace(placeholder, fence, 1)
        return markdown

    def placeholder(self, number: int) -> str:
        return f"<!-- journeys:mermaid:{self.token}:{number} -->"

    def map_placeholder(self, number: int) -> str:
        return f"<!-- journeys:mermaid-map:{self.token}:{number} -->"


def first_lines(markdown: str, source: str | None, found: list[Fence],
                lines: list[str]) -> list[int]:
    """The line of the author's file each fence's content starts on: MkDocs gives a page's
    Markdown without its front matter, and a generated page's body sits in its author's file."""
    starts = [fence.opening + 2 for fence in found]
    if not source:
        return starts
    at = source.find(markdown) if markdown else -1
    if at >= 0:
        offset = source.count("\n", 0, at)
        return [start + offset for start in starts]
    position = 0
    for index, fence in enumerate(found):
        block = "\n".join(lines[fence.opening:fence.closing + 1])
        at = source.find(block, position)
        if at >= 0:
            starts[index] = source.count("\n", 0, at) + 2
            position = at + len(block)
    return starts


def find_journeys(markdown: str, path: str,
                  first_line: int = 1) -> tuple[list[MermaidJourney], list[Problem]]:
    """Every Mermaid journey of a Markdown file, in order, and the problems of those Mermaid
    would reject (for `journeys import` of a `.md` file); `first_line`: the line the text
    starts on in its file."""
    diagrams: list[MermaidJourney] = []
    problems: list[Problem] = []
    for fence in fences(markdown.split("\n")):
        text = "\n".join(fence.lines)
        if fence.language != "mermaid" or not is_mermaid_journey(text):
            continue
        try:
            diagrams.append(parse_mermaid_journey(text, path, first_line + fence.opening + 1,
                                                  fence.indent))
        except MermaidError as error:
            problems.extend(error.problems)
    return diagrams, problems


def take_journeys(markdown: str, path: str, scale: EmotionScale, labels: Labels,
                  source: str | None = None) -> tuple[str, PageJourneys]:
    """The page's Markdown with each Mermaid journey replaced by a placeholder, and what was
    found. `source` is the text of the page's file, to place problems in it."""
    token = hashlib.sha256(markdown.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    page = PageJourneys(token)
    if "mermaid" not in markdown:
        return markdown, page
    lines = markdown.split("\n")
    found = [f for f in fences(lines) if f.language == "mermaid"
             and is_mermaid_journey("\n".join(f.lines))]
    if not found:
        return markdown, page
    replaced: dict[int, Fence] = {}
    for fence, first in zip(found, first_lines(markdown, source, found, lines), strict=True):
        try:
            diagram = parse_mermaid_journey("\n".join(fence.lines), path, first, fence.indent)
            journey = page_journey(diagram, scale, labels, f"mermaid-{len(page.drawn) + 1}")
        except MermaidError as error:
            page.problems.extend(error.problems)
            continue
        page.drawn.append(Drawn(len(page.drawn) + 1, diagram, journey))
        replaced[fence.opening] = fence
    out: list[str] = []
    number, drawn = 0, 0
    while number < len(lines):
        block = replaced.get(number)
        if block is None:
            out.append(lines[number])
            number += 1
            continue
        drawn += 1
        pad = lines[number][:block.indent]
        out.extend(["", pad + page.placeholder(drawn), ""])
        page.written[page.placeholder(drawn)] = "\n".join(
            lines[number:block.closing + 1])[len(pad):]
        number = block.closing + 1
    return "\n".join(out), page


def page_journey(diagram: MermaidJourney, scale: EmotionScale, labels: Labels,
                 prefix: str) -> Journey | None:
    """Our journey of a diagram on a page, its touchpoints numbered under `prefix` (ids unique
    in the page); None when it has no tasks. MermaidError when a name is one our journeys
    cannot hold (a character no page can show)."""
    if not diagram.tasks:
        return None
    data = journey_data(diagram, scale, "mermaid", untitled_section=labels("mermaid_no_section"),
                        untitled=labels("journey"))
    number = 0
    for stage in data["stages"]:
        for point in stage["touchpoints"]:
            number += 1
            point["id"] = f"{prefix}-{number}"
    try:
        return Journey.model_validate(data, context={"scale": scale})
    except ValidationError as error:
        tasks = diagram.tasks
        problems = []
        for detail in error.errors():
            loc = detail["loc"]
            line, column = diagram.line, diagram.column
            if len(loc) >= 4 and loc[0] == "stages" and loc[2] == "touchpoints":
                index = sum(len(s["touchpoints"]) for s in data["stages"][:int(loc[1])]) \
                    + int(loc[3])
                line, column = tasks[index].line, tasks[index].column
            problems.append(Problem(diagram.path, line, column, str(detail["msg"])))
        raise MermaidError(problems) from None


def map_prefix(number: int) -> str:
    """The ids of a page's `number`th Mermaid journey's map (its SVG, links and region)."""
    return f"mermaid-journey-{number}"


def map_options(scale: EmotionScale, labels: Labels, prefix: str) -> MapOptions:
    """A Mermaid journey's map: no channel lane (Mermaid has no channels), and no team or
    backstage lane, which no task fills."""
    return MapOptions(scale, labels, labels.direction, prefix, channel_lane=False,
                      empty_lanes=False)


def block_html(drawn: Drawn, page: PageJourneys, labels: Labels) -> str:
    """What a diagram's placeholder becomes: the map's region (its own placeholder, for the
    drawing) and the table of its tasks, every author text escaped."""
    diagram, journey, t = drawn.diagram, drawn.journey, labels
    prefix = map_prefix(drawn.number)
    title = escape(journey.title if journey else (diagram.title or diagram.acc_title
                                                  or t("journey")))
    parts = ['<div class="journey-mermaid">']
    if journey is None:
        parts.append(f'<p class="journey-mermaid__title">{title}</p>'
                     f'<p class="journey-mermaid__empty">{escape(t("mermaid_no_tasks"))}</p>')
    else:
        parts.append(f'<div class="journey-map-scroll journey-map-region" id="{prefix}-region" '
                     f'role="region" tabindex="0" aria-label="{escape(t("map"))}: {title}">'
                     f'{page.map_placeholder(drawn.number)}</div>')
        parts.append(_table(drawn, journey, title, t))
    if diagram.acc_description:
        parts.append(f'<p class="journey-mermaid__description">'
                     f'{escape(diagram.acc_description)}</p>')
    parts.append("</div>")
    return "\n".join(parts)


def _table(drawn: Drawn, journey: Journey, title: Markup, t: Labels) -> str:
    prefix = map_prefix(drawn.number)
    rows = []
    number = 0
    tasks = drawn.diagram.tasks
    for stage in journey.stages:
        for position, tp in enumerate(stage.touchpoints):
            score = tasks[number].score
            number += 1
            group = (f'<th scope="rowgroup" rowspan="{len(stage.touchpoints)}" '
                     f'data-label="{escape(t("stage"))}">{escape(stage.name)}</th>'
                     if position == 0 else "")
            emotion = t("mermaid_score", emotion=t.score(tp.score or 0.0),
                        score=t.number(score))
            rows.append(
                f'<tr id="tp-{tp.id}" class="journey-touchpoint">'
                f'<td class="journey-touchpoints__number"><a href="#{prefix}-tp-{tp.id}" '
                f'aria-label="{escape(t("show_in_map", number=number))}">{number}</a></td>'
                f'{group}<td class="journey-touchpoints__action">{escape(tp.action)}</td>'
                f'<td data-label="{escape(t("actors"))}">{escape(", ".join(tp.actors))}</td>'
                f'<td data-label="{escape(t("emotion"))}">{escape(emotion)}</td></tr>')
    head = "".join(f'<th scope="col">{escape(word)}</th>' for word in
                   ("#", t("stage"), t("task"), t("actors"), t("emotion")))
    return (f'<div class="journey-touchpoints journey-stack"><table><caption>{title}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


_PLACED = re.compile(r"(?:<p>[ \t]*)?<!-- journeys:mermaid:([0-9a-f]{16}):(\d+) -->(?:[ \t]*</p>)?")


def put_in(html: str, page: PageJourneys, labels: Labels, scale: EmotionScale,
           draw: Callable[[Journey, MapOptions], str]) -> tuple[str, dict[str, str]]:
    """The page's HTML with each diagram's block and map in its placeholder's place, and what
    went in for each map placeholder (to take it out again while search reads the page)."""
    by_number = {d.number: d for d in page.drawn}
    shown: dict[str, str] = {}

    def block(match: re.Match[str]) -> str:
        drawn = by_number.get(int(match.group(2)))
        if match.group(1) != page.token or drawn is None:
            return match.group(0)
        html = block_html(drawn, page, labels)
        if drawn.journey is not None:
            placeholder = page.map_placeholder(drawn.number)
            svg = draw(drawn.journey, map_options(scale, labels, map_prefix(drawn.number)))
            shown[placeholder] = svg
            html = html.replace(placeholder, svg)
        return html

    return _PLACED.sub(block, html), shown

