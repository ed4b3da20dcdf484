"""The plugin's options, each documented where it is declared, and reading them outside MkDocs."""

from __future__ import annotations

import string
from dataclasses import fields
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import base
from mkdocs.config import config_options as c

from .catalog import Layout
from .model import EmotionScale

_DEFAULT = Layout()  # where content and pages go by default: written once, in Layout


class JourneysConfig(base.Config):  # type: ignore[no-untyped-call]
    journeys_dir = c.Type(str, default=_DEFAULT.journeys_dir)
    """Folder of journey files inside `docs_dir`; journey pages are published under it too."""

    personas_dir = c.Type(str, default=_DEFAULT.personas_dir)
    """Folder of persona files inside `docs_dir`; persona pages are published under it too."""

    roadmap_file = c.Type(str, default=_DEFAULT.roadmap_file)
    """The roadmap file inside `docs_dir`; optional."""

    metrics_file = c.Type(str, default=_DEFAULT.metrics_file)
    """The file inside `docs_dir` that defines the metrics journeys are measured by; optional."""

    data_dir = c.Type(str, default=_DEFAULT.data_dir)
    """Folder of data files inside `docs_dir`: dated values of metrics, `*.csv`."""

    backlog = c.Type(bool, default=_DEFAULT.backlog)
    """Publish the opportunity backlog of all journeys, and one per team."""

    backlog_dir = c.Type(str, default=_DEFAULT.backlog_dir)
    """Where the backlog pages are published: `opportunities/`, `opportunities/<team>/`."""

    tags_dir = c.Type(str, default=_DEFAULT.tags_dir)
    """Where the page of each journey tag is published: `tags/<tag>/`."""

    roadmap_dir = c.Type(str, default=_DEFAULT.roadmap_dir)
    """Where the roadmap page is published, when there is a roadmap file."""

    insights_dir = c.Type(str, default=_DEFAULT.insights_dir)
    """Where the page of figures across all journeys is published."""

    groups_dir = c.Type(str, default=_DEFAULT.groups_dir)
    """Where journeys that share a `group` are compared: `groups/<group>/`."""

    emotion_scale = c.ListOfItems(c.Type((int, float)), default=[-2, 2])
    """Lowest and highest emotion score, e.g. `[1, 5]` for Mermaid's scale. Default `[-2, 2]`."""

    history = c.Type(bool, default=True)
    """Show on each journey page when it last changed and how its emotions changed over the
    commits of its file, read from git at build time (nothing is shown outside git)."""

    history_limit = c.Type(int, default=20)
    """At most this many of the most recent revisions in the history chart."""

    cache = c.Type(bool, default=True)
    """Keep drawn charts on disk and draw again only what changed (journey, options, plugin)."""

    png = c.Type(bool, default=True)
    """Offer each journey's map as PNG beside the SVG download, when the renderer is installed
    (the extra: `pip install 'mkdocs-journey-plugin[raster]'`); without it the build says so
    once, at info level, and offers SVG alone. Drawing a PNG costs about 0.15 s a map in the
    first build and nothing once cached; `false` leaves PNG out."""

    cache_dir = c.Type(str, default=".cache/journeys")
    """Where the chart cache lives, relative to mkdocs.yml; CI can keep this folder between
    runs. Drawings a build no longer uses are removed at its end."""

    feedback_url = c.Optional(c.Type(str))
    """A link for readers' feedback on a journey or persona page, e.g. a new-issue form:
    `https://git.example.org/desk/journeys/-/issues/new?issue[title]=Feedback on {title}`.
    Placeholders (each URL-encoded): {title}, {id}, {kind} (journey or persona), {path} (the
    source file), {url} (the page), written just so (nothing after the name); `{{` and `}}`
    for braces. Only http, https and mailto links are allowed."""

    mermaid_journeys = c.Type(bool, default=True)
    """Draw each fenced `mermaid` block whose diagram is a Mermaid `journey`, on any page of the
    site, as our map (inline SVG, no JavaScript) with a table of its tasks; every other Mermaid
    diagram is left as it is. Scores 1 to 5 go linearly onto `emotion_scale`; a diagram
    Mermaid would reject is a warning `path:line:column: message` (fails `--strict`) and stays
    as written. `false`: leave every Mermaid block alone."""

    language = c.Optional(c.Type(str))
    """Language of the plugin's own labels; default: the theme's `language`, else English."""


