"""Mermaid's journey grammar, read as Mermaid reads it: its own test diagrams (the corpus), the
lexer's rules one by one, the problems Mermaid's parser would throw, and our journey made of it."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from mkdocs_journey_plugin.mermaid import (
    MermaidError,
    MermaidJourney,
    display_text,
    emotion,
    is_mermaid_journey,
    journey_data,
    journey_marks,
    js_number,
    parse_mermaid_journey,
)
from mkdocs_journey_plugin.mermaid_blocks import find_journeys
from mkdocs_journey_plugin.model import EmotionScale, Journey
from mkdocs_journey_plugin.problems import Source

CORPUS = Path(__file__).parent / "corpus" / "mermaid_journeys"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
SCALE = EmotionScale(-2, 2)


def parse(text: str, first_line: int = 1, indent: int = 0) -> MermaidJourney:
    return parse_mermaid_journey(text, "page.md", first_line, indent)


def problems(text: str, first_line: int = 1, indent: int = 0) -> list[str]:
    with pytest.raises(MermaidError) as caught:
        parse(text, first_line, indent)
    return [str(p) for p in caught.value.problems]


def tasks(text: str) -> list[tuple[str | None, str, float, tuple[str, ...]]]:
    return [(s.name, t.name, t.score, t.actors) for s in parse(text).sections for t in s.tasks]


# --- the corpus: Mermaid's own test diagrams --------------------------------------------------


def test_the_corpus_holds_every_diagram_its_readme_names() -> None:
    files = sorted(p.name for p in CORPUS.glob("*.mmd"))
    assert files == sorted(EXPECTED)
    assert len(files) == 22
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for source in {e["source"] for e in EXPECTED.values()}:
        assert source in readme
    assert "MIT License" in readme


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_corpus_diagram_is_imported_with_every_task(name: str) -> None:
    expected = EXPECTED[name]
    text = (CORPUS / name).read_text(encoding="utf-8")
    assert is_mermaid_journey(text)
    if expected["mermaid_rejects"]:
        found = problems(text)
        assert len(found) == 1 and "score" in found[0]
        return
    diagram = parse(text)
    assert len(diagram.tasks) == expected["tasks"]
    data = journey_data(diagram, SCALE, "eva")
    touchpoints = [tp for stage in data["stages"] for tp in stage["touchpoints"]]
    assert [tp["action"] for tp in touchpoints] == [display_text(t.name) for t in diagram.tasks]
    assert [tp["emotion"] for tp in touchpoints] == [emotion(t.score, SCALE)
                                                      for t in diagram.tasks]
    if diagram.tasks:
        journey = Journey.model_validate(data, context={"scale": SCALE})
        assert len(journey.touchpoints) == expected["tasks"]
        assert [tp.actors for tp in journey.touchpoints] == [
            [display_text(a) for a in t.actors] for t in diagram.tasks]


def test_the_parser_spec_task_definition_as_mermaid_reads_it() -> None:
    read = tasks((CORPUS / "parser-07-tasks.mmd").read_text(encoding="utf-8"))
    assert read == [
        ("Documentation", "A task", 5, ("Alice", "Bob", "Charlie")),
        ("Documentation", "B task", 3, ("Bob", "Charlie")),
        ("Documentation", "C task", 5, ()),
        ("Documentation", "D task", 5, ("Charlie", "Alice")),
        # Mermaid keeps [''] for `E task: 5:`: one actor without a name, which we leave out.
        ("Documentation", "E task", 5, ()),
        ("Another section", "P task", 5, ()),
        ("Another section", "Q task", 5, ()),
        ("Another section", "R task", 5, ()),
    ]


def test_the_parser_spec_accessibility_texts() -> None:
    diagram = parse((CORPUS / "parser-03-acc-descr-multiline.mmd").read_text(encoding="utf-8"))
    assert diagram.acc_description == "A user journey for\nfamily shopping"
    assert diagram.title == "Adding journey diagram functionality to mermaid"
    assert diagram.acc_title == "Adding acc journey diagram functionality to mermaid"
    diagram = parse((CORPUS / "parser-04-acc-title.mmd").read_text(encoding="utf-8"))
    assert (diagram.acc_title, diagram.acc_description, diagram.title) == ("The title", None,
                                                                          None)


def test_front_matter_sets_the_title_and_is_skipped() -> None:
    diagram = parse((CORPUS / "render-05-left-margin.mmd").read_text(encoding="utf-8"))
    assert diagram.title == "User Journey Example"
    assert [t.name for t in diagram.tasks][:2] == ["Sign Up", "Browse Features"]
    assert parse("---\ntitle: From the front matter\n---\njourney\n").title == \
        "From the front matter"
    assert parse("---\ntitle: Front\n---\njourney\ntitle Own\n").title == "Own"
    assert problems("---\ntitle: [unclosed\n---\njourney\n")[0].startswith("page.md:2:")


# --- the lexer's rules ------------------------------------------------------------------------


def test_comments_hash_percent_and_whole_lines() -> None:
    text = """journey
