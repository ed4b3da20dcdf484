"""What every chart shares: positioned text, the accessible root element, right-to-left mirroring.

Charts are laid out first as plain geometry (boxes of text, shapes), which tests can check for
overlap and overflow, and only then drawn with svgwrite.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Literal
from xml.sax.saxutils import escape

import svgwrite
from svgwrite.base import BaseElement

from ..bidi import balance
from .text import line_height, text_width

Anchor = Literal["start", "middle", "end"]
Direction = Literal["ltr", "rtl"]
Box = tuple[float, float, float, float]  # left, top, right, bottom

ASCENT = 0.95  # of the font size above the baseline: DejaVu Sans' ascender, rounded up
DESCENT = 0.25  # below it


def num(value: float) -> str:
    """Coordinates with one decimal: small files, and the same bytes for the same input."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


@lru_cache(maxsize=4)
def _style_element(css: str) -> str:
    return f"<style>{escape(css)}</style>"


def with_styles(svg: str, css: str) -> str:
    """A chart made to stand alone (mail, wikis, slides): its stylesheet goes inside it.

    Charts on a page share the site's stylesheet; a file of its own has none, so the same
    drawing gets a <style> as the first thing in its <defs>.
    """
    style = _style_element(css)
    if "<defs>" in svg:
        return svg.replace("<defs>", "<defs>" + style, 1)
    return svg.replace("<defs />", f"<defs>{style}</defs>", 1)


@dataclass
class DrawnChart:
    """The SVG and the text it placed, so that tests can check boxes without a browser."""

    svg: str
    width: float
    height: float
    texts: list[Text]


def isolate(text: str, direction: Direction) -> str:
    """Numbers and dates kept left to right inside right-to-left text: -1.5 stays -1.5."""
    return f"\u2066{text}\u2069" if direction == "rtl" else text


def keep_hyphen_with_word(line: str) -> str:
    """A line of right-to-left text that ends 'e-' (from 'e-mail') shows '-e' unless a
    left-to-right mark follows the hyphen: alone at the end, it takes the line's direction."""
    if len(line) > 1 and line[-1] in "-\u2010\u2013" \
            and unicodedata.bidirectional(line[-2]) in ("L", "EN"):
        return line + "\u200e"
    return line


def hits(a: Box, b: Box, gap_x: float = 0.0, gap_y: float = 0.0) -> bool:
    """Whether two boxes, each grown by the gaps, share any area."""
    return (min(a[2], b[2]) - max(a[0], b[0]) > -gap_x + 0.01
            and min(a[3], b[3]) - max(a[1], b[1]) > -gap_y + 0.01)


@dataclass(frozen=True)
class Text:
    """Lines of text at a first baseline, anchored at x; its box is known before drawing."""

    lines: tuple[str, ...]
    x: float
    y: float
    size: float
    css: str
    anchor: Anchor = "start"
    bold: bool = False
    tooltip: str | None = None  # the whole text, where the lines had to shorten it

    @cached_property
    def width(self) -> float:
        return max((text_width(line, self.size, self.bold) for line in self.lines), default=0.0)

    @property
    def height(self) -> float:
        return (len(self.lines) - 1) * line_height(self.size) + (ASCENT + DESCENT) * self.size

    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the ink the text may cover."""
        width = self.width
        left = {"start": self.x, "middle": self.x - width / 2, "end": self.x - width}[self.anchor]
        top = self.y - ASCENT * self.size
        return left, top, left + width, top + self.height


@dataclass
class Frame:
    """Maps layout x (always left to right) to drawn x, so one layout serves both directions."""

    width: float
    direction: Direction = "ltr"

    def x(self, value: float) -> float:
        return self.width - value if self.direction == "rtl" else value

    def points(self, points: Iterable[tuple[float, float]]) -> list[tuple[str, str]]:
        return [(num(self.x(x)), num(y)) for x, y in points]


class _Described(BaseElement):  # type: ignore[misc]
    """<title> or <desc> with an id, which svgwrite's own set_desc() cannot give."""

    def __init__(self, elementname: str, text: str, **extra: Any) -> None:
        self.elementname = elementname
        super().__init__(**extra)
        self.text = text

    def get_xml(self) -> Any:
        xml = super().get_xml()
        xml.text = self.text
        return xml


