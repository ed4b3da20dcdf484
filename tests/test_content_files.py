"""Which files are content, as `journeys validate` and `mkdocs build` both see them.

Each case is a content folder a careless author could leave; validate and build must name the
same problems at the same places, and a build with a problem writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import JOURNEY, make_site, run, write

PROBLEM = re.compile(r"^(?:ERROR\s+-\s+)?(content/\S+:\d+:\d+: .*)$", re.M)


def validate(site: Path) -> tuple[int, list[str]]:
    result = run(["mkdocs_journey_plugin.cli", "validate"], site)
    assert "Traceback" not in result.stdout + result.stderr
    return result.returncode, PROBLEM.findall(result.stderr)


def build(site: Path) -> tuple[int, list[str]]:
    result = run(["mkdocs", "build", "--strict"], site)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result.returncode, PROBLEM.findall(result.stderr)


def journey(title: str = "Requesting a new laptop", **replace: str) -> str:
    text = JOURNEY.replace("Requesting a new laptop", title)
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    return text


LONG_ID = "a" * 252
LONG_NAME = "Team " + "x" * 294  # 299 characters


def _long_file_name(root: Path, outside: Path) -> None:
    write(root / "journeys" / f"{LONG_ID}.md", journey())


def _long_tag(root: Path, outside: Path) -> None:
    write(root / "journeys" / "tagged.md",
          journey(**{"teams: [Service desk, Hardware]":
                     f"teams: [Service desk, Hardware]\ntags: [{LONG_NAME}]"}))


def _long_team(root: Path, outside: Path) -> None:
    write(root / "journeys" / "teamed.md", journey(**{
        "teams: [Service desk, Hardware]": f"teams: [Service desk, Hardware, {LONG_NAME}]",
        "    priority: must": f"    priority: must\n    team: {LONG_NAME}"}))


def _long_touchpoint_id(root: Path, outside: Path) -> None:
    write(root / "journeys" / "long-id.md", journey(**{"id: search-kb": f"id: {LONG_ID}"}))


def _dangling_link(root: Path, outside: Path) -> None:
    (root / "journeys" / "gone.md").symlink_to(outside / "missing.md")


def _link_to_a_file_outside(root: Path, outside: Path) -> None:
    write(outside / "elsewhere.md", journey("Elsewhere"))
    (root / "journeys" / "elsewhere.md").symlink_to(outside / "elsewhere.md")


def _link_to_a_folder_outside(root: Path, outside: Path) -> None:
    write(outside / "more" / "more.md", journey("More"))
    (root / "journeys" / "more").symlink_to(outside / "more")


def _other_markdown_suffix(root: Path, outside: Path) -> None:
    write(root / "journeys" / "draft.markdown", journey("Draft"))


def _broken_upper_case_suffix(root: Path, outside: Path) -> None:
    write(root / "journeys" / "shout.MD", journey("Shout", **{"channel: walk-in": "chanel: x"}))


def _broken_file_in_a_subfolder(root: Path, outside: Path) -> None:
    write(root / "journeys" / "archive" / "old.md",
          journey("Old", **{"persona: eva": "persona: nobody"}))


def _same_id_in_two_folders(root: Path, outside: Path) -> None:
    write(root / "journeys" / "archive" / "new-laptop.md", journey("Old laptop"))


CASES: dict[str, tuple[Callable[[Path, Path], None], list[str]]] = {
    "file name of 252 characters": (_long_file_name, [
        f"content/journeys/{LONG_ID}.md:1:1: the file name is 252 characters long; ids are at "
        "most 100, since they become web addresses"]),
    "tag of 299 characters": (_long_tag, [
        "content/journeys/tagged.md:5:8: an item of 'tags' is 299 characters long; tags and "
        "team names are at most 100, since each has a page of its own"]),
    "team of 299 characters": (_long_team, [
        "content/journeys/teamed.md:4:33: an item of 'teams' is 299 characters long; tags and "
        "team names are at most 100, since each has a page of its own",
        "content/journeys/teamed.md:28:11: 'team' is 299 characters long; tags and team names "
        "are at most 100, since each has a page of its own"]),
    "touchpoint id of 252 characters": (_long_touchpoint_id, [
        "content/journeys/long-id.md:8:13: 'id' is 252 characters long; ids are at most 100, "
        "since they become web addresses"]),
    "link to nowhere": (_dangling_link, ["content/journeys/gone.md:1:1: a link to a file that "
                                         "does not exist ({outside}/missing.md)"]),
    "link to a file outside": (_link_to_a_file_outside, [
        "content/journeys/elsewhere.md:1:1: a link to a file outside the content folder "
        "({outside}/elsewhere.md): copy the file in"]),
    "link to a folder outside": (_link_to_a_folder_outside, [
        "content/journeys/more:1:1: a link to a folder outside the content folder "
        "({outside}/more): copy its files in instead"]),
    ".markdown file": (_other_markdown_suffix, [
        "content/journeys/draft.markdown:1:1: journey and persona files end in .md, .yml, "
        ".yaml: rename it"]),
    ".MD file": (_broken_upper_case_suffix, [
        "content/journeys/shout.MD:18:9: missing required key 'channel'",
        "content/journeys/shout.MD:20:9: unknown key 'chanel' (did you mean 'channel'?)"]),
    "file in a subfolder": (_broken_file_in_a_subfolder, [
        "content/journeys/archive/old.md:3:10: unknown persona 'nobody'"]),
    "one id in two folders": (_same_id_in_two_folders, [
        "content/journeys/new-laptop.md:2:1: journey 'new-laptop' is defined twice: also in "
        "journeys/archive/new-laptop.md"]),
}


@pytest.mark.parametrize("case", CASES)
def test_validate_and_build_name_the_same_problems(content: Path, tmp_path: Path,
                                                   case: str) -> None:
    make, expected = CASES[case]
    outside = tmp_path / "outside"
    outside.mkdir()
    make(content, outside)
    site = make_site(content.parent)
    wanted = [line.format(outside=outside) for line in expected]
    assert validate(site) == (1, wanted)
    assert build(site) == (1, wanted)
    assert not (site / "site" / "index.html").exists(), "nothing is written"


def test_upper_case_suffixes_and_subfolders_are_journeys(content: Path) -> None:
    write(content / "journeys" / "loud.MD", journey("Loud"))
    write(content / "journeys" / "plain.YML", _as_yml(journey("Plain yml")))
    write(content / "journeys" / "archive" / "2025" / "old.Yaml", _as_yml(journey("Old")))
    write(content / "personas" / "team" / "ben.md", "---\nname: Ben\nrole: Engineer\n---\n")
    site = make_site(content.parent)
    assert validate(site) == (0, [])
    assert build(site) == (0, [])
    for page, title in [("journeys/loud", "Loud"), ("journeys/plain", "Plain yml"),
                        ("journeys/old", "Old"), ("personas/ben", "Ben")]:
        html = (site / "site" / page / "index.html").read_text(encoding="utf-8")
        assert "<h1" in html and title in html
        assert 'class="journey-map"' in html or page.startswith("personas")
    # The sources are not published raw beside the journey pages.
    assert not (site / "site" / "journeys" / "archive").exists()
    assert not (site / "site" / "journeys" / "loud.MD").exists()


def _as_yml(markdown_journey: str) -> str:
    front, _, body = markdown_journey.removeprefix("---\n").partition("---\n")
    return front + "notes: |\n" + "".join(f"  {line}\n" for line in body.splitlines() if line)


def test_configuration_files_of_other_plugins_are_not_content(content: Path) -> None:
    # Material's meta plugin and awesome-nav read these; MkDocs leaves out names with a dot.
    write(content / "journeys" / ".meta.yml", "tags: [journeys]\n")
    write(content / "journeys" / ".nav.yml", "nav:\n  - new-laptop.md\n")
    write(content / "personas" / ".drafts" / "ghost.md", "not front matter\n")
    site = make_site(content.parent)
    assert validate(site) == (0, [])
    assert build(site) == (0, [])
    assert (site / "site" / "journeys" / "new-laptop" / "index.html").is_file()


def test_a_link_inside_the_content_folder_is_read(content: Path) -> None:
    write(content / "shared" / "loaned.md", journey("Loaned laptop"))
    (content / "journeys" / "loaned.md").symlink_to(content / "shared" / "loaned.md")
    site = make_site(content.parent)
    assert validate(site) == (0, [])
    assert build(site) == (0, [])
    assert "Loaned laptop" in (site / "site" / "journeys" / "loaned" / "index.html").read_text(
        encoding="utf-8")


def test_a_file_in_a_subfolder_validates_by_its_own_path(content: Path) -> None:
    write(content / "journeys" / "archive" / "old.md",
          journey("Old", **{"persona: eva": "persona: nobody"}))
    result = run(["mkdocs_journey_plugin.cli", "validate", "content/journeys/archive/old.md"],
                 content.parent)
    assert (result.returncode, result.stderr.splitlines()) == (
        1, ["content/journeys/archive/old.md:3:10: unknown persona 'nobody'"])
    result = run(["mkdocs_journey_plugin.cli", "figures", "content/journeys/new-laptop.md"],
                 content.parent)
    assert result.returncode == 0 and "touchpoints: 3" in result.stdout
