"""Mermaid journeys on a site's pages: found among a page's fences, drawn as our map with a
table, every other Mermaid block left byte for byte; real builds with Material (superfences'
custom fence, and plain fences) and the mkdocs theme."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mkdocs_journey_plugin.labels import Labels
from mkdocs_journey_plugin.mermaid_blocks import fences, put_in, take_journeys
from mkdocs_journey_plugin.model import EmotionScale, Journey
from mkdocs_journey_plugin.render import MapOptions, render_map_region

from .conftest import JOURNEY, PERSONA, make_site, run, write

SCALE = EmotionScale(-2, 2)
LABELS = Labels("en")

WORKING_DAY = """\
journey
    title My working day
    section Go to work
      Make tea: 5: Me
      Go upstairs: 3: Me
      Do work: 1: Me, Cat
    section Go home
      Go downstairs: 5: Me
      Sit down: 3: Me"""

FLOWCHART = "flowchart LR\n    A[Start] --> B{Is it?}"

PAGE = f"""\
# A page with diagrams

```mermaid
{WORKING_DAY}
```

```mermaid
{FLOWCHART}
```

1. In a list:

    ~~~mermaid
    journey
    section Onboarding
      Sign up: 4: Eva
    ~~~

````markdown
```mermaid
journey
section Shown as an example, not drawn
  Task: 3
```
````

The end.
"""


def taken(markdown: str) -> tuple[str, list[str]]:
    text, found = take_journeys(markdown, "page.md", SCALE, LABELS, markdown)
    return text, [str(p) for p in found.problems]


# --- finding the fences ---------------------------------------------------------------------


def test_fences_outer_only_in_lists_and_not_in_code() -> None:
    lines = PAGE.split("\n")
    found = [(f.opening + 1, f.indent, f.language) for f in fences(lines)]
    assert found == [(3, 0, "mermaid"), (15, 0, "mermaid"), (22, 4, "mermaid"),
                     (28, 0, "markdown")]
    indented_code = "Text\n\n    ```mermaid\n    journey\n    ```\n"
    assert [f.language for f in fences(indented_code.split("\n"))] == []
    unclosed = "```mermaid\njourney\n"
    assert list(fences(unclosed.split("\n"))) == []
    admonition = "!!! note\n\n    ```mermaid\n    journey\n    ```\n"
    assert [(f.indent, f.lines) for f in fences(admonition.split("\n"))] == [(4, ["journey"])]
    braces = "``` { .mermaid }\njourney\n```\n~~~{.mermaid #id}\njourney\n~~~\n"
    assert [f.language for f in fences(braces.split("\n"))] == ["mermaid", "mermaid"]


def test_only_journeys_are_taken_and_the_rest_is_byte_for_byte() -> None:
    text, problems = taken(PAGE)
    assert problems == []
    assert FLOWCHART in text and "```mermaid\n" + FLOWCHART + "\n```" in text
    assert "Shown as an example, not drawn" in text  # inside the ````markdown block
    assert "My working day" not in text and "Sign up" not in text
    assert text.count("<!-- journeys:mermaid:") == 2
    assert "\n    <!-- journeys:mermaid:" in text  # in the list item, at its indentation
    _, found = take_journeys(PAGE, "page.md", SCALE, LABELS, PAGE)
    # Back as written (for plugins that read page.markdown), but for the blank lines around.
    def blank_lines_as_one(markdown: str) -> str:
        return re.sub(r"\n(\s*\n)+", "\n\n", markdown)
    assert blank_lines_as_one(found.as_written(text)) == blank_lines_as_one(PAGE)
    no_journeys = PAGE.replace("journey\n", "gantt\n")
    assert taken(no_journeys) == (no_journeys, [])


def test_problems_are_placed_in_the_authors_file() -> None:
    page = "# Title\n\n- item\n\n    ```mermaid\n    journey\n    section A\n      Tea\n    ```\n"
    source = "---\ntitle: front matter that MkDocs takes off\n---\n" + page
    text, found = take_journeys(page, "docs/page.md", SCALE, LABELS, source)
    assert [str(p) for p in found.problems] == [
        "docs/page.md:11:7: the task 'Tea' has no score: write it as 'name: score' or "
        "'name: score: actor, actor'"]
    assert text == page  # a diagram Mermaid would reject is left as written


# --- drawing ---------------------------------------------------------------------------------


def drawn_html(markdown: str) -> str:
    text, found = take_journeys(markdown, "page.md", SCALE, LABELS, markdown)
    html = re.sub(r"^\s*(<!-- journeys:mermaid:[^>]*-->)\s*$", r"<p>\1</p>", text,
                  flags=re.MULTILINE)  # as Markdown leaves a comment
    out, shown = put_in(html, found, LABELS, SCALE, render_map_region)
    assert all(svg in out for svg in shown.values())
    return out


def test_the_block_holds_the_map_and_a_table_of_every_task() -> None:
    html = drawn_html(f"```mermaid\n{WORKING_DAY}\n```\n")
    assert html.count("<svg") == 2  # the drawing and its gutter
    assert '<caption>My working day</caption>' in html
    rows = re.findall(r'<tr id="tp-(mermaid-1-\d)"', html)
    assert rows == [f"mermaid-1-{n}" for n in range(1, 6)]
    assert "<td data-label=\"Actors\">Me, Cat</td>" in html
    assert "-2 (Mermaid: 1)" in html and "+2 (Mermaid: 5)" in html
    assert 'href="#mermaid-journey-1-tp-mermaid-1-3"' in html  # the table's number: the map
    assert 'href="#tp-mermaid-1-3"' in html  # and the map's column to the table
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert ">Actors<" in svg and ">Channel<" not in svg and ">Team<" not in svg


def test_hostile_author_text_is_escaped() -> None:
    hostile = """journey