FOLDERS = tuple(f.name for f in fields(Layout) if f.name.endswith("_dir"))


def layout_of(config: JourneysConfig) -> Layout:
    """Where content and generated pages live, or ValueError when two kinds share a folder:
    a tag page and a journey page of one name, or the roadmap and the insights, would take
    one address."""
    folders = {option: str(config[option]).strip("/") for option in FOLDERS}
    named: dict[str, str] = {}
    for option, folder in folders.items():
        if not folder:
            raise ValueError(f"journeys: '{option}' must name a folder, not be empty")
        if folder in named:
            raise ValueError(f"journeys: '{named[folder]}' and '{option}' are both '{folder}'; "
                             "each kind of page needs a folder of its own")
        named[folder] = option
    return Layout(**{f.name: folders.get(f.name, config[f.name]) for f in fields(Layout)})


def scale_of(config: JourneysConfig) -> EmotionScale:
    """The emotion scale, or ValueError with a message for the person who wrote mkdocs.yml."""
    values = config.emotion_scale
    if len(values) != 2 or isinstance(values[0], bool) or isinstance(values[1], bool) \
            or not values[0] < values[1]:
        raise ValueError("journeys: 'emotion_scale' must be two numbers, lowest first, "
                         f"like [-2, 2], not {values}")
    return EmotionScale(float(values[0]), float(values[1]))


FEEDBACK_FIELDS = ("title", "id", "kind", "path", "url")


def feedback_of(config: JourneysConfig) -> str | None:
    """The feedback URL template, or ValueError saying what is wrong with it."""
    template: str | None = config.feedback_url
    if template is None:
        return None
    scheme = template.split(":", 1)[0].lower()
    if scheme not in ("http", "https", "mailto") or ":" not in template:
        raise ValueError("journeys: 'feedback_url' must start with http:, https: or mailto:")
    # str.format would also read {title.__class__}, {title[0]}, {title!r} and {title:>99}:
    # Python's internals in a link. Only the bare placeholders are allowed.
    allowed = ", ".join("{" + f + "}" for f in FEEDBACK_FIELDS)
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion
                  in string.Formatter().parse(template) if name is not None]
    except ValueError as error:  # a lone { or }
        raise ValueError(f"journeys: 'feedback_url' is not a valid template ({error}); write "
                         "{{ and }} for braces") from None
    for name, spec, conversion in fields:
        if name not in FEEDBACK_FIELDS or spec or conversion:
            written = "{" + name + (f"!{conversion}" if conversion else "") + \
                (f":{spec}" if spec else "") + "}"
            raise ValueError(f"journeys: 'feedback_url' may only use the placeholders "
                             f"{allowed}, as they are, not {written}")
    return template


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running it: tags such as !ENV or !!python/name become null."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/",
                                     lambda loader, suffix, node: None)


def read_site_options(mkdocs_yml: Path) -> tuple[Path, JourneysConfig]:
    """The content folder and the `journeys` plugin options of a site, for the command line.

    Raises ValueError with a printable message when the file or the options are wrong.
    """
    try:
        data: Any = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_LenientLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ValueError(f"{mkdocs_yml}: cannot read: {error}") from None
    data = data if isinstance(data, dict) else {}
    plugins = data.get("plugins") or []
    options: Any = {}
    if isinstance(plugins, dict):
        options = plugins.get("journeys") or {}
    else:
        for item in plugins:
            if isinstance(item, dict) and "journeys" in item:
                options = item["journeys"] or {}
    config = JourneysConfig()
    config.load_dict(options if isinstance(options, dict) else {})
    errors, _warnings = config.validate()
    if errors:
        raise ValueError("\n".join(f"{mkdocs_yml}: plugins.journeys.{key}: {error}"
                                   for key, error in errors))
    docs_dir = mkdocs_yml.parent / str(data.get("docs_dir") or "docs")
    return docs_dir, config


def cache_folder(config: JourneysConfig, config_file_path: str | None) -> Path | None:
    """Where the cache lives (relative to mkdocs.yml), or None when it is switched off."""
    return Path(config_file_path or ".").parent / config.cache_dir if config.cache else None
