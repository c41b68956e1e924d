"""The Zalo channels' registry entries (the Bot API and the Official Account). Light on
purpose: the adapters are imported only when a channel is built. Neither Zalo API carries a
start payload or buttons, so both share the ``zalo`` link: the landing page with a short code.
"""

from __future__ import annotations

from bot.channels.protocol import Capabilities
from bot.channels.registry import adapter_plugin

# Text messages of at most 2,000 characters, no buttons, no edits; photos only by URL.
CAPABILITIES = Capabilities(
    buttons=False, edits=False, max_text=2000, start_payload=False, images=False
)

BOT_PLUGIN = adapter_plugin(
    name="zalo_bot",
    link_key="zalo",
    label="Zalo Bot",
    link_label="Zalo",
    capabilities=CAPABILITIES,
    section="zalo_bot",
    adapter="bot.channels.zalo.bot_adapter:ZaloBotChannel",
)

OA_PLUGIN = adapter_plugin(
    name="zalo_oa",
    link_key="zalo",
    label="Zalo OA",
    link_label="Zalo",
    capabilities=CAPABILITIES,
    section="zalo_oa",
    adapter="bot.channels.zalo.oa_adapter:ZaloOaChannel",
)
