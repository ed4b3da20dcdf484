"""Typed models of journeys, personas and the roadmap: the content format and its JSON Schema.

Each field's description is what an author's editor shows, so it is written for authors.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from typing import Annotated, Any, Literal, NamedTuple, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .bidi import isolate
from .durations import EXAMPLE, DurationError, parse_duration

CUSTOM_ERROR_PREFIX = "journeys_"
YAML11_BOOLEANS = frozenset({"yes", "no", "on", "off", "y", "n"})
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


_Written = TypeVar("_Written", bound="_AsWritten")


class _AsWritten:
    """A number as YAML read it, remembering how it was written (`source`)."""

    source: str

    def __new__(cls: type[_Written], value: Any, source: str) -> _Written:
        number = super().__new__(cls, value)  # type: ignore[call-arg]  # int's or float's
        number.source = source
        return number


class YamlInt(_AsWritten, int):
    """An integer as YAML read it."""


class YamlFloat(_AsWritten, float):
    """A decimal as YAML read it."""


class EmotionScale(NamedTuple):
    """The range of emotion scores, from most negative to most positive."""

    low: float = -2.0
    high: float = 2.0


DEFAULT_SCALE = EmotionScale()


def _fail(kind: str, message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(CUSTOM_ERROR_PREFIX + kind, message, context or None)


def _as_bool(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in YAML11_BOOLEANS:
        raise _fail("bool", "must be true or false, not '{got}' (YAML 1.2 reads it as text)",
                    got=value)
    return value


# YAML's double-quoted escapes ("\x01", "\uFFFE") can write characters that XML 1.0, and so a
# map downloaded as an SVG file, cannot hold: C0 controls but tab, newline and carriage return,
# U+FFFE, U+FFFF and lone surrogates.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _showable(text: str) -> str:
    # Plain text may be drawn in a map; Markdown fields are HTML only, where the link rule
    # deals with what such characters hide (markup.safe_url).
    unshowable = _NOT_IN_XML.search(text)
    if unshowable:
        raise _fail("text", "holds the character {code}, which no web page or SVG file can "
                    "show: remove it", code=f"U+{ord(unshowable.group()):04X}")
    return text


def _as_text(value: Any) -> Any:
    # Numbers written in a text field mean the text the author typed, not a float.
    if isinstance(value, YamlInt | YamlFloat):
        return value.source
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise _fail("text", "must be text, not {got}; put it in quotes if you mean the word",
                    got="true" if value else "false")
    raise _fail("text", "must be text, not {got}", got=kind_of(value))


# Ids, tags and team names become folder and file names (journeys/<id>/index.html,
# tags/<tag>/, opportunities/<team>/): most file systems stop at 255 bytes a name.
MAX_ID = 100
MAX_NAME = 100


def _as_slug(value: Any) -> Any:
    text = _as_text(value)
    if not SLUG.fullmatch(text):
        shown = text if len(text) <= 40 else f"{text[:37]}..."
        raise _fail("slug", "must be an id of lower-case letters, digits and hyphens "
                    "(like '{example}'), not '{got}'", example=slugify(text)[:MAX_ID] or "my-id",
                    got=shown)
    if len(text) > MAX_ID:
        raise _fail("slug", "is {length} characters long; ids are at most {limit}, since they "
                    "become web addresses", length=len(text), limit=MAX_ID)
    return text


def _as_name(value: Any) -> Any:
    text = _as_text(value)
    if isinstance(text, str) and len(text) > MAX_NAME:
        raise _fail("name", "is {length} characters long; tags and team names are at most "
                    "{limit}, since each has a page of its own", length=len(text), limit=MAX_NAME)
    return text


def _as_list(value: Any) -> Any:
    # An empty key (`tags:`) is an empty list, as authors expect.
    return [] if value is None else value


def kind_of(value: Any) -> str:
    """What sort of value an author wrote, in their words: nothing, true or false, a number,
    text, a list or a mapping."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, int | float):
        return "a number"
    return "text"


def describe(value: Any) -> str:
    """A value as an author wrote it: the number, or the text (its start when long), else
    what sort of value it is."""
    if isinstance(value, YamlInt | YamlFloat):
        return f"the number {value.source}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"the number {value}"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else f"'{value[:37]}...'"
    return kind_of(value)


