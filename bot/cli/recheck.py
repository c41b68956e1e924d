"""``sipas-bot recheck draw``: the re-verification (phúc tra) sample of a unit and period."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping

from bot.cli.common import CliError, opened, print_json

DEFAULT_SHARE = 10


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = commands.add_parser("recheck", help="re-verification (phúc tra) of responses")
    sub = group.add_subparsers(dest="recheck_command", metavar="ACTION", required=True)
    draw = sub.add_parser("draw", help="draw a reproducible sample of counted responses")
    draw.add_argument("--unit", required=True, metavar="CODE", help="unit code (and units below)")
    draw.add_argument(
        "--period", required=True, metavar="P", help="2026-W49, 2026-12, 2026-Q4, 2026 or a..b"
    )
    draw.add_argument(
        "--share", type=int, default=DEFAULT_SHARE, metavar="PERCENT", help="default 10"
    )
    draw.add_argument("--seed", type=int, metavar="N", help="repeat a draw (default: a new one)")
    draw.add_argument("--json", action="store_true", help="print the sample as JSON")
    draw.set_defaults(handler=handle_draw)


async def handle_draw(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from bot.rechecks import MAX_SEED, draw_sample, new_seed
    from reports.periods import parse_period

    if not 1 <= args.share <= 100:
        raise CliError(f"--share must be a percentage from 1 to 100, not {args.share}")
    seed = new_seed() if args.seed is None else args.seed
    if not 0 <= seed <= MAX_SEED:
        raise CliError(f"--seed must be a whole number from 0 to {MAX_SEED}")
    async with opened(args, environ) as services:
        today = services.now().astimezone(services.zone).date()
        try:
            period = parse_period(args.period, today=today)
        except ValueError as problem:
            raise CliError(str(problem)) from None
        data, created = await draw_sample(
            services,
            unit_code=args.unit,
            period=period,
            share=args.share,
            seed=seed,
            actor="cli",
        )
    if args.json:
        print_json(data)
        return 0
    period_data = data["period"]
    print(f"{data['unit']} {period_data['label']} ({period_data['from']}..{period_data['to']})")
    print(f"seed {data['seed']} (repeat with --seed {data['seed']})")
    print(f"{len(data['sample'])} of {data['population']} responses ({data['share']} %)")
    if not created:
        print("the same draw was already stored", file=sys.stderr)
    for title, key in (("sample", "sample"), ("reserve", "reserve")):
        print(f"{title}:")
        for entry in data[key]:
            print(f"  {entry['response_id']}  {entry['dossier']}  {entry['completed_at']}")
    return 0
