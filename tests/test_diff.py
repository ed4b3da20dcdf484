"""`journeys diff` on real git repositories in temporary folders: golden Markdown and JSON of a
change with every kind of edit, the working tree, broken files, renames and the size limit.

After an intended change of the report, run `UPDATE_GOLDEN=1 .venv/bin/python -m pytest
tests/test_diff.py` and commit the changed tests/golden/diff.* with it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mkdocs_journey_plugin.catalog import load_catalog
from mkdocs_journey_plugin.diff import CatalogDiff, FileDiff, JourneyDiff, compare
from mkdocs_journey_plugin.diff_report import (
    COMMENT_LIMIT,
    MARKER,
    inline,
    markdown_report,
    problems_report,
)
from mkdocs_journey_plugin.problems import Problem

from .conftest import ROOT, write
from .test_render_golden import check_golden

EXAMPLE = ROOT / "content"
MKDOCS_YML = "site_name: Test\ndocs_dir: content\nplugins:\n  - journeys\n"
HOSTILE = "<script>alert(1)</script> | `code` @here #1 <details> $x$ *bold* [a](b)\nnext"

SMALL = """\
---
title: {title}
persona: eva
teams: [Service desk]
stages:
  - name: Ask
    touchpoints:
      - id: ask
        action: Asks the service desk
        channel: phone
        team: Service desk
        emotion: {emotion}
---
"""


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                            env=env, check=True)
    return result.stdout


def commit(repo: Path, message: str, tag: str | None = None) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    if tag:
        git(repo, "tag", tag)


def journeys(repo: Path, *args: str) -> tuple[int, str, str]:
    result = subprocess.run([sys.executable, "-m", "mkdocs_journey_plugin.cli", "diff", *args],
                            cwd=repo, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr + result.stdout
    return result.returncode, result.stdout, result.stderr


def edit(path: Path, *replacements: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A site in git: three example journeys, their personas and the roadmap, tagged `base`."""
    site = tmp_path / "site"
    content = site / "content"
    for name in ("password-reset", "report-outage", "incident-many-channels"):
        shutil.copy(EXAMPLE / "journeys" / f"{name}.md", write(
            content / "journeys" / f"{name}.md", ""))
    for name in ("eva", "kasia", "daan"):
        shutil.copy(EXAMPLE / "personas" / f"{name}.md", write(
            content / "personas" / f"{name}.md", ""))
    shutil.copy(EXAMPLE / "roadmap.yml", content / "roadmap.yml")
    shutil.copy(EXAMPLE / "metrics.yml", content / "metrics.yml")
    shutil.copytree(EXAMPLE / "data", content / "data")
    write(site / "mkdocs.yml", MKDOCS_YML)
    git(site, "init", "-q", "-b", "main")
    commit(site, "base", tag="base")
    return site


