"""``sipas-bot desks add``: a desk with a standing QR code and its poster."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from bot.cli.common import opened, print_json


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = commands.add_parser("desks", help="service desks with a standing QR code")
    sub = group.add_subparsers(dest="desks_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="add a desk: its QR code opens a quick rating")
    add.add_argument("--unit", required=True, metavar="CODE", help="unit code")
    add.add_argument("name", help='the desk\'s name as printed on the poster, e.g. "Quầy 1"')
    add.add_argument("--flow", metavar="ID", default="desk", help="flow id (default: desk)")
    add.add_argument("--json", action="store_true", help="print the desk as JSON")
    add.set_defaults(handler=handle_add)


async def handle_add(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    async with opened(args, environ) as services:
        info = await services.desks.add(
            unit_code=args.unit, name=args.name, flow_key=args.flow, actor="cli"
        )
        data = services.desks.as_json(info)
    if args.json:
        print_json(data)
    else:
        print(f"desk {data['code']} added: {data['name']} ({data['unit']})")
        print(f"link: {data['url']}")
        print(f"QR code: {data['qr_png']}")
        print(f"poster: {data['poster_pdf']}")
    return 0
