"""Maps as PNG and PDF: `journeys render -o map.png|map.pdf`, and the flattened stylesheet
that lets a renderer outside a browser draw the light scheme."""

from __future__ import annotations

import datetime
import io
import json
import re
import struct
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from mkdocs_journey_plugin import raster
from mkdocs_journey_plugin.cache import checksum
from mkdocs_journey_plugin.charts import stylesheet

from .conftest import make_site, write
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
    from PIL import Image  # a test dependency: this check never skips


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


# -- PNG downloads on the site --------------------------------------------------------------

def test_journey_pages_offer_the_map_as_png(example_site: Path) -> None:
    html = (example_site / "journeys" / "new-laptop" / "index.html").read_text("utf-8")
    assert ('<a href="../new-laptop.svg" download>Download the map (SVG)</a> · '
            '<a href="../new-laptop.png" download>Download the map (PNG)</a>') in html
    for svg_file in sorted((example_site / "journeys").glob("*.svg")):
        png = svg_file.with_suffix(".png").read_bytes()
        assert png_size(png) == raster.pixels(svg_file.read_text("utf-8"), 1), svg_file.name
    assert len(list((example_site / "journeys").glob("*.png"))) == 7


def build(site: Path, *prefix: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of `site`, after `prefix` (Python run first, in the build's
    own process)."""
    code = "".join(prefix) + ("import sys; from mkdocs.__main__ import cli; "
                              "sys.argv = ['mkdocs', 'build', '--strict']; cli()")
    result = subprocess.run([sys.executable, "-c", code], cwd=site, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def test_without_the_renderer_no_png_link_and_a_note(content: Path) -> None:
    site = make_site(content.parent)
    result = build(site, BLOCKED)
    assert ("INFO    -  journeys: the maps are offered as SVG alone: PNG output needs "
            "resvg-py, which is not installed: pip install 'mkdocs-journey-plugin[raster]'"
            ) in result.stderr
    html = (site / "site" / "journeys" / "new-laptop" / "index.html").read_text("utf-8")
    assert "new-laptop.svg" in html and "PNG" not in html
    assert not list((site / "site" / "journeys").rglob("*.png"))


def test_png_false_leaves_png_out_without_a_word(content: Path) -> None:
    site = make_site(content.parent)
    write(site / "mkdocs.yml", (site / "mkdocs.yml").read_text().replace(
        "  - journeys\n", "  - journeys:\n      png: false\n"))
    result = build(site)
    assert "SVG alone" not in result.stderr
    html = (site / "site" / "journeys" / "new-laptop" / "index.html").read_text("utf-8")
    assert "new-laptop.svg" in html and "PNG" not in html
    assert not list((site / "site" / "journeys").rglob("*.png"))


def test_pngs_come_from_the_cache_and_a_bad_entry_is_drawn_again(content: Path) -> None:
    site = make_site(content.parent)
    first = build(site)
    assert "png 1" in first.stderr
    png = (site / "site" / "journeys" / "new-laptop.png").read_bytes()
    second = build(site)
    assert "drew 0 charts" in second.stderr
    assert (site / "site" / "journeys" / "new-laptop.png").read_bytes() == png
    # An entry that checks out (its checksum made anew) yet holds no PNG: drawn again.
    shelf = site / ".cache" / "journeys" / "charts.json"
    lines = shelf.read_bytes().split(b"\n")
    for number, line in enumerate(lines[1:], 1):
        key, _, rest = line.partition(b" ")
        if rest.split(b" ", 1)[-1].startswith(b'"iVBOR'):  # base64 of a PNG's signature
            text = json.dumps("bm90IGEgcG5n").encode()
            lines[number] = key + b" " + checksum(key.decode(), text).encode() + b" " + text
    shelf.write_bytes(b"\n".join(lines))
    third = build(site)
    assert "png 1" in third.stderr
    assert (site / "site" / "journeys" / "new-laptop.png").read_bytes() == png


def test_the_png_key_holds_the_renderer_and_the_fonts(monkeypatch: pytest.MonkeyPatch,
                                                     content: Path) -> None:
    """A renderer or fonts other than those a stored PNG was drawn with never reuse it."""
    from mkdocs_journey_plugin.cache import ChartCache
    from mkdocs_journey_plugin.catalog import Layout, load_catalog
    from mkdocs_journey_plugin.charts import Charts
    from mkdocs_journey_plugin.labels import Labels
    from mkdocs_journey_plugin.model import EmotionScale

    catalog, problems = load_catalog(content, Layout(), EmotionScale())
    assert not problems
    cache = ChartCache(content.parent / "cache")

    def charts() -> Charts:
        return Charts(catalog, EmotionScale(), Labels("en"), datetime.date(2027, 1, 1),
                      cache=cache)

    charts().png("new-laptop")
    drawn = cache.drawn["png"]
    cache.memory.clear()
    charts().png("new-laptop")
    assert cache.drawn["png"] == drawn  # the same: reused
    for name, value in (("renderer_version", lambda suffix: "resvg-py 99"),
                        ("fonts_fingerprint", lambda: "other fonts")):
        with monkeypatch.context() as patch:
            patch.setattr(raster, name, value)
            cache.memory.clear()
            charts().png("new-laptop")
        assert cache.drawn["png"] == drawn + 1, name
        drawn += 1
