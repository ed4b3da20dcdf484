"""Journeys as spreadsheets: one sheet (or CSV file) each of journeys, touchpoints and
opportunities, read into journey data for `journeys import` and written from a catalog by
`journeys export`.

The headers are the field names of the journey format; a touchpoint or opportunity row names
its journey in its `journey` column, and rows are in the journey's order. A touchpoint whose
`stage` cell is empty stays in the stage above it. Lists are one item a line in their cell
(`expectations`, `teams`, `tags`), touchpoint ids of an opportunity are separated by commas or
lines, and interview scores by semicolons (`-1; 0; -2`: a comma is a decimal comma in many
spreadsheets). The journey's Markdown body is its `notes` cell.

A problem is `path:row:column: message`, row and column counted as a spreadsheet does (the
header is row 1, column A is 1); in a workbook the message starts with the sheet and the cell,
`touchpoints!H7: ...`, so that the first three parts stay the file, the row and the column.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .content_files import display_path
from .importing import ImportedJourney, ImportOptions, Reading
from .loading import did_you_mean, parse_document
from .problems import Loc, Problem, Source

if TYPE_CHECKING:
    from .catalog import Catalog, JourneyEntry


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its header (a field name) and how its cells are read."""

    name: str
    kind: str = "text"  # text | lines | emotion | bool | ids | body | metrics
    required: bool = False  # the sheet cannot be read without it


SHEETS: dict[str, tuple[Column, ...]] = {
    "journeys": (
        Column("id", required=True), Column("title"), Column("persona"), Column("state"),
        Column("compare_to"), Column("group"), Column("goal"), Column("expectations", "lines"),
        Column("teams", "lines"), Column("tags", "lines"), Column("time_axis", "bool"),
        Column("metrics", "metrics"), Column("notes", "body")),
    "touchpoints": (
        Column("journey", required=True), Column("stage", required=True), Column("id"),
        Column("action"), Column("channel"), Column("team"), Column("backstage", "bool"),
        Column("emotion", "emotion"), Column("feeling"), Column("quote"), Column("pain"),
        Column("gap"), Column("duration"), Column("wait"), Column("moment_of_truth", "bool"),
        Column("actors", "lines"), Column("metrics", "metrics"),
        Column("stage_metrics", "metrics")),
    "opportunities": (
        Column("journey", required=True), Column("id"), Column("title"),
        Column("touchpoints", "ids"), Column("priority"), Column("team"), Column("status"),
        Column("milestone"), Column("description")),
}
OPTIONAL_SHEETS = frozenset({"opportunities"})  # a journey may have none
# Characters that make a spreadsheet program read a cell as a formula (OWASP's CSV injection
# list); in CSV such text is written after a quote, which reading takes off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_WORKBOOK = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 200
EXCEL_CELL = 32_767  # characters an Excel cell holds
MAX_FIELD = 16 * 1024 * 1024  # characters of a CSV cell
MAX_WIDTH = 60  # of a column, in characters: longer text wraps