%% a whole-line comment
section Work # a comment after a section
  % one percent sign is enough for a comment
  Make tea: 5: Me # and after a task
  # a line of comment
  Sit: 3: Me %% Mermaid keeps this in the actor's name
"""
    assert tasks(text) == [("Work ", "Make tea", 5, ("Me",)),
                           ("Work ", "Sit", 3, ("Me %% Mermaid keeps this in the actor's name",))]


def test_directives_are_removed() -> None:
    text = "%%{init: {'theme': 'forest'}}%%\njourney\nsection A\n  T: 2: Me\n"
    assert is_mermaid_journey(text)
    assert tasks(text) == [("A", "T", 2, ("Me",))]


def test_what_ends_a_task_name_and_its_data() -> None:
    assert tasks("journey\nsection A\n  Tea, please : 4 :Me,Cat , Dog\n") == [
        ("A", "Tea, please ", 4, ("Me", "Cat", "Dog"))]
    # Further pieces after a second colon are ignored, as journeyDb.addTask ignores them.
    assert tasks("journey\nsection A\n  T: 4: Me: ignored\n") == [("A", "T", 4, ("Me",))]
    # Several statements on a line: the grammar needs no newline between them.
    assert parse("journey title One").title == "One"


def test_tasks_before_any_section_and_sections_without_tasks() -> None:
    diagram = parse("journey\nEarly: 2\nsection Empty\nsection Full\n  T: 3\n")
    assert [(s.name, len(s.tasks)) for s in diagram.sections] == [(None, 1), ("Empty", 0),
                                                                  ("Full", 1)]
    data = journey_data(diagram, SCALE, untitled_section="(none)")
    assert [s["name"] for s in data["stages"]] == ["(none)", "Full"]


def test_keywords_are_found_where_mermaid_finds_them() -> None:
    # "journey" as a word anywhere a token starts is the keyword: Mermaid rejects the line.
    assert problems("journey\nsection A\n  Journey home: 5: Me\n") == [
        "page.md:3:3: 'journey' starts the diagram and cannot come again (Mermaid reads a task "
        "or section starting with the word 'journey' as this keyword)"]
    # "title " starts a title even where a task was meant; "Titles" is a task.
    diagram = parse("journey\nsection A\n  title deed: 5\n  Titles: 2\n")
    assert diagram.title == "deed: 5"
    assert [t.name for t in diagram.tasks] == ["Titles"]
    assert not is_mermaid_journey("Journey\nsection A")  # the detector minds the case
    assert is_mermaid_journey("journeyman")  # ... but not the word's end
    assert problems("journeyman\n") == [
        "page.md:1:1: a journey diagram starts with the word 'journey'"]


def test_entities_and_line_breaks() -> None:
    diagram = parse("journey\nsection Tea #amp; cake\n  Cup#9829;<br/>more: 5: A #lt;B#gt;\n")
    assert diagram.sections[0].name == "Tea & cake"
    assert diagram.tasks[0].name == "Cup\u2665<br/>more"
    assert diagram.tasks[0].actors == ("A <B>",)
    data = journey_data(diagram, SCALE)
    assert data["stages"][0]["touchpoints"][0]["action"] == "Cup\u2665 more"


def test_carriage_returns_and_indentation() -> None:
    assert tasks("journey\r\n    section A\r\n\t\tT: 1: Me\r\n") == [("A", "T", 1, ("Me",))]


def test_js_number() -> None:
    assert js_number(" 5 ") == 5
    assert js_number("0x4") == 4 and js_number("0b11") == 3 and js_number("0o3") == 3
    assert js_number("4.5") == 4.5 and js_number(".5e1") == 5 and js_number("+2") == 2
    assert js_number("") == 0 and js_number("  ") == 0
    assert math.isinf(js_number("Infinity"))
    for text in ("five", "1_0", "-0x4", "4 5", "inf"):
        assert math.isnan(js_number(text)), text


# --- problems: what Mermaid would reject -----------------------------------------------------


def test_problems_are_placed_in_the_page_and_all_reported() -> None:
    text = """journey
section A
  Make tea
  Go: x: Me
  Sit: 7
  Stand: 0
  Run: Infinity
  ;
: 5: Me
  Task:
  Walk: 3: Me; Cat
