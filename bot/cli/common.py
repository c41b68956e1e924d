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


def checked_code(kind: str, value: str) -> str:
    """A unit code, dossier code or flow id checked with the rules of the web and the API
    (``bot.dossiers.fields``); a bad one is a one-line user error."""
    from bot.dossiers import fields

    check = {"unit": fields.unit_code, "dossier": fields.dossier_code, "flow": fields.flow_id}
    try:
        checked = check[kind](value)
    except fields.FieldProblem as problem:
        raise CliError(problem.text("en")) from None
    if checked is None:
        raise CliError(f"{kind}: a value is required")
    return checked


def settings_from(args: argparse.Namespace, environ: Mapping[str, str]) -> Settings:
    from bot.settings import load_settings

    return load_settings(getattr(args, "config", None), environ)


@asynccontextmanager
async def opened(
    args: argparse.Namespace,
    environ: Mapping[str, str],
    *,
    channel_links: bool = False,
    sending: bool = False,
) -> AsyncIterator[Services]:
    """Services on a migrated database (migrations are idempotent and cheap when current).
    ``channel_links`` connects the configured channels to learn their deep links (one that
    does not answer: a warning line, and its link is null); ``sending`` connects them so the
    command can deliver messages (one that does not answer is a user error).
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
        from bot.channels import lifecycle
        from bot.channels.protocol import ChannelUnavailable

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
