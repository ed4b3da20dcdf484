"""The plugin's words in every language: each locale file walked against English, and Labels."""

from __future__ import annotations

import datetime
import re
import string
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml

from mkdocs_journey_plugin import labels as labels_module
from mkdocs_journey_plugin.labels import Labels, available_languages
from mkdocs_journey_plugin.loading import parse_document, to_model
from mkdocs_journey_plugin.model import EmotionScale, Journey
from mkdocs_journey_plugin.render import (
    MapOptions,
    MilestoneMark,
    RoadmapOptions,
    render_journey_map,
    render_roadmap,
)
from mkdocs_journey_plugin.render.channels import channel_kind
from mkdocs_journey_plugin.render.map_layout import AXIS_ROOM, GUTTER, PAD, SMALL
from mkdocs_journey_plugin.render.text import fit

from .conftest import JOURNEY, PERSONA, make_site, run, write

LOCALES = Path(str(files("mkdocs_journey_plugin").joinpath("locales")))
LANGUAGES = ["de", "nl", "hu", "pl", "he"]
MARCH_31 = datetime.date(2027, 3, 31)
SVG = "{http://www.w3.org/2000/svg}"


def read(folder: Path, language: str) -> dict[str, Any]:
    data = yaml.safe_load((folder / f"{language}.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{language}.yml: a mapping of keys to labels"
    return data


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def locale_problems(folder: Path, language: str) -> list[str]:
    """Everything wrong with one locale file against English, one readable line each."""
    english, words = read(folder, "en"), read(folder, language)
    problems = [f"{language}.yml: missing key {key}" for key in english if key not in words]
    problems += [f"{language}.yml: key {key} is not in en.yml" for key in words
                 if key not in english]
    for key, value in words.items():
        if key not in english:
            continue
        if not isinstance(value, str):  # an unquoted yes, 1 or # would not be text
            problems.append(f"{language}.yml: {key} is {type(value).__name__}, not text")
        elif not value.strip():
            problems.append(f"{language}.yml: {key} is empty")
        elif value == key:
            problems.append(f"{language}.yml: {key} is its own key, not a label")
        elif placeholders(value) != placeholders(str(english[key])):
            problems.append(f"{language}.yml: {key} has placeholders "
                            f"{sorted(placeholders(value))}, English has "
                            f"{sorted(placeholders(str(english[key])))}")
    return problems


def chart_texts(html: str, chart: str = "journey-map", css: str = "") -> list[str]:
    """The texts of the first chart of a kind on a page, lines joined, with a class if given."""
    match = re.search(rf'<svg[^>]*class="{chart}".*?</svg>', html, re.S)
    assert match, f"the page has a {chart}"
    root = ET.fromstring(match.group(0))
    texts = []
    for element in root.iter(f"{SVG}text"):
        if css and css not in (element.get("class") or "").split():
            continue
        lines = [element.text or ""] + [span.text or "" for span in element.iter(f"{SVG}tspan")]
        texts.append(" ".join(" ".join(lines).split()))  # a tooltip's <title> is left out
    return texts


def dummy_values(text: str) -> dict[str, str]:
    return {name: f"<{name}>" for name in placeholders(text)}


def test_every_language_of_the_issue_has_a_locale_file() -> None:
    assert set(available_languages()) >= {"en", *LANGUAGES}


@pytest.mark.parametrize("language", LANGUAGES)
def test_locale_has_exactly_the_english_keys_with_their_placeholders(language: str) -> None:
    assert locale_problems(LOCALES, language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_locale_keeps_the_order_of_english(language: str) -> None:
    """The files line up with en.yml, so that a reviewer reads them side by side."""
    assert list(read(LOCALES, language)) == list(read(LOCALES, "en"))


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_every_label_formats_with_its_placeholders(language: str) -> None:
    t = Labels(language)
    for key, value in read(LOCALES, "en").items():
        if key in ("date_numeric", "month_numeric"):
            continue  # numbers with a width ({month:02d}): formatted in the test of chart dates
        values = dummy_values(str(value))
        text = t(key, **values)
        assert text.strip(), key
        for name in values:
            assert f"<{name}>" in text, f"{language}: {key} drops {{{name}}}"
        assert not re.search(r"\{\w*\}", text), f"{language}: {key} keeps a brace: {text}"


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_months_dates_and_decimal_marks_are_complete(language: str) -> None:
    words = read(LOCALES, language)
    months = [m.strip() for m in words["months"].split(",")]
    assert len(months) == 12 and all(months) and len(set(months)) == 12
    assert words["decimal_separator"] in (".", ",")
    assert placeholders(words["date_format"]) == {"day", "month", "year"}


@pytest.fixture
def locale_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The package's locales replaced by a temporary folder, for languages made up in a test."""
    package = tmp_path / "package"
    (package / "locales").mkdir(parents=True)
    (package / "locales" / "en.yml").write_text((LOCALES / "en.yml").read_text("utf-8"), "utf-8")
    labels_module._read.cache_clear()
    monkeypatch.setattr(labels_module, "files", lambda _package: package)
    yield package / "locales"
    labels_module._read.cache_clear()


def test_a_missing_key_is_named_and_falls_back_to_english(locale_folder: Path) -> None:
    german = read(LOCALES, "de")
    del german["lane_stage"], german["legend_curve"]
    german["lane_team"] = ""
    german["map_title"] = "Karte"  # lost its {title}
    (locale_folder / "xx.yml").write_text(yaml.safe_dump(german, allow_unicode=True), "utf-8")
    assert locale_problems(locale_folder, "xx") == [
        "xx.yml: missing key lane_stage",
        "xx.yml: missing key legend_curve",
        "xx.yml: lane_team is empty",
        "xx.yml: map_title has placeholders [], English has ['title']",
    ]
    t = Labels("xx")
    assert t.language == "xx"
    assert t("lane_stage") == "Stage"  # English, never the raw key
    assert t("legend_curve", low="-2", high="+2") == "Emotion, -2 to +2"
    assert t("lane_action") == "Was der Melder tut"


def test_an_unknown_language_is_english_and_a_regional_one_its_language() -> None:
    assert Labels("xx").language == "en"
    assert Labels("de-AT").language == "de"
    assert Labels("pt_BR").language == "en"
    assert Labels("he-IL").direction == "rtl"


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_direction(language: str) -> None:
    assert Labels(language).direction == ("rtl" if language == "he" else "ltr")


@pytest.mark.parametrize(("language", "score", "number", "date", "may"), [
    ("en", "+1.5", "2.5", "March 31, 2027", "May 1, 2027"),
    ("de", "+1,5", "2,5", "31. März 2027", "1. Mai 2027"),
    ("nl", "+1,5", "2,5", "31 maart 2027", "1 mei 2027"),
    ("hu", "+1,5", "2,5", "2027. március 31.", "2027. május 1."),
    ("pl", "+1,5", "2,5", "31 marca 2027", "1 maja 2027"),  # months in the genitive
    ("he", "\u2066+1.5\u2069", "2.5", "31 במרץ 2027", "1 במאי 2027"),
])
def test_numbers_and_dates_as_each_language_writes_them(language: str, score: str, number: str,
                                                         date: str, may: str) -> None:
    t = Labels(language)
    assert t.score(1.5) == score
    assert t.number(2.5) == number
    assert t.date(MARCH_31) == date
    assert t.date(datetime.date(2027, 5, 1)) == may


@pytest.mark.parametrize(("language", "short", "month"), [
    ("en", "2027-03-31", "2027-03"), ("de", "31.03.2027", "03/2027"),
    ("nl", "31-03-2027", "03-2027"), ("hu", "2027. 03. 31.", "2027. 03."),
    ("pl", "31.03.2027", "03.2027"), ("he", "31.3.2027", "3.2027"),
])
def test_chart_dates_in_digits_in_each_languages_order(language: str, short: str,
                                                        month: str) -> None:
    t = Labels(language)
    assert t.short_date(MARCH_31) == short
    assert t.month(MARCH_31) == month
    marks = [MilestoneMark("q1", "Q1", MARCH_31, 1, 2, False)]
    drawn = render_roadmap("Roadmap", marks, RoadmapOptions(labels=t, direction=t.direction))
    assert short in drawn and ("2027-03-31" not in drawn or language == "en")


def test_signed_changes_keep_their_sign_on_the_left_in_hebrew() -> None:
    assert Labels("he").signed(2) == "\u2066+2\u2069"
    assert Labels("he").signed(0) == "0"
    assert Labels("en").signed(-1) == "-1"


def test_hebrew_scores_keep_their_sign_on_the_left() -> None:
    """In right-to-left text a bare -1.5 shows as 1.5-; isolated, it stays -1.5."""
    t = Labels("he")
    assert t.score(-1.5) == "\u2066-1.5\u2069"
    assert t.score(0) == "\u20660\u2069"
    assert Labels("de").score(-0.25) == "-0,25"


MKDOCS_EXTRA = """\
  - journeys:
      language: {language}
"""


@pytest.mark.parametrize(("theme_language", "option", "heading", "lane"), [
    ("de", None, "Customer Journeys", "Was der Melder tut"),
    ("he", None, "מסעות לקוח", "מה הלקוח עושה"),
    ("de", "nl", "Klantreizen", "Wat de klant doet"),  # the plugin's option wins
    ("fr", None, "Journeys", "Customer does"),  # no French yet: English
])
def test_labels_follow_the_theme_language_unless_the_option_says(
        tmp_path: Path, theme_language: str, option: str | None, heading: str,
        lane: str) -> None:
    site = make_site(tmp_path)
    text = (site / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("  name: material\n", f"  name: material\n  language: {theme_language}\n")
    if option:
        text = text.replace("  - journeys\n", MKDOCS_EXTRA.format(language=option))
    (site / "mkdocs.yml").write_text(text, encoding="utf-8")
    write(site / "content" / "personas" / "eva.md", PERSONA)
    write(site / "content" / "journeys" / "new-laptop.md", JOURNEY)
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    home = (site / "site" / "index.html").read_text(encoding="utf-8")
    assert f">{heading}</h1>" in home
    # The menu names the journeys folder in the site's language too, not 'Journeys'.
    menu = home[home.index("md-nav--primary"):]
    sections = re.findall(r'<label class="md-nav__link"[^>]*>\s*<span class="md-ellipsis">'
                          r"\s*([^<]+?)\s*<", menu)
    assert heading in sections, sections
    assert theme_language == "fr" or option or "Journeys" not in sections
    journey = (site / "site" / "journeys" / "new-laptop" / "index.html").read_text("utf-8")
    assert lane in chart_texts(journey, css="jm-lane-name")


@pytest.mark.parametrize(("name", "kind"), [
    ("E-Mail", "e-mail"), ("Wissensdatenbank", "knowledge base"), ("Vor Ort", "walk-in"),
    ("kennisbank", "knowledge base"), ("balie", "walk-in"), ("telefoon", "phone"),
    ("tudásbázis", "knowledge base"), ("személyesen", "walk-in"), ("portál", "portal"),
    ("baza wiedzy", "knowledge base"), ("czat", "chat"), ("osobiście", "walk-in"),
    ("פורטל", "portal"), ("טלפון", "phone"), ("בסניף", "walk-in"), ("מאגר ידע", "knowledge base"),
    ("ServiceNow", None), ("SMS", None),
])
def test_channels_written_in_each_language_get_their_icon(name: str, kind: str | None) -> None:
    assert channel_kind(name) == kind


@pytest.mark.parametrize(("language", "name"), [("en", "Line of visibility"),
                                                ("de", "Sichtbarkeitslinie"),
                                                ("he", "קו הנראות")])
def test_the_line_of_visibility_is_named_in_the_sites_language(language: str, name: str) -> None:
    document, _ = parse_document(JOURNEY, "j.md", ".md")
    assert document is not None
    journey, problems = to_model(document, Journey, EmotionScale())
    assert journey is not None, problems
    t = Labels(language)
    svg = render_journey_map(journey, MapOptions(labels=t, direction=t.direction))
    line = ET.fromstring(svg).find(".//{http://www.w3.org/2000/svg}line[@class='jm-visibility']")
    assert line is not None
    assert line.findtext("{http://www.w3.org/2000/svg}title") == name


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_lane_names_wrap_between_words_in_the_gutter(language: str) -> None:
    """A lane's name is broken only where it has a space: 'Kennzahle / n' reads badly."""
    words = read(LOCALES, language)
    for key in (k for k in words if k.startswith("lane_") and k != "lane_visibility"):
        lines = fit(words[key], GUTTER - 2 * PAD - AXIS_ROOM, SMALL, 3, bold=True)
        assert " ".join(lines).split() == words[key].split(), (key, lines)
