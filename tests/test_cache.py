"""The chart cache: a second build draws only what changed (counted, not timed)."""

from __future__ import annotations

import re
from pathlib import Path

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


def cached_files(site: Path) -> set[Path]:
    return set((site / ".cache" / "journeys").glob("*/*.svg"))


def test_second_build_with_one_changed_journey_draws_one_map(tmp_path: Path) -> None:
    site = site_with_three_journeys(tmp_path)
    first = build(site)
    assert first["journey_map"] == 3 and first["reused"] > 0  # a sparkline shows twice
    assert build(site) == {"total": 0, "reused": first["total"] + first["reused"]}
    changed = site / "content" / "journeys" / "two.md"
    changed.write_text(changed.read_text().replace("emotion: -1", "emotion: -2"))
    third = build(site)
    assert third["journey_map"] == 1
    assert third["sparkline"] == 1
    assert (site / "site" / "journeys" / "two" / "index.html").read_text().count(
        "journey-map") > 0


def test_options_and_removed_journeys(tmp_path: Path) -> None:
    site = site_with_three_journeys(tmp_path)
    build(site)
    before = cached_files(site)
    (site / "mkdocs.yml").write_text((site / "mkdocs.yml").read_text().replace(
        "  - journeys\n", "  - journeys:\n      emotion_scale: [-3, 3]\n"))
    assert build(site)["journey_map"] == 3  # another scale: every map drawn anew
    after = cached_files(site)
    assert not before & after  # drawings this build did not use are pruned
    (site / "content" / "journeys" / "three.md").unlink()
    assert build(site).get("journey_map", 0) == 0
    assert len(cached_files(site)) < len(after)


def test_cache_can_be_switched_off(tmp_path: Path) -> None:
    site = site_with_three_journeys(tmp_path)
    (site / "mkdocs.yml").write_text((site / "mkdocs.yml").read_text().replace(
        "  - journeys\n", "  - journeys:\n      cache: false\n"))
    assert build(site)["journey_map"] == 3
    assert build(site)["journey_map"] == 3
    assert not (site / ".cache").exists()


def test_cached_and_fresh_pages_are_the_same(tmp_path: Path) -> None:
    site = site_with_three_journeys(tmp_path)
    build(site)
    fresh = (site / "site" / "journeys" / "one" / "index.html").read_bytes()
    build(site)
    assert (site / "site" / "journeys" / "one" / "index.html").read_bytes() == fresh
