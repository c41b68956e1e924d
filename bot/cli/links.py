"""``sipas-bot links create``."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from bot.cli.common import CliError, checked_code, opened, print_json


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = commands.add_parser("links", help="survey links for dossiers")
    sub = group.add_subparsers(dest="links_command", metavar="ACTION", required=True)
    create = sub.add_parser("create", help="create (or show) the survey link of a dossier")
    create.add_argument("--unit", required=True, metavar="CODE", help="unit code")
    create.add_argument("--dossier", required=True, metavar="CODE", help="dossier code")
    create.add_argument("--form", choices=("citizen", "organization"), default="citizen")
    create.add_argument(
        "--flow",
        metavar="ID",
        help="a published flow by id (sipas-bot flows list) instead of the unit's default",
    )
    create.add_argument("--procedure", metavar="TEXT", help="procedure or field")
    create.add_argument(
        "--phone", metavar="PHONE", help="the citizen's phone: the result notice goes there (ZNS)"
    )
    create.add_argument("--json", action="store_true", help="print the link as JSON")
    create.set_defaults(handler=handle_create)


async def handle_create(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from bot.dossiers import fields as dossier_fields

    unit_code = checked_code("unit", args.unit)
    try:
        dossier = dossier_fields.dossier_code(args.dossier)
        procedure = dossier_fields.procedure(args.procedure)
        phone = dossier_fields.phone(args.phone or "")
    except dossier_fields.FieldProblem as problem:
        raise CliError(problem.text("en")) from None
    async with opened(args, environ, channel_links=True) as services:
        info = await services.links.create(
            unit_code=unit_code,
            dossier_code=dossier,
            form=args.form,
            procedure=procedure,
            phone=phone,
            actor="cli",
            flow=args.flow,
        )
        data = services.links.as_json(info, services.settings.locale.language)
    if args.json:
        print_json(data)
    else:
        print(f"{'created' if info.created else 'existing'} link for {data['dossier']}")
        for name, url in data["links"].items():
            if url:
                print(f"{name}: {url}")
        print(f"QR code: {data['qr_png']}")
        print(f"expires: {data['expires_at']}")
        if info.notice is not None:
            print(f"result notice (Zalo ZNS): {notice_line(info.notice.as_json())}")
        print(data["text"])
    return 0


def notice_line(notice: dict[str, str | None]) -> str:
    return f"{notice['status']} ({notice['error']})" if notice["error"] else str(notice["status"])
