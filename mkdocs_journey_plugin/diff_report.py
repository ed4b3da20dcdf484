"""A `CatalogDiff` written for people and for programs: Markdown for a pull-request comment (a
summary table, then one collapsible section per journey, persona and the roadmap, readable
without colour) and JSON with everything.

All words of the report are in `WORDS`; author text goes through `inline`, so that it cannot
become Markdown or HTML in the comment.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

from .diff import (
    CatalogDiff,
    FieldChange,
    FileDiff,
    ItemChange,
    JourneyDiff,
    MeasureChange,
    RoadmapDiff,
)
from .durations import format_duration
from .labels import Labels

COMMENT_LIMIT = 65_536  # characters in a GitHub pull-request comment
# The report's first line, hidden in a rendered comment: CI finds its own comment by it, to
# update that one comment on every push instead of adding another.
MARKER = "<!-- journeys-diff -->"
LONGEST_VALUE = 120  # characters of a field's value shown in Markdown; JSON has it whole

WORDS = {
    "heading": "Journey changes: {base} → {head}",
    "nothing": "No journey, persona or roadmap changed.",
    "working_tree": "the working tree",
    "journey": "Journey",
    "persona": "Persona",
    "change": "Change",
    "fields": "Fields changed",
    "figure": "Figure",
    "before": "Before",
    "after": "After",
    "stage": "Stage",
    "difference": "Difference",
    "figures": "Figures",
    "stages": "Emotion per stage",
    "touchpoints": "Touchpoints",
    "opportunities": "Opportunities",
    "measures": "Measures",
    "measure": "Measure",
    "where": "Where",
    "result": "Target",
    "whole_journey": "the whole journey",
    "journey_fields": "Journey",
    "milestones": "Milestones",
    "roadmap": "Roadmap",
    "renamed_from": "renamed from {old}",
    "none": "none",
    "left_out": "Left out to fit a pull-request comment ({limit:,} characters): {what}. "
                "`journeys diff --format json` has all of it.",
    "rows_left_out": "{count} of {total} rows of the summary",
    "sections_left_out": "the details of {count} of {total} {kind}",
    "roadmap_left_out": "the details of the roadmap",
    "body": "the text below the map",
    "body_changed": "+{added} lines, -{removed} lines",
    "not_compared": "Not compared: {sides} {verb} problems. Fix them and push again; "
                    "`journeys validate` lists them too.",
    "side": "{name} `{revision}`",
    "more_problems": "… and {count} more.",
}
KINDS = {"journey": "journeys", "persona": "personas"}  # sections, as the last line counts them
SIGNS = {"added": "✚ added", "removed": "✖ removed", "changed": "✎ changed",
         "renamed": "➜ renamed"}
SUMMARY_FIGURES = ("touchpoints", "average", "lowest", "end", "open_opportunities")
FIGURE_NAMES = {"touchpoints": "Touchpoints", "lowest": "Lowest", "highest": "Highest",
                "end": "End", "average": "Average", "channel_switches": "Channel switches",
                "handoffs": "Handoffs", "gaps": "Gaps", "open_opportunities": "Open opportunities",
                "elapsed": "Elapsed time", "waiting": "Waiting", "longest_wait": "Longest wait",
                "moments_of_truth": "Moments of truth", "targets_met": "Targets met",
                "targets_missed": "Targets missed"}
MET = {True: "✓ met", False: "✗ missed", None: "no target"}
TIMES = frozenset({"elapsed", "waiting", "longest_wait"})  # figures in seconds
_ENGLISH = Labels("en")

# Markdown and HTML punctuation, and what GitHub links in a comment (@mentions, #issues, $math$).
_SPECIAL = frozenset("\\`*_{}[]<>#|~@&$!")


def inline(text: object, longest: int | None = None) -> str:
    """Author text as one line of inert Markdown: its markup characters as character
    references, whitespace (newlines too) as single spaces; cut to `longest` characters."""
    flat = " ".join(str(text).split())
    if longest is not None and len(flat) > longest:
        flat = flat[:longest - 1].rstrip() + "…"
    return "".join(f"&#{ord(c)};" if c in _SPECIAL else c for c in flat)


def _number(value: float) -> str:
    """A difference, signed, to two decimals."""
    value = round(value, 2)
    return f"{value:+g}" if value else "0"


def _score(value: Any) -> float | None:
    if isinstance(value, dict):
        return float(value["emotion"])
    return float(value) if isinstance(value, int | float) else None


def shown(value: Any) -> str:
    """A value as Markdown text: a figure, a field's value, a moment with its touchpoint."""
    if value is None:
        return WORDS["none"]
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{round(value, 2):g}"  # -0.07, not -0.0714286
    if isinstance(value, dict) and "emotion" in value:
        return f"{shown(value['emotion'])} ({inline(value['id'])})"
    if isinstance(value, dict):  # a place's metrics: {csat: 82}
        return inline(", ".join(f"{k}: {shown(v)}" for k, v in value.items()), LONGEST_VALUE) \
            or WORDS["none"]
    if isinstance(value, list):
        return inline(", ".join(str(v) for v in value), LONGEST_VALUE)
    return inline(value, LONGEST_VALUE)


