"""The cycle collector is paused while our events run, and always given back."""

from __future__ import annotations

import gc

import pytest

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


def test_the_events_keep_their_priorities_and_pause_the_collector() -> None:
    plugin = JourneysPlugin()
    assert getattr(plugin.on_files, "mkdocs_priority", None) == -50
    assert getattr(plugin.on_page_context, "mkdocs_priority", None) == -100
    for event in (plugin.on_files, plugin.on_page_content, plugin.on_page_context,
                  plugin.on_post_build):
        assert getattr(event, "__wrapped__", None) is not None, event
