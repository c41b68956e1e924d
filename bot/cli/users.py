"""``sipas-bot users add|bind``."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Mapping

from bot.channels.registry import PluginCatalog
from bot.cli.common import CliError, checked_code, opened, print_json
from bot.staff.passwords import MIN_LENGTH
from bot.staff.roles import ADMIN, ROLES


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = commands.add_parser("users", help="staff accounts")
    sub = group.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="add a staff account")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--unit", metavar="CODE", help="the unit (required but for admins)")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.set_defaults(handler=handle_add)
    bind = sub.add_parser("bind", help="print a one-time link that binds a chat to the account")
    bind.add_argument("username")
    bind.add_argument("--channel", required=True, choices=PluginCatalog.installed().bindable())
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
    from bot.staff import accounts as staff_accounts

    if args.role != ADMIN and not args.unit:
        raise CliError(f"a {args.role} needs --unit CODE")
    unit_code = checked_code("unit", args.unit) if args.unit else None
    password = _read_password(args.password_stdin)
    async with opened(args, environ) as services:
        await staff_accounts.add_user(
            services,
            username=args.username,
            password=password,
            role=args.role,
            unit_code=unit_code,
            actor="cli",
        )
    scope = f" of {args.unit}" if args.unit else ""
    print(f"user {args.username} added ({args.role}{scope})")
    return 0


async def handle_bind(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from bot.staff import accounts as staff_accounts

    async with opened(args, environ, channel_links=True) as services:
        binding = await staff_accounts.new_binding(
            services, username=args.username, channel=args.channel, actor="cli"
        )
        expires = binding.expires_at.astimezone(services.zone)
    if args.json:
        print_json(
            {
                "user": binding.username,
                "channel": binding.channel,
                "code": binding.code,
                "link": binding.link,
                "expires_at": expires.isoformat(timespec="seconds"),
            }
        )
    else:
        print(binding.link or f"binding code: {binding.code}")
    return 0