"""
    assert problems(text, first_line=10, indent=4) == [
        "page.md:12:7: the task 'Make tea' has no score: write it as 'name: score' or "
        "'name: score: actor, actor'",
        "page.md:13:11: the score of 'Go' must be a number from 1 to 5, not 'x'",
        "page.md:14:12: the score of 'Sit' must be from 1 to 5, not 7",
        "page.md:15:14: the score of 'Stand' must be from 1 to 5, not 0",
        "page.md:16:12: the score of 'Run' must be from 1 to 5, not Infinity",
        "page.md:17:7: Mermaid's journey does not allow ';' here (';' separates nothing in a "
        "journey: put each statement on a line of its own)",
        "page.md:18:5: a task needs a name before its colon",
        "page.md:19:11: the task 'Task' has no score after its colon",
        "page.md:20:18: Mermaid's journey does not allow ';' here (';' separates nothing in a "
        "journey: put each statement on a line of its own)",
    ]


def test_an_empty_score_is_mermaids_zero() -> None:
    assert problems("journey\nsection A\n  T:: Me\n") == [
        "page.md:3:5: the score of 'T' must be from 1 to 5, not nothing"]


def test_an_unclosed_multiline_description() -> None:
    assert problems("journey\naccDescr {\n  never closed\n") == [
        "page.md:2:1: 'accDescr {' is not closed with '}'"]


def test_scores_mermaid_accepts() -> None:
    assert [t.score for t in parse("journey\nA: 1\nB: 2.5\nC: 0x5\nD: 5.0\n").tasks] == \
        [1, 2.5, 5, 5]


def test_a_diagram_longer_than_mermaids_limit() -> None:
    text = "journey\n" + "A task: 3: Me\n" * 4000
    assert "Mermaid draws at most 50,000" in problems(text)[0]


# --- our journey format ----------------------------------------------------------------------


@pytest.mark.parametrize(("scale", "expected"), [
    (EmotionScale(-2, 2), [-2, -1, 0, 1, 2]),
    (EmotionScale(1, 5), [1, 2, 3, 4, 5]),
    (EmotionScale(0, 10), [0, 2.5, 5, 7.5, 10]),
])
def test_scores_map_linearly_onto_the_scale(scale: EmotionScale, expected: list[float]) -> None:
    assert [emotion(score, scale) for score in (1, 2, 3, 4, 5)] == expected


def test_journey_data_validates_and_keeps_actors() -> None:
    diagram = parse((CORPUS / "render-02-working-day.mmd").read_text(encoding="utf-8"))
    data = journey_data(diagram, SCALE)
    assert data["title"] == "My working day"
    assert data["persona"] == "me"  # the first actor, as a slug
    assert data["stages"][0]["touchpoints"][2] == {
        "action": "Do work", "channel": "unknown", "emotion": -2, "actors": ["Me", "Cat"]}
    journey = Journey.model_validate(data, context={"scale": SCALE})
    assert [s.name for s in journey.stages] == ["Go to work", "Go home"]
    assert journey_data(diagram, SCALE, "eva", channel="phone")["persona"] == "eva"
    assert journey_data(parse("journey\nT: 3\n"), SCALE)["persona"] == "customer"
    assert journey_data(parse("journey\naccTitle: Only this\n"), SCALE)["title"] == "Only this"


def test_journey_marks_place_problems_with_the_data_at_their_task() -> None:
    text = "journey\nEarly: 2\nsection Work\n  Make tea: 5: Me\n  Sit: 3\n"
    diagram = parse(text, first_line=20)
    source = Source("page.md", journey_marks(diagram))
    assert str(source.at(("stages", 1, "touchpoints", 1, "emotion"), "x")) == "page.md:24:3: x"
    assert str(source.at(("stages", 1, "name"), "x")) == "page.md:22:1: x"
    assert str(source.at(("stages", 0, "name"), "x")) == "page.md:21:1: x"  # its first task
    assert str(source.at(("title",), "x")) == "page.md:20:1: x"


def test_find_journeys_in_a_markdown_file() -> None:
    markdown = ("# Two\n\n```mermaid\njourney\nA: 3\n```\n\n```mermaid\ngraph TD\n```\n\n"
                "- item\n\n    ```mermaid\n    journey\n    B: six\n    ```\n")
    diagrams, found = find_journeys(markdown, "notes.md", first_line=4)
    assert [[t.name for t in d.tasks] for d in diagrams] == [["A"]]
    assert diagrams[0].tasks[0].line == 8
    assert [str(p) for p in found] == [
        "notes.md:19:8: the score of 'B' must be a number from 1 to 5, not 'six'"]
