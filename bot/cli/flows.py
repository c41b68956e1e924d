"""``sipas-bot flows check FILE...``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = commands.add_parser("flows", help="question flow files")
    sub = group.add_subparsers(dest="flows_command", metavar="ACTION", required=True)
    check = sub.add_parser("check", help="validate flow files (one line per error)")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(handler=handle_check)


async def handle_check(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from flows.loader import FlowError, load_flow_file

    failed = False
    for name in args.files:
        try:
            flow = load_flow_file(name)
        except FlowError as exc:
            failed = True
            for problem in exc.problems:
                print(str(problem), file=sys.stderr)
            continue
        print(f"{name}: ok ({flow.key}, {flow.form}, {flow.total} questions)")
    return 1 if failed else 0
