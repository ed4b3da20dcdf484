"""Shared helpers: write small content folders and sites in temporary directories."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mkdocs_journey_plugin.loading import Document, decode_text, parse_document, read_bytes
from mkdocs_journey_plugin.problems import Problem

ROOT = Path(__file__).resolve().parent.parent

PERSONA = """\
---
name: Eva Kovacs
role: Office manager
channels: [e-mail, phone]
---
Eva runs the office.
"""

JOURNEY = """\
---
title: Requesting a new laptop
persona: eva
teams: [Service desk, Hardware]
stages:
  - name: Request
    touchpoints:
      - id: search-kb
        action: Looks for the order form
        channel: knowledge base
        team: Service desk
        emotion: -1
      - id: handoff
        action: Service desk hands the order to Hardware
        channel: ticket
        team: Hardware
        backstage: true
      - id: delivery
        action: Gets the laptop
        channel: walk-in
        team: Hardware
        emotion: 1
opportunities:
  - id: status-updates
    title: Send a status update
    touchpoints: [handoff]
    priority: must
---
## Notes

Interviews with five office managers.
"""


def read_document(path: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """A `.md` or `.yml` file as plain data, read as the catalog reads a content file."""
    data, problems = read_bytes(path, display)
    text, problems = decode_text(data, display) if data is not None else (None, problems)
    return parse_document(text, display, path.suffix) if text is not None else (None, problems)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A valid content folder with one persona and one journey."""
    root = tmp_path / "content"
    write(root / "personas" / "eva.md", PERSONA)
    write(root / "journeys" / "new-laptop.md", JOURNEY)
    return root


MKDOCS_YML = """\
site_name: Test site
docs_dir: content
theme:
  name: {theme}
{theme_extra}
plugins:
  - search
  - journeys
"""


def make_site(root: Path, theme: str = "material", extra: str = "") -> Path:
    theme_extra = "  font: false\n  features: [content.action.edit]" if theme == "material" \
        else ""
    write(root / "mkdocs.yml", MKDOCS_YML.format(theme=theme, theme_extra=theme_extra) + extra)
    return root


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example intranet, built once for the whole run exactly as `make site` builds it
    (tests read it, none changes it)."""
    out = tmp_path_factory.mktemp("example") / "site"
    result = run(["mkdocs", "build", "--strict", "--site-dir", str(out)], ROOT)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return out


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Debian Chromium for every browser test (a skip, or a failure in CI, without one)."""
    from .browser import launch

    playwright, chromium = launch()
    yield chromium
    chromium.close()
    playwright.stop()