def every_kind_of_edit(site: Path) -> None:
    """Journeys changed, added, removed and renamed; touchpoints and opportunities added,
    removed and changed; a persona changed and one added; the roadmap changed."""
    journeys_dir = site / "content" / "journeys"
    edit(journeys_dir / "password-reset.md",
         ("title: Resetting an expired password", "title: Resetting a forgotten password"),
         ("        emotion: -1.5\n", "        emotion: -0.5\n"),
         ("        channel: phone\n        team: Service desk\n        emotion: 0.5",
          "        channel: chat\n        team: Service desk\n        emotion: 0.5"),
         ("""      - id: temporary-password
        action: Identity and access issues a temporary password that forces enrolment
        channel: identity management
        team: Identity and access
        backstage: true
        duration: 5 minutes
""", ""),
         ("""        duration: 5 minutes
      - id: phone-mail-sync""", f"""        duration: 5 minutes
      - id: confirmation
        action: "Gets a confirmation: {HOSTILE.replace(chr(10), ' ')}"
        channel: e-mail
        team: Identity and access
        emotion: 0.5
      - id: phone-mail-sync"""),
         ("    priority: should\n    team: Identity and access\n    status: done",
          "    priority: must\n    team: Identity and access\n    status: doing"),
         ("    team: Service desk\n    status: doing\n    milestone: 2027-q1",
          "    team: Identity and access\n    status: doing\n    milestone: 2027-q2"),
         ("  - id: no-forced-expiry", "  - id: reset-by-chat\n"
          "    title: Reset passwords in the chat\n    touchpoints: [call-desk]\n"
          "    priority: should\n  - id: no-forced-expiry-gone"),
         ("## Interview notes", "## Interview notes\n\n- Added after a second interview."))
    text = (journeys_dir / "password-reset.md").read_text(encoding="utf-8")
    start = text.index("  - id: no-forced-expiry-gone")
    end = text.index("---\n", start)
    (journeys_dir / "password-reset.md").write_text(text[:start] + text[end:], encoding="utf-8")
    edit(journeys_dir / "password-reset.md", ("          fcr: 64\n", "          fcr: 71\n"))
    git(site, "mv", "content/journeys/report-outage.md", "content/journeys/outage-report.md")
    edit(journeys_dir / "outage-report.md", ("        emotion: -1.5\n", "        emotion: -1\n"))
    data = site / "content" / "data" / "service-desk-2026.csv"
    data.write_text(data.read_text(encoding="utf-8").replace("report-outage", "outage-report")
                    + "2026-12-01,password-reset,,new-password,csat,81\n", encoding="utf-8")
    git(site, "rm", "-q", "content/journeys/incident-many-channels.md")
    write(journeys_dir / "ask-desk.md", SMALL.format(title=json.dumps(HOSTILE), emotion=1))
    edit(site / "content" / "personas" / "eva.md",
         ('quote: "Just tell me when it arrives."', 'quote: "Just tell me when."'))
    write(site / "content" / "personas" / "mia.yml", "name: Mia\nrole: Intern\n")
    edit(site / "content" / "roadmap.yml", ("title: Closing the loop", "title: Closed loops"))
    with (site / "content" / "roadmap.yml").open("a", encoding="utf-8") as roadmap:
        roadmap.write("  - id: 2027-q4\n    title: Looking back\n    date: 2027-12-31\n")


def test_every_kind_of_edit_matches_golden_markdown_and_json(repo: Path) -> None:
    every_kind_of_edit(repo)
    commit(repo, "head", tag="head")
    code, markdown, err = journeys(repo, "base", "head")
    assert (code, err) == (0, "")
    check_golden("diff.md", markdown)
    code, text, err = journeys(repo, "base", "head", "--format", "json")
    assert (code, err) == (0, "")
    check_golden("diff.json", text)
    data = json.loads(text)
    changes = {j["id"]: j["change"] for j in data["journeys"]}
    assert changes == {"ask-desk": "added", "incident-many-channels": "removed",
                       "outage-report": "renamed", "password-reset": "changed"}
    reset = next(j for j in data["journeys"] if j["id"] == "password-reset")
    assert reset["figures"]["lowest"][0]["id"] == "no-phone-enrolled"
    assert {t["id"]: t["change"] for t in reset["touchpoints"]} == {
        "temporary-password": "removed", "no-phone-enrolled": "changed",
        "call-desk": "changed", "confirmation": "added", "verify-identity": "changed"}
    # A value in the journey file and one from a data file: both measures, each with its
    # target met now where it was missed.
    assert [(m["where"], m["metric"], m["before"], m["after"], m["met_before"], m["met_after"])
            for m in reset["measures"]] == [
        ("touchpoint", "First-contact resolution", 64, 71, False, True),
        ("touchpoint", "Customer satisfaction", 69, 81, False, True)]
    assert (reset["figures"]["targets_met"], reset["figures"]["targets_missed"]) == ([4, 6],
                                                                                   [3, 1])
    opportunities = {o["id"]: o for o in reset["opportunities"]}
    assert opportunities["no-forced-expiry"]["change"] == "removed"
    assert opportunities["reset-by-chat"]["change"] == "added"
    assert {f["field"]: [f["before"], f["after"]] for f in
            opportunities["explain-sync"]["fields"]} == {
        "team": ["Service desk", "Identity and access"], "milestone": ["2027-q1", "2027-q2"]}
    assert {f["field"] for f in opportunities["public-reset-page"]["fields"]} == {
        "priority", "status"}
    assert {p["id"]: p["change"] for p in data["personas"]} == {"eva": "changed",
                                                                "mia": "added"}
    assert {m["id"]: m["change"] for m in data["roadmap"]["milestones"]} == {
        "2027-q3": "changed", "2027-q4": "added"}
    # Author text cannot break out of the comment.
    assert "<script>" not in markdown and "<details> $" not in markdown
    assert "@here" not in markdown and "`code`" not in markdown
    assert markdown.count("<details>") == markdown.count("</details>") == 7


