"""``sipas-bot report --unit CODE [--period P] [--format F] [--out FILE]``.

The unit's results for a period (an ISO week, a month, a quarter, a calendar year or a range
of dates; default the last complete month in the [locale] timezone), as text, the report
JSON of INTERFACES.md, CSV, or a format another module registers in ``reports.exports``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Mapping
from pathlib import Path

from bot.cli.common import CliError, opened

FORMATS = ("text", "json", "csv", "xlsx", "pdf")  # reports.exports.KNOWN, without importing it


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("report", help="a unit's results for a period")
    parser.add_argument("--unit", required=True, metavar="CODE", help="unit code")
    parser.add_argument(
        "--period",
        metavar="P",
        help="2026-W49, 2026-12, 2026-Q4, 2026 or 2026-10-01..2026-12-31 (default: the last "
        "complete month)",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="default: text")
    parser.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    parser.set_defaults(handler=handle)


async def handle(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from reports.exports import BINARY, available, renderer_for
    from reports.periods import PeriodError, parse_period
    from reports.report import build_report

    renderer = renderer_for(args.format)
    if renderer is None:
        raise CliError(
            f"the {args.format} export is not installed in this version; "
            f"use --format {', '.join(available())}"
        )
    if args.format in BINARY and not args.out:
        raise CliError(f"--format {args.format} is a file: give --out FILE")
    async with opened(args, environ) as services:
        now = services.now()
        try:
            period = parse_period(args.period, today=now.astimezone(services.zone).date())
        except PeriodError as exc:
            raise CliError(str(exc)) from None
        locale = services.settings.locale.language
        async with services.db.transaction() as session:
            report = await build_report(
                session,
                args.unit,
                period,
                now=now,
                locale=locale,
                zone=services.zone,
                flows=services.catalog.get,
            )
    content = renderer(report, locale)
    if args.out:
        try:
            await asyncio.to_thread(Path(args.out).write_bytes, content)
        except OSError as exc:
            raise CliError(f"cannot write {args.out}: {exc.strerror}") from None
        print(f"written to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(content.decode("utf-8"))  # binary formats need --out
    return 0
