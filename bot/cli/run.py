"""``sipas-bot run``."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Mapping

from bot.cli.common import CliError, settings_from

ROLES = ("all", "web", "channels", "scheduler")  # bot.app.ROLES (kept light for --help)


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    run = commands.add_parser(
        "run",
        help="serve the web chat, staff pages, API, channels and scheduler",
        description=(
            "Apply pending migrations, then serve until interrupted. --role splits the work "
            "across processes on PostgreSQL: any number of 'web' (web chat, staff pages, API, "
            "webhooks), one 'channels' (polling), and 'scheduler' (reminders, digests, "
            "retries; one runs at a time, a second waits as a standby and takes over when the "
            "first stops). On SQLite keep the default 'all': another role still starts, with "
            "a warning, because the database file serves one machine and is best used by one "
            "process; two 'all' processes never both run the scheduler."
        ),
    )
    run.add_argument(
        "--role",
        choices=ROLES,
        default="all",
        help="which part of the work this process does (default: all)",
    )
    run.set_defaults(handler=handle_run)


async def handle_run(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from sqlalchemy.exc import DBAPIError, OperationalError

    from bot.app import serve
    from bot.channels.protocol import ChannelUnavailable

    settings = settings_from(args, environ)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # APScheduler logs every tick at INFO; our jobs log what they actually send.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # a line per plugin at every start
    logging.getLogger("httpx").setLevel(logging.WARNING)  # chat clients' per-poll logs
    try:
        await serve(settings, role=args.role)
    except (OperationalError, DBAPIError) as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise CliError(f"cannot use the database ({reason})") from None
    except ChannelUnavailable as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot serve on {settings.web.host}:{settings.web.port} ({exc})") from None
    return 0