def cell_name(row: int, column: int) -> str:
    """`C7`: a cell as spreadsheets name it."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row}"


# --- reading ---------------------------------------------------------------------------------


@dataclass
class Table:
    """One sheet as read: where it is, its header and its rows of cell values."""

    name: str  # journeys | touchpoints | opportunities
    path: str  # the CSV file or the workbook, as problems name it
    sheet: str | None  # the sheet's own name in a workbook
    header: list[Any]
    rows: list[tuple[int, list[Any]]]  # row number (the header is 1) and its values
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row, column) of formulas

    def problem(self, row: int, column: int, message: str) -> Problem:
        where = f"{self.sheet}!{cell_name(row, column)}: " if self.sheet is not None else ""
        return Problem(self.path, row, column, where + message)


@dataclass(frozen=True)
class Cell:
    table: Table
    row: int
    column: int
    header: str
    present: bool = True  # False: the sheet has no such column (the row's first cell, then)


class SheetSource(Source):
    """Where each value of an imported journey was: a cell. Problems found by the model and
    the cross-reference checks are placed there, in the words of the sheet (a value, not a
    key; the column's header where the field has another name)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.cells: dict[Loc, Cell] = {}

    def at(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        missing = re.match(r"missing required key '([^']+)'", message)
        if missing and (*loc, missing.group(1)) in self.cells:
            loc = (*loc, missing.group(1))
        found = loc
        while found and found not in self.cells:
            found = found[:-1]
        cell = self.cells.get(found)
        if cell is None:
            return Problem(self.path, 1, 1, message)
        if missing and found and found[-1] == missing.group(1):
            message = f"missing required value '{cell.header}'" + message[missing.end():] + (
                "" if cell.present else f" (the sheet has no '{cell.header}' column)")
        elif found and isinstance(found[-1], str) and found[-1] != cell.header:
            message = message.replace(f"'{found[-1]}'", f"'{cell.header}'", 1)
        message = re.sub(r"\(first at line (\d+)\)", r"(first at row \1)", message)
        return cell.table.problem(cell.row, cell.column, message)


def _negative_zero(value: float) -> bool:
    return value == 0 and math.copysign(1.0, value) < 0


def _number_text(value: float) -> str:
    if value.is_integer() and abs(value) < 1e16 and not _negative_zero(value):
        return str(int(value))
    return repr(value)


def _as_text(value: Any) -> str | None:
    """A cell as text, as a spreadsheet shows it; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else \
            value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def _score(text: str) -> int | float | None:
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    number = float(text)
    if not math.isfinite(number):
        return None  # 1e999, or an integer of hundreds of digits
    return int(number) if re.fullmatch(r"[-+]?\d+", text) else number


class _Cells:
    """Values of one row of a table, read by column kind; problems noted on the way."""

    def __init__(self, table: Table, row: int, values: list[Any], columns: dict[str, int],
                 problems: list[Problem]) -> None:
        self.table, self.row, self.values = table, row, values
        self.columns, self.problems = columns, problems

    def cell(self, name: str) -> Cell:
        return Cell(self.table, self.row, self.columns.get(name, 1), name, name in self.columns)

    def raw(self, name: str) -> Any:
        column = self.columns.get(name)
        if column is None or column > len(self.values):
            return None
        if (self.row, column) in self.table.formulas:
            self.problems.append(self.table.problem(
                self.row, column, f"'{name}' holds a formula; formulas are not imported: "
                "put the value itself in the cell"))
            return None
        return self.values[column - 1]

    def fail(self, name: str, message: str) -> None:
        self.problems.append(self.table.problem(self.row, self.columns[name], message))

    def value(self, column: Column) -> Any:
        """The cell of `column` as journey data: text, a list, a score, true or false."""
        raw = self.raw(column.name)
        text = _as_text(raw)
        if text is None:
            return None
        if column.kind in ("text", "body"):
            return text
        if column.kind == "lines":
            return [line for line in _LINE_BREAK.split(text) if line.strip()] or None
        if column.kind == "ids":
            return [part for part in re.split(r"[\s,;]+", text) if part] or None
        if column.kind == "metrics":
            return self.metrics(column, text)
        if column.kind == "bool":
            if isinstance(raw, bool):
                return raw
            if text.strip().lower() in ("true", "false"):
                return text.strip().lower() == "true"
            self.fail(column.name, f"'{column.name}' must be true, false or empty, not "
                      f"'{text}'")
            return text  # the model fails on it too (there, said once): no checks after it
        # emotion: a number, or interview scores separated by semicolons
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return raw
        # One interviewee's score as a list (not a plain score) ends with a semicolon: "-1;".
        listed = text.rstrip().endswith(";")
        parts = text.rstrip().removesuffix(";").split(";")
        scores = [_score(part) for part in parts]
        if any(score is None for score in scores):
            hint = " (decimals with a point: 0.5)" if "," in text else ""
            self.fail(column.name, f"'{column.name}' must be a number, or interview scores "
                      f"separated by ';' like -1; 0.5; -2, not '{text}'{hint}")
            return text
        return scores[0] if len(parts) == 1 and not listed else scores

    def metrics(self, column: Column, text: str) -> dict[str, Any] | str:
        """`csat: 82` a line (or separated by ';'): a place's metric values by id."""
        values: dict[str, Any] = {}
        for part in re.split(r"\r\n|\n|\r|;", text):
            if not part.strip():
                continue
            found = re.fullmatch(r"\s*([^:\s]+)\s*:\s*(\S+)\s*", part)
            number = _score(found.group(2).replace(",", ".")) if found else None
            if found is None or number is None:
                self.fail(column.name, f"'{column.name}' must be a metric's id and its value "
                          f"a line, like 'csat: 82', not '{part.strip()}'")
                return text  # the model fails on it too: no checks after it
            values[found.group(1)] = number
        return values or text


def _metrics_text(values: dict[str, float]) -> str | None:
    """A place's metric values as a cell: `csat: 82` a line."""
    return "\n".join(f"{key}: {_number_text(value)}" for key, value in values.items()) or None


def _columns(table: Table, problems: list[Problem]) -> dict[str, int] | None:
    """Column numbers by header; None when a required column is missing."""
    known = {c.name: c for c in SHEETS[table.name]}
    columns: dict[str, int] = {}
    for number, value in enumerate(table.header, start=1):
        name = (_as_text(value) or "").strip().lower()
        if not name:
            if any(len(row) >= number and _as_text(row[number - 1]) is not None
                   for _, row in table.rows):
                problems.append(table.problem(1, number, "this column has values but no "
                                              "header: name it after a field"))
            continue
        if name not in known:
            problems.append(table.problem(1, number, f"unknown column '{name}'"
                                          f"{did_you_mean(name, list(known))}; the columns of "
                                          f"'{table.name}' are {', '.join(known)}"))
        elif name in columns:
            problems.append(table.problem(1, number, f"column '{name}' is there twice (first "
                                          f"in column {cell_name(1, columns[name])[:-1]})"))
        else:
            columns[name] = number
    missing = [c.name for c in SHEETS[table.name] if c.required and c.name not in columns]
    for name in missing:
        problems.append(table.problem(1, 1, f"'{table.name}' needs a column '{name}'"))
    return None if missing else columns


def _rows(table: Table) -> Iterator[tuple[int, list[Any]]]:
    for number, values in table.rows:
        if any(_as_text(v) is not None for v in values):
            yield number, values


def journeys_from_tables(tables: dict[str, Table], options: ImportOptions,
                         problems: list[Problem]) -> list[ImportedJourney]:
    """The journeys of the three tables, each with a source that knows every value's cell."""
    before = len(problems)
    columns = {name: _columns(table, problems) for name, table in tables.items()}
    journeys: dict[str, ImportedJourney] = {}
    sources: dict[str, SheetSource] = {}
    table, heads = tables["journeys"], columns["journeys"]
    if heads is None or len(problems) > before:
        return []  # with a header wrong, every row would be: headers first
    for number, values in _rows(table):
        cells = _Cells(table, number, values, heads, problems)
        journey_id = _as_text(cells.raw("id"))
        if journey_id is None:
            cells.fail("id", "missing required value 'id': the journey's id, its file name")
            continue
        if journey_id in journeys:
            first = journeys[journey_id].source.at((), "")
            cells.fail("id", f"journey '{journey_id}' is there twice (first at row "
                       f"{first.line})")
            continue
        source = SheetSource(table.path)
        source.cells[()] = cells.cell("id")
        data: dict[str, Any] = {}
        body = ""
        for column in SHEETS["journeys"][1:]:
            value = cells.value(column)
            source.cells[(column.name,)] = cells.cell(column.name)
            if column.kind == "body":
                body = value or ""
            elif value is not None:
                data[column.name] = value
                if isinstance(value, list):
                    source.cells |= {(column.name, i): cells.cell(column.name)
                                     for i in range(len(value))}
        if "persona" not in data and options.persona is not None:
            data["persona"] = options.persona
        journeys[journey_id] = ImportedJourney(journey_id, data, body, source)
        sources[journey_id] = source
    _touchpoints(tables["touchpoints"], columns["touchpoints"], journeys, sources, problems)
    if "opportunities" in tables:
        _opportunities(tables["opportunities"], columns["opportunities"], journeys, sources,
                       problems)
    for journey_id, journey in journeys.items():
        if not journey.data.get("stages"):
            problems.append(journey.source.at((), f"journey '{journey_id}' has no touchpoints: "
                                              f"add rows for it to 'touchpoints'"))
    return [j for j in journeys.values() if j.data.get("stages")]


def _journey_of(cells: _Cells, journeys: dict[str, ImportedJourney]) -> str | None:
    journey_id = _as_text(cells.raw("journey"))
    if journey_id is None:
        cells.fail("journey", "missing required value 'journey': the id of the journey this "
                   "row belongs to")
        return None
    if journey_id not in journeys:
        cells.fail("journey", f"unknown journey '{journey_id}'"
                   f"{did_you_mean(journey_id, list(journeys))}: list it in 'journeys'")
        return None
    return journey_id


def _fill(cells: _Cells, columns: Iterable[Column], loc: Loc, source: SheetSource,
          data: dict[str, Any]) -> None:
    source.cells[loc] = cells.cell("journey")
    for column in columns:
        value = cells.value(column)
        source.cells[loc + (column.name,)] = cells.cell(column.name)
        if value is not None:
            data[column.name] = value
            if isinstance(value, list):
                source.cells |= {(*loc, column.name, i): cells.cell(column.name)
                                 for i in range(len(value))}


def _touchpoints(table: Table, heads: dict[str, int] | None,
                 journeys: dict[str, ImportedJourney], sources: dict[str, SheetSource],
                 problems: list[Problem]) -> None:
    if heads is None:
        return
    fields = [c for c in SHEETS["touchpoints"]
              if c.name not in ("journey", "stage", "stage_metrics")]
    stage_column = next(c for c in SHEETS["touchpoints"] if c.name == "stage_metrics")
    for number, values in _rows(table):
        cells = _Cells(table, number, values, heads, problems)
        journey_id = _journey_of(cells, journeys)
        if journey_id is None:
            continue
        data, source = journeys[journey_id].data, sources[journey_id]
        stages: list[dict[str, Any]] = data.setdefault("stages", [])
        name = _as_text(cells.raw("stage"))
        if not stages or (name is not None and name != stages[-1].get("name")):
            stages.append({"name": name, "touchpoints": []} if name is not None else
                          {"touchpoints": []})
            loc: Loc = ("stages", len(stages) - 1)
            source.cells[loc] = source.cells[loc + ("name",)] = cells.cell("stage")
        s = len(stages) - 1
        measured = cells.value(stage_column)
        if measured is not None:
            if "metrics" in stages[s]:
                cells.fail("stage_metrics", "'stage_metrics' is given on an earlier row of this "
                           "stage already: give the stage's values once, on one of its rows")
            else:
                stages[s]["metrics"] = measured
                source.cells[("stages", s, "metrics")] = cells.cell("stage_metrics")
        touchpoint: dict[str, Any] = {}
        _fill(cells, fields, ("stages", s, "touchpoints", len(stages[s]["touchpoints"])),
              source, touchpoint)
        stages[s]["touchpoints"].append(touchpoint)


def _opportunities(table: Table, heads: dict[str, int] | None,
                   journeys: dict[str, ImportedJourney], sources: dict[str, SheetSource],
                   problems: list[Problem]) -> None:
    if heads is None:
        return
    fields = [c for c in SHEETS["opportunities"] if c.name != "journey"]
    for number, values in _rows(table):
        cells = _Cells(table, number, values, heads, problems)
        journey_id = _journey_of(cells, journeys)
        if journey_id is None:
            continue
        found: list[dict[str, Any]] = journeys[journey_id].data.setdefault("opportunities", [])
        opportunity: dict[str, Any] = {}
        _fill(cells, fields, ("opportunities", len(found)), sources[journey_id], opportunity)
        found.append(opportunity)


# --- CSV -------------------------------------------------------------------------------------


def _csv_text(data: bytes, display: str) -> tuple[str | None, Problem | None]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, Problem(display, line, 1, f"not UTF-8 text (byte "
                             f"0x{data[error.start]:02x}); save the CSV file as UTF-8")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, Problem(display, line, 1, "binary file: it contains a NUL byte")
    return text, None


def _unguarded(value: str) -> str:
    """A CSV cell as written before export guarded it against formulas."""
    if value.startswith("'") and value[1:2] and value[1] in (*FORMULA_START, "'"):
        return value[1:]
    return value


def read_csv_table(path: Path, name: str) -> tuple[Table | None, list[Problem]]:
    display = display_path(path.absolute())
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(display, 1, 1, f"cannot read file: {error.strerror}")]
    text, problem = _csv_text(data, display)
    if text is None:
        return None, [problem] if problem else []
    first = _LINE_BREAK.split(text, maxsplit=1)[0]
    # Spreadsheets in many languages save CSV with semicolons: the header line tells which.
    delimiter = next((d for d in (",", ";", "\t") if d in first), ",")
    # A body may be longer than the csv module's 128 KiB a field (the limit is process-wide).
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, row in enumerate(reader, start=1):
            if number > MAX_ROWS + 1:
                return None, [Problem(display, number, 1, f"more than {MAX_ROWS} rows")]
            rows.append((number, [_unguarded(v) if v else None for v in row]))
    except csv.Error as error:
        return None, [Problem(display, len(rows) + 1, 1, f"not CSV that can be read: {error}")]
    if not rows:
        return None, [Problem(display, 1, 1, "file is empty: the first row holds the headers")]
    return Table(name, display, None, rows[0][1], rows[1:]), []


def read_csv_folder(folder: Path, options: ImportOptions) -> Reading:
    """`journeys.csv`, `touchpoints.csv` and `opportunities.csv` (optional) of a folder."""
    reading = Reading()
    tables: dict[str, Table] = {}
    for name in SHEETS:
        path = folder / f"{name}.csv"
        if not path.is_file():
            if name not in OPTIONAL_SHEETS:
                reading.problems.append(Problem(display_path(path.absolute()), 1, 1,
                                                f"no {name}.csv in this folder"))
            continue
        table, problems = read_csv_table(path, name)
        reading.problems += problems
        if table is not None:
            tables[name] = table
    if all(name in tables for name in SHEETS if name not in OPTIONAL_SHEETS):
        reading.journeys = journeys_from_tables(tables, options, reading.problems)
    return reading


# --- xlsx ------------------------------------------------------------------------------------


def missing_openpyxl() -> str:
    return ("workbooks need openpyxl: pip install 'mkdocs-journey-plugin[xlsx]' "
            "(or openpyxl itself)")


def read_workbook(path: Path, options: ImportOptions) -> Reading:
    """The sheets `journeys`, `touchpoints` and `opportunities` (optional) of a workbook;
    other sheets are left alone (a template may explain itself in one)."""
    display = display_path(path.absolute())
    reading = Reading()
    import openpyxl  # an extra: `source_kind` has checked that it is there
    try:
        size = path.stat().st_size
    except OSError as error:
        reading.problems.append(Problem(display, 1, 1, f"cannot read file: {error.strerror}"))
        return reading
    if size > MAX_WORKBOOK:
        reading.problems.append(Problem(display, 1, 1, f"file is {size / 2**20:.1f} MiB; the "
                                        f"limit is {MAX_WORKBOOK // 2**20} MiB"))
        return reading
    tables: dict[str, Table] = {}
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
        try:
            named = {sheet.title.strip().lower(): sheet for sheet in workbook.worksheets}
            for name in SHEETS:
                sheet = named.get(name)
                if sheet is None:
                    if name not in OPTIONAL_SHEETS:
                        reading.problems.append(Problem(
                            display, 1, 1, f"no sheet '{name}' in this workbook (its sheets: "
                            f"{', '.join(s.title for s in workbook.worksheets)})"))
                    continue
                table, problems = _sheet_table(sheet, name, display)
                reading.problems += problems
                if table is not None:
                    tables[name] = table
        finally:
            workbook.close()
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError, SyntaxError,
            IndexError, AttributeError) as error:
        # openpyxl raises whatever its parts raise on a damaged file; none of it is a bug here.
        said = " ".join(str(error).split()) or type(error).__name__  # one line, as all are
        reading.problems.append(Problem(display, 1, 1, "not an Excel workbook (.xlsx) that can "
                                        f"be read: {said}"))
        return reading
    if all(name in tables for name in SHEETS if name not in OPTIONAL_SHEETS):
        reading.journeys = journeys_from_tables(tables, options, reading.problems)
    return reading


