"""Synthetic but realistic content for the benchmarks: a service desk's journeys and personas.

`generate(root, journeys=N, touchpoints=M, seed=S)` writes a site that uses the `journeys`
plugin: `root/mkdocs.yml` and `root/content/` with N journeys of M touchpoints, about N/10
personas, opportunities (MoSCoW) and a roadmap. `generate_baseline(root, ...)` writes the same
text as plain Markdown pages, as an author would write them by hand without the plugin: a page
per journey holding the same facts as Markdown tables and lists, a page per persona, a journey
index and a roadmap page; same theme, same search, no `journeys` plugin.

Both are deterministic for a seed: the same arguments give byte-identical files.

    python benchmarks/generate.py OUT --journeys 100 --touchpoints 20 [--baseline]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_SEED = 20270115
# "Today" of the generated site: fixed, so that overdue milestones and the pages built from
# them are the same on every run. run.py passes it to the builds as SOURCE_DATE_EPOCH.
TODAY = "2027-01-15"
SOURCE_DATE_EPOCH = "1800000000"  # 2027-01-15

# --- vocabulary -------------------------------------------------------------------------------

TOPICS = [  # (title, thing, tag)
    ("Requesting a new laptop", "the laptop", "hardware"),
    ("Resetting a forgotten password", "the password reset", "accounts"),
    ("Reporting an e-mail outage", "the outage", "incidents"),
    ("Onboarding a new employee", "the new colleague's accounts", "onboarding"),
    ("Getting access to a shared drive", "the shared drive access", "access"),
    ("Ordering a mobile phone", "the phone", "hardware"),
    ("Moving to another desk", "the desk move", "facilities"),
    ("Replacing a broken monitor", "the monitor", "hardware"),
    ("Requesting a software licence", "the licence", "software"),
    ("Setting up remote access", "the VPN profile", "remote-work"),
    ("Getting a guest Wi-Fi account", "the guest account", "network"),
    ("Offboarding a leaving colleague", "the offboarding", "offboarding"),
    ("Restoring a deleted file", "the file restore", "data"),
    ("Fixing a printer that jams", "the printer", "printing"),
    ("Requesting admin rights", "the admin rights", "security"),
    ("Reporting a phishing e-mail", "the phishing report", "security"),
    ("Upgrading the operating system", "the upgrade", "software"),
    ("Booking a meeting room screen", "the room screen", "facilities"),
    ("Changing a cost centre", "the cost centre change", "finance"),
    ("Setting up e-mail on a phone", "the mail profile", "mobile"),
    ("Recovering a locked account", "the account unlock", "accounts"),
    ("Requesting a second monitor", "the second monitor", "hardware"),
    ("Getting a building badge", "the badge", "facilities"),
    ("Installing a department application", "the application", "software"),
    ("Reporting a slow network", "the network problem", "network"),
    ("Requesting a headset for calls", "the headset", "hardware"),
    ("Sharing a mailbox with a team", "the shared mailbox", "access"),
    ("Returning equipment after a project", "the returned equipment", "hardware"),
]
DEPARTMENTS = ["Finance", "HR", "Sales", "Legal", "Marketing", "Research", "Logistics",
               "Customer care", "Facilities", "Engineering", "Procurement", "Communications"]
CITIES = ["Budapest", "Rotterdam", "Krakow", "Lyon", "Porto", "Aarhus", "Graz", "Leipzig",
          "Tallinn", "Bologna", "Ghent", "Brno"]
STAGE_SETS = [
    ["Discover", "Request", "Approval", "Fulfilment", "Delivery", "Aftercare"],
    ["Notice", "Report", "Diagnosis", "Resolution", "Confirmation", "Follow-up"],
    ["Prepare", "Ask", "Wait", "Receive", "Use", "Close"],
    ["Search", "Order", "Processing", "Handover", "Setup", "Support"],
]
CHANNELS = ["portal", "e-mail", "phone", "chat", "knowledge base", "walk-in", "self-service",
            "Teams call", "intranet", "SMS", "video call", "ticketing system", "device management",
            "supplier portal", "service kiosk"]
BACKSTAGE_CHANNELS = ["ticketing system", "device management", "supplier portal",
                      "asset database", "identity management", "change board"]
TEAMS = ["Service desk", "Hardware", "Software", "Procurement", "Network", "Security",
         "Identity and access", "Facilities", "Workplace", "Field services", "Licensing",
         "Change management", "Telecom", "Data protection", "Second line"]
FEELINGS_BY_SCORE = {
    -2: ["furious", "desperate", "abandoned", "frustrated"],
    -1: ["annoyed", "confused", "uncertain", "impatient", "worried"],
    0: ["neutral", "patient", "unsure", "resigned"],
    1: ["relieved", "pleased", "reassured", "hopeful"],
    2: ["delighted", "grateful", "impressed", "happy"],
}
FRONT_ACTIONS = [
    "Searches the knowledge base for how to request {thing}",
    "Fills in the request form for {thing} in the portal",
    "Waits for a confirmation that {thing} request arrived",
    "Calls the service desk to ask about the status of {thing}",
    "Chats with an agent who asks for the same details again",
    "Receives an e-mail asking for the cost centre and the manager's approval",
    "Forwards the approval request to the manager and reminds her twice",
    "Gets a ticket number without any expected date",
    "Explains the problem again to a second agent after a handover",
    "Picks up {thing} at the IT counter on the ground floor",
    "Tries {thing} for the first time and finds a setting missing",
    "Reads the instructions attached to the closing e-mail",
    "Answers a satisfaction survey about a single ticket",
    "Asks a colleague who had {thing} last month what to do",
    "Finds the self-service page for {thing} after a long search",
    "Books a time slot with a field technician for {thing}",
    "Receives a reminder that the ticket will close in three days",
    "Reopens the ticket because {thing} still does not work",
    "Gets a call back from second line with a workaround",
    "Signs the handover form for {thing} at the desk",
    "Is told that {thing} is with another team and to wait",
    "Receives a status update with the expected delivery date",
    "Checks the portal for progress and sees only 'in progress'",
    "Uploads a screenshot of the error message to the ticket",
]
BACK_ACTIONS = [
    "Service desk routes the request to {team} for approval",
    "{team} checks the licence pool and the budget",
    "{team} orders {thing} from the framework supplier",
    "{team} prepares {thing} and registers it in the asset database",
    "{team} waits for the supplier's delivery note",
    "{team} assigns the ticket to an engineer in the next sprint",
    "{team} runs the change through the weekly change board",
    "{team} creates the accounts in identity management",
    "{team} escalates the ticket to the supplier's support",
    "{team} merges duplicate tickets by hand",
]
QUOTES = [
    "I typed the obvious word and got twelve articles about something else.",
    "Which one is the normal one?",
    "I sent it twice because I was not sure the first one went through.",
    "The agent could only tell me it was with another team.",
    "Finally, and it works better than the old one.",
    "I could read e-mail, and that was it.",
    "Just tell me when it arrives and I will plan around it.",
    "Nobody told me I had to ask my manager first.",
    "I explained everything again to someone new.",
    "It took five minutes once I found the right page.",
    "Why does the form ask for a cost centre I have never heard of?",
    "The technician was friendly and fixed it on the spot.",
    "I waited on hold for twenty minutes to hear 'in progress'.",
    "The survey asked about one ticket, but the problem was the whole month.",
    "I only found out it was ready because a colleague saw it on the shelf.",
    "Half of my team has the same problem and nobody knows.",
]
PAINS = [
    "The order form is three levels deep in the catalogue",
    "Models are listed by article code, without a photo or a plain description",
    "Duplicate requests have to be merged by hand later",
    "The agent cannot see the order status in the supplier portal",
    "The standard image has no department software",
    "Replying to the closing e-mail opens a new ticket",
    "The approval step waits for a manager who is on holiday",
    "The form does not say which details the team will need",
    "Every handover loses the notes from the first call",
    "Opening hours of the IT counter are not on the intranet",
    "The self-service page only works inside the office network",
    "The status in the portal does not change for weeks",
    "The knowledge base article describes last year's process",
    "The phone queue does not say how long the wait is",
]
GAPS = [
    "No confirmation or ticket number after submitting the form",
    "No status update between approval and delivery",
    "The expected delivery date from the supplier is not passed on",
    "Nobody says that the installation will restart the laptop",
    "Nobody checks after the first week whether everything works",
    "The customer is not told that the ticket moved to another team",
    "The closing e-mail does not say what was done",
    "No warning before the account is locked",
]
DURATIONS = ["5 minutes", "10 minutes", "20 minutes", "half an hour", "1 hour", "2 hours",
             "half a day", "1 day", "2 days", "3 days", "1 week", "8 working days", "2 weeks",
             "3 weeks"]
OPPORTUNITY_TITLES = [
    "Confirm every request with a ticket number",
    "Send a status update at each step that takes longer than a day",
    "Put the order form for {thing} at the top of knowledge base search",
    "Show the expected date of {thing} in the portal",
    "Let one agent own the ticket from request to solution",
    "Ask for the cost centre and approver in the form itself",
    "Check in one week after {thing} is done",
    "Add plain names and photos to the catalogue",
    "Pass the supplier's delivery date on to the customer",
    "Explain in the closing e-mail what was done and how to follow up",
    "Offer a call-back instead of a waiting queue",
    "Keep a stock of prepared devices for same-day delivery",
    "Approve standard requests automatically below a price limit",
    "Publish the opening hours of the IT counter on the intranet",
    "Warn before a change restarts the customer's device",
    "Merge duplicate tickets automatically",
]
OPPORTUNITY_DESCRIPTIONS = [
    "An automatic e-mail with the ticket number, what happens next and a realistic time.",
    "We cannot make the supplier faster, but we can tell the customer where things stand, "
    "with the **expected date** each time.",
    "Add synonyms that customers actually type, and retire the outdated articles.",
    "Ask for the department in the form and prepare everything before delivery.",
    "A short call or e-mail from the technician who did the work.",
    "Not this year: it ties up budget. The status updates solve most of the frustration "
    "at a fraction of the cost.",
    "Measured in the pilot: duplicate requests fell by two thirds.",
    "Start with the three most requested items; they cause most second tickets.",
]
FIRST_NAMES = ["Eva", "Daan", "Kasia", "Lena", "Marek", "Ines", "Tomas", "Sofia", "Jonas",
               "Aylin", "Pieter", "Mira", "Luca", "Hanna", "Oskar", "Noor", "Bence", "Clara",
               "Emil", "Zofia", "Ruben", "Alma", "Teodor", "Lotte", "Nika", "Felix"]
LAST_NAMES = ["Kovacs", "de Vries", "Nowak", "Schmidt", "Horvat", "Jansen", "Novak",
              "Moreau", "Rossi", "Lindqvist", "Petersen", "Yilmaz", "Costa", "Meier", "Varga",
              "Dubois", "Bakker", "Wojcik"]
ROLES = ["Office manager", "Developer", "Sales representative", "Team lead", "Accountant",
         "HR advisor", "Field engineer", "Lab technician", "Legal counsel", "Receptionist",
         "Project manager", "Warehouse supervisor", "Designer", "Data analyst"]
PERSONA_GOALS = ["Keep the office running without chasing IT",
                 "Get equipment for new colleagues before they start",
                 "Plan the week around deliveries and appointments",
                 "Spend the day on the work, not on the tools",
                 "Solve small problems alone, quickly",
                 "Know who to call when something is urgent"]
PERSONA_EXPECTATIONS = ["A confirmation with a ticket number for every request",
                        "A delivery date to pass on to the team",
                        "Everything installed when the lid opens",
                        "One person who knows the whole story",
                        "Answers in plain language"]
PERSONA_FRUSTRATIONS = ["Having to call to find out whether a request arrived",
                        "Being told a request is \"with another team\"",
                        "Technical jargon in forms and e-mails",
                        "Explaining the same problem twice",
                        "Forms that ask for codes nobody knows"]
MILESTONES = [
    ("2026-q1", "Every request confirmed", "2026-03-31"),
    ("2026-q2", "Status at a glance", "2026-06-30"),
    ("2026-q3", "One owner per ticket", "2026-09-30"),
    ("2026-q4", "Self-service that works", "2026-12-31"),
    ("2027-q1", "Nobody waits in the dark", "2027-03-31"),
    ("2027-q2", "Right the first time", "2027-06-30"),
    ("2027-q3", "Closing the loop", "2027-09-30"),
    ("2027-q4", "Measured end to end", "2027-12-31"),
]
MILESTONE_TEXT = ("Every request and every incident is confirmed with a ticket number, and "
                  "customers get a status update at each step that takes longer than a day.")
CONTEXT = ("Mapped in a workshop with {teams}, from interviews with {count} people in "
           "{city} who went through it in the last two months. This is the journey as it is "
           "{state}.")
NOTES = [
    "All of them searched the knowledge base first; few found what they needed there.",
    "Two submitted the form twice because nothing confirmed that it arrived.",
    "The long wait itself was accepted. Not knowing how long it would take was not.",
    "Delivery was the high point. The mood dropped again on first use.",
    "Every interviewee called the service desk at least once to ask for the status.",
    "Handovers between teams were invisible to the customer, except as silence.",
]
INSIGHTS = [
    "The lowest point is the wait, and it is a communication problem, not a logistics problem.",
    "The journey does not end at delivery: aftercare decides how it is remembered.",
    "Most pain comes from forms that ask for what the customer cannot know.",
    "Channel switches follow silence: customers call when nobody writes.",
]
PRIORITIES = ["must", "should", "could", "wont"]
PRIORITY_WEIGHTS = [25, 30, 30, 15]
STATUSES = ["idea", "planned", "doing", "done"]
STATUS_WEIGHTS = [40, 30, 15, 15]


def slugify(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


# --- the data, shared by both sites -----------------------------------------------------------


@dataclass
class Data:
    journeys: list[dict[str, Any]] = field(default_factory=list)  # each with "id" and "body"
    personas: list[dict[str, Any]] = field(default_factory=list)
    roadmap: dict[str, Any] = field(default_factory=dict)


def _emotion_walk(rng: random.Random, count: int, lift: float) -> list[float]:
    value = rng.choice([-0.5, 0.0, 0.5])
    values = []
    for _ in range(count):
        value = max(-2.0, min(2.0, value + rng.choice([-1.0, -0.5, -0.5, 0.0, 0.5, 0.5, 1.0])
                              + lift * 0.25))
        values.append(value)
    return values


def _score(value: float) -> float | int:
    return int(value) if value == int(value) else value


def _persona(rng: random.Random, number: int) -> dict[str, Any]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    city = rng.choice(CITIES)
    role = rng.choice(ROLES)
    return {
        "id": f"{slugify(first)}-{number}",
        "name": f"{first} {last}",
        "role": role,
        "quote": rng.choice(QUOTES),
        "goals": rng.sample(PERSONA_GOALS, 3),
        "expectations": rng.sample(PERSONA_EXPECTATIONS, 3),
        "frustrations": rng.sample(PERSONA_FRUSTRATIONS, 3),
        "channels": rng.sample(CHANNELS[:8], 3),
        "body": (f"## Who {first} is\n\n{first} works as {role.lower()} in the {city} office "
                 f"and has been with the company for {rng.randint(2, 19)} years. {first} is "
                 "the first person colleagues ask when something does not work.\n\n"
                 "## How they work with the service desk\n\n"
                 "E-mails in the morning, calls in the afternoon when there is no answer. The "
                 "portal is hard to read: it is never clear which form is the right one.\n\n"
                 "## What matters\n\nPredictability. A request that takes three weeks is fine "
                 "when it is known to take three weeks.\n"),
    }


def _journey(rng: random.Random, number: int, touchpoints: int,
             personas: list[dict[str, Any]]) -> dict[str, Any]:
    title, thing, tag = rng.choice(TOPICS)
    department, city = rng.choice(DEPARTMENTS), rng.choice(CITIES)
    teams = ["Service desk", *rng.sample(TEAMS[1:], rng.randint(2, 5))]
    stage_names = rng.choice(STAGE_SETS)[:max(1, min(6, rng.randint(4, 6), touchpoints))]
    # Touchpoints spread over the stages, at least one each.
    sizes = [1] * len(stage_names)
    for _ in range(touchpoints - len(stage_names)):
        sizes[rng.randrange(len(sizes))] += 1
    scores = iter(_emotion_walk(rng, touchpoints, 0.0))
    stages: list[dict[str, Any]] = []
    ids: list[str] = []
    for name, size in zip(stage_names, sizes, strict=True):
        tps = []
        for _ in range(size):
            score = next(scores)
            team = rng.choice(teams)
            backstage = rng.random() < 0.2
            if backstage:
                action = rng.choice(BACK_ACTIONS).format(team=team, thing=thing)
                tp: dict[str, Any] = {"action": action, "channel": rng.choice(BACKSTAGE_CHANNELS),
                                      "team": team, "backstage": True}
            else:
                action = rng.choice(FRONT_ACTIONS).format(thing=thing)
                emotion: Any = _score(score)
                if rng.random() < 0.2:  # three interviewees
                    emotion = [_score(max(-2.0, min(2.0, score + d)))
                               for d in (rng.choice([-0.5, 0, 0.5]) for _ in range(3))]
                tp = {"action": action, "channel": rng.choice(CHANNELS), "team": team,
                      "emotion": emotion,
                      "feeling": rng.choice(FEELINGS_BY_SCORE[round(score)])}
                if rng.random() < 0.5:
                    tp["quote"] = rng.choice(QUOTES)
            if rng.random() < 0.5:
                tp["pain"] = rng.choice(PAINS)
            if rng.random() < 0.2:
                tp["gap"] = rng.choice(GAPS)
            if rng.random() < 0.7:
                tp["duration"] = rng.choice(DURATIONS)
            tid = f"{slugify(action)[:40].strip('-')}-{len(ids) + 1}"
            ids.append(tid)
            tps.append({"id": tid, **tp})
        stages.append({"name": name, "touchpoints": tps})
    opportunities = []
    for position in range(rng.randint(3, 8)):
        priority = rng.choices(PRIORITIES, PRIORITY_WEIGHTS)[0]
        opportunity: dict[str, Any] = {
            "id": f"opp-{position + 1}",
            "title": rng.choice(OPPORTUNITY_TITLES).format(thing=thing),
            "touchpoints": sorted(rng.sample(ids, rng.randint(1, min(3, len(ids)))),
                                  key=ids.index),
            "priority": priority,
            "team": rng.choice(teams),
            "status": rng.choices(STATUSES, STATUS_WEIGHTS)[0],
        }
        if priority != "wont" and rng.random() < 0.7:
            opportunity["milestone"] = rng.choice(MILESTONES)[0]
        if rng.random() < 0.8:
            opportunity["description"] = " ".join(rng.sample(OPPORTUNITY_DESCRIPTIONS, 2))
        opportunities.append(opportunity)
    persona = rng.choice(personas)
    body = ("## Context\n\n" + CONTEXT.format(
                teams=", ".join(teams), count=rng.randint(3, 8), city=city,
                state="today, not as we want it") + "\n\n## Interview notes\n\n"
            + "".join(f"- {n}\n" for n in rng.sample(NOTES, 4))
            + "\n## Insights\n\n" + "".join(f"- {n}\n" for n in rng.sample(INSIGHTS, 2)))
    return {
        "id": f"{slugify(title)}-{number}",
        "title": f"{title} ({department}, {city})",
        "persona": persona["id"],
        "state": "current",
        "goal": f"Get {thing} sorted without chasing anyone",
        "expectations": rng.sample(["Knows that the request arrived", "Knows when it will be done",
                                    "Everything works on first use", "One contact person",
                                    "Plain language, no ticket jargon"], 3),
        "teams": teams,
        "tags": sorted({tag, *rng.sample(["pilot", "2026", "top-10", "complaint",
                                         department.lower().replace(" ", "-")], 1)}),
        "stages": stages,
        "opportunities": opportunities,
        "body": body,
    }


def make_data(journeys: int, touchpoints: int, seed: int = DEFAULT_SEED) -> Data:
    """All content of a site, as plain data. Both generators write it."""
    rng = random.Random(seed)
    data = Data()
    data.personas = [_persona(rng, n + 1) for n in range(max(1, round(journeys / 10)))]
    for number in range(1, journeys + 1):
        journey = _journey(rng, number, touchpoints, data.personas)
        earlier = data.journeys
        roll = rng.random()
        if earlier and roll < 0.05:
            # An ideal (to-be) version of an earlier journey, drawn over it.
            other = rng.choice(earlier)
            if other["state"] == "current":
                journey["state"] = "ideal"
                journey["compare_to"] = other["id"]
                journey["persona"] = other["persona"]
                journey["title"] = other["title"].replace("(", "(ideal, ", 1)
                lifted = _emotion_walk(rng, touchpoints, 2.0)
                front = [t for s in journey["stages"] for t in s["touchpoints"]
                         if not t.get("backstage")]
                for tp, score in zip(front, lifted, strict=False):
                    tp["emotion"] = _score(score)
                    tp["feeling"] = rng.choice(FEELINGS_BY_SCORE[round(score)])
        elif earlier and roll < 0.11:
            # The same journey walked by another persona: compared on a group page.
            other = rng.choice(earlier)
            group = other.get("group") or other["id"]
            other["group"] = journey["group"] = group
        data.journeys.append(journey)
    data.roadmap = {
        "title": "Service desk roadmap 2026-2027",
        "vision": "Every customer always knows where their request stands, gets it right the "
                  "first time, and is asked at the end how the whole journey felt.",
        "milestones": [{"id": i, "title": t, "date": d, "description": MILESTONE_TEXT}
                       for i, t, d in MILESTONES],
    }
    return data


# --- the plugin's site ------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the order written; the plugin reads YAML 1.2 plain data."""


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