def _seconds(value: Any) -> int | None:
    return int(value["seconds"]) if isinstance(value, dict) else value


def shown_time(value: Any) -> str:
    """A time figure: `3 d 4 h`, with the touchpoint of a longest wait."""
    seconds = _seconds(value)
    if seconds is None:
        return WORDS["none"]
    text = format_duration(seconds, _ENGLISH)
    return f"{text} ({inline(value['id'])})" if isinstance(value, dict) else text


def time_arrow(before: Any, after: Any) -> str:
    old, new = _seconds(before), _seconds(after)
    if old is None or new is None or old == new:
        return ""
    sign = "+" if new > old else "-"
    return f"{'↑' if new > old else '↓'} {sign}{format_duration(abs(new - old), _ENGLISH)}"


def figure_row(name: str, old: Any, new: Any) -> list[str]:
    """A figure's row: its name, before, after and the difference."""
    if name in TIMES:
        return [FIGURE_NAMES[name], shown_time(old), shown_time(new), time_arrow(old, new)]
    return [FIGURE_NAMES.get(name, name), shown(old), shown(new), arrow(old, new)]


def arrow(before: Any, after: Any) -> str:
    """Up or down with the signed difference, so that it reads without colour."""
    old, new = _score(before), _score(after)
    if old is None or new is None or old == new:
        return ""
    return f"{'↑' if new > old else '↓'} {_number(new - old)}"


def before_after(before: Any, after: Any) -> str:
    """`before → after (↑ +1)`, or one value when only one side has it or both agree."""
    if before is None:
        return shown(after)
    if after is None or before == after:
        return shown(before)
    change = arrow(before, after)
    return f"{shown(before)} → {shown(after)}" + (f" ({change})" if change else "")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(row) + " |" for row in rows)]


def _name(entry: FileDiff, html: bool = False) -> str:
    """The id in bold and the title; `html` inside <summary>, where Markdown is not read."""
    name = (f"<b>{inline(entry.id)}</b>" if html else f"**{inline(entry.id)}**") + " " + \
        inline(entry.title, 80)
    if entry.change == "renamed" and entry.old_id != entry.id:
        name += " (" + WORDS["renamed_from"].format(old=inline(entry.old_id)) + ")"
    return name


def _summary_rows(diff: CatalogDiff) -> list[list[str]]:
    rows = [[_name(j), SIGNS[j.change],
             *(before_after(*j.figures.get(f, (None, None))) for f in SUMMARY_FIGURES)]
            for j in diff.journeys]
    return rows


def body_change(before: str, after: str) -> str:
    """How much of a Markdown body changed, in lines: the text itself is in the file's diff."""
    added = removed = 0
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(),
                                      autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag != "equal":
            removed += old_end - old_start
            added += new_end - new_start
    return WORDS["body_changed"].format(added=added, removed=removed)


def _field_lines(fields: Sequence[FieldChange]) -> list[str]:
    return [f"- {WORDS['body']}: {body_change(str(f.before), str(f.after))}"
            if f.field == "body" else
            f"- `{inline(f.field)}`: {shown(f.before)} → {shown(f.after)}" for f in fields]


def _item_lines(items: Sequence[ItemChange]) -> list[str]:
    lines = []
    for item in items:
        lines.append(f"- {SIGNS[item.change]} `{inline(item.id)}`: {inline(item.title, 80)}")
        lines += ["  " + line for line in _field_lines(item.fields)]
    return lines


def _details(summary: str, body: list[str]) -> str:
    return "\n".join(["<details>", f"<summary>{summary}</summary>", "", *body, "",
                      "</details>"])


