"""Whether the Zalo OA's tokens still work, for ``/healthz`` and the admins' staff banner.

Read from the database alone (``token_status``), so a web process sees what the process that
sends found out. The transition to degraded is logged once per process, with what to do;
the keeper's own log line stays per failed refresh.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.channels.zalo.oa_tokens import TokenStatus, token_status
from bot.settings import ZaloOaSettings
from storage.db import Database

log = logging.getLogger(__name__)
SET_TOKEN_COMMAND = "sipas-bot zalo-oa set-token --refresh-token-stdin"


class OaHealth:
    """The OA token's status; None from ``check`` when no Official Account is configured."""

    def __init__(self, db: Database, settings: ZaloOaSettings) -> None:
        self.db, self.settings = db, settings
        self._degraded = False

    async def check(self) -> TokenStatus | None:
        if not self.settings.enabled:
            return None
        status = await token_status(self.db, self.settings)
        if not status.ok and not self._degraded:
            log.error(
                "Zalo OA degraded: %s. An admin must grant access again and store the new "
                "refresh token (staff settings page, or %s)",
                status.reason,
                SET_TOKEN_COMMAND,
            )
        elif status.ok and self._degraded:
            log.info("Zalo OA tokens work again")
        self._degraded = not status.ok
        return status


OA_HEALTH = web.AppKey("oa_health", OaHealth)
