"""The composition root's product: the shared services every entry point is given.

Built once (bot.app.build_services) from the settings and passed down explicitly; nothing
reads settings or the environment from module globals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.channels.directory import ChannelDirectory
from bot.channels.registry import ChannelRegistry, PluginCatalog
from bot.conversation.outbox import Outbox
from bot.conversation.router import ChatRouter
from bot.conversation.turns import Conversation
from bot.desks.service import DeskService
from bot.dossiers.links import LinkService
from bot.dossiers.notices import result_notices_for
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
    desks: DeskService
    plugins: PluginCatalog  # every installed channel
    channels: ChannelRegistry  # the channels active in this process
    directory: ChannelDirectory  # deep links, landing pages, binding links
    outbox: Outbox
    router: ChatRouter

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.locale.zone

    def now(self) -> datetime:
        return self.clock()

    async def close(self) -> None:
        """Close what holds connections besides the database (the ZNS HTTP session)."""
        if self.links.notices is not None:
            await self.links.notices.close()

    def binding_link(self, channel: str, code: str) -> str | None:
        """The one-time link a staff member opens to bind their chat (None: channel off)."""
        return self.directory.binding_link(channel, code)


def build_services(
    settings: Settings,
    clock: Clock,
    db: Database | None = None,
    plugins: PluginCatalog | None = None,
) -> Services:
    db = db or Database(settings.database.url)
    plugins = plugins or PluginCatalog.installed()
    catalog = FlowCatalog()
    zone = settings.locale.zone
    language = settings.locale.language
    channels = ChannelRegistry()
    directory = ChannelDirectory(plugins, channels, settings.web.public_url)
    services = Services(
        settings=settings,
        db=db,
        clock=clock,
        catalog=catalog,
        conversation=Conversation(db, catalog, clock, zone=zone, default_locale=language),
        links=LinkService(
            db,
            clock,
            public_url=settings.web.public_url,
            expire_after=settings.links.expire_after,
            zone=zone,
            directory=directory,
        ),
        desks=DeskService(db, clock, public_url=settings.web.public_url, settings=settings.desks),
        plugins=plugins,
        channels=channels,
        directory=directory,
        outbox=Outbox(channels, db, clock, locale=language),
        router=None,  # type: ignore[arg-type]  # set below: the router reads the services
    )
    services.router = ChatRouter(services)
    services.links.notices = result_notices_for(settings, db, clock, services.links.web_url)
    return services
