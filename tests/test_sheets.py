"""`journeys export` and `journeys import` with spreadsheets: round trips (the example content
and generated journeys), what a broken spreadsheet says, and what import refuses to write."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from mkdocs_journey_plugin import cli
from mkdocs_journey_plugin.catalog import load_catalog
from mkdocs_journey_plugin.importing import journey_file
from mkdocs_journey_plugin.model import Journey, Opportunity, Touchpoint
from mkdocs_journey_plugin.sheets import SHEETS

from .conftest import JOURNEY, PERSONA, ROOT, run, write


def journeys(cwd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
             *args: str) -> tuple[int, str, str]:
    """The command run in this process (much faster than a new Python each time)."""
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def empty_site(folder: Path, content: Path = ROOT / "content") -> Path:
    """A site whose content has the personas and roadmap of `content`, and no journeys."""
    (folder / "content").mkdir(parents=True)
    shutil.copytree(content / "personas", folder / "content" / "personas")
    if (content / "roadmap.yml").exists():
        shutil.copy(content / "roadmap.yml", folder / "content" / "roadmap.yml")
    write(folder / "mkdocs.yml", "site_name: x\ndocs_dir: content\n")
    return folder


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_columns_are_every_field_of_the_format() -> None:
    names = {sheet: [c.name for c in columns] for sheet, columns in SHEETS.items()}
    journey_fields = [f for f in Journey.model_fields if f not in ("stages", "opportunities")]
    assert names["journeys"] == ["id", *journey_fields]  # notes: the body
    assert names["touchpoints"] == ["journey", "stage", *Touchpoint.model_fields,
                                    "stage_metrics"]  # given on a row of the stage
    assert names["opportunities"] == ["journey", *Opportunity.model_fields]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_round_trip_of_the_example_content(kind: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / ("export.xlsx" if kind == "xlsx" else "export")
    code, out, _ = journeys(ROOT, monkeypatch, capsys, "export", "--format", kind, "-o",
                            str(target))
    assert code == 0
    assert len(out.splitlines()) == (1 if kind == "xlsx" else 3)
    site = empty_site(tmp_path / "site")
    # The measures: the metrics the values are of, and the data files joined with them.
    shutil.copy(ROOT / "content" / "metrics.yml", site / "content" / "metrics.yml")
    shutil.copytree(ROOT / "content" / "data", site / "content" / "data")
    code, out, err = journeys(site, monkeypatch, capsys, "import", str(target))
    assert (code, err) == (0, "")
    originals = sorted((ROOT / "content" / "journeys").glob("*.md"))
    assert out.splitlines() == [f"journeys: wrote content/journeys/{p.name}" for p in originals]
    # The command line's own figures, compared as a user compares them.
    before = run(["mkdocs_journey_plugin.cli", "figures", "--all"], ROOT)
    after = run(["mkdocs_journey_plugin.cli", "figures", "--all"], site)
    assert after.returncode == 0 and after.stdout == before.stdout
    assert json.loads(after.stdout)["journeys"] == len(originals)
    assert run(["mkdocs_journey_plugin.cli", "validate"], site).returncode == 0
    # Every field, and the bodies, not only the figures.
    old, _ = load_catalog(ROOT / "content")
    new, problems = load_catalog(site / "content")
    assert problems == []
    assert {i: (e.journey.model_dump(), e.body) for i, e in new.journeys.items()} == \
        {i: (e.journey.model_dump(), e.body) for i, e in old.journeys.items()}
    assert {i: e.measures for i, e in new.journeys.items()} == \
        {i: e.measures for i, e in old.journeys.items()}
    # Values the journey files give, of the journey, a stage and touchpoints, came through.
    reset = new.journeys["password-reset"].journey
    assert (reset.metrics, reset.stages[-1].metrics, reset.touchpoint("verify-identity")
            .metrics) == ({"ces": 4.6}, {"ces": 2.8}, {"fcr": 64})


def test_the_workbook_is_laid_out_for_people(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "journeys.xlsx"
    assert journeys(ROOT, monkeypatch, capsys, "export", "-o", str(target))[0] == 0
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == list(SHEETS)
    for name, columns in SHEETS.items():
        sheet = workbook[name]
        assert [c.value for c in sheet[1]] == [c.name for c in columns]
        assert all(c.font.bold for c in sheet[1])
        assert sheet.freeze_panes == "A2"
        widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
        assert all(8 <= w <= 60 for w in widths), widths
    touchpoints = workbook["touchpoints"]
    assert touchpoints.max_row == 1 + 71  # every touchpoint of the example content
    action = next(c for c in touchpoints[1] if c.value == "action").column_letter
    assert touchpoints.column_dimensions[action].width == 60  # long text: the widest
    catalog, _ = load_catalog(ROOT / "content")
    entry = next(iter(catalog.journeys.values()))
    first = entry.journey.touchpoints[0]
    assert [c.value for c in touchpoints[2]][:4] == [entry.id, entry.journey.stages[0].name,
                                                     first.id, first.action]
    # Two exports of the same content are the same bytes: no timestamps inside.
    again = tmp_path / "again.xlsx"
    assert journeys(ROOT, monkeypatch, capsys, "export", "-o", str(again))[0] == 0
    assert again.read_bytes() == target.read_bytes()


def test_csv_export_is_utf8_with_a_byte_order_mark(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert journeys(ROOT, monkeypatch, capsys, "export", "-o", str(tmp_path / "out"))[0] == 0
    data = (tmp_path / "out" / "touchpoints.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfjourney,stage,id,action,channel,team,backstage,")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == 72
    search = next(r for r in rows if r[:3] == ["new-laptop", "Request", "search-kb"])
    assert search[7] == "'-1; -0.5; -1.5"  # scores; the quote keeps Excel from a formula


def small_site(tmp_path: Path, journey: str = JOURNEY) -> Path:
    site = tmp_path / "site"
    write(site / "mkdocs.yml", "site_name: x\ndocs_dir: content\n")
    write(site / "content" / "personas" / "eva.md", PERSONA)
    write(site / "content" / "journeys" / "new-laptop.md", journey)
    return site


INJECTED = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3",
            "@SUM(A1:A2)", "'=already quoted", "\tTabbed"]


def injected_journey() -> str:
    said = [json.dumps(text) for text in INJECTED]
    return (JOURNEY.replace("action: Looks for the order form", f"action: {said[0]}")
            .replace("priority: must", f"priority: must\n    description: {said[1]}")
            .replace("channel: knowledge base", f"channel: {said[2]}")
            .replace("  - name: Request", f"  - name: {said[3]}")
            .replace("emotion: -1\n", f"emotion: -1\n        quote: {said[4]}\n"
                     f"        pain: {said[5]}\n"))


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_text_that_looks_like_a_formula_stays_text(kind: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    site = small_site(tmp_path, injected_journey())
    target = tmp_path / ("out.xlsx" if kind == "xlsx" else "out")
    assert journeys(site, monkeypatch, capsys, "export", "-o", str(target))[0] == 0
    if kind == "xlsx":
        book = openpyxl.load_workbook(target)
        cells = [c for sheet in book for row in sheet.iter_rows() for c in row
                 if isinstance(c.value, str)]
        # action, channel, quote, pain, the stage on each of its 3 rows, the description
        assert len([c for c in cells if c.value in INJECTED]) == 8
        assert {c.data_type for c in cells} == {"s"}  # never "f", a formula
    else:
        rows = [row for name in SHEETS for row in csv.reader(io.StringIO(
            (target / f"{name}.csv").read_text(encoding="utf-8-sig"), newline=""))]
        starts = {cell[:1] for row in rows for cell in row if not re.fullmatch(r"-?\d+", cell)}
        assert not starts & {"=", "+", "-", "@", "\t", "\r"}
        cells = {cell for row in rows for cell in row}
        assert {"'" + INJECTED[0], "''=already quoted", "'\tTabbed"} <= cells
    back = empty_site(tmp_path / "back", site / "content")
    assert journeys(back, monkeypatch, capsys, "import", str(target))[0] == 0
    old, _ = load_catalog(site / "content")
    new, problems = load_catalog(back / "content")
    assert problems == []
    assert new.journeys["new-laptop"].journey == old.journeys["new-laptop"].journey


def written_file(site: Path) -> str:
    return (site / "content" / "journeys" / "new-laptop.md").read_text(encoding="utf-8")


def test_the_written_file_reads_like_the_guide(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    site = small_site(tmp_path)
    assert journeys(site, monkeypatch, capsys, "export", "-o", str(tmp_path / "out"))[0] == 0
    back = empty_site(tmp_path / "back", site / "content")
    assert journeys(back, monkeypatch, capsys, "import", str(tmp_path / "out"))[0] == 0
    assert written_file(back) == """\