def test_working_tree_against_head(repo: Path) -> None:
    code, out, err = journeys(repo, "HEAD")
    assert (code, err) == (0, "")
    assert "No journey, persona or roadmap changed." in out
    edit(repo / "content" / "journeys" / "password-reset.md",
         ("        emotion: -1.5\n", "        emotion: 1\n"))  # not staged
    write(repo / "content" / "journeys" / "ask-desk.md",  # not even added to git
          SMALL.format(title="Asking", emotion=1))
    code, out, err = journeys(repo, "HEAD", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["head"] is None
    assert {j["id"]: j["change"] for j in data["journeys"]} == {
        "ask-desk": "added", "password-reset": "changed"}
    reset = next(j for j in data["journeys"] if j["id"] == "password-reset")
    assert reset["figures"]["highest"][1]["id"] == "no-phone-enrolled"
    code, out, err = journeys(repo, "base")
    assert code == 0 and "the working tree" in out.splitlines()[1]


def test_a_broken_file_on_either_side_is_reported_with_its_side(repo: Path) -> None:
    path = repo / "content" / "journeys" / "password-reset.md"
    edit(path, ("        channel: self-service\n", "        chanel: self-service\n"))
    unknown = "content/journeys/password-reset.md:18:9: unknown key 'chanel' " \
        "(did you mean 'channel'?)"
    code, out, err = journeys(repo, "HEAD")
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == "journeys diff: the working tree has problems:"
    assert unknown in lines
    # The Markdown, for a pull request's comment, says why there is no comparison.
    assert out.splitlines()[:5] == [
        MARKER, "## Journey changes: `HEAD` → the working tree", "",
        "Not compared: the working tree has problems. Fix them and push again; "
        "`journeys validate` lists them too.", ""]
    assert f"\n{unknown}\n```\n" in out
    assert journeys(repo, "HEAD", "--format", "json")[:2] == (1, "")
    commit(repo, "broken", tag="broken")
    code, out, err = journeys(repo, "broken", "base")
    assert code == 1
    assert err.splitlines()[0] == "journeys diff: BASE broken has problems:"
    missing = "content/journeys/password-reset.md:16:9: missing required key 'channel'"
    assert missing in err
    assert "HEAD" not in err  # the other side is clean
    assert "Not compared: BASE `broken` has problems." in out and "HEAD" not in out
    code, out, err = journeys(repo, "base", "broken")
    assert code == 1 and err.splitlines()[0] == "journeys diff: HEAD broken has problems:"
    assert "Not compared: HEAD `broken` has problems." in out and missing in out


def test_a_problems_comment_fits_and_says_how_many_it_left_out() -> None:
    many = [Problem(f"content/journeys/j{i}.md", i, 1, "@here <b>x</b> " * 20)
            for i in range(1, 3001)]
    text = problems_report("main", "feature", [("BASE", many[:1]), ("HEAD", many[1:])])
    assert len(text) <= COMMENT_LIMIT
    shown = [line for line in text.splitlines() if line.startswith("content/")]
    assert 100 < len(shown) < 3000 and shown == [str(p) for p in many[:len(shown)]]
    assert text.endswith(f"… and {3000 - len(shown)} more.\n")
    assert "Not compared: BASE `main` and HEAD `feature` have problems." in text
    assert text.count("```text") == 2  # one block each side
    short = problems_report("main", None, [("BASE", []), ("HEAD", many[:2])])
    assert "more" not in short and "Not compared: the working tree has problems." in short


def test_a_renamed_file_is_one_entry(repo: Path) -> None:
    git(repo, "mv", "content/journeys/report-outage.md", "content/journeys/outage-report.md")
    code, out, err = journeys(repo, "base")
    # The data file still names the journey by its old id: the row that does is the problem.
    assert code == 1 and "content/data/service-desk-2026.csv:22:12: unknown journey " \
        "'report-outage' (and in 19 more rows)" in err.splitlines()
    data = repo / "content" / "data" / "service-desk-2026.csv"
    data.write_text(data.read_text(encoding="utf-8").replace("report-outage", "outage-report"),
                    encoding="utf-8")
    commit(repo, "rename")
    code, out, err = journeys(repo, "base", "HEAD", "--format", "json")
    assert (code, err) == (0, "")
    (entry,) = json.loads(out)["journeys"]
    assert (entry["change"], entry["id"], entry["old_id"]) == (
        "renamed", "outage-report", "report-outage")
    assert (entry["old_path"], entry["path"]) == ("journeys/report-outage.md",
                                                  "journeys/outage-report.md")
    assert entry["touchpoints"] == entry["opportunities"] == entry["fields"] == []


def test_200_added_journeys_fit_a_comment_and_say_what_was_left_out(repo: Path) -> None:
    for number in range(200):
        write(repo / "content" / "journeys" / f"journey-{number:03}.md",
              SMALL.format(title=f"Journey number {number}", emotion=number % 3 - 1))
    code, markdown, err = journeys(repo, "HEAD")
    assert (code, err) == (0, "")
    assert len(markdown) <= COMMENT_LIMIT
    last = markdown.rstrip("\n").splitlines()[-1]
    assert last.startswith("Left out to fit a pull-request comment (65,536 characters): ")
    assert last.endswith("`journeys diff --format json` has all of it.")
    kept = markdown.count("<details>")
    assert 0 < kept < 200 and f"the details of {200 - kept} of 200 journeys." in last
    assert markdown.count("| ✚ added |") == 200  # the summary is whole
    code, text, _ = journeys(repo, "HEAD", "--format", "json")
    assert len(json.loads(text)["journeys"]) == 200


def test_charts_draw_both_curves_of_each_changed_journey(repo: Path) -> None:
    edit(repo / "content" / "journeys" / "password-reset.md",
         ("        emotion: -1.5\n", "        emotion: 1\n"))
    write(repo / "content" / "journeys" / "ask-desk.md", SMALL.format(title="A", emotion=1))
    code, _, err = journeys(repo, "HEAD", "--charts", "charts")
    assert code == 0, err
    assert sorted(p.name for p in (repo / "charts").iterdir()) == ["password-reset.svg"]
    svg = (repo / "charts" / "password-reset.svg").read_text(encoding="utf-8")
    assert 'role="img"' in svg and "the working tree" in svg and "HEAD" in svg


def test_usage_errors_exit_2(repo: Path, tmp_path: Path) -> None:
    code, out, err = journeys(repo, "no-such-revision")
    assert (code, out) == (2, "")
    assert err == "journeys diff: not a revision of this repository: 'no-such-revision'\n"
    assert journeys(repo, "HEAD", "--format", "xml")[0] == 2
    assert journeys(repo)[0] == 2
    outside = tmp_path / "outside"
    write(outside / "mkdocs.yml", MKDOCS_YML)
    env_ceiling = {**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "mkdocs_journey_plugin.cli", "diff", "HEAD"],
                            cwd=outside, capture_output=True, text=True, env=env_ceiling)
    assert result.returncode == 2 and result.stderr.startswith("journeys diff: ")
    assert "Traceback" not in result.stderr


