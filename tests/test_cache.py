"""The chart cache: a second build draws only what changed (counted, not timed)."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mkdocs_journey_plugin import cache
from mkdocs_journey_plugin.addresses import Addresses
from mkdocs_journey_plugin.cache import ModelCache, PageCache, Shelf
from mkdocs_journey_plugin.catalog import Layout, load_catalog
from mkdocs_journey_plugin.charts import describe_inputs, map_options
from mkdocs_journey_plugin.islands import restore_islands
from mkdocs_journey_plugin.labels import Labels
from mkdocs_journey_plugin.model import EmotionScale
from mkdocs_journey_plugin.pages import PageWriter

from .conftest import JOURNEY, PERSONA, make_site, run, write


def build(site: Path) -> dict[str, int]:
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    line = re.search(r"journeys: drew (\d+) charts(?: \(([^)]*)\))?, reused (\d+)", result.stderr)
    assert line, result.stderr
    drawn = {kind: int(count) for kind, count in
             (part.rsplit(" ", 1) for part in (line.group(2) or "").split(", ") if part)}
    return {"total": int(line.group(1)), "reused": int(line.group(3)), **drawn}


def site_with_three_journeys(tmp_path: Path) -> Path:
    site = make_site(tmp_path)
    write(site / "content" / "personas" / "eva.md", PERSONA)
    for name in ("one", "two", "three"):
        write(site / "content" / "journeys" / f"{name}.md",
              JOURNEY.replace("Requesting a new laptop", f"Journey {name}"))
    return site


def cached_charts(site: Path) -> set[str]:
    return set(Shelf(site / ".cache" / "journeys" / "charts.json").entries)


def test_second_build_with_one_changed_journey_draws_one_map(tmp_path: Path) -> None:
    site = site_with_three_journeys(tmp_path)
    first = build(site)
    assert first["map_region"] == 3 and first["reused"] > 0  # a sparkline shows twice
    assert build(site) == {"total": 0, "reused": first["total"] + first["reused"]}
    changed = site / "content" / "journeys" / "two.md"
    changed.write_text(changed.read_text().replace("emotion: -1", "emotion: -2"))
    third = build(site)
    assert third["map_region"] == 1
    assert third["sparkline"] == 1
    assert (site / "site" / "journeys" / "two" / "index.html").read_text().count(
        "journey-map") > 0


def test_options_and_removed_journeys(tmp_path: Path) -> None:
    site = site_with_three_journeys(tmp_path)
    build(site)
    before = cached_charts(site)
    (site / "mkdocs.yml").write_text((site / "mkdocs.yml").read_text().replace(
        "  - journeys\n", "  - journeys:\n      emotion_scale: [-3, 3]\n"))
    assert build(site)["map_region"] == 3  # another scale: every map drawn anew
    after = cached_charts(site)
    assert not before & after  # drawings this build did not use are pruned
    (site / "content" / "journeys" / "three.md").unlink()
    assert build(site).get("map_region", 0) == 0
    assert len(cached_charts(site)) < len(after)


def test_cache_can_be_switched_off(tmp_path: Path) -> None:
    site = site_with_three_journeys(tmp_path)
    (site / "mkdocs.yml").write_text((site / "mkdocs.yml").read_text().replace(
        "  - journeys\n", "  - journeys:\n      cache: false\n"))
    assert build(site)["map_region"] == 3
    assert build(site)["map_region"] == 3
    assert not (site / ".cache").exists()


def test_cached_and_fresh_pages_are_the_same(tmp_path: Path) -> None:
    site = site_with_three_journeys(tmp_path)
    build(site)
    fresh = (site / "site" / "journeys" / "one" / "index.html").read_bytes()
    build(site)
    assert (site / "site" / "journeys" / "one" / "index.html").read_bytes() == fresh


def test_content_files_are_read_once_and_changed_files_again(tmp_path: Path) -> None:
    site = site_with_three_journeys(tmp_path)
    content, folder = site / "content", tmp_path / "cache"
    first_store = ModelCache(folder)
    first, problems = load_catalog(content, stored=first_store)
    assert problems == [] and (first_store.fresh, first_store.reused) == (4, 0)
    first_store.save()
    second_store = ModelCache(folder)
    second, _ = load_catalog(content, stored=second_store)
    second_store.save()
    assert (second_store.fresh, second_store.reused) == (0, 4)
    assert second.journeys == first.journeys and second.personas == first.personas
    two = content / "journeys" / "two.md"
    assert second.journeys["two"].digest == hashlib.sha256(two.read_bytes()).hexdigest()
    two.write_text(two.read_text().replace("emotion: -1", "emotion: -2"))
    third_store = ModelCache(folder)
    third, _ = load_catalog(content, stored=third_store)
    assert (third_store.fresh, third_store.reused) == (1, 3)
    assert third.journeys["two"] != second.journeys["two"]
    # The earlier reading of two.md is no longer used: left out, so the file does not grow.
    assert third_store.save() == 1
    assert len(ModelCache(folder).shelf.entries) == 4


def test_a_cached_file_never_hides_a_problem_or_a_broken_cache(tmp_path: Path) -> None:
    site = site_with_three_journeys(tmp_path)
    content, folder = site / "content", tmp_path / "cache"
    first = ModelCache(folder)
    load_catalog(content, stored=first)
    first.save()
    stored = folder / "models.json"
    assert stored.is_file()
    stored.write_bytes(b'{"format": "mkdocs-journey-plugin cache", "ver')  # cut short
    again = ModelCache(folder)
    catalog, problems = load_catalog(content, stored=again)
    assert problems == [] and len(catalog.journeys) == 3 and again.fresh == 4
    one = content / "journeys" / "one.md"
    one.write_text(one.read_text().replace("persona: eva", "persona: evaa").replace(
        "emotion: -1", "emotion: low"))
    _, problems = load_catalog(content, stored=ModelCache(folder))
    assert [p.message for p in problems] == [
        "'emotion' must be a number or a list of numbers, not text"]


def test_a_cached_file_places_a_broken_reference_as_a_fresh_reading_does(
        tmp_path: Path) -> None:
    """Line marks come back from the cache only when a problem needs them: the problem that a
    removed persona makes in three cached journeys stands where a fresh reading puts it."""
    site = site_with_three_journeys(tmp_path)
    content, folder = site / "content", tmp_path / "cache"
    stored = ModelCache(folder)
    load_catalog(content, stored=stored)
    stored.save()
    (content / "personas" / "eva.md").unlink()
    cached = ModelCache(folder)
    _, problems = load_catalog(content, stored=cached)
    _, fresh = load_catalog(content)
    assert cached.reused == 3 and cached.fresh == 0
    assert problems == fresh
    assert [(p.line, p.column, p.message) for p in problems][:1] == [
        (JOURNEY.splitlines().index("persona: eva") + 1, 10, "unknown persona 'eva'")]


def test_a_failed_build_keeps_what_it_read(tmp_path: Path) -> None:
    site = site_with_three_journeys(tmp_path)
    one = site / "content" / "journeys" / "one.md"
    good = one.read_text()
    one.write_text(good.replace("emotion: -1", "emotion: low"))
    failed = run(["mkdocs", "build", "--strict"], site)
    assert failed.returncode != 0 and "journeys/one.md:" in failed.stderr
    one.write_text(good)
    fixed = run(["mkdocs", "build", "--strict"], site)
    assert fixed.returncode == 0, fixed.stderr
    assert "journeys: read 1 content file anew, 3 unchanged from the cache" in fixed.stderr


def test_a_shelf_is_written_when_it_changed_and_keeps_what_was_used(tmp_path: Path) -> None:
    path = tmp_path / "things.json"
    shelf = Shelf(path)
    shelf.put("a", "1")
    shelf.put("b", {"two": [2.5, None, "ü"]})
    assert shelf.save() == 0 and path.is_file()
    written = path.stat().st_ino
    both = Shelf(path)
    assert both.get("a") == "1" and both.get("b") == {"two": [2.5, None, "ü"]}
    assert both.save() == 0 and path.stat().st_ino == written  # nothing new: not written
    one = Shelf(path)
    assert one.get("a") == "1"
    assert one.save() == 1 and path.stat().st_ino != written  # "b" was not asked for
    assert Shelf(path).entries == {"a": (cache.checksum("a", '"1"'), b'"1"')}
    assert not list(tmp_path.glob("*.tmp"))
    assert Shelf(None).get("a") is None and Shelf(None).save() == 0


def test_the_former_layout_of_the_cache_goes(tmp_path: Path) -> None:
    site = site_with_three_journeys(tmp_path)
    folder = site / ".cache" / "journeys"
    for old in ("models/ab/x.pickle", "pages/cd/y.pickle", "0f/z.svg", "models.pickle",
                "pages.pickle", "charts.pickle", "templates/0123456789abcdef/__jinja2_x.cache"):
        write(folder / old, "from an older version")
    build(site)
    assert sorted(p.name for p in folder.iterdir()) == ["charts.json", "models.json",
                                                        "pages.json"]


def test_a_cache_that_cannot_be_written_costs_time_not_the_build(tmp_path: Path) -> None:
    """Even as root (who writes into read-only folders): a folder under a file cannot be
    made. The build passes `--strict`, saying so once per kind at the info level."""
    site = site_with_three_journeys(tmp_path)
    write(site / "blocked", "a file where the cache folder would be")
    (site / "mkdocs.yml").write_text((site / "mkdocs.yml").read_text().replace(
        "  - journeys\n", "  - journeys:\n      cache_dir: blocked/journeys\n"))
    for _ in range(2):
        result = run(["mkdocs", "build", "--strict"], site)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert not [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
        unsaved = [line for line in result.stderr.splitlines()
                   if "journeys: the cache was not saved" in line]
        assert len(unsaved) == 3 and all(line.startswith("INFO") for line in unsaved), unsaved
        assert (site / "site" / "journeys" / "one" / "index.html").is_file()


def test_chart_keys_name_journeys_by_their_file(tmp_path: Path) -> None:
    site = site_with_three_journeys(tmp_path)
    catalog, _ = load_catalog(site / "content")
    entry = catalog.journeys["one"]
    digests = {id(entry.journey): entry.digest}
    options = map_options(entry, catalog, EmotionScale(), Labels())
    key = describe_inputs((entry.journey, options), digests)
    assert f"journey:{entry.digest}" in key and "Journey one" not in key
    assert "Labels('en')" in key or "en" in key
    # Unknown models (built in code, not read from a file) are described in full.
    assert "Journey one" in describe_inputs((entry.journey, options), {})


ROADMAP = """\
title: Service desk roadmap
milestones:
  - id: q1
    title: First quarter
    date: 2027-03-31
