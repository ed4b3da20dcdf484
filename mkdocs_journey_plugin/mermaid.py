"""Mermaid's `journey` diagrams, read as Mermaid 11 reads them, and made into our journeys.

Mermaid first cleans a diagram's text (`preprocess.ts`: carriage returns, front matter,
`%%{...}%%` directives, whole-line `%%` comments; `Diagram.ts`: `#name;` entities, a newline at
the end), then lexes and parses it with `diagrams/user-journey/parser/journey.jison`. This module
does the same steps in the same order, keeping, for every character, where it was in the
author's text, so that a problem is placed at its line and column in the Markdown page.

The lexer is jison's: at each position the first rule that matches wins (not the longest), the
rules being, in order (case-insensitive, JavaScript's `\\s`):

    %(?!\\{)[^\\n]*          skipped: a comment (one `%` is enough)
    [^}]%%[^\\n]*            skipped: a comment, with the character before it
    \\n+                     NEWLINE
    \\s+                     skipped
    #[^\\n]*                 skipped: a comment
    journey\\b               journey
    title\\s[^#\\n;]+         title (its text: after "title" and one space)
    accTitle\\s*:\\s*          then the rest of the line: the accessible title
    accDescr\\s*:\\s*          then the rest of the line: the accessible description
    accDescr\\s*{\\s*          then everything up to `}`: the accessible description
    section\\s[^#:\\n;]+      section
    [^#:\\n;]+               taskName
    :[^#\\n;]+               taskData (score, then actors after a second colon)
    :                       ':' (the grammar has no use for it: an error)
    (end)                   EOF
    .                       INVALID (in practice only `;`: Mermaid's journey has no `;`)

and the grammar `start: journey line* EOF`, a line being NEWLINE, `title`, `acc_title value`,
`acc_descr value`, the multi-line description, `section`, or `taskName taskData`. So a task's
name ends at its first `:`, `#` or `;`; its data at `#` or `;`; a line may hold several
statements; a task whose name starts with `journey`, or `title ` / `section ` is read as that
keyword, as Mermaid reads it.

`journeyDb.addTask` splits the data at `:`: the score is JavaScript's `Number()` of the first
piece, the actors the second piece split at `,` and trimmed (further pieces are ignored).
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from .model import EmotionScale, slugify
from .problems import Marks, Problem

# JavaScript's \s (ECMAScript WhiteSpace and LineTerminator), and the same without \n and \r.
_WS_CHARS = ("\t\n\v\f\r \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200b)))
             + "\u2028\u2029\u202f\u205f\u3000\ufeff")
_WS = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
WS = f"[{_WS}]"
_INLINE_WS = "[\t\v\f \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
_DOT = "[^\n\r\u2028\u2029]"  # JavaScript's `.` without the s flag

MAX_TEXT = 50_000  # Mermaid's default maxTextSize: a longer diagram is drawn as an error
LOWEST, HIGHEST = 1.0, 5.0  # Mermaid's scores: the faces it draws go from 1 to 5


@dataclass(frozen=True)
class MermaidTask:
    """One task: its name as written, the score as a number, the actors; where it starts."""

    name: str
    score: float
    actors: tuple[str, ...]
    line: int
    column: int


@dataclass(frozen=True)
class MermaidSection:
    """A section and its tasks; `name` is None for the tasks before the first section."""

    name: str | None
    tasks: tuple[MermaidTask, ...]
    line: int
    column: int


@dataclass(frozen=True)
class MermaidJourney:
    """What Mermaid's journey database holds once a diagram is parsed."""

    title: str | None
    acc_title: str | None
    acc_description: str | None
    sections: tuple[MermaidSection, ...]
    path: str
    line: int  # of the `journey` keyword
    column: int

    @property
    def tasks(self) -> list[MermaidTask]:
        return [task for section in self.sections for task in section.tasks]

    @property
    def actors(self) -> list[str]:
        """Every actor, in the order they first take part."""
        return list(dict.fromkeys(a for task in self.tasks for a in task.actors))


