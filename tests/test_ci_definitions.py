"""The CI definitions in ci/ and the pre-commit hook, checked as far as a machine without GitHub
and GitLab can: valid YAML, the commands the README documents, the triggers, the branch rules
and artifacts, and the shell lines themselves run with bash on real content folders.

ci/annotate.py turns `journeys validate` problems into annotations; each CI file carries a
verbatim copy of it in a heredoc, because it runs in an organisation's content repository, not in
this one. The tests check that the copies are the file, and run the CI files' own lines.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from mkdocs_journey_plugin.diff_report import MARKER

from .conftest import JOURNEY, ROOT, make_site, write

CI = ROOT / "ci"
ANNOTATE = CI / "annotate.py"
GITHUB = CI / "github" / "journeys.yml"
GITLAB = CI / "gitlab" / "journeys.gitlab-ci.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
README = ROOT / "README.md"
GUIDE = ROOT / "content" / "guide" / "publishing.md"
BIN = Path(sys.executable).parent  # journeys, mkdocs and python3 of this environment

MAIN = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
PULL_REQUEST = "github.event_name == 'pull_request'"
DEFAULT_BRANCH = "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"
TOOLS = ("journeys", "mkdocs")  # the programs whose commands the README documents
HEREDOC = re.compile(r"<<'(\w+)'\n(.*?\n)\1$", re.S | re.M)
BROKEN = JOURNEY.replace("channel: walk-in", "chanel: x")  # two problems, lines 18 and 20
VALIDATE_STEP = "Check the content (journeys validate)"  # names of steps in the GitHub workflow
BUILD_STEP = "Build the site (mkdocs build --strict)"

Result = subprocess.CompletedProcess[str]


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def github_steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = load(GITHUB)["jobs"]["site"]["steps"]
    return steps


def github_step(name: str) -> dict[str, Any]:
    return next(step for step in github_steps() if step.get("name") == name)


def github_scripts() -> list[str]:
    return [step["run"] for job in load(GITHUB)["jobs"].values()
            for step in job.get("steps", []) if "run" in step]


def gitlab_jobs(hidden: bool = False) -> dict[str, dict[str, Any]]:
    """The jobs, and with `hidden` the templates (`.name`) that jobs extend."""
    return {name: job for name, job in load(GITLAB).items() if isinstance(job, dict)
            and ("script" in job or "before_script" in job)
            and (hidden or not name.startswith("."))}


def gitlab_scripts() -> list[str]:
    return [line for job in gitlab_jobs(hidden=True).values()
            for line in job.get("before_script", []) + job.get("script", [])]


def shell_commands(scripts: list[str]) -> list[str]:
    """`journeys ...` and `mkdocs ...` commands in shell scripts: words up to a redirection."""
    commands = []
    for script in scripts:
        for line in HEREDOC.sub("", script).splitlines():
            lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
            lexer.whitespace_split = True
            try:
                tokens = [*lexer, ";"]
            except ValueError:
                continue  # a line inside a quoted text of several lines starts no command
            words: list[str] = []
            for token in tokens:
                if not set(token) <= set("();<>|&"):
                    words.append(token)
                    continue
                while words and re.fullmatch(r"\w+=.*", words[0]):
                    words.pop(0)  # VARIABLE=value before a command
                if token in "<>" and words and words[-1].isdigit():
                    words.pop()  # the 2 of 2>
                if words and words[0] in TOOLS:
                    commands.append(form(words))
                words = []
    return commands


def form(words: list[str]) -> str:
    """A command without its arguments' values: `journeys diff BASE` for `journeys diff $base`."""
    return " ".join(w for w in words if not re.fullmatch(r"\$\w+|[A-Z][A-Z.]*", w))


def documented_commands() -> set[str]:
    """The `journeys ...` and `mkdocs ...` commands of the README's code, `[optional]` parts cut."""
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M)
    prose = re.sub(r"^```[^\n]*\n.*?^```", "", text, flags=re.S | re.M)
    snippets = re.findall(r"`([^`\n]+)`", prose) + [line for block in blocks
                                                   for line in block.splitlines()]
    forms = set()
    for snippet in snippets:
        words = re.sub(r"\[[^\]]*\]", "", snippet.split(" #")[0]).split()
        if words and words[0] in TOOLS:
            forms.add(form(words))
    return forms


def heredoc(script: str) -> str:
    found = HEREDOC.search(script)
    assert found, "no heredoc with the annotation script"
    return found.group(2)


def annotate(mode: str, problems: str) -> Result:
    return subprocess.run([sys.executable, str(ANNOTATE), mode], input=problems,
                          capture_output=True, text=True, timeout=60, check=False)


def bash(script: str, cwd: Path, preamble: list[str], **env: str) -> Result:
    """Run a CI script with bash as the platform does, with this environment's programs."""
    path = cwd / ".ci-script.sh"
    path.write_text(script, encoding="utf-8")
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
                   "NO_MKDOCS_2_WARNING": "1", **env}
    try:
        return subprocess.run(["bash", *preamble, str(path)], cwd=cwd, env=environment,
                              capture_output=True, text=True, timeout=300, check=False)
    finally:
        path.unlink()


def github_run(script: str, cwd: Path, **env: str) -> Result:
    # A `run:` step without `shell:` runs as `bash -e {0}` on Linux runners.
    return bash(script, cwd, ["-e"], **env)