"""


def built_pages(site: Path) -> dict[str, bytes]:
    out = site / "site"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.html")}


def test_a_cached_page_is_the_fresh_page_whatever_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each change below alters a page through another file than the page's own: a cached
    page (journey, persona, index, tag, backlog, roadmap, insights, group) must be written
    again exactly when a fresh build would show something else."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # one day for every build here
    site = site_with_three_journeys(tmp_path / "cached")
    content = site / "content"
    (content / "journeys" / "three.md").write_text((content / "journeys" / "three.md").read_text(
    ).replace("Journey three", "Journey 3"))
    one, two, three = (content / "journeys" / f"{n}.md" for n in ("one", "two", "three"))
    one.write_text(one.read_text().replace("teams:", "tags: [hardware]\nteams:").replace(
        "priority: must", "priority: must\n    team: Hardware\n    milestone: q1"))
    two.write_text(two.read_text().replace("teams:", "compare_to: one\ngroup: g\nteams:"))
    three.write_text(three.read_text().replace("teams:", "group: g\nteams:"))
    write(content / "roadmap.yml", ROADMAP)
    changes = [  # the file, what changes, what pages show then, how many pages stay as they were
        (content / "personas" / "eva.md", "Eva Kovacs", "Eva Kovács", "Eva Kovács", 0),
        (content / "roadmap.yml", "First quarter", "Q1 2027", "Q1 2027", 0),  # one's milestone
        # Kept: three's page and the group page (two, three).
        (one, "title: Journey one", "title: Journey number one", "Journey number one", 2),
        (three, "teams:", "tags: [laptops]\nteams:", "laptops", 0),  # the tag links change
        # Kept: one's page, its tag page and its team's backlog; two's group changes.
        (three, "title: Journey 3", "title: Journey three", "Journey three", 3),
    ]
    assert run(["mkdocs", "build", "--strict"], site).returncode == 0
    for path, old, new, shown, kept in changes:
        path.write_text(path.read_text().replace(old, new))
        cached = run(["mkdocs", "build", "--strict"], site)
        assert cached.returncode == 0, cached.stderr
        assert f"pages written anew, {kept} unchanged from the cache" in cached.stderr
        fresh = tmp_path / "fresh"
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.copytree(site, fresh, ignore=shutil.ignore_patterns(".cache", "site"))
        (fresh / "mkdocs.yml").write_text((fresh / "mkdocs.yml").read_text().replace(
            "  - journeys\n", "  - journeys:\n      cache: false\n"))
        assert run(["mkdocs", "build", "--strict"], fresh).returncode == 0
        assert built_pages(site) == built_pages(fresh), f"stale after changing {path.name}"
        assert shown.encode() in b"".join(built_pages(site).values())


def test_long_pages_render_again_only_the_parts_of_a_changed_journey(tmp_path: Path) -> None:
    """The backlog, index and roadmap keep each journey's rows (or card) between builds: after
    one journey changed, the others' parts come from the cache (marked here to tell them
    apart) and the changed journey's are rendered anew."""
    site = site_with_three_journeys(tmp_path)
    content, folder = site / "content", tmp_path / "cache"
    write(content / "roadmap.yml", ROADMAP)
    for name in ("one", "two", "three"):
        path = content / "journeys" / f"{name}.md"
        path.write_text(path.read_text().replace("priority: must", "priority: must\n"
                                                 "    milestone: q1"))

    def pages(cached: bool = True) -> dict[str, str]:
        catalog, problems = load_catalog(content)
        assert problems == []
        stored = PageCache(folder if cached else None)
        writer = PageWriter(catalog, Addresses(Layout(), True), Labels("en"), stored=stored)
        backlog = writer.backlog_page(writer.addresses.backlog(), writer.opportunities, None)
        shown = {"backlog": backlog.text,
                 "index": writer.journey_index(writer.addresses.journey_index()).text,
                 "roadmap": writer.roadmap_page().text}
        stored.save()  # as after a build: what it did not use goes
        return shown

    pages()
    marked = 0
    shelf = Shelf(folder / "pages.json")
    for key in list(shelf.entries):
        value = shelf.get(key)
        if isinstance(value, dict):  # the parts of one page, by what they show
            marked += len(value)
            shelf.put(key, {k: f"<!-- kept -->{v}" for k, v in value.items()})
    shelf.save(prune=False)
    assert marked == 9  # three journeys' rows on two pages, three cards
    pages()  # nothing changed: whole pages from the cache, their parts kept for later
    two = content / "journeys" / "two.md"
    two.write_text(two.read_text().replace("title: Send a status update",
                                           "title: Send a status update every day"))
    second, fresh = pages(), pages(cached=False)
    for name, text in second.items():
        assert text.count("<!-- kept -->") == 2, name  # one's and three's
        assert "every day" in text or name == "index", name
        assert text.replace("<!-- kept -->", "") == fresh[name], name


