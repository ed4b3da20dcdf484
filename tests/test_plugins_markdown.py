"""Journey and persona bodies are Markdown like any page of the site (issue 14, items 1 and 6).

Each site is built for real with `mkdocs build --strict` (see plugin_sites): the HTML that the
site's Markdown makes of a body on a journey or persona page must be the HTML the same text
makes on an ordinary page of the same site; what a body holds cannot reach the rest of our page;
and mkdocs-macros and mkdocs-include-markdown work in a body as on any page, in either order.
"""

from __future__ import annotations

import base64
import html as entities
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mkdocs_journey_plugin.islands import (
    finish_page,
    hide_from_search,
    restore_islands,
    show_again,
    stash_html_blocks,
)

from .plugin_sites import (
    CONTENT,
    Built,
    build_project,
    check_journeys_published,
    make_project,
    placeholders_in,
    svg_maps,
)

EXTENSIONS = """\
markdown_extensions:
  - admonition
  - pymdownx.details
  - pymdownx.superfences
  - attr_list
  - md_in_html
  - footnotes
  - tables
  - toc
"""
PLUGINS = "- search\n- journeys\n"

# Every construct the issue names. The ordinary page sits one folder deep like the journey and
# persona files, so that the same relative link means the same page from all of them.
BODY = """\
## Interview notes {: #interviews .wide }

> A quote from the *interview*, with `ping "intranet"` in it.

Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, then wait&nbsp;5&nbsp;minutes & "see".

See [the guide](../guide/index.md "The authors' guide") and
![A badge](../img/badge.png "The badge").

| Step | Minutes |
|------|--------:|
| Form | 5 |
| Gate | 20 |

!!! note "Remember"
    Badges are printed on *Tuesdays*.

??? tip "Collapsed"
    Open me.

<details>
<summary>Raw details</summary>
<p>Inside &amp; out.</p>
</details>

<div markdown>
Markdown **inside** a div.
</div>

A claim[^source].

[^source]: From the May interviews.

```python
print("fenced", '<b>')
```

### Findings

1. First
2. Second
"""
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==")


def front_matter(name: str) -> str:
    """A fixture file's front matter with its closing line, without its body."""
    text = (CONTENT / name).read_text(encoding="utf-8")
    return text[:text.index("\n---\n") + 5]


def with_notes(name: str, notes: str) -> str:
    """A fixture `.yml` file with `notes` set to `notes`."""
    text = (CONTENT / name).read_text(encoding="utf-8")
    return text[:text.index("notes: |")] + "notes: |\n" + "".join(
        f"  {line}\n" if line else "\n" for line in notes.splitlines())


def bodies(body: str, ideal: str | None = None) -> dict[str, str]:
    """The journey, persona and `.yml` journey of the fixture with these bodies."""
    return {"content/journeys/badge.md": front_matter("journeys/badge.md") + "\n" + body,
            "content/journeys/badge-ideal.yml": with_notes("journeys/badge-ideal.yml",
                                                           ideal if ideal is not None else body),
            "content/personas/ines.md": front_matter("personas/ines.md") + "\n" + body}


def build(tmp_path: Path, files: dict[str, str], plugins: str = PLUGINS,
          extra: str = EXTENSIONS) -> Built:
    project = make_project(tmp_path / "project", plugins, extra, files)
    (project / "content" / "img").mkdir(exist_ok=True)
    (project / "content" / "img" / "badge.png").write_bytes(PNG)
    return build_project(project)


def notes(page: str) -> str:
    """The body's HTML on a journey or persona page."""
    start = page.index('<div class="journey-notes">') + len('<div class="journey-notes">')
    return page[start:page.index('</div>\n<p class="journey-page-links">', start)]


def article(page: str) -> str:
    """An ordinary page's content: Material's article after the title it adds."""
    start = page.index("</h1>", page.index('<article class="md-content__inner')) + 5
    return page[start:page.index("</article>", start)].strip()


GUIDE = {"content/guide/index.md": "# Guide\n\nHow to write a journey.\n"}