title <script>alert(1)</script> "quoted" ]]> & more
accDescr: <img src=x onerror=alert(2)> ]]>
section <b>bold</b> "section"
  <script>alert(3)</script> ]]>: 4: <svg onload=alert(4)>, "Bob" ]]>
"""
    html = drawn_html(f"```mermaid\n{hostile}```\n")
    for raw in ("<script", "<img", "<svg onload", "<b>", "]]>"):
        assert raw not in html, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;svg onload=alert(4)&gt;" in html
    # The drawing's text is escaped too, and the map is well-formed XML.
    import xml.etree.ElementTree as ET
    svg = html[html.index("<svg"):html.index("</svg>") + 6]
    ET.fromstring(svg)


def test_a_journey_without_tasks_says_so() -> None:
    html = drawn_html("```mermaid\njourney\ntitle Nothing yet\nsection Empty\n```\n")
    assert "<svg" not in html
    assert "Nothing yet" in html and "This journey has no tasks yet." in html


def test_the_actors_lane_appears_only_with_actors() -> None:
    data = {"title": "T", "persona": "eva", "stages": [{"name": "S", "touchpoints": [
        {"action": "A", "channel": "phone", "emotion": 1}]}]}
    journey = Journey.model_validate(data, context={"scale": SCALE})
    assert ">Actors<" not in render_map_region(journey, MapOptions())
    data["stages"][0]["touchpoints"][0]["actors"] = ["Eva"]  # type: ignore[index]
    journey = Journey.model_validate(data, context={"scale": SCALE})
    svg = render_map_region(journey, MapOptions())
    assert ">Actors<" in svg and ">Channel<" in svg and ">Eva<" in svg


# --- real builds -----------------------------------------------------------------------------

SUPERFENCES = """\
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""


def site(tmp_path: Path, theme: str, extra: str = "", page: str = PAGE,
         mermaid: bool = True) -> Path:
    root = tmp_path / "site"
    write(root / "content" / "personas" / "eva.md", PERSONA)
    write(root / "content" / "journeys" / "new-laptop.md", JOURNEY)
    (root / "content" / "diagrams.md").write_text(page, encoding="utf-8")
    make_site(root, theme, extra)
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    if theme == "mkdocs":  # offline: no highlight.js from a CDN
        text = text.replace("  name: mkdocs\n", "  name: mkdocs\n  highlightjs: false\n")
    if not mermaid:
        text = text.replace("  - journeys\n", "  - journeys:\n      mermaid_journeys: false\n")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return root


def build(root: Path, strict: bool = True) -> tuple[str, str]:
    result = run(["mkdocs", "build", *(["--strict"] if strict else [])], root)
    assert "Traceback" not in result.stderr, result.stderr
    page = root / "site" / "diagrams" / "index.html"
    return (page.read_text(encoding="utf-8") if result.returncode == 0 else ""), result.stderr


