"""What every emotion chart takes besides its data: the scale, the words, the text direction and
the prefix of the ids it writes (several charts share a page)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..labels import Labels
from ..model import DEFAULT_SCALE, EmotionScale
from .svg import Direction, isolate


@dataclass(frozen=True)
class ChartOptions:
    """The options the map, the sparkline, the curves, the bars and the history share."""

    scale: EmotionScale = DEFAULT_SCALE
    labels: Labels = field(default_factory=Labels)
    direction: Direction = "ltr"
    id_prefix: str = "chart"

    def number(self, value: float) -> str:
        """A score as shown: signed on a scale that goes below zero, and isolated left to right
        in a right-to-left chart, so that -1.5 stays -1.5."""
        shown = self.labels.score(value) if self.scale.low < 0 else self.labels.number(value)
        return isolate(shown, self.direction)
