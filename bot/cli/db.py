"""``sipas-bot db upgrade``."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from bot.cli.common import opened


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    db = commands.add_parser("db", help="database maintenance")
    sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = sub.add_parser("upgrade", help="apply pending migrations and exit")
    upgrade.set_defaults(handler=handle_upgrade)


async def handle_upgrade(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    async with opened(args, environ):
        print("database is up to date")
    return 0
