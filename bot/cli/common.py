"""What CLI commands share: settings loading, opening the database, printing results."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError

from bot.channels import lifecycle
from bot.channels.protocol import ChannelUnavailable
from bot.flow_admin.catalog import publish_defaults
from bot.services import Services, build_services
from bot.settings import Settings, load_settings
from scheduler.clock import system_clock
from storage.db import Database


class CliError(Exception):
    """A user error: printed as one line on stderr, exit status 1."""


def settings_from(args: argparse.Namespace, environ: Mapping[str, str]) -> Settings:
    return load_settings(getattr(args, "config", None), environ)


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
        try:
            if not (channel_links or sending):
                yield services
                return
            async with lifecycle.prepared(services, strict=sending):
                yield services
        except ChannelUnavailable as exc:
            raise CliError(str(exc)) from None
        finally:
            await services.close()
    finally:
        await db.dispose()


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
