"""The strict reader: YAML 1.2 meaning, marks, every problem at once, default ids."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from mkdocs_journey_plugin import loading, yaml_reader
from mkdocs_journey_plugin.catalog import load_catalog
from mkdocs_journey_plugin.loading import to_model
from mkdocs_journey_plugin.model import EmotionScale, Journey
from mkdocs_journey_plugin.problems import Problem

from .conftest import JOURNEY, read_document, write


def journey_from(tmp_path: Path, text: str, name: str = "j.md") -> tuple[Journey | None, list[str]]:
    path = write(tmp_path / name, text)
    document, problems = read_document(path, name)
    if document is None:
        return None, [str(p) for p in problems]
    journey, problems = to_model(document, Journey, EmotionScale())
    return journey, [str(p) for p in problems]


def with_touchpoint(extra: str) -> str:
    return f"""\
---
title: T
persona: eva
goal: {extra}
stages:
  - name: S
    touchpoints:
      - action: A
        channel: portal
        emotion: 1
        feeling: 3.50
---
"""


@pytest.mark.parametrize("written, meant", [
    ("no", "no"), ("yes", "yes"), ("off", "off"), ("2027-03-31", "2027-03-31"),
    ("010", "010"), ("1:20", "1:20"), ("1e3", "1e3"), ("null-ish", "null-ish"),
])
def test_yaml_1_1_surprises_stay_text(tmp_path: Path, written: str, meant: str) -> None:
    journey, problems = journey_from(tmp_path, with_touchpoint(written))
    assert problems == []
    assert journey is not None and journey.goal == meant
    assert journey.stages[0].touchpoints[0].feeling == "3.50"


def test_boolean_in_a_text_field_is_an_error_not_a_word(tmp_path: Path) -> None:
    _, problems = journey_from(tmp_path, with_touchpoint("true"))
    assert problems == ["j.md:4:7: 'goal' must be text, not true; put it in quotes if you mean "
                        "the word"]


def test_backstage_no_is_refused_with_the_reason(tmp_path: Path) -> None:
    text = JOURNEY.replace("backstage: true", "backstage: no")
    _, problems = journey_from(tmp_path, text)
    assert problems == ["j.md:17:20: 'backstage' must be true or false, not 'no' (YAML 1.2 reads "
                        "it as text)"]


def test_every_problem_of_a_file_at_once_in_line_order(tmp_path: Path) -> None:
    text = JOURNEY.replace("title: Requesting", "titel: Requesting").replace(
        "emotion: -1", "emotion: -3").replace("priority: must", "priority: high")
    _, problems = journey_from(tmp_path, text)
    assert problems == [
        "j.md:2:1: missing required key 'title'",
        "j.md:2:1: unknown key 'titel' (did you mean 'title'?)",
        "j.md:12:18: 'emotion' must be between -2 and 2, the emotion scale, not -3",
        "j.md:27:15: 'priority' must be 'must', 'should', 'could' or 'wont', not 'high'",
    ]


def test_yml_file_lines_have_no_front_matter_offset(tmp_path: Path) -> None:
    text = "title: T\npersona: eva\nstages: []\n"
    _, problems = journey_from(tmp_path, text, "j.yml")
    assert problems == ["j.yml:3:9: 'stages' needs at least one entry"]


def test_one_bad_score_in_a_list_is_pointed_at(tmp_path: Path) -> None:
    _, problems = journey_from(tmp_path, JOURNEY.replace("emotion: -1", "emotion: [-1, 2.5]"))
    assert problems == ["j.md:12:23: 'emotion' must be between -2 and 2, the emotion scale, "
                        "not 2.5"]


def test_site_scale_changes_the_range(tmp_path: Path) -> None:
    path = write(tmp_path / "j.md", JOURNEY.replace("emotion: -1", "emotion: 5")
                 .replace("emotion: 1\n", "emotion: 0.5\n"))
    document, _ = read_document(path, "j.md")
    assert document is not None
    journey, problems = to_model(document, Journey, EmotionScale(1, 5))
    assert [str(p) for p in problems] == ["j.md:22:18: 'emotion' must be between 1 and 5, the "
                                          "emotion scale, not 0.5"]
    assert journey is None


def test_billion_laughs_is_refused_without_expanding(tmp_path: Path) -> None:
    lines = ["---", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    lines += ["title: *a9", "---"]
    started = time.perf_counter()
    _, problems = journey_from(tmp_path, "\n".join(lines) + "\n")
    assert time.perf_counter() - started < 5  # 9**10 strings would never finish
    assert problems[0] == "j.md:2:5: anchors are not allowed (&a0): write each value out in full"
    assert "j.md:3:10: aliases are not allowed (*a0): write the value out in full" in problems
    assert problems[-1] == "j.md:12:8: aliases are not allowed (*a9): write the value out in full"


def test_python_tags_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\n"
    _, problems = journey_from(tmp_path, text)
    assert problems == ["j.md:2:8: tags are not allowed (!!python/object/apply:os.system): "
                        "write plain values"]
    assert not marker.exists()


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "j.md"
    path.write_bytes(b"\xef\xbb\xbf" + JOURNEY.encode())
    document, problems = read_document(path, "j.md")
    assert problems == [] and document is not None and document.data["title"]


def test_non_utf8_byte_is_located(tmp_path: Path) -> None:
    path = tmp_path / "j.md"
    path.write_bytes(b"---\ntitle: Caf\xe9\n---\n")
    _, problems = read_document(path, "j.md")
    assert [str(p) for p in problems] == ["j.md:2:11: file is not UTF-8 text (byte 0xe9); save "
                                          "it as UTF-8"]


def test_default_ids_are_slugs_of_the_text_numbered_on_repeats(tmp_path: Path) -> None:
    text = """\