class MermaidError(ValueError):
    """A diagram Mermaid would reject: every problem found, placed in the author's text."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


# --- the text Mermaid parses, with where each character came from ------------------------


@dataclass
class _Mapped:
    """Text and, for each character (and the end), its offset in the author's text."""

    text: str
    origin: list[int]

    @classmethod
    def of(cls, text: str) -> _Mapped:
        return cls(text, list(range(len(text) + 1)))

    def sub(self, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str],
            count: int = 0) -> _Mapped:
        """re.sub, each new character placed where its match started."""
        texts: list[str] = []
        origin: list[int] = []
        last = 0
        for number, match in enumerate(pattern.finditer(self.text)):
            if count and number >= count:
                break
            start, end = match.span()
            texts.append(self.text[last:start])
            origin.extend(self.origin[last:start])
            new = replace(match)
            texts.append(new)
            origin.extend([self.origin[start]] * len(new))
            last = end
        if not texts:
            return self
        texts.append(self.text[last:])
        origin.extend(self.origin[last:])
        return _Mapped("".join(texts), origin)

    def drop_start(self, count: int) -> _Mapped:
        return _Mapped(self.text[count:], self.origin[count:])


_CR = re.compile(r"\r\n?")
_TAG = re.compile(r"<(\w+)([^>]*)>", re.ASCII)
_DOUBLE_QUOTED = re.compile(r'="([^"]*)"')
FRONT_MATTER = re.compile(
    rf"({_INLINE_WS}*)-{{3}}{WS}*[\n\r](.*?)[\n\r]\1-{{3}}{WS}*[\n\r]+", re.DOTALL)
DIRECTIVE = re.compile(
    rf"%{{2}}\{{{WS}*(?:(\w+){WS}*:|(\w+)){WS}*(?:(\w+)|((?:(?!\}}%{{2}}){_DOT}|\r?\n)*))?"
    rf"{WS}*(?:\}}%{{2}})?", re.IGNORECASE | re.ASCII)
# JavaScript's ^ in multi-line mode also follows U+2028 and U+2029.
_LINE_START = "(?:^|(?<=[\u2028\u2029]))"
_WHOLE_LINE_COMMENT = re.compile(rf"{_LINE_START}{WS}*%%(?!\{{)[^\n]+\n?", re.MULTILINE)
_ANY_COMMENT = re.compile(rf"(?:{_LINE_START}|(?<=[^{_WS}])){WS}*%%{_DOT}*\n", re.MULTILINE)
_STYLE_SEMICOLON = re.compile(rf"style{_DOT}*:[^{_WS}]*#{_DOT}*;")
_CLASSDEF_SEMICOLON = re.compile(rf"classDef{_DOT}*:[^{_WS}]*#{_DOT}*;")
_ENTITY = re.compile(r"#\w+;", re.ASCII)
_DETECT = re.compile(rf"{WS}*journey")
_ENCODED = re.compile("\ufb02\u00b0(\u00b0?)(\\w+)\u00b6\u00df", re.ASCII)


def _quotes_single(match: re.Match[str]) -> str:
    # cleanupText: the parser throws on double quotes in HTML attributes.
    return "<" + match.group(1) + _DOUBLE_QUOTED.sub(r"='\1'", match.group(2)) + ">"


def _cleaned(text: str) -> _Mapped:
    """preprocess.ts's cleanupText: carriage returns dropped, attributes single-quoted."""
    mapped = _Mapped.of(text).sub(_CR, lambda m: "\n")
    return mapped.sub(_TAG, _quotes_single)


def is_mermaid_journey(text: str) -> bool:
    """Whether Mermaid takes this diagram for a journey (journeyDetector: `^\\s*journey`, once
    front matter, directives and comments are out; case matters)."""
    code = _cleaned(text).text
    front = FRONT_MATTER.match(code)
    code = code[front.end():] if front else code
    code = _ANY_COMMENT.sub("\n", DIRECTIVE.sub("", code))
    return _DETECT.match(code) is not None