def _sheet_table(sheet: Any, name: str, display: str) -> tuple[Table | None, list[Problem]]:
    rows: list[tuple[int, list[Any]]] = []
    formulas: set[tuple[int, int]] = set()
    problems: list[Problem] = []
    table = Table(name, display, sheet.title, [], rows, formulas)
    for number, row in enumerate(sheet.iter_rows(), start=1):
        if number > MAX_ROWS + 1:
            return None, [table.problem(number, 1, f"more than {MAX_ROWS} rows")]
        values: list[Any] = []
        for column, cell in enumerate(row[:MAX_COLUMNS], start=1):
            kind = getattr(cell, "data_type", None)
            if kind == "f":
                formulas.add((number, column))
            elif kind == "e":
                problems.append(table.problem(number, column, f"the cell holds the error "
                                              f"{cell.value}: put a value in it"))
                values.append(None)
                continue
            values.append(cell.value)
        rows.append((number, values))
    if not rows:
        return None, [table.problem(1, 1, "the sheet is empty: the first row holds the "
                                    "headers")]
    table.header = rows.pop(0)[1]
    return table, problems


# --- export ----------------------------------------------------------------------------------


@dataclass
class Export:
    """The three tables of every journey, as rows of cell values (None: empty)."""

    rows: dict[str, list[list[Any]]]
    problems: list[Problem]


