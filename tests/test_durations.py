"""Times on the journey (`duration`, `wait`, the time axis) and moments of truth: the words of
every language read as times, errors at their line and column, the figures, the map, the
pages, the presentation and the insights of a real build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_journey_plugin.durations import (
    DAY,
    HOUR,
    MINUTE,
    UNITS,
    WEEK,
    DurationError,
    format_duration,
    parse_duration,
)
from mkdocs_journey_plugin.figures import journey_figures
from mkdocs_journey_plugin.labels import Labels
from mkdocs_journey_plugin.loading import to_model
from mkdocs_journey_plugin.model import EmotionScale, Journey
from mkdocs_journey_plugin.render.journey_map import (
    MapOptions,
    draw_journey_map,
    render_journey_map,
)
from mkdocs_journey_plugin.render.map_layout import COLUMN, LONGEST_GAP, lay_out

from .conftest import PERSONA, make_site, read_document, run, write


@pytest.mark.parametrize("text, seconds", [
    ("45 min", 45 * MINUTE), ("2 h", 2 * HOUR), ("3 days", 3 * DAY), ("1 day", DAY),
    ("2 weeks", 2 * WEEK), ("1 month", 30 * DAY), ("1 year", 365 * DAY), ("30 s", 30),
    ("1 h 30 min", 90 * MINUTE), ("1 day and 2 hours", 26 * HOUR), ("1 h, 15 min", 75 * MINUTE),
    ("2-3 days", 60 * HOUR), ("2 \u2013 4 h", 3 * HOUR), ("about 2 weeks", 2 * WEEK),
    ("~10 min", 10 * MINUTE), ("a day", DAY), ("an hour and 30 minutes", 90 * MINUTE),
    ("45min", 45 * MINUTE), ("2h", 2 * HOUR), ("1.5 h", 90 * MINUTE), ("2 Days", 2 * DAY),
    ("8 working days", 8 * WEEK // 5), ("1 business day", WEEK // 5),
    # German, Dutch, Polish, Hungarian, Hebrew
    ("10 Minuten", 10 * MINUTE), ("1 Stunde", HOUR), ("1,5 Std.", 90 * MINUTE),
    ("3 Tage", 3 * DAY), ("2 Wochen", 2 * WEEK), ("ca. 4 Werktage", 4 * WEEK // 5),
    ("ein Tag", DAY), ("20 minuten", 20 * MINUTE), ("2 uur", 2 * HOUR), ("3 dagen", 3 * DAY),
    ("1 week", WEEK), ("5 werkdagen", WEEK), ("15 minut", 15 * MINUTE), ("2 godz.", 2 * HOUR),
    ("3 dni", 3 * DAY), ("2 tygodnie", 2 * WEEK), ("3 dni robocze", 3 * WEEK // 5),
    ("45 perc", 45 * MINUTE), ("2 óra", 2 * HOUR), ("3 nap", 3 * DAY), ("3 napig", 3 * DAY),
    ("egy hét", WEEK), ("20 דקות", 20 * MINUTE), ("4 שעות", 4 * HOUR), ("3 ימים", 3 * DAY),
    ("שעתיים", 2 * HOUR), ("יום", DAY), ("שעתיים \u05d5-30 דקות", 150 * MINUTE),
    ("2 ימי עבודה", 2 * WEEK // 5),
    # A half of a unit, as people say it
    ("half an hour", 30 * MINUTE), ("half a day", DAY // 2), ("a half day", DAY // 2),
    ("1 hour and a half hour", 90 * MINUTE), ("eine halbe Stunde", 30 * MINUTE),
    ("ein halber Tag", DAY // 2), ("een half uur", 30 * MINUTE), ("een halve dag", DAY // 2),
    ("fél óra", 30 * MINUTE), ("pół godziny", 30 * MINUTE), ("חצי שעה", 30 * MINUTE),
    # As the map writes times back: "1 Tg. 2 Std.", Hebrew's short units with a geresh
    ("1 Tg. 2 Std.", 26 * HOUR), ("3 \u05d9\u05de\u05f3 4 \u05e9\u05e2\u05f3", 76 * HOUR),
    # ISO 8601
    ("P3D", 3 * DAY), ("PT45M", 45 * MINUTE), ("PT2H30M", 150 * MINUTE), ("P1DT2H", 26 * HOUR),
    ("P2W", 2 * WEEK), ("p1m", 30 * DAY), ("PT0,5H", 30 * MINUTE),
    # Direction marks, as bidi.isolate adds round Hebrew text
    ("\u20683 ימים\u2069", 3 * DAY),
])
def test_durations_in_every_language(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text, reason", [
    ("3", "write a number and a unit"),
    ("days", "'days' has no number before it"),
    ("3 foo", "'foo' is not a unit of time"),
    ("2h30m", "'m' could be minutes or months: write 'min' or 'months'"),
    ("3-2 days", "a range goes from the shorter time to the longer"),
    ("P", "'P' has no number before it"),
    ("about", "write a number and a unit"),
    ("3 days 4", "write a number and a unit"),
])
def test_what_is_not_a_duration_says_why(text: str, reason: str) -> None:
    with pytest.raises(DurationError) as error:
        parse_duration(text)
    assert str(error.value) == reason


@pytest.mark.parametrize("seconds, language, shown", [
    (0, "en", "0 s"), (45, "en", "45 s"), (45 * MINUTE, "en", "45 min"),
    (90 * MINUTE, "en", "1 h 30 min"), (26 * HOUR, "en", "1 d 2 h"),
    (3 * DAY - 20 * MINUTE, "en", "3 d"),  # 2 d 23.7 h rounds to 3 d, never "2 d 24 h"
    (40 * DAY + 6 * HOUR, "en", "40 d 6 h"), (26 * HOUR, "de", "1 Tg. 2 Std."),
    (26 * HOUR, "hu", "1 nap 2 óra"), (90 * MINUTE, "pl", "1 godz. 30 min"),
])
def test_times_are_shown_in_two_units(seconds: int, language: str, shown: str) -> None:
    assert format_duration(seconds, Labels(language)) == shown


TIMED = """\
---
title: Getting a laptop
persona: eva
time_axis: true
stages:
  - name: Request
    touchpoints:
      - id: order
        action: Fills in the order form
        channel: portal
        emotion: 0
        duration: 10 min
      - id: approval
        action: Waits for approval
        channel: e-mail
        emotion: -1
        wait: 2 days
        moment_of_truth: true
  - name: Delivery
    touchpoints:
      - id: prepare
        action: Hardware prepares <b>it</b>
        channel: ticket
        backstage: true
        duration: 1 day
      - id: pick-up
        action: Picks it up
        channel: walk-in
        emotion: 1.5
        wait: 3 h
        moment_of_truth: true