def gitlab_run(lines: list[str], cwd: Path, **env: str) -> Result:
    # GitLab Runner's bash shell runs a job's script lines in one shell under `set -eo pipefail`.
    return bash("set -eo pipefail\n" + "\n".join(lines) + "\n", cwd, [], **env)


def validate_problems(site: Path) -> list[tuple[str, ...]]:
    """What `journeys validate` itself reports in a site, as (path, line, column, message)."""
    result = subprocess.run([str(BIN / "journeys"), "validate"], cwd=site, capture_output=True,
                            text=True, timeout=120, check=False)
    problems = [re.fullmatch(r"(.+?):(\d+):(\d+): (.*)", line) for line in
                result.stderr.splitlines()]
    assert all(problems), result.stderr
    return [p.groups() for p in problems if p]


@pytest.fixture
def site(content: Path) -> Path:
    """A valid site: mkdocs.yml with Material, and content/ with one persona and one journey."""
    return make_site(content.parent)


@pytest.fixture
def broken_site(site: Path) -> Path:
    write(site / "content" / "journeys" / "broken.md", BROKEN)
    return site


# The files themselves


@pytest.mark.parametrize("path", [GITHUB, GITLAB, HOOKS], ids=lambda p: p.name)
def test_files_are_valid_yaml(path: Path) -> None:
    assert isinstance(load(path), dict if path != HOOKS else list)


def test_readme_documents_the_commands_that_ci_runs() -> None:
    documented = documented_commands()
    assert {"journeys validate", "mkdocs build --strict"} <= documented, documented


@pytest.mark.parametrize("scripts", [github_scripts, gitlab_scripts], ids=["github", "gitlab"])
def test_ci_calls_exactly_the_documented_commands(scripts: Any) -> None:
    commands = shell_commands(scripts())
    assert set(commands) == {"journeys validate", "mkdocs build --strict", "journeys diff"}
    assert set(commands) <= documented_commands()


@pytest.mark.parametrize("scripts", [github_scripts, gitlab_scripts], ids=["github", "gitlab"])
def test_ci_installs_this_package(scripts: Any) -> None:
    name = re.search(r'^name = "(.+)"$', (ROOT / "pyproject.toml").read_text(encoding="utf-8"),
                     re.M)
    assert name
    installs = [line for script in scripts() for line in script.splitlines()
                if line.startswith("pip install")]
    assert installs == [f"pip install {name.group(1)}"]


def test_ci_files_carry_annotate_py_verbatim() -> None:
    reference = ANNOTATE.read_text(encoding="utf-8")
    assert heredoc(github_step(VALIDATE_STEP)["run"]) == reference
    assert heredoc(gitlab_jobs()["journeys-validate"]["script"][0]) == reference


# GitHub Actions


def test_github_runs_on_every_push_and_pull_request() -> None:
    workflow = load(GITHUB)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    assert triggers["push"] is None and triggers["pull_request"] is None  # no branch filter
    assert workflow["permissions"] == {"contents": "read"}  # pages rights in deploy only


def test_github_schedule_is_one_uncomment_away() -> None:
    """The guide says: remove the `#` before the `schedule:` lines to rebuild every morning."""
    text = GITHUB.read_text(encoding="utf-8")
    uncommented = re.sub(r"^  # (schedule:|  - cron: .*)$", r"  \1", text, flags=re.M)
    assert uncommented != text
    workflow = yaml.safe_load(uncommented)
    assert workflow.get("on", workflow.get(True))["schedule"] == [{"cron": "0 5 * * *"}]
    assert "`schedule:`" in GUIDE.read_text(encoding="utf-8")


def test_github_checks_out_the_whole_history_then_validates_then_builds() -> None:
    steps = github_steps()
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert steps[0]["with"]["fetch-depth"] == 0
    runs = [step.get("run", "") for step in steps]
    validate = next(i for i, run in enumerate(runs) if "journeys validate" in run)
    build = runs.index("mkdocs build --strict")
    assert uses.index("actions/upload-artifact") > build > validate
    assert all("if" not in steps[i] for i in range(validate + 1))  # every event, up to the build
    assert "if" not in steps[build]


def test_github_uses_only_official_actions() -> None:
    for job in load(GITHUB)["jobs"].values():
        for step in job.get("steps", []):
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), step["uses"]


def test_github_keeps_the_site_of_a_pull_request() -> None:
    step = github_step("Keep the site as a preview")
    assert step["if"] == PULL_REQUEST
    assert step["uses"].startswith("actions/upload-artifact@")
    assert step["with"] == {"name": "site-preview", "path": "site/", "retention-days": 14}
    assert f"kept for {step['with']['retention-days']} days" in GUIDE.read_text(encoding="utf-8")
    link = github_step("Link the preview")
    assert link["if"] == PULL_REQUEST
    assert link["env"]["URL"] == "${{ steps.preview.outputs.artifact-url }}"


def test_github_deploys_pages_from_main_only() -> None:
    workflow = load(GITHUB)
    pages = github_step("Hand the site to GitHub Pages")
    assert pages["if"] == MAIN
    assert pages["uses"].startswith("actions/upload-pages-artifact@")
    assert pages["with"] == {"path": "site/"}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["if"] == MAIN and deploy["needs"] == "site"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert deploy["steps"][0]["id"] == "deployment"


