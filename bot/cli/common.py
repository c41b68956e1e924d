"""What CLI commands share: settings loading, opening the database, printing results.

Light at import on purpose: the parser is built from the command modules, which import this
one, so ``sipas-bot --help`` must not pay for SQLAlchemy, Alembic, the channel adapters or
matplotlib. Everything heavy is imported inside the function that uses it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.services import Services
    from bot.settings import Settings


class CliError(Exception):
    """A user error: printed as one line on stderr, exit status 1."""


def settings_from(args: argparse.Namespace, environ: Mapping[str, str]) -> Settings:
    from bot.settings import load_settings

    return load_settings(getattr(args, "config", None), environ)


async def discover_channel_links(services: Services) -> None:
    """Fill the channels' deep links (the Telegram bot's username comes from getMe). When a
    channel does not answer, the command still works: one warning line, and its link is null.

    The only place the CLI learns channel links; the adapter is imported here, and only when
    the channel is on, so commands that need no link never load it.
    """
    if not services.settings.telegram.enabled:
        return
    from dataclasses import replace

    from bot.channels.telegram import TelegramUnavailable, bot_username

    try:
        username = await bot_username(services.settings.telegram)
    except TelegramUnavailable as exc:
        print(f"sipas-bot: warning: {exc}; the Telegram link is left out", file=sys.stderr)
        return
    services.channel_links = replace(services.channel_links, telegram_username=username)


@asynccontextmanager
async def opened(
    args: argparse.Namespace,
    environ: Mapping[str, str],
    *,
    channel_links: bool = False,
    sending: bool = False,
) -> AsyncIterator[Services]:
    """Services on a migrated database (migrations are idempotent and cheap when current);
    ``channel_links`` also asks the configured channels for their deep links; ``sending``
    registers the configured channels so the command can deliver messages.
    """
    from sqlalchemy.exc import DBAPIError, OperationalError

    from bot.flow_admin.catalog import publish_defaults
    from bot.services import build_services
    from scheduler.clock import system_clock
    from storage.db import Database

    settings = settings_from(args, environ)
    db = Database(settings.database.url)
    try:
        try:
            await db.migrate()
            async with db.transaction() as session:
                await publish_defaults(session, system_clock())
        except (OperationalError, DBAPIError, OSError) as exc:
            reason = str(getattr(exc, "orig", exc)).splitlines()[0]
            raise CliError(f"cannot use the database ({reason})") from None
        services = build_services(settings, system_clock, db)
        if channel_links:
            await discover_channel_links(services)
        if not sending:
            yield services
            return
        async with _sending(services):
            yield services
    finally:
        await db.dispose()


@asynccontextmanager
async def _sending(services: Services) -> AsyncIterator[None]:
    """The configured channels registered for delivery; a channel that cannot start is a
    user error (one line)."""
    from bot.channels import telegram

    try:
        async with telegram.sending_only(services):
            yield
    except telegram.TelegramUnavailable as exc:
        raise CliError(str(exc)) from None


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