def test_the_date_changes_the_roadmap_alone(tmp_path: Path) -> None:
    """Only the roadmap shows the date (overdue milestones): a build on another day writes it
    again and takes every other page from the cache."""
    site = site_with_three_journeys(tmp_path)
    content, folder = site / "content", tmp_path / "cache"
    write(content / "roadmap.yml", ROADMAP)
    one = content / "journeys" / "one.md"
    one.write_text(one.read_text().replace("priority: must", "priority: must\n    milestone: q1"))

    def written_on(day: datetime.date) -> tuple[int, str]:
        catalog, _ = load_catalog(content)
        stored = PageCache(folder)
        writer = PageWriter(catalog, Addresses(Layout(), True), Labels("en"), today=day,
                            stored=stored)
        written = writer.all_pages(with_home=True)
        stored.save()
        uri = writer.addresses.roadmap()
        return stored.fresh, restore_islands(written.pages[uri], written.islands[uri])

    before = datetime.date(2027, 3, 1)
    fresh, roadmap = written_on(before)
    assert fresh > 5
    assert written_on(before)[0] == 0
    fresh, overdue = written_on(datetime.date(2027, 4, 1))  # after the milestone's date
    assert fresh == 1
    assert "journey-milestone--overdue" in overdue and "--overdue" not in roadmap


