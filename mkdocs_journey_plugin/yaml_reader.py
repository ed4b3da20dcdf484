"""The strict YAML reader: one YAML document to plain data, with the line marks of its nodes.

YAML is read as YAML 1.2 plain data: `yes`/`no`/`on`/`off` and dates stay text, numbers keep the
text they were written as (so `duration: 3` is "3" in a text field), and anchors, aliases, tags and
duplicate keys are problems. Every problem carries the line and column of the node it is about.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .model import YamlFloat, YamlInt
from .problems import Loc, Problem, Source

MAX_DEPTH = 50
NESTING = "nesting too deep"


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
