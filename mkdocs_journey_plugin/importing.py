"""`journeys import`: journeys from other sources, checked as a journey file is, then written as
journey files.

A source kind is a function `(path, options) -> Reading`: the journeys it found, each as data in
our file format with the body text and a `Source` that places a problem with that data where the
author can find it (a spreadsheet's cell, a Mermaid file's line), and the problems it met while
reading. Everything is checked before anything is written: one problem anywhere and nothing is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import yaml

from .catalog import Catalog, JourneyEntry, Layout, load_catalog
from .content_files import check_file_name, content_files, display_path
from .cross_references import cross_reference_problems, journey_problems
from .loading import MAX_BYTES, Document, decode_text, read_bytes, to_model
from .metrics import journey_metric_problems
from .model import SLUG, EmotionScale, Journey, Opportunity, Stage, Touchpoint, slugify
from .problems import Problem, Source


@dataclass
class ImportedJourney:
    """One journey read from a source, not yet checked."""

    id: str  # its file name to be, without `.md`
    data: dict[str, Any]  # the front matter, as in a journey file
    body: str  # the Markdown below the front matter
    source: Source  # where it came from; `source.at(())` is where its id was found


@dataclass
class Reading:
    """What one source gave: its journeys, and the problems met reading it."""

    journeys: list[ImportedJourney] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class ImportOptions:
    scale: EmotionScale
    persona: str | None = None  # for journeys whose source names no persona


SourceKind = Callable[[Path, ImportOptions], Reading]


class UsageError(Exception):
    """A source the command cannot read at all, said as a usage error (exit 2)."""


MERMAID_SUFFIXES = (".mmd", ".mermaid", ".md", ".markdown")


def source_kind(path: Path) -> SourceKind:
    """The reader of a source, by what it is: a folder of CSV files, a workbook, Mermaid."""
    from . import sheets

    if path.is_dir():
        return sheets.read_csv_folder
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        try:
            import openpyxl  # noqa: F401
        except ImportError:
            raise UsageError(f"{display_path(path)}: {sheets.missing_openpyxl()}") from None
        return sheets.read_workbook
    if suffix in MERMAID_SUFFIXES:
        return read_mermaid
    if suffix == ".csv":
        raise UsageError(f"{display_path(path)}: a CSV source is the folder holding "
                         f"{', '.join(n + '.csv' for n in sheets.SHEETS)}: name the folder")
    raise UsageError(f"{display_path(path)}: cannot import this kind of file: give a folder of "
                     "CSV files, an .xlsx workbook, or a Mermaid .mmd or .md file")


def read_mermaid(path: Path, options: ImportOptions) -> Reading:
    """The journeys of a Mermaid file: a `.mmd` file is one diagram, a Markdown file holds
    them in ```mermaid fences. Each is named by its title (a `.mmd` file: by its file name);
    Mermaid has no channels, so each touchpoint's is `unknown` and the body says so."""
    from .mermaid import MermaidError, journey_data, journey_marks, parse_mermaid_journey
    from .mermaid_blocks import find_journeys

    display = display_path(path.absolute())
    reading = Reading()
    data, problems = read_bytes(path, display)
    text, problems = decode_text(data, display) if data is not None else (None, problems)
    if text is None:
        reading.problems += problems
        return reading
    if path.suffix.lower() in (".mmd", ".mermaid"):
        try:
            diagrams = [parse_mermaid_journey(text, display)]
        except MermaidError as error:
            reading.problems += error.problems
            return reading
    else:
        diagrams, reading.problems = find_journeys(text, display)
        if not diagrams and not reading.problems:
            reading.problems.append(Problem(display, 1, 1, "no Mermaid journey in this file: "
                                            "a ```mermaid fence whose diagram starts with "
                                            "`journey`"))
    for number, diagram in enumerate(diagrams, start=1):
        if not diagram.tasks:
            reading.problems.append(Problem(display, diagram.line, diagram.column,
                                            "this journey has no tasks: nothing to import"))
            continue
        journey = journey_data(diagram, options.scale, options.persona)
        if len(diagrams) == 1 and path.suffix.lower() in (".mmd", ".mermaid"):
            name = slugify(path.stem)
        else:
            name = slugify(diagram.title or diagram.acc_title or "")
        body = (f"Imported from `{path.name}`, a Mermaid journey (line {diagram.line}). "
                "Mermaid has no channels: each touchpoint's `channel` is `unknown` until you "
                "fill it in.\n")
        reading.journeys.append(ImportedJourney(
            name[:100].strip("-") or f"{slugify(path.stem) or 'journey'}-{number}", journey,
            body, Source(display, journey_marks(diagram))))
    return reading


# --- checking --------------------------------------------------------------------------------


def journeys_root(into: Path, layout: Layout) -> Path | None:
    """The content folder whose journeys folder is `into` or holds it (journeys may be kept
    in subfolders), if there is one."""
    parts = PurePath(layout.journeys_dir.strip("/")).parts
    for folder in (into.absolute(), *into.absolute().parents):
        if folder.parts[-len(parts):] == parts and folder.parents[len(parts) - 1].is_dir():
            return folder.parents[len(parts) - 1]
    return None


