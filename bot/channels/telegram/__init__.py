"""The Telegram channel's registry entry. Light on purpose: python-telegram-bot is imported only
when the channel is built, so commands that do not talk to Telegram start fast."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.channels.protocol import Capabilities, Channel
from bot.channels.registry import ChannelPlugin

if TYPE_CHECKING:
    from bot.services import Services
    from bot.settings import Settings

CAPABILITIES = Capabilities(
    buttons=True, edits=True, max_text=4096, start_payload=True, images=True
)


def _enabled(settings: Settings) -> bool:
    return settings.telegram.enabled


def _create(services: Services) -> Channel:
    from bot.channels.telegram.adapter import TelegramChannel

    return TelegramChannel(services)


PLUGIN = ChannelPlugin(
    name="telegram",
    link_key="telegram",
    label="Telegram",
    capabilities=CAPABILITIES,
    enabled=_enabled,
    create=_create,
)
