"""The ways into a chat, for links, slips, landing pages and staff bindings.

A channel that can carry a start payload gets a deep link with the payload; one that cannot
gets the landing page ``<public_url>/z/<code>``, which shows the short code to send and a button
that opens the chat. Keys come from the registry, so the links JSON always has every installed
channel's key (null while it is off), and no platform is named here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from bot.channels.registry import ChannelRegistry, PluginCatalog

LANDING_PATH = "/z/"


@dataclass(frozen=True)
class ChatDoor:
    """A chat a landing page offers to open."""

    label: str
    url: str


@dataclass
class ChannelDirectory:
    plugins: PluginCatalog
    channels: ChannelRegistry
    public_url: str

    def landing_url(self, code: str) -> str:
        return f"{self.public_url.rstrip('/')}{LANDING_PATH}{code}"

    def link_keys(self) -> list[str]:
        return self.plugins.link_keys()

    def links_maker(
        self, hidden: Collection[str] = ()
    ) -> Callable[[str, str], dict[str, str | None]]:
        """``{link_key: url or None}`` of a survey link, as a function of (token, short code),
        every installed key present; ``hidden`` link keys (switched off by an admin) stay
        None. Which channel may fill which key is worked out once, for the many links of a
        bulk import."""
        keys = self.link_keys()
        candidates = [
            (plugin.link_key, channel)
            for channel in self.channels
            if (plugin := self.plugins.get(channel.name)) is not None
            and plugin.link_key not in hidden
        ]

        def links(token: str, short_code: str) -> dict[str, str | None]:
            result: dict[str, str | None] = dict.fromkeys(keys)
            for key, channel in candidates:
                if result[key]:
                    continue  # an earlier channel filled it
                if channel.capabilities.start_payload:
                    result[key] = channel.entry_link(token)
                else:
                    result[key] = self.landing_url(short_code)
            return result

        return links

    def binding_link(self, channel_name: str, code: str) -> str | None:
        """The one-time link a staff member opens to bind their chat (None: channel off)."""
        channel = self.channels.get(channel_name)
        if channel is None:
            return None
        if channel.capabilities.start_payload:
            return channel.entry_link(code)
        return self.landing_url(code)

    def doors(self) -> list[ChatDoor]:
        """Chats a landing page opens (channels reached by typing a code)."""
        doors: list[ChatDoor] = []
        for channel in self.channels:
            plugin = self.plugins.get(channel.name)
            url = channel.chat_link()
            if plugin is None or url is None or channel.capabilities.start_payload:
                continue
            doors.append(ChatDoor(plugin.label, url))
        return doors
