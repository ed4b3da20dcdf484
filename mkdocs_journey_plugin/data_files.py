"""Data files: dated values of metrics exported from a service desk tool, one CSV row each
(`content/data/*.csv`: date, journey, stage or touchpoint, metric, value), read into rows that
know where each of their cells was written, so that a problem points at its cell.

Which journeys, stages, touchpoints and metrics the rows name is metrics.py's to check.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from dataclasses import dataclass

from .loading import did_you_mean
from .problems import Problem

MAX_DATA_BYTES = 32 * 1024 * 1024  # a year of daily readings of a large desk, with room
COLUMNS = ("date", "journey", "stage", "touchpoint", "metric", "value")
REQUIRED = ("date", "journey", "metric", "value")
# A spreadsheet saved as CSV where the comma is the decimal sign separates cells with `;`.
DELIMITERS = (",", ";", "\t")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][+-]?\d+)?")


@dataclass(frozen=True)
class Cell:
    text: str
    line: int
    column: int


@dataclass(frozen=True)
class DataRow:
    """One dated value, its cells where they were written (stage and touchpoint may be
    empty: the value is then the whole journey's)."""

    path: str
    date: datetime.date
    journey: Cell
    stage: Cell | None
    touchpoint: Cell | None
    metric: Cell
    value: float
    value_cell: Cell

    def at(self, cell: Cell, message: str) -> Problem:
        return Problem(self.path, cell.line, cell.column, message)


def _cell_starts(record: str, delimiter: str) -> list[int]:
    """Where each cell of one CSV record starts in its text (quotes may hold delimiters and
    line breaks)."""
    starts, quoted, position = [0], False, 0
    while position < len(record):
        char = record[position]
        if char == '"':
            quoted = not quoted  # a doubled quote inside quotes toggles twice
        elif char == delimiter and not quoted:
            starts.append(position + 1)
        position += 1
    return starts


def _records(text: str) -> list[tuple[int, str]]:
    """The text split into CSV records (each with its first line): a record goes on over a
    line break inside quotes."""
    records: list[tuple[int, str]] = []
    pending, first, quotes = "", 0, 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if not pending:
            first = number
        pending += line
        quotes += line.count('"')
        if quotes % 2 == 0:
            records.append((first, pending))
            pending, quotes = "", 0
    if pending:
        records.append((first, pending))
    return records


def _position(record: str, first: int, offset: int) -> tuple[int, int]:
    before = record[:offset]
    line = first + before.count("\n")
    return line, offset - (before.rfind("\n") + 1) + 1


def parse_number(text: str) -> float | None:
    """A value as a spreadsheet writes it: '4.5', '4,5', '-2', '1E-05'; None when it is
    none."""
    plain = text.strip().replace("\u00a0", "").replace(" ", "")
    if not _NUMBER.fullmatch(plain):
        return None
    number = float(plain.replace(",", "."))
    return number if math.isfinite(number) else None


def read_data_file(text: str, display: str) -> tuple[list[DataRow], list[Problem]]:
    """The rows of one data file, and the problems of its header and cells."""
    records = _records(text)
    if not records:
        return [], [Problem(display, 1, 1, "file is empty")]
    header_line, header_text = records[0]
    counts = {d: header_text.count(d) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: counts[d])
    problems: list[Problem] = []
    header = next(csv.reader(io.StringIO(header_text), delimiter=delimiter))
    starts = _cell_starts(header_text, delimiter)
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = name.strip().lower()
        line, column = _position(header_text, header_line, starts[index])
        if key not in COLUMNS and len(header) > 1:  # one cell: not our separator (below)
            hint = did_you_mean(key, list(COLUMNS))
            problems.append(Problem(display, line, column, f"unknown column '{name.strip()}'"
                                    f"{hint}; the columns are {', '.join(COLUMNS)}"))
        elif key in columns:
            problems.append(Problem(display, line, column, f"column '{key}' is given twice"))
        else:
            columns[key] = index
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        hint = " (cells are separated by commas, semicolons or tabs)" if len(header) == 1 \
            else ""
        problems.append(Problem(display, header_line, 1,
                                f"missing column{'s' if len(missing) > 1 else ''} "
                                f"{', '.join(missing)}{hint}"))
    if problems:
        return [], problems
    rows: list[DataRow] = []
    for first, record in records[1:]:
        if not record.strip():
            continue
        row, found = _row(record, first, delimiter, columns, len(header), display)
        problems += found
        if row is not None:
            rows.append(row)
    return rows, problems


def _row(record: str, first: int, delimiter: str, columns: dict[str, int], width: int,
         display: str) -> tuple[DataRow | None, list[Problem]]:
    try:
        values = next(csv.reader(io.StringIO(record), delimiter=delimiter, strict=True))
    except csv.Error as error:
        return None, [Problem(display, first, 1, f"not a CSV row: {error}")]
    starts = _cell_starts(record, delimiter)
    if len(values) != width:
        return None, [Problem(display, first, 1, f"the row has {len(values)} cells, the header "
                              f"{width}")]

    def cell(name: str) -> Cell | None:
        index = columns.get(name)
        if index is None or not values[index].strip():
            return None
        line, column = _position(record, first, starts[index])
        return Cell(values[index].strip(), line, column)

    problems: list[Problem] = []
    required = {name: cell(name) for name in REQUIRED}
    for name, found in required.items():
        if found is None:
            line, column = _position(record, first, starts[columns[name]])
            problems.append(Problem(display, line, column, f"'{name}' is empty"))
    if problems:
        return None, problems
    date_cell, value_cell = required["date"], required["value"]
    assert date_cell is not None and value_cell is not None
    try:
        date = datetime.date.fromisoformat(date_cell.text)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date_cell.text):
            raise ValueError
    except ValueError:
        problems.append(Problem(display, date_cell.line, date_cell.column,
                                f"'date' must be a date written YYYY-MM-DD, not "
                                f"'{date_cell.text[:40]}'"))
    value = parse_number(value_cell.text)
    if value is None:
        problems.append(Problem(display, value_cell.line, value_cell.column,
                                f"'value' must be a number, not '{value_cell.text[:40]}'"))
    stage, touchpoint = cell("stage"), cell("touchpoint")
    if stage is not None and touchpoint is not None:
        problems.append(Problem(display, touchpoint.line, touchpoint.column,
                                "give a stage or a touchpoint, not both: a touchpoint is "
                                "in one stage already"))
    if problems or value is None:
        return None, problems
    journey, metric = required["journey"], required["metric"]
    assert journey is not None and metric is not None
    return DataRow(display, date, journey, stage, touchpoint, metric, value, value_cell), []
