"""Measure and wrap text for the SVG renderers, with real font metrics.

SVG has no line breaking, so every label is broken into lines here, before it is drawn.
Widths come from a table of DejaVu Sans advances (`metrics/dejavu-sans.json`, written by
`tools/font_widths.py`), the first font of the maps' stylesheet and wider than the usual
fallbacks, so a line that fits by this module's count also fits on screen. Counting
characters would not: "WWW" is three times as wide as "iii".

Every estimate here errs on the wide side: a label that wraps one word early is fine, a label
that runs out of its box is not.

Text is handled in logical (typing) order whatever its direction: Hebrew lines are broken
exactly like Latin ones, and the renderer sets the direction when it draws them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

__all__ = ["ELLIPSIS", "fit", "line_height", "text_width", "wrap"]

ELLIPSIS = "\u2026"
_METRICS = "metrics/dejavu-sans.json"
_EM = 1000  # the table's units per em

# Format characters that draw nothing and take no room: zero-width space and joiners,
# direction marks and embeddings, word joiner and invisible operators, isolates, the BOM,
# and emoji tag characters.
_ZERO_WIDTH = frozenset(
    [
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2065),
        *range(0x2066, 0x2070),
        0xFEFF,
        0xE0001,
        *range(0xE0020, 0xE0080),
    ]
)
_ZWJ = "\u200d"
_ZWSP = "\u200b"

# Blocks whose characters browsers draw from a colour emoji font. Noto Color Emoji advances
# about 1.25 em, so the 1 em given to other wide characters would be too little; these are
# measured as unknown characters instead (see `_Metrics.unknown`).
_EMOJI_BLOCKS = ((0x2300, 0x23FF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x1F000, 0x1FAFF))

# Spaces that must not break a line ("10 000 Ft", "p. 5"): they stay inside their word.
_NO_BREAK_SPACES = "\u00a0\u2007\u202f"
_BREAKING_SPACE = re.compile(rf"[^\S{_NO_BREAK_SPACES}]+")

# A line may break after one of these hyphens when letters stand on both sides
# ("e-mail-cím", Hebrew maqaf), as browsers do.
_HYPHENS = frozenset("-\u2010\u2013\u05be")

# Line-breaking rules of Chinese and Japanese (kinsoku): closing punctuation, small kana and
# the prolonged sound mark never start a line; opening brackets never end one.
_NO_LINE_START = frozenset(
    "!),.:;?]}\u00bb\u2019\u201d\u2026\u2025\u3001\u3002\u3005\u3009\u300b\u300d\u300f"
    "\u3011\u3015\u3017\u3019\u301b\u301e\u303b\u3041\u3043\u3045\u3047\u3049\u3063\u3083"
    "\u3085\u3087\u308e\u3095\u3096\u309d\u309e\u30a1\u30a3\u30a5\u30a7\u30a9\u30c3\u30e3"
    "\u30e5\u30e7\u30ee\u30f5\u30f6\u30fb\u30fc\u30fd\u30fe\uff01\uff09\uff0c\uff0e\uff1a"
    "\uff1b\uff1f\uff3d\uff5d\uff60\uff61\uff63\uff64\uff65"
)
_NO_LINE_END = frozenset(
    "([{\u00ab\u2018\u201c\u3008\u300a\u300c\u300e\u3010\u3014\u3016\u3018\u301a\u301d"
    "\uff08\uff3b\uff5b\uff5f\uff62"
)


@dataclass(frozen=True)
class _Metrics:
    """One style of the width table, in 1/1000 em."""

    advances: dict[int, int]
    kern_plus: dict[tuple[int, int], int]
    unknown: int


@cache
def _metrics(bold: bool) -> _Metrics:
    """The table of one style, read once per process from the package's data."""
    data = files("mkdocs_journey_plugin.render").joinpath(_METRICS).read_text(encoding="utf-8")
    raw = json.loads(data)
    if raw["units_per_em"] != _EM:
        raise ValueError(f"{_METRICS}: expected units_per_em {_EM}, got {raw['units_per_em']}")
    style = "bold" if bold else "regular"
    advances: dict[int, int] = {
        start + offset: int(width)
        for start, widths in raw[style]
        for offset, width in enumerate(widths)
    }
    kern_plus = {(int(a), int(b)): int(extra) for a, b, extra in raw["kern_plus"][style]}
    # A character the table does not know may come from any fallback font, so it counts as
    # the widest Latin capital the table holds (the DZ digraph, about 1.4 em): more than a
    # colour emoji (about 1.25 em) or a letter of most other scripts. This over-estimates on
    # purpose; such text wraps early rather than overflowing.
    unknown = max(
        width
        for cp, width in advances.items()
        if unicodedata.category(chr(cp)) == "Lu"
        and unicodedata.name(chr(cp), "").startswith("LATIN CAPITAL")
    )
    return _Metrics(advances, kern_plus, unknown)