def test_a_team_named_index_keeps_off_the_whole_backlog(tmp_path: Path) -> None:
    site = site_with_three_journeys(tmp_path)
    one = site / "content" / "journeys" / "one.md"
    one.write_text(one.read_text().replace("priority: must", "priority: must\n    team: Index"))
    catalog, _ = load_catalog(site / "content")
    writer = PageWriter(catalog, Addresses(Layout(), True), Labels("en"))
    pages = writer.all_pages(with_home=False).pages
    assert "title: \"Opportunity backlog\"\n" in pages["opportunities/index.md"]
    assert "Index" in pages["opportunities/index-2.md"]


def test_the_fingerprint_holds_the_libraries_we_render_with(
        monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache.code_fingerprint()
    real = cache.metadata.version
    monkeypatch.setattr(cache.metadata, "version",
                        lambda name: "99.0" if name == "markdown" else real(name))
    cache.code_fingerprint.cache_clear()
    try:
        assert cache.code_fingerprint() != before  # an upgrade of Markdown reuses nothing
    finally:
        monkeypatch.undo()
        cache.code_fingerprint.cache_clear()
    assert cache.code_fingerprint() == before


def test_compiled_templates_stay_in_memory(tmp_path: Path) -> None:
    """Compiled templates are code: never on disk, where a planted one would run; a second
    writer in the same process (`mkdocs serve`) takes them from memory."""
    site = site_with_three_journeys(tmp_path)
    catalog, _ = load_catalog(site / "content")
    folder = tmp_path / "cache"
    for _ in range(2):
        stored = PageCache(folder)
        PageWriter(catalog, Addresses(Layout(), True), Labels("en"), stored=stored).all_pages(
            with_home=True)
        stored.save()
    assert cache.COMPILED_TEMPLATES.codes
    assert [p.name for p in folder.iterdir()] == ["pages.json"]


# --- a cache that cannot lie or run code (issue 13) ------------------------------------------

NOTE = re.compile(r"journeys: (the cache file .* was ignored|\d+ entr(y|ies) of the cache file)")


def read_cache_file(path: Path) -> dict[str, Any]:
    """A cache file as one JSON value: its first line, and its entries as [checksum, value]."""
    first, *lines = path.read_text().splitlines()
    entries = {}
    for line in lines:
        key, total, text = line.split(" ", 2)
        entries[key] = [total, json.loads(text)]
    return {**json.loads(first), "entries": entries}


def write_cache_file(path: Path, data: object) -> None:
    """What `read_cache_file` gives back as a file; what is not of its shape, as it comes."""
    if not (isinstance(data, dict) and isinstance(data.get("entries"), dict)):
        path.write_text(json.dumps(data))
        return
    lines = [json.dumps({k: v for k, v in data.items() if k != "entries"})]
    for key, entry in data["entries"].items():
        well_formed = isinstance(entry, list) and len(entry) == 2
        lines.append(f"{key} {entry[0]} {cache.canonical(entry[1])}" if well_formed
                     else f"{key} {json.dumps(entry)}")
    path.write_text("\n".join(lines) + "\n")


def cache_notes(stderr: str) -> list[str]:
    """The info lines that say a cache file or entry was left out."""
    return [line for line in stderr.splitlines() if NOTE.search(line)]


def strict_build(site: Path) -> str:
    """A `mkdocs build --strict` that must pass; its log."""
    result = run(["mkdocs", "build", "--strict"], site)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


@pytest.fixture(scope="module")
def fresh_three(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The pages of `site_with_three_journeys` built without a cache."""
    site = site_with_three_journeys(tmp_path_factory.mktemp("fresh"))
    (site / "mkdocs.yml").write_text((site / "mkdocs.yml").read_text().replace(
        "  - journeys\n", "  - journeys:\n      cache: false\n"))
    strict_build(site)
    return built_pages(site)


class _Planted:
    """Unpickled, it creates the file `marker`: what a planted pickle could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.marker), "w")


