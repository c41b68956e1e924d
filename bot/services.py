"""The composition root's product: the shared services every entry point is given.

Built once (bot.app.build_services) from the settings and passed down explicitly; nothing
reads settings or the environment from module globals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.channels.base import ChannelRegistry
from bot.conversation.turns import Conversation
from bot.dossiers.links import ChannelLinks, LinkService
from bot.flow_admin.catalog import FlowCatalog
from bot.settings import Settings
from scheduler.clock import Clock
from storage.db import Database


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    catalog: FlowCatalog
    conversation: Conversation
    links: LinkService
    channels: ChannelRegistry
    channel_links: ChannelLinks = field(default_factory=ChannelLinks)

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.locale.zone

    def now(self) -> datetime:
        return self.clock()

    def binding_link(self, channel: str, code: str) -> str | None:
        """The one-time link a staff member opens to bind their chat (None: channel off)."""
        if channel == "telegram" and self.channel_links.telegram_username:
            return f"https://t.me/{self.channel_links.telegram_username}?start={code}"
        return None


def build_services(settings: Settings, clock: Clock, db: Database | None = None) -> Services:
    db = db or Database(settings.database.url)
    catalog = FlowCatalog()
    zone = settings.locale.zone
    conversation = Conversation(
        db, catalog, clock, zone=zone, default_locale=settings.locale.language
    )
    services = Services(
        settings=settings,
        db=db,
        clock=clock,
        catalog=catalog,
        conversation=conversation,
        links=None,  # type: ignore[arg-type]  # set below: it reads channel_links lazily
        channels=ChannelRegistry(),
    )
    services.links = LinkService(
        db,
        clock,
        public_url=settings.web.public_url,
        expire_after=settings.links.expire_after,
        zone=zone,
        channels=lambda: services.channel_links,
    )
    return services