def _encode_entities(match: re.Match[str]) -> str:
    inner = match.group(0)[1:-1]
    return ("\ufb02\u00b0\u00b0" if inner.isdigit() and inner.isascii() else "\ufb02\u00b0") \
        + inner + "\u00b6\u00df"


def _decoded(text: str) -> str:
    """Mermaid's decodeEntities, then the browser reading them: `#amp;` is `&`, `#9829;` a
    heart; an entity the browser does not know stays as written."""
    def entity(match: re.Match[str]) -> str:
        written = f"&#{match.group(2)};" if match.group(1) else f"&{match.group(2)};"
        return html.unescape(written)
    return _ENCODED.sub(entity, text)


# --- JavaScript's Number() and trim() -------------------------------------------------------

_JS_DECIMAL = re.compile(r"[+-]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)", re.ASCII)
_JS_PREFIXED = re.compile(r"0([xXoObB])([0-9a-fA-F]+)", re.ASCII)


def js_trim(text: str) -> str:
    """JavaScript's String.prototype.trim."""
    return text.strip(_WS_CHARS)


def js_number(text: str) -> float:
    """JavaScript's Number(text): blank is 0, `0x10` 16, `1e1` 10, ` 5 ` 5; else NaN."""
    text = js_trim(text)
    if not text:
        return 0.0
    if _JS_DECIMAL.fullmatch(text):
        return float(text.replace("Infinity", "inf"))
    prefixed = _JS_PREFIXED.fullmatch(text)
    if prefixed:
        base = {"x": 16, "o": 8, "b": 2}[prefixed.group(1).lower()]
        try:
            return float(int(prefixed.group(2), base))
        except ValueError:
            return float("nan")
    return float("nan")


# --- jison's lexer ----------------------------------------------------------------------

_FLAGS = re.IGNORECASE | re.ASCII  # keywords: JavaScript's `i` folds ASCII letters only here
_INITIAL: list[tuple[re.Pattern[str], str | None, str | None]] = [
    # (rule, token or None when skipped, state to begin)
    (re.compile(r"%(?!\{)[^\n]*", _FLAGS), None, None),
    (re.compile(r"[^}]%%[^\n]*", _FLAGS), None, None),
    (re.compile(r"\n+", _FLAGS), "NEWLINE", None),
    (re.compile(f"{WS}+", _FLAGS), None, None),
    (re.compile(r"#[^\n]*", _FLAGS), None, None),
    (re.compile(r"journey\b", _FLAGS), "journey", None),
    (re.compile(rf"title{WS}[^#\n;]+", _FLAGS), "title", None),
    (re.compile(rf"accTitle{WS}*:{WS}*", _FLAGS), "acc_title", "acc_title"),
    (re.compile(rf"accDescr{WS}*:{WS}*", _FLAGS), "acc_descr", "acc_descr"),
    # Skipped by jison; a token here only to place a problem about an unclosed brace.
    (re.compile(rf"accDescr{WS}*\{{{WS}*", _FLAGS), "acc_descr_open", "acc_descr_multiline"),
    (re.compile(rf"section{WS}[^#:\n;]+", _FLAGS), "section", None),
    (re.compile(r"[^#:\n;]+", _FLAGS), "taskName", None),
    (re.compile(r":[^#\n;]+", _FLAGS), "taskData", None),
    (re.compile(r":", _FLAGS), ":", None),
    (re.compile(r"\Z", _FLAGS), "EOF", None),
    (re.compile(_DOT, _FLAGS), "INVALID", None),
]
_REST_OF_LINE = re.compile(r"[^\n]*")
_STATES: dict[str, list[tuple[re.Pattern[str], str | None, str | None]]] = {
    "INITIAL": _INITIAL,
    "acc_title": [(_REST_OF_LINE, "acc_title_value", "")],  # "": back to INITIAL
    "acc_descr": [(_REST_OF_LINE, "acc_descr_value", "")],
    "acc_descr_multiline": [(re.compile(r"\}"), "acc_descr_close", ""),
                            (re.compile(r"[^}]*"), "acc_descr_multiline_value", None)],
}


