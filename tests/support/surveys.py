"""Survey links and respondents for tests that talk to the conversation glue directly."""

from __future__ import annotations

from bot.services import Services

UNIT = "XA-HOATHANH"  # the commune the `services` fixture creates


async def new_token(
    services: Services,
    dossier: str = "HS-2026-000123",
    form: str = "citizen",
    unit: str = UNIT,
    flow: str | None = None,
) -> str:
    """A fresh survey link for a dossier of ``unit``, as a clerk would make it; its token.
    ``flow`` picks a published flow by id (``links create --flow``)."""
    info = await services.links.create(
        unit_code=unit, dossier_code=dossier, form=form, actor="test", flow=flow
    )
    return info.link.token
