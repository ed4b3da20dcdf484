"""The `journeys` command: validate content, print the schema, print a journey's figures,
compare two revisions, import journeys from other sources and export them as spreadsheets."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from . import __version__
from .catalog import Catalog, Layout, load_catalog
from .config import layout_of, read_site_options, scale_of
from .content_files import display_path
from .durations import format_duration
from .figures import journey_figures, organisation_figures
from .labels import Labels
from .model import EmotionScale, Journey, MetricsFile, Persona, Roadmap
from .problems import Problem

DEFAULT_CONTENT = "content"


def site_settings(start: Path = Path()) -> tuple[Path | None, Layout, EmotionScale]:
    """The content folder, layout and emotion scale from ./mkdocs.yml, or the defaults."""
    mkdocs_yml = start / "mkdocs.yml"
    if not mkdocs_yml.is_file():
        return None, Layout(), EmotionScale()
    docs_dir, config = read_site_options(mkdocs_yml)
    return docs_dir, layout_of(config), scale_of(config)


def content_root(path: Path, layout: Layout) -> Path | None:
    """The content folder a file belongs to: the parent of its journeys or personas folder."""
    path = path.parent.resolve() / path.name  # a linked file is named by its link
    if path.is_dir():
        if any((path / part).exists() for part in (layout.journeys_dir, layout.personas_dir,
                                                   layout.roadmap_file, layout.metrics_file)):
            return path
        folder = path  # `journeys validate content/journeys` means the content around it
    elif path.name in (Path(layout.roadmap_file).name, Path(layout.metrics_file).name):
        return path.parent
    else:
        folder = path.parent
    # Journeys may sit in subfolders (even one named like the data folder): their folders
    # are looked for first.
    for kinds in ((layout.journeys_dir, layout.personas_dir), (layout.data_dir,)):
        for ancestor in (folder, *folder.parents):
            for kind in kinds:
                if ancestor.as_posix().endswith("/" + kind.strip("/")):
                    return ancestor.parents[len(Path(kind).parts) - 1]
    return None


def validate(paths: Sequence[Path], layout: Layout,
             scale: EmotionScale) -> tuple[dict[Path, Catalog], list[Problem]]:
    """Every problem in the given folders, or in the content folders holding the given files.

    For a file, or a folder inside a content folder, the whole content folder is read, since
    references cross files, but only the problems of what was named are reported.
    """
    problems: list[Problem] = []
    catalogs: dict[Path, Catalog] = {}
    found: dict[Path, list[Problem]] = {}
    for path in paths:
        if not path.exists():
            problems.append(Problem(display_path(path.absolute()), 1, 1, "no such file or folder"))
            continue
        root = content_root(path, layout)
        if root is None:
            problems.append(Problem(display_path(path.absolute()), 1, 1,
                                    f"not content: journeys go in '{layout.journeys_dir}/' and "
                                    f"personas in '{layout.personas_dir}/' of a content folder"))
            continue
        if root not in catalogs:
            catalogs[root], found[root] = load_catalog(root, layout, scale)
        # Problem paths are made from the resolved content folder, and a link's problem
        # belongs to the link, not to the file it leads to: neither side resolves its name.
        named = path.parent.resolve() / path.name
        if path.is_dir():
            problems += [p for p in found[root] if _absolute(p.path).is_relative_to(named)]
        else:
            problems += [p for p in found[root] if _absolute(p.path) == named]
    return catalogs, sorted(set(problems))


def _absolute(path: str) -> Path:
    return Path(os.path.abspath(path))


def _report(problems: list[Problem]) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def command_validate(arguments: argparse.Namespace) -> int:
    docs_dir, layout, scale = site_settings()
    paths = arguments.paths or [docs_dir if docs_dir is not None else Path(DEFAULT_CONTENT)]
    _, problems = validate(paths, layout, scale)
    if not problems:
        print(f"journeys: {', '.join(str(p) for p in paths)}: no problems")
    return _report(problems)


def command_schema(arguments: argparse.Namespace) -> int:
    _, _, scale = site_settings()
    print(json.dumps(content_schema(scale, arguments.kind), indent=2, ensure_ascii=False))
    return 0


def command_figures(arguments: argparse.Namespace) -> int:
    docs_dir, layout, scale = site_settings()
    if arguments.all is not None:
        root = Path(arguments.all or docs_dir or DEFAULT_CONTENT)
        catalogs, problems = validate([root], layout, scale)
        if problems:
            return _report(problems)
        catalog = next(iter(catalogs.values()))
        journeys = {i: e.journey for i, e in catalog.journeys.items()}
        measures = {i: e.measures for i, e in catalog.journeys.items()}
        print(json.dumps(organisation_figures(journeys, measures), indent=2, ensure_ascii=False))
        return 0
    if arguments.file is None:
        print("journeys figures: give a journey FILE, or --all [PATH]", file=sys.stderr)
        return 2
    path = Path(arguments.file)
    catalogs, problems = validate([path], layout, scale)
    if problems:
        return _report(problems)
    catalog = next(iter(catalogs.values()))
    entry = catalog.journeys.get(path.stem)
    if entry is None or Path(entry.src_uri).name != path.name:
        return _report([Problem(display_path(path.absolute()), 1, 1, "not a journey file")])
    figures = journey_figures(entry.journey, entry.measures).as_dict()
    if arguments.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        labels = Labels("en")
        for name, value in figures.items():
            if name == "measures":
                for measure in value:
                    print(f"measure: {_measure_line(measure)}")
                continue
            if value is None:
                shown = "none"
            elif isinstance(value, dict) and "seconds" in value:
                shown = f"{value['action']} ({format_duration(value['seconds'], labels)})"
            elif isinstance(value, dict):
                shown = f"{value['action']} ({value['emotion']:+g})"
            elif name in ("elapsed", "waiting"):
                shown = format_duration(value, labels)
            else:
                shown = f"{value:g}" if isinstance(value, float) else value
            print(f"{name}: {shown}")
    return 0


def _measure_line(measure: dict[str, Any]) -> str:
    """'csat at touchpoint call-desk: 86 (target 80, met, 2026-11-01)'."""
    place = measure["touchpoint"] if measure["where"] == "touchpoint" else measure["place"]
    where = "journey" if measure["where"] == "journey" else f"{measure['where']} {place}"
    state = {True: "met", False: "missed"}.get(measure["met"])
    target = f"target {measure['target']:g}, {state}" if state else "no target"
    when = measure["as_of"] or "journey file"
    return f"{measure['metric']} at {where}: {measure['value']:g} ({target}, {when})"


def command_render(arguments: argparse.Namespace) -> int:
    """`journeys render FILE [-o OUT]`: SVG, PNG or PDF by the output's suffix; 0 written,
    1 content problems, 2 usage (a suffix we do not write, a renderer not installed)."""
    from . import raster  # no renderer imported here: only its names and checks

    output = arguments.output
    to_file = output not in (None, "-")
    suffix = Path(output).suffix.lower() if to_file else ".svg"
    # Another suffix would get SVG under a name that promises something else: refused as a
    # usage error, like a missing renderer, before anything is read or written.
    if suffix not in raster.FORMATS:
        print(f"journeys render: cannot write '{output}': the suffix decides the format, one "
              "of .svg, .png, .pdf", file=sys.stderr)
        return 2
    scale = arguments.scale
    if not (math.isfinite(scale) and scale > 0):
        print(f"journeys render: --scale must be a number above 0, not {scale:g}",
              file=sys.stderr)
        return 2
    if suffix == ".svg" and scale != 1:
        print("journeys render: --scale sizes PNG and PDF output; an SVG is drawn at its own "
              "size", file=sys.stderr)
        return 2
    missing = raster.missing(suffix) if suffix != ".svg" else None
    if missing is not None:
        print(f"journeys render: {missing}", file=sys.stderr)
        return 2
    _, layout, emotion_scale = site_settings()
    path = Path(arguments.file)
    catalogs, problems = validate([path], layout, emotion_scale)
    entry = next(iter(catalogs.values())).journeys.get(path.stem) if catalogs else None
    if problems or entry is None:
        return _report(problems or [Problem(display_path(path.absolute()), 1, 1,
                                            "not a journey file")])
    from .charts import map_options, standalone_map, stylesheet  # drawing code: when drawing

    catalog = next(iter(catalogs.values()))
    labels = Labels(arguments.language)
    if suffix == ".svg":
        svg = standalone_map(entry, catalog, emotion_scale, labels)
        if not to_file:
            sys.stdout.write(svg)
            return 0
        Path(output).write_text(svg, encoding="utf-8")
    else:
        from .render import render_journey_map

        drawing = render_journey_map(entry.journey,
                                     map_options(entry, catalog, emotion_scale, labels))
        if not raster.measured_font_installed():
            print(f"journeys render: {raster.FONT_HINT}", file=sys.stderr)
        write = raster.to_png if suffix == ".png" else raster.to_pdf
        Path(output).write_bytes(write(drawing, stylesheet(), scale))
    print(f"journeys: wrote {output}", file=sys.stderr)
    return 0


def command_diff(arguments: argparse.Namespace) -> int:
    """`journeys diff BASE [HEAD]`: 0 compared, 1 content problems on either side, 2 usage."""
    import tempfile

    from .diff import GitError, compare, repository_top, revision_catalog, verify_revision
    from .diff_report import head_name, json_report, markdown_report, problems_report

    docs_dir, layout, scale = site_settings()
    docs = (docs_dir if docs_dir is not None else Path(DEFAULT_CONTENT)).absolute()
    with tempfile.TemporaryDirectory(prefix="journeys-diff-") as scratch:
        try:
            top = repository_top(Path())
            base = verify_revision(top, arguments.base)
            head = verify_revision(top, arguments.head) if arguments.head else None
            before, base_problems = revision_catalog(top, base, docs, layout, scale,
                                                     Path(scratch) / "base")
            if head is None:
                after, head_problems = load_catalog(docs, layout, scale)
            else:
                after, head_problems = revision_catalog(top, head, docs, layout, scale,
                                                        Path(scratch) / "head")
        except GitError as error:
            print(f"journeys diff: {error}", file=sys.stderr)
            return 2
    if base_problems or head_problems:
        for name, problems in ((f"BASE {arguments.base}", base_problems),
                               (f"HEAD {arguments.head}" if head else head_name(None),
                                head_problems)):
            if problems:
                print(f"journeys diff: {name} has problems:", file=sys.stderr)
                _report(problems)
        if arguments.format == "markdown":
            # A pull request's comment then says why there is no comparison, instead of
            # keeping the last one, which no longer tells what the branch changes.
            sys.stdout.write(problems_report(arguments.base, arguments.head,
                                             [("BASE", base_problems), ("HEAD", head_problems)]))
        return 1
    diff = compare(before, after)
    if arguments.format == "json":
        sys.stdout.write(json_report(diff, arguments.base, arguments.head))
    else:
        sys.stdout.write(markdown_report(diff, arguments.base, arguments.head))
    if arguments.charts is not None:
        _write_diff_charts(diff, Path(arguments.charts), scale, arguments.base,
                           head_name(arguments.head))
    return 0


def _write_diff_charts(diff: Any, folder: Path, scale: EmotionScale, base: str,
                       head: str) -> None:
    """Per journey changed or renamed, both curves over its stages: `<id>.svg`."""
    from .render import ComparisonOptions, Series, render_comparison

    folder.mkdir(parents=True, exist_ok=True)
    for journey in diff.journeys:
        if journey.before is None or journey.after is None:
            continue
        series = [Series(f"{base}", journey.before), Series(head, journey.after)]
        svg = render_comparison(series, ComparisonOptions(
            scale=scale, id_prefix=f"diff-{journey.id}", title=journey.title))
        (folder / f"{journey.id}.svg").write_text(svg, encoding="utf-8")
        print(f"journeys: wrote {folder / (journey.id + '.svg')}", file=sys.stderr)


def command_import(arguments: argparse.Namespace) -> int:
    """`journeys import SOURCE...`: 0 written, 1 problems (nothing written), 2 usage."""
    from .importing import ImportOptions, UsageError, journeys_root, plan, source_kind, write_files
    from .model import SLUG

    docs_dir, layout, scale = site_settings()
    if arguments.persona is not None and not SLUG.fullmatch(arguments.persona):
        print(f"journeys import: --persona '{arguments.persona}' is not an id (lower-case "
              "letters, digits and hyphens)", file=sys.stderr)
        return 2
    into = Path(arguments.into) if arguments.into else \
        (docs_dir if docs_dir is not None else Path(DEFAULT_CONTENT)) / layout.journeys_dir
    if into.exists() and not into.is_dir():
        print(f"journeys import: --into {arguments.into} is not a folder", file=sys.stderr)
        return 2
    options = ImportOptions(scale, arguments.persona)
    problems: list[Problem] = []
    journeys = []
    for name in arguments.sources:
        path = Path(name)
        if not path.exists():
            problems.append(Problem(display_path(path.absolute()), 1, 1, "no such file or folder"))
            continue
        try:
            read = source_kind(path)
        except UsageError as error:
            print(f"journeys import: {error}", file=sys.stderr)
            return 2
        reading = read(path, options)
        problems += reading.problems
        journeys += reading.journeys
    files, problems = plan(journeys, into, layout, scale, arguments.force, problems)
    if problems:
        return _report(problems)
    if not files:
        print("journeys import: no journeys found", file=sys.stderr)
        return 1
    if journeys_root(into, layout) is None:
        print(f"journeys import: {display_path(into.absolute())} is not in the "
              f"'{layout.journeys_dir}' folder of a content folder: persona, compare_to and "
              "milestones were not checked", file=sys.stderr)
    return _report(write_files(files))


def command_export(arguments: argparse.Namespace) -> int:
    """`journeys export [PATH] -o TARGET`: 0 written, 1 problems (nothing written), 2 usage."""
    from . import sheets

    docs_dir, layout, scale = site_settings()
    target = Path(arguments.output)
    kind = arguments.format or ("xlsx" if target.suffix.lower() == ".xlsx" else "csv")
    if kind == "xlsx":
        try:
            import openpyxl  # noqa: F401
        except ImportError:
            print(f"journeys export: {sheets.missing_openpyxl()}", file=sys.stderr)
            return 2
    if (kind == "csv" and target.exists() and not target.is_dir()) or \
            (kind == "xlsx" and target.is_dir()):
        print(f"journeys export: -o {arguments.output}: "
              + ("csv is written as a folder of files" if kind == "csv" else "is a folder"),
              file=sys.stderr)
        return 2
    path = Path(arguments.path or docs_dir or DEFAULT_CONTENT)
    catalogs, problems = validate([path], layout, scale)
    if problems:
        return _report(problems)
    root, catalog = next(iter(catalogs.items()))
    named = path.parent.resolve() / path.name
    entries = [e for e in catalog.journeys.values()
               if (root / e.src_uri).absolute() == named or (named.is_dir()
               and (root / e.src_uri).absolute().is_relative_to(named))]
    export = sheets.export_tables(catalog, entries, root)
    if kind == "xlsx":
        export.problems += sheets.xlsx_problems(export, {e.id: e for e in entries})
    if export.problems:
        return _report(sorted(set(export.problems)))
    if kind == "xlsx":
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(sheets.workbook_bytes(export.rows))
        written = [target]
    else:
        written = sheets.write_csv(export.rows, target)
    for file in written:
        print(f"journeys: wrote {display_path(file.absolute())}")
    return 0


def content_schema(scale: EmotionScale, kind: str = "all") -> dict[str, Any]:
    """JSON Schema of the content format, generated from the models, with the site's scale."""
    models: dict[str, Any] = {"journey": Journey, "persona": Persona, "roadmap": Roadmap,
                              "metrics": MetricsFile}
    chosen = models if kind == "all" else {kind: models[kind]}
    schema: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    definitions: dict[str, Any] = {}
    for model in chosen.values():
        part = TypeAdapter(model).json_schema()
        definitions.update(part.pop("$defs", {}))
        definitions[model.__name__] = part
    _set_emotion_range(definitions.get("Touchpoint"), scale)
    schema["$defs"] = definitions
    if kind == "all":
        schema["anyOf"] = [{"$ref": f"#/$defs/{m.__name__}"} for m in chosen.values()]
    else:
        schema["$ref"] = f"#/$defs/{models[kind].__name__}"
    return schema


