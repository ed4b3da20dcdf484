"""Direction controls in author text, kept from reordering anything but that text.

A right-to-left override (U+202E) in a touchpoint's action would otherwise turn round the rest
of its line, table row or label, and an unmatched pop could end an embedding our own page
opened. Author text is isolated once, where it enters the model (`model.Text`); the renderers
balance each line they cut from it again (see `render.svg.Canvas.text`).
"""

from __future__ import annotations

EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO
POP_DIRECTIONAL_FORMATTING = "\u202c"  # PDF
ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI
FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"  # PDI
CONTROLS = EMBEDDINGS | ISOLATES | {POP_DIRECTIONAL_FORMATTING, POP_DIRECTIONAL_ISOLATE}


def has_controls(text: str) -> bool:
    return not CONTROLS.isdisjoint(text)


def without_controls(text: str) -> str:
    """For what takes a few letters out of author text (initials): a piece of an isolate would
    be unbalanced, and the letters need no direction of their own."""
    return "".join(c for c in text if c not in CONTROLS) if has_controls(text) else text


def balance(text: str) -> str:
    """`text` with every embedding, override and isolate closed, in order, and every pop that
    closes nothing dropped. Text without such controls is returned as it is.

    As in Unicode's bidirectional algorithm (UAX #9): a PDF only closes an embedding opened
    inside the innermost open isolate, and a PDI closes the innermost isolate together with
    the embeddings still open inside it (here written out as PDFs before it).
    """
    if not has_controls(text):
        return text
    out: list[str] = []
    open_: list[str] = []
    for ch in text:
        if ch in EMBEDDINGS or ch in ISOLATES:
            open_.append(ch)
        elif ch == POP_DIRECTIONAL_FORMATTING:
            if not open_ or open_[-1] not in EMBEDDINGS:
                continue
            open_.pop()
        elif ch == POP_DIRECTIONAL_ISOLATE:
            if ISOLATES.isdisjoint(open_):
                continue
            while open_[-1] not in ISOLATES:
                open_.pop()
                out.append(POP_DIRECTIONAL_FORMATTING)
            open_.pop()
        out.append(ch)
    out += [POP_DIRECTIONAL_FORMATTING if ch in EMBEDDINGS else POP_DIRECTIONAL_ISOLATE
            for ch in reversed(open_)]
    return "".join(out)


def isolate(text: str) -> str:
    """`text` balanced and put between FSI and PDI when it has direction controls, so that it
    takes its direction from its own first strong letter and leaves its neighbours' alone.
    Text without such controls is returned as it is (pages stay byte-identical)."""
    if not has_controls(text):
        return text
    return f"{FIRST_STRONG_ISOLATE}{balance(text)}{POP_DIRECTIONAL_ISOLATE}"


def is_balanced(text: str) -> bool:
    """Whether every control in `text` is closed in order and every pop closes one."""
    open_: list[str] = []
    for ch in text:
        if ch in EMBEDDINGS or ch in ISOLATES:
            open_.append(ch)
        elif ch == POP_DIRECTIONAL_FORMATTING:
            if not open_ or open_.pop() not in EMBEDDINGS:
                return False
        elif ch == POP_DIRECTIONAL_ISOLATE and (not open_ or open_.pop() not in ISOLATES):
            return False
    return not open_