def plan(journeys: Sequence[ImportedJourney], into: Path, layout: Layout, scale: EmotionScale,
         force: bool, reported: Sequence[Problem] = ()) -> tuple[list[tuple[Path, str]],
                                                               list[Problem]]:
    """The files to write (path, text), or every problem that stops the import: those
    `reported` by reading the sources, and those found here at other places (a value the
    source could not read is left out of the data, which then lacks it too).

    Each journey is validated as its file would be: the model, then its own references (ids,
    teams, touchpoints of opportunities) and, when `into` is the journeys folder of a content
    folder, the references to the rest of it (persona, compare_to, milestones) as they will be
    once the files are written.
    """
    problems: list[Problem] = []
    valid: dict[str, tuple[ImportedJourney, Journey]] = {}
    first: dict[str, ImportedJourney] = {}
    for journey in journeys:
        if journey.id in first:
            other = first[journey.id].source.at((), "")
            problems.append(journey.source.at((), f"journey '{journey.id}' is imported twice: "
                                              f"also at {other.path}:{other.line}"))
            continue
        first[journey.id] = journey
        named = check_file_name(PurePath(f"{journey.id}.md"), "")
        problems += [journey.source.at((), f"journey id '{journey.id}': "
                                       + p.message.replace("file names are ids", "ids"))
                     for p in named]
        model, found = to_model(Document(journey.source, journey.data, journey.body), Journey,
                                scale)
        problems += found
        if model is not None and not named:
            valid[journey.id] = (journey, model)
    root = journeys_root(into, layout)
    catalog = load_catalog(root, layout, scale)[0] if root is not None else Catalog()
    existing = _existing_journeys(root, layout) if root is not None else {
        p.stem: p for p in _files_in(into)}
    imported = {i: JourneyEntry(i, f"{layout.journeys_dir}/{i}.md", model, journey.body,
                                journey.source, "") for i, (journey, model) in valid.items()}
    # Problems of the files already there are `journeys validate`'s to report, not ours.
    theirs = {e.source.path for e in catalog.journeys.values()}
    theirs |= {e.source.path for e in catalog.personas.values()}
    theirs |= {catalog.roadmap.source.path} if catalog.roadmap else set()
    catalog.journeys.update(imported)
    if root is not None:
        problems += [p for p in cross_reference_problems(catalog, root) if p.path not in theirs]
        metrics = catalog.metrics.by_id if catalog.metrics else {}
        for entry in imported.values():
            problems += journey_metric_problems(entry, metrics, catalog.metrics is not None)
    else:
        for entry in imported.values():
            problems += journey_problems(entry)
    files: list[tuple[Path, str]] = []
    for journey in journeys:
        if first.get(journey.id) is not journey:
            continue
        target = into / f"{journey.id}.md"
        there = existing.get(journey.id)
        if there is not None and there.absolute() != target.absolute():
            problems.append(journey.source.at((), f"journey '{journey.id}' already exists as "
                                              f"{display_path(there.absolute())}: importing "
                                              "it would define it twice"))
        elif there is not None and not force:
            problems.append(journey.source.at((), f"{display_path(target.absolute())} exists: "
                                              "use --force to replace it"))
        if journey.id in valid:
            text = journey_file(journey.data, journey.body)
            size = len(text.encode("utf-8"))
            if size > MAX_BYTES:
                problems.append(journey.source.at((), f"its journey file would be "
                                                  f"{size / MAX_BYTES:.1f} MiB; the limit "
                                                  "is 1 MiB"))
            files.append((target, text))
    places = {(p.path, p.line, p.column) for p in reported}
    return files, sorted(set(reported) | {p for p in problems
                                          if (p.path, p.line, p.column) not in places})


def _existing_journeys(root: Path, layout: Layout) -> dict[str, Path]:
    paths, _ = content_files(root, layout.journeys_dir)
    return {p.stem: p for p in paths}


def _files_in(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if p.suffix.lower() in (".md", ".yml", ".yaml")]


# --- writing ---------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, as the guide's examples are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Text of several lines as a literal block where YAML allows one (PyYAML falls back to
    # quotes where it does not: trailing spaces, special characters).
    return dumper.represent_scalar("tag:yaml.org,2002:str", value,
                                   style="|" if "\n" in value else None)


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    # Scores and ids on one line, as the guide writes them: `emotion: [-1, -0.5]`.
    short = all(isinstance(v, int | float) and not isinstance(v, bool) for v in value) or all(
        isinstance(v, str) and SLUG.fullmatch(v) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value,
                                     flow_style=bool(value) and short)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(list, _list)

_ORDER: dict[str, tuple[str, ...]] = {
    "journey": tuple(Journey.model_fields),
    "stage": tuple(Stage.model_fields),
    "touchpoint": tuple(Touchpoint.model_fields),
    "opportunity": tuple(Opportunity.model_fields),
}
_INNER = {("journey", "stages"): "stage", ("stage", "touchpoints"): "touchpoint",
          ("journey", "opportunities"): "opportunity"}


def _ordered(data: dict[str, Any], kind: str) -> dict[str, Any]:
    """Keys in the order of the model's fields (the guide's order), lists of mappings too."""
    order = _ORDER[kind]
    keys = sorted(data, key=lambda k: (order.index(k) if k in order else len(order), k))
    out: dict[str, Any] = {}
    for key in keys:
        value = data[key]
        inner = _INNER.get((kind, key))
        if inner is not None and isinstance(value, list):
            value = [_ordered(v, inner) if isinstance(v, dict) else v for v in value]
        out[key] = value
    return out


def journey_file(data: dict[str, Any], body: str) -> str:
    """A journey `.md` file: the data as YAML front matter, then the body."""
    front = yaml.dump(_ordered(data, "journey"), Dumper=_Dumper, sort_keys=False,
                      allow_unicode=True, default_flow_style=False, width=100)
    return f"---\n{front}---\n{body}"


def write_files(files: Sequence[tuple[Path, str]]) -> list[Problem]:
    """Write each file; print its path. A file that cannot be written is a problem."""
    problems: list[Problem] = []
    for path, text in files:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
        except OSError as error:
            problems.append(Problem(display_path(path.absolute()), 1, 1,
                                    f"cannot write file: {error.strerror}"))
            continue
        print(f"journeys: wrote {display_path(path.absolute())}")
    return problems
