"""A journey's presentation without a browser: its slides, its stage curves and its page, then
built for real with `mkdocs build --strict` (the browser's part is test_browser_present.py)."""

from __future__ import annotations

import html.parser
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from mkdocs_journey_plugin.addresses import Addresses
from mkdocs_journey_plugin.catalog import Layout
from mkdocs_journey_plugin.labels import Labels
from mkdocs_journey_plugin.loading import parse_document, to_model
from mkdocs_journey_plugin.model import EmotionScale, Journey, Persona
from mkdocs_journey_plugin.presentation import (
    PresentationOptions,
    card_widths,
    render_presentation,
    slides,
)
from mkdocs_journey_plugin.render.stage_curves import (
    StageCurveOptions,
    draw_stage_curves,
    render_stage_curves,
    split_stage_curves,
)
from mkdocs_journey_plugin.render.svg import hits

from .conftest import JOURNEY, PERSONA, make_site, run, write
from .test_render_properties import journeys

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script>" onmouseover="alert(2)'
EVA = Persona.model_validate({"name": "Eva Kovacs", "role": "Office manager"})


def journey_of(text: str = JOURNEY, scale: EmotionScale | None = None) -> Journey:
    document, _ = parse_document(text, "journey.md", ".md")
    assert document is not None
    journey, problems = to_model(document, Journey, scale or EmotionScale())
    assert journey is not None, problems
    return journey


def hostile_journey() -> Journey:
    data = yaml.safe_load(JOURNEY.split("---")[1])
    data["title"] = data["goal"] = HOSTILE
    data["stages"][0]["name"] = HOSTILE
    for touchpoint in data["stages"][0]["touchpoints"]:
        for key in ("action", "channel", "feeling", "quote", "pain", "gap"):
            if not touchpoint.get("backstage") or key in ("action", "channel"):
                touchpoint[key] = HOSTILE
    data["opportunities"][0]["title"] = HOSTILE
    return Journey.model_validate(data)