---
title: T
persona: eva
stages:
  - name: S
    touchpoints:
      - {action: "Calls the desk", channel: phone, emotion: 0}
      - {action: "Calls the desk", channel: phone, emotion: 0}
      - {id: calls-the-desk-3, action: "Other", channel: phone, emotion: 0}
      - {action: "Calls the desk", channel: phone, emotion: 0}
      - {action: "Válaszol az ügyfélnek", channel: e-mail, emotion: 0}
      - {action: "מחכה לתשובה", channel: e-mail, emotion: 0}
opportunities:
  - {title: "Status updates!", touchpoints: [calls-the-desk]}
---
"""
    journey, problems = journey_from(tmp_path, text)
    assert problems == []
    assert journey is not None
    assert [t.id for t in journey.touchpoints] == [
        "calls-the-desk", "calls-the-desk-2", "calls-the-desk-3", "calls-the-desk-4",
        "valaszol-az-ugyfelnek", "touchpoint-6"]
    assert journey.opportunities[0].id == "status-updates"
    assert journey.opportunities[0].priority == "could"
    assert journey.opportunities[0].status == "idea"


def test_catalog_reports_problems_across_files_and_sorted(content: Path) -> None:
    write(content / "journeys" / "second.md", JOURNEY.replace("persona: eva", "persona: evaa")
          .replace("touchpoints: [handoff]", "touchpoints: [hand-off]"))
    catalog, problems = load_catalog(content)
    assert [p.message for p in problems] == [
        "unknown persona 'evaa' (did you mean 'eva'?)",
        "unknown touchpoint 'hand-off' in this journey (did you mean 'handoff'?)",
    ]
    assert {p.path for p in problems} == {os.path.relpath(content / "journeys" / "second.md")}
    # Valid on its own, so it is in the catalog; its problems still stop the build.
    assert sorted(catalog.journeys) == ["new-laptop", "second"]


def test_a_persona_with_problems_is_not_reported_again_as_unknown(content: Path) -> None:
    write(content / "personas" / "eva.md", "---\nname: Eva\n---\n")
    _, problems = load_catalog(content)
    assert [p.message for p in problems] == ["missing required key 'role'"]


def _tree(node: Any) -> Any:
    """A composed node as comparable data: kind, value, quoted or not, and where it starts."""
    where = (node.start_mark.line, node.start_mark.column)
    if isinstance(node.value, str):
        return ("scalar", node.value, bool(node.style), where)
    items = [tuple(_tree(part) for part in item) if isinstance(item, tuple) else _tree(item)
             for item in node.value]
    return (type(node).__name__, items, where)


def _yaml_texts() -> list[Path]:
    root = Path(__file__).parent
    return sorted([*(root.parent / "content").rglob("*.md"), *(root.parent / "content").rglob(
        "*.yml"), *(root / "broken" / "cases").rglob("*.md"), *(root / "broken" / "cases").rglob(
        "*.yml")])


@pytest.mark.parametrize("path", _yaml_texts(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_libyaml_path_reads_a_file_as_pyyaml_does_or_hands_it_over(path: Path) -> None:
    # PyYAML's wheels for Linux, macOS and Windows ship libyaml; the plugin still works without
    # it (every file takes the pure-Python path), but then this comparison has nothing to compare.
    assert yaml_reader.CParser is not None, "PyYAML was built without libyaml"
    text = path.read_text(encoding="utf-8", errors="replace")
    if not text.strip():
        return  # refused before any YAML is read
    if path.suffix == ".md":
        split = loading.split_front_matter(text, str(path))
        if isinstance(split, Problem):
            return
        text = split[0]
    fast: list[tuple[int, int, str]] = []
    try:
        fast_node = yaml_reader._FastComposer(text, 0, fast).get_single_node()
    except yaml.YAMLError:
        return  # handed over to PyYAML's parser, as every file with a problem is
    if fast or "\t" in text:
        return
    strict: list[tuple[int, int, str]] = []
    strict_node = yaml_reader._StrictComposer(text, 0, strict).get_single_node()
    assert strict == []
    assert (fast_node is None) == (strict_node is None)
    if fast_node is not None:
        assert _tree(fast_node) == _tree(strict_node)
