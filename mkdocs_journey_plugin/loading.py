"""Files to models: a content file's bytes, its front matter, and its data checked against its
model, every problem worded for the author at the node it is about.

The YAML itself is read by yaml_reader.py.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .model import CUSTOM_ERROR_PREFIX, EmotionScale, describe
from .problems import Loc, Marks, Problem, Source
from .yaml_reader import parse_yaml

MAX_BYTES = 1024 * 1024
M = TypeVar("M", bound=BaseModel)


@dataclass
class Document:
    """A file read into plain data: the front matter or YAML mapping, and the Markdown body."""

    source: Source
    data: dict[str, Any]
    body: str


# --- files -----------------------------------------------------------------------------------


def _position_in_bytes(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def read_bytes(path: Path, display: str) -> tuple[bytes | None, list[Problem]]:
    try:
        return path.read_bytes(), []
    except OSError as error:
        return None, [Problem(display, 1, 1, f"cannot read file: {error.strerror}")]


def decode_text(data: bytes, display: str,
                limit: int = MAX_BYTES) -> tuple[str | None, list[Problem]]:
    """A content file's bytes as text, or the reason they cannot be content."""
    if len(data) > limit:
        size, most = len(data) / 2 ** 20, limit // 2 ** 20
        return None, [Problem(display, 1, 1, f"file is {size:.1f} MiB; the limit is {most} MiB")]
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _position_in_bytes(data, nul)
        return None, [Problem(display, line, column, "binary file: it contains a NUL byte")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line, column = _position_in_bytes(data, start)
        byte = data[start]
        return None, [Problem(display, line, column,
                              f"file is not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8")]
    if not text.strip():
        return None, [Problem(display, 1, 1, "file is empty")]
    return text, []


def split_front_matter(text: str, display: str) -> tuple[str, str] | Problem:
    """The YAML between the opening and closing `---` lines, and the Markdown after them."""
    lines = text.splitlines(keepends=True)
    if lines[0].rstrip() != "---":
        return Problem(display, 1, 1, "a .md file must start with front matter: a '---' line, "
                       "the keys, then another '---' line")
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() == "---":
            return "".join(lines[1:number]), "".join(lines[number + 1:])
    return Problem(display, 1, 1, "front matter is not closed: add a '---' line after the last key")


def parse_document(text: str, display: str, suffix: str) -> tuple[Document | None, list[Problem]]:
    """The text of a `.md` or `.yml` file as plain data (also for older revisions from git)."""
    source = Source(display)
    if suffix.lower() == ".md":
        split = split_front_matter(text, display)
        if isinstance(split, Problem):
            return None, [split]
        yaml_text, body = split
        data, problems = parse_yaml(yaml_text, source, line_offset=1)
        if data is None and not problems:
            return None, [Problem(display, 2, 1, "front matter is empty")]
    else:
        data, problems = parse_yaml(text, source)
        body = ""
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [source.at((), f"expected a mapping of keys, not {describe(data)}")]
    return Document(source, data, body), []


def marks_of(data: bytes, display: str, suffix: str) -> tuple[Marks, Marks]:
    """The line marks of a file's bytes, as reading it gives them (see Source.later)."""
    text, _ = decode_text(data, display)
    document, _ = parse_document(text, display, suffix) if text else (None, [])
    return (document.source.values, document.source.keys) if document else ({}, {})


# --- plain data to models --------------------------------------------------------------------


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that the mapping at `loc` is validated against."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = next(_models_in(info.annotation), None)
    return current


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in getattr(annotation, "__args__", ()):
        yield from _models_in(argument)


def did_you_mean(word: str, choices: Iterator[str] | list[str]) -> str:
    """' (did you mean 'x'?)' when one choice is close to `word`, else nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _key_name(loc: Loc) -> str:
    return next((str(part) for part in reversed(loc) if isinstance(part, str)), "value")


def _error_problem(error: ErrorDetails, model: type[BaseModel], source: Source) -> Problem:
    """One pydantic error as an author-facing problem at the YAML node it is about."""
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    item = error.get("ctx", {}).get("item")
    if isinstance(item, int):  # a validator's error about one item of a list
        loc = loc + (item,)
    value = error.get("input")
    key = _key_name(loc)
    what = f"'{key}'" if not loc or isinstance(loc[-1], str) or item is not None \
        else f"an item of '{key}'"
    if kind == "missing":
        return source.at(loc[:-1], f"missing required key '{key}'")
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        hint = did_you_mean(key, list(parent.model_fields)) if parent else ""
        return source.at(loc, f"unknown key '{key}'{hint}", key=True)
    messages = {
        "string_too_short": f"{what} is empty",
        "bool_type": f"{what} must be true or false, not {describe(value)}",
        "list_type": f"{what} must be a list, not {describe(value)}",
        "model_type": f"{what} must be a mapping of keys, not {describe(value)}",
        "model_attributes_type": f"{what} must be a mapping of keys, not {describe(value)}",
        "dict_type": f"{what} must be a mapping of keys, not {describe(value)}",
        "too_short": f"{what} is empty" if isinstance(value, str) else
                     f"{what} needs at least one entry",
        "date_from_datetime_parsing": f"{what} must be a date written YYYY-MM-DD, "
                                      f"not {describe(value)}",
        "date_type": f"{what} must be a date written YYYY-MM-DD, not {describe(value)}",
        "date_parsing": f"{what} must be a date written YYYY-MM-DD, not {describe(value)}",
    }
    reason = str(error.get("ctx", {}).get("error", ""))
    if kind.startswith("date") and isinstance(value, str) and re.fullmatch(
            r"\d{4}-\d{2}-\d{2}", value) and reason:
        return source.at(loc, f"{what} {value} is not a real date ({reason})")
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        message = f"{what} must be {expected}, not {describe(value)}"
    elif kind in messages:
        message = messages[kind]
    elif kind.startswith(CUSTOM_ERROR_PREFIX):  # our validators' messages read after the key
        message = f"{what} {error['msg']}"
    else:
        message = f"{what}: {error['msg']}"
    return source.at(loc, message)


def to_model(document: Document, model: type[M],
             scale: EmotionScale) -> tuple[M | None, list[Problem]]:
    """Validate a document against its model; every problem at once, each at its node."""
    try:
        return model.model_validate(document.data, context={"scale": scale}), []
    except ValidationError as error:
        problems = [_error_problem(e, model, document.source) for e in error.errors()]
        return None, sorted(set(problems))