def test_a_planted_cache_folder_runs_no_code(tmp_path: Path,
                                              fresh_three: dict[str, bytes]) -> None:
    """Files planted where this or an earlier version kept its cache (pickled entries,
    compiled templates with a pickled header) are never loaded: nothing runs, and the site is
    the fresh one."""
    from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader
    from jinja2.bccache import bc_magic

    site = site_with_three_journeys(tmp_path / "site")
    strict_build(site)
    folder, marker = site / ".cache" / "journeys", tmp_path / "marker"
    payload = pickle.dumps(_Planted(marker))
    for kind in ("models", "pages", "charts"):
        (folder / f"{kind}.pickle").write_bytes(payload)
    templates = folder / "templates" / cache.code_fingerprint()[:16]
    templates.mkdir(parents=True, exist_ok=True)
    loader = PackageLoader("mkdocs_journey_plugin", "templates")
    names = FileSystemBytecodeCache(str(templates))
    for name in loader.list_templates():
        _, filename, _ = loader.get_source(Environment(), name)
        path = templates / f"__jinja2_{names.get_cache_key(name, filename)}.cache"
        path.write_bytes(bc_magic + payload)
    for _ in range(2):  # from the cache, then with the planted files of every kind gone
        strict_build(site)
        assert not marker.exists()
        assert built_pages(site) == fresh_three
    assert sorted(p.name for p in folder.iterdir()) == ["charts.json", "models.json",
                                                        "pages.json"]