@cache
def _is_zero_width(ch: str) -> bool:
    # Combining marks sit on the character before them: the shaper gives them no advance,
    # whatever the font's own advance for the mark says.
    return (
        ord(ch) in _ZERO_WIDTH
        or unicodedata.combining(ch) != 0
        or unicodedata.category(ch) in ("Mn", "Me")
    )


def _is_emoji_block(ch: str) -> bool:
    cp = ord(ch)
    return any(start <= cp <= end for start, end in _EMOJI_BLOCKS)


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _advance(ch: str, metrics: _Metrics) -> int:
    width = metrics.advances.get(ord(ch))
    if width is not None:
        return width
    if _is_wide(ch) and not _is_emoji_block(ch):
        return _EM  # CJK ideographs, kana, Hangul and fullwidth forms are square
    return metrics.unknown


@lru_cache(maxsize=1 << 16)  # words and labels repeat across a site's maps
def _units(text: str, bold: bool) -> int:
    """Width of `text` in 1/1000 em; whole numbers, so sums are exact and order-free."""
    metrics = _metrics(bold)
    total = 0
    previous: str | None = None
    for ch in text:
        if _is_zero_width(ch):
            continue  # and a mark does not keep the letters around it from kerning
        total += _advance(ch, metrics)
        if previous is not None:
            total += metrics.kern_plus.get((ord(previous), ord(ch)), 0)
        previous = ch
    return total


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in px of `text` drawn in one line at a font size of `size` px.

    The sum of the characters' advances, plus the font's few positive kerning pairs
    (negative ones are ignored: they only make text narrower). Characters the table lacks:
    wide East Asian ones count 1 em, marks and invisible format characters nothing, and
    anything else (emoji, other scripts) as the widest Latin capital, which is more than
    they take.
    """
    return _units(text, bold) * size / _EM


def line_height(size: float) -> float:
    """Distance in px between the baselines of two lines at font size `size` px."""
    return 1.25 * size


def _extends(cluster: str, ch: str) -> bool:
    """Whether `ch` belongs to the grapheme `cluster` before it, so no line may split them.

    An approximation of Unicode's extended grapheme clusters that covers what appears in
    labels: combining and spacing marks (accents, Hebrew points, Indic vowel signs), variation
    selectors, emoji modifiers, joiner sequences, tags, flag pairs and Hangul jamo.
    """
    cp = ord(ch)
    if cluster.endswith(_ZWJ):
        return True
    if (
        # Marks, joiners, direction marks, tags; a zero-width space too, so that it never
        # starts a line: the break it allows comes after it (see `_may_break`).
        _is_zero_width(ch)
        or unicodedata.category(ch) == "Mc"
        or 0x1F3FB <= cp <= 0x1F3FF  # skin tone modifiers
        or 0x1160 <= cp <= 0x11FF  # Hangul medial vowels and final consonants
        or 0xD7B0 <= cp <= 0xD7FF
    ):
        return True
    # Regional indicators pair up into flags: join the second of each pair to the first.
    return _is_regional(ch) and len(cluster) == 1 and _is_regional(cluster)


def _is_regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _graphemes(text: str) -> list[str]:
    """`text` cut into user-perceived characters, the smallest pieces a line may hold."""
    clusters: list[str] = []
    for ch in text:
        if clusters and _extends(clusters[-1], ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def _may_break(clusters: list[str], index: int) -> bool:
    """Whether a line may end just before `clusters[index]`, inside one word."""
    before, after = clusters[index - 1], clusters[index]
    if before.endswith(_ZWSP):
        return True
    if before[0] in _HYPHENS:
        # Only between letters: "e-mail" may part, "-5" and "--" may not.
        return index >= 2 and clusters[index - 2][0].isalpha() and after[0].isalpha()
    if after[0] in _NO_LINE_START or before[0] in _NO_LINE_END:
        return False
    # Chinese and Japanese are written without spaces: a line may end after any ideograph.
    return _is_wide(before[0]) or _is_wide(after[0])


def _pieces(word: str) -> list[str]:
    """`word` cut where a line may break inside it; each piece then goes whole onto a line."""
    clusters = _graphemes(word)
    pieces: list[str] = []
    for index, cluster in enumerate(clusters):
        if index == 0 or _may_break(clusters, index):
            pieces.append(cluster)
        else:
            pieces[-1] += cluster
    return pieces


def _break_long(piece: str, width: float, size: float, bold: bool) -> list[str]:
    """Cut a piece wider than the box between graphemes; a grapheme too wide stands alone."""
    lines: list[str] = []
    current = ""
    for cluster in _graphemes(piece):
        if current and text_width(current + cluster, size, bold) > width:
            lines.append(current)
            current = ""
        current += cluster
    if current:
        lines.append(current)
    return lines


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Break `text` into lines no wider than `width` px at font size `size` px.

    Greedy, like a browser: each line takes as many words as fit. Lines break at spaces
    (runs of white space count as one, and none, not even a no-break space, is kept at either
    end of a line), after a
    hyphen between letters, at a zero-width space, and between Chinese or Japanese characters.
    A word wider than the box is broken between characters, never inside one: an accent or a
    Hebrew point stays on its letter. Only a single character wider than the box (in a very
    narrow box) makes a line wider than `width`; it then stands alone. Empty text gives no
    lines.
    """
    return list(_wrapped(text, width, size, bold))