JOURNEY_KEYS = ["title", "persona", "state", "compare_to", "group", "goal", "expectations",
                "teams", "tags", "stages", "opportunities"]


def journey_file(journey: dict[str, Any]) -> str:
    """A journey as its author would keep it: YAML front matter, then the Markdown body."""
    front = {k: journey[k] for k in JOURNEY_KEYS if k in journey}
    return f"---\n{_dump(front)}---\n\n{journey['body']}"


def persona_file(persona: dict[str, Any]) -> str:
    front = {k: v for k, v in persona.items() if k not in ("id", "body")}
    return f"---\n{_dump(front)}---\n\n{persona['body']}"


def _mkdocs_yml(title: str, plugins: list[Any]) -> str:
    config = {
        "site_name": title,
        "docs_dir": "content",
        "site_dir": "site",
        "strict": True,
        "theme": {"name": "material", "language": "en", "font": False},
        "plugins": plugins,
    }
    return _dump(config)


def _fresh(root: Path) -> Path:
    root = Path(root)
    if (root / "content").exists():
        shutil.rmtree(root / "content")
    (root / "content").mkdir(parents=True)
    return root / "content"


def generate(root: Path | str, journeys: int = 100, touchpoints: int = 20,
             seed: int = DEFAULT_SEED, plugin_options: dict[str, Any] | None = None,
             data: Data | None = None) -> Data:
    """Writes `root/mkdocs.yml` and `root/content/` for the `journeys` plugin; returns the data."""
    root = Path(root)
    data = data or make_data(journeys, touchpoints, seed)
    content = _fresh(root)
    (content / "journeys").mkdir()
    (content / "personas").mkdir()
    for journey in data.journeys:
        (content / "journeys" / f"{journey['id']}.md").write_text(journey_file(journey), "utf-8")
    for persona in data.personas:
        (content / "personas" / f"{persona['id']}.md").write_text(persona_file(persona), "utf-8")
    (content / "roadmap.yml").write_text(_dump(data.roadmap), "utf-8")
    options = {"emotion_scale": [-2, 2], **(plugin_options or {})}
    (root / "mkdocs.yml").write_text(_mkdocs_yml(
        f"Service desk journeys ({len(data.journeys)})", ["search", {"journeys": options}]),
        "utf-8")
    return data


