"""The `journeys` command as a user runs it: exit codes, messages, schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from .conftest import JOURNEY, ROOT, read_document, run, write


def journeys(*args: str, cwd: Path) -> tuple[int, str, str]:
    result = run(["mkdocs_journey_plugin.cli", *args], cwd)
    assert "Traceback" not in result.stderr + result.stdout
    return result.returncode, result.stdout, result.stderr


def test_validate_example_content_is_clean() -> None:
    code, out, err = journeys("validate", cwd=ROOT)
    assert (code, err) == (0, "")
    assert "no problems" in out


def test_validate_one_file_reports_that_file_only(content: Path) -> None:
    write(content / "journeys" / "broken.md", JOURNEY.replace("channel: walk-in", "chanel: x"))
    write(content / "journeys" / "other.md", JOURNEY.replace("persona: eva", "persona: nobody"))
    code, _, err = journeys("validate", "content/journeys/broken.md", cwd=content.parent)
    assert code == 1
    assert err.splitlines() == [
        "content/journeys/broken.md:18:9: missing required key 'channel'",
        "content/journeys/broken.md:20:9: unknown key 'chanel' (did you mean 'channel'?)",
    ]
    code, _, err = journeys("validate", cwd=content.parent)
    assert code == 1 and len(err.splitlines()) == 3


def test_validate_reads_the_emotion_scale_from_mkdocs_yml(content: Path) -> None:
    site = content.parent
    write(site / "mkdocs.yml", "site_name: x\ndocs_dir: content\nplugins:\n  - search\n"
          "  - journeys:\n      emotion_scale: [1, 5]\nmarkdown_extensions:\n"
          "  - pymdownx.emoji:\n"
          "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n")
    code, _, err = journeys("validate", cwd=site)
    assert code == 1
    expected = ("content/journeys/new-laptop.md:12:18: 'emotion' must be between 1 and 5, the "
                "emotion scale, not -1")
    assert expected in err.splitlines()


def test_bad_plugin_option_is_a_message_not_a_traceback(content: Path) -> None:
    write(content.parent / "mkdocs.yml", "site_name: x\ndocs_dir: content\nplugins:\n"
          "  - journeys:\n      emotion_scale: [5, 1]\n")
    code, _, err = journeys("validate", cwd=content.parent)
    assert code == 1
    assert "'emotion_scale' must be two numbers, lowest first" in err


def test_missing_path_and_stray_file(tmp_path: Path) -> None:
    write(tmp_path / "notes.md", "hello\n")
    code, _, err = journeys("validate", "nothing", "notes.md", cwd=tmp_path)
    assert code == 1
    assert err.splitlines() == [  # sorted by path, as every problem list is
        "notes.md:1:1: not content: journeys go in 'journeys/' and personas in 'personas/' of "
        "a content folder",
        "nothing:1:1: no such file or folder",
    ]
    code, _, err = journeys("validate", ".", cwd=tmp_path)
    assert code == 1 and err.startswith(".:1:1: not content")


def test_validate_a_content_subfolder(content: Path) -> None:
    write(content / "personas" / "bad.md", "---\nname: X\n---\n")
    code, _, err = journeys("validate", "content/journeys", cwd=content.parent)
    assert (code, err) == (0, "")
    code, _, err = journeys("validate", "content/personas", cwd=content.parent)
    assert code == 1
    assert err.splitlines() == ["content/personas/bad.md:2:1: missing required key 'role'"]


def test_schema_validates_the_example_content() -> None:
    code, out, _ = journeys("schema", cwd=ROOT)
    assert code == 0
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted((ROOT / "content").glob("journeys/*")) + sorted(
        (ROOT / "content").glob("personas/*")) + [ROOT / "content" / "roadmap.yml",
                                                  ROOT / "content" / "metrics.yml"]
    for path in files:
        document, problems = read_document(path, str(path))
        assert document is not None, problems
        data = json.loads(json.dumps(document.data, default=str))
        assert list(validator.iter_errors(data)) == [], path


def test_schema_rejects_what_the_loader_rejects() -> None:
    _, out, _ = journeys("schema", "--kind", "journey", cwd=ROOT)
    validator = jsonschema.Draft202012Validator(json.loads(out))
    good = yaml.safe_load(JOURNEY.split("---")[1])
    assert validator.is_valid(good)
    bad_key = {**good, "titel": "x"}
    assert not validator.is_valid(bad_key)
    out_of_range = json.loads(json.dumps(good))
    out_of_range["stages"][0]["touchpoints"][0]["emotion"] = 3
    assert not validator.is_valid(out_of_range)
    bad_priority = json.loads(json.dumps(good))
    bad_priority["opportunities"][0]["priority"] = "high"
    assert not validator.is_valid(bad_priority)


def test_figures_of_a_file_with_problems_fails(content: Path) -> None:
    write(content / "journeys" / "new-laptop.md", JOURNEY.replace("emotion: 1\n", "emotion: 9\n"))
    code, out, err = journeys("figures", "content/journeys/new-laptop.md", cwd=content.parent)
    assert code == 1 and out == ""
    assert err.startswith("content/journeys/new-laptop.md:22:18: 'emotion' must be between")


def test_figures_plain_text(content: Path) -> None:
    code, out, _ = journeys("figures", "content/journeys/new-laptop.md", cwd=content.parent)
    assert code == 0
    assert "channel_switches: 1" in out.splitlines()
    assert "lowest: Looks for the order form (-1)" in out.splitlines()


def test_render_refuses_a_suffix_it_does_not_write(content: Path) -> None:
    for name in ("map.jpg", "map", "map.svg.txt", "map.png.gz"):
        code, out, err = journeys("render", "content/journeys/new-laptop.md", "-o", name,
                                  cwd=content.parent)
        assert (code, out) == (2, "")
        assert err == (f"journeys render: cannot write '{name}': the suffix decides the "
                       "format, one of .svg, .png, .pdf\n")
        assert not (content.parent / name).exists()
    code, _, err = journeys("render", "content/journeys/new-laptop.md", "-o", "MAP.SVG",
                            cwd=content.parent)
    assert code == 0, err
    assert "<svg" in (content.parent / "MAP.SVG").read_text()