def test_a_base_without_the_content_folder_has_everything_added(repo: Path) -> None:
    code, out, err = journeys(repo, "base", "--format", "json")
    assert code == 0
    git(repo, "checkout", "-q", "--orphan", "empty")
    git(repo, "rm", "-rq", "--cached", ".")
    git(repo, "commit", "-q", "--allow-empty", "-m", "nothing")
    code, out, err = journeys(repo, "empty", "--format", "json")
    assert (code, err) == (0, "")
    assert {j["change"] for j in json.loads(out)["journeys"]} == {"added"}


# --- the report, without git -------------------------------------------------------------------


def test_inline_makes_hostile_text_inert() -> None:
    shown = inline(HOSTILE)
    for dangerous in ("<", ">", "|", "`", "@", "#", "$", "*", "[", "]", "\n"):
        assert dangerous not in re.sub(r"&#[0-9]+;", "", shown)
    assert shown.startswith("&#60;script&#62;alert(1)&#60;/script&#62; &#124; &#96;code&#96;")
    assert shown.endswith(" next")
    assert inline("x" * 200, 10) == "x" * 9 + "…"


def _added(number: int) -> JourneyDiff:
    return JourneyDiff(id=f"journey-{number}", old_id=None, change="added",
                       title=HOSTILE, path=f"journeys/journey-{number}.md", old_path=None,
                       figures={"touchpoints": (None, 3)})