def test_a_body_renders_as_the_same_text_on_an_ordinary_page(tmp_path: Path) -> None:
    built = build(tmp_path, {**bodies(BODY), **GUIDE, "content/notes/same.md": BODY})
    check_journeys_published(built)
    ordinary = article(built.html("notes/same/"))
    # The text made everything the issue lists, live: no character escaped a second time.
    for made in ("<blockquote>", '<code>ping "intranet"</code>', "<kbd>Ctrl</kbd>",
                 "wait&nbsp;5", "<details>", '<table>', 'class="admonition note"',
                 'class="footnote"', 'class="highlight"', '<h2 class="wide" id="interviews">',
                 'href="../../guide/" title="The authors\' guide"',
                 'src="../../img/badge.png" title="The badge"', "<strong>inside</strong>"):
        assert made in ordinary, made
    for page in ("journeys/badge/", "journeys/badge-ideal/", "personas/ines/"):
        assert notes(built.html(page)) == ordinary, page


VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"})


class _Parents(HTMLParser):
    """The open elements (tag.class) around the first element with a given class."""

    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted = wanted
        self.open: list[str] = []
        self.found: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if self.found is None and self.wanted in classes.split():
            self.found = list(self.open)
        if tag not in VOID:
            self.open.append(f"{tag}.{classes.split()[0] if classes else ''}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found is None and self.wanted in (dict(attrs).get("class") or "").split():
            self.found = list(self.open)

    def handle_endtag(self, tag: str) -> None:
        for at in range(len(self.open) - 1, -1, -1):
            if self.open[at].split(".")[0] == tag:
                del self.open[at:]
                return


def parents(page: str, wanted: str) -> list[str]:
    parser = _Parents(wanted)
    parser.feed(page)
    assert parser.found is not None, wanted
    return parser.found


# Bodies that would reach past themselves, each on a journey of its own.
BREAKERS = {
    "fence": "Before.\n\n```\nA fence left open\n\n## Opportunities\n",
    "div": "Before.\n\n<div class=\"open\">\n\nA div left open.\n",
    "details": "Before.\n\n<details><summary>Open</summary>\n\nDetails left open.\n",
    "closers": "Before.\n\n</div></div></div></article>\n\nAfter the closers.\n",
    "forged": ("A stray --> here.\n\n<!-- journeys:island:0 -->\n\n<!-- journeys:map:badge -->"
               "\n\n<!-- journeys:notes -->\n\n<!-- journeys:links -->\n\nAfter.\n"),
    "comment": "Before.\n\n<div>\n<!-- a comment left open\n",
    "rule": "Before\n---\n\n---\n\nAfter.\n",
    "references": ("[tp-fill-form]: https://example.org/shadow\n[1]: javascript:alert(1)\n\n"
                   "See [this][tp-fill-form] and [that][1].\n"),
    "script": ("<script>alert(1)</script>\n\n<p onclick=\"alert(2)\">Click</p>\n\n"
               "<img src=\"../img/badge.png\" onerror=\"alert(3)\">\n\n<base href=\"https://e.example/\">\n"),
}


def test_a_body_cannot_break_the_page_around_it(tmp_path: Path) -> None:
    journey = front_matter("journeys/badge.md")
    files = {f"content/journeys/{name}.md": journey.replace(
        "title: Getting a building badge", f"title: Breaker {name}") + "\n" + body
        for name, body in BREAKERS.items()}
    built = build(tmp_path, files)
    assert built.returncode == 0 and built.warnings() == [], built.output
    plain = built.html("journeys/badge/")  # the same journey, with a body that breaks nothing
    for name in BREAKERS:
        page = built.html(f"journeys/{name}/")
        assert len(svg_maps(page)) == 1, name
        assert page.count('class="journey-header"') == 1, name
        assert page.count('<div class="journey-touchpoints journey-stack">') == 1, name
        assert page.count('<div class="journey-notes">') == 1, name
        # Our own links to touchpoints and opportunities, as many and as written.
        assert re.findall(r'href="#(?:tp|opp)-[^"]*"', page) == re.findall(
            r'href="#(?:tp|opp)-[^"]*"', plain), name
        # The links come after the body, beside it in the article, not inside anything of it.
        assert page.count('<p class="journey-page-links">') == 1, name
        assert parents(page, "journey-page-links")[-1] == "article.md-content__inner", name
        assert parents(page, "journey-notes")[-1] == "article.md-content__inner", name
        assert "<script>alert" not in page and "onclick" not in page and "onerror" not in page
        assert "e.example" not in page and "javascript:" not in page, name
    # An author's comment that looks like a placeholder stays the author's comment.
    assert placeholders_in(built.site) == ["journeys/forged/index.html: journeys:island"]
    assert "A fence left open" in notes(built.html("journeys/fence/"))


def test_a_forged_placeholder_in_a_body_is_never_replaced() -> None:
    forged = "<!-- journeys:island:0 --><!-- journeys:map:one -->\n"
    text = f"<div>ours</div>\n\n<!-- journeys:map:one -->\n\n<!-- journeys:notes -->\n\n{forged}"
    stashed, islands = stash_html_blocks(text)
    assert islands == ["<div>ours</div>"] and stashed.endswith(forged)
    restored = restore_islands(stashed, islands)
    assert restored == text
    ours, body = restored.split("<!-- journeys:notes -->")
    finished, shown = finish_page(f'{ours}<div class="journey-notes">{body}</div>',
                                  lambda kind, key: "<svg/>", "<p>links</p>")
    assert finished.count("<svg/>") == 1  # the page's own; none from the body
    assert finished.endswith(f"{forged}</div>\n<p>links</p>")
    # Hidden from search and shown again, the forged placeholders stay the author's comments.
    hidden = hide_from_search(finished, shown)
    assert "<svg/>" not in hidden and "<p>links</p>" not in hidden
    assert hidden.endswith(f"{forged}</div>\n<!-- journeys:links -->")
    assert show_again(hidden, shown) == finished
    assert show_again(hidden.replace("</div>\n<!-- journeys:links -->",
                                     "<!-- journeys:links --></div>\n<!-- journeys:links -->"),
                      shown).count("<p>links</p>") == 1


# Item 6: macros and include-markdown directives, on a journey body and on an ordinary page.
MACROS_BODY = """\
This is {{ config.site_name }}, lead: {{ team_lead }}.

{% include-markdown "../snippets/part.md" %}
"""
SNIPPETS = {"content/snippets/part.md": "Included **part** from the snippets.\n",
            "content/snippets/plain.md": "Included *plain* text.\n"}
MACROS_EXTRA = EXTENSIONS + "extra:\n  team_lead: Ines\n"


@pytest.mark.parametrize("order", ["macros first", "macros last"])
def test_macros_and_include_markdown_work_in_a_body(tmp_path: Path, order: str) -> None:
    plugins = ("- search\n- macros\n- include-markdown\n- journeys\n" if order == "macros first"
               else "- search\n- include-markdown\n- journeys\n- macros\n")
    # The title and plain fields are author data: a macro in them is text, never run.
    title = "Badge {{ config.site_name }} {% if true %}run{% endif %}"
    journey = front_matter("journeys/badge.md").replace(
        "title: Getting a building badge", f'title: "{title}"').replace(
        "feeling: unsure", "feeling: \"{{ team_lead }}\"").replace(
        "title: Send an e-mail", "description: \"Mail {{ team_lead }}\"\n    title: Send an e-mail")
    files = {**bodies(MACROS_BODY), **SNIPPETS, "content/notes/same.md": MACROS_BODY,
             "content/journeys/badge.md": journey + "\n" + MACROS_BODY}
    built = build(tmp_path, files, plugins, MACROS_EXTRA)
    check_journeys_published(built)
    ordinary = article(built.html("notes/same/"))
    assert "This is Plugin compatibility, lead: Ines." in ordinary
    assert "Included <strong>part</strong> from the snippets." in ordinary
    for page in ("journeys/badge/", "journeys/badge-ideal/", "personas/ines/"):
        assert notes(built.html(page)) == ordinary, page
    page = entities.unescape(built.html("journeys/badge/"))
    assert f"<title>{title} - Plugin compatibility</title>" in page
    assert re.search(rf"<h1[^>]*>{re.escape(title)}</h1>", page)
    assert "{{ team_lead }}" in page  # the feeling, as written
    assert "Mail {{ team_lead }}" in page
    assert "Badge Plugin compatibility" not in page and "run</" not in page


@pytest.mark.parametrize("order", ["include-markdown first", "include-markdown last"])
def test_include_directives_resolve_from_the_source_file(tmp_path: Path, order: str) -> None:
    body = ('{% include-markdown "../snippets/part.md" %}\n\n'
            '{% include "../snippets/plain.md" %}\n')
    plugins = ("- search\n- include-markdown\n- journeys\n" if order.endswith("first")
               else "- search\n- journeys\n- include-markdown\n")
    files = {**bodies(body), **SNIPPETS, "content/notes/same.md": body}
    built = build(tmp_path, files, plugins)
    check_journeys_published(built)
    ordinary = article(built.html("notes/same/"))
    assert re.search(r"Included <strong>part</strong>.*Included <em>plain</em>", ordinary, re.S)
    for page in ("journeys/badge/", "journeys/badge-ideal/", "personas/ines/"):
        assert notes(built.html(page)) == ordinary, page