def check_page(html: str) -> None:
    assert html.count('class="journey-mermaid"') == 2
    assert "<caption>My working day</caption>" in html
    assert ">Sign up</td>" in html
    assert len(re.findall(r'<svg[^>]* class="journey-map"', html)) == 2
    assert "Shown as an example, not drawn" in html  # the example in a code block stays text
    assert "<script>" not in html.split("<body")[1].split("journey-mermaid")[1][:100]


@pytest.mark.parametrize("extensions", ["superfences", "plain fences"])
def test_material_build(tmp_path: Path, extensions: str) -> None:
    root = site(tmp_path, "material", SUPERFENCES if extensions == "superfences" else "")
    html, stderr = build(root)
    assert html, stderr
    check_page(html)
    if extensions == "superfences":
        assert ('<pre class="mermaid"><code>flowchart LR\n    A[Start] --&gt; B{Is it?}'
                '</code></pre>') in html
    else:
        assert ('<pre><code class="language-mermaid">flowchart LR\n    A[Start] --&gt; B{Is it?}\n'
                '</code></pre>') in html
    # Search indexes the table, not the drawing.
    index = json.loads((root / "site" / "search" / "search_index.json").read_text("utf-8"))
    text = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("diagrams/"))
    assert "Go downstairs" in text and "jm-lane" not in text and "<svg" not in text
    if extensions == "superfences":
        # The flowchart's HTML is what it is with the option off: byte for byte.
        flowchart = re.search(r'<pre class="mermaid"><code>flowchart.*?</pre>', html, re.S)
        assert flowchart is not None
        plain, stderr = build(site(tmp_path / "off", "material", SUPERFENCES, mermaid=False))
        assert plain, stderr
        assert flowchart.group(0) in plain
        assert 'class="journey-mermaid"' not in plain
        assert plain.count('<pre class="mermaid"><code>journey') == 2


def test_mkdocs_theme_build(tmp_path: Path) -> None:
    html, stderr = build(site(tmp_path, "mkdocs"))
    assert html, stderr
    check_page(html)
    assert "language-mermaid" in html  # the flowchart, as plain code


def test_a_diagram_mermaid_rejects_fails_strict_at_its_place(tmp_path: Path) -> None:
    page = PAGE.replace("      Sign up: 4: Eva", "      Sign up 4 Eva")
    root = site(tmp_path, "material", SUPERFENCES, page)
    html, stderr = build(root)
    assert html == ""
    assert ("content/diagrams.md:25:7: the task 'Sign up 4 Eva' has no score: write it as "
            "'name: score' or 'name: score: actor, actor'") in stderr
    html, stderr = build(root, strict=False)
    assert html.count('class="journey-mermaid"') == 1
    assert "Sign up 4 Eva" in html  # left as written, for Mermaid's own script to show


def test_a_journey_in_a_journey_files_body(tmp_path: Path) -> None:
    body = "\n## Mermaid\n\n```mermaid\njourney\nsection S\n  Bad: nine\n```\n"
    root = site(tmp_path, "material", SUPERFENCES)
    write(root / "content" / "journeys" / "new-laptop.md", JOURNEY + body)
    _, stderr = build(root)
    line = (JOURNEY + body).split("\n").index("  Bad: nine") + 1
    assert (f"content/journeys/new-laptop.md:{line}:8: the score of 'Bad' must be a number "
            "from 1 to 5, not 'nine'") in stderr
    with_actors = JOURNEY.replace("        emotion: -1\n",
                                  "        emotion: -1\n        actors: [Eva, <b>Ann</b>]\n", 1)
    write(root / "content" / "journeys" / "new-laptop.md",
          with_actors + body.replace("nine", "4"))
    _, stderr = build(root)
    journey_page = root / "site" / "journeys" / "new-laptop" / "index.html"
    html = journey_page.read_text(encoding="utf-8")
    assert html.count('class="journey-mermaid"') == 1 and ">Bad</td>" in html
    # A journey file's actors: in its map's lane and in its touchpoint table, escaped.
    assert ">Eva, &lt;b&gt;Ann&lt;/b&gt;</text>" in html
    assert '<span class="journey-label">Actors:</span> Eva, &lt;b&gt;Ann&lt;/b&gt;</p>' in html
