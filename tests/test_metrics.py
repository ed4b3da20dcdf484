"""Metrics: metrics.yml, values in journey files and data files joined at build time, each
problem at its `path:line:column`; the figures, the insights rankings, the cache and the
spreadsheets that carry them."""

from __future__ import annotations

import datetime
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_journey_plugin.catalog import load_catalog
from mkdocs_journey_plugin.data_files import parse_number, read_data_file
from mkdocs_journey_plugin.figures import missed_by_channel, missed_by_journey
from mkdocs_journey_plugin.metrics import NO_MEASURES

from .conftest import JOURNEY, PERSONA, ROOT, make_site, run, write
from .test_cache import build

METRICS = """\
metrics:
  - id: csat
    name: Customer satisfaction
    unit: "%"
    min: 0
    max: 100
    target: 80
  - id: wait
    name: Time to answer
    unit: min
    min: 0
    better: lower
    target: 5
  - id: volume
    name: Contacts
"""
HEADER = "date,journey,stage,touchpoint,metric,value\n"


@pytest.fixture
def measured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A content folder with one journey, metrics.yml and an empty data folder; problems are
    named from the folder above it, as `journeys validate` run there names them."""
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "content"
    write(root / "personas" / "eva.md", PERSONA)
    write(root / "journeys" / "new-laptop.md", JOURNEY)
    write(root / "metrics.yml", METRICS)
    (root / "data").mkdir()
    return root


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in load_catalog(root)[1]]


def data(root: Path, rows: str, name: str = "desk.csv", header: str = HEADER) -> Path:
    path = root / "data" / name
    path.write_text(header + rows, encoding="utf-8")
    return path


# --- metrics.yml -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("metrics:\n  - id: csat\n", "content/metrics.yml:2:5: missing required key 'name'"),
    ("metrics:\n  - id: CSAT\n    name: x\n",
     "content/metrics.yml:2:9: 'id' must be an id of lower-case letters, digits and hyphens "
     "(like 'csat'), not 'CSAT'"),
    ("metrics:\n  - id: csat\n    name: x\n    better: more\n",
     "content/metrics.yml:4:13: 'better' must be 'higher' or 'lower', not 'more'"),
    ("metrics:\n  - id: csat\n    name: x\n    min: 10\n    max: 5\n",
     "content/metrics.yml:5:10: 'max' must be more than 'min' (10)"),
    ("metrics:\n  - id: csat\n    name: x\n    max: 5\n    target: 9\n",
     "content/metrics.yml:5:13: 'target' must lie between 'min' and 'max', not 9"),
    ("metrics:\n  - id: csat\n    name: x\n    target: high\n",
     "content/metrics.yml:4:13: 'target' must be a number, not 'high'"),
    ("metrics:\n  - id: csat\n    name: x\n    traget: 5\n",
     "content/metrics.yml:4:5: unknown key 'traget' (did you mean 'target'?)"),
    ("metrics: []\n", "content/metrics.yml:1:10: 'metrics' needs at least one entry"),
])
def test_a_wrong_metrics_file_says_where(measured: Path, text: str, expected: str) -> None:
    write(measured / "metrics.yml", text)
    assert expected in problems_of(measured)


def test_a_metric_defined_twice_is_a_problem_at_the_second(measured: Path) -> None:
    write(measured / "metrics.yml", METRICS + "  - id: csat\n    name: Again\n")
    assert problems_of(measured) == [
        "content/metrics.yml:16:9: duplicate metric id 'csat' (first at line 2)"]


# --- values in journey files -----------------------------------------------------------------


def with_values(journey: str = "csat: 72", stage: str = "volume: 30",
                touchpoint: str = "csat: 64\n          wait: 3.5") -> str:
    return (JOURNEY.replace("teams: [", f"metrics:\n  {journey}\nteams: [", 1)
            .replace("  - name: Request\n", f"  - name: Request\n    metrics:\n      {stage}\n", 1)
            .replace("        emotion: -1\n", "        emotion: -1\n        metrics:\n"
                     f"          {touchpoint}\n", 1))


def test_values_of_the_journey_a_stage_and_a_touchpoint_are_measures(measured: Path) -> None:
    write(measured / "journeys" / "new-laptop.md", with_values())
    catalog, problems = load_catalog(measured)
    assert problems == []
    entry = catalog.journeys["new-laptop"]
    placed = [(p.where, p.place, p.measure.metric, p.measure.value, p.measure.met)
              for p in entry.measures.placed(entry.journey)]
    assert placed == [
        ("journey", "Requesting a new laptop", "csat", 72.0, False),
        ("stage", "Request", "volume", 30.0, None),  # no target: neither met nor missed
        ("touchpoint", "Looks for the order form", "csat", 64.0, False),
        ("touchpoint", "Looks for the order form", "wait", 3.5, True)]  # lower is better
    assert (entry.measures.met, entry.measures.missed) == (1, 2)


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"touchpoint": "cast: 64"},
     "content/journeys/new-laptop.md:18:11: unknown metric 'cast' (did you mean 'csat'?)"),
    ({"touchpoint": "csat: 101"},
     "content/journeys/new-laptop.md:18:17: 'csat' must lie between 0 and 100, not 101"),
    ({"stage": "wait: -1"},
     "content/journeys/new-laptop.md:10:13: 'wait' must lie at or above 0, not -1"),
    ({"journey": "csat: lots"},
     "content/journeys/new-laptop.md:5:9: 'csat' must be a number, not 'lots'"),
    ({"journey": "csat: .nan"},
     "content/journeys/new-laptop.md:5:9: 'csat' must be a finite number, not the number .nan"),
    ({"journey": "csat: true"},
     "content/journeys/new-laptop.md:5:9: 'csat' must be a number, not true"),
])
def test_a_wrong_value_in_a_journey_file_says_where(measured: Path, kwargs: dict[str, str],
                                                    expected: str) -> None:
    write(measured / "journeys" / "new-laptop.md", with_values(**kwargs))
    assert expected in problems_of(measured)


def test_values_without_a_metrics_file_say_so(measured: Path) -> None:
    (measured / "metrics.yml").unlink()
    write(measured / "journeys" / "new-laptop.md", with_values())
    assert "content/journeys/new-laptop.md:5:3: unknown metric 'csat': there is no " \
        "metrics.yml to define it" in problems_of(measured)


def test_a_broken_metrics_file_is_reported_once(measured: Path) -> None:
    write(measured / "metrics.yml", "metrics:\n  - id: csat\n")
    write(measured / "journeys" / "new-laptop.md", with_values())
    data(measured, "2026-11-01,new-laptop,,,csat,80\n")
    assert problems_of(measured) == ["content/metrics.yml:2:5: missing required key 'name'"]


# --- data files ------------------------------------------------------------------------------


def test_dated_values_join_their_places_latest_first_shown(measured: Path) -> None:
    write(measured / "journeys" / "new-laptop.md", with_values())
    data(measured, "2026-11-01,new-laptop,,search-kb,csat,83\n"
                   "2026-09-01,new-laptop,,search-kb,csat,70\n"
                   "2026-10-01,new-laptop,request,,volume,41\n"  # a stage by name, any case
                   "2026-10-01,new-laptop,,,csat,81\n"
                   "2026-10-01,new-laptop,,delivery,wait,9\n")
    catalog, problems = load_catalog(measured)
    assert problems == []
    entry = catalog.journeys["new-laptop"]
    found = {(p.where, p.place_id or p.place, p.measure.metric):
             (p.measure.value, p.measure.as_of, p.measure.series)
             for p in entry.measures.placed(entry.journey)}
    nov, oct_, sep = (datetime.date(2026, m, 1) for m in (11, 10, 9))
    assert found == {
        ("journey", "Requesting a new laptop", "csat"): (81.0, oct_, ((oct_, 81.0),)),
        ("stage", "Request", "volume"): (41.0, oct_, ((oct_, 41.0),)),
        ("touchpoint", "search-kb", "csat"): (83.0, nov, ((sep, 70.0), (nov, 83.0))),
        ("touchpoint", "search-kb", "wait"): (3.5, None, ()),  # the file's value alone
        ("touchpoint", "delivery", "wait"): (9.0, oct_, ((oct_, 9.0),)),
    }


@pytest.mark.parametrize(("rows", "expected"), [
    ("2026-13-01,new-laptop,,,csat,80\n",
     "desk.csv:2:1: 'date' must be a date written YYYY-MM-DD, not '2026-13-01'"),
    ("01.11.2026,new-laptop,,,csat,80\n",
     "desk.csv:2:1: 'date' must be a date written YYYY-MM-DD, not '01.11.2026'"),
    ("2026-11-01,new-lptop,,,csat,80\n",
     "desk.csv:2:12: unknown journey 'new-lptop' (did you mean 'new-laptop'?)"),
    ("2026-11-01,new-laptop,,search,csat,80\n",
     "desk.csv:2:24: unknown touchpoint 'search' in journey 'new-laptop' (did you mean "
     "'search-kb'?)"),
    ("2026-11-01,new-laptop,Requests,,csat,80\n",
     "desk.csv:2:23: unknown stage 'Requests' in journey 'new-laptop' (did you mean "
     "'Request'?)"),
    ("2026-11-01,new-laptop,Request,search-kb,csat,80\n",
     "desk.csv:2:31: give a stage or a touchpoint, not both: a touchpoint is in one stage "
     "already"),
    ("2026-11-01,new-laptop,,,cast,80\n",
     "desk.csv:2:25: unknown metric 'cast' (did you mean 'csat'?)"),
    ("2026-11-01,new-laptop,,,csat,eighty\n",
     "desk.csv:2:30: 'value' must be a number, not 'eighty'"),
    ("2026-11-01,new-laptop,,,csat,180\n",
     "desk.csv:2:30: 'csat' must lie between 0 and 100, not 180"),
    ("2026-11-01,new-laptop,,,,80\n", "desk.csv:2:25: 'metric' is empty"),
    ("2026-11-01,new-laptop,,,csat\n", "desk.csv:2:1: the row has 5 cells, the header 6"),
    ("2026-11-01,new-laptop,,,csat,80\n2026-11-01,new-laptop,,,csat,81\n",
     "desk.csv:3:30: an earlier row gives 'csat' here for the same date: keep one of them"),
    # A quoted cell may hold a line break: positions count lines, not records.
    ('2026-11-01,"new-\nlaptop",,,csat,80\n2026-11-01,x,,,csat,80\n',
     "desk.csv:2:12: unknown journey 'new-\nlaptop' (did you mean 'new-laptop'?)"),
    ('2026-11-01,"new-\nlaptop",,,csat,80\n2026-11-01,x,,,csat,80\n',
     "desk.csv:4:12: unknown journey 'x'"),
    ('2026-11-01,new"laptop,,,csat,eighty\n',  # a quote inside a cell is text
     "desk.csv:2:30: 'value' must be a number, not 'eighty'"),
    ('2026-11-01,"new-laptop,,,csat,80\n',
     "desk.csv:2:1: not a CSV row: unexpected end of data"),
    ("2026-11-01,new-laptop,,,csat,=1+1\n\n,,,,,\n",  # a formula is no number; blank rows
     "desk.csv:2:30: 'value' must be a number, not '=1+1'"),
])
def test_a_wrong_data_row_says_its_cell(measured: Path, rows: str, expected: str) -> None:
    data(measured, rows)
    assert f"content/data/{expected}" in problems_of(measured)


@pytest.mark.parametrize(("header", "expected"), [
    ("date,journey,touchpiont,metric,value\n",
     "desk.csv:1:14: unknown column 'touchpiont' (did you mean 'touchpoint'?); the columns "
     "are date, journey, stage, touchpoint, metric, value"),
    ("date,journey,metric\n", "desk.csv:1:1: missing column value"),
    ("date|journey|metric|value\n", "desk.csv:1:1: missing columns date, journey, metric, value "
     "(cells are separated by commas, semicolons or tabs)"),
    ("date,journey,metric,value,Metric\n", "desk.csv:1:27: column 'metric' is given twice"),
])
def test_a_wrong_header_says_its_column(measured: Path, header: str, expected: str) -> None:
    data(measured, "2026-11-01,new-laptop,csat,80\n", header=header)
    assert problems_of(measured) == [f"content/data/{expected}"]


@pytest.mark.parametrize(("raw", "expected"), [
    (b"", "desk.csv:1:1: file is empty"),
    (b"date,journey,metric,value\n2026-11-01,new-laptop,csat,8\xe90\n",
     "desk.csv:2:29: file is not UTF-8 text (byte 0xe9); save it as UTF-8"),
    (b"date,journey,metric,value\n\x00", "desk.csv:2:1: binary file: it contains a NUL byte"),
    (b"date,journey,metric,value\r2026-11-01,nobody,csat,80\r",  # old Mac line ends
     "desk.csv:2:12: unknown journey 'nobody'"),
])
def test_a_data_file_that_is_no_text_says_so(measured: Path, raw: bytes, expected: str) -> None:
    (measured / "data" / "desk.csv").write_bytes(raw)
    assert problems_of(measured) == [f"content/data/{expected}"]


def test_spreadsheet_exports_are_read_as_written(measured: Path) -> None:
    """Excel's CSV: a byte order mark, CRLF lines, headers in capitals; a German one with
    semicolons and decimal commas; tabs."""
    (measured / "data" / "excel.csv").write_bytes(
        "\ufeffDate,Journey,Stage,Touchpoint,Metric,Value\r\n"
        "2026-10-01,new-laptop,,search-kb,csat,77\r\n".encode())
    data(measured, "2026-11-01;new-laptop;;search-kb;csat;78,5\n", "german.csv",
         "date;journey;stage;touchpoint;metric;value\n")
    data(measured, "2026-12-01\tnew-laptop\t\tsearch-kb\tcsat\t79\n", "tabs.tsv.csv",
         "date\tjourney\tstage\ttouchpoint\tmetric\tvalue\n")
    catalog, problems = load_catalog(measured)
    assert problems == []
    entry = catalog.journeys["new-laptop"]
    (placed,) = entry.measures.placed(entry.journey)
    assert [v for _, v in placed.measure.series] == [77.0, 78.5, 79.0]


def test_data_files_without_a_metrics_file_say_so(measured: Path) -> None:
    (measured / "metrics.yml").unlink()
    data(measured, "2026-11-01,new-laptop,,,csat,80\n")
    assert problems_of(measured) == [
        "content/data/desk.csv:2:25: data files give values of metrics: define them in "
        "metrics.yml"]


def test_a_renamed_journey_is_one_problem_however_many_rows_name_it(measured: Path) -> None:
    data(measured, "".join(f"2026-{m:02d}-01,old-name,,,csat,80\n" for m in range(1, 13)))
    assert problems_of(measured) == [
        "content/data/desk.csv:2:12: unknown journey 'old-name' (and in 11 more rows)"]


def test_rows_of_a_journey_with_problems_are_left_to_its_file(measured: Path) -> None:
    write(measured / "journeys" / "broken.md", "---\ntitle: x\n---\n")
    data(measured, "2026-11-01,broken,,,csat,80\n")
    assert all("desk.csv" not in p for p in problems_of(measured))


@pytest.mark.parametrize(("text", "number"), [
    ("4.5", 4.5), ("4,5", 4.5), (" -2 ", -2.0), ("1\u00a0234,5", 1234.5), (".5", 0.5),
    ("4.5.1", None), ("", None), ("nan", None), ("inf", None), ("1e400", None), ("5%", None),
    ("1E-05", 1e-05), ("1,000", None), ("12.500", None), ("0,125", 0.125), ("1.5", 1.5)])
def test_numbers_are_read_as_spreadsheets_write_them(text: str, number: float | None) -> None:
    assert parse_number(text) == number


_CELL = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.dates(), st.sampled_from(["new-laptop", "old", ""]),
                          st.sampled_from(["", "Request", "x"]),
                          st.sampled_from(["", "search-kb", "delivery", "nope"]),
                          st.sampled_from(["csat", "wait", "volume", "x"]),
                          st.one_of(st.floats(allow_nan=True), _CELL)), max_size=12))
def test_any_data_file_gives_rows_or_problems_at_real_cells(rows: list[tuple[object, ...]]
                                                             ) -> None:
    """Whatever a data file holds, reading it never fails: every row is read or is a problem
    whose line and column lie inside the file."""
    import csv
    import io
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["date", "journey", "stage", "touchpoint", "metric", "value"])
    for row in rows:
        writer.writerow([str(cell) for cell in row])
    text = buffer.getvalue()
    found, problems = read_data_file(text, "d.csv")
    lines = [line.rstrip("\r\n") for line in io.StringIO(text).readlines()]  # as csv counts
    for problem in problems:
        assert 1 <= problem.line <= len(lines)
        assert 1 <= problem.column <= len(lines[problem.line - 1]) + 1
    assert len(found) + len({p.line for p in problems}) >= sum(1 for r in rows)
    for row in found:
        line, column = row.file.position(row.first, row.columns["value"])
        written = lines[line - 1][column - 1:].lstrip('"')
        assert written.startswith(str(row.value)[:1]) or written[:1] in "+.,"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.dates(min_value=datetime.date(2020, 1, 1),
                                   max_value=datetime.date(2030, 1, 1)),
                          st.floats(min_value=0, max_value=100, allow_nan=False)),
                min_size=1, max_size=20, unique_by=lambda r: r[0]))
def test_the_shown_value_is_the_latest_dated_one(tmp_path_factory: pytest.TempPathFactory,
                                                rows: list[tuple[datetime.date, float]]) -> None:
    root = tmp_path_factory.mktemp("join") / "content"
    write(root / "personas" / "eva.md", PERSONA)
    write(root / "journeys" / "new-laptop.md", JOURNEY)
    write(root / "metrics.yml", METRICS)
    data_dir = root / "data"
    data_dir.mkdir()
    (data_dir / "d.csv").write_text(HEADER + "".join(
        f"{d.isoformat()},new-laptop,,search-kb,csat,{v!r}\n" for d, v in rows), "utf-8")
    catalog, problems = load_catalog(root)
    assert problems == []
    entry = catalog.journeys["new-laptop"]
    (placed,) = entry.measures.placed(entry.journey)
    latest = max(rows)
    assert (placed.measure.as_of, placed.measure.value) == latest
    assert [d for d, _ in placed.measure.series] == sorted(d for d, _ in rows)
    assert placed.measure.met == (latest[1] >= 80)


# --- figures, insights, cache ----------------------------------------------------------------


def test_the_example_ranks_journeys_and_channels_by_missed_targets() -> None:
    catalog, problems = load_catalog(ROOT / "content")
    assert problems == []
    journeys = {i: e.journey for i, e in catalog.journeys.items()}
    measures = {i: e.measures for i, e in catalog.journeys.items()}
    by_journey = [(c.name, c.missed, c.met) for c in missed_by_journey(journeys, measures)]
    assert by_journey == [("report-outage", 4, 0), ("password-reset", 3, 4)]
    by_channel = [(c.name, c.missed, c.met) for c in missed_by_channel(journeys, measures)]
    assert by_channel == [("phone", 3, 2), ("mobile app", 1, 0), ("self-service", 1, 0)]
    assert catalog.journeys["new-laptop"].measures is NO_MEASURES


def test_figures_json_holds_every_measure() -> None:
    result = run(["mkdocs_journey_plugin.cli", "figures", "content/journeys/password-reset.md",
                  "--json"], ROOT)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert (figures["targets_met"], figures["targets_missed"]) == (4, 3)
    call = [m for m in figures["measures"] if m["touchpoint"] == "call-desk"]
    assert [(m["metric"], m["value"], m["target"], m["met"], m["as_of"], m["dated_values"])
            for m in call] == [("csat", 86, 80, True, "2026-11-01", 5),
                               ("answer-time", 3, 5, True, "2026-11-01", 5)]
    everything = json.loads(run(["mkdocs_journey_plugin.cli", "figures", "--all"],
                                ROOT).stdout)
    assert everything["missed_targets_by_journey"][0] == {"name": "report-outage", "met": 0,
                                                          "missed": 4}
    assert everything["per_journey"]["new-laptop"]["targets_met"] is None  # not measured


def test_the_schema_of_metrics_rejects_what_the_loader_rejects() -> None:
    import jsonschema
    import yaml
    result = run(["mkdocs_journey_plugin.cli", "schema", "--kind", "metrics"], ROOT)
    validator = jsonschema.Draft202012Validator(json.loads(result.stdout))
    good = yaml.safe_load((ROOT / "content" / "metrics.yml").read_text(encoding="utf-8"))
    assert validator.is_valid(good)
    assert not validator.is_valid({"metrics": [{"id": "x", "name": "X", "better": "more"}]})
    assert not validator.is_valid({"metrics": []})
    journey = json.loads(run(["mkdocs_journey_plugin.cli", "schema", "--kind", "journey"],
                             ROOT).stdout)
    assert "metrics" in journey["$defs"]["Touchpoint"]["properties"]
    assert "metrics" in journey["$defs"]["Stage"]["properties"]


def test_a_changed_data_row_draws_that_journey_again(measured: Path) -> None:
    site = make_site(measured.parent)
    write(measured / "journeys" / "other.md", JOURNEY.replace("new laptop", "new phone"))
    data(measured, "2026-10-01,new-laptop,,search-kb,csat,70\n"
                   "2026-10-01,other,,search-kb,csat,70\n")
    build(site)
    assert build(site)["total"] == 0  # nothing changed: nothing drawn
    data(measured, "2026-10-01,new-laptop,,search-kb,csat,90\n"
                   "2026-10-01,other,,search-kb,csat,70\n")
    third = build(site)
    assert third.get("map_region") == 1  # the journey whose value changed, alone
    page = (site / "site" / "journeys" / "new-laptop" / "index.html").read_text("utf-8")
    assert "90\u00a0%" in page and "\u2713" in page


def test_a_site_with_measures_builds_their_page_rows_and_insights(measured: Path) -> None:
    site = make_site(measured.parent)
    write(measured / "journeys" / "new-laptop.md", with_values())
    data(measured, "2026-10-01,new-laptop,,search-kb,csat,70\n"
                   "2026-11-01,new-laptop,,search-kb,csat,85\n")
    build(site)
    page = (site / "site" / "journeys" / "new-laptop" / "index.html").read_text("utf-8")
    assert 'class="journey-metric journey-metric--met"' in page
    assert "85\u00a0%" in page and "\u2265\u00a080\u00a0%" in page
    assert 'class="jm-metric-value jm-metric-value--met"' in page  # the map's lane
    insights = (site / "site" / "insights" / "index.html").read_text("utf-8")
    assert 'id="missed-targets"' in insights


def test_spreadsheets_carry_the_values_and_say_where_one_is_wrong(measured: Path,
                                                                  tmp_path: Path) -> None:
    write(measured / "journeys" / "new-laptop.md", with_values())
    site = make_site(measured.parent)
    out = tmp_path / "export"
    result = run(["mkdocs_journey_plugin.cli", "export", "--format", "csv", "-o", str(out)],
                 site)
    assert result.returncode == 0, result.stderr
    touchpoints = (out / "touchpoints.csv").read_text(encoding="utf-8")
    assert '"csat: 64\nwait: 3.5"' in touchpoints and "volume: 30" in touchpoints
    assert "csat: 72" in (out / "journeys.csv").read_text(encoding="utf-8")
    (out / "touchpoints.csv").write_text(touchpoints.replace("wait: 3.5", "wait 3.5"),
                                         encoding="utf-8")
    other = tmp_path / "other"
    shutil.copytree(measured.parent, other)
    shutil.rmtree(other / "content" / "journeys")
    result = run(["mkdocs_journey_plugin.cli", "import", str(out)], other)
    assert result.returncode == 1
    assert re.search(r"touchpoints\.csv:2:\d+: 'metrics' must be a metric's id and its value "
                     r"a line, like 'csat: 82', not 'wait 3.5'", result.stderr), result.stderr
    (out / "touchpoints.csv").write_text(touchpoints.replace("wait: 3.5", "wiat: 3.5"),
                                         encoding="utf-8")
    result = run(["mkdocs_journey_plugin.cli", "import", str(out)], other)
    assert result.returncode == 1
    assert "unknown metric 'wiat' (did you mean 'wait'?)" in result.stderr


# --- what a review found -----------------------------------------------------------------------


def test_a_number_of_hundreds_of_digits_is_a_problem_not_a_crash(measured: Path) -> None:
    write(measured / "metrics.yml", METRICS.replace("max: 100", "max: " + "9" * 400))
    assert problems_of(measured) == ["content/metrics.yml:6:10: 'max' is too large a number"]


def test_a_long_unit_goes_under_its_number_never_cut() -> None:
    from mkdocs_journey_plugin.labels import Labels
    from mkdocs_journey_plugin.metrics import Measure
    from mkdocs_journey_plugin.render.metrics_lane import _block, shown_value

    measure = Measure("calls", "Calls", "Kundenkontakte", "lower", 20000, 12345, None)
    block, _ = _block(measure, 70, 0, 116, 12, 11, Labels("de"), "ltr")
    value = next(t for t in block.texts if "jm-metric-value" in t.css)
    assert " ".join(value.lines) == "\u2713 12345 Kundenkontakte"
    # In right-to-left text the number is isolated, its unit not: a Hebrew unit reads after it.
    minutes = "\u05d3\u05e7\u05d5\u05ea"
    assert shown_value(1234567.004, None, Labels("de"), "ltr") == "1234567"
    assert shown_value(-0.001, "%", Labels("en"), "ltr") == "0\u00a0%"
    assert shown_value(4.5, minutes, Labels("he"), "rtl") == f"\u20664.5\u2069\u00a0{minutes}"


def test_a_journey_folder_named_like_the_data_folder_is_journeys(measured: Path) -> None:
    write(measured / "journeys" / "data" / "x.md", JOURNEY)
    result = run(["mkdocs_journey_plugin.cli", "validate", "content/journeys/data/x.md"],
                 measured.parent)
    assert (result.returncode, result.stderr) == (0, "")


def test_an_appended_export_with_the_same_latest_values_changes_no_journey(
        measured: Path) -> None:
    from mkdocs_journey_plugin.diff import compare

    data(measured, "2026-10-01,new-laptop,,search-kb,csat,70\n", "b.CSV")
    before, _ = load_catalog(measured)
    data(measured, "2026-09-01,new-laptop,,search-kb,csat,60\n"
                   "2026-10-01,new-laptop,,search-kb,csat,70\n", "b.CSV")
    after, problems = load_catalog(measured)
    assert problems == []  # .CSV in capitals is a data file too
    assert len(after.journeys["new-laptop"].measures.touchpoints[0][0].series) == 2
    assert compare(before, after).journeys == []  # the value shown is the same
