"""Chromium driven by Playwright, on sites served from this machine only.

Debian's Chromium is used as it is (never `playwright install`). Outside CI, a machine where
Chromium cannot start skips these tests and says why; in CI (CI=true) that is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
OUTPUT = Path(__file__).resolve().parent.parent / "test-output"


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """A static server for a built site on 127.0.0.1 and a free port; its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def launch() -> Any:
    """(playwright, browser), or a skip (a failure in CI) saying why Chromium cannot run."""
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        reason = f"Playwright for Python is not installed: {error}"
    else:
        if not Path(CHROMIUM).exists():
            reason = f"{CHROMIUM} is missing (Debian package chromium)"
        else:
            playwright = sync_playwright().start()
            try:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            except Exception as error:  # any launch failure means: no browser on this machine
                playwright.stop()
                reason = f"Chromium cannot start here: {error}"
            else:
                return playwright, browser
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run in CI: {reason}")
    pytest.skip(reason)


class PageWatch:
    """Collects what must never happen on our pages: console errors, dialogs, far requests."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.outside: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)
        page.on("request", lambda r: None if r.url.startswith((base_url, "data:", "blob:"))
                else self.outside.append(r.url))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self) -> None:
        assert self.dialogs == [], "a dialog opened"
        assert self.errors == [], "console errors"
        assert self.outside == [], "requests left this machine"


CHARTS = "svg.journey-map, svg.journey-roadmap, svg.journey-bars, svg.journey-comparison"

# Runs in the page (argument: a selector of charts, default the journey maps): every text of
# every chart against the chart and against each other, measured by the browser with the fonts
# it really uses.
TEXT_BOXES = """
(selector) => [...document.querySelectorAll(selector || 'svg.journey-map')].map(svg => {
  const view = svg.viewBox.baseVal;
  const texts = [...svg.querySelectorAll('text')].map(t => {
    const b = t.getBBox();
    return {text: t.textContent, x: b.x, y: b.y, right: b.x + b.width, bottom: b.y + b.height};
  });
  return {id: svg.id, width: view.width, height: view.height, texts};
})
"""


def text_problems(charts: list[dict[str, Any]], tolerance: float = 0.5) -> list[str]:
    """Texts outside their chart, or on top of each other, as readable lines."""
    problems = []
    for chart in charts:
        texts = chart["texts"]
        for t in texts:
            if t["x"] < -tolerance or t["right"] > chart["width"] + tolerance or \
                    t["y"] < -tolerance or t["bottom"] > chart["height"] + tolerance:
                problems.append(f"{chart['id']}: outside the map: {t}")
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                width = min(a["right"], b["right"]) - max(a["x"], b["x"])
                height = min(a["bottom"], b["bottom"]) - max(a["y"], b["y"])
                if width > tolerance and height > tolerance:
                    problems.append(f"{chart['id']}: {a['text']!r} overlaps {b['text']!r}")
    return problems


def serious_violations(page: Any) -> list[tuple[str, str, list[Any]]]:
    """What axe finds serious or critical on the page: rule, impact, the first nodes."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
