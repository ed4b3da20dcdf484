"""Maps as PNG and PDF, for slides and documents that take no SVG.

A map's SVG has no colours of its own: classes, styled from the site's stylesheet with
Material's CSS variables (DESIGN, theming). Renderers outside a browser know no CSS variables,
so the drawing gets the stylesheet with every variable resolved as a standalone SVG file shows
it in a browser (Material's variables absent: their fallbacks, the light scheme), and rules
that cannot apply outside a page (other schemes, states, media) left out. resvg draws the PNG
(resvg-py) and typst's svg2pdf, on the same SVG reader (usvg), the PDF (svg2pdf-py); see the
README's "PNG and PDF" for why these. Both are the optional extra `raster`, imported only here
and only when asked for.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module, metadata
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from .render.svg import num, with_styles

EXTRA = "raster"
INSTALL_HINT = f"pip install 'mkdocs-journey-plugin[{EXTRA}]'"
FORMATS = (".svg", ".png", ".pdf")
# The Python package of each renderer, by the suffix it writes, and its name on PyPI.
RENDERERS = {".png": ("resvg_py", "resvg-py"), ".pdf": ("svg2pdf_py", "svg2pdf-py")}


class RendererMissing(RuntimeError):
    """The renderer of a format is not installed."""


def _renderer(suffix: str) -> Any:
    module, package = RENDERERS[suffix]
    try:
        return import_module(module)
    except ImportError as error:
        raise RendererMissing(
            f"{suffix[1:].upper()} output needs {package}, which is not installed: "
            f"{INSTALL_HINT}") from error


def missing(suffix: str = ".png") -> str | None:
    """What to install to write files of this suffix, or None when it is installed."""
    try:
        _renderer(suffix)
    except RendererMissing as error:
        return str(error)
    return None


def available(suffix: str = ".png") -> bool:
    """Whether files of this suffix can be written here."""
    return missing(suffix) is None


# Where fontdb (resvg's font database) looks for system fonts on Linux, as fontconfig does.
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts",
                "~/.fonts")


def _font_files() -> list[Path]:
    found = []
    for folder in FONT_FOLDERS:
        for root, folders, names in sorted(os.walk(Path(folder).expanduser())):
            folders.sort()
            found += [Path(root, name) for name in sorted(names)]
    return found


MEASURED_FONT = "DejaVuSans.ttf"  # the font render/text.py measures with (metrics/)
FONT_HINT = ("the map's text is measured in DejaVu Sans, which is not installed: PNG and PDF "
             "take another font, whose text may not fit its boxes (Debian: apt-get install "
             "fonts-dejavu-core)")


def measured_font_installed() -> bool:
    """Whether the renderers find the font the maps' text was measured in."""
    return any(path.name == MEASURED_FONT for path in _font_files())


def fonts_fingerprint() -> str:
    """A hash of every font file the renderers may draw with (path, size, time): a PNG made
    with other fonts is another PNG."""
    digest = hashlib.sha256()
    for path in _font_files():
        try:
            stat = path.stat()
        except OSError:  # a dangling link
            continue
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def renderer_version(suffix: str = ".png") -> str:
    """The renderer's package and version (and resvg's own): part of a cached PNG's key."""
    package = RENDERERS[suffix][1]
    found = _renderer(suffix)
    inner = getattr(found, "__resvg_version__", "")
    return f"{package} {metadata.version(package)}" + (f" (resvg {inner})" if inner else "")


# -- The stylesheet without variables ------------------------------------------------------

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
# What a renderer's selector engine surely reads: types, classes and descendants.
_PLAIN_SELECTOR = re.compile(r"[A-Za-z0-9_.\- ]+")
# The properties that paint SVG. Only these pass: a renderer outside a browser may take any
# declaration for an attribute (CairoSVG read the page's `height: auto` as the map's height).
PAINTING = frozenset({
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-dasharray",
    "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
    "stroke-opacity", "opacity", "font-family", "font-size", "font-style", "font-weight",
    "text-anchor", "text-decoration", "letter-spacing", "word-spacing", "visibility",
    "paint-order"})


def _rules(css: str) -> list[tuple[str, str]]:
    """(selectors, declarations) of each top-level rule; at-rules (@media) left out."""
    css = _COMMENT.sub("", css)
    rules: list[tuple[str, str]] = []
    position = 0
    while True:
        opening = css.find("{", position)
        if opening < 0:
            return rules
        depth, closing = 1, opening + 1
        while depth and closing < len(css):
            depth += {"{": 1, "}": -1}.get(css[closing], 0)
            closing += 1
        prelude = css[position:opening].strip()
        if not prelude.startswith("@"):
            rules.append((prelude, css[opening + 1:closing - 1]))
        position = closing


def _declarations(block: str) -> list[tuple[str, str]]:
    found = []
    for declaration in block.split(";"):
        name, colon, value = declaration.partition(":")
        if colon and name.strip():
            found.append((name.strip(), value.strip()))
    return found


def _substitute(value: str, variables: dict[str, str],
                seen: frozenset[str] = frozenset()) -> str | None:
    """`value` with each var() replaced by the variable's value or else its fallback; None when
    neither resolves (the declaration is then invalid, as in CSS; so is a variable that leads
    back to itself)."""
    start = value.find("var(")
    if start < 0:
        return value
    level, end = 0, len(value) - 1
    for end in range(start + 3, len(value)):
        level += {"(": 1, ")": -1}.get(value[end], 0)
        if level == 0:
            break
    name, comma, fallback = value[start + 4:end].partition(",")
    name = name.strip()
    resolved = None
    if name in variables and name not in seen:
        resolved = _substitute(variables[name], variables, seen | {name})
    if resolved is None and comma:
        resolved = _substitute(fallback.strip(), variables, seen)
    rest = _substitute(value[end + 1:], variables, seen)
    if resolved is None or rest is None:
        return None
    return value[:start] + resolved + rest


