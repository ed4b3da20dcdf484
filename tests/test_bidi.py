"""Direction controls in author text (U+202A-U+202E, U+2066-U+2069) stay inside that text: in
the model, in the page's HTML and in the map's SVG."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from mkdocs_journey_plugin.bidi import CONTROLS, balance, is_balanced, isolate
from mkdocs_journey_plugin.model import Journey, Persona

from .conftest import JOURNEY, PERSONA, make_site, run, write

LRE, RLE, PDF, LRO, RLO = "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"


def test_text_without_controls_is_left_as_it_is() -> None:
    for text in ["Looks for the form", "מחכה לתשובה", "a\u200fb", ""]:
        assert isolate(text) is text and balance(text) is text


def test_an_override_is_closed_and_isolated() -> None:
    assert isolate(f"invoice {RLO}fdp.exe") == f"{FSI}invoice {RLO}fdp.exe{PDF}{PDI}"


def test_pops_that_close_nothing_are_dropped() -> None:
    assert isolate(f"{PDF}{PDI}Eva{PDI}") == f"{FSI}Eva{PDI}"


def test_a_pdf_does_not_close_across_an_isolate_and_a_pdi_closes_what_it_holds() -> None:
    assert balance(f"{RLE}a{LRI}b{PDF}c") == f"{RLE}a{LRI}bc{PDI}{PDF}"
    assert balance(f"{LRI}a{RLO}b{PDI}c") == f"{LRI}a{RLO}b{PDF}{PDI}c"


def test_the_model_isolates_plain_text_fields_once_and_leaves_markdown_alone() -> None:
    persona = Persona.model_validate({"name": f"Eva {RLO}", "role": "Manager",
                                      "goals": [f"{LRE}x"], "notes": f"## A {RLO}b"})
    assert persona.name == f"{FSI}Eva {RLO}{PDF}{PDI}"
    assert persona.goals == [f"{FSI}{LRE}x{PDF}{PDI}"]
    assert persona.notes == f"## A {RLO}b"  # Markdown: an isolate before ## would undo it
    journey = Journey.model_validate({
        "title": "T", "persona": "eva", "stages": [{"name": "S", "touchpoints": [
            {"action": f"Pays {RLO}", "channel": "portal", "emotion": 0}]}],
        "opportunities": [{"title": "O", "touchpoints": ["pays"],
                           "description": f"- {RLO}item"}]})
    assert journey.stages[0].touchpoints[0].action == f"{FSI}Pays {RLO}{PDF}{PDI}"
    assert journey.stages[0].touchpoints[0].id == "pays"  # ids are as they were
    assert journey.opportunities[0].description == f"- {RLO}item"


letters = st.sampled_from(sorted(CONTROLS) + ["a", "ב", " ", "1", "\n"])


@given(st.text(letters, max_size=40) | st.text(max_size=40))
def test_isolated_text_is_always_balanced_and_keeps_every_other_character(text: str) -> None:
    result = isolate(text)
    assert is_balanced(result)
    assert is_balanced(balance(text))
    others = [c for c in text if c not in CONTROLS]
    assert [c for c in result if c not in CONTROLS] == others
    if all(c not in CONTROLS for c in text):
        assert result == text
    else:
        assert result.startswith(FSI) and result.endswith(PDI)


ACTION = f"Looks for the form {RLO}mrof eht"
NAME = f"{PDI}Eva {RLI}Kovacs"
TITLE = f"Send a status {LRO}update"


def built_pages(tmp_path: Path) -> tuple[str, str, str]:
    site = make_site(tmp_path)
    write(site / "content" / "personas" / "eva.md",
          PERSONA.replace("Eva Kovacs", '"\\u2069Eva \\u2067Kovacs"'))
    write(site / "content" / "journeys" / "new-laptop.md", JOURNEY.replace(
        "Looks for the order form", '"Looks for the form \\u202emrof eht"').replace(
        "Send a status update", '"Send a status \\u202dupdate"'))
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    out = site / "site"
    return tuple((out / p / "index.html").read_text(encoding="utf-8")  # type: ignore[return-value]
                 for p in ("journeys/new-laptop", "personas/eva", "opportunities"))


def test_pages_and_maps_keep_controls_inside_author_text(tmp_path: Path) -> None:
    journey, persona, backlog = built_pages(tmp_path)
    for page in (journey, persona, backlog):
        text = html.unescape(page)
        assert is_balanced(text)
        assert any(c in CONTROLS for c in text)
    assert isolate(ACTION) in html.unescape(journey)  # the touchpoint table
    assert isolate(NAME) in html.unescape(persona)
    assert isolate(TITLE) in html.unescape(backlog)
    svg = re.search(r"<svg[^>]*class=\"journey-map\".*?</svg>", journey, re.S)
    assert svg is not None
    texts = ["".join(t.itertext()) for t in ET.fromstring(svg.group(0)).iter()
             if t.tag.endswith("}text") or t.tag.endswith("}tspan")]
    assert all(is_balanced(t) for t in texts)
    assert any(RLO in t for t in texts)  # the action is drawn, with its override
