"""The plugin's options as read from mkdocs.yml, without a build."""

from __future__ import annotations

import pytest

from mkdocs_journey_plugin.config import JourneysConfig, feedback_of
from mkdocs_journey_plugin.islands import page_links
from mkdocs_journey_plugin.labels import Labels


def config(feedback_url: str) -> JourneysConfig:
    options = JourneysConfig()
    options.load_dict({"feedback_url": feedback_url})
    assert options.validate() == ([], [])
    return options


GOOD = "https://x.org/new?t={title}&i={id}&k={kind}&p={path}&u={url}&b={{braces}}"


def test_every_documented_placeholder_and_doubled_braces_are_allowed() -> None:
    assert feedback_of(config(GOOD)) == GOOD
    values = {"title": "A & B", "id": "a", "kind": "journey", "path": "j/a.md", "url": "j/a/"}
    links = page_links(Labels(), None, GOOD, values)
    assert "t=A%20%26%20B&amp;i=a&amp;k=journey&amp;p=j%2Fa.md&amp;u=j%2Fa%2F&amp;b={braces}" \
        in links


@pytest.mark.parametrize("placeholder", [
    "{title.__class__}", "{title.__class__.__mro__[1].__subclasses__}", "{title[0]}",
    "{title!r}", "{title!s}", "{title:>99}", "{title:{id}}", "{id!a:x}", "{}", "{0}",
    "{name}", "{url.real}",
])
def test_anything_but_a_bare_placeholder_is_a_config_error(placeholder: str) -> None:
    with pytest.raises(ValueError, match=r"'feedback_url' may only use the placeholders "
                       r"\{title\}, \{id\}, \{kind\}, \{path\}, \{url\}, as they are, not "):
        feedback_of(config(f"https://x.org/new?t={placeholder}"))


@pytest.mark.parametrize("template", ["https://x.org/{title", "https://x.org/}"])
def test_a_lone_brace_is_a_config_error(template: str) -> None:
    with pytest.raises(ValueError, match="'feedback_url' is not a valid template"):
        feedback_of(config(template))
