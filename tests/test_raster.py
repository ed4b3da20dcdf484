"""Maps as PNG and PDF: `journeys render -o map.png|map.pdf`, and the flattened stylesheet
that lets a renderer outside a browser draw the light scheme."""

from __future__ import annotations

import io
import re
import struct
import subprocess
import sys
from pathlib import Path

import pypdf

from mkdocs_journey_plugin import raster
from mkdocs_journey_plugin.charts import stylesheet

from .test_cli import journeys

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The extra's packages made unimportable, as on a machine without the extra.
BLOCKED = "import sys; sys.modules['resvg_py'] = None; sys.modules['svg2pdf_py'] = None; "


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header (its first chunk is IHDR)."""
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def svg_size(svg: str) -> tuple[float, float]:
    root = re.search(r"<svg\b[^>]*>", svg)
    assert root is not None
    width = re.search(r' width="([0-9.]+)"', root.group())
    height = re.search(r' height="([0-9.]+)"', root.group())
    assert width and height
    return float(width.group(1)), float(height.group(1))


def render(content: Path, name: str, *extra: str) -> Path:
    code, out, err = journeys("render", "content/journeys/new-laptop.md", "-o", name, *extra,
                              cwd=content.parent)
    assert (code, out) == (0, ""), err
    assert err == f"journeys: wrote {name}\n"
    return content.parent / name


def test_png_is_the_maps_size_times_the_scale(content: Path) -> None:
    width, height = svg_size(render(content, "map.svg").read_text())
    assert (width, height) == (552, 574.9)  # the test journey's map, as drawn today
    for scale, expected in (("1", (552, 575)), ("2", (1104, 1150)), ("0.5", (276, 288)),
                            ("1.5", (828, 863))):
        png = render(content, f"map-{scale}.png", "--scale", scale).read_bytes()
        assert png_size(png) == expected, scale
        assert expected == raster.pixels(render(content, "map.svg").read_text(), float(scale))


def test_png_looks_like_the_light_map(content: Path) -> None:
    """Painted, not blank: the stage header's tint and dark text are in it (the renderer saw
    the colours, which the SVG only has as classes)."""
    from PIL import Image  # the benchmark's, here when installed

    png = render(content, "map.png").read_bytes()
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = {colour for _, colour in image.getcolors(1 << 20) or []}
    assert (255, 255, 255) in colours  # the background, light
    assert any(max(c) < 80 for c in colours)  # text and the curve, dark
    assert any(c[2] > c[0] + 8 for c in colours)  # the stages' blue tint


def test_pdf_is_one_page_of_the_maps_size_in_points(content: Path) -> None:
    width, height = svg_size(render(content, "map.svg").read_text())
    reader = pypdf.PdfReader(render(content, "map.pdf"))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == (width, height) == (552, 574.9)
    assert "Looks for the order\nform" in reader.pages[0].extract_text()  # text, not pixels
    reader = pypdf.PdfReader(render(content, "map2.pdf", "--scale", "2"))
    box = reader.pages[0].mediabox
    assert (len(reader.pages), float(box.width), float(box.height)) == (1, 1104, 1149.8)


def test_scale_above_zero_and_not_for_svg(content: Path) -> None:
    for scale in ("0", "-1", "nan", "inf"):
        code, out, err = journeys("render", "content/journeys/new-laptop.md", "-o", "map.png",
                                  "--scale", scale, cwd=content.parent)
        assert (code, out) == (2, "")
        assert err.startswith("journeys render: --scale must be a number above 0"), scale
    code, _, err = journeys("render", "content/journeys/new-laptop.md", "-o", "map.svg",
                            "--scale", "2", cwd=content.parent)
    assert code == 2 and "--scale sizes PNG and PDF output" in err
    assert not list(content.parent.glob("map.*"))


def test_a_missing_renderer_names_the_extra(content: Path) -> None:
    for name, package in (("map.png", "resvg-py"), ("map.pdf", "svg2pdf-py")):
        result = subprocess.run(
            [sys.executable, "-c", BLOCKED + "from mkdocs_journey_plugin.cli import main; "
             "sys.exit(main())", "render", "content/journeys/new-laptop.md", "-o", name],
            cwd=content.parent, capture_output=True, text=True, timeout=120)
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == (
            f"journeys render: {name[-3:].upper()} output needs {package}, which is not "
            "installed: pip install 'mkdocs-journey-plugin[raster]'\n")
        assert not (content.parent / name).exists()


def test_flattened_stylesheet_has_no_variables_and_only_painting() -> None:
    styles = raster.flattened(stylesheet(), "journey-map")
    assert "var(" not in styles.css and "--jm" not in styles.css
    assert styles.background == "#ffffff"
    assert ".journey-map text, .journey-map-gutter text { font-family: \"DejaVu Sans\"" in \
        styles.css
    assert ".jm-point--negative { fill: #c0262d }" in styles.css  # light, not slate's #ff8a80
    assert "#ff8a80" not in styles.css and "slate" not in styles.css
    # A page's layout (CairoSVG took `height: auto` for the map's height) stays out.
    for name in ("height", "display", "overflow", "border", "position", "background"):
        assert not re.search(rf"(?<![-\w]){name}:", styles.css), name


def test_variables_resolve_through_fallbacks_and_undefined_ones_drop() -> None:
    css = (".c { --a: var(--md-x, #123456); --b: var(--a); --loop: var(--loop); }\n"
           ".c .d { fill: var(--b); stroke: var(--nothing); stroke-width: var(--loop, 2) }\n"
           "@media print { .c .d { fill: red } }\n"
           ".c:hover .d, [data-x] .d { fill: blue }\n")
    styles = raster.flattened(css, "c")
    assert styles.css == ".c .d { fill: #123456; stroke-width: 2 }"
