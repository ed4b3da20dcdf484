"""The plugin's own words, read from `locales/<language>.yml`, English where a key is missing."""

from __future__ import annotations

import datetime
from functools import cache
from importlib.resources import files
from typing import Any, Literal

import yaml

FALLBACK = "en"
RIGHT_TO_LEFT = frozenset({"he", "ar", "fa", "ur", "yi"})


@cache
def _read(language: str) -> dict[str, str]:
    resource = files(__package__).joinpath("locales").joinpath(f"{language}.yml")
    if not resource.is_file():
        return {}
    data: Any = yaml.safe_load(resource.read_text(encoding="utf-8"))
    return {str(key): str(value) for key, value in (data or {}).items()}


def format_score(value: float, decimal: str = ".") -> str:
    """An emotion score as people write it: +1.5, -1, 0 (two decimals at most)."""
    text = f"{value:+.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("+0", "-0") else text.replace(".", decimal)


def available_languages() -> list[str]:
    folder = files(__package__).joinpath("locales")
    return sorted(p.name.removesuffix(".yml") for p in folder.iterdir() if p.name.endswith(".yml"))


class Labels:
    """Look up a label by key; format it with named placeholders."""

    def __init__(self, language: str = FALLBACK) -> None:
        known = available_languages()
        base = language.replace("_", "-").split("-")[0].lower()  # de-AT, de_CH: German
        self.language = language if language in known else base if base in known else FALLBACK
        self._words = {**_read(FALLBACK), **_read(self.language)}

    @property
    def direction(self) -> Literal["ltr", "rtl"]:
        return "rtl" if self.language.split("-")[0] in RIGHT_TO_LEFT else "ltr"

    def __repr__(self) -> str:
        return f"Labels({self.language!r})"

    def __hash__(self) -> int:
        return hash(self.language)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Labels) and other.language == self.language

    def score(self, value: float) -> str:
        """An emotion score with this language's decimal mark: +1,5 in German.

        In a right-to-left language the score is isolated left to right (U+2066 ... U+2069):
        in Hebrew text a bare -1.5 is shown as 1.5-, its sign on the wrong side.
        """
        text = format_score(value, self("decimal_separator"))
        return f"\u2066{text}\u2069" if self.direction == "rtl" else text

    def signed(self, value: int) -> str:
        """A change with its sign: +2, -1, 0; isolated left to right in right-to-left text."""
        text = f"{value:+d}" if value else "0"
        return f"\u2066{text}\u2069" if self.direction == "rtl" and value else text

    def number(self, value: float) -> str:
        """A plain number (a scale's end, a count) with this language's decimal mark."""
        return f"{round(value, 2):g}".replace(".", self("decimal_separator"))

    def date(self, day: datetime.date) -> str:
        """A date as this language writes it in running text: 'March 31, 2027'."""
        months = self("months").split(",")
        return self("date_format").format(day=day.day, month=months[day.month - 1].strip(),
                                          year=day.year)

    def short_date(self, day: datetime.date) -> str:
        """A date in digits, in this language's order, for a chart: '31.03.2027' in German."""
        return self("date_numeric", day=day.day, month=day.month, year=day.year)

    def month(self, day: datetime.date) -> str:
        """A month in digits, for a chart's time axis: '03/2027' in German."""
        return self("month_numeric", month=day.month, year=day.year)

    def __call__(self, key: str, **values: object) -> str:
        return self._words[key].format(**values) if values else self._words[key]