def test_changed_entries_are_made_anew(tmp_path: Path, fresh_three: dict[str, bytes]) -> None:
    """An entry whose text changed (a title in a model, a drawing) no longer checks out: that
    entry alone is made anew, each cache file says so once, and the site is the fresh one."""
    site = site_with_three_journeys(tmp_path)
    strict_build(site)
    folder = site / ".cache" / "journeys"
    for kind, change in (("models", lambda v: {**v, "model": {**v["model"], "title": "Forged"}}),
                         ("charts", lambda v: v.replace("<svg", "<svg onload='alert(1)'", 1))):
        data = read_cache_file(folder / f"{kind}.json")
        key = next(k for k, (_, v) in data["entries"].items() if "Journey two" in str(v))
        data["entries"][key][1] = change(data["entries"][key][1])
        write_cache_file(folder / f"{kind}.json", data)
    log = strict_build(site)
    assert "journeys: read 1 content file anew, 3 unchanged from the cache" in log
    notes = cache_notes(log)
    assert len(notes) == 2 and all(n.startswith("INFO") and "1 entry" in n for n in notes), notes
    assert built_pages(site) == fresh_three
    assert "Forged" not in str(built_pages(site)) and "alert" not in str(built_pages(site))
    assert cache_notes(strict_build(site)) == []


