"""The composition root's product: the shared services every entry point is given.

Built once (bot.app.build_services) from the settings and passed down explicitly; nothing
reads settings or the environment from module globals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.directory import ChannelDirectory
from bot.channels.registry import ChannelRegistry, PluginCatalog
from bot.complaints.desk import ComplaintDesk
from bot.conversation.integrity import Rules
from bot.conversation.outbox import Outbox
from bot.conversation.router import ChatRouter
from bot.conversation.turns import Conversation
from bot.desks.service import DeskService
from bot.dossiers.links import LinkService
from bot.dossiers.notices import result_notices_for
from bot.flow_admin.catalog import FlowCatalog
from bot.mail import Mailer, mailer_for
from bot.settings import Settings
from reports.digest import Digest, compose_digest
from scheduler.clock import Clock
from storage.db import Database
from storage.models import Unit


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
    complaints: ComplaintDesk = None  # type: ignore[assignment]  # set by build_services
    mailer: Mailer | None = None  # e-mail copies of digests and alerts ([email]), when enabled

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.locale.zone

    def now(self) -> datetime:
        return self.clock()

    async def close(self) -> None:
        """Close what holds connections besides the database (the ZNS HTTP session)."""
        if self.links.notices is not None:
            await self.links.notices.close()

    async def digest(
        self, session: AsyncSession, unit: Unit, week: str, locale: str, now: datetime
    ) -> Digest:
        """The digest of ``unit`` for ``week`` as of ``now`` (on demand: the CLI, ``/baocao``,
        the report page), linking the work list of reports / petitions."""
        return await compose_digest(
            session,
            unit,
            week,
            self.catalog.get,
            self.zone,
            locale,
            now,
            work_list_url=self.complaints.list_url(),
        )

    def binding_link(self, channel: str, code: str) -> str | None:
        """The one-time link a staff member opens to bind their chat (None: channel off)."""
        return self.directory.binding_link(channel, code)


def integrity_rules(settings: Settings) -> Rules:
    """The ``[integrity]`` settings as the conversation glue reads them."""
    section = settings.integrity
    return Rules(
        min_seconds_per_answer=section.min_seconds_per_answer,
        max_dossiers_per_chat=section.max_dossiers_per_chat,
        staff_networks=section.staff_networks,
    )


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
        conversation=Conversation(
            db, catalog, clock, zone=zone, default_locale=language, rules=integrity_rules(settings)
        ),
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
    services.mailer = mailer_for(settings.email)
    services.complaints = ComplaintDesk(
        db,
        services.outbox,
        clock,
        zone=zone,
        answer_within=settings.complaints.answer_within,
        public_url=settings.web.public_url,
        mailer=services.mailer,
    )
    services.conversation.complaints = services.complaints
    services.links.notices = result_notices_for(settings, db, clock, services.links.web_url)
    return services