@lru_cache(maxsize=1 << 14)  # the same labels (teams, channels) wrap again and again
def _wrapped(text: str, width: float, size: float, bold: bool) -> tuple[str, ...]:
    lines: list[str] = []
    current = ""
    for word in _BREAKING_SPACE.split(text):
        for index, piece in enumerate(_pieces(word)):
            glue = " " if index == 0 else ""
            candidate = current + glue + piece if current else piece
            if text_width(candidate, size, bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            if text_width(piece, size, bold) <= width:
                current = piece
                continue
            *full, current = _break_long(piece, width, size, bold)
            lines.extend(full)
    if current:
        lines.append(current)
    # No-break spaces only hold words together; at either end of a line they are just space.
    return tuple(stripped for line in lines if (stripped := line.strip()))


def fit(text: str, width: float, size: float, max_lines: int, bold: bool = False) -> list[str]:
    """`wrap`, but at most `max_lines` lines; an ellipsis ends the last when text is left out.

    The last line is cut between characters (as CSS `text-overflow: ellipsis` does) until it
    and the ellipsis fit. The caller shows the whole text elsewhere (a tooltip, the table
    beside the map), so nothing is lost to the reader.
    """
    if max_lines < 1:
        raise ValueError(f"max_lines must be at least 1, got {max_lines}")
    lines = wrap(text, width, size, bold)
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    clusters = _graphemes(kept[-1])
    while clusters:
        last = "".join(clusters).rstrip()
        if last and text_width(last + ELLIPSIS, size, bold) <= width:
            break
        clusters.pop()
    kept[-1] = "".join(clusters).rstrip() + ELLIPSIS
    return kept
