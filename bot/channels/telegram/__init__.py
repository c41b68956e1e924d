"""The Telegram channel's registry entry. Light on purpose: python-telegram-bot is imported only
when the channel is built, so commands that do not talk to Telegram start fast."""

from __future__ import annotations

from bot.channels.protocol import Capabilities
from bot.channels.registry import adapter_plugin

CAPABILITIES = Capabilities(
    buttons=True, edits=True, max_text=4096, start_payload=True, images=True
)

PLUGIN = adapter_plugin(
    name="telegram",
    link_key="telegram",
    label="Telegram",
    capabilities=CAPABILITIES,
    section="telegram",
    adapter="bot.channels.telegram.adapter:TelegramChannel",
)
