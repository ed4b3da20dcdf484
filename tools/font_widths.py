"""Write the glyph width table that `render/text.py` wraps text with.

Run by hand when the table should change, never at build time:

    .venv/bin/pip install fonttools        # a tool for this script only, not a dependency
    .venv/bin/python tools/font_widths.py  # reads Debian's fonts-dejavu-core

Why DejaVu Sans: it is free, everywhere on Linux, and its letters are wider than those of
Helvetica, Arial, Roboto, Segoe UI and San Francisco, so a line measured with it still fits
when the browser draws it in one of those. Why a table and not the font: the plugin must not
read a font file (or depend on a font library) on every build machine.

The table holds advance widths in 1/1000 em, rounded up so that a sum of them is never less
than the font's own sum. Kerning: the font's negative pairs are left out (they only make text
narrower, so ignoring them over-estimates); its few positive pairs are kept, so that a width
from the table is never less than the width the font gives with kerning on. Ligatures and
other shaping are ignored (in DejaVu Sans they do not make Latin or Hebrew text wider).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"regular": FONT_DIR / "DejaVuSans.ttf", "bold": FONT_DIR / "DejaVuSans-Bold.ttf"}
OUTPUT = ROOT / "mkdocs_journey_plugin" / "render" / "metrics" / "dejavu-sans.json"
UNITS_PER_EM = 1000

# Scripts that journey maps are written in here, and the punctuation they use. CJK is left
# out on purpose: DejaVu has none, and `text.py` counts wide characters as 1 em.
RANGES: list[tuple[str, int, int]] = [
    ("Basic Latin", 0x0020, 0x007E),
    ("Latin-1 Supplement", 0x00A0, 0x00FF),
    ("Latin Extended-A", 0x0100, 0x017F),
    ("Latin Extended-B", 0x0180, 0x024F),
    ("Greek and Coptic", 0x0370, 0x03FF),
    ("Cyrillic", 0x0400, 0x04FF),
    ("Hebrew", 0x0590, 0x05FF),
    ("General Punctuation", 0x2000, 0x206F),
    ("Currency Symbols", 0x20A0, 0x20CF),
    ("Arrows", 0x2190, 0x21FF),
]
# Symbols the maps use that the ranges above may not hold (only the minus sign, today).
# bullet, ellipsis, quotes, en and em dash, right arrow, multiplication and minus sign
EXTRA = "\u2022\u2026\u201c\u201d\u2018\u2019\u2013\u2014\u2192\u00d7\u2212"

LICENSE = (
    "Advance widths measured from DejaVu Sans 2.37 (Debian fonts-dejavu-core). "
    "DejaVu fonts: Copyright (c) 2003 by Bitstream, Inc.; DejaVu changes are in the public "
    "domain; Bitstream Vera license. This file holds numbers only, no glyphs."
)


def wanted_codepoints() -> list[int]:
    """Every codepoint whose width the table should hold, mapped by the font or not."""
    points = {cp for _, start, end in RANGES for cp in range(start, end + 1)}
    points.update(ord(ch) for ch in EXTRA)
    return sorted(points)


def em1000(value: int, units_per_em: int) -> int:
    """Font units to 1/1000 em, rounded up: summed widths must never come out too small."""
    return -(-value * UNITS_PER_EM // units_per_em)


def advances(font: Any, points: Iterable[int]) -> dict[int, int]:
    """Advance width in 1/1000 em of each of `points` that the font maps."""
    cmap: dict[int, str] = font.getBestCmap()
    metrics: dict[str, tuple[int, int]] = font["hmtx"].metrics
    upem: int = font["head"].unitsPerEm
    return {cp: em1000(metrics[cmap[cp]][0], upem) for cp in points if cp in cmap}


def positive_kerns(font: Any, points: Iterable[int]) -> dict[tuple[int, int], int]:
    """Pairs of `points` whose GPOS `kern` adjustment, summed over lookups, is positive.

    Every lookup of every script's `kern` feature counts, each with its positive part only,
    so the value is an upper bound whatever script and language the browser picks.
    """
    cmap: dict[int, str] = font.getBestCmap()
    upem: int = font["head"].unitsPerEm
    by_glyph: dict[str, list[int]] = defaultdict(list)
    for cp in points:
        if cp in cmap:
            by_glyph[cmap[cp]].append(cp)
    gpos = font["GPOS"].table
    lookups = sorted(
        {
            index
            for record in gpos.FeatureList.FeatureRecord
            if record.FeatureTag == "kern"
            for index in record.Feature.LookupListIndex
        }
    )
    extra: dict[tuple[str, str], int] = defaultdict(int)
    for index in lookups:
        lookup = gpos.LookupList.Lookup[index]
        if lookup.LookupType != 2:
            sys.exit(f"kern lookup {index} is of type {lookup.LookupType}; only 2 is handled")
        for sub in lookup.SubTable:
            for (first, second), value in _pair_values(sub).items():
                if value > 0 and first in by_glyph and second in by_glyph:
                    extra[first, second] += value
    return {
        (left, right): em1000(value, upem)
        for (first, second), value in extra.items()
        for left in by_glyph[first]
        for right in by_glyph[second]
    }


def _pair_values(sub: Any) -> dict[tuple[str, str], int]:
    """The x-advance adjustment of the first glyph of each pair in one PairPos subtable."""

    def x_advance(record: Any) -> int:
        value = getattr(record, "Value1", None)
        return int(getattr(value, "XAdvance", 0) or 0) if value is not None else 0

    pairs: dict[tuple[str, str], int] = {}
    if sub.Format == 1:
        for first, pair_set in zip(sub.Coverage.glyphs, sub.PairSet, strict=True):
            for record in pair_set.PairValueRecord:
                pairs[first, record.SecondGlyph] = x_advance(record)
        return pairs
    if sub.Format != 2:
        sys.exit(f"PairPos format {sub.Format} is not handled")
    second_classes: dict[int, list[str]] = defaultdict(list)
    for glyph, klass in sub.ClassDef2.classDefs.items():
        second_classes[klass].append(glyph)
    for first in sub.Coverage.glyphs:
        row = sub.Class1Record[sub.ClassDef1.classDefs.get(first, 0)]
        for klass, record in enumerate(row.Class2Record):
            value = x_advance(record)
            if value > 0 and klass == 0:
                # Class 0 is "every other glyph"; DejaVu never kerns it, and expanding it
                # would need the whole glyph list. Refuse rather than drop a positive pair.
                sys.exit(f"positive kern against class 0 after {first}: not handled")
            for second in second_classes.get(klass, []):
                pairs[first, second] = value
    return pairs


def runs(widths: dict[int, int]) -> list[list[Any]]:
    """Compact widths into [start, [w, w, ...]] runs of consecutive codepoints."""
    out: list[list[Any]] = []
    for cp in sorted(widths):
        if out and out[-1][0] + len(out[-1][1]) == cp:
            out[-1][1].append(widths[cp])
        else:
            out.append([cp, [widths[cp]]])
    return out


def font_version(font: Any) -> str:
    name = font["name"]
    family = str(name.getDebugName(4))
    version = str(name.getDebugName(5)).removeprefix("Version ").strip()
    return f"{family} {version}"


def build_table(fonts: dict[str, Path] = FONTS) -> dict[str, Any]:
    """The whole table as written to the JSON file (also used by the tests to re-check it)."""
    points = wanted_codepoints()
    table: dict[str, Any] = {
        "font": "",
        "license": LICENSE,
        "units_per_em": UNITS_PER_EM,
        "rounding": "advances and kerns in 1/1000 em, rounded up",
        "kerning": (
            "negative kerning ignored (it only narrows text); kern_plus lists the font's "
            "positive GPOS kern pairs [left, right, extra]"
        ),
        "ranges": [f"{name} U+{start:04X}-U+{end:04X}" for name, start, end in RANGES],
    }
    names = []
    kerns: dict[str, list[list[int]]] = {}
    for style, path in fonts.items():
        font = TTFont(path)
        names.append(font_version(font))
        table[style] = runs(advances(font, points))
        kerns[style] = [
            [left, right, value]
            for (left, right), value in sorted(positive_kerns(font, points).items())
        ]
    table["font"] = "; ".join(names)
    table["kern_plus"] = kerns
    return table


def dump(table: dict[str, Any]) -> str:
    """JSON with one run or kern pair list per line: small, and a change gives a readable diff."""

    def compact(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    entries = []
    for key, value in table.items():
        if key in ("regular", "bold"):
            inner = ",\n".join("  " + compact(run) for run in value)
            entries.append(f"{compact(key)}:[\n{inner}\n]")
        elif key == "kern_plus":
            inner = ",\n".join(f"  {compact(k)}:{compact(pairs)}" for k, pairs in value.items())
            entries.append(f"{compact(key)}:{{\n{inner}\n}}")
        else:
            entries.append(f"{compact(key)}:{compact(value)}")
    return "{\n" + ",\n".join(entries) + "\n}\n"


def verify(table: dict[str, Any], fonts: dict[str, Path] = FONTS) -> None:
    """Re-read each font and check every stored width against it, independently of `runs`."""
    for style, path in fonts.items():
        font = TTFont(path)
        cmap: dict[int, str] = font.getBestCmap()
        metrics: dict[str, tuple[int, int]] = font["hmtx"].metrics
        upem: int = font["head"].unitsPerEm
        stored = {
            start + offset: width
            for start, widths in table[style]
            for offset, width in enumerate(widths)
        }
        for cp, width in stored.items():
            exact = metrics[cmap[cp]][0] * UNITS_PER_EM / upem
            if not exact <= width < exact + 1:
                sys.exit(f"{style} U+{cp:04X}: stored {width}, font says {exact:.2f}")
        missing = [cp for cp in wanted_codepoints() if cp in cmap and cp not in stored]
        if missing:
            sys.exit(f"{style}: mapped but not stored: {missing[:10]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    table = build_table()
    verify(table)
    text = dump(table)
    json.loads(text)  # the hand-made layout must still be JSON
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(text.encode('utf-8'))} bytes) from {table['font']}")
    for style in ("regular", "bold"):
        count = sum(len(widths) for _, widths in table[style])
        print(
            f"  {style}: {count} codepoints in {len(table[style])} runs, "
            f"{len(table['kern_plus'][style])} positive kern pairs"
        )
    for ch in "Mi őłא—":
        widths = []
        for style in ("regular", "bold"):
            for start, run in table[style]:
                if start <= ord(ch) < start + len(run):
                    widths.append(str(run[ord(ch) - start]))
        print(f"  U+{ord(ch):04X} {ch!r}: regular/bold {'/'.join(widths)} per 1000 em")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
