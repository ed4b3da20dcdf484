"""Page URLs and relative links, as MkDocs makes them, for both URL styles."""

from __future__ import annotations

import posixpath

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def test_a_reserved_slug_is_never_given() -> None:
    # A team named "Index" must not take the whole backlog's address (opportunities/index).
    assert slugs_for(["Index", "HR"], "team", reserved={"index"}) == {"hr": "hr",
                                                                       "index": "index-2"}


SEGMENT = st.sampled_from(["journeys", "personas", "tags", "a", "new-laptop", "index.html",
                           "x.svg", "b"])
URL = st.builds(lambda parts, slash: "/".join(parts) + ("/" if slash and parts else ""),
                st.lists(SEGMENT, max_size=4), st.booleans())


@given(URL, URL)
def test_relative_url_agrees_with_posixpath(target: str, base: str) -> None:
    """The segment comparison gives what posixpath.relpath gives, for every pair of URLs."""
    base_dir = base.rstrip("/") if base.endswith("/") else posixpath.dirname(base)
    expected = posixpath.relpath(target or ".", base_dir or ".")
    expected = "./" if expected == "." else (
        f"{expected}/" if target.endswith("/") or not target else expected)
    assert relative_url(target, base) == expected
