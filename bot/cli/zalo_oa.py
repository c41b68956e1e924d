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
    from storage.repos import oa_tokens

    settings = settings_from(args, environ)
    if not settings.zalo_oa.enabled:
        raise CliError("[zalo_oa] app_id is not set: configure the Official Account first")
    token = sys.stdin.readline().strip()
    if not token:
        raise CliError("no refresh token on standard input")
    if any(c.isspace() for c in token) or len(token) > 4096:
        raise CliError("that does not look like a Zalo refresh token (one line, no spaces)")
    async with opened(args, environ) as services, services.db.transaction() as session:
        generation = await oa_tokens.set_refresh_token(
            session, settings.zalo_oa.app_id, token, services.now()
        )
    print(
        f"OA refresh token stored (generation {generation}); "
        "the next send refreshes the access token with it"
    )
    return 0
