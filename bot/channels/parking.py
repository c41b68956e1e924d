"""Parking a poison update: one a channel received but cannot handle while the database
answers (it would fail the same way every time). It is acknowledged to the platform, so the
platform does not re-deliver it forever, and recorded for an admin: a log line and an
``update.parked`` audit entry naming the channel, the update id and the kind of error, never
its content (chat ids, texts)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING

from storage.db import DatabaseUnavailable
from storage.repos import audit

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)


async def park(services: Services, channel: str, update_id: object, error: BaseException) -> None:
    kind = type(error).__name__
    log.error("parked %s update %s that cannot be handled (%s)", channel, update_id, kind)
    try:
        async with services.db.transaction() as session:
            await audit.record(
                session,
                actor=channel,
                action="update.parked",
                now=services.now(),
                subject=channel,
                detail={"update_id": str(update_id)[:40], "error": kind},
            )
    except Exception:  # parking must not fail the acknowledgement
        log.exception("could not record the parked %s update %s", channel, update_id)


async def handled_or_parked(
    services: Services, channel: str, update_id: object, work: Awaitable[None]
) -> bool:
    """Run ``work`` (handling one update); True when it was handled or parked (answer 200),
    False when the database does not answer (answer 503: the platform delivers it again)."""
    try:
        await work
    except DatabaseUnavailable as exc:
        if not await services.db.ping():
            return False
        await park(services, channel, update_id, exc)
    except Exception as exc:  # never a 500 that the platform retries forever
        log.exception("failed to handle %s update %s", channel, update_id)
        await park(services, channel, update_id, exc)
    return True