@dataclass(frozen=True)
class _Token:
    kind: str  # "$end" after EOF, as jison's lexer says it
    text: str
    start: int  # offset in the parsed text


def _tokens(text: str) -> list[_Token]:
    """jison's lexer over `text`: first matching rule wins; `done` once the input is empty."""
    found: list[_Token] = []
    state, position, done = "INITIAL", 0, False
    while True:
        if done:
            found.append(_Token("$end", "", position))
            return found
        if position >= len(text):
            done = True
        for rule, token, begin in _STATES[state]:
            match = rule.match(text, position)
            if match is None:
                continue
            position = match.end()
            if begin is not None:
                state = begin or "INITIAL"
            if token is not None:
                found.append(_Token(token, match.group(0), match.start()))
            break
        else:  # no rule matched: at the end, jison's lexer says EOF
            found.append(_Token("$end", "", position))
            return found


# --- parsing ---------------------------------------------------------------------------

@dataclass
class _Reader:
    """Turns offsets in the parsed text into lines and columns of the Markdown page."""

    source: str
    origin: list[int]
    path: str
    first_line: int
    indent: int
    problems: list[Problem] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)

    def place(self, offset: int) -> tuple[int, int]:
        if not self.line_starts:
            self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.source)]
        at = self.origin[min(offset, len(self.origin) - 1)]
        line = bisect.bisect_right(self.line_starts, at) - 1
        return self.first_line + line, self.indent + at - self.line_starts[line] + 1

    def problem(self, offset: int, message: str) -> None:
        line, column = self.place(offset)
        self.problems.append(Problem(self.path, line, column, message))


def _front_matter_title(body: str) -> str | None:
    """The `title` of a diagram's front matter, as Mermaid's js-yaml (JSON schema) reads it;
    ValueError when the YAML is broken."""
    try:
        data: Any = yaml.load(body, Loader=yaml.BaseLoader)  # every scalar as text
    except yaml.YAMLError as error:
        raise ValueError(str(error).replace("\n", " ")) from None
    if not isinstance(data, dict):
        return None
    title = data.get("title")
    if isinstance(title, str) and title not in ("", "null", "Null", "NULL", "~", "false"):
        return title
    return None


def _statement_error(token: _Token, task: _Token | None) -> str:
    if task is not None:
        name = js_trim(task.text)
        if token.kind == ":":
            return f"the task '{name}' has no score after its colon"
        return (f"the task '{name}' has no score: write it as 'name: score' or "
                "'name: score: actor, actor'")
    return {
        "taskData": "a task needs a name before its colon",
        ":": "a task needs a name before its colon",
        "journey": "'journey' starts the diagram and cannot come again (Mermaid reads a task "
                   "or section starting with the word 'journey' as this keyword)",
        "INVALID": f"Mermaid's journey does not allow '{token.text}' here (';' separates "
                   "nothing in a journey: put each statement on a line of its own)",
    }.get(token.kind, f"Mermaid does not expect {token.kind} here")


def parse_mermaid_journey(text: str, path: str, first_line: int = 1,
                          indent: int = 0) -> MermaidJourney:
    """A Mermaid journey diagram as Mermaid's parser and journey database read it.

    `text` is the diagram (a fence's content), `first_line` the page's line it starts on and
    `indent` how far its lines were indented in the page (a fence in a list). Raises
    MermaidError with every problem found when Mermaid would reject the diagram.
    """
    cleaned = _cleaned(text)
    reader = _Reader(text, cleaned.origin, path, first_line, indent)
    title: str | None = None
    front = FRONT_MATTER.match(cleaned.text)
    if front:
        try:
            title = _front_matter_title(front.group(2))
        except ValueError as error:
            reader.problem(front.start(2), f"the diagram's front matter is not valid YAML: "
                                           f"{error}")
        cleaned = cleaned.drop_start(front.end())
    code = cleaned.sub(DIRECTIVE, lambda m: "").sub(_WHOLE_LINE_COMMENT, lambda m: "")
    blank = len(code.text) - len(code.text.lstrip(_WS))
    code = code.drop_start(blank)
    if len(code.text) > MAX_TEXT:
        reader.problem(0, f"the diagram is {len(code.text):,} characters long; Mermaid draws "
                          f"at most {MAX_TEXT:,}")
        raise MermaidError(reader.problems)
    for pattern in (_STYLE_SEMICOLON, _CLASSDEF_SEMICOLON):
        code = code.sub(pattern, lambda m: m.group(0)[:-1])
    code = code.sub(_ENTITY, _encode_entities)
    parsed = code.text + "\n"
    reader.origin = code.origin[:-1] + [code.origin[-1]] * 2
    return _parse(_tokens(parsed), reader, title)