def test_a_summary_too_long_for_the_limit_loses_rows_and_says_so() -> None:
    diff = CatalogDiff([_added(n) for n in range(50)],
                       [FileDiff("eva", "eva", "changed", "Eva", "personas/eva.md",
                                 "personas/eva.md")], None)
    full = markdown_report(diff, "main", None)
    assert full.count("<details>") == 51 and "left out" not in full
    short = markdown_report(diff, "main", None, limit=3000)
    assert len(short) <= 3000 and "<details>" not in short
    assert short.splitlines()[-1].startswith(
        "Left out to fit a pull-request comment (3,000 characters): ")
    assert "rows of the summary, the details of 50 of 50 journeys, the details of 1 of 1 " \
        "personas. `journeys diff --format json`" in short.splitlines()[-1]


def test_only_files_alike_are_a_rename(tmp_path: Path) -> None:
    """A removed and an added journey at least half alike are one renamed; others are not."""
    before, after = tmp_path / "before", tmp_path / "after"
    for root in (before, after):
        shutil.copy(EXAMPLE / "personas" / "eva.md", write(root / "personas" / "eva.md", ""))
    shutil.copy(EXAMPLE / "journeys" / "password-reset.md",
                write(before / "journeys" / "password-reset.md", ""))
    write(before / "journeys" / "ask.md", SMALL.format(title="Asking", emotion=1))
    shutil.copy(EXAMPLE / "journeys" / "password-reset.md",
                write(after / "journeys" / "reset.md", ""))
    shutil.copy(EXAMPLE / "journeys" / "new-laptop-ideal.md",
                write(after / "journeys" / "laptop.md", ""))
    # (references to the roadmap and to new-laptop break: compared all the same)
    (old, _), (new, _) = load_catalog(before), load_catalog(after)
    assert sorted(old.journeys) == ["ask", "password-reset"]
    assert sorted(new.journeys) == ["laptop", "reset"]
    changes = {(j.old_id, j.id, j.change) for j in compare(old, new).journeys}
    assert changes == {("password-reset", "reset", "renamed"), ("ask", "ask", "removed"),
                       (None, "laptop", "added")}
