"""Drawing the re-verification (phúc tra) sample: the CLI and the staff page share it, so the
JSON of a draw (INTERFACES.md "The re-verification sample as JSON") is produced in one place.

A draw covers the unit and every unit below it (a province draws across its communes; a
commune only its own responses), over the counted responses completed in the period.
"""

from __future__ import annotations

import secrets
from datetime import tzinfo
from typing import Any

from bot.services import Services
from reports.periods import Period
from storage.models import RecheckDraw, Unit
from storage.repos import audit, rechecks, units
from storage.repos.rechecks import DrawRequest, ItemView

MAX_SEED = 2**63 - 1  # stored in a BIGINT


def new_seed() -> int:
    """A seed for a draw asked for without one; printed so the draw can be repeated."""
    return secrets.randbelow(1_000_000)


def _entry(view: ItemView, zone: tzinfo) -> dict[str, Any]:
    return {
        "response_id": view.response.id,
        "dossier": view.response.dossier,
        "completed_at": view.response.completed_at.astimezone(zone).isoformat(timespec="seconds"),
    }


def draw_json(draw: RecheckDraw, unit: Unit, views: list[ItemView], zone: tzinfo) -> dict:
    """The stored draw as INTERFACES.md shows it (no phone: it goes to a file or a screen)."""
    return {
        "unit": unit.code,
        "period": {
            "label": draw.period_label,
            "from": draw.period_start.isoformat(),
            "to": draw.period_end.isoformat(),
        },
        "population": draw.population,
        "share": draw.share,
        "seed": draw.seed,
        "sample": [_entry(v, zone) for v in views if v.item.role == rechecks.SAMPLE],
        "reserve": [_entry(v, zone) for v in views if v.item.role == rechecks.RESERVE],
    }


async def draw_sample(
    services: Services, *, unit_code: str, period: Period, share: int, seed: int, actor: str
) -> tuple[dict, bool]:
    """Draw (or find the identical stored draw) and return its JSON and whether it is new."""
    now = services.now()
    async with services.db.transaction() as session:
        unit = await units.require(session, unit_code)
        below = await units.descendants(session, unit.id)
        request = DrawRequest(
            unit_id=unit.id,
            unit_ids=[unit.id, *(u.id for u in below)],
            label=period.label,
            start=period.start,
            end=period.end,
            share=share,
            seed=seed,
        )
        draw, created = await rechecks.draw(session, request, zone=services.zone, now=now, by=actor)
        if created:
            await audit.record(
                session,
                actor=actor,
                action="recheck.draw",
                now=now,
                subject=f"{unit.code}/{period.label}",
                detail={"draw": draw.id, "share": share, "seed": seed},
            )
        views = await rechecks.items(session, draw.id)
        return draw_json(draw, unit, views, services.zone), created
