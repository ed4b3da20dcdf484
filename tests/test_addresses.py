"""Page URLs and relative links, as MkDocs makes them, for both URL styles."""

from __future__ import annotations

import pytest

from mkdocs_journey_plugin.addresses import page_url, relative_url, slugs_for


@pytest.mark.parametrize("src, directory_urls, url", [
    ("index.md", True, ""), ("index.md", False, "index.html"),
    ("journeys/index.md", True, "journeys/"), ("journeys/index.md", False, "journeys/index.html"),
    ("journeys/new-laptop.md", True, "journeys/new-laptop/"),
    ("journeys/new-laptop.md", False, "journeys/new-laptop.html"),
])
def test_page_url(src: str, directory_urls: bool, url: str) -> None:
    assert page_url(src, directory_urls) == url


@pytest.mark.parametrize("target, base, link", [
    ("personas/eva/", "journeys/x/", "../../personas/eva/"),
    ("journeys/", "journeys/x/", "../"),
    ("", "journeys/x/", "../../"),
    ("journeys/x/", "", "journeys/x/"),
    ("journeys/x/", "journeys/x/", "./"),
    ("", "", "./"),
    ("journeys/x.html", "index.html", "journeys/x.html"),
    ("index.html", "journeys/x.html", "../index.html"),
    ("journeys/index.html", "journeys/x.html", "index.html"),
    ("personas/eva.jpg", "journeys/x/", "../../personas/eva.jpg"),
])
def test_relative_url(target: str, base: str, link: str) -> None:
    assert relative_url(target, base) == link


def test_slugs_are_unique_and_stable() -> None:
    slugs = slugs_for(["Service desk", "service desk", "Service-Desk", "מוקד", "HR"], "team")
    assert slugs == {"hr": "hr", "service desk": "service-desk", "service-desk": "service-desk-2",
                     "מוקד": "team-4"}