---
"""


def journey_of(tmp_path: Path, text: str) -> tuple[Journey | None, list[str]]:
    path = tmp_path / "j.md"
    path.write_text(text, encoding="utf-8")
    document, problems = read_document(path, "j.md")
    assert document is not None, problems
    journey, problems = to_model(document, Journey, EmotionScale())
    return journey, [str(p) for p in problems]


def test_times_and_moments_of_truth_are_figures(tmp_path: Path) -> None:
    journey, problems = journey_of(tmp_path, TIMED)
    assert problems == [] and journey is not None
    figures = journey_figures(journey).as_dict()
    assert figures["elapsed"] == 10 * MINUTE + 2 * DAY + DAY + 3 * HOUR
    assert figures["waiting"] == 2 * DAY + 3 * HOUR
    assert figures["longest_wait"] == {"id": "approval", "action": "Waits for approval",
                                       "seconds": 2 * DAY}
    assert figures["moments_of_truth"] == 2
    untimed, _ = journey_of(tmp_path, re.sub(r"\n *(duration|wait|time_axis|moment_of_truth):.*",
                                             "", TIMED))
    assert untimed is not None
    plain = journey_figures(untimed).as_dict()
    assert (plain["elapsed"], plain["waiting"], plain["longest_wait"],
            plain["moments_of_truth"]) == (None, None, None, 0)  # unknown, not zero


@pytest.mark.parametrize("edit, problem", [
    (("duration: 10 min", "duration: 10"), "j.md:12:19: 'duration' must be a time like "
     "'3 days', '2 h', '1 h 30 min' or 'P3D', not '10': write a number and a unit"),
    (("wait: 3 h", "wait: 3 hrs 20 m"), "j.md:30:15: 'wait' must be a time like '3 days', "
     "'2 h', '1 h 30 min' or 'P3D', not '3 hrs 20 m': 'm' could be minutes or months: write "
     "'min' or 'months'"),
    (("moment_of_truth: true\n  - name", "moment_of_truth: yes\n  - name"),
     "j.md:18:26: 'moment_of_truth' must be true or false, not 'yes' (YAML 1.2 reads it as "
     "text)"),
])
def test_bad_times_are_errors_at_their_place(tmp_path: Path, edit: tuple[str, str],
                                             problem: str) -> None:
    assert edit[0] in TIMED
    _, problems = journey_of(tmp_path, TIMED.replace(*edit, 1))
    assert problems == [problem]


def test_a_time_axis_needs_a_time(tmp_path: Path) -> None:
    untimed = re.sub(r"\n *(duration|wait):.*", "", TIMED)
    _, problems = journey_of(tmp_path, untimed)
    assert problems == ["j.md:4:12: 'time_axis' needs a `duration` or `wait` on at least one "
                        "touchpoint"]


def test_the_time_axis_spaces_columns_by_the_time_between_them(tmp_path: Path) -> None:
    journey, _ = journey_of(tmp_path, TIMED)
    assert journey is not None
    layout = lay_out(journey, MapOptions())
    steps = [b - a - COLUMN for a, b in zip(layout.lefts, layout.lefts[1:], strict=False)]
    # order -> approval: 10 min + 2 days, the longest; approval -> prepare: nothing;
    # prepare -> pick-up: 1 day + 3 h.
    longest = 10 * MINUTE + 2 * DAY
    assert steps == pytest.approx([LONGEST_GAP, 0, LONGEST_GAP * (DAY + 3 * HOUR) / longest])
    assert [t.lines if t else None for t in layout.times] == [
        ("Start",), ("after 2 d", "waits 2 d"), ("after 2 d",), ("after 3 d 3 h", "waits 3 h")]
    assert [g.text.lines if g.text else None for g in layout.gaps] == [("2 d",), ("1 d 3 h",)]
    assert layout.width == pytest.approx(layout.lefts[-1] + COLUMN + 12)
    svg = render_journey_map(journey)
    assert svg.count('class="jm-gap"') == 3  # two rooms and the legend's sample
    assert "&lt;b&gt;it&lt;/b&gt;" in svg and "<b>" not in svg
    # Without the axis: the columns side by side, no time lane, and nothing else changes.
    flat, _ = journey_of(tmp_path, TIMED.replace("time_axis: true", "time_axis: false"))
    assert flat is not None
    flat_layout = lay_out(flat, MapOptions())
    assert flat_layout.lefts == tuple(120 + COLUMN * i for i in range(4))
    assert flat_layout.times == [] and flat_layout.gaps == []
    untimed, _ = journey_of(tmp_path, re.sub(r"\n *(duration|wait|time_axis):.*", "", TIMED))
    assert untimed is not None
    assert render_journey_map(flat) == render_journey_map(untimed)


def test_moments_of_truth_are_ringed_and_badged(tmp_path: Path) -> None:
    journey, _ = journey_of(tmp_path, TIMED)
    assert journey is not None
    drawn = draw_journey_map(journey)
    assert drawn.svg.count('class="jm-ring jm-ring--truth"') == 2
    assert drawn.svg.count('class="jm-badge jm-badge--truth"') == 3  # and the legend's
    assert "moment of truth (a second ring on the curve)" in drawn.svg
    assert "<title>Moment of truth</title>" in drawn.svg  # the badge's tooltip, in words


def test_a_site_shows_times_and_moments_of_truth(tmp_path: Path) -> None:
    make_site(tmp_path)
    write(tmp_path / "content" / "personas" / "eva.md", PERSONA)
    write(tmp_path / "content" / "journeys" / "laptop.md", TIMED)
    write(tmp_path / "content" / "journeys" / "other.md", TIMED.replace(
        "Getting a laptop", "Other").replace("emotion: -1\n", "emotion: -2\n"))
    result = run(["mkdocs", "build", "--strict"], tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "journeys" / "laptop" / "index.html").read_text(encoding="utf-8")
    figures = re.search(r'<dl class="journey-figures">(.*?)</dl>', page, re.S)
    assert figures
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", figures.group(1))
    assert ("Elapsed time", "3 d 3 h") in pairs and ("Waiting", "2 d 3 h") in pairs
    assert ("Longest wait", '<a href="#tp-approval">Waits for approval</a> (2 d)') in pairs
    assert ("Moments of truth", "2") in pairs
    assert '<span class="journey-label">Wait before:</span> 2 days' in page
    assert page.count("(&#9733; Moment of truth)") == 2
    assert 'class="jm-time-axis"' in page
    present = (tmp_path / "site" / "journeys" / "laptop" / "present" / "index.html").read_text(
        encoding="utf-8")
    assert present.count('class="jp-pill jp-pill--truth"') == 2
    assert present.count('class="jsc-truth"') == 2
    insights = (tmp_path / "site" / "insights" / "index.html").read_text(encoding="utf-8")
    section = insights.split('id="moments-of-truth"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td><a href=\"([^\"]+)\">([^<]+)</a></td><td><a [^>]+>([^<]+)</a>"
                      r"</td><td>([^<]+)</td><td>([^<]+)</td></tr>", section)
    assert [(r[2], r[1], r[4]) for r in rows] == [  # the worst felt first
        ("Other", "Waits for approval", "-2"), ("Getting a laptop", "Waits for approval", "-1"),
        ("Getting a laptop", "Picks it up", "+1.5"), ("Other", "Picks it up", "+1.5")]
    assert rows[0][0].endswith("journeys/other/#tp-approval")
    figures_json = run(["mkdocs_journey_plugin.cli", "figures", "content/journeys/laptop.md",
                        "--json"], tmp_path)
    assert json.loads(figures_json.stdout)["elapsed"] == 3 * DAY + 3 * HOUR + 10 * MINUTE


def test_the_schema_has_the_new_keys() -> None:
    schema = json.loads(run(["mkdocs_journey_plugin.cli", "schema"], Path.cwd()).stdout)
    text = json.dumps(schema)
    for key in ("wait", "moment_of_truth", "time_axis"):
        assert f'"{key}"' in text


# --- properties --------------------------------------------------------------------------------

_PART = st.tuples(st.integers(min_value=1, max_value=999), st.sampled_from(sorted(UNITS)))


@settings(max_examples=300, deadline=None)
@given(st.lists(_PART, min_size=1, max_size=4),
       st.sampled_from([" ", ", ", " and ", " und ", " en ", " + "]))
def test_parts_in_any_language_add_up(parts: list[tuple[int, str]], joint: str) -> None:
    text = joint.join(f"{number} {word}" for number, word in parts)
    assert parse_duration(text) == sum(number * UNITS[word] for number, word in parts)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=99), st.integers(min_value=0, max_value=23),
       st.integers(min_value=0, max_value=59), st.integers(min_value=0, max_value=59))
def test_iso_8601_is_exact(days: int, hours: int, minutes: int, seconds: int) -> None:
    text = f"P{days}DT{hours}H{minutes}M{seconds}S"
    assert parse_duration(text) == days * DAY + hours * HOUR + minutes * MINUTE + seconds


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=400 * DAY),
       st.sampled_from(["en", "de", "nl", "hu", "pl", "he"]))
def test_a_shown_time_reads_back_as_the_time_it_rounds(seconds: int, language: str) -> None:
    """What the map shows ("3 d 4 h", "1 Tg. 2 Std.") is a time an author may write, and
    reads back within half of its smaller unit."""
    shown = format_duration(seconds, Labels(language))
    rounding = HOUR / 2 if seconds >= DAY else MINUTE / 2 if seconds >= HOUR else \
        0.5 if seconds >= MINUTE else 0
    assert abs(parse_duration(shown) - seconds) <= rounding, shown


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30))
def test_any_text_is_a_time_or_says_why(text: str) -> None:
    try:
        seconds = parse_duration(text)
    except DurationError as error:
        assert str(error)
    else:
        assert seconds >= 0
