"""Text measuring and wrapping: real DejaVu Sans widths, and lines that never leave their box."""

from __future__ import annotations

import importlib.util
import itertools
import json
from importlib.resources import files
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_journey_plugin.render.svg import Canvas, Frame, Text, keep_hyphen_with_word
from mkdocs_journey_plugin.render.text import (
    ELLIPSIS,
    _graphemes,
    fit,
    line_height,
    text_width,
    wrap,
)

ROOT = Path(__file__).resolve().parent.parent
TABLE = files("mkdocs_journey_plugin.render").joinpath("metrics/dejavu-sans.json")


def non_space(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def assert_in_box(lines: list[str], width: float, size: float, bold: bool = False) -> None:
    for line in lines:
        assert line, lines
        assert text_width(line, size, bold) <= width or len(_graphemes(line)) == 1, line
        assert not line[0].isspace() and not line[-1].isspace(), line


def assert_greedy(lines: list[str], width: float, size: float) -> None:
    """Each line took as many words as fit: the next line's first word would not have."""
    for line, following in itertools.pairwise(lines):
        assert text_width(f"{line} {following.split()[0]}", size) > width, (line, following)


# Widths -----------------------------------------------------------------------------------
# Font units below are DejaVu Sans 2.37's (2048 per em), as fontTools reads them; the table
# keeps 1/1000 em rounded up.


def test_advances_of_the_regular_font() -> None:
    assert text_width("M", 1000) == 863  # 1767 / 2048 em = 862.79
    assert text_width("i", 1000) == 278  # 569 / 2048 em = 277.83
    assert text_width(" ", 1000) == 318  # 651
    assert text_width("Mi", 16) == pytest.approx((863 + 278) * 16 / 1000)  # 18.256 px


def test_advances_of_the_bold_font() -> None:
    assert text_width("M", 1000, bold=True) == 996  # 2038
    assert text_width("i", 1000, bold=True) == 343  # 702
    assert text_width("M", 1000, True) == text_width("M", 1000, bold=True)


def test_advances_of_accented_latin_and_hebrew() -> None:
    assert text_width("ő", 1000) == 612  # 1253
    assert text_width("ű", 1000) == 634  # 1298
    assert text_width("ł", 1000) == 285  # 582
    assert text_width("ż", 1000) == 525  # 1075
    assert text_width("ś", 1000) == 521  # 1067
    assert text_width("א", 1000) == 669  # 1369
    assert text_width("ő", 1000, bold=True) == 688  # 1407
    assert text_width("\u2026", 1000) == 1000  # the ellipsis, 2048


def test_positive_kerning_is_added_and_negative_ignored() -> None:
    # The font moves J away from a hyphen by 114 units (56/1000 em, rounded up).
    assert text_width("-J", 1000) == 361 + 295 + 56
    assert text_width("J-", 1000) == 295 + 361
    # "AV" kerns tighter in the font; the table keeps the wider, unkerned sum.
    assert text_width("AV", 1000) == text_width("A", 1000) + text_width("V", 1000)


def test_characters_outside_the_table() -> None:
    assert text_width("中", 10) == 10.0  # wide: 1 em
    assert text_width("한", 10) == 10.0
    assert text_width("\uff21", 10) == 10.0  # fullwidth A
    assert text_width("e\u0301", 10) == text_width("e", 10)  # combining accent: nothing
    assert text_width("\u05e9\u05c1\u05b8", 10) == text_width("\u05e9", 10)  # Hebrew points
    for invisible in "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff":
        assert text_width(invisible, 10) == 0.0
    # Anything else counts as the widest Latin capital in the table, DZ with caron: a safe
    # over-estimate, above even a colour emoji's 1.25 em.
    widest = text_width("\u01c4", 1000)
    assert widest == 1422  # 2912
    assert widest >= text_width("W", 1000)
    assert text_width("\u0e01", 1000) == widest  # Thai
    assert text_width("\U0001f600", 1000) == widest  # emoji: wide, but not 1 em
    assert text_width("\U0001f600", 1000, bold=True) == text_width("\u01c4", 1000, bold=True)


def test_width_scales_with_size_and_empty_text_is_nothing() -> None:
    assert text_width("", 14) == 0.0
    assert text_width("Journey", 28) == pytest.approx(2 * text_width("Journey", 14))


def test_line_height() -> None:
    assert line_height(16) == 20.0
    assert line_height(12) == 15.0


def test_table_is_small_and_well_formed() -> None:
    raw = TABLE.read_bytes()
    assert len(raw) < 100_000
    table = json.loads(raw)
    assert table["units_per_em"] == 1000
    assert "DejaVu Sans 2.37" in table["font"]
    assert "Bitstream" in table["license"]
    for style in ("regular", "bold"):
        starts = [start for start, _ in table[style]]
        assert starts == sorted(starts)
        assert all(isinstance(w, int) and 0 <= w <= 3000 for _, ws in table[style] for w in ws)


def _font_widths_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("font_widths", ROOT / "tools" / "font_widths.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_table_is_what_the_tool_writes_from_the_fonts() -> None:
    """fontTools comes with the test extras (not the plugin); `make test` installs the fonts."""
    tool = _font_widths_tool()
    missing = [str(path) for path in tool.FONTS.values() if not path.exists()]
    assert missing == [], "install Debian's fonts-dejavu-core (make browser does)"
    table = tool.build_table()
    tool.verify(table)
    assert tool.dump(table) == TABLE.read_text(encoding="utf-8")


# Wrapping ---------------------------------------------------------------------------------

ENGLISH = (
    "The customer calls the service desk because the laptop order form is nowhere to be found."
)
HUNGARIAN = "Az ügyfél felhívja az ügyfélszolgálatot, mert nem találja a hűségprogram űrlapját."
POLISH = "Klient dzwoni na infolinię, bo łącze źle działa, a żółta lampka świeci."
HEBREW = "הלקוח מתקשר למוקד השירות כי טופס ההזמנה של המחשב הנייד לא נמצא באתר."
HEBREW_POINTED = "שָׁלוֹם, הַלָּקוֹחַ מִתְקַשֵּׁר לַמּוֹקֵד"
CJK = "顧客はノートパソコンの注文フォームが見つからないため、サービスデスクに電話します。"


def test_english_sentence() -> None:
    lines = wrap(ENGLISH, 120, 14)
    assert lines == [
        "The customer",
        "calls the service",
        "desk because",
        "the laptop order",
        "form is nowhere",
        "to be found.",
    ]
    assert_in_box(lines, 120, 14)
    assert_greedy(lines, 120, 14)


def test_bold_is_wider_and_wraps_sooner() -> None:
    regular, bold = wrap(ENGLISH, 120, 14), wrap(ENGLISH, 120, 14, bold=True)
    assert_in_box(bold, 120, 14, bold=True)
    assert len(bold) >= len(regular)
    assert text_width(ENGLISH, 14, bold=True) > text_width(ENGLISH, 14)


@pytest.mark.parametrize("text", [HUNGARIAN, POLISH, HEBREW])
@pytest.mark.parametrize("width", [80, 120, 200])
def test_sentences_in_other_languages(text: str, width: float) -> None:
    lines = wrap(text, width, 14)
    assert_in_box(lines, width, 14)
    assert_greedy(lines, width, 14)
    # Words wider than the box are the only ones broken; every other word stays whole.
    words = {w for w in text.split() if text_width(w, 14) <= width}
    kept = {w for line in lines for w in line.split()}
    assert words <= kept
    assert non_space("".join(lines)) == non_space(text)


def test_hungarian_double_acute_letters_are_in_the_table() -> None:
    # DejaVu puts accents over the advance of the bare letter; a letter missing from the
    # table would instead count as the 1.4 em of an unknown character.
    assert text_width("űrlapját hűség Ő", 14) == text_width("urlapjat huseg O", 14)
    assert text_width("ő", 14) < text_width("\u0e01", 14)
    lines = wrap(HUNGARIAN, 120, 14)
    assert lines[0] == "Az ügyfél"
    assert "hűségprogram" in lines
    # "ügyfélszolgálatot," alone is wider than the box, so it is the one word broken.
    assert lines[2:4] == ["ügyfélszolgálato", "t, mert nem"]


def test_polish_letters() -> None:
    lines = wrap(POLISH, 120, 14)
    assert lines == [
        "Klient dzwoni na",
        "infolinię, bo",
        "łącze źle działa,",
        "a żółta lampka",
        "świeci.",
    ]
    assert_in_box(lines, 120, 14)


def test_hebrew_keeps_logical_order_and_points_stay_on_their_letters() -> None:
    assert wrap(HEBREW, 120, 14)[0] == "הלקוח מתקשר"
    for width in (20, 40, 60, 100):
        lines = wrap(HEBREW_POINTED, width, 14)
        assert_in_box(lines, width, 14)
        assert non_space("".join(lines)) == non_space(HEBREW_POINTED)
        for line in lines:
            assert not "\u0591" <= line[0] <= "\u05c7", line  # no line starts with a point


def test_mixed_hebrew_and_latin() -> None:
    text = "המשתמש פותח את Service Desk ושולח e-mail למוקד"
    lines = wrap(text, 90, 14)
    assert_in_box(lines, 90, 14)
    assert " ".join(lines) == text


def test_cjk_breaks_between_characters() -> None:
    lines = wrap(CJK, 120, 14)  # 14 px each, so 8 to a line
    assert lines == [
        "顧客はノートパソ",
        "コンの注文フォー",
        "ムが見つからない",
        "ため、サービスデ",
        "スクに電話しま",
        "す。",
    ]
    assert_in_box(lines, 120, 14)


def test_cjk_punctuation_never_starts_a_line() -> None:
    # From three characters a line up; in a narrower box a character would have to stand
    # out of it instead (a closing mark stays with the character before it).
    for width in range(42, 200, 7):
        lines = wrap(CJK, width, 14)
        assert_in_box(lines, width, 14)
        assert "".join(lines) == CJK
        assert not any(line[0] in "、。ーッ" for line in lines), lines


def test_cjk_next_to_latin() -> None:
    lines = wrap("使用Python处理数据。", 60, 14)
    assert "Python" in lines[0] + lines[1]
    assert all(line[0] != "。" for line in lines)
    assert "".join(lines) == "使用Python处理数据。"


def test_a_word_of_200_characters_is_broken_between_characters() -> None:
    word = "Ügyfélszolgálat" * 13 + "abcde"
    assert len(word) == 200
    lines = wrap(word, 150, 14)
    assert "".join(lines) == word
    assert_in_box(lines, 150, 14)
    for line, following in itertools.pairwise(lines):
        assert text_width(line + following[0], 14) > 150  # each line is as full as it can be


def test_a_long_word_starts_on_a_new_line() -> None:
    lines = wrap("See https://intranet.example.com/service-desk/laptop-order-form-2024", 150, 14)
    assert lines[0] == "See"
    assert_in_box(lines, 150, 14)


def test_hyphens_between_letters_allow_a_break() -> None:
    assert wrap("e-mail-címet", 55, 14) == ["e-mail-", "címet"]
    assert wrap("e-mail-címet", 40, 14)[0] == "e-"
    # Not in front of a number, nor between hyphens.
    assert wrap("-12345678", 50, 14)[0] != "-"
    assert "--" in "".join(wrap("a--b", 1, 14))


def test_accents_stay_with_their_letters_in_a_broken_word() -> None:
    word = "e\u0301" * 30  # é as e plus a combining acute
    for line in wrap(word, 40, 14):
        assert line[0] == "e" and line[-1] == "\u0301"


def test_emoji_sequences_are_not_split() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    thumb = "\U0001f44d\U0001f3fd"
    flag = "\U0001f1ed\U0001f1fa"
    lines = wrap(family + thumb + flag + flag, 1, 14)
    assert lines == [family, thumb, flag, flag]


def test_spaces() -> None:
    assert wrap("", 100, 14) == []
    assert wrap(" \t\n\u00a0\u3000 ", 100, 14) == []
    assert wrap("  two \t\n  words  ", 500, 14) == ["two words"]
    # No-break spaces hold their words together.
    assert wrap("10\u00a0000\u00a0Ft and more", 80, 14)[0] == "10\u00a0000\u00a0Ft"
    # ...but at either end of a line they are only space.
    assert wrap("\u00a0Ft\u00a0 \u00a0", 80, 14) == ["Ft"]


def test_zero_width_space_allows_a_break_and_is_kept() -> None:
    lines = wrap("Kundenzufriedenheit\u200bsbefragung", 150, 14)
    assert lines == ["Kundenzufriedenheit\u200b", "sbefragung"]


def test_a_character_wider_than_the_box_stands_alone() -> None:
    assert wrap("WWW", 5, 14) == ["W", "W", "W"]
    assert wrap("ab cd", 0, 14) == ["a", "b", "c", "d"]


# Fitting into a number of lines -------------------------------------------------------------


def test_fit_without_cut_is_wrap() -> None:
    assert fit(ENGLISH, 120, 14, 6) == wrap(ENGLISH, 120, 14)
    assert fit(ENGLISH, 1000, 14, 1) == [ENGLISH]
    assert fit("", 120, 14, 2) == []


def test_fit_cuts_the_last_line_and_adds_an_ellipsis() -> None:
    lines = fit(ENGLISH, 120, 14, 2)
    assert lines == ["The customer", "calls the servic\u2026"]
    assert_in_box(lines, 120, 14)


def test_fit_in_other_scripts() -> None:
    for text in (HUNGARIAN, POLISH, HEBREW, CJK):
        lines = fit(text, 100, 14, 2, bold=True)
        assert len(lines) == 2 and lines[-1].endswith(ELLIPSIS)
        assert_in_box(lines, 100, 14, bold=True)


def test_fit_drops_a_trailing_space_before_the_ellipsis() -> None:
    for width in range(40, 140, 3):
        for line in fit(ENGLISH, width, 14, 1):
            assert not line.removesuffix(ELLIPSIS).endswith(" ")


def test_fit_in_a_box_too_small_for_anything() -> None:
    assert fit("abc def", 1, 14, 1) == [ELLIPSIS]
    with pytest.raises(ValueError):
        fit("abc", 100, 14, 0)


# Properties over random text --------------------------------------------------------------

LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:!?()'\"-\u2013\u2014/"
ACCENTED = "őűŐŰáéíóöüúÁÉłżźśćńąęŁŻŚ"
COMBINING = "\u0301\u0308\u030b\u0327\u0328\u20dd"
HEBREW_CHARS = "אבגדהוזחטיכךלמםנןסעפףצץקרשת\u05b0\u05b4\u05b8\u05bc\u05c1\u05be"
CJK_CHARS = "顧客ノートの注文、。「」中文데스크한국어ー\u3000"
EMOJI = "\U0001f600\U0001f44d\U0001f3fd\U0001f1ed\U0001f1fa\u200d\u2764\ufe0f\u2705"
SPACES = " \t\n\u00a0\u200b\u2009"

alphabet = st.one_of(
    st.sampled_from(LATIN + ACCENTED + COMBINING + HEBREW_CHARS + CJK_CHARS + EMOJI + SPACES),
    st.characters(exclude_categories=["Cs"]),
)
texts = st.text(alphabet, max_size=120)
widths = st.floats(min_value=1, max_value=400, allow_nan=False)
sizes = st.floats(min_value=6, max_value=40, allow_nan=False)


@settings(max_examples=400, deadline=None)
@given(texts, widths, sizes, st.booleans())
def test_every_line_fits_and_nothing_is_lost(
    text: str, width: float, size: float, bold: bool
) -> None:
    lines = wrap(text, width, size, bold)
    assert_in_box(lines, width, size, bold)
    assert non_space("".join(lines)) == non_space(text)
    if not text.strip():
        assert lines == []


@settings(max_examples=300, deadline=None)
@given(texts, widths, sizes, st.integers(min_value=1, max_value=5), st.booleans())
def test_fit_keeps_to_its_lines(
    text: str, width: float, size: float, max_lines: int, bold: bool
) -> None:
    wrapped = wrap(text, width, size, bold)
    lines = fit(text, width, size, max_lines, bold)
    assert len(lines) <= max_lines
    assert_in_box(lines, width, size, bold)
    if len(wrapped) <= max_lines:
        assert lines == wrapped  # nothing dropped, so no ellipsis added
    else:
        assert len(lines) == max_lines
        assert lines[:-1] == wrapped[: max_lines - 1]
        assert lines[-1].endswith(ELLIPSIS)
        assert wrapped[max_lines - 1].startswith(lines[-1].removesuffix(ELLIPSIS))


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(LATIN + ACCENTED + HEBREW_CHARS + " "), max_size=60), sizes)
def test_width_is_never_less_than_the_sum_of_parts(text: str, size: float) -> None:
    parts = sum(text_width(ch, size) for ch in text)
    assert text_width(text, size) >= parts - 1e-9
    for cut in range(len(text) + 1):
        assert text_width(text[:cut], size) <= text_width(text, size) + 1e-9


def test_a_latin_hyphen_at_a_line_end_stays_with_its_word_in_right_to_left_text() -> None:
    """'e-' at the end of a Hebrew line would show as '-e': a left-to-right mark holds it."""
    assert keep_hyphen_with_word("שולח e-") == "שולח e-\u200e"
    assert keep_hyphen_with_word("Kávé-") == "Kávé-\u200e"
    assert keep_hyphen_with_word("מסע־") == "מסע־"  # a maqaf belongs to the Hebrew word
    assert keep_hyphen_with_word("e-mail") == "e-mail"
    frame = Frame(200, "rtl")
    canvas = Canvas(frame, 50, "t")
    canvas.text(Text(("שולח e-", "mail"), 10, 20, 12, "x", "start"))
    assert "e-\u200e</tspan>" in canvas.drawing.tostring()
