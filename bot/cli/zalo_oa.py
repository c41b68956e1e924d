"""``sipas-bot zalo-oa set-token --refresh-token-stdin``: store a fresh OA refresh token.

Used after an admin grants the app access to the Official Account again (the refresh token
was lost or refused). The token is read from stdin so it stays out of the shell history and
the process list; the next send refreshes the access token with it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping

from bot.cli.common import CliError, opened, settings_from


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = commands.add_parser("zalo-oa", help="the Zalo Official Account's credentials")
    sub = group.add_subparsers(dest="zalo_oa_command", metavar="ACTION", required=True)
    set_token = sub.add_parser(
        "set-token", help="store a fresh OA refresh token (after access is granted again)"
    )
    set_token.add_argument(
        "--refresh-token-stdin",
        action="store_true",
        required=True,
        help="read the refresh token from standard input",
    )
    set_token.set_defaults(handler=handle_set_token)


async def handle_set_token(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from bot.staff import oa_token

    settings = settings_from(args, environ)
    if not settings.zalo_oa.enabled:
        raise CliError("[zalo_oa] app_id is not set: configure the Official Account first")
    async with opened(args, environ) as services:
        try:
            generation = await oa_token.store(
                services.db,
                settings.zalo_oa.app_id,
                sys.stdin.readline(),
                now=services.now(),
                actor="cli",
            )
        except oa_token.BadRefreshToken as exc:
            where = " on standard input" if exc.key == "oa_token_missing" else ""
            raise CliError(f"{exc}{where}") from None
    print(
        f"OA refresh token stored (generation {generation}); "
        "the next send refreshes the access token with it"
    )
    return 0
