"""Where each generated page lives, and the relative links between them.

Generated pages link in HTML (cards, tables), which MkDocs does not rewrite, so links are made
here the way MkDocs makes page URLs, for both `use_directory_urls` settings.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from .catalog import Layout
from .model import slugify


@lru_cache(maxsize=65536)
def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The URL of a page's source file, as MkDocs gives it: a/b.md -> a/b/ or a/b.html."""
    stem, _ = posixpath.splitext(src_uri)
    directory, name = posixpath.split(stem)
    if name == "index":
        if directory_urls:
            return f"{directory}/" if directory else ""
        return f"{stem}.html"
    if directory_urls:
        return f"{stem}/"
    return f"{stem}.html"


def _segments(path: str) -> list[str]:
    return [part for part in path.split("/") if part not in ("", ".")]


# Pages link to each other tens of thousands of times in a large site: posixpath.relpath asks
# the operating system for the working directory on every call, so the segments are compared
# here instead (URLs inside a site have no '..').
@lru_cache(maxsize=65536)
def relative_url(target: str, base: str) -> str:
    """A link from the page at URL `base` to URL `target`, relative so that sites can move."""
    base_dir = base.rstrip("/") if base.endswith("/") else posixpath.dirname(base)
    if ".." in _segments(target) or ".." in _segments(base_dir):
        relative = posixpath.relpath(target or ".", base_dir or ".")
    else:
        from_parts, to_parts = _segments(base_dir), _segments(target)
        common = 0
        while (common < min(len(from_parts), len(to_parts))
               and from_parts[common] == to_parts[common]):
            common += 1
        relative = "/".join([".."] * (len(from_parts) - common) + to_parts[common:]) or "."
    if relative == ".":
        return "./"
    return f"{relative}/" if target.endswith("/") or not target else relative


def slugs_for(names: Iterable[str], fallback: str,
              reserved: Iterable[str] = ()) -> dict[str, str]:
    """A URL slug for each name (compared ignoring case), unique, the same on every build, and
    none of `reserved` (the address of a page in the same folder)."""
    result: dict[str, str] = {}
    taken: set[str] = set(reserved)
    for number, name in enumerate(sorted({n.casefold() for n in names}), start=1):
        base = slugify(name) or f"{fallback}-{number}"
        slug, counter = base, 2
        while slug in taken:
            slug, counter = f"{base}-{counter}", counter + 1
        taken.add(slug)
        result[name] = slug
    return result


@dataclass(frozen=True)
class Addresses:
    """Source paths (relative to docs_dir) of every generated page, and links between them."""

    layout: Layout
    directory_urls: bool = True

    def journey(self, journey_id: str) -> str:
        return f"{self.layout.journeys_dir}/{journey_id}.md"

    def persona(self, persona_id: str) -> str:
        return f"{self.layout.personas_dir}/{persona_id}.md"

    def persona_index(self) -> str:
        return f"{self.layout.personas_dir}/index.md"

    def journey_index(self) -> str:
        return f"{self.layout.journeys_dir}/index.md"

    def tag(self, slug: str) -> str:
        return f"{self.layout.tags_dir}/{slug}.md"

    def backlog(self) -> str:
        return f"{self.layout.backlog_dir}/index.md"

    def team_backlog(self, slug: str) -> str:
        return f"{self.layout.backlog_dir}/{slug}.md"

    def map_file(self, journey_id: str) -> str:
        """The standalone SVG of a journey's map, published beside its page."""
        return f"{self.layout.journeys_dir}/{journey_id}.svg"

    def png_file(self, journey_id: str) -> str:
        """The map as PNG, beside the SVG (with the `png` option and the renderer)."""
        return f"{self.layout.journeys_dir}/{journey_id}.png"

    def presentation(self, journey_id: str) -> str:
        """A journey's presentation, a page of its own outside the theme (see presentation.py):
        `journeys/<id>/present/` whichever `use_directory_urls` says."""
        return f"{self.layout.journeys_dir}/{journey_id}/present/index.html"

    def roadmap(self) -> str:
        return f"{self.layout.roadmap_dir}/index.md"

    def insights(self) -> str:
        return f"{self.layout.insights_dir}/index.md"

    def group(self, group_id: str) -> str:
        return f"{self.layout.groups_dir}/{group_id}.md"

    def href(self, source: str, target: str, fragment: str = "") -> str:
        """From the page made of `source` to the page made of `target` (both .md paths)."""
        link = relative_url(page_url(target, self.directory_urls),
                            page_url(source, self.directory_urls))
        return f"{link}#{fragment}" if fragment else link

    def presentation_href(self, source: str, journey_id: str) -> str:
        """From a page to a journey's presentation: its folder with `use_directory_urls`, as
        MkDocs links pages then, else its file."""
        link = self.file_href(source, self.presentation(journey_id))
        return link.removesuffix("index.html") if self.directory_urls else link

    def from_presentation(self, journey_id: str, target: str) -> str:
        """From a journey's presentation to the page made of `target` (a .md path)."""
        return relative_url(page_url(target, self.directory_urls), self.presentation(journey_id))

    def file_href(self, source: str, file_path: str) -> str:
        """From a page to a file copied as it is (a persona's photo), percent-encoded."""
        link = relative_url(file_path, page_url(source, self.directory_urls))
        return quote(link, safe="/.-_~")
