"""Files to models: bytes, front matter, a strict YAML loader that keeps line marks, and errors.

YAML is read as YAML 1.2 plain data: `yes`/`no`/`on`/`off` and dates stay text, numbers keep the
text they were written as (so `duration: 3` is "3" in a text field), and anchors, aliases, tags and
duplicate keys are problems. Every problem carries the line and column of the node it is about.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from yaml.composer import Composer
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .model import (
    CUSTOM_ERROR_PREFIX,
    EmotionScale,
    YamlFloat,
    YamlInt,
    describe,
)
from .problems import Problem

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 50
NESTING = "nesting too deep"

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


Marks = dict[Loc, tuple[int, int]]


class Source:
    """Where a document came from, and the line and column of each of its nodes (`values`) and
    of each mapping key (`keys`)."""

    def __init__(self, path: str, values: Marks | None = None, keys: Marks | None = None):
        self.path = path
        self._marks: tuple[Marks, Marks] | None = (values if values is not None else {},
                                                   keys if keys is not None else {})
        self._later: Callable[[], tuple[Marks, Marks]] | None = None

    # A file taken from the cache had no problems, so its marks matter only if a reference to
    # another file breaks: they are found again from its text then, and never stored (decoding
    # stored marks was half of reading 300 cached journeys back, and a cache holds no marks
    # that could point elsewhere than the file does).
    @classmethod
    def later(cls, path: str, marks: Callable[[], tuple[Marks, Marks]]) -> Source:
        """A source whose marks come from `marks()` when first asked for."""
        source = cls(path)
        source._marks, source._later = None, marks
        return source

    @property
    def values(self) -> Marks:
        return self._found()[0]

    @property
    def keys(self) -> Marks:
        return self._found()[1]

    def _found(self) -> tuple[Marks, Marks]:
        if self._marks is None:
            assert self._later is not None
            self._marks, self._later = self._later(), None
        return self._marks

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Source):
            return NotImplemented
        return (self.path, self._found()) == (other.path, other._found())

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it was

    def __repr__(self) -> str:
        return f"Source({self.path!r})"

    def at(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        """A problem about the node at `loc` (its key when `key`), or its nearest known parent."""
        marks = self.keys if key and loc in self.keys else self.values
        while loc and loc not in marks:
            loc = loc[:-1]
            marks = self.values
        line, column = marks.get(loc, (1, 1))
        return Problem(self.path, line, column, message)

    def line_of(self, loc: Loc) -> int:
        return self.at(loc, "").line


@dataclass
class Document:
    """A file read into plain data: the front matter or YAML mapping, and the Markdown body."""

    source: Source
    data: dict[str, Any]
    body: str


# --- the strict YAML reader ------------------------------------------------------------------


class _Strict(Composer, BaseResolver):
    """PyYAML's composer with no type resolution, refusing anchors, aliases and tags.

    BaseResolver gives every scalar the plain string tag, so meaning is decided by `_scalar`
    alone, as YAML 1.2's core schema would, and never by YAML 1.1's implicit rules. The
    events come from a parser mixed in below: libyaml's or PyYAML's own.
    """

    def _start(self, line_offset: int, problems: list[tuple[int, int, str]]) -> None:
        Composer.__init__(self)
        BaseResolver.__init__(self)
        self._line_offset = line_offset
        self._problems = problems
        self._depth = 0

    def _flag(self, mark: Any, message: str) -> None:
        self._problems.append((mark.line + 1 + self._line_offset, mark.column + 1, message))

    def compose_node(self, parent: Any, index: Any) -> Any:
        event: Any = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent):
            self.get_event()  # type: ignore[attr-defined]
            self._flag(event.start_mark, f"aliases are not allowed (*{event.anchor}): "
                       "write the value out in full")
            start: Any = event.start_mark
            return yaml.ScalarNode("tag:yaml.org,2002:str", "", start, start)
        if event.anchor is not None:
            self._flag(event.start_mark, f"anchors are not allowed (&{event.anchor}): "
                       "write each value out in full")
            event.anchor = None
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!", 1)
            self._flag(event.start_mark, f"tags are not allowed ({shown}): write plain values")
            event.tag = None
        # Deep nesting would exhaust Python's stack here and in the conversion after it.
        if self._depth >= MAX_DEPTH:
            raise yaml.MarkedYAMLError(problem=NESTING, problem_mark=event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _StrictComposer(Reader, Scanner, Parser, _Strict):
    """The strict composer on PyYAML's pure-Python parser: its error messages are the ones we
    word for authors, so every file with a problem is read (again) by this one."""

    def __init__(self, text: str, line_offset: int, problems: list[tuple[int, int, str]]) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        self._start(line_offset, problems)


try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml: every file takes the pure-Python path
    CParser = None  # type: ignore[assignment, misc]

if CParser is not None:

    class _FastComposer(_Strict, CParser):
        """The strict composer on libyaml's parser: about 14 times faster on content files,
        with the same nodes and marks; used for files that turn out to have no problem."""

        def __init__(self, text: str, line_offset: int,
                     problems: list[tuple[int, int, str]]) -> None:
            CParser.__init__(self, text)
            self._start(line_offset, problems)


def _compose(text: str, line_offset: int, problems: list[tuple[int, int, str]]) -> Any:
    """The node tree of one document. A file libyaml reads without a problem is done; any other
    is read by PyYAML's parser, whose messages (and our wording of them) authors see."""
    # libyaml takes a tab after 'key:'; PyYAML refuses it, and so do we.
    if CParser is not None and "\t" not in text:
        found: list[tuple[int, int, str]] = []
        try:
            node = _FastComposer(text, line_offset, found).get_single_node()
        except yaml.YAMLError:
            node, found = None, [(0, 0, "")]
        if not found:
            return node
    return _StrictComposer(text, line_offset, problems).get_single_node()