@pytest.mark.parametrize("kind", ["models", "pages", "charts"])
def test_flipped_bytes_make_a_file_ignored_and_written_anew(
        tmp_path: Path, fresh_three: dict[str, bytes], kind: str) -> None:
    site = site_with_three_journeys(tmp_path)
    strict_build(site)
    path = site / ".cache" / "journeys" / f"{kind}.json"
    data = bytearray(path.read_bytes())
    for at in range(len(data) // 3, len(data) // 3 + 8):
        data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    notes = cache_notes(strict_build(site))
    assert len(notes) == 1 and notes[0].startswith("INFO") and f"{kind}.json" in notes[0], notes
    assert built_pages(site) == fresh_three
    healed = strict_build(site)
    assert cache_notes(healed) == []
    assert "read 0 content files anew, 4 unchanged" in healed
    assert "pages written anew, 0 unchanged" not in healed


def _with_every_entry(change: object) -> object:
    """A change to each entry's value, its checksum made right: a forged file that checks out."""
    def forged(data: dict[str, Any]) -> dict[str, Any]:
        entries = {}
        for key, (_, value) in data["entries"].items():
            value = change(value)  # type: ignore[operator]
            entries[key] = [cache.checksum(key, cache.canonical(value)), value]
        return {**data, "entries": entries}
    return forged


def _invalid_journey(value: dict[str, Any]) -> dict[str, Any]:
    if "stages" not in value["model"]:
        return value  # a persona, left as it was
    stages = value["model"]["stages"]
    stages[0]["touchpoints"][0]["emotion"] = 99  # off the emotion scale
    stages[0]["touchpoints"][0]["run"] = "__import__('os').system('true')"  # not a field
    return value


DAMAGED: dict[str, tuple[str, object]] = {  # what goes wrong: (file, new content of the file)
    "a list": ("models", lambda data: list(data["entries"])),
    "a first line of other keys": ("charts", lambda data: {**data, "kind": "charts"}),
    "another version": ("models", lambda data: {**data, "version": 99}),
    "entries of the wrong shape": ("models", lambda data: {**data, "entries": {
        key: {"sum": entry[0]} for key, entry in data["entries"].items()}}),
    "entries without their checksum": ("pages", lambda data: {**data, "entries": {
        key: entry[1] for key, entry in data["entries"].items()}}),
    "invalid models that check out": ("models", _with_every_entry(_invalid_journey)),
    "pages of the wrong shape that check out": ("pages", _with_every_entry(lambda v: [v])),
    "charts that are not drawings": ("charts", _with_every_entry(lambda v: {"svg": 1})),
}


@pytest.mark.parametrize("damage", list(DAMAGED))
def test_damaged_but_loadable_files_are_ignored_and_heal(
        tmp_path: Path, fresh_three: dict[str, bytes], damage: str) -> None:
    kind, change = DAMAGED[damage]
    site = site_with_three_journeys(tmp_path)
    strict_build(site)
    path = site / ".cache" / "journeys" / f"{kind}.json"
    write_cache_file(path, change(read_cache_file(path)))  # type: ignore[operator]
    notes = cache_notes(strict_build(site))
    assert len(notes) == 1 and notes[0].startswith("INFO") and f"{kind}.json" in notes[0], notes
    assert built_pages(site) == fresh_three
    healed = strict_build(site)
    assert cache_notes(healed) == [] and "read 0 content files anew, 4 unchanged" in healed
    assert "drew 0 charts" in healed
    shelf = Shelf(path)
    assert shelf.entries and all(shelf.get(key) is not None for key in list(shelf.entries))
    assert shelf.rejected == 0


HOOKS = """\
import shutil
import subprocess
import sys

import jinja2
from mkdocs.plugins import event_priority

FOLDER = {folder!r}
OTHER = {other!r}
_compile = jinja2.Environment.compile
_done = []


# Right after the plugin compiled its first template: another build runs then, or the cache
# folder goes (the plugin's templates end in .md.j2; the theme's do not).
def compile(self, source, name=None, filename=None, *args, **kwargs):
    code = _compile(self, source, name, filename, *args, **kwargs)
    if name and name.endswith(".md.j2") and not _done:
        _done.append(name)
        if OTHER:
            with open(OTHER["log"], "w") as log:
                result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"],
                                        cwd=OTHER["site"], env=OTHER["env"], stderr=log)
            with open(OTHER["log"], "a") as log:
                log.write(f"\\nexit status {{result.returncode}}\\n")
        else:
            shutil.rmtree(FOLDER, ignore_errors=True)
    return code


jinja2.Environment.compile = compile


@event_priority(100)  # before the plugin's own: it saves the charts into a folder now gone
def on_post_build(config):
    if not OTHER:
        shutil.rmtree(FOLDER, ignore_errors=True)
"""


def with_hooks(site: Path, folder: Path, other: dict[str, Any] | None = None) -> None:
    write(site / "hooks.py", HOOKS.format(folder=str(folder), other=other))
    (site / "mkdocs.yml").write_text((site / "mkdocs.yml").read_text() + "hooks:\n  - hooks.py\n")


def test_a_cache_folder_removed_during_the_build(tmp_path: Path,
                                                 fresh_three: dict[str, bytes]) -> None:
    """The folder goes while pages are written and again before the charts are saved (as a
    `rm -rf` or a CI cache step would): no crash, the right site, with a cache or without."""
    site = site_with_three_journeys(tmp_path)
    folder = site / ".cache" / "journeys"
    with_hooks(site, folder)
    for _ in range(2):  # with no cache, then with one that goes
        strict_build(site)
        assert built_pages(site) == fresh_three
    strict_build(site)
    assert built_pages(site) == fresh_three


def test_builds_of_different_code_sharing_a_folder(tmp_path: Path,
                                                   fresh_three: dict[str, bytes]) -> None:
    """Another version of the plugin (another fingerprint) builds into the same cache folder
    in the middle of this build, then after it, then both at once: none breaks another."""
    import mkdocs_journey_plugin

    shared = tmp_path / "shared-cache"
    other_code = tmp_path / "other-code"
    shutil.copytree(Path(mkdocs_journey_plugin.__file__).parent,
                    other_code / "mkdocs_journey_plugin",
                    ignore=shutil.ignore_patterns("__pycache__"))
    with (other_code / "mkdocs_journey_plugin" / "__init__.py").open("a") as init:
        init.write("# another version of the code: another fingerprint\n")
    sites = []
    for name in ("this", "other"):
        site = site_with_three_journeys(tmp_path / name)
        (site / "mkdocs.yml").write_text((site / "mkdocs.yml").read_text().replace(
            "  - journeys\n", f"  - journeys:\n      cache_dir: {shared}\n"))
        sites.append(site)
    this, other = sites
    env = {**os.environ, "PYTHONPATH": str(other_code)}
    log = tmp_path / "other.log"
    with_hooks(this, shared, {"site": str(other), "env": env, "log": str(log)})
    strict_build(this)
    assert built_pages(this) == fresh_three
    other_log = log.read_text()
    assert "exit status 0" in other_log, other_log
    # This build had saved its readings: the other code read every file anew.
    assert "read 4 content files anew, 0 unchanged" in other_log
    assert built_pages(other) == fresh_three
    second = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=other,
                            env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert built_pages(other) == fresh_three
    (this / "hooks.py").write_text("")  # and now both at once
    both = [subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site,
                             env=environment, stderr=subprocess.PIPE, text=True)
            for site, environment in ((this, dict(os.environ)), (other, env))]
    for process in both:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    assert built_pages(this) == fresh_three and built_pages(other) == fresh_three