def _journey_section(journey: JourneyDiff) -> str:
    body = [f"{SIGNS[journey.change]}: `{inline(journey.old_path or '')}` → "
            f"`{inline(journey.path or '')}`" if journey.change == "renamed" else
            f"{SIGNS[journey.change]}: `{inline(journey.path or journey.old_path or '')}`", ""]
    body += [f"**{WORDS['figures']}**", ""]
    body += _table([WORDS["figure"], WORDS["before"], WORDS["after"], WORDS["difference"]],
                   [figure_row(name, old, new) for name, (old, new) in journey.figures.items()
                    if old is not None or new is not None])  # times: given on neither side
    body += ["", f"**{WORDS['stages']}**", ""]
    body += _table([WORDS["stage"], WORDS["before"], WORDS["after"], WORDS["difference"]],
                   [[inline(s.stage, 80), shown(s.before), shown(s.after),
                     arrow(s.before, s.after)] for s in journey.stages])
    if journey.measures:
        body += ["", f"**{WORDS['measures']}**", ""]
        body += _table([WORDS["where"], WORDS["measure"], WORDS["before"], WORDS["after"],
                        WORDS["difference"], WORDS["result"]],
                       [_measure_row(m) for m in journey.measures])
    for title, lines in ((WORDS["journey_fields"], _field_lines(journey.fields)),
                         (WORDS["touchpoints"], _item_lines(journey.touchpoints)),
                         (WORDS["opportunities"], _item_lines(journey.opportunities))):
        if lines:
            body += ["", f"**{title}**", "", *lines]
    summary = f"{WORDS['journey']} {_name(journey, html=True)}: {SIGNS[journey.change]}"
    return _details(summary, body)


def _measure_row(change: MeasureChange) -> list[str]:
    where = WORDS["whole_journey"] if change.where == "journey" else \
        f"{change.where} {inline(change.place, 60)}"
    unit = f" {inline(change.unit)}" if change.unit else ""
    before = "" if change.before is None else f"{round(change.before, 2):g}{unit}"
    after = "" if change.after is None else f"{round(change.after, 2):g}{unit}"
    result = MET[change.met_after] if change.after is not None else ""
    if change.before is not None and change.after is not None and \
            change.met_before != change.met_after:
        result = f"{MET[change.met_before]} → {MET[change.met_after]}"
    return [where, inline(change.metric, 60), before or WORDS["none"], after or WORDS["none"],
            arrow(change.before, change.after), result]


def _persona_section(persona: FileDiff) -> str:
    where = (f"`{inline(persona.old_path or '')}` → `{inline(persona.path or '')}`"
             if persona.change == "renamed" else f"`{inline(persona.path or persona.old_path)}`")
    body = [f"{SIGNS[persona.change]}: {where}"]
    if persona.fields:
        body += ["", *_field_lines(persona.fields)]
    summary = f"{WORDS['persona']} {_name(persona, html=True)}: {SIGNS[persona.change]}"
    return _details(summary, body)


def _roadmap_section(roadmap: RoadmapDiff) -> str:
    body = [f"{SIGNS[roadmap.change]}: {inline(roadmap.title, 80)}"]
    if roadmap.fields:
        body += ["", *_field_lines(roadmap.fields)]
    if roadmap.milestones:
        body += ["", f"**{WORDS['milestones']}**", "", *_item_lines(roadmap.milestones)]
    return _details(f"{WORDS['roadmap']}: {SIGNS[roadmap.change]}", body)


def head_name(head: str | None) -> str:
    """The revision compared to, as the report and the charts name it."""
    return WORDS["working_tree"] if head is None else head


def markdown_report(diff: CatalogDiff, base: str, head: str | None,
                    limit: int = COMMENT_LIMIT) -> str:
    """The comment: at most `limit` characters, sections dropped from the end (then summary
    rows) when it would be longer, and a last line saying what was left out. `head` None is
    the working tree."""
    shown_head = WORDS["working_tree"] if head is None else f"`{inline(head)}`"
    title = WORDS["heading"].format(base=f"`{inline(base)}`", head=shown_head)
    heading = [MARKER, "## " + title, ""]
    if diff.empty:
        return "\n".join([*heading, WORDS["nothing"], ""])
    header = [WORDS["journey"], WORDS["change"], *(FIGURE_NAMES[f] for f in SUMMARY_FIGURES)]
    rows = _summary_rows(diff)
    others = [[_name(p), SIGNS[p.change], inline(", ".join(f.field for f in p.fields), 80)]
              for p in diff.personas]
    sections = [*(("journey", _journey_section(j)) for j in diff.journeys),
                *(("persona", _persona_section(p)) for p in diff.personas),
                *([("roadmap", _roadmap_section(diff.roadmap))] if diff.roadmap else [])]

    def summary(shown_rows: int) -> list[str]:
        lines = list(heading)
        if rows:
            lines += [*_table(header, rows[:shown_rows]), ""]
        if others:
            lines += [*_table([WORDS["persona"], WORDS["change"], WORDS["fields"]], others), ""]
        if diff.roadmap:
            lines += [f"{WORDS['roadmap']}: {SIGNS[diff.roadmap.change]}", ""]
        return lines

    def joined(lines: list[str], kept: int, shown_rows: int) -> str:
        note = left_out(sections, kept, len(rows) - shown_rows, len(rows), limit)
        return "\n".join([*lines, *(text + "\n" for _, text in sections[:kept]),
                          *([note] if note else []), ""])

    shown_rows = _most(lambda n: len(joined(summary(n), 0, n)) <= limit, len(rows))
    kept = _most(lambda n: len(joined(summary(shown_rows), n, shown_rows)) <= limit,
                 len(sections))
    return joined(summary(shown_rows), kept, shown_rows)


