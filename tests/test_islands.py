"""HTML blocks taken out of the Markdown and put back give exactly what Markdown would give."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_journey_plugin.addresses import Addresses
from mkdocs_journey_plugin.catalog import Layout, load_catalog
from mkdocs_journey_plugin.islands import restore_islands, stash_html_blocks
from mkdocs_journey_plugin.labels import Labels
from mkdocs_journey_plugin.pages import PageWriter

from .conftest import JOURNEY, PERSONA, ROOT, write
from .test_render_properties import NASTY

# MkDocs' own extensions, and those Material's documentation asks sites to enable.
EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition",
              "def_list", "footnotes"]


def html(text: str) -> str:
    return markdown.markdown(text.split("\n---\n", 1)[-1], extensions=EXTENSIONS)


def assert_same_page(text: str) -> int:
    stashed, islands = stash_html_blocks(text)
    assert restore_islands(html(stashed), islands) == html(text)
    return len(islands)


def example_pages() -> dict[str, str]:
    catalog, problems = load_catalog(ROOT / "content")
    assert problems == []
    page_set = PageWriter(catalog, Addresses(Layout()), Labels()).all_pages(True)
    # all_pages hands out stashed pages: put the islands back to get the Markdown as written.
    return {uri: restore_islands(text, page_set.islands[uri])
            for uri, text in page_set.pages.items()}


@pytest.mark.parametrize(("uri", "text"), sorted(example_pages().items()))
def test_every_example_page_renders_the_same_with_its_blocks_stashed(uri: str, text: str) -> None:
    stashed = assert_same_page(text)
    if uri.startswith(("journeys/", "opportunities/", "insights/")):
        assert stashed > 0  # the tables and cards were taken out


def test_hostile_text_in_every_field(tmp_path: Path) -> None:
    root = tmp_path / "content"
    nasty = " ".join(NASTY).replace('"', "'")
    write(root / "personas" / "eva.md", PERSONA.replace("Office manager", f'"{nasty}"'))
    write(root / "journeys" / "one.md", JOURNEY.replace("Looks for the order form",
                                                        f'"{nasty}"').replace(
        "Send a status update", f'"</div></table>{nasty}"'))
    catalog, problems = load_catalog(root)
    assert problems == []
    writer = PageWriter(catalog, Addresses(Layout()), Labels())
    page_set = writer.all_pages(True)
    for uri, text in page_set.pages.items():
        original = restore_islands(text, page_set.islands[uri])
        assert_same_page(original)


BLOCK = st.sampled_from(["<div>a</div>", "<div>\n<p>x</p>\n</div>", "<div><div>b</div></div>",
                         "<table><tr><td>c</td></tr></table>", "<div>a</div>\n<p>b</p>",
                         "<div>open", "text <div>x</div>", "## Heading", "- item",
                         "<p class='x'>y</p>", "<hr>", "<!-- note -->", "*em*"])


@settings(max_examples=200, deadline=None)
@given(st.lists(BLOCK, min_size=1, max_size=8))
def test_any_mix_of_blocks_renders_the_same(blocks: list[str]) -> None:
    assert_same_page("\n\n".join(blocks) + "\n")
