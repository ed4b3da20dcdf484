"""`journeys import` of Mermaid journeys, run as authors run it: Mermaid's own test diagrams (the
corpus) each imported with every task into a content folder, then `journeys validate`; a
Markdown page with several journeys and a flowchart; what cannot be imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mkdocs_journey_plugin.catalog import load_catalog
from mkdocs_journey_plugin.mermaid import display_text, parse_mermaid_journey

from .conftest import PERSONA, make_site, write

CORPUS = Path(__file__).parent / "corpus" / "mermaid_journeys"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


def journeys(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "mkdocs_journey_plugin.cli", *args],
                            cwd=site, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture
def site(tmp_path: Path) -> Path:
    make_site(tmp_path)
    write(tmp_path / "content" / "personas" / "eva.md", PERSONA)
    return tmp_path


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_corpus_diagram_imports_with_every_task(site: Path, name: str) -> None:
    expected = EXPECTED[name]
    source = site / name
    source.write_bytes((CORPUS / name).read_bytes())
    result = journeys(site, "import", name, "--persona", "eva")
    written = sorted((site / "content" / "journeys").glob("*.md"))
    if expected["mermaid_rejects"] or not expected["tasks"]:
        assert result.returncode == 1 and written == []
        reason = "score" if expected["mermaid_rejects"] else "this journey has no tasks"
        assert reason in result.stderr and result.stderr.startswith(f"{name}:")
        return
    assert result.returncode == 0, result.stderr
    stem = Path(name).stem
    assert result.stdout == f"journeys: wrote content/journeys/{stem}.md\n"
    assert journeys(site, "validate").returncode == 0
    catalog, problems = load_catalog(site / "content")
    assert problems == []
    journey = catalog.journeys[stem].journey
    diagram = parse_mermaid_journey(source.read_text(encoding="utf-8"), name)
    assert len(journey.touchpoints) == expected["tasks"]
    assert [t.action for t in journey.touchpoints] == [display_text(t.name)
                                                       for t in diagram.tasks]
    assert [t.actors for t in journey.touchpoints] == [[display_text(a) for a in t.actors]
                                                       for t in diagram.tasks]
    assert {t.channel for t in journey.touchpoints} == {"unknown"}
    assert "Mermaid has no channels" in (catalog.journeys[stem].body or "")


PAGE = """\
# Workshop notes

```mermaid
journey
  title Reset a password
  section Ask
    Open the portal: 2: Eva
    Wait for a call: 1: Eva, Desk
```

```mermaid
flowchart LR
  A --> B
```

- a list item
  ```mermaid
  journey
    title Get a laptop
    section Order
      Fill in the form: 4: Eva
  ```
"""


def test_a_markdown_page_gives_each_journey_and_skips_the_rest(site: Path) -> None:
    write(site / "notes.md", PAGE)
    result = journeys(site, "import", "notes.md")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["journeys: wrote content/journeys/reset-a-password.md",
                                          "journeys: wrote content/journeys/get-a-laptop.md"]
    catalog, problems = load_catalog(site / "content")
    assert problems == []
    reset = catalog.journeys["reset-a-password"].journey
    assert [(t.action, t.emotion, t.actors) for t in reset.touchpoints] == [
        ("Open the portal", -1, ["Eva"]), ("Wait for a call", -2, ["Eva", "Desk"])]
    assert reset.persona == "eva"  # the first actor, as a slug
    assert "line 4" in (catalog.journeys["reset-a-password"].body or "")
    again = journeys(site, "import", "notes.md")  # never over a file without --force
    assert again.returncode == 1 and "--force" in again.stderr


def test_what_cannot_be_imported_is_said_at_its_place(site: Path) -> None:
    write(site / "plain.md", "# Nothing here\n\n```mermaid\nflowchart LR\n  A --> B\n```\n")
    result = journeys(site, "import", "plain.md")
    assert result.returncode == 1
    assert result.stderr.startswith("plain.md:1:1: no Mermaid journey in this file")
    write(site / "bad.md", PAGE.replace("Wait for a call: 1: Eva, Desk", "Wait for a call"))
    result = journeys(site, "import", "bad.md")
    assert result.returncode == 1 and result.stderr.startswith("bad.md:8:")
    assert not (site / "content" / "journeys").exists()  # nothing written, not even the good one