def _written(raw: Any, loc: Loc, fallback: Any) -> Any:
    """Text as the author wrote it (the model isolates direction controls, which a second
    reading would do again), else the model's value."""
    node = raw
    for part in loc:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return fallback
    if isinstance(node, str):
        return node
    source = getattr(node, "source", None)
    return source if isinstance(source, str) else fallback


def _emotion(value: float | list[float] | None) -> Any:
    if value is None:
        return None
    if isinstance(value, list):
        return "; ".join(_number_text(v) for v in value) + (";" if len(value) == 1 else "")
    # A number cell where a workbook keeps it exactly (openpyxl writes 16 digits), else text.
    if value.is_integer() and abs(value) < 1e16 and not _negative_zero(value):
        return int(value)
    return value if float(f"{value:.16g}") == value and not _negative_zero(value) else \
        _number_text(value)


def export_tables(catalog: Catalog, entries: Iterable[JourneyEntry], root: Path) -> Export:
    """Rows of every journey of `entries`, its text as written in its file."""
    out = Export({name: [] for name in SHEETS}, [])
    for entry in entries:
        raw = _raw_data(root / entry.src_uri, entry)
        _export_journey(entry, raw, out)
    return out


def _raw_data(path: Path, entry: JourneyEntry) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    document, _ = parse_document(text, entry.source.path, path.suffix)
    return document.data if document is not None else {}


