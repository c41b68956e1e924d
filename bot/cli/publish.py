"""``sipas-bot publish --unit CODE --period P [--withdraw]``: the unit's public results page."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from bot.cli.common import CliError, opened


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "publish", help="put a unit's results for a period on its public page /p/CODE"
    )
    parser.add_argument("--unit", required=True, metavar="CODE", help="unit code")
    parser.add_argument(
        "--period",
        required=True,
        metavar="P",
        help="2026-W49, 2026-12, 2026-Q4, 2026 or 2026-10-01..2026-12-31",
    )
    parser.add_argument("--withdraw", action="store_true", help="take that period off the page")
    parser.set_defaults(handler=handle)


async def handle(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from bot.results.publishing import set_published
    from reports.periods import parse_period
    from storage.repos import units

    async with opened(args, environ) as services:
        now = services.now()
        try:
            period = parse_period(args.period, today=now.astimezone(services.zone).date())
        except ValueError as exc:
            raise CliError(str(exc)) from None
        async with services.db.transaction() as session:
            unit = await units.require(session, args.unit)
            changed = await set_published(
                session, unit, period, by="cli", now=now, withdraw=args.withdraw
            )
        url = f"{services.settings.web.public_url.rstrip('/')}/p/{unit.code}"
        if args.withdraw:
            state = "withdrawn from" if changed else "was not on"
        else:
            state = "published on" if changed else "was already on"
        print(f"{unit.code} {period.label} {state} {url}")
    return 0