_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)"
                    r"|\.(nan|NaN|NAN)")


def _scalar(node: yaml.ScalarNode) -> Any:
    """A plain scalar's value under YAML 1.2's core schema; any quoted scalar is text."""
    text: str = node.value
    if node.style:  # PyYAML marks plain scalars with None, libyaml with ''
        return text
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT.fullmatch(text):
        return YamlInt(int(text, 0) if text[:2] in ("0o", "0x") else int(text), text)
    if _FLOAT.fullmatch(text):
        lowered = text.lower().lstrip("+")
        number = math.copysign(math.inf, -1.0 if text.startswith("-") else 1.0) \
            if lowered.lstrip("-") == ".inf" else math.nan if lowered == ".nan" else float(text)
        return YamlFloat(number, text)
    return text


class _Converter:
    """Turns composed nodes into plain data, noting where each value and key stands."""

    def __init__(self, source: Source, line_offset: int, problems: list[tuple[int, int, str]]):
        self.source = source
        self.offset = line_offset
        self.problems = problems

    def mark(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.offset, node.start_mark.column + 1

    def convert(self, node: yaml.Node, loc: Loc) -> Any:
        self.source.values[loc] = self.mark(node)
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            first_seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    line, column = self.mark(key_node)
                    self.problems.append((line, column, "keys must be plain words, not a "
                                          + ("list" if isinstance(key_node, yaml.SequenceNode)
                                             else "mapping")))
                    continue
                key = str(key_node.value)
                line, column = self.mark(key_node)
                if key in first_seen:
                    self.problems.append((line, column, f"duplicate key '{key}' "
                                          f"(first at line {first_seen[key]})"))
                    continue
                first_seen[key] = line
                self.source.keys[loc + (key,)] = (line, column)
                result[key] = self.convert(value_node, loc + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, loc + (i,)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return _scalar(node)


def _yaml_error_problem(error: yaml.MarkedYAMLError, offset: int) -> tuple[int, int, str]:
    """A PyYAML error as an author-facing message at the most useful mark."""
    problem = error.problem or "invalid YAML"
    mark = error.problem_mark
    context = error.context or ""
    if "unexpected end of stream" in problem and "quoted" in context:
        mark = error.context_mark or mark
        message = "unclosed quote: this quoted text never ends"
    elif context.startswith("while parsing a flow sequence"):
        mark = error.context_mark or mark
        message = "unclosed '[': this list needs a ']' at its end, and ',' between items"
    elif context.startswith("while parsing a flow mapping"):
        mark = error.context_mark or mark
        message = "unclosed '{': this mapping needs a '}' at its end, and ',' between items"
    elif "'\\t'" in problem:
        message = "tab character: YAML takes spaces here, never tabs"
    elif problem == NESTING:
        message = f"nested deeper than {MAX_DEPTH} levels: content files are never that deep"
    elif "mapping values are not allowed" in problem:
        message = ("YAML syntax error: a ': ' inside a value; put the value in quotes, "
                   "or check the indentation")
    else:
        message = f"YAML syntax error: {context + ', ' if context else ''}{problem}"
    line, column = (mark.line + 1 + offset, mark.column + 1) if mark else (1 + offset, 1)
    return line, column, message


def parse_yaml(text: str, source: Source, line_offset: int = 0) -> tuple[Any, list[Problem]]:
    """Plain data from one YAML document, with marks noted in `source`, and its problems."""
    raw: list[tuple[int, int, str]] = []
    try:
        node = _compose(text, line_offset, raw)
    except yaml.MarkedYAMLError as error:
        raw.append(_yaml_error_problem(error, line_offset))
        node = None
    except yaml.YAMLError as error:  # reader errors carry a position but are not "marked"
        position = getattr(error, "position", 0) or 0
        line = text.count("\n", 0, position) + 1 + line_offset
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        character = getattr(error, "character", None)
        code = ord(character) if isinstance(character, str) else character
        raw.append((line, column, f"control character U+{code:04X} is not allowed in YAML text"
                    if isinstance(code, int) else f"YAML error: {error}"))
        node = None
    data = _Converter(source, line_offset, raw).convert(node, ()) if node is not None else None
    problems = [Problem(source.path, line, column, message) for line, column, message in raw]
    return data, problems


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


def decode_text(data: bytes, display: str) -> tuple[str | None, list[Problem]]:
    """A content file's bytes as text, or the reason they cannot be content."""
    if len(data) > MAX_BYTES:
        size = len(data) / MAX_BYTES
        return None, [Problem(display, 1, 1, f"file is {size:.1f} MiB; the limit is 1 MiB")]
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