def _parse(tokens: list[_Token], reader: _Reader, title: str | None) -> MermaidJourney:
    acc_title: str | None = None
    acc_description: str | None = None
    sections: list[tuple[str | None, int, list[MermaidTask]]] = [(None, 0, [])]
    first = tokens[0]
    if first.kind != "journey":
        reader.problem(first.start, "a journey diagram starts with the word 'journey'")
        raise MermaidError(reader.problems)
    multiline_at: int | None = None
    index = 1

    def skip_line(at: int) -> int:
        while tokens[at].kind not in ("NEWLINE", "EOF", "$end"):
            at += 1
        return at

    while index < len(tokens):
        token = tokens[index]
        kind = token.kind
        if kind == "NEWLINE":
            index += 1
        elif kind == "EOF":
            break
        elif kind == "$end":  # the input ended inside `accDescr {`, or right after `accTitle:`
            if multiline_at is not None:
                reader.problem(multiline_at, "'accDescr {' is not closed with '}'")
            else:
                reader.problem(token.start, "the diagram ends where Mermaid expects more: "
                                            "'accTitle:' and 'accDescr:' need a text")
            break
        elif kind in ("acc_descr_open", "acc_descr_close"):
            multiline_at = token.start if kind == "acc_descr_open" else None
            index += 1
        elif kind == "title":
            title = _text(token.text[6:])
            index += 1
        elif kind in ("acc_title", "acc_descr"):
            value = tokens[index + 1]
            if kind == "acc_title":
                acc_title = _text(value.text)
            else:
                acc_description = _description(value.text)
            index += 2
        elif kind == "acc_descr_multiline_value":
            acc_description = _description(token.text)
            index += 1
        elif kind == "section":
            sections.append((_raw(token.text[8:]), token.start, []))
            index += 1
        elif kind == "taskName":
            data = tokens[index + 1]
            if data.kind != "taskData":
                reader.problem(data.start if data.kind == ":" else token.start,
                               _statement_error(data, token))
                index = skip_line(index + 1)
                continue
            task = _task(token, data, reader)
            if task is not None:
                sections[-1][2].append(task)
            index += 2
        else:
            reader.problem(token.start, _statement_error(token, None))
            index = skip_line(index + 1)
    if reader.problems:
        raise MermaidError(reader.problems)
    line, column = reader.place(first.start)
    return MermaidJourney(
        title or None, acc_title, acc_description,
        tuple(MermaidSection(name, tuple(tasks), *reader.place(start))
              for name, start, tasks in sections if name is not None or tasks),
        reader.path, line, column)


def _raw(text: str) -> str:
    return _decoded(text)


def _text(text: str) -> str | None:
    value = js_trim(_decoded(text))
    return value or None


_INDENTED_LINE = re.compile(f"\n{WS}+")


def _description(text: str) -> str | None:
    """commonDb's setAccDescription: each line's indentation dropped."""
    return _text(_INDENTED_LINE.sub("\n", text))


