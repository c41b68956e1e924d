"""Channels by name: the one place that knows which adapters exist.

A channel is a ``ChannelPlugin``: its name, the key of its link in a survey link's JSON, whether
the settings switch it on, and a factory that builds the adapter (importing the platform's
library only then, so the CLI starts fast). The product's own adapters are listed in
``BUILTIN``; another package adds one through the entry-point group ``sipas.channels``. Links,
staff bindings, the CLI, the pages and the OpenAPI ask this module and never spell a platform.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from bot.channels.protocol import Capabilities, Channel

if TYPE_CHECKING:
    from bot.services import Services
    from bot.settings import Settings

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "sipas.channels"
WEB = "web"  # the web chat: always on, served by the web server itself

# name -> "module:attribute" of its ChannelPlugin (imported lazily: the module must be light).
BUILTIN: dict[str, str] = {
    "telegram": "bot.channels.telegram:PLUGIN",
    "zalo_bot": "bot.channels.zalo_plugins:BOT_PLUGIN",
    "zalo_oa": "bot.channels.zalo_plugins:OA_PLUGIN",
}


@dataclass(frozen=True)
class ChannelPlugin:
    """What the registry knows about a channel before it is built."""

    name: str  # stored with sessions and bindings: never rename
    link_key: str  # key in the links JSON; channels opened the same way may share one
    label: str  # shown to staff
    capabilities: Capabilities  # what the adapter can show (known before it is built)
    enabled: Callable[[Settings], bool]
    create: Callable[[Services], Channel]
    bindable: bool = True  # staff may bind a chat of this channel
    link_label: str = ""  # how staff pages name the link (default: ``label``)


def _attribute(target: str) -> object:
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


def _load(target: str) -> ChannelPlugin:
    plugin = _attribute(target)
    if not isinstance(plugin, ChannelPlugin):
        raise TypeError(f"{target} is not a ChannelPlugin")
    return plugin


def adapter_plugin(
    *,
    name: str,
    link_key: str,
    label: str,
    capabilities: Capabilities,
    section: str,
    adapter: str,
    link_label: str = "",
) -> ChannelPlugin:
    """The usual plugin: on when the settings section ``[section]`` is enabled, built by the
    adapter class ``adapter`` ("module:Class", imported only then) from the services."""

    def enabled(settings: Settings) -> bool:
        return bool(getattr(settings, section).enabled)

    def create(services: Services) -> Channel:
        factory = _attribute(adapter)
        assert callable(factory), adapter
        return factory(services)  # type: ignore[no-any-return]

    return ChannelPlugin(
        name=name,
        link_key=link_key,
        label=label,
        capabilities=capabilities,
        enabled=enabled,
        create=create,
        link_label=link_label,
    )


class PluginCatalog:
    """Every installed channel plugin, built-in first, then entry points (by name)."""

    def __init__(self, plugins: Iterable[ChannelPlugin] = ()) -> None:
        self._plugins: dict[str, ChannelPlugin] = {}
        for plugin in plugins:
            self.add(plugin)

    @classmethod
    def installed(cls) -> PluginCatalog:
        catalog = cls(_load(target) for target in BUILTIN.values())
        for entry in entry_points(group=ENTRY_POINT_GROUP):
            if entry.name in catalog._plugins:
                continue
            try:
                catalog.add(entry.load())
            except Exception as exc:  # a broken third-party plugin must not stop the product
                log.error("channel plugin %s could not be loaded: %s", entry.name, exc)
        return catalog

    def add(self, plugin: ChannelPlugin) -> None:
        if plugin.name == WEB:
            raise ValueError("the name 'web' is the web chat's")
        self._plugins[plugin.name] = plugin

    def get(self, name: str) -> ChannelPlugin | None:
        return self._plugins.get(name)

    def __iter__(self) -> Iterator[ChannelPlugin]:
        return iter(self._plugins.values())

    def names(self) -> list[str]:
        return list(self._plugins)

    def link_keys(self) -> list[str]:
        """Keys of the links JSON besides ``web`` (each appears, null when off)."""
        return list(dict.fromkeys(plugin.link_key for plugin in self))

    def link_labels(self) -> dict[str, str]:
        """``{link_key: name shown to staff}``, in registry order."""
        labels: dict[str, str] = {}
        for plugin in self:
            labels.setdefault(plugin.link_key, plugin.link_label or plugin.label)
        return labels

    def labels(self) -> dict[str, str]:
        return {plugin.name: plugin.label for plugin in self}

    def bindable(self) -> list[str]:
        return [plugin.name for plugin in self if plugin.bindable]

    def enabled(self, settings: Settings) -> list[ChannelPlugin]:
        return [plugin for plugin in self if plugin.enabled(settings)]


class ChannelRegistry:
    """The active channels of this process, by name."""

    def __init__(self) -> None:
        self._channels: dict[str, Channel] = {}

    def add(self, channel: Channel) -> None:
        self._channels[channel.name] = channel

    def get(self, name: str) -> Channel | None:
        return self._channels.get(name)

    def remove(self, name: str) -> None:
        self._channels.pop(name, None)

    def names(self) -> list[str]:
        return sorted(self._channels)

    def __iter__(self) -> Iterator[Channel]:
        return iter(list(self._channels.values()))