@dataclass
class Canvas:
    """An svgwrite drawing with its frame, and helpers that take layout coordinates."""

    frame: Frame
    height: float
    prefix: str
    drawing: Any = field(init=False)

    def __post_init__(self) -> None:
        width, height = num(self.frame.width), num(self.height)
        self.drawing = svgwrite.Drawing(size=(width, height), debug=False, profile="full",
                                        viewBox=f"0 0 {width} {height}")

    def describe(self, title: str, description: str, css: str) -> None:
        """role=img with a title and a description that screen readers announce."""
        root = self.drawing
        root.elements.insert(0, _Described("desc", description, id=f"{self.prefix}-desc"))
        root.elements.insert(0, _Described("title", title, id=f"{self.prefix}-title"))
        root.attribs.update({"role": "img", "class": css, "id": self.prefix,
                             "aria-labelledby": f"{self.prefix}-title {self.prefix}-desc"})
        if self.frame.direction == "rtl":
            # With direction=rtl a text's "start" is its right edge, so the mirrored x of a
            # left-anchored layout box is where a right-to-left line starts: anchors stay.
            root.attribs["direction"] = "rtl"

    def text(self, text: Text, parent: Any = None) -> None:
        x = num(self.frame.x(text.x))
        # A line cut from isolated author text may hold half of its controls: each line is
        # closed in itself, as each <tspan> with an x of its own is laid out on its own.
        lines = tuple(balance(line) for line in text.lines)
        if self.frame.direction == "rtl":
            lines = tuple(keep_hyphen_with_word(line) for line in lines)
        single = len(lines) == 1  # one line needs no <tspan>: fewer elements to write
        element = self.drawing.text(lines[0] if single else "", insert=(x, num(text.y)),
                                    class_=text.css, text_anchor=text.anchor)
        element.attribs["font-size"] = num(text.size)
        if text.bold:  # measured bold, so drawn bold whatever the stylesheet says
            element.attribs["font-weight"] = "bold"
        for number, line in enumerate(() if single else lines):
            span = self.drawing.tspan(line, x=[x])
            if number:
                span.attribs["dy"] = num(line_height(text.size))
            element.add(span)
        if text.tooltip:
            element.add(_Described("title", text.tooltip))
        (parent if parent is not None else self.drawing).add(element)

    def rect(self, left: float, top: float, width: float, height: float, css: str,
             parent: Any = None, radius: float = 0) -> None:
        x = self.frame.x(left + width) if self.frame.direction == "rtl" else left
        element = self.drawing.rect((num(x), num(top)), (num(width), num(height)), class_=css)
        if radius:
            element.attribs.update(rx=num(radius), ry=num(radius))
        (parent if parent is not None else self.drawing).add(element)

    def line(self, start: tuple[float, float], end: tuple[float, float], css: str,
             parent: Any = None, tooltip: str | None = None, **extra: str) -> None:
        (x1, y1), (x2, y2) = self.frame.points([start, end])
        element = self.drawing.line((x1, y1), (x2, y2), class_=css)
        element.attribs.update({k.replace("_", "-"): v for k, v in extra.items()})
        if tooltip:
            element.add(_Described("title", tooltip))
        (parent if parent is not None else self.drawing).add(element)

    def polyline(self, points: Iterable[tuple[float, float]], css: str, parent: Any = None) -> None:
        element = self.drawing.polyline(self.frame.points(points), class_=css)
        (parent if parent is not None else self.drawing).add(element)

    def polygon(self, points: Iterable[tuple[float, float]], css: str, parent: Any = None) -> None:
        element = self.drawing.polygon(self.frame.points(points), class_=css)
        (parent if parent is not None else self.drawing).add(element)

    def circle(self, centre: tuple[float, float], radius: float, css: str,
               parent: Any = None) -> Any:
        (x, y), = self.frame.points([centre])
        element = self.drawing.circle((x, y), num(radius), class_=css)
        (parent if parent is not None else self.drawing).add(element)
        return element

    def group(self, css: str, parent: Any = None, **extra: str) -> Any:
        element = self.drawing.g(class_=css)
        element.attribs.update({k.replace("_", "-"): v for k, v in extra.items()})
        (parent if parent is not None else self.drawing).add(element)
        return element

    def tostring(self) -> str:
        svg: str = self.drawing.tostring()
        return svg