def problems_report(base: str, head: str | None,
                    sides: Sequence[tuple[str, Sequence[object]]],
                    limit: int = COMMENT_LIMIT) -> str:
    """The comment when a side could not be read: each side's problems (`path:line:column:
    message`) in a text block, at most `limit` characters, the last problems left out when
    there are more. `sides` are ("BASE" or "HEAD", its problems)."""
    shown_head = WORDS["working_tree"] if head is None else f"`{inline(head)}`"
    title = WORDS["heading"].format(base=f"`{inline(base)}`", head=shown_head)
    broken = [(WORDS["working_tree"] if name == "HEAD" and head is None else
               WORDS["side"].format(name=name, revision=inline(base if name == "BASE" else head)),
               [str(p) for p in problems]) for name, problems in sides if problems]
    verb = "have" if len(broken) > 1 else "has"
    lines = [MARKER, "## " + title, "", WORDS["not_compared"].format(
        sides=" and ".join(name for name, _ in broken), verb=verb), ""]
    total = sum(len(texts) for _, texts in broken)

    def joined(shown: int) -> str:
        # A fence closes only on a line of backticks alone; a problem line never is one.
        out, left = list(lines), shown
        for name, texts in broken:
            if left:
                out += [f"{name}:", "", "```text", *texts[:left], "```", ""]
                left -= min(left, len(texts))
        if shown < total:
            out += [WORDS["more_problems"].format(count=total - shown), ""]
        return "\n".join(out)

    return joined(_most(lambda n: len(joined(n)) <= limit, total))


def _most(fits: Callable[[int], bool], highest: int) -> int:
    """The largest n from 0 to `highest` that fits (0 when none does), for `fits` true up to
    some n and false above it: a comment's length grows with every row and section kept."""
    low, high = 0, highest
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


def left_out(sections: Sequence[tuple[str, str]], kept: int, rows: int, total_rows: int,
             limit: int) -> str | None:
    """The last line of a comment cut to fit: what it leaves out (None: nothing)."""
    what = [WORDS["rows_left_out"].format(count=rows, total=total_rows)] if rows else []
    for kind, plural in KINDS.items():
        total = sum(1 for k, _ in sections if k == kind)
        count = sum(1 for k, _ in sections[kept:] if k == kind)
        if count:
            what.append(WORDS["sections_left_out"].format(count=count, total=total, kind=plural))
    if any(k == "roadmap" for k, _ in sections[kept:]):
        what.append(WORDS["roadmap_left_out"])
    if not what:
        return None
    return WORDS["left_out"].format(limit=limit, what=", ".join(what))


# --- JSON --------------------------------------------------------------------------------------


def _fields_data(fields: Sequence[FieldChange]) -> list[dict[str, Any]]:
    return [{"field": f.field, "before": f.before, "after": f.after} for f in fields]


def _items_data(items: Sequence[ItemChange]) -> list[dict[str, Any]]:
    return [{"id": i.id, "change": i.change, "title": i.title, "fields": _fields_data(i.fields)}
            for i in items]


def _file_data(entry: FileDiff) -> dict[str, Any]:
    return {"id": entry.id, "old_id": entry.old_id, "change": entry.change,
            "title": entry.title, "path": entry.path, "old_path": entry.old_path,
            "fields": _fields_data(entry.fields)}


def _journey_data(journey: JourneyDiff) -> dict[str, Any]:
    return {**_file_data(journey),
            "figures": {name: list(pair) for name, pair in journey.figures.items()},
            "stages": [{"stage": s.stage, "before": s.before, "after": s.after}
                       for s in journey.stages],
            "touchpoints": _items_data(journey.touchpoints),
            "opportunities": _items_data(journey.opportunities),
            "measures": [asdict(m) for m in journey.measures]}


def json_report(diff: CatalogDiff, base: str, head: str | None) -> str:
    """Everything, as JSON; `head` null is the working tree."""
    roadmap = diff.roadmap
    data = {
        "base": base, "head": head,
        "journeys": [_journey_data(j) for j in diff.journeys],
        "personas": [_file_data(p) for p in diff.personas],
        "roadmap": None if roadmap is None else {
            "change": roadmap.change, "title": roadmap.title,
            "fields": _fields_data(roadmap.fields),
            "milestones": _items_data(roadmap.milestones)},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