def _lines(entry: JourneyEntry, raw: Any, key: str, items: list[str], loc: Loc,
           out: Export) -> str | None:
    written = [_written(raw, (*loc, key, i), item) for i, item in enumerate(items)]
    for i, item in enumerate(written):
        if _LINE_BREAK.search(item) or not item.strip():
            out.problems.append(entry.source.at(
                (*loc, key, i), f"an item of '{key}' is "
                + ("blank" if not item.strip() else "more than one line")
                + ", which a spreadsheet cannot keep (one item a line in its cell): "
                "write it on one line"))
    return "\n".join(written) or None


def _export_journey(entry: JourneyEntry, raw: dict[str, Any], out: Export) -> None:
    journey = entry.journey
    text = {name: _written(raw, (name,), getattr(journey, name)) for name in (
        "title", "persona", "state", "compare_to", "group", "goal")}
    out.rows["journeys"].append([
        entry.id, *text.values(),
        *(_lines(entry, raw, key, getattr(journey, key), (), out)
          for key in ("expectations", "teams", "tags")),
        True if journey.time_axis else None, _metrics_text(journey.metrics),
        entry.body or None])
    previous: str | None = None
    for s, stage in enumerate(journey.stages):
        name = _written(raw, ("stages", s, "name"), stage.name)
        if name == previous:
            out.problems.append(entry.source.at(
                ("stages", s, "name"), f"stage '{name}' follows a stage of the same name; "
                "in a spreadsheet they would be one stage: name them apart"))
        previous = name
        for t, touchpoint in enumerate(stage.touchpoints):
            loc: Loc = ("stages", s, "touchpoints", t)
            out.rows["touchpoints"].append([
                entry.id, name, touchpoint.id,
                *(_written(raw, (*loc, key), getattr(touchpoint, key))
                  for key in ("action", "channel", "team")),
                True if touchpoint.backstage else None, _emotion(touchpoint.emotion),
                *(_written(raw, (*loc, key), getattr(touchpoint, key))
                  for key in ("feeling", "quote", "pain", "gap", "duration", "wait")),
                True if touchpoint.moment_of_truth else None,
                _lines(entry, raw, "actors", touchpoint.actors, loc, out),
                _metrics_text(touchpoint.metrics),
                _metrics_text(stage.metrics) if t == 0 else None])
    for o, opportunity in enumerate(journey.opportunities):
        loc = ("opportunities", o)
        out.rows["opportunities"].append([
            entry.id, opportunity.id, _written(raw, (*loc, "title"), opportunity.title),
            ", ".join(opportunity.touchpoints), opportunity.priority,
            _written(raw, (*loc, "team"), opportunity.team), opportunity.status,
            opportunity.milestone, _written(raw, (*loc, "description"),
                                            opportunity.description)])