# GitLab CI


def test_gitlab_stages_image_and_history() -> None:
    pipeline = load(GITLAB)
    assert pipeline["stages"] == ["validate", "build", "pages"]
    template = pipeline[".journeys"]
    assert template["image"] == "python:3.12-slim"
    assert template["variables"]["GIT_DEPTH"] == "0"
    assert any("install" in line and "git" in line.split() for line in template["before_script"])
    jobs = gitlab_jobs()
    assert {name: job["stage"] for name, job in jobs.items()} == {
        "journeys-validate": "validate", "journeys-diff": "validate", "journeys-build": "build",
        "pages": "pages"}
    for name in ("journeys-validate", "journeys-build"):
        assert jobs[name]["extends"] == ".journeys" and "rules" not in jobs[name]


def test_gitlab_runs_for_merge_requests_and_branches() -> None:
    rules = load(GITLAB)["workflow"]["rules"]
    assert {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'} in rules
    assert rules[-1] == {"if": "$CI_COMMIT_BRANCH"}


def test_gitlab_validate_keeps_a_code_quality_report() -> None:
    job = gitlab_jobs()["journeys-validate"]
    assert job["artifacts"] == {"when": "always",
                                "reports": {"codequality": "gl-code-quality-report.json"}}
    assert job["script"][-1] == 'exit "$status"'


def test_gitlab_build_exposes_the_site() -> None:
    job = gitlab_jobs()["journeys-build"]
    assert job["script"] == ["mkdocs build --strict"]
    artifacts = job["artifacts"]
    assert artifacts["expose_as"] == "site preview"
    assert artifacts["paths"] == ["site/"]  # expose_as needs the trailing slash on a folder
    assert artifacts["expire_in"] == "2 weeks"


def test_gitlab_pages_only_on_the_default_branch() -> None:
    job = gitlab_jobs()["pages"]
    assert job["rules"] == [{"if": DEFAULT_BRANCH}]
    assert job["needs"] == [{"job": "journeys-build", "artifacts": True}]
    assert job["artifacts"] == {"paths": ["public"]}
    assert job["script"][-1] == "mv site public"


# ci/annotate.py

SAMPLE = """\
content/journeys/broken.md:18:9: missing required key 'channel'
content/journeys/broken.md:20:9: unknown key 'chanel' (did you mean 'channel'?)

content/personas/a, b.md:3:1: 100% sure: no
journeys: 'emotion_scale' must be two numbers, lowest first, like [-2, 2], not [5, 1]
"""


def test_annotate_github() -> None:
    result = annotate("github", SAMPLE)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=content/journeys/broken.md,line=18,col=9::missing required key 'channel'",
        "::error file=content/journeys/broken.md,line=20,col=9::unknown key 'chanel' (did you "
        "mean 'channel'?)",
        "::error file=content/personas/a%2C b.md,line=3,col=1::100%25 sure: no",
        "::error file=mkdocs.yml,line=1,col=1::journeys: 'emotion_scale' must be two numbers, "
        "lowest first, like [-2, 2], not [5, 1]",
    ]
    assert result.stderr.splitlines() == [line for line in SAMPLE.splitlines() if line]


def test_annotate_gitlab() -> None:
    result = annotate("gitlab", SAMPLE)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert [(i["location"]["path"], i["location"]["lines"]["begin"], i["description"])
            for i in report] == [
        ("content/journeys/broken.md", 18, "missing required key 'channel'"),
        ("content/journeys/broken.md", 20, "unknown key 'chanel' (did you mean 'channel'?)"),
        ("content/personas/a, b.md", 3, "100% sure: no"),
        ("mkdocs.yml", 1, "journeys: 'emotion_scale' must be two numbers, lowest first, like "
                          "[-2, 2], not [5, 1]"),
    ]
    for issue in report:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["check_name"] == "journeys validate"
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
    assert len({issue["fingerprint"] for issue in report}) == len(report)
    assert json.loads(annotate("gitlab", SAMPLE).stdout) == report  # stable between runs


@pytest.mark.parametrize("mode", ["github", "gitlab"])
def test_annotate_no_problems(mode: str) -> None:
    result = annotate(mode, "\n")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == ("" if mode == "github" else "[]\n")


def test_annotate_needs_a_mode() -> None:
    result = annotate("jenkins", SAMPLE)
    assert result.returncode == 2 and result.stdout == ""
    assert "usage" in result.stderr


# The CI files' own shell lines, run with bash on real content folders


def test_github_validate_step_annotates_and_fails(broken_site: Path, tmp_path: Path) -> None:
    problems = validate_problems(broken_site)
    assert [p[:2] for p in problems] == [("content/journeys/broken.md", "18"),
                                         ("content/journeys/broken.md", "20")]
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir()
    script = github_step(VALIDATE_STEP)["run"]
    result = github_run(script, broken_site, RUNNER_TEMP=str(runner_temp))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"::error file={path},line={line},col={column}::{msg}"
                                          for path, line, column, msg in problems]
    assert result.stderr.splitlines() == [":".join(p[:3]) + ": " + p[3] for p in problems]


