"""Data files: dated values of metrics exported from a service desk tool, one CSV row each
(`content/data/*.csv`: date, journey, stage or touchpoint, metric, value), read into rows that
know where each of their cells was written, so that a problem points at its cell.

Which journeys, stages, touchpoints and metrics the rows name is metrics.py's to check.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import math
import re
from typing import NamedTuple

from .loading import did_you_mean
from .problems import Problem

MAX_DATA_BYTES = 32 * 1024 * 1024  # a year of daily readings of a large desk, with room
COLUMNS = ("date", "journey", "stage", "touchpoint", "metric", "value")
REQUIRED = ("date", "journey", "metric", "value")
# A spreadsheet saved as CSV where the comma is the decimal sign separates cells with `;`.
DELIMITERS = (",", ";", "\t")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# '1,000' and '12.500': a thousands separator or a decimal mark? Not guessed: an error.
_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}[.,]\d{3}")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][+-]?\d+)?")


class DataFile:
    """A data file's lines and how its cells are separated: where a cell was written is
    worked out of them only when a problem is about it (a file of 100,000 rows has few)."""

    def __init__(self, path: str, lines: list[str], delimiter: str) -> None:
        self.path, self.lines, self.delimiter = path, lines, delimiter

    def record(self, first: int) -> str:
        """The record that starts at line `first`: on over line breaks inside quotes."""
        text, index = "", first - 1
        while index < len(self.lines):
            text += self.lines[index]
            index += 1
            if not _scan(text, self.delimiter)[1]:
                break
        return text

    def position(self, first: int, index: int) -> tuple[int, int]:
        """The line and column of cell `index` (from 0) of the record at line `first`."""
        record = self.record(first)
        starts = _cell_starts(record, self.delimiter)
        return _position(record, first, starts[min(index, len(starts) - 1)])


class DataRow(NamedTuple):
    """One dated value (stage and touchpoint may be empty: the value is then the whole
    journey's), and the record it was read from, to place a problem at one of its cells."""

    file: DataFile
    first: int  # the first line of its record
    columns: dict[str, int]  # the file's columns by name
    date: datetime.date
    journey: str
    stage: str | None
    touchpoint: str | None
    metric: str
    value: float

    @property
    def path(self) -> str:
        return self.file.path

    def at(self, column: str, message: str) -> Problem:
        """A problem about the cell of `column` in this row."""
        line, where = self.file.position(self.first, self.columns[column])
        return Problem(self.file.path, line, where, message)


def _scan(record: str, delimiter: str) -> tuple[list[int], bool]:
    """Where each cell of a CSV record starts in its text, and whether a quoted cell is still
    open at its end. As the csv module reads: a quote opens a quoted cell only as the cell's
    first character (`a"b` is text), `""` inside one is a quote."""
    starts, quoted, position = [0], False, 0
    while position < len(record):
        char = record[position]
        if quoted:
            if char == '"':
                if record[position + 1:position + 2] == '"':
                    position += 1
                else:
                    quoted = False
        elif char == '"' and position == starts[-1]:
            quoted = True
        elif char == delimiter:
            starts.append(position + 1)
        position += 1
    return starts, quoted


def _cell_starts(record: str, delimiter: str) -> list[int]:
    return _scan(record, delimiter)[0]


def _position(record: str, first: int, offset: int) -> tuple[int, int]:
    before = record[:offset]
    line = first + before.count("\n")
    return line, offset - (before.rfind("\n") + 1) + 1


def parse_number(text: str) -> float | None:
    """A value as a spreadsheet writes it: '4.5', '4,5', '-2', '1E-05'; None when it is
    none."""
    plain = text.strip().replace("\u00a0", "").replace(" ", "")
    if not _NUMBER.fullmatch(plain) or _THOUSANDS.fullmatch(plain):
        return None
    number = float(plain.replace(",", "."))
    return number if math.isfinite(number) else None


def read_data_file(text: str, display: str) -> tuple[list[DataRow], list[Problem]]:
    """The rows of one data file, and the problems of its header and cells."""
    # Lines as the csv module counts them (it ends a line at "\n" alone), so that both agree.
    if "\r" in text and "\n" not in text:  # Excel for the old Mac ends lines with CR alone
        text = text.replace("\r", "\n")
    lines = io.StringIO(text).readlines()
    if not lines:
        return [], [Problem(display, 1, 1, "file is empty")]
    header_text = DataFile(display, lines, ",").record(1)
    delimiter = max(DELIMITERS, key=header_text.count)
    file = DataFile(display, lines, delimiter)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as error:
        return [], [Problem(display, 1, 1, f"not a CSV header: {error}")]
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = name.strip().lower()
        line, column = file.position(1, index)
        if key not in COLUMNS and len(header) > 1:  # one cell: not our separator (below)
            hint = did_you_mean(key, list(COLUMNS))
            problems.append(Problem(display, line, column, f"unknown column '{name.strip()}'"
                                    f"{hint}; the columns are {', '.join(COLUMNS)}"))
        elif key in columns:
            problems.append(Problem(display, line, column, f"column '{key}' is given twice"))
        elif key in COLUMNS:
            columns[key] = index
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        hint = " (cells are separated by commas, semicolons or tabs)" if len(header) == 1 \
            else ""
        problems.append(Problem(display, 1, 1,
                                f"missing column{'s' if len(missing) > 1 else ''} "
                                f"{', '.join(missing)}{hint}"))
    if problems:
        return [], problems
    rows: list[DataRow] = []
    last = reader.line_num
    while True:
        first = last + 1
        try:
            values = next(reader, None)
        except csv.Error as error:
            problems.append(Problem(display, reader.line_num, 1, f"not a CSV row: {error}"))
            break  # where the next row starts is not known: the rest is not read
        if values is None:
            break
        last = reader.line_num
        if not any(v.strip() for v in values):
            continue  # an empty line, or a row of empty cells
        row, found = _row(values, file, first, columns, len(header))
        problems += found
        if row is not None:
            rows.append(row)
    return rows, problems


def _row(values: list[str], file: DataFile, first: int, columns: dict[str, int],
         width: int) -> tuple[DataRow | None, list[Problem]]:
    if len(values) != width:
        return None, [Problem(file.path, first, 1, f"the row has {len(values)} cells, the "
                              f"header {width}")]

    def at(name: str, message: str) -> Problem:
        line, column = file.position(first, columns[name])
        return Problem(file.path, line, column, message)

    date_text, journey, metric, value_text = (values[columns[name]].strip()
                                              for name in REQUIRED)
    problems = [at(name, f"'{name}' is empty") for name, text in
                zip(REQUIRED, (date_text, journey, metric, value_text), strict=True) if not text]
    if problems:
        return None, problems
    date = None
    if _DATE.fullmatch(date_text):
        with contextlib.suppress(ValueError):  # 2026-13-01: the message below
            date = datetime.date.fromisoformat(date_text)
    if date is None:
        problems.append(at("date", f"'date' must be a date written YYYY-MM-DD, not "
                                   f"'{date_text[:40]}'"))
    value = parse_number(value_text)
    if value is None:
        problems.append(at("value", f"'value' must be a number, not '{value_text[:40]}'"))
    stage = values[columns["stage"]].strip() or None if "stage" in columns else None
    touchpoint = values[columns["touchpoint"]].strip() or None if "touchpoint" in columns \
        else None
    if stage is not None and touchpoint is not None:
        problems.append(at("touchpoint", "give a stage or a touchpoint, not both: a touchpoint "
                                         "is in one stage already"))
    if problems or value is None or date is None:
        return None, problems
    return DataRow(file, first, columns, date, journey, stage, touchpoint, metric, value), []
