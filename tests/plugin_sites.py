"""Sites that run other MkDocs plugins beside ours: one small project per case, built for real.

Every case starts from the same content (the compatibility fixtures' shared journeys, persona
and roadmap) and its own `mkdocs.yml`; `check_journeys_published` asserts what every site with the
plugin must have whatever else it runs, and each test then asserts the other plugin's own effect.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

CONTENT = Path(__file__).resolve().parent / "fixtures" / "compat" / "content"
JOURNEYS = ("badge", "badge-ideal")
PERSONA = "ines"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Our placeholders are HTML comments that start so; none may reach any file of the site.
PLACEHOLDER = re.compile(r"journeys:(island|links|notes|/notes|[a-z]+:[a-z0-9-]+)")

SETTINGS = """\
site_name: Plugin compatibility
site_url: https://intranet.example.org/journeys/
docs_dir: content
repo_url: https://git.example.org/facilities/journeys
edit_uri: -/edit/main/content/
theme:
  name: material
  font: false
"""


@dataclass(frozen=True)
class Built:
    project: Path
    returncode: int
    output: str

    @property
    def site(self) -> Path:
        return self.project / "site"

    def html(self, page: str) -> str:
        """The HTML of a page by its URL path (`journeys/badge/`, also found as
        `journeys/badge.html` without `use_directory_urls`) or file (`feed.xml`)."""
        path = self.site / page
        if page.endswith("/") or not page:
            flat = path.parent / f"{path.name}.html"
            path = flat if page and not (path / "index.html").exists() else path / "index.html"
        return path.read_text(encoding="utf-8")

    def warnings(self) -> list[str]:
        return [line for line in ANSI.sub("", self.output).splitlines()
                if line.startswith("WARNING")]


def make_project(where: Path, plugins: str, extra: str = "",
                 files: dict[str, str] | None = None) -> Path:
    """A project in `where`: the shared content, `plugins:` as given (YAML, indented under the
    key), any other settings, and more files (paths relative to the project)."""
    where.mkdir(parents=True, exist_ok=True)
    shutil.copytree(CONTENT, where / "content", dirs_exist_ok=True)
    settings = SETTINGS + textwrap.dedent(extra) + "plugins:\n" + textwrap.indent(
        textwrap.dedent(plugins).strip("\n"), "  ") + "\n"
    (where / "mkdocs.yml").write_text(settings, encoding="utf-8")
    for name, text in (files or {}).items():
        path = where / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return where


def build_project(project: Path, *arguments: str) -> Built:
    """`mkdocs build --strict` as CI runs it; a traceback is never an acceptable outcome."""
    # The banners of Material and of plugins that import ProperDocs about MkDocs 2 are not log
    # lines of the build, but one of them starts with "WARNING:".
    quiet = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", *arguments],
                            cwd=project, capture_output=True, text=True, timeout=300, env=quiet)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    return Built(project, result.returncode, output)


def svg_maps(html: str) -> list[str]:
    """The journey maps of a page (not the theme's icons)."""
    # Minifiers drop the quotes of plain attribute values.
    pattern = r'<svg\b[^>]*\bclass=(?:"journey-map"|journey-map(?![\w-]))[^>]*>.*?</svg>'
    return re.findall(pattern, html, re.S)


def check_journeys_published(built: Built, prefix: str = "") -> None:
    """What every site with the plugin has, whatever else runs: a strict build without
    warnings, each journey page with its map and touchpoint table, the persona page, the
    backlog, roadmap and insights, and no placeholder of ours in any file of the site."""
    assert built.returncode == 0, built.output
    assert built.warnings() == [], built.output
    for journey in JOURNEYS:
        html = built.html(f"{prefix}journeys/{journey}/")
        assert len(svg_maps(html)) == 1, journey
        assert re.search(r'<div class=("journey-touchpoints\b[^"]*"|journey-touchpoints)>', html), \
            journey
    assert "Ines Duarte" in built.html(f"{prefix}personas/{PERSONA}/")
    for page in ("opportunities/", "roadmap/", "insights/", "journeys/"):
        assert (built.site / prefix / page / "index.html").is_file(), page
    assert placeholders_in(built.site) == []


def placeholders_in(site: Path) -> list[str]:
    """Files of the site that hold one of our placeholders, with the placeholder."""
    found = []
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".xml", ".json", ".txt", ".md") and path.is_file():
            match = PLACEHOLDER.search(path.read_text(encoding="utf-8", errors="replace"))
            if match:
                found.append(f"{path.relative_to(site)}: {match.group(0)}")
    return found
