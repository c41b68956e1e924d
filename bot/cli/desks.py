"""``sipas-bot desks add``: a desk with a standing QR code and its poster; ``sipas-bot desks
report``: the unit's results cut by desk for a period (``reports.desks``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping

from bot.cli.common import CliError, opened, print_json


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = commands.add_parser("desks", help="service desks with a standing QR code")
    sub = group.add_subparsers(dest="desks_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="add a desk: its QR code opens a quick rating")
    add.add_argument("--unit", required=True, metavar="CODE", help="unit code")
    add.add_argument("name", help='the desk\'s name as printed on the poster, e.g. "Quầy 1"')
    add.add_argument("--flow", metavar="ID", default="desk", help="flow id (default: desk)")
    add.add_argument("--json", action="store_true", help="print the desk as JSON")
    add.set_defaults(handler=handle_add)
    report = sub.add_parser("report", help="each desk's results for a period")
    report.add_argument("--unit", required=True, metavar="CODE", help="unit code")
    report.add_argument("--desk", metavar="CODE", help="only this desk (default: every desk)")
    report.add_argument(
        "--period",
        metavar="P",
        help="2026-W49, 2026-12, 2026-Q4, 2026 or 2026-10-01..2026-12-31 (default: the last "
        "complete month)",
    )
    report.add_argument("--format", choices=("text", "json"), default="text")
    report.set_defaults(handler=handle_report)


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


async def handle_report(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from reports.desk_text import desk_report_text
    from reports.desks import build_desk_report
    from reports.periods import PeriodError, parse_period
    from storage.repos import units

    async with opened(args, environ) as services:
        try:
            period = parse_period(
                args.period, today=services.now().astimezone(services.zone).date()
            )
        except PeriodError as exc:
            raise CliError(str(exc)) from None
        locale = services.settings.locale.language
        async with services.db.transaction() as session:
            unit = await units.require(session, args.unit)
            report = await build_desk_report(
                session,
                unit,
                period,
                locale=locale,
                flows=services.catalog.get,
                desk_code=args.desk,
            )
    if args.format == "json":
        print_json(report)
    else:
        sys.stdout.write(desk_report_text(report, locale))
    return 0
