"""``sipas-bot flows check FILE...`` and ``sipas-bot flows list [--json]``."""

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
    listing = sub.add_parser("list", help="the published flows, by id")
    listing.add_argument("--json", action="store_true", help="print the flows as JSON")
    listing.set_defaults(handler=handle_list)


async def handle_list(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """The newest version of every published flow: what ``links create --flow`` accepts."""
    from bot.cli.common import opened, print_json
    from storage.repos import flow_versions

    async with opened(args, environ) as services:
        locale = services.settings.locale.language
        async with services.db.transaction() as session:
            newest = {v.flow_key: v for v in await flow_versions.versions(session)}
            rows = []
            for key, version in sorted(newest.items()):
                flow = await services.catalog.get(session, version.id)
                rows.append(
                    {
                        "id": key,
                        "title": flow.title.get(locale),
                        "form": flow.form,
                        "questions": flow.total,
                        "scored": bool(flow.scored_questions),
                        "version": version.version,
                    }
                )
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        counts = f"v{row['version']}\t{row['questions']} questions"
        print(f"{row['id']}\t{row['form']}\t{counts}\t{row['title']}")
    return 0


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