---
title: Requesting a new laptop
persona: eva
state: current
teams:
  - Service desk
  - Hardware
stages:
  - name: Request
    touchpoints:
      - id: search-kb
        action: Looks for the order form
        channel: knowledge base
        team: Service desk
        emotion: -1
      - id: handoff
        action: Service desk hands the order to Hardware
        channel: ticket
        team: Hardware
        backstage: true
      - id: delivery
        action: Gets the laptop
        channel: walk-in
        team: Hardware
        emotion: 1
opportunities:
  - id: status-updates
    title: Send a status update
    touchpoints: [handoff]
    priority: must
    status: idea
---
## Notes

Interviews with five office managers.
"""


# --- broken spreadsheets ----------------------------------------------------------------------

HEADERS = {name: ",".join(c.name for c in columns) for name, columns in SHEETS.items()}
GOOD = {
    "journeys": HEADERS["journeys"] + "\nlaptop,New laptop,eva,,,,,,\"Desk\nHardware\",,,,\n",
    "touchpoints": HEADERS["touchpoints"] + "\n"
    "laptop,Request,ask,Asks for a laptop,portal,Desk,,-1,,,,,\n"
    "laptop,,ship,Ships it,ticket,Hardware,true,,,,,,\n"
    "laptop,Delivery,get,Gets it,walk-in,Hardware,,1; 2,,,,,\n",
    "opportunities": HEADERS["opportunities"] + "\nlaptop,tell,Tell her,\"ask, get\",must,,,,\n",
}


def csv_folder(folder: Path, **changes: str) -> Path:
    for name, text in {**GOOD, **changes}.items():
        write(folder / f"{name}.csv", text)
    return folder


def workbook(path: Path, **changes: str) -> Path:
    """The same sheets as a workbook (cells from the CSV text; numbers as numbers)."""
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, text in {**GOOD, **changes}.items():
        sheet = book.create_sheet(name)
        for row in csv.reader(io.StringIO(text, newline="")):
            sheet.append([(float(v) if "." in v else int(v)) if v.lstrip("-").replace(
                ".", "", 1).isdigit() else v or None for v in row])
    book.save(path)
    return path


def import_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                    capsys: pytest.CaptureFixture[str], source: Path,
                    *options: str) -> list[str]:
    site = tmp_path / "site"
    if not site.exists():
        empty_site(site, small_site(tmp_path / "small").joinpath("content"))
    before = files_under(site)
    code, out, err = journeys(site, monkeypatch, capsys, "import", str(source), *options)
    assert code == 1 and out == ""
    assert files_under(site) == before  # nothing written
    return err.splitlines()


def test_a_good_csv_folder_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    site = empty_site(tmp_path / "site", small_site(tmp_path / "small") / "content")
    source = csv_folder(tmp_path / "in")
    code, out, err = journeys(site, monkeypatch, capsys, "import", str(source))
    assert (code, out, err) == (0, "journeys: wrote content/journeys/laptop.md\n", "")
    journey = load_catalog(site / "content")[0].journeys["laptop"].journey
    assert [s.name for s in journey.stages] == ["Request", "Delivery"]
    assert [t.id for t in journey.stages[0].touchpoints] == ["ask", "ship"]
    assert journey.touchpoints[2].emotion == [1.0, 2.0]
    assert journey.opportunities[0].touchpoints == ["ask", "get"]
    assert journey.teams == ["Desk", "Hardware"]


@pytest.mark.parametrize(("changes", "expected"), [
    ({"touchpoints": GOOD["touchpoints"].replace(",-1,", ",very bad,")},
     ["touchpoints.csv:2:8: 'emotion' must be a number, or interview scores separated by ';' "
      "like -1; 0.5; -2, not 'very bad'"]),
    ({"touchpoints": GOOD["touchpoints"].replace(",-1,", ",\"-1,5\",")},
     ["touchpoints.csv:2:8: 'emotion' must be a number, or interview scores separated by ';' "
      "like -1; 0.5; -2, not '-1,5' (decimals with a point: 0.5)"]),
    ({"touchpoints": GOOD["touchpoints"].replace(",-1,", ",7,")},
     ["touchpoints.csv:2:8: 'emotion' must be between -2 and 2, the emotion scale, not 7"]),
    ({"touchpoints": GOOD["touchpoints"].replace(",true,", ",yes,")},
     ["touchpoints.csv:3:7: 'backstage' must be true, false or empty, not 'yes'"]),
    ({"touchpoints": GOOD["touchpoints"].replace("Asks for a laptop", "")},
     ["touchpoints.csv:2:4: missing required value 'action'"]),
    ({"touchpoints": GOOD["touchpoints"].replace("laptop,,ship", "laptops,,ship")},
     ["touchpoints.csv:3:1: unknown journey 'laptops' (did you mean 'laptop'?): list it in "
      "'journeys'"]),
    ({"touchpoints": GOOD["touchpoints"].replace("Desk,,-1", "Dsk,,-1")},
     ["touchpoints.csv:2:6: team 'Dsk' is not listed in the journey's 'teams' (did you mean "
      "'Desk'?)"]),
    ({"touchpoints": GOOD["touchpoints"].replace("ship,", "ask,")},
     ["touchpoints.csv:3:3: duplicate touchpoint id 'ask' (first at row 2)"]),
    ({"touchpoints": GOOD["touchpoints"].replace("true,,", "true,1,")},
     ["touchpoints.csv:3:8: a backstage touchpoint has no 'emotion': the customer does not "
      "see it"]),
    ({"touchpoints": GOOD["touchpoints"].replace("Request,ask", ",ask")},
     ["touchpoints.csv:2:2: missing required value 'stage'"]),
    ({"touchpoints": GOOD["touchpoints"].replace(",-1,", ",,")},
     ["touchpoints.csv:2:8: missing required value 'emotion' (every frontstage touchpoint "
      "needs one)"]),
    ({"touchpoints": GOOD["touchpoints"].replace("journey,stage,id,action",
                                                 "journey,stage,id,acton")},
     ["touchpoints.csv:1:4: unknown column 'acton' (did you mean 'action'?); the columns of "
      "'touchpoints' are journey, stage, id, action, channel, team, backstage, emotion, "
      "feeling, quote, pain, gap, duration, wait, moment_of_truth, actors, metrics, "
      "stage_metrics"]),
    ({"touchpoints": GOOD["touchpoints"].replace("journey,stage,", "journey,")},
     ["touchpoints.csv:1:1: 'touchpoints' needs a column 'stage'"]),
    ({"opportunities": GOOD["opportunities"].replace("ask, get", "ask, gett")},
     ["opportunities.csv:2:4: unknown touchpoint 'gett' in this journey (did you mean "
      "'get'?)"]),
    ({"opportunities": GOOD["opportunities"].replace(",must,", ",high,")},
     ["opportunities.csv:2:5: 'priority' must be 'must', 'should', 'could' or 'wont', not "
      "'high'"]),
    ({"journeys": GOOD["journeys"].replace(",eva,", ",evan,")},
     ["journeys.csv:2:3: unknown persona 'evan' (did you mean 'eva'?)"]),
    ({"journeys": GOOD["journeys"].replace("laptop,New", "Laptop,New"),
      "touchpoints": GOOD["touchpoints"].replace("laptop,", "Laptop,"),
      "opportunities": GOOD["opportunities"].replace("laptop,", "Laptop,")},
     ["journeys.csv:2:1: journey id 'Laptop': ids: use lower-case letters, digits and hyphens "
      "only"]),
    ({"journeys": GOOD["journeys"] + "laptop,Again,eva,,,,,,,,\n"},
     ["journeys.csv:3:1: journey 'laptop' is there twice (first at row 2)"]),
    ({"journeys": GOOD["journeys"] + "lonely,Alone,eva,,,,,,,,\n"},
     ["journeys.csv:3:1: journey 'lonely' has no touchpoints: add rows for it to "
      "'touchpoints'"]),
    ({"journeys": GOOD["journeys"].replace(",,\n", ",," + "x" * 2**20 + "\n")},
     ["journeys.csv:2:1: its journey file would be 1.0 MiB; the limit is 1 MiB"]),
    ({"journeys": GOOD["journeys"].replace(",eva,", ",,")},
     ["journeys.csv:2:3: missing required value 'persona'"]),
    ({"journeys": GOOD["journeys"].replace("id,title,", "id,").replace("New laptop,", "")},
     ["journeys.csv:2:1: missing required value 'title' (the sheet has no 'title' column)"]),
])
def test_a_broken_csv_folder_says_where(changes: dict[str, str], expected: list[str],
                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    source = csv_folder(tmp_path / "in", **changes)
    problems = import_problems(tmp_path, monkeypatch, capsys, source)
    assert problems == [f"../in/{line}" for line in expected]


def test_csv_files_themselves_broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    source = csv_folder(tmp_path / "in")
    (source / "touchpoints.csv").write_bytes(GOOD["touchpoints"].encode("latin-1") +
                                             b"laptop,Delivery,x,Gr\xfc\xdft,a,,,1,,,,,\n")
    (source / "journeys.csv").unlink()
    assert import_problems(tmp_path, monkeypatch, capsys, source) == [
        "../in/journeys.csv:1:1: no journeys.csv in this folder",
        "../in/touchpoints.csv:5:1: not UTF-8 text (byte 0xfc); save the CSV file as UTF-8",
    ]


def test_semicolons_and_a_byte_order_mark_as_excel_saves_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in"
    for name, text in GOOD.items():
        rows = list(csv.reader(io.StringIO(text, newline="")))
        buffer = io.StringIO(newline="")
        csv.writer(buffer, delimiter=";").writerows(rows)
        (source / f"{name}.csv").parent.mkdir(exist_ok=True)
        (source / f"{name}.csv").write_bytes(buffer.getvalue().encode("utf-8-sig"))
    site = empty_site(tmp_path / "site", small_site(tmp_path / "small") / "content")
    code, _out, err = journeys(site, monkeypatch, capsys, "import", str(source))
    assert (code, err) == (0, "")


@pytest.mark.parametrize(("changes", "expected"), [
    ({"touchpoints": GOOD["touchpoints"].replace(",-1,", ",very bad,")},
     ["journeys.xlsx:2:8: touchpoints!H2: 'emotion' must be a number, or interview scores "
      "separated by ';' like -1; 0.5; -2, not 'very bad'"]),
    ({"touchpoints": GOOD["touchpoints"].replace(",-1,", ",-3,")},
     ["journeys.xlsx:2:8: touchpoints!H2: 'emotion' must be between -2 and 2, the emotion "
      "scale, not -3"]),
    ({"touchpoints": GOOD["touchpoints"].replace("Asks for a laptop", "=A1")},
     ["journeys.xlsx:2:4: touchpoints!D2: 'action' holds a formula; formulas are not "
      "imported: put the value itself in the cell"]),
    ({"journeys": GOOD["journeys"].replace(",eva,", ",evan,")},
     ["journeys.xlsx:2:3: journeys!C2: unknown persona 'evan' (did you mean 'eva'?)"]),
])
def test_a_broken_workbook_says_which_sheet_and_cell(changes: dict[str, str],
                                                     expected: list[str], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    source = workbook(tmp_path / "journeys.xlsx", **changes)
    problems = import_problems(tmp_path, monkeypatch, capsys, source)
    assert problems == [f"../{line}" for line in expected]


def test_a_workbook_that_is_not_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    fake = write(tmp_path / "fake.xlsx", "journey,stage\n")
    assert import_problems(tmp_path, monkeypatch, capsys, fake) == [
        "../fake.xlsx:1:1: not an Excel workbook (.xlsx) that can be read: File is not a zip "
        "file"]
    good = workbook(tmp_path / "good.xlsx")
    (tmp_path / "cut.xlsx").write_bytes(good.read_bytes()[:3000])
    assert import_problems(tmp_path, monkeypatch, capsys, tmp_path / "cut.xlsx") == [
        "../cut.xlsx:1:1: not an Excel workbook (.xlsx) that can be read: File is not a zip "
        "file"]
    # XML entities (the billion laughs) are refused by defusedxml, not expanded.
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(tmp_path / "bomb.xlsx", "w") as bomb:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + \
                    data.replace(b"<t>", b"<t>&b;", 1)
            bomb.writestr(info, data)
    (problem,) = import_problems(tmp_path, monkeypatch, capsys, tmp_path / "bomb.xlsx")
    assert problem.startswith("../bomb.xlsx:1:1: not an Excel workbook (.xlsx) that can be "
                              "read: ")
    book = openpyxl.Workbook()
    assert book.active is not None
    book.active.title = "Journeys"
    book.save(tmp_path / "one.xlsx")
    assert import_problems(tmp_path, monkeypatch, capsys, tmp_path / "one.xlsx") == [
        "../one.xlsx:1:1: Journeys!A1: the sheet is empty: the first row holds the headers",
        "../one.xlsx:1:1: no sheet 'touchpoints' in this workbook (its sheets: Journeys)"]


def test_numbers_and_dates_typed_in_text_cells_are_text(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    source = workbook(tmp_path / "in.xlsx", touchpoints=GOOD["touchpoints"].replace(
        "-1,,,,,", "-1,3,,,,").replace("Ships it", "42"))
    site = empty_site(tmp_path / "site", small_site(tmp_path / "small") / "content")
    assert journeys(site, monkeypatch, capsys, "import", str(source))[0] == 0
    journey = load_catalog(site / "content")[0].journeys["laptop"].journey
    assert journey.touchpoints[0].feeling == "3"
    assert journey.touchpoints[1].action == "42"


# --- what import writes, and what it will not ---------------------------------------------------


def test_import_never_replaces_a_file_without_force(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    site = small_site(tmp_path)
    assert journeys(site, monkeypatch, capsys, "export", "-o", "out")[0] == 0
    original = written_file(site)
    assert import_problems(tmp_path, monkeypatch, capsys, site / "out") == [
        "out/journeys.csv:2:1: content/journeys/new-laptop.md exists: use --force to replace it"]
    code, out, _ = journeys(site, monkeypatch, capsys, "import", "out", "--force")
    assert (code, out) == (0, "journeys: wrote content/journeys/new-laptop.md\n")
    assert written_file(site) != original  # now as import writes it
    (site / "content" / "journeys" / "new-laptop.md").rename(
        site / "content" / "journeys" / "new-laptop.yml")
    code, _, err = journeys(site, monkeypatch, capsys, "import", "out", "--force")
    assert code == 1
    assert err == ("out/journeys.csv:2:1: journey 'new-laptop' already exists as "
                   "content/journeys/new-laptop.yml: importing it would define it twice\n")


def test_import_into_a_folder_of_its_own_and_persona(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    csv_folder(tmp_path / "in", journeys=GOOD["journeys"].replace(",eva,", ",,"))
    code, out, err = journeys(tmp_path, monkeypatch, capsys, "import", "in", "--persona",
                              "kasia", "--into", "drafts")
    assert (code, out) == (0, "journeys: wrote drafts/laptop.md\n")
    assert err == ("journeys import: drafts is not in the 'journeys' folder of a content "
                   "folder: persona, compare_to and milestones were not checked\n")
    assert "persona: kasia\n" in (tmp_path / "drafts" / "laptop.md").read_text()
    assert journeys(tmp_path, monkeypatch, capsys, "import", "in", "--persona", "Kasia K")[0] == 2


def test_export_refuses_what_a_spreadsheet_cannot_keep(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    journey = JOURNEY.replace("teams: [Service desk, Hardware]",
                              "teams: [Service desk, Hardware]\nexpectations:\n  - |\n"
                              "    two\n    lines")
    journey = journey.replace("    touchpoints:\n      - id: handoff",
                              "    touchpoints:\n      - id: handoff")
    site = small_site(tmp_path, journey)
    code, out, err = journeys(site, monkeypatch, capsys, "export", "-o", "out")
    assert (code, out) == (1, "")
    assert err == ("content/journeys/new-laptop.md:6:5: an item of 'expectations' is more than "
                   "one line, which a spreadsheet cannot keep (one item a line in its cell): "
                   "write it on one line\n")
    assert not (site / "out").exists()
    body = "\x0b".join(["vertical", "tab"])
    write(site / "content" / "journeys" / "new-laptop.md", JOURNEY + body)
    code, _, err = journeys(site, monkeypatch, capsys, "export", "-o", "out.xlsx")
    assert code == 1 and not (site / "out.xlsx").exists()
    assert err == ("content/journeys/new-laptop.md:2:1: the body holds the character U+000B, "
                   "which a workbook cannot hold: export as csv\n")
    assert journeys(site, monkeypatch, capsys, "export", "-o", "out")[0] == 0  # csv can


def test_export_of_one_journey_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = journeys(ROOT, monkeypatch, capsys, "export", "content/journeys/new-laptop.md",
                          "-o", str(tmp_path / "one"))
    assert code == 0
    rows = (tmp_path / "one" / "journeys.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[1].startswith("new-laptop,Requesting a new laptop,eva,current,")


def test_journey_file_is_deterministic_yaml() -> None:
    data: dict[str, Any] = {"stages": [{"touchpoints": [{"emotion": [-1, 0.5], "action": "a",
                                                          "channel": "b"}], "name": "S"}],
                            "persona": "eva", "title": "yes"}
    assert journey_file(data, "Body\n") == (
        "---\ntitle: 'yes'\npersona: eva\nstages:\n  - name: S\n    touchpoints:\n"
        "      - action: a\n        channel: b\n        emotion: [-1, 0.5]\n---\nBody\n")


def test_carriage_returns_survive_csv_and_become_line_feeds_in_a_workbook(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    journey = JOURNEY.replace("action: Gets the laptop", 'action: "Gets\\rthe laptop"')
    site = small_site(tmp_path, journey.replace("## Notes\n", "## Notes\r\n"))
    body = load_catalog(site / "content")[0].journeys["new-laptop"].body
    assert "\r\n" in body
    for kind, target in (("csv", "out"), ("xlsx", "out.xlsx")):
        assert journeys(site, monkeypatch, capsys, "export", "-o", target)[0] == 0
        back = empty_site(tmp_path / kind, site / "content")
        assert journeys(back, monkeypatch, capsys, "import", str(site / target))[0] == 0
        entry = load_catalog(back / "content")[0].journeys["new-laptop"]
        if kind == "csv":
            assert entry.journey.touchpoints[2].action == "Gets\rthe laptop"
            assert entry.body == body
        else:  # XML keeps no carriage return (the guide says so)
            assert entry.journey.touchpoints[2].action == "Gets\nthe laptop"
            assert entry.body == body.replace("\r\n", "\n")


def test_a_journey_id_is_one_file_in_the_whole_journeys_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    site = small_site(tmp_path)
    assert journeys(site, monkeypatch, capsys, "export", "-o", "out")[0] == 0
    code, _, err = journeys(site, monkeypatch, capsys, "import", "out", "--force", "--into",
                            "content/journeys/hardware")
    assert (code, err) == (1, "out/journeys.csv:2:1: journey 'new-laptop' already exists as "
                           "content/journeys/new-laptop.md: importing it would define it "
                           "twice\n")
    assert not (site / "content" / "journeys" / "hardware").exists()


def test_two_sources_with_one_journey(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    csv_folder(tmp_path / "in")
    workbook(tmp_path / "in.xlsx")
    site = empty_site(tmp_path / "site", small_site(tmp_path / "small") / "content")
    code, out, err = journeys(site, monkeypatch, capsys, "import", "../in", "../in.xlsx")
    assert (code, out) == (1, "")
    assert err == ("../in.xlsx:2:1: journeys!A2: journey 'laptop' is imported twice: also at "
                   "../in/journeys.csv:2\n")


def test_export_then_import_with_the_real_command(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    assert run(["mkdocs_journey_plugin.cli", "export", "-o", "book.xlsx"], site).returncode == 0
    (site / "content" / "journeys" / "new-laptop.md").unlink()
    result = run(["mkdocs_journey_plugin.cli", "import", "book.xlsx"], site)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "journeys: wrote content/journeys/new-laptop.md\n"
    assert run(["mkdocs_journey_plugin.cli", "validate"], site).returncode == 0