def _as_score(value: Any, scale: EmotionScale, item: int | None = None) -> float:
    """One emotion score, checked against the scale (Touchpoint.score is their mean)."""
    # `item` lets the error point at the offending score inside a list (see loading).
    where = {} if item is None else {"item": item}
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail("emotion", "must be a number or a list of numbers, not {got}",
                    got=kind_of(value), **where)
    if not math.isfinite(value) or not scale.low <= value <= scale.high:
        raise _fail("emotion", "must be between {low} and {high}, the emotion scale, not {got}",
                    got=str(getattr(value, "source", value)), low=f"{scale.low:g}",
                    high=f"{scale.high:g}", **where)
    return float(value)


def _as_emotion(value: Any, info: ValidationInfo) -> Any:
    scale = (info.context or {}).get("scale", EmotionScale())
    if value is None:
        return None
    if isinstance(value, list):
        if not value:
            raise _fail("emotion", "needs at least one score")
        return [_as_score(score, scale, item) for item, score in enumerate(value)]
    return _as_score(value, scale)


# Plain author text: direction controls in it are isolated (see bidi.py). A Markdown field is
# not: an isolate before `- ` or `## ` would end the list or heading, and its HTML is a block of
# its own anyway, whose end ends every embedding in it.
Text = Annotated[str, BeforeValidator(_as_text), Field(min_length=1), AfterValidator(_showable),
                 AfterValidator(isolate)]
MarkdownText = Annotated[str, BeforeValidator(_as_text), Field(min_length=1)]
# The lengths are checked by the validators, with their own words; Field gives them to the schema.
Slug = Annotated[str, BeforeValidator(_as_slug), Field(max_length=MAX_ID)]
Name = Annotated[str, BeforeValidator(_as_name), Field(min_length=1, max_length=MAX_NAME),
                 AfterValidator(_showable), AfterValidator(isolate)]
def _as_duration(text: str) -> str:
    try:
        parse_duration(text)
    except DurationError as error:
        raise _fail("duration", "must be a time {example}, not '{got}': {reason}",
                    example=EXAMPLE, got=text if len(text) <= 40 else f"{text[:37]}...",
                    reason=str(error)) from None
    return text


# A time as written, shown as written; its seconds come from durations.parse_duration.
DurationText = Annotated[str, BeforeValidator(_as_text), Field(min_length=1),
                         AfterValidator(_showable), AfterValidator(_as_duration),
                         AfterValidator(isolate)]