def _guarded(value: Any) -> Any:
    """Text as CSV data, never a formula (OWASP: a quote before = + - @ tab and return)."""
    if isinstance(value, str) and value.startswith((*FORMULA_START, "'")):
        return "'" + value
    return value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number_text(float(value)) if isinstance(value, float) else str(value)
    return str(_guarded(value))


def write_csv(rows: dict[str, list[list[Any]]], folder: Path) -> list[Path]:
    """One UTF-8 file a table, with a byte-order mark so that Excel reads it as UTF-8."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, columns in SHEETS.items():
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([c.name for c in columns])
        writer.writerows([_csv_cell(v) for v in row] for row in rows[name])
        path = folder / f"{name}.csv"
        path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
        written.append(path)
    return written


def xlsx_problems(export: Export, entries: dict[str, JourneyEntry]) -> list[Problem]:
    """What a workbook cannot hold: characters XML forbids, cells over Excel's length."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    problems = []
    for name, rows in export.rows.items():
        for row in rows:
            for column, value in zip(SHEETS[name], row, strict=True):
                if not isinstance(value, str):
                    continue
                entry = entries[row[0]]
                what = "the body" if column.kind == "body" else f"'{column.name}'"
                if ILLEGAL_CHARACTERS_RE.search(value):
                    code = ord(ILLEGAL_CHARACTERS_RE.search(value).group())  # type: ignore[union-attr]
                    problems.append(entry.source.at((), f"{what} holds the character "
                                                    f"U+{code:04X}, which a workbook cannot "
                                                    "hold: export as csv"))
                elif len(value) > EXCEL_CELL:
                    problems.append(entry.source.at((), f"{what} is {len(value)} characters "
                                                    f"long; an Excel cell holds {EXCEL_CELL}: "
                                                    "export as csv"))
    return problems


