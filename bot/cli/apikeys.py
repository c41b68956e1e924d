"""``sipas-bot apikeys create|list|revoke``: keys the one-stop software sends to the API."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from bot.cli.common import checked_code, opened, print_json


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = commands.add_parser("apikeys", help="API keys of units for the one-stop software")
    sub = group.add_subparsers(dest="apikeys_command", metavar="ACTION", required=True)
    create = sub.add_parser("create", help="create a key for a unit (printed once)")
    create.add_argument("--unit", required=True, metavar="CODE", help="unit code")
    create.add_argument("--json", action="store_true", help="print JSON")
    create.set_defaults(handler=handle_create)
    listing = sub.add_parser("list", help="list a unit's keys (prefixes only)")
    listing.add_argument("--unit", required=True, metavar="CODE", help="unit code")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=handle_list)
    revoke = sub.add_parser("revoke", help="revoke a key by its prefix")
    revoke.add_argument("prefix", help="the key's first characters, as `apikeys list` shows")
    revoke.set_defaults(handler=handle_revoke)


async def handle_create(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from bot.staff import api_keys as keys

    unit_code = checked_code("unit", args.unit)
    async with opened(args, environ) as services:
        issued = await keys.issue(services.db, unit_code, now=services.now())
    if args.json:
        print_json({"key": issued.key, "unit": issued.unit, "prefix": issued.prefix})
    else:
        print(issued.key)
        print(f"API key {issued.prefix}… for {issued.unit}: store it now, it is not shown again.")
    return 0


async def handle_list(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from storage.repos import api_keys, units

    unit_code = checked_code("unit", args.unit)
    async with opened(args, environ) as services, services.db.transaction() as session:
        unit = await units.require(session, unit_code)
        found = await api_keys.for_unit(session, unit.id)
        rows = [
            {
                "prefix": key.prefix,
                "created_at": key.created_at.astimezone(services.zone).isoformat(
                    timespec="seconds"
                ),
                "revoked": key.revoked_at is not None,
            }
            for key in found
        ]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            state = "revoked" if row["revoked"] else "active"
            print(f"{row['prefix']}\t{row['created_at']}\t{state}")
    return 0


async def handle_revoke(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from bot.staff import api_keys as keys

    async with opened(args, environ) as services:
        await keys.revoke(services.db, args.prefix.strip(), now=services.now())
    print(f"API key {args.prefix.strip()} revoked")
    return 0
