"""Channels a service desk knows, each with a small line icon; any other channel gets a dot.

The icon never stands alone: the channel's name is always written beside it.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Line icons on a 24 x 24 grid, drawn with a stroke and no fill.
ICONS: dict[str, str] = {
    "portal": "M3 5h18v14H3z M3 9h18 M6 7h1 M9 7h1",
    "e-mail": "M3 6h18v12H3z M3 6l9 7 9-7",
    "phone": "M6 3h4l1.5 5-2.5 1.5a11 11 0 0 0 5.5 5.5l1.5-2.5 5 1.5v4a2 2 0 0 1-2 2"
             "A16 16 0 0 1 4 5a2 2 0 0 1 2-2z",
    "chat": "M4 5h16v10H10l-4 4v-4H4z M8 9h8 M8 12h5",
    "walk-in": "M12 3a2.5 2.5 0 1 1 0 5a2.5 2.5 0 1 1 0-5z M8 21l2-9h4l2 9 M9 13l-2 3 M15 13l2 3",
    "knowledge base": "M3 5h7a2 2 0 0 1 2 2v13a2 2 0 0 0-2-2H3z M21 5h-7a2 2 0 0 0-2 2v13"
                      "a2 2 0 0 1 2-2h7z",
    "self-service": "M5 3l14 8-6 1.5L10 19z",
    "social media": "M8.2 10.9l7.6-3.8 M8.2 13.1l7.6 3.8 M6 9.5a2.5 2.5 0 1 1 0 5a2.5 2.5 0 1 1 "
                    "0-5z M18 3.5a2.5 2.5 0 1 1 0 5a2.5 2.5 0 1 1 0-5z M18 15.5a2.5 2.5 0 1 1 0 "
                    "5a2.5 2.5 0 1 1 0-5z",
}
OTHER = "M12 8a4 4 0 1 1 0 8a4 4 0 1 1 0-8z"

# What authors write, folded to the kinds above. Matched on whole words of the channel name, in
# the languages of our locales (English, German, Dutch, Hungarian, Polish, Hebrew).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "portal": ("portal", "web portal", "website", "web form", "web", "intranet", "app",
               "webformular", "portaal", "portál", "webes űrlap", "formularz", "פורטל", "אתר"),
    "e-mail": ("e-mail", "email", "mail", "e mail", "e-mailen", "levél", "poczta", "דוא\"ל",
               "מייל", "אימייל"),
    "phone": ("phone", "telephone", "call", "voice", "hotline", "telefon", "telefoon",
              "anruf", "telefonisch", "bellen", "telefonon", "telefonicznie", "טלפון", "שיחה"),
    "chat": ("chat", "live chat", "teams chat", "chatbot", "messenger", "whatsapp",
             "csevegés", "czat", "צ'אט", "צאט", "וואטסאפ"),
    "walk-in": ("walk-in", "walk in", "counter", "desk visit", "in person", "on site",
                "on-site", "visit", "it counter", "service point", "vor ort", "persönlich",
                "schalter", "balie", "langskomen", "op locatie", "személyesen", "pult",
                "osobiście", "punkt obsługi", "בסניף", "סניף", "דלפק", "פרונטלי"),
    "knowledge base": ("knowledge base", "kb", "faq", "wiki", "help center", "help centre",
                       "wissensdatenbank", "wissensbasis", "kennisbank", "tudásbázis",
                       "baza wiedzy", "מאגר ידע", "שאלות נפוצות"),
    "self-service": ("self-service", "self service", "password reset tool", "self-help",
                     "selbstbedienung", "selfservice", "önkiszolgáló", "önkiszolgálás",
                     "samoobsługa", "samoobsługowy", "שירות עצמי"),
    "social media": ("social media", "social", "twitter", "x", "facebook", "linkedin",
                     "instagram", "mastodon", "soziale medien", "sociale media",
                     "közösségi média", "media społecznościowe", "רשתות חברתיות"),
}
_LOOKUP = {word: kind for kind, words in SYNONYMS.items() for word in words}


# Longest first, so that 'live chat' is read whole rather than as 'chat'; words of two letters
# ('kb', 'x') count only when they are the whole name.
_WORDS = re.compile("|".join(rf"(?<![\w-]){re.escape(word)}(?![\w-])" for word in
                             sorted((w for w in _LOOKUP if len(w) > 2), key=len, reverse=True)))


@lru_cache(maxsize=4096)  # a site names a few dozen channels, thousands of times
def channel_kind(name: str) -> str | None:
    """The known channel a name means ('E-Mail' and 'mail' are 'e-mail'), or None."""
    folded = re.sub(r"\s+", " ", name.casefold()).strip()
    if folded in _LOOKUP:
        return _LOOKUP[folded]
    found = [match.group() for match in _WORDS.finditer(folded)]
    return _LOOKUP[max(found, key=len)] if found else None  # the most specific word


def channel_icon(name: str) -> str:
    """Path data of the icon for a channel name."""
    kind = channel_kind(name)
    return ICONS[kind] if kind else OTHER