def _as_reading(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail("metric", "must be a number, not {got}", got=describe(value))
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        raise _fail("metric", "is too large a number") from None
    if not math.isfinite(number):
        raise _fail("metric", "must be a finite number, not {got}", got=describe(value))
    return number


def _as_readings(value: Any) -> Any:
    return {} if value is None else value


# What a journey, stage or touchpoint measured, by metric id (defined in metrics.yml).
MetricValues = Annotated[dict[Slug, Annotated[float, BeforeValidator(_as_reading)]],
                     BeforeValidator(_as_readings)]
TextList = Annotated[list[Text], BeforeValidator(_as_list)]
NameList = Annotated[list[Name], BeforeValidator(_as_list)]
Emotion = Annotated[float | list[float] | None, BeforeValidator(_as_emotion)]


def slugify(text: str) -> str:
    """A URL-safe id from text: accents folded to ASCII, anything else a single hyphen."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def unique_default_ids(explicit: list[str | None], texts: list[str], fallback: str) -> list[str]:
    """Ids for items: their own where given, else a slug of their text, numbered on repeats."""
    taken = {i for i in explicit if i is not None}
    # The number each base's next repeat tries first. Ids are only ever added to `taken`, so
    # every number below it was taken when tried and still is: starting there gives the ids
    # that counting from the base on every repeat would, without its quadratic cost.
    next_number: dict[str, int] = {}
    ids: list[str] = []
    for position, (given, text) in enumerate(zip(explicit, texts, strict=True), start=1):
        if given is not None:
            ids.append(given)
            continue
        base = slugify(text) or f"{fallback}-{position}"
        number = next_number.get(base, 1)  # 1: the base itself, unnumbered
        candidate = base if number == 1 else f"{base}-{number}"
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        next_number[base] = number + 1
        taken.add(candidate)
        ids.append(candidate)
    return ids


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Touchpoint(_Strict):
    """One moment where the customer meets the service, or an internal step behind it."""

    id: Slug | None = Field(None, description="Unique in the journey; default: a slug of `action`.")
    action: Text = Field(description="What the customer (or, backstage, the team) does.")
    channel: Text = Field(description="Where it happens: portal, e-mail, phone, chat, ...")
    team: Name | None = Field(None, description="The team that serves it; listed in `teams`.")
    backstage: Annotated[StrictBool, BeforeValidator(_as_bool)] = Field(
        False, description="true: an internal step the customer does not see (a handoff).")
    emotion: Emotion = Field(
        None, description="How the customer feels, on the site's emotion scale (default -2 to "
        "2), or a list of scores, one per interviewee. Required unless backstage.")
    feeling: Text | None = Field(None, description="The feeling in a word or two.")
    quote: Text | None = Field(None, description="What a customer said at this moment.")
    pain: Text | None = Field(None, description="What hurts here.")
    gap: Text | None = Field(None, description="Communication the customer missed here.")
    duration: DurationText | None = Field(
        None, description="How long it takes: '3 days', '2 h', '1 h 30 min', ISO 8601 'P3D'; "
        "units in any of the plugin's languages.")
    wait: DurationText | None = Field(
        None, description="How long the customer waits before this touchpoint, written as "
        "`duration` is.")
    moment_of_truth: Annotated[StrictBool, BeforeValidator(_as_bool)] = Field(
        False, description="true: a moment that makes or breaks the customer's trust; marked on "
        "the curve and the presentation, listed on the insights page.")
    actors: TextList = Field(
        [], description="Who takes part in it, by name: the people of a Mermaid journey's task "
        "(`Make tea: 5: Me, Cat`). Shown on the map; unlike `team`, not listed in `teams`.")
    metrics: MetricValues = Field(
        {}, description="What was measured here, by the id of a metric in metrics.yml: "
        "`{csat: 78, answer-time: 4.5}`. A data file's latest dated value takes its place.")

    @property
    def duration_seconds(self) -> int | None:
        return None if self.duration is None else parse_duration(self.duration)

    @property
    def wait_seconds(self) -> int | None:
        return None if self.wait is None else parse_duration(self.wait)

    @property
    def score(self) -> float | None:
        """The emotion as one number: the mean of interview scores."""
        if isinstance(self.emotion, list):
            return sum(self.emotion) / len(self.emotion)
        return self.emotion


class Stage(_Strict):
    """A phase of the journey: a column of the map."""

    name: Text
    touchpoints: list[Touchpoint] = Field(min_length=1)
    metrics: MetricValues = Field(
        {}, description="What was measured over the whole stage, by metric id (metrics.yml).")


MoSCoW = Literal["must", "should", "could", "wont"]
Status = Literal["idea", "planned", "doing", "done"]


class Opportunity(_Strict):
    """An improvement found on the journey, prioritised with MoSCoW."""

    id: Slug | None = Field(None, description="Unique in the journey; default: a slug of `title`.")
    title: Text
    touchpoints: list[Slug] = Field(
        min_length=1, description="Ids of the touchpoints of this journey it improves.")
    priority: MoSCoW = Field("could", description="MoSCoW: must, should, could or wont.")
    team: Name | None = None
    status: Status = "idea"
    milestone: Slug | None = Field(None, description="A milestone id from roadmap.yml.")
    description: MarkdownText | None = Field(None, description="Markdown.")


class Journey(_Strict):
    """A customer journey: stages of touchpoints, the persona who walks it, and opportunities."""

    title: Text
    persona: Slug = Field(description="The id of a persona (its file name).")
    state: Literal["current", "ideal"] = Field(
        "current", description="current: as it is today, from interviews; ideal: as it should be.")
    compare_to: Slug | None = Field(
        None, description="A journey id whose emotion curve is drawn over this one.")
    group: Slug | None = Field(
        None, description="Journeys with the same group (the same journey walked by several "
        "personas) are compared on one page.")
    goal: Text | None = Field(None, description="What the customer wants to achieve.")
    expectations: TextList = []
    teams: NameList = Field([], description="Every team involved; touchpoint teams come from here.")
    tags: NameList = []
    stages: list[Stage] = Field(min_length=1)
    time_axis: Annotated[StrictBool, BeforeValidator(_as_bool)] = Field(
        False, description="true: the map spaces touchpoints by the time that passes between "
        "them (their `wait` and `duration`), on a time axis.")
    opportunities: Annotated[list[Opportunity], BeforeValidator(_as_list)] = []
    metrics: MetricValues = Field(
        {}, description="What was measured over the whole journey, by metric id "
        "(metrics.yml).")
    notes: MarkdownText | None = Field(
        None, description="In a .yml file: the Markdown body.")

    @field_validator("time_axis")
    @classmethod
    def _timed(cls, value: bool, info: ValidationInfo) -> bool:
        stages = info.data.get("stages")
        if value and stages and not any(t.duration or t.wait for stage in stages
                                        for t in stage.touchpoints):
            raise _fail("time_axis", "needs a `duration` or `wait` on at least one touchpoint")
        return value

    @model_validator(mode="after")
    def _default_ids(self) -> Journey:
        touchpoints = [t for stage in self.stages for t in stage.touchpoints]
        for touchpoint, tid in zip(touchpoints, unique_default_ids(
                [t.id for t in touchpoints], [t.action for t in touchpoints], "touchpoint"),
                strict=True):
            touchpoint.id = tid
        for opportunity, oid in zip(self.opportunities, unique_default_ids(
                [o.id for o in self.opportunities], [o.title for o in self.opportunities],
                "opportunity"), strict=True):
            opportunity.id = oid
        return self

    @property
    def touchpoints(self) -> list[Touchpoint]:
        """All touchpoints in file order, both kinds."""
        return [t for stage in self.stages for t in stage.touchpoints]

    def touchpoint(self, touchpoint_id: str) -> Touchpoint | None:
        return next((t for stage in self.stages for t in stage.touchpoints
                     if t.id == touchpoint_id), None)

    @property
    def frontstage(self) -> list[Touchpoint]:
        return [t for t in self.touchpoints if not t.backstage]


class Persona(_Strict):
    """A typical customer: who they are and what they want."""

    name: Text
    role: Text
    photo: Text | None = Field(None, description="An image path relative to the persona file.")
    quote: Text | None = None
    goals: TextList = []
    expectations: TextList = []
    frustrations: TextList = []
    channels: TextList = Field([], description="Preferred channels, most preferred first.")
    notes: MarkdownText | None = Field(
        None, description="In a .yml file: the Markdown body.")


class Milestone(_Strict):
    """A point on the roadmap that opportunities are planned for."""

    id: Slug
    title: Text
    date: datetime.date = Field(description="YYYY-MM-DD")
    description: MarkdownText | None = Field(None, description="Markdown.")

    @model_validator(mode="before")
    @classmethod
    def _date_as_text(cls, data: Any) -> Any:
        # The loader keeps dates as text; pydantic parses ISO text, but not our numbers.
        if isinstance(data, dict) and isinstance(data.get("date"), YamlInt | YamlFloat):
            data = {**data, "date": data["date"].source}
        return data


class Roadmap(_Strict):
    """The site's roadmap: a vision and milestones over time."""

    title: Text = "Roadmap"
    vision: Text | None = None
    milestones: Annotated[list[Milestone], BeforeValidator(_as_list)] = []


def _as_bound(value: Any) -> Any:
    return None if value is None else _as_reading(value)


Bound = Annotated[float | None, BeforeValidator(_as_bound)]


class Metric(_Strict):
    """A measure of the service: what it is called, its unit and range, and its target."""

    id: Slug = Field(description="How journeys and data files name it: `csat`, `fcr`.")
    name: Text = Field(description="As readers see it: 'Customer satisfaction'.")
    unit: Text | None = Field(None, description="Shown after each value: '%', 'min', 'of 5'.")
    min: Bound = Field(None, description="The lowest value it can take; values below are "
                       "errors.")
    max: Bound = Field(None, description="The highest value it can take.")
    better: Literal["higher", "lower"] = Field(
        "higher", description="higher: more is better (satisfaction); lower: less is better "
        "(waiting time).")
    target: Bound = Field(None, description="The value to reach: at least it when higher is "
                          "better, at most it when lower is.")
    description: MarkdownText | None = Field(None, description="Markdown: how it is measured.")

    @field_validator("max")
    @classmethod
    def _above_min(cls, value: float | None, info: ValidationInfo) -> float | None:
        low = info.data.get("min")
        if value is not None and low is not None and value <= low:
            raise _fail("range", "must be more than 'min' ({low})", low=f"{low:g}")
        return value

    @field_validator("target")
    @classmethod
    def _in_range(cls, value: float | None, info: ValidationInfo) -> float | None:
        low, high = info.data.get("min"), info.data.get("max")
        if value is not None and ((low is not None and value < low)
                                  or (high is not None and value > high)):
            raise _fail("range", "must lie between 'min' and 'max', not {got}", got=f"{value:g}")
        return value

    def allows(self, value: float) -> bool:
        """Whether a value lies in the metric's range."""
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


class MetricsFile(_Strict):
    """metrics.yml: the measures journeys, stages and touchpoints are given values of."""

    metrics: list[Metric] = Field(min_length=1)