@dataclass(frozen=True)
class FlatStyles:
    css: str  # the rules that can apply to a standalone chart, with no var() left
    background: str  # what the chart's root is painted with


@lru_cache(maxsize=4)
def flattened(css: str, root_class: str) -> FlatStyles:
    """The stylesheet as a standalone chart whose root element has class `root_class` sees it
    in a browser: the variables set on that class (Material's own undefined, so their
    fallbacks), resolved into every rule that a standalone drawing can match."""
    rules = _rules(css)
    variables: dict[str, str] = {}
    for selectors, block in rules:
        if f".{root_class}" in (s.strip() for s in selectors.split(",")):
            variables.update((n, v) for n, v in _declarations(block) if n.startswith("--"))
    out, background = [], "#ffffff"
    for selectors, block in rules:
        kept = [s.strip() for s in selectors.split(",") if _PLAIN_SELECTOR.fullmatch(s.strip())]
        declarations = []
        for name, value in _declarations(block):
            resolved = _substitute(value, variables) if not name.startswith("--") else None
            if resolved is None:
                continue
            if name in PAINTING:
                declarations.append(f"{name}: {resolved}")
            elif name == "background" and f".{root_class}" in kept:
                background = resolved
        if kept and declarations:
            out.append(f"{', '.join(kept)} {{ {'; '.join(declarations)} }}")
    return FlatStyles("\n".join(out), background)


_ROOT_CLASS = re.compile(r'<svg\b[^>]*?\bclass="([^"]*)"')
_ROOT = re.compile(r"<svg\b[^>]*>")


def _root_attribute(name: str) -> re.Pattern[str]:
    return re.compile(rf'(?<![-\w]){name}="([^"]*)"')


def drawable(svg: str, css: str) -> tuple[str, FlatStyles]:
    """A chart's SVG (without styles of its own) with the stylesheet it needs outside a page."""
    found = _ROOT_CLASS.search(svg)
    root_class = found.group(1).split()[0] if found else ""
    styles = flattened(css, root_class)
    return with_styles(svg, styles.css), styles


def size_of(svg: str) -> tuple[float, float]:
    """The width and height of a chart, in CSS pixels, from its root element."""
    root = _ROOT.search(svg)
    width = _root_attribute("width").search(root.group()) if root else None
    height = _root_attribute("height").search(root.group()) if root else None
    if width is None or height is None:
        raise ValueError("the SVG has no width and height")
    return float(width.group(1)), float(height.group(1))


def resized(svg: str, width: float, height: float) -> str:
    """The SVG shown at another size (its viewBox, and so its drawing, unchanged)."""
    root = _ROOT.search(svg)
    if root is None:
        raise ValueError("not an SVG")
    tag = _root_attribute("width").sub(f'width="{num(width)}"', root.group(), count=1)
    tag = _root_attribute("height").sub(f'height="{num(height)}"', tag, count=1)
    return svg[:root.start()] + tag + svg[root.end():]


def pixels(svg: str, scale: float) -> tuple[int, int]:
    """The PNG's size, as resvg makes it: the chart's size in whole pixels (to the nearest:
    574.9 is 575, 639.1 is 639), times `scale`, to the nearest pixel; halves up."""
    width, height = size_of(svg)
    return (math.floor(math.floor(width + 0.5) * scale + 0.5),
            math.floor(math.floor(height + 0.5) * scale + 0.5))


def to_png(svg: str, css: str, scale: float = 1.0) -> bytes:
    """The chart as a PNG, `scale` times its size in pixels, on its background."""
    check_scale(scale)
    renderer = _renderer(".png")
    text, styles = drawable(svg, css)
    # By zoom, not by a width and height: resvg keeps the ratio and works the height out
    # itself from the width, a pixel more than asked for at times.
    png: bytes = renderer.svg_to_bytes(svg_string=text, zoom=scale,
                                       background=styles.background)
    return png


def to_pdf(svg: str, css: str, scale: float = 1.0) -> bytes:
    """The chart as a PDF of one page, its size in points (`scale` times its width and height
    in CSS pixels), in vectors, with its text as text in the fonts it was measured with."""
    check_scale(scale)
    renderer = _renderer(".pdf")
    text, styles = drawable(svg, css)
    width, height = size_of(svg)
    text = resized(text, width * scale, height * scale)
    text = _with_background(text, styles.background)
    pdf: bytes = renderer.svg_to_pdf(text, _font_database())
    return pdf


def check_scale(scale: float) -> None:
    if not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"the scale must be a number above 0, not {scale:g}")


@lru_cache(maxsize=1)
def _font_database() -> Any:
    database = _renderer(".pdf").FontDatabase.system()
    return database


def _with_background(svg: str, background: str) -> str:
    """A rectangle of the background under everything: a PDF page has no background colour."""
    if background in ("transparent", "none"):
        return svg
    found = re.search(r"</defs>|<defs\s*/>", svg)
    if found is None:
        return svg
    rect = f'<rect width="100%" height="100%" fill="{escape(background)}"/>'
    return svg[:found.end()] + rect + svg[found.end():]