def _set_emotion_range(touchpoint: dict[str, Any] | None, scale: EmotionScale) -> None:
    if touchpoint is None:
        return
    score = {"type": "number", "minimum": scale.low, "maximum": scale.high}
    emotion = touchpoint["properties"]["emotion"]
    emotion["anyOf"] = [score, {"type": "array", "items": score, "minItems": 1}, {"type": "null"}]


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="journeys", description="Customer journey maps as code.")
    main_parser.add_argument("--version", action="version", version=f"journeys {__version__}")
    commands = main_parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check content files; exit 1 on any problem")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="content folders or files (default: the site's docs_dir, "
                       "else ./content)")
    check.set_defaults(run=command_validate)
    schema = commands.add_parser("schema", help="print the JSON Schema of the content format")
    schema.add_argument("--kind", choices=["all", "journey", "persona", "roadmap", "metrics"],
                        default="all")
    schema.set_defaults(run=command_schema)
    figures = commands.add_parser(
        "figures", help="print the derived figures of one journey, or of all of them")
    figures.add_argument("file", metavar="FILE", nargs="?")
    figures.add_argument("--all", metavar="PATH", nargs="?", const="",
                         help="figures across every journey of a content folder, as JSON "
                         "(default: the site's docs_dir, else ./content)")
    figures.add_argument("--json", action="store_true", help="print JSON")
    figures.set_defaults(run=command_figures)
    render = commands.add_parser(
        "render", help="write the journey map of one journey as SVG, PNG or PDF",
        description="Write the journey map of one journey file. The output's suffix decides "
        "the format: .svg (the default, on standard output), .png or .pdf; PNG and PDF need "
        "the extra 'raster' (pip install 'mkdocs-journey-plugin[raster]').")
    render.add_argument("file", metavar="FILE")
    render.add_argument("-o", "--output", metavar="OUT.svg|OUT.png|OUT.pdf",
                        help="where to write; the suffix decides the format (default: SVG on "
                        "standard output)")
    render.add_argument("--scale", type=float, default=1.0,
                        help="PNG: pixels per pixel of the map (2 for a sharp slide); PDF: "
                        "points per pixel of the map; default 1")
    render.add_argument("--language", default="en", help="language of the map's labels")
    render.set_defaults(run=command_render)
    diff = commands.add_parser(
        "diff", help="what changed in journeys, personas and the roadmap between two revisions")
    diff.add_argument("base", metavar="BASE", help="a git revision")
    diff.add_argument("head", metavar="HEAD", nargs="?",
                      help="a git revision (default: the working tree, uncommitted changes "
                      "included)")
    diff.add_argument("--format", choices=["markdown", "json"], default="markdown",
                      help="markdown: for a pull-request comment (default); json: everything")
    diff.add_argument("--charts", metavar="DIR",
                      help="write both curves of each changed journey to DIR/<id>.svg")
    diff.set_defaults(run=command_diff)
    source = commands.add_parser(
        "import", help="write journey files from spreadsheets (a CSV folder, an .xlsx "
        "workbook) or Mermaid journeys (.mmd, or the fences of a .md file)")
    source.add_argument("sources", nargs="+", metavar="SOURCE",
                        help="a folder of journeys.csv, touchpoints.csv and opportunities.csv, "
                        "an .xlsx workbook with those sheets, a Mermaid .mmd file or a "
                        "Markdown file with Mermaid journey fences")
    source.add_argument("--persona", metavar="ID",
                        help="the persona of journeys whose source names none")
    source.add_argument("--into", metavar="DIR",
                        help="where to write them (default: the journeys folder of the site's "
                        "docs_dir, else ./content/journeys)")
    source.add_argument("--force", action="store_true", help="replace files that exist")
    source.set_defaults(run=command_import)
    export = commands.add_parser(
        "export", help="write every journey, touchpoint and opportunity as spreadsheets")
    export.add_argument("path", metavar="PATH", nargs="?",
                        help="a content folder, or a journeys folder or file in it (default: "
                        "the site's docs_dir, else ./content)")
    export.add_argument("--format", choices=["csv", "xlsx"],
                        help="csv: a folder of one file a sheet; xlsx: a workbook (default: by "
                        "the suffix of TARGET)")
    export.add_argument("-o", "--output", metavar="TARGET", required=True,
                        help="the folder (csv) or the .xlsx file to write")
    export.set_defaults(run=command_export)
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        result: int = arguments.run(arguments)
    except ValueError as error:  # a wrong mkdocs.yml: say so, never a traceback
        print(f"journeys: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `journeys figures ... | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
