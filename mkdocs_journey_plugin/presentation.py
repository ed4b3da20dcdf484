"""A journey's presentation at `journeys/<id>/present/`, for workshops: a title slide (title,
persona, goal), a slide per stage (its touchpoints and its part of the emotion curve) and the
opportunities by MoSCoW priority.

It is an HTML page of its own, not a theme page: the same on Material and the plain theme,
self-contained (its style and a small script inside it, nothing fetched), written in the site's
language and direction. Without JavaScript the slides are one readable page; with it, one
slide fills the window at a time (see assets/present.js). The pages are written once the site
exists, as the standalone maps are, and each is kept in the chart cache by what it shows, so
that an unchanged build writes them from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Literal

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .cache import COMPILED_TEMPLATES
from .labels import Labels
from .model import EmotionScale, Journey, Persona, Stage, Touchpoint
from .render.stage_curves import StageCurveOptions, render_stage_curves, split_stage_curves
from .render.svg import isolate
from .views import group_by_priority, opportunity_numbers

TEMPLATE = "present.html.j2"
# The marker shapes of the curve, in the text beside each score: not colour alone.
MARKS = {"positive": "\u25b2", "negative": "\u25bc", "neutral": "\u25cf"}


@dataclass(frozen=True)
class Slide:
    """One slide: its kind, its heading and, for a stage, the stage and its number (from 1)."""

    kind: Literal["title", "stage", "opportunities"]
    heading: str
    stage: Stage | None = None
    number: int = 0


def slides(journey: Journey, labels: Labels) -> list[Slide]:
    """The title, each stage in order, then the opportunities."""
    return [Slide("title", journey.title),
            *(Slide("stage", stage.name, stage, number)
              for number, stage in enumerate(journey.stages, start=1)),
            Slide("opportunities", labels("opportunities"))]


def score_text(value: float, scale: EmotionScale, labels: Labels) -> str:
    """A score as the map shows it: signed on a scale below zero, kept left to right."""
    if scale.low < 0:
        return labels.score(value)
    return isolate(labels.number(value), labels.direction)


def emotion_kind(touchpoint: Touchpoint, scale: EmotionScale) -> str:
    """Above, below or at the middle of the scale: the marker's shape."""
    middle, value = (scale.low + scale.high) / 2, touchpoint.score or 0.0
    return "positive" if value > middle else "negative" if value < middle else "neutral"


def emotion_text(touchpoint: Touchpoint, scale: EmotionScale, labels: Labels) -> str:
    """The score, and for interview scores their mean, count and range, as in the table."""
    emotion = touchpoint.emotion
    if isinstance(emotion, list):
        return labels("score_of_interviews",
                      mean=score_text(touchpoint.score or 0.0, scale, labels),
                      count=len(emotion), low=score_text(min(emotion), scale, labels),
                      high=score_text(max(emotion), scale, labels))
    return score_text(emotion or 0.0, scale, labels)


def card_widths(stage: Stage, scale: EmotionScale, labels: Labels) -> list[int]:
    """How wide each touchpoint's card is against the others of its stage, 2 to 6 (the jp-w
    classes): as wide as the text it holds, so that the cards end at about the same height."""
    def size(tp: Touchpoint) -> int:
        emotion = emotion_text(tp, scale, labels) if tp.emotion is not None else None
        texts = [tp.action, f"{tp.channel} {tp.team or ''}", emotion, tp.feeling, tp.quote,
                 tp.pain, tp.gap]
        # Each paragraph's label and the ragged end of its last line take about 15 letters.
        return sum(len(text) + 15 for text in texts if text)

    sizes = [size(tp) for tp in stage.touchpoints]
    return [max(2, min(6, round(2 * value / min(sizes)))) for value in sizes]


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader(__package__, "templates"),
                       bytecode_cache=COMPILED_TEMPLATES, autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


@cache
def _asset(name: str) -> Markup:
    """Our own stylesheet or script, put inside the page as it is."""
    return Markup(files(__package__).joinpath("assets").joinpath(name)
                  .read_text("utf-8").strip())


@dataclass(frozen=True)
class PresentationOptions:
    """Everything besides the journey and its persona that changes the page: the stage curves'
    options (scale, words, direction, the prefix of their ids) and the link back to the
    journey's page, relative to the presentation."""

    curves: StageCurveOptions = field(default_factory=StageCurveOptions)
    back: str = "../"


def render_presentation(journey: Journey, persona: Persona,
                        options: PresentationOptions | None = None) -> str:
    """The presentation's HTML: a pure function of its arguments, kept in the chart cache."""
    options = options or PresentationOptions()
    labels, scale = options.curves.labels, options.curves.scale
    curves = split_stage_curves(render_stage_curves(journey, options.curves))
    return _environment().get_template(TEMPLATE).render(
        t=labels, journey=journey, persona=persona, slides=slides(journey, labels),
        curves=[Markup(curve) for curve in curves], back=options.back, marks=MARKS,
        emotion=lambda tp: emotion_text(tp, scale, labels),
        emotion_kind=lambda tp: emotion_kind(tp, scale),
        widths=lambda stage: card_widths(stage, scale, labels),
        grouped=group_by_priority(journey.opportunities),
        numbers=opportunity_numbers(journey),
        css=_asset("present.css"), script=_asset("present.js"))