def _task(name: _Token, data: _Token, reader: _Reader) -> MermaidTask | None:
    pieces = data.text[1:].split(":")
    written = pieces[0]
    score = js_number(written)
    actors = pieces[1].split(",") if len(pieces) > 1 else []
    task_name = _decoded(name.text)
    shown = js_trim(task_name)
    at = data.start + 1 + len(written) - len(written.lstrip(_WS_CHARS))  # the score's start
    if score != score:  # NaN
        reader.problem(at, f"the score of '{shown}' must be a number from 1 to 5, "
                                       f"not '{js_trim(written)}'")
        return None
    if not LOWEST <= score <= HIGHEST:
        got = js_trim(written) or "nothing"
        reader.problem(at, f"the score of '{shown}' must be from 1 to 5, not "
                                       f"{got}")
        return None
    kept = tuple(dict.fromkeys(a for a in (js_trim(_decoded(p)) for p in actors) if a))
    line, column = reader.place(name.start)
    return MermaidTask(task_name, score, kept, line, column)


# --- into our journey format ------------------------------------------------------------

_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def display_text(text: str) -> str:
    """A name as the map shows it: Mermaid's line breaks (`<br>`) as spaces, trimmed; the map
    wraps text itself. A name that would be left empty stays as written."""
    shown = " ".join(js_trim(_BREAK.sub(" ", text)).split())
    return shown or js_trim(text) or text


def emotion(score: float, scale: EmotionScale) -> float | int:
    """Mermaid's score (1 to 5) placed linearly on the site's emotion scale."""
    value = round(scale.low + (score - LOWEST) / (HIGHEST - LOWEST) * (scale.high - scale.low),
                  6)
    return int(value) if value == int(value) else value


def journey_data(diagram: MermaidJourney, scale: EmotionScale, persona: str | None = None, *,
                 channel: str = "unknown", untitled_section: str = "Tasks",
                 untitled: str = "Journey") -> dict[str, Any]:
    """The diagram in our journey format (plain data, as a journey file holds it): sections
    are stages, tasks touchpoints, scores emotions on `scale`, actors kept as `actors`.

    Mermaid has no channels: each touchpoint gets `channel` (to fill in). The persona is the
    one given, else a slug of the first actor, else `customer`. Tasks before any section go in
    a stage named `untitled_section`; sections without tasks are left out, as Mermaid draws
    none. A diagram without tasks makes a journey with no stages, which does not validate.
    """
    actors = diagram.actors
    who = persona or (slugify(actors[0])[:100].strip("-") if actors else "") or "customer"
    title = diagram.title or diagram.acc_title
    stages = [{"name": display_text(section.name) if section.name else untitled_section,
               "touchpoints": [_touchpoint(task, scale, channel) for task in section.tasks]}
              for section in diagram.sections if section.tasks]
    data: dict[str, Any] = {"title": display_text(title) if title else untitled,
                            "persona": who, "stages": stages}
    return data


def _touchpoint(task: MermaidTask, scale: EmotionScale, channel: str) -> dict[str, Any]:
    point: dict[str, Any] = {"action": display_text(task.name), "channel": channel,
                             "emotion": emotion(task.score, scale)}
    if task.actors:
        point["actors"] = [display_text(a) for a in task.actors]
    return point


def journey_marks(diagram: MermaidJourney) -> Marks:
    """Where each node of `journey_data(diagram)` came from, as a `Source` takes them
    (`Source(diagram.path, journey_marks(diagram))`): a problem with a stage points at its
    `section`, with a touchpoint at its task, with anything else at `journey`."""
    marks: Marks = {(): (diagram.line, diagram.column)}
    for number, section in enumerate(s for s in diagram.sections if s.tasks):
        first = section.tasks[0]
        at = (section.line, section.column) if section.name is not None else \
            (first.line, first.column)
        marks[("stages", number)] = marks[("stages", number, "name")] = at
        marks[("stages", number, "touchpoints")] = at
        for index, task in enumerate(section.tasks):
            loc = ("stages", number, "touchpoints", index)
            marks[loc] = (task.line, task.column)
            for key in ("action", "channel", "emotion", "actors"):
                marks[loc + (key,)] = (task.line, task.column)
    return marks