class Elements(html.parser.HTMLParser):
    """Every start tag of a page with its attributes, and the text of its headings."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(page)
    return parser.tags


# --- the slides ---------------------------------------------------------------------------------

def test_the_slides_are_the_title_each_stage_in_order_and_the_opportunities() -> None:
    journey = journey_of()
    shown = slides(journey, Labels())
    assert [(s.kind, s.heading, s.number) for s in shown] == [
        ("title", "Requesting a new laptop", 0), ("stage", "Request", 1),
        ("opportunities", "Opportunities", 0)]
    assert slides(journey, Labels("de"))[-1].heading == "Verbesserungsmöglichkeiten"


def test_cards_are_as_wide_as_what_they_say() -> None:
    stage = journey_of().stages[0]
    widths = card_widths(stage, EmotionScale(), Labels())
    assert len(widths) == len(stage.touchpoints)
    assert all(2 <= width <= 6 for width in widths) and min(widths) == 2


def test_the_page_holds_every_slide_in_order_in_the_sites_language() -> None:
    page = render_presentation(journey_of(), EVA)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">")
    headings = re.findall(r'<h[12] id="jp-heading-(\d+)">([^<]*)</h[12]>', page)
    assert headings == [("1", "Requesting a new laptop"), ("2", "Request"),
                        ("3", "Opportunities")]
    assert re.findall(r'<section class="jp-slide[^"]*" id="(\d+)"', page) == ["1", "2", "3"]
    assert "Stage 1 of 1" in page
    assert "Eva Kovacs, Office manager" in page
    # The touchpoints with what the table shows of them; the backstage step marked.
    assert page.count('<li class="jp-touchpoint') == 3
    assert page.count(" jp-touchpoint--backstage\">") == 1 and ">Backstage</p>" in page
    assert '<span class="jp-mark jp-mark--negative" aria-hidden="true">\u25bc</span> -1' in page
    assert '<span class="jp-mark jp-mark--positive" aria-hidden="true">\u25b2</span> +1' in page
    # The opportunities by priority, numbered as on the journey page, with status and team.
    assert '<h3 id="jp-priority-must">Must have</h3>' in page
    assert '<li value="1">\n<p class="jp-opportunity">Send a status update</p>' in page
    assert "Status:</span> Idea" in page
    assert '<a class="jp-back" href="../">Back to the journey page</a>' in page
    # Self-contained: its style and script inside, nothing fetched from anywhere.
    tags = elements(page)
    assert [tag for tag, _ in tags].count("script") == 1
    assert all("src" not in attrs for _, attrs in tags)
    assert [attrs.get("href") for tag, attrs in tags if tag == "link"] == ["data:,"]
    assert "http" not in re.sub(r'xmlns(:\w+)?="[^"]*"', "", page)


def test_interview_scores_show_their_mean_count_and_range() -> None:
    text = JOURNEY.replace("emotion: -1\n", "emotion: [-1, -0.5, -1.5]\n")
    page = render_presentation(journey_of(text), EVA)
    assert "-1 (mean of 3 interviews, -1.5 to -0.5)" in page


def test_a_scale_above_zero_shows_plain_numbers() -> None:
    scale = EmotionScale(1, 5)
    text = JOURNEY.replace("emotion: -1\n", "emotion: 2\n").replace("emotion: 1\n", "emotion: 4\n")
    page = render_presentation(journey_of(text, scale), EVA, PresentationOptions(
        StageCurveOptions(scale=scale)))
    assert "aria-hidden=\"true\">\u25bc</span> 2<" in page  # below the middle of 1 to 5
    assert "aria-hidden=\"true\">\u25b2</span> 4<" in page


def test_a_journey_without_opportunities_says_so() -> None:
    text = JOURNEY.split("opportunities:")[0] + "---\n"
    page = render_presentation(journey_of(text), EVA)
    assert "<p>No opportunities recorded for this journey yet.</p>" in page
    assert "jp-priority" not in page.split("<main")[1].split("</main>")[0]


def test_hebrew_runs_right_to_left_in_hebrew_words() -> None:
    t = Labels("he")
    page = render_presentation(journey_of(), EVA, PresentationOptions(
        StageCurveOptions(labels=t, direction="rtl")))
    assert '<html lang="he" dir="rtl">' in page
    assert t("present_back") in page and t("opportunities") in page
    assert "\u2066-1\u2069" in page  # a score keeps its sign on the left
    assert 'direction="rtl"' in page  # the stage curve too


def test_author_text_is_escaped_everywhere() -> None:
    page = render_presentation(hostile_journey(),
                               Persona.model_validate({"name": HOSTILE, "role": HOSTILE}))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    tags = elements(page)
    assert [tag for tag, _ in tags].count("script") == 1  # ours
    assert not any("onmouseover" in attrs for _, attrs in tags)
    for svg in re.findall(r"<svg.*?</svg>", page, re.S):
        ET.fromstring(svg)  # well-formed, the hostile text inside it as text


def test_the_same_journey_gives_the_same_bytes() -> None:
    assert render_presentation(journey_of(), EVA) == render_presentation(journey_of(), EVA)


# --- the stage curves -------------------------------------------------------------------------

TWO_STAGES = JOURNEY.replace("      - id: delivery\n", "  - name: Delivery\n    touchpoints:\n"
                             "      - id: delivery\n")


def test_one_accessible_drawing_per_stage_with_ids_of_its_own() -> None:
    journey = journey_of(TWO_STAGES)
    svgs = split_stage_curves(render_stage_curves(journey, StageCurveOptions(id_prefix="s-x")))
    assert len(svgs) == 2
    ids: list[str] = []
    for number, svg in enumerate(svgs, start=1):
        root = ET.fromstring(svg)
        assert root.get("role") == "img" and root.get("class") == "journey-stage-curve"
        assert root.get("aria-labelledby") == f"s-x-{number}-title s-x-{number}-desc"
        title = root.find(f"{SVG}title")
        assert title is not None
        assert title.text == f"Emotion in the stage {journey.stages[number - 1].name}"
        ids += [e.get("id", "") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)) and all(i.startswith("s-x-") for i in ids)
    first = ET.fromstring(svgs[0])
    desc = first.findtext(f"{SVG}desc") or ""
    assert desc.startswith("Scores in this stage: Looks for the order form: -1.")
    # The stage's own points are strong and numbered; the rest of the journey faint.
    assert [t.text for t in first.iter(f"{SVG}text") if "jsc-score" in t.get("class", "")] == \
        ["-1"]
    assert first.find(f".//{SVG}polyline[@class='jsc-context']") is not None
    assert first.find(f".//{SVG}polygon[@class='jsc-point jsc-point--negative']") is not None
    second = ET.fromstring(svgs[1])
    assert second.find(f".//{SVG}polygon[@class='jsc-point jsc-point--positive']") is not None


def test_a_stage_of_internal_steps_only_says_so() -> None:
    data = yaml.safe_load(JOURNEY.split("---")[1])
    data["stages"].insert(1, {"name": "Inside", "touchpoints": [
        {"id": "inside", "action": "Checks stock", "channel": "ticket", "backstage": True}]})
    journey = Journey.model_validate(data)
    drawn = draw_stage_curves(journey)
    assert len(drawn) == 2
    desc = ET.fromstring(drawn[1].svg).findtext(f"{SVG}desc") or ""
    assert "none, only internal steps" in desc


def test_hostile_text_stays_text_in_the_curves() -> None:
    for svg in split_stage_curves(render_stage_curves(hostile_journey())):
        root = ET.fromstring(svg)
        assert not any(e.tag.endswith("script") for e in root.iter())
        assert not any("onmouseover" in e.attrib for e in root.iter())


def test_right_to_left_curves_start_on_the_right() -> None:
    journey = journey_of(TWO_STAGES)
    t = Labels("he")
    svg = split_stage_curves(render_stage_curves(journey, StageCurveOptions(
        labels=t, direction="rtl")))[0]
    root = ET.fromstring(svg)
    assert root.get("direction") == "rtl"
    context = root.find(f".//{SVG}polyline[@class='jsc-context']")
    assert context is not None
    points = context.get("points", "").split()
    assert float(points[0].split(",")[0]) > float(points[-1].split(",")[0])
    assert "\u2066-1\u2069" in svg


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journeys(max_touchpoints=30))
def test_scores_stay_inside_their_drawing_and_apart(journey: Journey) -> None:
    for drawn in draw_stage_curves(journey):
        ET.fromstring(drawn.svg)
        boxes = [t.box() for t in drawn.texts]
        for box in boxes:
            assert box[0] >= -0.01 and box[2] <= drawn.width + 0.01, box
            assert box[1] >= -0.01 and box[3] <= drawn.height + 0.01, box
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not hits(a, b), (a, b)


# --- where it is --------------------------------------------------------------------------------

@pytest.mark.parametrize(("directory_urls", "link", "back"), [
    (True, "present/", "../"), (False, "new-laptop/present/index.html", "../../new-laptop.html")])
def test_the_address_is_the_same_whatever_the_urls(directory_urls: bool, link: str,
                                                   back: str) -> None:
    at = Addresses(Layout(), directory_urls)
    assert at.presentation("new-laptop") == "journeys/new-laptop/present/index.html"
    assert at.presentation_href(at.journey("new-laptop"), "new-laptop") == link
    assert at.from_presentation("new-laptop", at.journey("new-laptop")) == back


# --- built for real ---------------------------------------------------------------------------

def build(site: Path) -> Path:
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    return site / "site"


def linked(page: str, name: str) -> str:
    match = re.search(rf'<a href="([^"]+)">{re.escape(name)}</a>', page)
    assert match, name
    return match.group(1)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_the_journey_page_links_to_its_presentation_and_back(content: Path,
                                                             directory_urls: bool) -> None:
    site = build(make_site(content.parent, extra="" if directory_urls
                           else "use_directory_urls: false\n"))
    journey = site / ("journeys/new-laptop/index.html" if directory_urls
                      else "journeys/new-laptop.html")
    link = linked(journey.read_text(encoding="utf-8"), "Present this journey")
    target = (journey.parent / link).resolve()
    if target.is_dir():
        target = target / "index.html"
    assert target == (site / "journeys/new-laptop/present/index.html").resolve()
    page = target.read_text(encoding="utf-8")
    back = re.search(r'<a class="jp-back" href="([^"]+)">', page)
    assert back
    returned = (target.parent / back.group(1)).resolve()
    assert (returned / "index.html" if returned.is_dir() else returned) == journey.resolve()


def test_the_presentation_is_the_same_on_material_and_the_plain_theme(tmp_path: Path) -> None:
    pages = []
    for theme in ("material", "mkdocs"):
        folder = tmp_path / theme / "content"
        write(folder / "personas" / "eva.md", PERSONA)
        write(folder / "journeys" / "new-laptop.md", JOURNEY)
        site = build(make_site(folder.parent, theme))
        pages.append((site / "journeys/new-laptop/present/index.html").read_bytes())
    assert pages[0] == pages[1]


def test_a_presentation_that_cannot_be_written_is_said_without_a_traceback(
        content: Path) -> None:
    write(content.parent / "hooks" / "block.py", '''
from pathlib import Path

from mkdocs.plugins import event_priority

@event_priority(100)  # before the journeys plugin writes its presentations
def on_post_build(config):
    (Path(config.site_dir) / "journeys" / "new-laptop" / "present" / "index.html").mkdir(
        parents=True)
''')
    site = make_site(content.parent, extra="hooks:\n  - hooks/block.py\n")
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "journeys: the presentations could not be written: [Errno 21] Is a directory" \
        in result.stderr