TRICKY_JOURNEY = """\
title: Numbers, lists and default ids
persona: eva
teams: [Desk]
tags: [laptops, 2027]
expectations:
stages:
  - name: Ask
    touchpoints:
      - action: Calls the desk
        channel: phone
        emotion: [1, -0.5, 2]
        duration: 3 days
        feeling: 1.50
      - action: Calls the desk
        channel: phone
        emotion: -2
      - action: "!!!"
        channel: 42
        backstage: true
        team: Desk
opportunities:
  - title: Call back
    touchpoints: [calls-the-desk-2]
  - title: Call back
    touchpoints: [touchpoint-3]
    priority: wont
    status: done
notes: |
  Body in **Markdown**.
"""


def content_folders() -> list[Path]:
    root = Path(__file__).resolve().parent.parent
    return [root / "content", *sorted(root.glob("examples/*/content")),
            *sorted(root.glob("tests/fixtures/*/*/content"))]


@pytest.mark.parametrize("folder", content_folders(), ids=lambda p: p.parent.name)
def test_a_stored_reading_is_the_fresh_reading(tmp_path: Path, folder: Path) -> None:
    """Every model, body and line mark read back from the cache equals a fresh reading of the
    same files: example content, fixtures, and a file of numbers in text fields, interview
    lists and default ids."""
    content = tmp_path / "content"
    shutil.copytree(folder, content)
    write(content / "personas" / "eva.md", PERSONA)
    write(content / "journeys" / "tricky.yml", TRICKY_JOURNEY)
    write(content / "roadmap.yml", ROADMAP) if not (content / "roadmap.yml").exists() else None
    fresh, problems = load_catalog(content)
    assert problems == []
    first = ModelCache(tmp_path / "cache")
    load_catalog(content, stored=first)
    first.save()
    stored = ModelCache(tmp_path / "cache")
    cached, problems = load_catalog(content, stored=stored)
    assert problems == [] and stored.fresh == 0 and stored.reused == first.fresh
    assert stored.shelf.notes() == []
    for kind in ("journeys", "personas"):
        for ident, entry in getattr(fresh, kind).items():
            again = getattr(cached, kind)[ident]
            model = getattr(entry, kind[:-1])
            assert again == entry, ident
            assert getattr(again, kind[:-1]).model_fields_set == model.model_fields_set
            assert getattr(again, kind[:-1]).model_dump() == model.model_dump()
            assert (again.source.values, again.source.keys) == (entry.source.values,
                                                                entry.source.keys)
    assert cached.roadmap == fresh.roadmap
    tricky = cached.journeys["tricky"].journey
    assert tricky.stages[0].touchpoints[0].duration == "3 days"
    assert tricky.stages[0].touchpoints[0].feeling == "1.50"
    assert [t.id for t in tricky.touchpoints] == ["calls-the-desk", "calls-the-desk-2",
                                                  "touchpoint-3"]
    assert [o.id for o in tricky.opportunities] == ["call-back", "call-back-2"]
