"""The ``sipas-bot`` command line (also ``python -m bot``).

Each command group lives in its own module with a ``register`` function. Exit status: 0 done;
1 a user error explained in one line on stderr; 2 wrong usage (argparse). No traceback
reaches a user for a user error.

Starting fast is a feature: the parser is built from light modules only, and each handler
imports the heavy libraries it needs (SQLAlchemy, the channel adapters, matplotlib, argon2...)
when it runs. ``tests/test_cli_startup.py`` keeps it that way.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Mapping, Sequence

from bot.cli import (
    apikeys,
    common,
    db,
    desks,
    digest,
    flows,
    links,
    publish,
    recheck,
    report,
    run,
    units,
    users,
    zalo_oa,
)

GROUPS = (
    run,
    db,
    units,
    links,
    desks,
    flows,
    users,
    apikeys,
    digest,
    report,
    publish,
    recheck,
    zalo_oa,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sipas-bot",
        description="SIPAS chat-bot survey channel: web chat, chat apps, staff pages.",
    )
    parser.add_argument(
        "--config", metavar="FILE", help="settings file to use instead of ./settings.toml"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group in GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Run one command; ``environ`` (default: the process environment) is where the
    ``SIPAS__SECTION__KEY`` overrides are read, so tests can run commands in-process."""
    parser = build_parser()
    args = parser.parse_args(argv)
    # Imported after parsing: --help and usage errors never pay for pydantic or SQLAlchemy.
    from bot.settings import SettingsError
    from flows.loader import FlowError
    from storage.db import DatabaseUnavailable
    from storage.repos.errors import StorageUserError

    try:
        return asyncio.run(args.handler(args, os.environ if environ is None else environ))
    except (common.CliError, SettingsError, StorageUserError, DatabaseUnavailable) as exc:
        for line in str(exc).splitlines() or ["failed"]:
            print(f"sipas-bot: error: {line}", file=sys.stderr)
        return 1
    except FlowError as exc:
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `sipas-bot ... | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
