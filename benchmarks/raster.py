"""PNG renderers side by side: CairoSVG and resvg against Chromium, on the example site's maps.

    python benchmarks/raster.py           # needs cairosvg and resvg-py, Playwright, Chromium

Each map of content/journeys is written as its download file (the SVG with the site's
stylesheet inside), shown by Debian's Chromium at its size, and screenshotted: that is what a
reader of the standalone SVG sees. Both renderers draw the same map from the stylesheet with
its variables resolved (raster.drawable). Per map and renderer: the render time (median of 5),
the mean difference of all channels (0-255) and the share of pixels where a channel differs by
more than 64 (a shape or a glyph in another place, not anti-aliasing). PDF the same way, each
page turned into a PNG of the map's size by poppler's pdftoppm (when installed): svg2pdf's (what
`journeys render -o map.pdf` writes; resvg writes no PDF) and CairoSVG's. Results:
benchmarks/raster-results.json, one line per map printed.
"""

from __future__ import annotations

import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from PIL import Image, ImageChops  # noqa: E402  (Pillow comes with CairoSVG)

from mkdocs_journey_plugin.catalog import Layout, load_catalog  # noqa: E402
from mkdocs_journey_plugin.charts import map_options, stylesheet  # noqa: E402
from mkdocs_journey_plugin.labels import Labels  # noqa: E402
from mkdocs_journey_plugin.model import EmotionScale  # noqa: E402
from mkdocs_journey_plugin.raster import drawable, pixels, to_pdf, to_png  # noqa: E402
from mkdocs_journey_plugin.render import render_journey_map  # noqa: E402
from mkdocs_journey_plugin.render.svg import with_styles  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
WORK = HERE / "work" / "raster"
THRESHOLD = 64


def maps() -> dict[str, str]:
    catalog, problems = load_catalog(REPO / "content", Layout(), EmotionScale())
    assert not problems, problems
    labels = Labels("en")
    return {key: render_journey_map(entry.journey, map_options(entry, catalog, EmotionScale(),
                                                                labels))
            for key, entry in sorted(catalog.journeys.items())}


def cairo_png(svg: str, css: str) -> bytes:
    import cairosvg

    text, styles = drawable(svg, css)
    width, height = pixels(svg, 1)
    png: bytes = cairosvg.svg2png(bytestring=text.encode(), output_width=width,
                                  output_height=height, background_color=styles.background)
    return png


def resvg_png(svg: str, css: str) -> bytes:
    return to_png(svg, css)


def cairo_pdf(svg: str, css: str) -> bytes:
    import cairosvg

    text, styles = drawable(svg, css)
    pdf: bytes = cairosvg.svg2pdf(bytestring=text.encode(), background_color=styles.background)
    return pdf


def svg2pdf_pdf(svg: str, css: str) -> bytes:
    return to_pdf(svg, css)


def page_png(pdf: bytes, dpi: int) -> bytes:
    """The PDF's page as a PNG, by pdftoppm at `dpi`."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder, "map.pdf")
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(source),
                        str(Path(folder, "page"))], check=True)
        return Path(folder, "page.png").read_bytes()


def timed(render: object, *arguments: str) -> tuple[bytes, float]:
    times, result = [], b""
    for _ in range(5):
        start = time.perf_counter()
        result = render(*arguments)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def difference(png: bytes, reference: Image.Image) -> tuple[float, float]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.size != reference.size:
        image = image.resize(reference.size)
    delta = ImageChops.difference(image, reference)
    histogram = delta.histogram()
    total = reference.size[0] * reference.size[1]
    mean = sum(i * n for c in range(3) for i, n in enumerate(histogram[c * 256:(c + 1) * 256]))
    far = sum(1 for pixel in delta.get_flattened_data() if max(pixel) > THRESHOLD)
    return mean / (3 * total), far / total


def main() -> int:
    from playwright.sync_api import sync_playwright

    WORK.mkdir(parents=True, exist_ok=True)
    css = stylesheet()
    results: dict[str, object] = {
        "cairosvg": metadata.version("cairosvg"), "resvg_py": metadata.version("resvg_py"),
        "svg2pdf_py": metadata.version("svg2pdf_py"), "maps": {}}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for key, svg in maps().items():
            width, height = pixels(svg, 1)
            standalone = WORK / f"{key}.svg"
            standalone.write_text(with_styles(svg, css), encoding="utf-8")
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(standalone.as_uri())
            shot = page.screenshot()
            page.close()
            (WORK / f"{key}-chromium.png").write_bytes(shot)
            reference = Image.open(io.BytesIO(shot)).convert("RGB")
            row: dict[str, object] = {"size": [width, height]}
            for name, render in (("cairosvg", cairo_png), ("resvg", resvg_png)):
                png, seconds = timed(render, svg, css)
                (WORK / f"{key}-{name}.png").write_bytes(png)
                mean, far = difference(png, reference)
                row[name] = {"ms": round(seconds * 1000, 1), "mean_difference": round(mean, 2),
                             "pixels_off": round(far * 100, 3)}
            # svg2pdf's page is the map's size in points, CairoSVG's 3/4 of it (96 dpi).
            for name, render, dpi in (("cairosvg_pdf", cairo_pdf, 96),
                                      ("svg2pdf_pdf", svg2pdf_pdf, 72)):
                pdf, seconds = timed(render, svg, css)
                row[name] = {"ms": round(seconds * 1000, 1), "bytes": len(pdf)}
                if shutil.which("pdftoppm"):
                    mean, far = difference(page_png(pdf, dpi), reference)
                    row[name].update(mean_difference=round(mean, 2),
                                     pixels_off=round(far * 100, 3))
            results["maps"][key] = row  # type: ignore[index]
            print(key, json.dumps(row))
        browser.close()
    (HERE / "raster-results.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