# --- the same text as plain Markdown, written by hand -----------------------------------------

PRIORITY_HEADINGS = {"must": "Must have", "should": "Should have", "could": "Could have",
                     "wont": "Won't have (this time)"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _emotion_text(emotion: Any) -> str:
    if isinstance(emotion, list):
        mean = sum(emotion) / len(emotion)
        return (f"{mean:+.1f} (mean of {len(emotion)} interviews, "
                f"{min(emotion):+g} to {max(emotion):+g})")
    return f"{emotion:+g}"


def baseline_journey_page(journey: dict[str, Any], personas: dict[str, dict[str, Any]],
                          milestones: dict[str, str]) -> str:
    persona = personas[journey["persona"]]
    lines = [f"# {journey['title']}", "",
             f"**Persona:** [{persona['name']}](../personas/{persona['id']}.md), "
             f"{persona['role']}: \u201c{persona['quote']}\u201d", "",
             f"- **State:** {journey['state']}",
             f"- **Goal:** {journey['goal']}",
             f"- **Teams:** {', '.join(journey['teams'])}",
             f"- **Tags:** {', '.join(journey['tags'])}"]
    if journey.get("compare_to"):
        lines.append(f"- **Compares to:** [{journey['compare_to']}]({journey['compare_to']}.md)")
    lines += ["", "## Expectations", "", *(f"- {e}" for e in journey["expectations"]), "",
              "## Touchpoints", "",
              "| # | Stage | Touchpoint | Channel | Team | Emotion | Details | Opportunities |",
              "|---|---|---|---|---|---|---|---|"]
    numbers = {o["id"]: n for n, o in enumerate(journey["opportunities"], start=1)}
    row = 0
    for stage in journey["stages"]:
        for tp in stage["touchpoints"]:
            row += 1
            action = tp["action"] + (" (backstage)" if tp.get("backstage") else "")
            emotion = ""
            if "emotion" in tp:
                emotion = _emotion_text(tp["emotion"]) + f", {tp['feeling']}"
            details = []
            if tp.get("quote"):
                details.append(f"**Quote:** \u201c{tp['quote']}\u201d")
            for key, label in (("pain", "Pain"), ("gap", "Gap"), ("duration", "Duration")):
                if tp.get(key):
                    details.append(f"**{label}:** {tp[key]}")
            touching = [f"[{numbers[o['id']]}](#{o['id']})" for o in journey["opportunities"]
                        if tp["id"] in o["touchpoints"]]
            cells = [str(row), stage["name"], action, tp["channel"], tp.get("team", ""),
                     emotion, "<br>".join(details), ", ".join(touching)]
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines += ["", "## Opportunities", ""]
    for priority in PRIORITIES:
        items = [o for o in journey["opportunities"] if o["priority"] == priority]
        if not items:
            continue
        lines += [f"### {PRIORITY_HEADINGS[priority]}", ""]
        for o in items:
            meta = [f"status: {o['status']}", f"team: {o['team']}"]
            if o.get("milestone"):
                meta.append(f"milestone: {milestones[o['milestone']]}")
            meta.append("touchpoints: " + ", ".join(o["touchpoints"]))
            lines.append(f"{numbers[o['id']]}. **{o['title']}**<a id=\"{o['id']}\"></a>  ")
            lines.append(f"    {' · '.join(meta)}")
            if o.get("description"):
                lines += ["", f"    {o['description']}"]
            lines.append("")
    return "\n".join(lines) + "\n" + str(journey["body"])


def baseline_persona_page(persona: dict[str, Any], journeys: list[dict[str, Any]]) -> str:
    lines = [f"# {persona['name']}", "", f"*{persona['role']}*", "",
             f"> \u201c{persona['quote']}\u201d", ""]
    for key, heading in (("goals", "Goals"), ("expectations", "Expectations"),
                         ("frustrations", "Frustrations")):
        lines += [f"## {heading}", "", *(f"- {item}" for item in persona[key]), ""]
    lines += ["## Preferred channels", "", *(f"1. {c}" for c in persona["channels"]), "",
              f"## Journeys of {persona['name']}", ""]
    lines += [f"- [{j['title']}](../journeys/{j['id']}.md) ({j['state']})" for j in journeys]
    return "\n".join(lines) + "\n\n" + str(persona["body"])


def generate_baseline(root: Path | str, journeys: int = 100, touchpoints: int = 20,
                      seed: int = DEFAULT_SEED, data: Data | None = None) -> Data:
    """The same text as plain Markdown pages, same theme and search, no `journeys` plugin."""
    root = Path(root)
    data = data or make_data(journeys, touchpoints, seed)
    content = _fresh(root)
    (content / "journeys").mkdir()
    (content / "personas").mkdir()
    personas = {p["id"]: p for p in data.personas}
    milestones = {m["id"]: m["title"] for m in data.roadmap["milestones"]}
    for journey in data.journeys:
        (content / "journeys" / f"{journey['id']}.md").write_text(
            baseline_journey_page(journey, personas, milestones), "utf-8")
    for persona in data.personas:
        mine = [j for j in data.journeys if j["persona"] == persona["id"]]
        (content / "personas" / f"{persona['id']}.md").write_text(
            baseline_persona_page(persona, mine), "utf-8")
    index = ["# Journeys", "", "| Journey | Persona | State | Tags |", "|---|---|---|---|"]
    index += [f"| [{_cell(j['title'])}](journeys/{j['id']}.md) "
              f"| [{personas[j['persona']]['name']}](personas/{j['persona']}.md) "
              f"| {j['state']} | {', '.join(j['tags'])} |" for j in data.journeys]
    (content / "index.md").write_text("\n".join(index) + "\n", "utf-8")
    roadmap = [f"# {data.roadmap['title']}", "", data.roadmap["vision"], ""]
    for m in data.roadmap["milestones"]:
        roadmap += [f"## {m['title']}", "", f"*{m['date']}*", "", m["description"], ""]
    (content / "roadmap.md").write_text("\n".join(roadmap), "utf-8")
    (root / "mkdocs.yml").write_text(_mkdocs_yml(
        f"Service desk journeys ({len(data.journeys)}, plain pages)", ["search"]), "utf-8")
    return data


def change_one_emotion(root: Path | str, data: Data, index: int | None = None) -> str:
    """Changes the emotion of one frontstage touchpoint of one journey file; returns its path.

    What an author's commit does before CI builds again: one journey, one score.
    """
    journey = data.journeys[len(data.journeys) // 2 if index is None else index]
    changed = json.loads(json.dumps(journey))
    for stage in changed["stages"]:
        for tp in stage["touchpoints"]:
            if "emotion" in tp:
                old = tp["emotion"]
                value = old[0] if isinstance(old, list) else old
                tp["emotion"] = _score(value - 1 if value > -1 else value + 1)
                path = Path(root) / "content" / "journeys" / f"{journey['id']}.md"
                path.write_text(journey_file(changed), "utf-8")
                return str(path)
    raise ValueError("journey without a frontstage touchpoint")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--journeys", type=int, default=100)
    parser.add_argument("--touchpoints", type=int, default=20)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--baseline", action="store_true", help="plain Markdown pages instead")
    args = parser.parse_args()
    make = generate_baseline if args.baseline else generate
    data = make(args.root, journeys=args.journeys, touchpoints=args.touchpoints, seed=args.seed)
    print(f"{args.root}: {len(data.journeys)} journeys, {len(data.personas)} personas")


if __name__ == "__main__":
    main()
