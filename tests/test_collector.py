"""The cycle collector is paused while our events run, and always given back."""

from __future__ import annotations

import gc
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.structure.files import Files

from mkdocs_journey_plugin import plugin as journeys_plugin
from mkdocs_journey_plugin.collector import collector_paused
from mkdocs_journey_plugin.plugin import JourneysPlugin


@collector_paused
def running() -> bool:
    return gc.isenabled()


@collector_paused
def failing() -> None:
    raise ValueError("bad content")


def test_paused_while_the_handler_runs_and_running_again_after() -> None:
    assert gc.isenabled()
    assert running() is False
    assert gc.isenabled()
    with pytest.raises(ValueError):
        failing()
    assert gc.isenabled()


def test_a_collector_paused_by_someone_else_stays_paused() -> None:
    gc.disable()
    try:
        assert running() is False
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_events_keep_their_priorities_and_pause_the_collector(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = JourneysPlugin()
    # Files become pages before literate-nav (-100), or after static-i18n (-110) when it runs.
    before, after = plugin.on_files.methods
    assert [getattr(before, "mkdocs_priority", None), getattr(after, "mkdocs_priority", None)] == [
        -50, -110]
    assert getattr(plugin.on_page_content, "mkdocs_priority", None) == 100
    # Charts step out just before search (priority 0) and back in right after it.
    hide, show = plugin.on_page_context.methods
    assert [getattr(hide, "mkdocs_priority", None), getattr(show, "mkdocs_priority", None)] == [
        1, -1]
    for event in (plugin.make_pages, plugin.on_page_content, hide, show, plugin.on_post_build):
        assert getattr(event, "__wrapped__", None) is not None, event
    seen: list[bool] = []

    def reading(*args: object) -> None:
        seen.append(gc.isenabled())
        raise LookupError("stop here")

    monkeypatch.setattr(journeys_plugin, "load_catalog", reading)
    errors, _ = plugin.load_config({"cache": False})
    assert not errors
    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"),
                             docs_dir=str(tmp_path))
    with pytest.raises(LookupError):
        before(Files([]), config)  # type: ignore[arg-type]
    assert seen == [False] and gc.isenabled()
