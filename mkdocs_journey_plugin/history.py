"""How a journey's emotions changed over its commits, read from git at build time.

One `git log` for the journeys folder and one `git cat-file --batch` for the old file contents,
however many journeys there are. Outside a git repository there is no history and no error; in
a shallow clone the history is what the clone holds, and says so.
"""

from __future__ import annotations

import datetime
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .figures import average_emotion, lowest_moment
from .loading import parse_document, to_model
from .model import EmotionScale, Journey

RECORD = "\x1e"
FIELD = "\x1f"


@dataclass(frozen=True)
class Revision:
    """A commit that changed a journey's emotions: its average and lowest moment then."""

    commit: str
    date: datetime.date
    average: float
    lowest: float


@dataclass(frozen=True)
class History:
    last_changed: datetime.date | None
    revisions: list[Revision] = field(default_factory=list)  # oldest first
    shallow: bool = False


def _git(top: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        result = subprocess.run(["git", "-C", str(top), *args], input=stdin,
                                capture_output=True, check=False, timeout=300)
    except (OSError, subprocess.SubprocessError):
        return None  # no git on this machine: no history
    return result.stdout if result.returncode == 0 else None


def _commits_by_file(top: Path, folder: str) -> dict[str, list[tuple[str, datetime.date]]]:
    """Each file of the folder (path from the top of the repository): its commits, newest first."""
    log = _git(top, "log", f"--format={RECORD}%H{FIELD}%cI", "--name-only", "--no-renames",
               "--", folder)
    commits: dict[str, list[tuple[str, datetime.date]]] = {}
    for record in (log or b"").decode("utf-8", "replace").split(RECORD)[1:]:
        header, _, names = record.partition("\n")
        sha, _, stamp = header.partition(FIELD)
        date = datetime.datetime.fromisoformat(stamp.strip()).astimezone(
            datetime.timezone.utc).date()
        for name in names.split("\n"):
            if name.strip():
                commits.setdefault(name.strip(), []).append((sha, date))
    return commits


def _contents(top: Path, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Old file contents by (commit, path), read in one `git cat-file --batch`."""
    if not wanted:
        return {}
    request = "".join(f"{sha}:{path}\n" for sha, path in wanted).encode()
    output = _git(top, "cat-file", "--batch", stdin=request) or b""
    contents: dict[tuple[str, str], str] = {}
    position = 0
    for key in wanted:
        end = output.find(b"\n", position)
        if end < 0:
            break
        header = output[position:end].split()
        position = end + 1
        if len(header) != 3 or header[1] != b"blob":
            continue  # "missing": the file did not exist in that form
        size = int(header[2])
        contents[key] = output[position:position + size].decode("utf-8", "replace")
        position += size + 1
    return contents


def read_histories(content_root: Path, sources: Mapping[str, str], scale: EmotionScale,
                   limit: int = 20) -> dict[str, History]:
    """Histories of journeys by id; `sources` gives each journey's file inside content_root."""
    return read_file_histories({i: content_root / src for i, src in sources.items()}, scale,
                               limit)


def read_file_histories(files: Mapping[str, Path], scale: EmotionScale,
                        limit: int = 20) -> dict[str, History]:
    """Histories of journeys by id, from each journey's own file wherever it is (a monorepo
    site builds from a copy: the file's history is in the repository it was copied from).

    Only commits that changed the journey's average or lowest emotion are kept, at most
    `limit` of them, most recent; a revision that no longer loads is left out. A journey whose
    file is in no git repository has no history.
    """
    tops: dict[Path, Path | None] = {}
    by_top: dict[Path, dict[str, str]] = {}
    for journey_id, file in files.items():
        folder = file.parent
        if folder not in tops:
            top_text = _git(folder, "rev-parse", "--show-toplevel") if folder.is_dir() else None
            tops[folder] = Path(top_text.decode().strip()).resolve() if top_text else None
        top = tops[folder]
        if top is not None:
            by_top.setdefault(top, {})[journey_id] = \
                (file.parent.resolve() / file.name).relative_to(top).as_posix()
    histories: dict[str, History] = {}
    for top, paths in by_top.items():
        histories |= _histories_in(top, paths, scale, limit)
    return histories


def missing_note(sources: Mapping[str, str], histories: Mapping[str, History]) -> str | None:
    """What the build says when journeys have no history, so that a history section never
    goes missing without a word; `sources` maps every journey id to its file."""
    missing = [src for journey_id, src in sorted(sources.items()) if journey_id not in histories]
    if not missing:
        return None
    shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    return (f"journeys: no history for {len(missing)} of {len(sources)} journeys, whose files "
            f"are in no git repository or were written by another plugin: {shown}")


def _histories_in(top: Path, paths: Mapping[str, str], scale: EmotionScale,
                  limit: int) -> dict[str, History]:
    """Histories of journeys whose files (`paths`, from the top) are in the repository `top`."""
    shallow = (_git(top, "rev-parse", "--is-shallow-repository") or b"").strip() == b"true"
    folders = sorted({str(PurePosixPath(path).parent) for path in paths.values()})
    commits: dict[str, list[tuple[str, datetime.date]]] = {}
    for folder in folders:
        commits.update(_commits_by_file(top, folder))
    wanted = [(sha, path) for path in paths.values()
              for sha, _ in commits.get(path, [])[:limit * 3]]
    contents = _contents(top, wanted)
    histories: dict[str, History] = {}
    for journey_id, path in paths.items():
        mine = commits.get(path, [])
        revisions: list[Revision] = []
        for sha, date in reversed(mine[:limit * 3]):
            text = contents.get((sha, path))
            journey = _journey(text, path, scale) if text is not None else None
            if journey is None:
                continue
            revision = Revision(sha[:8], date, average_emotion(journey),
                                lowest_moment(journey).emotion)
            if revisions and (revisions[-1].average, revisions[-1].lowest) == (
                    revision.average, revision.lowest):
                continue  # this commit changed words, not emotions
            revisions.append(revision)
        histories[journey_id] = History(mine[0][1] if mine else None, revisions[-limit:],
                                        shallow)
    return histories


def _journey(text: str, path: str, scale: EmotionScale) -> Journey | None:
    document, problems = parse_document(text, path, PurePosixPath(path).suffix)
    if document is None:
        return None
    journey, problems = to_model(document, Journey, scale)
    if problems or journey is None or not journey.frontstage:
        return None
    return journey if all(t.emotion is not None for t in journey.frontstage) else None
