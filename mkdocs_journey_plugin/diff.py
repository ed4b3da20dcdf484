"""Two versions of a site's content compared as journeys, personas and a roadmap, for
`journeys diff`: what changed for the customer, not which YAML lines.

`read_revision` writes the content folder of a git revision into a scratch folder (git itself
reads it: `ls-tree` and one `cat-file --batch`), so that `load_catalog` reads it as it reads the
working tree. `compare` takes the two catalogs and returns a `CatalogDiff`; diff_report.py
writes it as Markdown or JSON.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from .catalog import Catalog, Entry, JourneyEntry, Layout, load_catalog
from .content_files import display_path
from .figures import journey_figures, stage_differences
from .metrics import Placed
from .model import EmotionScale, Journey
from .problems import Problem

Change = Literal["added", "removed", "changed", "renamed"]
# A removed and an added file this alike (difflib's ratio of their contents) are one file renamed,
# as git's default rename threshold.
RENAME_SIMILARITY = 0.5


class GitError(Exception):
    """A revision or repository git cannot read: a usage error, printed as its message."""


# --- reading a revision ------------------------------------------------------------------------


def _git(top: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(["git", "-C", str(top), *args], input=stdin,
                                capture_output=True, check=False, timeout=300)
    except (OSError, subprocess.SubprocessError) as error:
        raise GitError(f"cannot run git: {error}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return result.stdout


def repository_top(start: Path) -> Path:
    """The top folder of the git repository holding `start`."""
    return Path(_git(start, "rev-parse", "--show-toplevel").decode().strip())


def verify_revision(top: Path, revision: str) -> str:
    """The commit a revision names; GitError when there is none."""
    if revision.startswith("-"):
        raise GitError(f"not a revision: '{revision}'")
    try:
        return _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode(
            ).strip()
    except GitError:
        raise GitError(f"not a revision of this repository: '{revision}'") from None


def read_revision(top: Path, commit: str, folder: str, scratch: Path) -> None:
    """Write the regular files under `folder` (relative to the top) at `commit` into `scratch`,
    at the same relative paths. A folder the revision does not have leaves `scratch` empty."""
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit,
                   *(("--", folder) if folder else ()))
    blobs: list[tuple[str, str]] = []
    for record in listing.decode("utf-8", "surrogateescape").split("\0"):
        meta, _, path = record.partition("\t")
        parts = meta.split()
        if (len(parts) == 3 and parts[1] == "blob" and parts[0] in ("100644", "100755")
                and ".." not in PurePosixPath(path).parts and not path.startswith("/")):
            blobs.append((parts[2], path))
    if not blobs:
        return
    output = _git(top, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha, _ in blobs)
                  .encode())
    position = 0
    for _sha, path in blobs:
        end = output.index(b"\n", position)
        size = int(output[position:end].split()[2])
        target = scratch / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(output[end + 1:end + 1 + size])
        position = end + 1 + size + 1


def revision_catalog(top: Path, commit: str, docs: Path, layout: Layout, scale: EmotionScale,
                     scratch: Path) -> tuple[Catalog, list[Problem]]:
    """The content of a revision, its problems named by the paths they have in the working
    tree (relative to the current directory, as `validate` prints them)."""
    if not docs.resolve().is_relative_to(top.resolve()):
        raise GitError(f"the content folder {display_path(docs)} is not in the repository")
    folder = docs.resolve().relative_to(top.resolve()).as_posix()
    read_revision(top, commit, "" if folder == "." else folder, scratch)
    catalog, problems = load_catalog(scratch / folder, layout, scale)
    return catalog, [_as_in_tree(p, scratch, top) for p in problems]


def _as_in_tree(problem: Problem, scratch: Path, top: Path) -> Problem:
    where = Path(os.path.abspath(problem.path))
    if not where.is_relative_to(os.path.abspath(scratch)):
        return problem
    inside = where.relative_to(os.path.abspath(scratch))
    return Problem(display_path(top / inside), problem.line, problem.column, problem.message)


# --- the result --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One field of a journey, touchpoint, opportunity, persona or milestone: before, after."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class ItemChange:
    """A touchpoint, opportunity or milestone added, removed or changed, by its id."""

    id: str
    change: Literal["added", "removed", "changed"]
    title: str  # a touchpoint's action, an opportunity's or a milestone's title
    fields: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class StageEmotion:
    """The mean frontstage emotion of a stage (by name) before and after; None: none there."""

    stage: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class MeasureChange:
    """One measure of a journey whose value or target changed, or that came or went."""

    where: str  # journey, stage or touchpoint
    place: str  # the stage's name, the touchpoint's action, the journey's title
    metric: str  # the metric's name
    unit: str | None
    before: float | None  # None: not measured there before
    after: float | None
    met_before: bool | None
    met_after: bool | None


@dataclass(frozen=True)
class FileDiff:
    """One journey or persona file added, removed, changed or renamed."""

    id: str
    old_id: str | None  # the id before: differs from `id` for a renamed file; None if added
    change: Change
    title: str
    path: str | None  # the file relative to the content folder, after (None: removed)
    old_path: str | None  # and before (None: added)
    fields: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class JourneyDiff(FileDiff):
    figures: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    stages: list[StageEmotion] = field(default_factory=list)
    touchpoints: list[ItemChange] = field(default_factory=list)
    opportunities: list[ItemChange] = field(default_factory=list)
    measures: list[MeasureChange] = field(default_factory=list)
    before: Journey | None = None
    after: Journey | None = None


@dataclass(frozen=True)
class RoadmapDiff:
    change: Literal["added", "removed", "changed"]
    title: str
    fields: list[FieldChange] = field(default_factory=list)
    milestones: list[ItemChange] = field(default_factory=list)


@dataclass(frozen=True)
class CatalogDiff:
    journeys: list[JourneyDiff]
    personas: list[FileDiff]
    roadmap: RoadmapDiff | None

    @property
    def empty(self) -> bool:
        return not self.journeys and not self.personas and self.roadmap is None


# --- comparing ---------------------------------------------------------------------------------


def _data(entry: Entry[Any]) -> dict[str, Any]:
    data: dict[str, Any] = entry.model.model_dump(mode="json")
    data.pop("notes", None)  # a .yml file's body: compared as the body
    return data


def _lines(entry: Entry[Any]) -> list[str]:
    """A file's content as lines, one a value, for telling how alike two files are (lines, as
    git compares them: characters would take seconds for two long journeys)."""
    data = json.dumps(_data(entry), sort_keys=True, ensure_ascii=False, indent=0)
    return [*data.splitlines(), *entry.body.splitlines()]


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any],
                  skip: Sequence[str] = ()) -> list[FieldChange]:
    """Fields whose values differ, in the order of the model (fields only one side has last)."""
    names = [*before, *(k for k in after if k not in before)]
    return [FieldChange(name, before.get(name), after.get(name)) for name in names
            if name not in skip and before.get(name) != after.get(name)]


def _items(before: Mapping[str, dict[str, Any]], after: Mapping[str, dict[str, Any]],
           title: str) -> list[ItemChange]:
    """Items by id: those removed, then in the order after, the added and changed ones."""
    changes = [ItemChange(i, "removed", str(data.get(title) or ""))
               for i, data in before.items() if i not in after]
    for i, data in after.items():
        if i not in before:
            changes.append(ItemChange(i, "added", str(data.get(title) or "")))
        elif fields := field_changes(before[i], data, skip=("id",)):
            changes.append(ItemChange(i, "changed", str(data.get(title) or ""), fields))
    return changes


def _touchpoints(journey: Journey | None) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for stage in journey.stages if journey else []:
        for touchpoint in stage.touchpoints:
            data = {"stage": stage.name, **touchpoint.model_dump(mode="json")}
            found.setdefault(str(touchpoint.id), data)
    return found


def _opportunities(journey: Journey | None) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for opportunity in journey.opportunities if journey else []:
        found.setdefault(str(opportunity.id), opportunity.model_dump(mode="json"))
    return found


def _figures(before: JourneyEntry | None,
             after: JourneyEntry | None) -> dict[str, tuple[Any, Any]]:
    old = journey_figures(before.journey, before.measures).as_dict() if before else {}
    new = journey_figures(after.journey, after.measures).as_dict() if after else {}
    return {name: (old.get(name), new.get(name)) for name in (new or old)
            if name != "measures"}  # each measure: see _measures


def _measures(before: JourneyEntry | None, after: JourneyEntry | None) -> list[MeasureChange]:
    """Measures whose value, target or place changed, by place and metric: those gone first,
    then in the order after."""
    def by_place(entry: JourneyEntry | None) -> dict[tuple[str, str, str], Placed]:
        if entry is None:
            return {}
        # A journey's own measures are the journey's whatever its title.
        return {(p.where, p.place_id or (p.place if p.where == "stage" else ""),
                 p.measure.metric): p
                for p in entry.measures.placed(entry.journey)}

    old, new = by_place(before), by_place(after)
    changes = []
    for key in [*(k for k in old if k not in new), *new]:
        was, now = old.get(key), new.get(key)
        if was and now and (was.measure.value, was.measure.target) == (now.measure.value,
                                                                         now.measure.target):
            continue
        one = now or was
        assert one is not None
        changes.append(MeasureChange(
            one.where, one.place, one.measure.name, one.measure.unit,
            was.measure.value if was else None, now.measure.value if now else None,
            was.measure.met if was else None, now.measure.met if now else None))
    return changes


def _stages(before: Journey | None, after: Journey | None) -> list[StageEmotion]:
    if before and after:
        return [StageEmotion(d.stage, d.other_emotion, d.emotion)
                for d in stage_differences(after, before)]
    only = after or before
    assert only is not None
    rows = stage_differences(only, only)
    return [StageEmotion(d.stage, None if after else d.emotion, d.emotion if after else None)
            for d in rows]


def _journey_diff(change: Change, before: JourneyEntry | None,
                  after: JourneyEntry | None) -> JourneyDiff:
    old, new = (before.model if before else None), (after.model if after else None)
    fields = field_changes(_data(before) if before else {}, _data(after) if after else {},
                           skip=("stages", "opportunities")) if before and after else []
    if before and after and before.body != after.body:
        fields.append(FieldChange("body", before.body, after.body))
    return JourneyDiff(
        id=(after or before).id,  # type: ignore[union-attr]
        old_id=before.id if before else None, change=change,
        title=(new or old).title,  # type: ignore[union-attr]
        path=after.src_uri if after else None, old_path=before.src_uri if before else None,
        fields=fields, figures=_figures(before, after),
        stages=_stages(old, new),
        touchpoints=_items(_touchpoints(old), _touchpoints(new), "action"),
        opportunities=_items(_opportunities(old), _opportunities(new), "title"),
        measures=_measures(before, after),
        before=old, after=new)


def _persona_diff(change: Change, before: Entry[Any] | None,
                  after: Entry[Any] | None) -> FileDiff:
    fields = field_changes(_data(before), _data(after)) if before and after else []
    if before and after and before.body != after.body:
        fields.append(FieldChange("body", before.body, after.body))
    one = after or before
    assert one is not None
    return FileDiff(one.id, before.id if before else None, change, one.model.name,
                    after.src_uri if after else None, before.src_uri if before else None, fields)


def match_files(before: Mapping[str, Entry[Any]],
                after: Mapping[str, Entry[Any]]) -> list[tuple[Entry[Any] | None,
                                                              Entry[Any] | None]]:
    """Pairs of the same file before and after: by id, then a removed and an added file as
    alike as a rename (the most alike first); (entry, None) removed, (None, entry) added."""
    pairs: list[tuple[Entry[Any] | None, Entry[Any] | None]] = [
        (before[i], after[i]) for i in before if i in after]
    removed = [before[i] for i in before if i not in after]
    added = [after[i] for i in after if i not in before]
    candidates: list[tuple[float, int, int]] = []
    old_lines = [_lines(old) for old in removed] if added else []
    for a, new in enumerate(added if removed else []):
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(_lines(new))  # what difflib works out of a sequence, once for each
        for r, lines in enumerate(old_lines):
            matcher.set_seq1(lines)
            if (matcher.real_quick_ratio() >= RENAME_SIMILARITY
                    and matcher.quick_ratio() >= RENAME_SIMILARITY
                    and (ratio := matcher.ratio()) >= RENAME_SIMILARITY):
                candidates.append((-ratio, r, a))
    taken_removed: set[int] = set()
    taken_added: set[int] = set()
    for _, r, a in sorted(candidates):
        if r not in taken_removed and a not in taken_added:
            taken_removed.add(r)
            taken_added.add(a)
            pairs.append((removed[r], added[a]))
    pairs += [(old, None) for r, old in enumerate(removed) if r not in taken_removed]
    pairs += [(None, new) for a, new in enumerate(added) if a not in taken_added]
    return pairs


def _kind(before: Entry[Any] | None, after: Entry[Any] | None) -> Change | None:
    """How a pair changed; None when it did not."""
    if before is None:
        return "added"
    if after is None:
        return "removed"
    if before.src_uri != after.src_uri:
        return "renamed"
    if _data(before) != _data(after) or before.body != after.body:
        return "changed"
    if isinstance(before, JourneyEntry) and isinstance(after, JourneyEntry) and \
            _measures(before, after):  # a value or target of a data file, metrics.yml
        return "changed"
    return None


def _files(before: Mapping[str, Entry[Any]], after: Mapping[str, Entry[Any]],
           diff: Callable[[Change, Any, Any], Any]) -> list[Any]:
    found = []
    for old, new in match_files(before, after):
        change = _kind(old, new)
        if change is not None:
            found.append(diff(change, old, new))
    return sorted(found, key=lambda d: (d.id, d.change))


def _roadmap_diff(before: Catalog, after: Catalog) -> RoadmapDiff | None:
    old, new = before.roadmap, after.roadmap
    if old is None and new is None:
        return None
    old_data = _data(old) if old else {}
    new_data = _data(new) if new else {}
    change: Literal["added", "removed", "changed"] = (
        "added" if old is None else "removed" if new is None else "changed")
    fields = field_changes(old_data, new_data, skip=("milestones",)) if old and new else []
    if old and new and old.body != new.body:
        fields.append(FieldChange("body", old.body, new.body))
    milestones = _items({m["id"]: m for m in old_data.get("milestones", [])},
                        {m["id"]: m for m in new_data.get("milestones", [])}, "title")
    if change == "changed" and not fields and not milestones:
        return None
    title = (new or old).roadmap.title  # type: ignore[union-attr]
    return RoadmapDiff(change, title, fields, milestones)


def compare(before: Catalog, after: Catalog) -> CatalogDiff:
    """Every journey and persona added, removed, changed or renamed (by id after), and the
    roadmap if it changed."""
    return CatalogDiff(_files(before.journeys, after.journeys, _journey_diff),
                       _files(before.personas, after.personas, _persona_diff),
                       _roadmap_diff(before, after))