def test_github_steps_on_a_clean_site(site: Path, tmp_path: Path) -> None:
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir()
    validate = github_run(github_step(VALIDATE_STEP)["run"], site,
                          RUNNER_TEMP=str(runner_temp))
    assert validate.returncode == 0, validate.stderr
    assert "::" not in validate.stdout and "no problems" in validate.stdout
    build = github_run(github_step(BUILD_STEP)["run"], site)
    assert build.returncode == 0, build.stderr
    assert (site / "site" / "journeys" / "new-laptop" / "index.html").is_file()
    summary = tmp_path / "summary.md"
    url = "https://github.example/artifacts/1"
    link = github_run(github_step("Link the preview")["run"], site, URL=url,
                      GITHUB_STEP_SUMMARY=str(summary))
    assert link.returncode == 0
    assert f"[site-preview]({url})" in summary.read_text(encoding="utf-8")
    assert "python3 -m http.server -d site-preview" in summary.read_text(encoding="utf-8")


def test_gitlab_validate_job_writes_the_report_and_fails(broken_site: Path,
                                                         tmp_path: Path) -> None:
    problems = validate_problems(broken_site)
    result = gitlab_run(gitlab_jobs()["journeys-validate"]["script"], broken_site,
                        TMPDIR=str(tmp_path))
    assert result.returncode == 1
    report = json.loads((broken_site / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert [(i["location"]["path"], str(i["location"]["lines"]["begin"]), i["description"])
            for i in report] == [(path, line, message) for path, line, _, message in problems]
    assert result.stderr.splitlines() == [":".join(p[:3]) + ": " + p[3] for p in problems]


def test_gitlab_jobs_on_a_clean_site(site: Path, tmp_path: Path) -> None:
    jobs = gitlab_jobs()
    validate = gitlab_run(jobs["journeys-validate"]["script"], site, TMPDIR=str(tmp_path))
    assert validate.returncode == 0, validate.stderr
    assert json.loads((site / "gl-code-quality-report.json").read_text(encoding="utf-8")) == []
    build = gitlab_run(jobs["journeys-build"]["script"], site)
    assert build.returncode == 0, build.stderr
    pages = gitlab_run(jobs["pages"]["script"], site)
    assert pages.returncode == 0, pages.stderr
    assert (site / "public" / "journeys" / "new-laptop" / "index.html").is_file()
    assert not (site / "site").exists()


# The pre-commit hook

HOOK_FILES = {
    "content/journeys/new-laptop.md": True,
    "content/journeys/new-laptop.yml": True,
    "content/personas/eva.yaml": True,
    "content/roadmap.yml": True,
    "content/guide/index.md": False,  # an ordinary page: `journeys validate` says "not content"
    "content/journeys/photos/eva.md": False,
    "content/personas/eva.jpg": False,
    "mkdocs.yml": False,
}


def test_hook_definition() -> None:
    (hook,) = load(HOOKS)
    assert hook["id"] == "journeys-validate"
    assert hook["entry"] == "journeys validate"
    assert hook["entry"] in documented_commands()
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    assert {path: bool(re.search(hook["files"], path)) for path in HOOK_FILES} == HOOK_FILES
    override = hook["files"].replace("^content/", "^docs/")
    assert f"`files: {override}`" in GUIDE.read_text(encoding="utf-8")


def test_guide_names_the_files_it_explains() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    for path in (GITHUB, GITLAB):
        assert f"`{path.relative_to(ROOT).as_posix()}`" in guide
    assert "`font: false`" in guide


def guide_pre_commit_config(repo: Path, rev: str) -> str:
    """The guide's .pre-commit-config.yaml, pointed at a local repository and commit."""
    guide = GUIDE.read_text(encoding="utf-8")
    (snippet,) = [block for block in re.findall(r"^```yaml\n(.*?)^```", guide, re.S | re.M)
                  if "journeys-validate" in block]
    config = yaml.safe_load(snippet)
    assert [h["id"] for h in config["repos"][0]["hooks"]] == ["journeys-validate"]
    config["repos"][0].update(repo=str(repo), rev=rev)
    return yaml.safe_dump(config)


def git(*args: str, cwd: Path) -> str:
    environment = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
                   "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    return subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, check=True, timeout=60).stdout.strip()


def pre_commit(*args: str, cwd: Path, home: Path) -> Result:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd,
                          env={**os.environ, "PRE_COMMIT_HOME": str(home)},
                          capture_output=True, text=True, timeout=600, check=False)


def test_pre_commit_runs_the_hook(tmp_path: Path) -> None:
    """The guide's config against a committed copy of this repository (the working tree may hold
    uncommitted work): a broken journey fails the hook with its problem lines, clean files pass."""
    assert importlib.util.find_spec("pre_commit"), ("pre-commit is a test dependency: "
                                                  "pip install pre-commit")
    hook_repo = tmp_path / "plugin"
    hook_repo.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(ROOT / name, hook_repo / name)
    shutil.copytree(ROOT / "mkdocs_journey_plugin", hook_repo / "mkdocs_journey_plugin",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    git("init", "-q", cwd=hook_repo)
    git("add", "-A", cwd=hook_repo)
    git("commit", "-q", "-m", "plugin", cwd=hook_repo)
    rev = git("rev-parse", "HEAD", cwd=hook_repo)
    home = tmp_path / "pre-commit-home"
    assert pre_commit("validate-manifest", str(HOOKS), cwd=ROOT, home=home).returncode == 0

    site = tmp_path / "site"
    make_site(site)
    write(site / "content" / "personas" / "eva.md", "---\nname: Eva\nrole: Office manager\n---\n")
    write(site / "content" / "journeys" / "new-laptop.md", JOURNEY)
    write(site / "content" / "journeys" / "broken.md", BROKEN)
    write(site / "content" / "guide" / "index.md", "# Guide\n")
    write(site / ".pre-commit-config.yaml", guide_pre_commit_config(hook_repo, rev))
    git("init", "-q", cwd=site)
    git("add", "-A", cwd=site)
    problems = [":".join(p[:3]) + ": " + p[3] for p in validate_problems(site)]
    assert len(problems) == 2

    failed = pre_commit("run", "--files", "content/journeys/broken.md",
                        "content/journeys/new-laptop.md", "content/guide/index.md",
                        cwd=site, home=home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "journeys validate" in failed.stdout and "Failed" in failed.stdout
    reported = [line for line in failed.stdout.splitlines() if line.startswith("content/")]
    assert reported == problems  # the guide page is not passed: it is no journey content

    passed = pre_commit("run", "--files", "content/journeys/new-laptop.md",
                        "content/personas/eva.md", "content/guide/index.md", cwd=site, home=home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


# journeys diff in pull and merge requests: the CI files' lines run in real git repositories

DIFF_STEP = "Compare the journeys with the base branch (journeys diff)"
FAKE_GH = Path(__file__).with_name("fake_gh.py")
BOT = "github-actions[bot]"


@pytest.fixture
def pull_request(site: Path, tmp_path: Path) -> Path:
    """A clone with `origin/main` and a branch `feature` that makes the laptop's delivery a joy
    (emotion 1 -> 2) and adds a journey; checked out as GitHub does for a pull request: the
    commit that merging `feature` into main would make, detached."""
    git("init", "-q", "-b", "main", cwd=site)
    git("add", "-A", cwd=site)
    git("commit", "-q", "-m", "content", cwd=site)
    clone = tmp_path / "clone"
    git("clone", "-q", str(site), str(clone), cwd=tmp_path)
    git("checkout", "-q", "-b", "feature", cwd=clone)
    journey = clone / "content" / "journeys" / "new-laptop.md"
    journey.write_text(JOURNEY.replace("emotion: 1\n", "emotion: 2\n"), encoding="utf-8")
    write(clone / "content" / "journeys" / "return-laptop.md",
          JOURNEY.replace("Requesting a new laptop", "Returning a laptop"))
    git("add", "-A", cwd=clone)
    git("commit", "-q", "-m", "feature", cwd=clone)
    git("checkout", "-q", "--detach", "origin/main", cwd=clone)
    git("merge", "-q", "--no-ff", "-m", "Merge feature into main", "feature", cwd=clone)
    return clone


def short(revision: str, cwd: Path) -> str:
    return git("rev-parse", "--short", revision, cwd=cwd)


def github_diff(repo: Path, tmp_path: Path, **env: str) -> tuple[Result, str, str]:
    """The workflow's diff step in `repo`: its result, the comment and the run's summary."""
    runner = tmp_path / "runner"
    runner.mkdir(exist_ok=True)
    summary, output = runner / "summary.md", runner / "output"
    summary.write_text("", encoding="utf-8")
    output.write_text("", encoding="utf-8")
    step = github_step(DIFF_STEP)
    assert step["env"] == {"BASE_REF": "${{ github.base_ref }}",
                           "REPORT": "${{ runner.temp }}/journeys-diff"}
    result = github_run(step["run"], repo, **{
        "BASE_REF": "main", "REPORT": str(runner / "journeys-diff"),
        "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output), **env})
    comment = runner / "journeys-diff" / "comment.md"
    if result.returncode == 0:  # what the comment job's `if` reads
        assert output.read_text(encoding="utf-8") == "compared=true\n"
    else:
        assert output.read_text(encoding="utf-8") == ""
    return (result, comment.read_text(encoding="utf-8") if comment.exists() else "",
            summary.read_text(encoding="utf-8"))


def test_github_compares_pull_requests_and_comments_once() -> None:
    workflow = load(GITHUB)
    assert workflow["concurrency"] == {
        "group": "journeys-${{ github.event.pull_request.number || github.ref }}",
        "cancel-in-progress": "${{ github.event_name == 'pull_request' }}"}
    site = workflow["jobs"]["site"]
    assert "permissions" not in site  # the workflow's contents: read
    assert github_steps()[0]["with"]["persist-credentials"] is False
    diff = github_step(DIFF_STEP)
    assert diff["if"] == f"{PULL_REQUEST} && !cancelled()"  # after failed checks too
    assert site["outputs"] == {"compared": "${{ steps.diff.outputs.compared }}"}
    keep = github_step("Keep the comparison for the comment")
    assert keep["if"] == "!cancelled() && steps.diff.outputs.compared == 'true'"
    assert keep["uses"].startswith("actions/upload-artifact@")
    assert keep["with"]["name"] == "journeys-diff"
    assert keep["with"]["path"] == "${{ runner.temp }}/journeys-diff/comment.md"
    steps = github_steps()
    assert steps.index(github_step(BUILD_STEP)) < steps.index(diff) < steps.index(keep)

    comment = workflow["jobs"]["comment"]
    assert comment["needs"] == "site"
    assert comment["permissions"] == {"pull-requests": "write"}  # and nothing else
    assert comment["if"].split() == [
        "!cancelled()", "&&", "needs.site.outputs.compared", "==", "'true'", "&&",
        "github.event.pull_request.head.repo.full_name", "==", "github.repository"]
    download, post = comment["steps"]
    assert download["uses"].startswith("actions/download-artifact@")
    assert download["with"] == {"name": "journeys-diff", "path": "${{ runner.temp }}/journeys-diff"}
    assert "checkout" not in json.dumps(comment)  # runs none of the pull request's files
    assert post["env"]["GH_TOKEN"] == "${{ github.token }}"
    assert post["env"]["BODY"] == "${{ runner.temp }}/journeys-diff/comment.md"
    assert MARKER in post["run"]
    others = [job for name, job in workflow["jobs"].items() if name != "comment"]
    assert not any("pull-requests" in job.get("permissions", {}) for job in others)


def test_github_diff_step_writes_the_comment_and_the_summary(pull_request: Path,
                                                             tmp_path: Path) -> None:
    result, comment, summary = github_diff(pull_request, tmp_path)
    assert result.returncode == 0, result.stderr
    base, head = short("HEAD^1", pull_request), short("HEAD", pull_request)
    expected = subprocess.run([str(BIN / "journeys"), "diff", base, head], cwd=pull_request,
                              capture_output=True, text=True, timeout=120, check=True).stdout
    assert comment == expected and summary == expected
    lines = comment.splitlines()
    assert lines[:2] == [MARKER, f"## Journey changes: `{base}` → `{head}`"]
    assert any(line.startswith("| **new-laptop** ") and "✎ changed" in line for line in lines)
    assert any(line.startswith("| **return-laptop** ") and "✚ added" in line for line in lines)
    assert "| End | 1 | 2 | ↑ +1 |" in comment  # the delivery's joy, figure by figure


def test_github_diff_step_says_why_it_did_not_compare(pull_request: Path,
                                                      tmp_path: Path) -> None:
    write(pull_request / "content" / "journeys" / "broken.md", BROKEN)
    git("add", "-A", cwd=pull_request)
    git("commit", "-q", "-m", "broken", cwd=pull_request)
    result, comment, summary = github_diff(pull_request, tmp_path)
    assert result.returncode == 0, result.stderr  # journeys validate fails the check already
    assert comment == summary and comment.startswith(MARKER + "\n")
    assert f"Not compared: HEAD `{short('HEAD', pull_request)}` has problems." in comment
    assert "content/journeys/broken.md:18:9: missing required key 'channel'" in comment

    gone, _, summary = github_diff(pull_request, tmp_path, BASE_REF="no-such-branch")
    assert gone.returncode != 0 and "no-such-branch" in gone.stderr and summary == ""


def gh_state(path: Path, comments: list[dict[str, Any]], page_size: int = 2,
             **more: Any) -> None:
    path.write_text(json.dumps({"login": BOT, "page_size": page_size, "comments": comments,
                                **more}), encoding="utf-8")


def github_comment(state: Path, body: Path, tmp_path: Path, **env: str) -> Result:
    """The comment job's step, with `gh` the stand-in of tests/fake_gh.py."""
    tools = tmp_path / "tools"
    tools.mkdir(exist_ok=True)
    gh = tools / "gh"
    gh.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} "
                  f"{shlex.quote(str(FAKE_GH))} \"$@\"\n", encoding="utf-8")
    gh.chmod(0o755)
    (_, post) = load(GITHUB)["jobs"]["comment"]["steps"]
    return github_run(post["run"], tmp_path, **{
        "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}", "FAKE_GH_STATE": str(state),
        "GH_TOKEN": "token", "GH_REPO": "org/intranet", "NUMBER": "7", "BODY": str(body), **env})


def test_github_comment_step_adds_one_comment_then_updates_it(tmp_path: Path) -> None:
    state, body = tmp_path / "state.json", tmp_path / "comment.md"
    human = {"id": 1, "user": {"login": "eva"}, "body": MARKER + "\nquoted by a person"}
    other_bot = {"id": 2, "user": {"login": BOT}, "body": "## Coverage report"}
    third = {"id": 3, "user": {"login": "max"}, "body": "Looks good"}
    gh_state(state, [human, other_bot, third])
    body.write_text(MARKER + "\n## Journey changes: first push\n", encoding="utf-8")
    first = github_comment(state, body, tmp_path)
    assert first.returncode == 0, first.stderr
    comments = json.loads(state.read_text(encoding="utf-8"))["comments"]
    assert comments[:3] == [human, other_bot, third]
    assert comments[3:] == [{"id": 101, "user": {"login": BOT}, "body": body.read_text()}]

    body.write_text(MARKER + "\n## Journey changes: second push\n", encoding="utf-8")
    second = github_comment(state, body, tmp_path)
    assert second.returncode == 0, second.stderr
    recorded = json.loads(state.read_text(encoding="utf-8"))
    assert recorded["comments"][:3] == [human, other_bot, third]
    assert recorded["comments"][3:] == [{"id": 101, "user": {"login": BOT},
                                         "body": body.read_text()}]  # on page 2 of 2: found
    assert [call[:3] for call in recorded["calls"] if "--method" in call] == [
        ["--method", "POST", "repos/org/intranet/issues/7/comments"],
        ["--method", "PATCH", "repos/org/intranet/issues/comments/101"]]


def test_github_comment_step_fails_when_github_refuses(tmp_path: Path) -> None:
    state, body = tmp_path / "state.json", tmp_path / "comment.md"
    gh_state(state, [])
    body.write_text(MARKER + "\n", encoding="utf-8")
    refused = github_comment(state, body, tmp_path, GH_TOKEN="")
    assert refused.returncode == 1 and "HTTP 401" in refused.stderr
    assert json.loads(state.read_text(encoding="utf-8"))["comments"] == []
    # When only reading the comments fails, nothing is written: no second comment.
    ours = {"id": 5, "user": {"login": BOT}, "body": MARKER + "\nold"}
    gh_state(state, [ours], fail_listing=True)
    unread = github_comment(state, body, tmp_path)
    assert unread.returncode == 1 and "HTTP 502" in unread.stderr
    recorded = json.loads(state.read_text(encoding="utf-8"))
    assert recorded["comments"] == [ours]
    assert [call for call in recorded["calls"] if "--method" in call] == []


# GitLab: the merge request's note, through GitLab's API served on this machine


class FakeGitLab:
    """GitLab's API for one merge request (project 42, !7), over real HTTP on loopback: the
    merge request's head commit, GET /user, notes listed in pages of two (newest first unless
    `sort=asc`, the next page in a header in lower case, as some proxies send it), POST and PUT
    of a note."""

    TOKEN = "glpat-test"

    def __init__(self, notes: list[dict[str, Any]], user: int = 9) -> None:
        import http.server
        import threading

        self.notes, self.user, self.requests = notes, user, []
        self.sha = ""  # the merge request's newest commit
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                owner.answer(self, "GET")

            def do_POST(self) -> None:
                owner.answer(self, "POST")

            def do_PUT(self) -> None:
                owner.answer(self, "PUT")

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v4"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, request: Any, method: str) -> None:
        import urllib.parse

        url = urllib.parse.urlsplit(request.path)
        query = urllib.parse.parse_qs(url.query)
        length = int(request.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(request.rfile.read(length).decode()) if length else {}
        self.requests.append((method, url.path, query, form))
        notes_path = "/api/v4/projects/42/merge_requests/7/notes"
        headers: dict[str, str] = {}
        if request.headers.get("PRIVATE-TOKEN") != self.TOKEN:
            status, data = 401, {"message": "401 Unauthorized"}
        elif method == "GET" and url.path == "/api/v4/user":
            status, data = 200, {"id": self.user, "username": "project_42_bot"}
        elif method == "GET" and url.path == notes_path.removesuffix("/notes"):
            status, data = 200, {"iid": 7, "sha": self.sha}
        elif method == "GET" and url.path == notes_path:
            page, size = int(query["page"][0]), 2
            ordered = self.notes if query.get("sort") == ["asc"] else self.notes[::-1]
            status, data = 200, ordered[(page - 1) * size:page * size]
            headers["x-next-page"] = str(page + 1) if page * size < len(self.notes) else ""
        elif method == "POST" and url.path == notes_path:
            data = {"id": 500 + len(self.notes), "author": {"id": self.user},
                    "body": form["body"][0]}
            self.notes.append(data)
            status = 201
        elif method == "PUT" and url.path.startswith(notes_path + "/"):
            note = next(n for n in self.notes if n["id"] == int(url.path.rsplit("/", 1)[1]))
            if note["author"]["id"] != self.user:
                status, data = 403, {"message": "403 Forbidden"}
            else:
                note["body"], status, data = form["body"][0], 200, note
        else:
            status, data = 404, {"message": "404 Not Found"}
        payload = json.dumps(data).encode()
        request.send_response(status)
        for name, value in {"Content-Type": "application/json", **headers}.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)


def gitlab_diff(repo: Path, tmp_path: Path, **env: str) -> tuple[Result, str]:
    """The journeys-diff job's lines in `repo`, as a merge request pipeline of `feature`."""
    job = gitlab_jobs()["journeys-diff"]
    base = git("merge-base", "origin/main", "HEAD", cwd=repo)
    result = gitlab_run(job["script"], repo, **{
        "TMPDIR": str(tmp_path), "CI_PROJECT_ID": "42", "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
        "CI_MERGE_REQUEST_IID": "7", "CI_COMMIT_SHA": git("rev-parse", "HEAD", cwd=repo),
        "CI_COMMIT_SHORT_SHA": short("HEAD", repo), **env})
    comment = repo / "journey-changes" / "comment.md"
    return result, comment.read_text(encoding="utf-8") if comment.exists() else ""


def test_gitlab_diff_job_definition() -> None:
    job = gitlab_jobs()["journeys-diff"]
    assert job["extends"] == ".journeys" and job["stage"] == "validate"
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert load(GITLAB)[".journeys"]["interruptible"] is True and "interruptible" not in job
    assert "interruptible" not in gitlab_jobs()["pages"]  # a publication is never cut short
    assert job["allow_failure"] == {"exit_codes": [3]}  # GitLab refused the note
    assert job["artifacts"] == {"when": "always", "expose_as": "journey changes",
                                "paths": ["journey-changes/comment.md"],
                                "expire_in": "2 weeks"}
    assert heredoc(job["script"][0]) == (CI / "gitlab_note.py").read_text(encoding="utf-8")


def test_gitlab_diff_job_without_a_token_keeps_the_comparison(pull_request: Path,
                                                              tmp_path: Path) -> None:
    git("checkout", "-q", "feature", cwd=pull_request)
    result, comment = gitlab_diff(pull_request, tmp_path, JOURNEYS_DIFF_TOKEN="")
    assert result.returncode == 0, result.stderr
    assert comment.startswith(MARKER + "\n## Journey changes: `")
    assert "| **return-laptop** " in comment
    assert comment in result.stdout  # the job log shows it
    assert "note" not in (result.stdout + result.stderr).replace(comment, "")


def test_gitlab_diff_job_adds_one_note_then_updates_it(pull_request: Path,
                                                       tmp_path: Path) -> None:
    git("checkout", "-q", "feature", cwd=pull_request)
    someone = {"id": 1, "author": {"id": 3}, "body": MARKER + "\nquoted by a person"}
    notes = [someone, {"id": 2, "author": {"id": 9}, "body": "LGTM"},
             {"id": 3, "author": {"id": 4}, "body": "ok"}]
    gitlab = FakeGitLab(notes)
    try:
        gitlab.sha = git("rev-parse", "HEAD", cwd=pull_request)
        env = {"CI_API_V4_URL": gitlab.url, "JOURNEYS_DIFF_TOKEN": FakeGitLab.TOKEN}
        first, comment = gitlab_diff(pull_request, tmp_path, **env)
        assert first.returncode == 0, first.stderr
        assert "added the note" in first.stdout
        assert gitlab.notes[3] == {"id": 503, "author": {"id": 9}, "body": comment}

        journey = pull_request / "content" / "journeys" / "new-laptop.md"
        journey.write_text(JOURNEY.replace("emotion: -1\n", "emotion: 0\n"), encoding="utf-8")
        git("commit", "-q", "-am", "second push", cwd=pull_request)
        gitlab.sha = git("rev-parse", "HEAD", cwd=pull_request)
        second, comment = gitlab_diff(pull_request, tmp_path, **env)
        assert second.returncode == 0, second.stderr
        assert "updated note 503" in second.stdout
        assert len(gitlab.notes) == 4 and gitlab.notes[0] == someone
        assert gitlab.notes[3]["body"] == comment and short("HEAD", pull_request) in comment
        pages = [r[2]["page"] for r in gitlab.requests if r[0] == "GET" and "notes" in r[1]]
        assert pages == [["1"], ["2"], ["1"], ["2"]]  # the second search found it on page 2

        # A pipeline of an older commit, finishing after the newer one, leaves the note.
        gitlab.sha = "f" * 40
        stale, _ = gitlab_diff(pull_request, tmp_path, **env)
        assert stale.returncode == 0 and "newer than this pipeline's commit" in stale.stdout
        assert gitlab.notes[3]["body"] == comment

        gitlab.sha = git("rev-parse", "HEAD", cwd=pull_request)
        refused, _ = gitlab_diff(pull_request, tmp_path, CI_API_V4_URL=gitlab.url,
                                 JOURNEYS_DIFF_TOKEN="wrong")
        assert refused.returncode == 3  # allowed to fail: a warning on the pipeline
        assert "GitLab answered 401" in refused.stderr and "Reporter" in refused.stderr
    finally:
        gitlab.close()


def test_gitlab_note_needs_its_variables(tmp_path: Path) -> None:
    body = tmp_path / "comment.md"
    body.write_text(MARKER + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(CI / "gitlab_note.py"), str(body)],
                            env={"PATH": os.environ["PATH"], "CI_PROJECT_ID": "42"},
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "CI_API_V4_URL, CI_MERGE_REQUEST_IID, CI_COMMIT_SHA, JOURNEYS_DIFF_TOKEN" \
        in result.stderr


def test_gitlab_merged_results_pipeline_compares_with_the_target_tip(pull_request: Path,
                                                                     tmp_path: Path) -> None:
    """A merged results pipeline builds `feature` merged into main's newest commit; main's own
    changes since the merge base are not the merge request's."""
    origin = pull_request.parent  # the clone is in it, not in its history
    write(origin / "content" / "journeys" / "on-main.md",
          JOURNEY.replace("Requesting a new laptop", "Changed on main"))
    git("add", "content", cwd=origin)
    git("commit", "-q", "-m", "main moves on", cwd=origin)
    git("fetch", "-q", "origin", cwd=pull_request)
    base = git("merge-base", "origin/main", "feature", cwd=pull_request)
    git("checkout", "-q", "--detach", "origin/main", cwd=pull_request)
    git("merge", "-q", "--no-ff", "-m", "merged result", "feature", cwd=pull_request)
    target = git("rev-parse", "origin/main", cwd=pull_request)
    assert base != target
    merged, comment = gitlab_diff(pull_request, tmp_path, CI_MERGE_REQUEST_DIFF_BASE_SHA=base,
                                  CI_MERGE_REQUEST_TARGET_BRANCH_SHA=target)
    assert merged.returncode == 0, merged.stderr
    assert "| **return-laptop** " in comment and "on-main" not in comment
    assert f"`{short(target, pull_request)}` →" in comment
