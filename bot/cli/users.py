"""``sipas-bot users add|bind``."""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from collections.abc import Mapping
from datetime import timedelta

from bot.cli.common import CliError, opened, print_json
from bot.passwords import MIN_LENGTH, hash_password
from storage.repos import audit, units, users

BINDING_LIFETIME = timedelta(days=2)


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = commands.add_parser("users", help="staff accounts")
    sub = group.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="add a staff account")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=users.ROLES)
    add.add_argument("--unit", metavar="CODE", help="the unit (required but for admins)")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.set_defaults(handler=handle_add)
    bind = sub.add_parser("bind", help="print a one-time link that binds a chat to the account")
    bind.add_argument("username")
    bind.add_argument("--channel", required=True, choices=("telegram", "zalo_bot"))
    bind.add_argument("--json", action="store_true", help="print JSON")
    bind.set_defaults(handler=handle_bind)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat the password: ") != password:
            raise CliError("the two passwords differ")
    if len(password) < MIN_LENGTH:
        raise CliError(f"the password must have at least {MIN_LENGTH} characters")
    return password


async def handle_add(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    if args.role != "admin" and not args.unit:
        raise CliError(f"a {args.role} needs --unit CODE")
    password = _read_password(args.password_stdin)
    async with opened(args, environ) as services:
        now = services.now()
        async with services.db.transaction() as session:
            unit = await units.require(session, args.unit) if args.unit else None
            user = await users.add(
                session,
                username=args.username,
                password_hash=hash_password(password),
                role=args.role,
                unit_id=unit.id if unit else None,
                now=now,
            )
            await audit.record(
                session,
                actor="cli",
                action="user.add",
                now=now,
                subject=user.username,
                detail={"role": user.role, "unit": unit.code if unit else None},
            )
    scope = f" of {args.unit}" if args.unit else ""
    print(f"user {args.username} added ({args.role}{scope})")
    return 0


async def handle_bind(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    async with opened(args, environ, channel_links=True) as services:
        now = services.now()
        code = "b_" + secrets.token_urlsafe(24)
        async with services.db.transaction() as session:
            user = await users.require(session, args.username)
            await users.add_binding_code(
                session,
                user=user,
                channel=args.channel,
                code=code,
                now=now,
                expires_at=now + BINDING_LIFETIME,
            )
            await audit.record(
                session, actor="cli", action="user.bind", now=now, subject=user.username
            )
        link = services.binding_link(args.channel, code)
        expires = (now + BINDING_LIFETIME).astimezone(services.zone)
    if args.json:
        print_json(
            {
                "user": args.username,
                "channel": args.channel,
                "code": code,
                "link": link,
                "expires_at": expires.isoformat(timespec="seconds"),
            }
        )
    else:
        print(link or f"binding code: {code}")
    return 0