def workbook_bytes(rows: dict[str, list[list[Any]]]) -> bytes:
    """The workbook: a sheet a table, bold frozen headers, a filter, widths from the content;
    the same rows give the same bytes (no timestamps in it or its zip)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for name, columns in SHEETS.items():
        sheet = workbook.create_sheet(name)
        sheet.append([c.name for c in columns])
        for cell in sheet[1]:
            cell.font = bold
        for number, row in enumerate(rows[name], start=2):
            for column, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = sheet.cell(number, column, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # author text is data, never a formula
                long = isinstance(value, str) and ("\n" in value or len(value) > MAX_WIDTH)
                cell.alignment = wrap if long else top
        for column, spec in enumerate(columns, start=1):
            longest = max((len(line) for row in rows[name] if isinstance(row[column - 1], str)
                           for line in row[column - 1].splitlines()), default=0)
            longest = max(longest, len(spec.name) + 2, *(
                len(_csv_cell(row[column - 1])) for row in rows[name]
                if not isinstance(row[column - 1], str)))
            letter = cell_name(1, column)[:-1]
            sheet.column_dimensions[letter].width = min(longest + 2, MAX_WIDTH)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{cell_name(max(len(rows[name]) + 1, 1), len(columns))}"
    workbook.properties.creator = "journeys"
    # openpyxl dates a workbook when it is made and saved: a fixed date instead, or
    # SOURCE_DATE_EPOCH's (reproducible builds' convention).
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    when = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).replace(
        tzinfo=None) if epoch.isdigit() else datetime.datetime(1980, 1, 1)
    workbook.properties.created = workbook.properties.modified = when
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return _without_times(buffer.getvalue())


def _without_times(data: bytes) -> bytes:
    """The zip again with every member dated 1980-01-01, zip's earliest date."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()
