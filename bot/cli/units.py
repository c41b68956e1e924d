"""``sipas-bot units add|list``."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from bot.cli.common import CliError, checked_code, opened, print_json

MAX_UNIT_NAME = 255  # the column's size


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = commands.add_parser("units", help="administrative units (province, commune...)")
    sub = group.add_subparsers(dest="units_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="add a unit")
    add.add_argument("code", help="unit code, e.g. XA-HOATHANH")
    add.add_argument("name", help='unit name, e.g. "UBND xã Hòa Thành"')
    add.add_argument("--parent", metavar="CODE", help="parent unit (province or district)")
    add.add_argument("--annual-dossiers", type=_count, metavar="N", help="dossiers per year")
    add.add_argument("--quota", type=_count, metavar="N", help="fixed yearly sample quota")
    add.add_argument(
        "--place",
        metavar="TEXT",
        help='where respondents are served, e.g. "Trung tâm Phục vụ hành chính công" '
        '(default "Bộ phận Một cửa"); the flows\' {place}',
    )
    add.set_defaults(handler=handle_add)
    listing = sub.add_parser("list", help="list units")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=handle_list)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("expected a number of 0 or more")
    return value


async def handle_add(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from storage.repos import audit, units

    code = checked_code("unit", args.code)
    parent = checked_code("unit", args.parent) if args.parent is not None else None
    name = " ".join(args.name.split())
    if not name or len(name) > MAX_UNIT_NAME:
        raise CliError(f"the unit name must have 1 to {MAX_UNIT_NAME} characters")
    async with opened(args, environ) as services:
        now = services.now()
        async with services.db.transaction() as session:
            unit = await units.add(
                session,
                code,
                name,
                now=now,
                parent_code=parent,
                annual_dossiers=args.annual_dossiers,
                quota=args.quota,
                place=(args.place or "").strip()[:255] or None,
            )
            await audit.record(session, actor="cli", action="unit.add", now=now, subject=unit.code)
        print(f"unit {unit.code} added: {unit.name}")
    return 0


async def handle_list(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from storage.repos import units

    async with opened(args, environ) as services, services.db.transaction() as session:
        found = await units.all_units(session)
        by_id = {u.id: u.code for u in found}
        rows = [
            {
                "code": u.code,
                "name": u.name,
                "parent": by_id.get(u.parent_id) if u.parent_id else None,
                "annual_dossiers": u.annual_dossiers,
                "quota": u.quota,
                "minimum_sample": units.minimum_sample(u.annual_dossiers, u.quota),
            }
            for u in found
        ]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            parent = f" (in {row['parent']})" if row["parent"] else ""
            print(f"{row['code']}\t{row['name']}{parent}")
    return 0
