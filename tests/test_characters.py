"""Characters that no page or SVG file can hold are refused where an author writes them.

YAML's double-quoted escapes can write any character (`"\\x01"`, `"\\uFFFE"`); XML 1.0, and so
a standalone SVG file, allows neither C0 controls (but tab, newline, carriage return) nor
U+FFFE and U+FFFF. Such a file is an error at its place, never a broken download.
"""

from __future__ import annotations

import xml.dom.minidom
from pathlib import Path

import pytest

from .conftest import JOURNEY, make_site, run, write


@pytest.mark.parametrize(("escape", "shown"), [("\\x01", "U+0001"), ("\\uFFFE", "U+FFFE"),
                                               ("\\x1b", "U+001B"), ("\\uFFFF", "U+FFFF")])
def test_a_character_xml_cannot_hold_is_an_error(content: Path, escape: str, shown: str) -> None:
    write(content / "journeys" / "new-laptop.md",
          JOURNEY.replace("title: Requesting a new laptop", f'title: "Gate{escape}"'))
    site = make_site(content.parent)
    result = run(["mkdocs_journey_plugin.cli", "validate"], site)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"content/journeys/new-laptop.md:2:8: 'title' holds the character {shown}, which no "
        "web page or SVG file can show: remove it"]
    built = run(["mkdocs", "build", "--strict"], site)
    assert built.returncode == 1 and "Traceback" not in built.stderr
    assert f"holds the character {shown}" in built.stderr


def test_tabs_newlines_and_other_scripts_stay(content: Path) -> None:
    write(content / "journeys" / "new-laptop.md", JOURNEY.replace(
        "title: Requesting a new laptop", 'title: "Gate\\tone\\u05d0\\U0001F600"'))
    site = make_site(content.parent)
    assert run(["mkdocs", "build", "--strict"], site).returncode == 0
    xml.dom.minidom.parse(str(site / "site" / "journeys" / "new-laptop.svg"))
