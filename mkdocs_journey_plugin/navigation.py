"""The site navigation: generated pages that are reached by links rather than from the menu."""

from __future__ import annotations

import posixpath
from typing import Any, Protocol


class _Navigation(Protocol):
    items: list[Any]
    pages: list[Any]


def _src_uri(item: Any) -> str | None:
    file = getattr(item, "file", None)
    return getattr(file, "src_uri", None)


def _prune(items: list[Any], hidden: set[str]) -> list[Any]:
    kept = []
    for item in items:
        children = getattr(item, "children", None)
        if _src_uri(item) in hidden:
            continue
        if children is not None:
            item.children = _prune(children, hidden)
            # A section that is also a page (section-index makes the first page of a folder
            # the section itself) stays when it has nothing under it: it is a page of its own.
            if not item.children and _src_uri(item) is None:
                continue
        kept.append(item)
    return kept


def hide_pages(nav: _Navigation, hidden: set[str]) -> None:
    """Take pages out of the menu and the previous/next links; they are still built."""
    nav.items = _prune(nav.items, hidden)
    nav.pages = [page for page in nav.pages if _src_uri(page) not in hidden]
    for number, page in enumerate(nav.pages):
        page.previous_page = nav.pages[number - 1] if number else None
        page.next_page = nav.pages[number + 1] if number + 1 < len(nav.pages) else None


def folder_title(name: str) -> str:
    """The title MkDocs gives the section of a folder (mkdocs.utils.dirname_to_title)."""
    title = name.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def name_sections(items: list[Any], titles: dict[str, str]) -> None:
    """Give the section of each folder of generated pages its name in the site's language.

    MkDocs names a section after its folder ('Journeys' from journeys/), which is English in a
    German site; `titles` maps a folder (relative to docs_dir) to the section's title. A title
    that is not the folder's (an awesome-nav `.nav.yml` names sections) is the author's: kept.
    """
    for item in items:
        children = getattr(item, "children", None)
        if children is None:
            continue
        # A section that is also a page (section-index) counts its own file as its folder's.
        uris = [_src_uri(item), *map(_src_uri, children)]
        folders = {posixpath.dirname(uri) for uri in uris if uri}
        named = [folder for folder in sorted(folders) if folder in titles]
        if len(named) == 1 and item.title == folder_title(posixpath.basename(named[0])):
            item.title = titles[named[0]]
        name_sections(children, titles)
