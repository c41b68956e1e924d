"""The Zalo channels' registry entries (the Bot API and the Official Account). Light on
purpose: the adapters are imported only when a channel is built. Neither Zalo API carries a
start payload or buttons, so both share the ``zalo`` link: the landing page with a short code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.channels.protocol import Capabilities, Channel
from bot.channels.registry import ChannelPlugin

if TYPE_CHECKING:
    from bot.services import Services
    from bot.settings import Settings

# Text messages of at most 2,000 characters, no buttons, no edits; photos only by URL.
CAPABILITIES = Capabilities(
    buttons=False, edits=False, max_text=2000, start_payload=False, images=False
)


def _bot_enabled(settings: Settings) -> bool:
    return settings.zalo_bot.enabled


def _create_bot(services: Services) -> Channel:
    from bot.channels.zalo.bot_adapter import ZaloBotChannel

    return ZaloBotChannel(services)


BOT_PLUGIN = ChannelPlugin(
    name="zalo_bot",
    link_key="zalo",
    label="Zalo Bot",
    link_label="Zalo",
    capabilities=CAPABILITIES,
    enabled=_bot_enabled,
    create=_create_bot,
)


def _oa_enabled(settings: Settings) -> bool:
    return settings.zalo_oa.enabled


def _create_oa(services: Services) -> Channel:
    from bot.channels.zalo.oa_adapter import ZaloOaChannel

    return ZaloOaChannel(services)


OA_PLUGIN = ChannelPlugin(
    name="zalo_oa",
    link_key="zalo",
    label="Zalo OA",
    link_label="Zalo",
    capabilities=CAPABILITIES,
    enabled=_oa_enabled,
    create=_create_oa,
)
