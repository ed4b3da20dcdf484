"""How long a touchpoint takes, and how long the customer waits before it, read from what an
author wrote ("3 days", "2 h", "1 Std. 30 Min.", "P3D") and written back for people ("3 d 4 h").

Authors write durations in their own language: the units of every language the plugin speaks
are understood in every site, since no two of them mean different times. A month counts 30
days and a year 365, as ISO 8601 leaves them open; a range ("2-3 days") counts as its middle.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .labels import Labels

SECOND, MINUTE, HOUR, DAY, WEEK = 1, 60, 3600, 86_400, 604_800
MONTH, YEAR = 30 * DAY, 365 * DAY
WORKING_DAY = WEEK // 5  # five of them make a week: 8 working days take 11.2 days

# Unit words, lower case, without a trailing full stop (or Hebrew's geresh, U+05F3): English,
# German, Dutch, Polish, Hungarian (with -ig, "for": "3 napig") and Hebrew. One letter alone
# only where no language reads it otherwise ("m" could be minutes or months: not a unit here).
_UNITS: dict[int, str] = {
    SECOND: "s sec secs second seconds sek sekunde sekunden seconde seconden sekunda sekundy "
            "sekund mp másodperc másodpercig שנייה שניה שניות שנ",
    MINUTE: "min mins minute minutes minuten minuut minuta minuty minut p perc percig דקה דקות דק",
    HOUR: "h hr hrs hour hours std stunde stunden u uur uren godz godzina godziny godzin ó óra "
          "óráig שעה שעות שע",
    DAY: "d day days t tg tag tage tagen dag dagen dzień dni dnia nap napig יום ימים ימ",
    WEEK: "w wk wks week weeks wo woche wochen weken tydzień tygodnie tygodni tyg hét hetet "
          "hétig שבוע שבועות",
    MONTH: "mo month months monat monate monaten maand maanden miesiąc miesiące miesięcy mies "
           "hónap hónapig חודש חודשים",
    YEAR: "y yr yrs year years jahr jahre jahren jaar jaren rok lata lat év évig שנה שנים",
    WORKING_DAY: "workday workdays working_day working_days business_day business_days "
                 "werktag werktage werktagen arbeitstag arbeitstage arbeitstagen werkdag "
                 "werkdagen dzień_roboczy dni_robocze dni_roboczych munkanap munkanapot "
                 "munkanapig יום_עבודה ימי_עבודה",
}
UNITS: dict[str, int] = {word.replace("_", " "): size for size, words in _UNITS.items()
                         for word in words.split()}
# Units of two words, tried before one: "8 working days" is not 8 of "working".
_PAIRS = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in UNITS if " " in w),
                         key=len, reverse=True))
# Hebrew says one of a unit with the word alone ("יום", a day) and two in one word
# ("יומיים", two days).
DUALS = {"דקה": MINUTE, "שעה": HOUR, "יום": DAY, "שבוע": WEEK, "חודש": MONTH, "שנה": YEAR,
         "שעתיים": 2 * HOUR, "יומיים": 2 * DAY, "שבועיים": 2 * WEEK, "חודשיים": 2 * MONTH,
         "שנתיים": 2 * YEAR}
# "a day", "an hour", "ein Tag", "een week", "egy nap": one.
_ONE = re.compile(r"\b(?:a|an|one|ein|eine|einen|een|jeden|jedna|jedną|egy)\s+(?=[^\W\d_])",
                  re.IGNORECASE)
# "half an hour", "a half day", "eine halbe Stunde", "een half uur", "fél nap", "pół godziny",
# "חצי שעה": a half of the unit after it.
_HALF = re.compile(r"\b(?:half\s+an?|an?\s+half|eine?[nr]?\s+halbe[nr]?|halbe[nr]?|"
                   r"een\s+hal(?:f|ve)|half|halve|egy\s+fél|fél|pół|חצי)\s+(?=[^\W\d_])",
                   re.IGNORECASE)
# Words for "about" before a duration: it is an estimate either way.
_ABOUT = re.compile(r"(?:~|≈|about|approx\.?|approximately|around|ca\.?|circa|etwa|ungefähr|"
                    r"ongeveer|około|ok\.|kb\.?|körülbelül|בערך|כ-?)\s*", re.IGNORECASE)
_NUMBER = r"\d+(?:[.,]\d+)?"
_AND = "(?:\u05d5-?)?"  # Hebrew writes "and" as a letter before the word it joins
_PART = re.compile(rf"{_AND}(?P<low>{_NUMBER})(?:\s*[-\u2013]\s*(?P<high>{_NUMBER}))?\s*"
                   rf"(?P<unit>{_PAIRS}|[^\W\d_]+)[.\u05f3']?|{_AND}(?P<dual>[^\W\d_]+)",
                   re.IGNORECASE)
_JOIN = re.compile(r"\s*(?:,|\+|&|\band\b|\bund\b|\ben\b|\bi\b|\bés\b)?\s*", re.IGNORECASE)
_N = r"\d+(?:[.,]\d+)?"
_ISO = re.compile(rf"P(?!$)(?:(?P<Y>{_N})Y)?(?:(?P<M>{_N})M)?(?:(?P<W>{_N})W)?(?:(?P<D>{_N})D)?"
                  rf"(?:T(?=\d)(?:(?P<H>{_N})H)?(?:(?P<TM>{_N})M)?(?:(?P<S>{_N})S)?)?",
                  re.IGNORECASE)
_ISO_SIZES = {"Y": YEAR, "M": MONTH, "W": WEEK, "D": DAY, "H": HOUR, "TM": MINUTE, "S": SECOND}
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
EXAMPLE = "like '3 days', '2 h', '1 h 30 min' or 'P3D'"
AMBIGUOUS = {"m": "minutes or months: write 'min' or 'months'"}


class DurationError(ValueError):
    """Text that is not a duration; the message says what is wrong with it, shortly."""


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_duration(text: str) -> int:
    """Seconds in a duration as authors write it (EXAMPLE). Raises DurationError."""
    plain = " ".join(_BIDI.sub("", text).split())
    iso = _ISO.fullmatch(plain)
    if iso:
        return round(sum(_number(value) * _ISO_SIZES[unit]
                         for unit, value in iso.groupdict().items() if value))
    about = _ABOUT.match(plain)
    rest = _ONE.sub("1 ", _HALF.sub("0.5 ", plain[about.end():] if about else plain))
    total, position, parts = 0.0, 0, 0
    while position < len(rest):
        if parts:
            position = _JOIN.match(rest, position).end()  # type: ignore[union-attr]
        found = _PART.match(rest, position)
        if not found:
            raise DurationError("write a number and a unit")
        if found.group("dual") is not None:
            size = DUALS.get(found.group("dual"))
            if size is None:
                raise DurationError(f"'{found.group('dual')}' has no number before it")
            total += size
        else:
            unit = " ".join(found.group("unit").casefold().split())
            if unit in AMBIGUOUS:
                raise DurationError(f"'{found.group('unit')}' could be {AMBIGUOUS[unit]}")
            if unit not in UNITS:
                raise DurationError(f"'{found.group('unit')}' is not a unit of time")
            low = _number(found.group("low"))
            high = _number(found.group("high")) if found.group("high") else low
            if high < low:
                raise DurationError("a range goes from the shorter time to the longer")
            total += (low + high) / 2 * UNITS[unit]
        position, parts = found.end(), parts + 1
    if not parts:
        raise DurationError("write a number and a unit")
    return round(total)


_SHOWN = ((DAY, "unit_day"), (HOUR, "unit_hour"), (MINUTE, "unit_minute"),
          (SECOND, "unit_second"))


def format_duration(seconds: int, labels: Labels) -> str:
    """A time for people: its two largest units, the second rounded ("3 d 4 h", "45 min")."""
    for index, (size, key) in enumerate(_SHOWN):
        if seconds >= size or size == SECOND:
            whole, rest = divmod(seconds, size)
            shown = [f"{whole} {labels(key)}"]
            if index + 1 < len(_SHOWN) and rest:
                smaller, smaller_key = _SHOWN[index + 1]
                count = round(rest / smaller)
                if count == round(size / smaller):  # 2 d 23.6 h is 3 d
                    shown = [f"{whole + 1} {labels(key)}"]
                elif count:
                    shown.append(f"{count} {labels(smaller_key)}")
            return " ".join(shown)
    raise AssertionError("unreachable: the last unit is one second")
