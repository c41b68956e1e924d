"""``sipas-bot digest --unit CODE [--week YYYY-Www] [--send] [--check]``.

Prints the unit's weekly digest (by default for the last complete week, the one chairs
received on Monday); ``--send`` also delivers it to the unit's bound chairs and viewers;
``--check`` recomputes the year's figures from raw answers and compares them with the counters.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.cli.common import CliError, checked_code, opened
from bot.staff.roles import RECEIVE_DIGEST

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.services import Services
    from reports.digest import Digest
    from storage.models import Unit


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("digest", help="print (and send) a unit's weekly digest")
    parser.add_argument("--unit", required=True, metavar="CODE", help="unit code")
    parser.add_argument(
        "--week",
        metavar="YYYY-Www",
        help="ISO week, e.g. 2026-W48 (default: the last complete ISO week, Monday to Sunday "
        "before the current one in [locale] timezone)",
    )
    parser.add_argument("--send", action="store_true", help="deliver it to the bound chats")
    parser.add_argument(
        "--check", action="store_true", help="compare the counters with a raw recount"
    )
    parser.set_defaults(handler=handle)


async def handle(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from reports.weeks import parse_week
    from storage.repos import units

    checked_code("unit", args.unit)
    if args.week is not None:
        try:
            parse_week(args.week)
        except ValueError as exc:
            raise CliError(str(exc)) from None
    async with opened(args, environ, sending=args.send) as services:
        now = services.now()
        week = args.week or last_complete_week(now, services.zone)
        locale = services.settings.locale.language
        async with services.db.transaction() as session:
            unit = await units.require(session, checked_code("unit", args.unit))
            digest = await services.digest(session, unit, week, locale, now)
            problems = await _check(session, unit, week) if args.check else []
        print(digest.text)
        if args.check:
            if problems:
                raise CliError("counters disagree with raw answers: " + "; ".join(problems))
            print("counters agree with a recount from raw answers", file=sys.stderr)
        if args.send:
            count = await deliver_digest(services, unit, digest)
            print(f"sent to {count} chat(s)", file=sys.stderr)
    return 0


def last_complete_week(now: datetime, zone: ZoneInfo) -> str:
    """The default ``--week``: the ISO week before the one ``now`` falls in (local time), the
    last one whose Monday-to-Sunday is over, the week chairs received on Monday."""
    from reports.weeks import shift
    from scheduler.clock import iso_week

    return shift(iso_week(now, zone), -1)


async def _check(session: AsyncSession, unit: Unit, week: str) -> list[str]:
    from reports.figures import scope_of, week_period, year_to_date
    from reports.verify import disagreements
    from storage.repos import units

    scope = scope_of(unit, await units.all_units(session))
    year = year_to_date(week_period(week))
    return await disagreements(session, [u.id for u in scope], year.start, year.end)


async def deliver_digest(services: Services, unit: Unit, digest: Digest) -> int:
    """Send the digest now to every bound chat of the unit's chairs and viewers."""
    from bot.channels.protocol import SendFailed
    from flows.outbound import ConversationRef
    from storage.repos import users

    async with services.db.transaction() as session:
        chats = [
            binding
            for role in RECEIVE_DIGEST
            for _user, binding in await users.bound_chats(session, unit_id=unit.id, role=role)
        ]
    if not chats:
        raise CliError(f"no chair or viewer of {unit.code} has a bound chat (see users bind)")
    missing = sorted({b.channel for b in chats if services.channels.get(b.channel) is None})
    if missing:
        raise CliError(
            f"channel {', '.join(missing)} is not configured in this process; nothing was sent"
        )
    sent = 0
    for binding in chats:
        try:
            await services.outbox.send(
                ConversationRef(binding.channel, binding.chat_id), digest.messages()
            )
        except SendFailed as exc:
            raise CliError(
                f"sent to {sent} chat(s), then {binding.channel} failed: {exc}"
            ) from None
        sent += 1
    return sent
