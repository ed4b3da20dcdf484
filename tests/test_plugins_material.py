"""Material's own plugins and the page-level plugins intranets add, each in a site beside ours.

Each case is built with `--strict` in the order where it matters both ways; every case must
publish our maps and pages (`check_journeys_published`), and the other plugin must still do
what it is there for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .browser import serve
from .plugin_sites import Built, build_project, check_journeys_published, make_project, svg_maps
from .test_compat import git_commit_all

TAGGED = {"content/tagged.md": "---\ntags: [hardware]\n---\n# Tagged page\n",
          "content/tags.md": "# Tags\n\n<!-- material/tags -->\n"}
BLOG = {"content/blog/index.md": "# Blog\n",
        "content/blog/posts/first.md": "---\ndate: 2026-11-01\n---\n# First post\n\nHello.\n"}
META = {"content/journeys/.meta.yml": "tags: [journeys]\n",
        "content/guides/.meta.yml": "tags: [guides]\n", "content/guides/howto.md": "# How to\n"}
PICTURE = {"content/gallery.md": "# Gallery\n\n![A gate](gate.png)\n"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Built]:
    """A site per case, built once for the module."""
    built: dict[str, Built] = {}

    def make(name: str, plugins: str, files: dict[str, str] | None = None) -> Built:
        if name not in built:
            where = tmp_path_factory.mktemp(name)
            project = make_project(where / "project", plugins, files=files)
            if files is PICTURE:  # a real PNG: the smallest one there is
                (project / "content" / "gate.png").write_bytes(bytes.fromhex(
                    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"))
            built[name] = build_project(project)
        return built[name]

    return make


@pytest.mark.parametrize("plugins", ["- search\n- tags\n- journeys\n",
                                     "- search\n- journeys\n- tags\n"])
def test_material_tags_list_tagged_pages(site: Callable[..., Built], plugins: str) -> None:
    built = site("tags-" + str(plugins.index("tags")), plugins, TAGGED)
    check_journeys_published(built)
    listing = built.html("tags/")
    assert "Tagged page" in listing and "hardware" in listing
    # Our own tag pages live beside Material's listing, not instead of it.
    assert (built.site / "tags").is_dir()


@pytest.mark.parametrize("plugins", ["- search\n- blog\n- journeys\n",
                                     "- search\n- journeys\n- blog\n"])
def test_material_blog_publishes_posts(site: Callable[..., Built], plugins: str) -> None:
    built = site("blog-" + str(plugins.index("blog")), plugins, BLOG)
    check_journeys_published(built)
    assert "First post" in built.html("blog/")
    assert (built.site / "blog" / "2026" / "11" / "01" / "first-post" / "index.html").is_file()


@pytest.mark.parametrize("plugins", ["- search\n- offline\n- journeys\n",
                                     "- search\n- journeys\n- offline\n"])
def test_material_offline_site_opens_from_disk(site: Callable[..., Built], plugins: str) -> None:
    built = site("offline-" + str(plugins.index("offline")), plugins)
    check_journeys_published(built)
    # Offline turns directory URLs off: every page is a file, and links name those files.
    page = built.html("journeys/badge/")
    assert (built.site / "journeys" / "badge.html").is_file()
    assert 'href="../personas/ines.html"' in page
    assert (built.site / "search" / "search_index.js").is_file()


def test_material_meta_gives_generated_pages_their_folder_settings(
        site: Callable[..., Built]) -> None:
    built = site("meta", "- search\n- meta\n- tags\n- journeys\n", META)
    check_journeys_published(built)
    # .meta.yml in journeys/ is a setting of the folder, not a journey; it tags our pages too.
    assert 'md-tag">journeys' in built.html("journeys/badge/")
    assert 'md-tag">guides' in built.html("guides/howto/")


@pytest.mark.parametrize("plugins", ["- search\n- journeys\n- minify:\n    minify_html: true\n",
                                     "- search\n- minify:\n    minify_html: true\n- journeys\n"])
def test_minify_html_keeps_maps_whole(site: Callable[..., Built], plugins: str) -> None:
    built = site("minify-" + str(plugins.index("minify")), plugins)
    check_journeys_published(built)
    page = built.html("journeys/badge/")
    assert "\n    <" not in page, "minified"
    (map_svg,) = svg_maps(page)
    assert map_svg.count("<text") > 10


def test_glightbox_opens_pictures_and_leaves_maps(site: Callable[..., Built]) -> None:
    built = site("glightbox", "- search\n- journeys\n- glightbox\n", PICTURE)
    check_journeys_published(built)
    assert 'class="glightbox"' in built.html("gallery/")
    assert "glightbox" not in "".join(svg_maps(built.html("journeys/badge/")))


def test_panzoom_can_take_our_maps(site: Callable[..., Built]) -> None:
    built = site("panzoom", "- search\n- journeys\n- panzoom:\n"
                 "    include_selectors: ['.journey-map']\n")
    check_journeys_published(built)
    page = built.html("journeys/badge/")
    assert "panzoom-box" in page and "panzoom.min.js" in page


@pytest.mark.parametrize(("name", "plugins"), [
    ("minify-browser", "- search\n- journeys\n- minify:\n    minify_html: true\n"),
    ("panzoom", "- search\n- journeys\n- panzoom:\n    include_selectors: ['.journey-map']\n"),
])
def test_the_map_is_drawn_in_a_browser(site: Callable[..., Built], browser: Any, name: str,
                                       plugins: str) -> None:
    built = site(name, plugins)
    with serve(built.site) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{base}journeys/badge/")
        drawn = page.evaluate("""() => {
            const svg = document.querySelector('svg.journey-map');
            const box = svg.getBoundingClientRect();
            return {width: box.width, height: box.height, view: svg.viewBox.baseVal.width,
                    texts: svg.querySelectorAll('text').length};
        }""")
        page.close()
    # Minified attributes (viewbox) are read as SVG's viewBox; panzoom keeps the map's size.
    assert drawn["view"] > 0 and drawn["width"] > 100 and drawn["height"] > 100, drawn
    assert drawn["texts"] > 10


@pytest.mark.parametrize("plugins", [
    "- search\n- git-revision-date-localized:\n    type: date\n- journeys\n",
    "- search\n- journeys\n- git-revision-date-localized:\n    type: date\n"])
def test_git_revision_dates_in_either_order(tmp_path: Path, plugins: str) -> None:
    project = make_project(tmp_path / "project", plugins,
                           files={"content/about.md": "# About\n"})
    git_commit_all(project)
    built = build_project(project)
    check_journeys_published(built)
    # Journey and persona pages show their source file's commit date; so does a written page.
    for page in ("about/", "journeys/badge/", "personas/ines/"):
        assert ">May 4, 2026<" in built.html(page), page


def test_material_privacy_builds_offline_with_mermaid_left_out(site: Callable[..., Built]) -> None:
    # Material's bundle names Mermaid on a CDN, which privacy would fetch; our maps need none.
    built = site("privacy", "- search\n- privacy:\n    assets_exclude: [unpkg.com/*]\n"
                 "- journeys\n")
    check_journeys_published(built)
    assert "Downloading external file" not in built.output
