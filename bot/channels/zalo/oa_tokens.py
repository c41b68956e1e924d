"""The OA access token, kept valid without ever locking a commune out.

Zalo's refresh token is single-use: each refresh returns a new pair and invalidates the old
refresh token. So a refresh (1) is serialised in this process (an asyncio.Lock) and across
processes (the ``oa_tokens`` row lock), (2) re-reads the row under the lock and uses the pair
another process already stored instead of refreshing again, and (3) commits the new pair
before anything uses it. The settings' ``refresh_token`` only seeds an empty database.

The lock is held during the OAuth call (seconds, about once a day). On SQLite that is the
database write lock, which other writers wait for (busy_timeout 10 s > the OAuth timeout).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.zalo.errors import TokenRefreshFailed, ZaloTemporaryError
from bot.channels.zalo.http import OpenApiHttp
from bot.settings import ZaloOaSettings
from storage.db import Database
from storage.models import OaToken
from storage.repos import oa_tokens

log = logging.getLogger(__name__)
REFRESH_MARGIN = timedelta(minutes=10)
RETRY_AFTER_FAILURE = timedelta(minutes=1)
OAUTH_TIMEOUT = 8.0  # seconds; below SQLite's busy_timeout (10 s) while the lock is held
OAUTH_PATH = "/v4/oa/access_token"
SET_TOKEN_HINT = "an admin must grant access again: sipas-bot zalo-oa set-token"


@dataclass(frozen=True)
class TokenStatus:
    """For the health endpoint and the staff banner: ``ok``, else ``degraded`` and why."""

    ok: bool
    reason: str | None = None
    since: datetime | None = None

    @property
    def state(self) -> str:
        return "ok" if self.ok else "degraded"


@dataclass(frozen=True)
class _Pair:
    access_token: str
    refresh_token: str
    expires_at: datetime


class TokenKeeper:
    """Hands out a valid OA access token; one per process (share it between senders)."""

    def __init__(
        self,
        db: Database,
        settings: ZaloOaSettings,
        now: Callable[[], datetime],
        http: OpenApiHttp | None = None,
        margin: timedelta = REFRESH_MARGIN,
    ) -> None:
        self.db, self.settings, self.now, self.margin = db, settings, now, margin
        self.http = http or OpenApiHttp()
        self._lock = asyncio.Lock()
        self._cached: tuple[str, datetime] | None = None

    async def close(self) -> None:
        await self.http.close()

    def _fresh(self, token: str | None, expires_at: datetime | None) -> bool:
        return bool(token) and expires_at is not None and expires_at - self.margin > self.now()

    def _cooling_down(self, row: OaToken) -> bool:
        failed_at = row.last_error_at
        return failed_at is not None and self.now() - failed_at < RETRY_AFTER_FAILURE

    async def access_token(self) -> str:
        """A token valid for at least the margin; refreshes (once, for everyone) if needed."""
        if self._cached and self._fresh(*self._cached):
            return self._cached[0]
        async with self.db.transaction() as session:
            row = await oa_tokens.load(session, self.settings.app_id)
            if row is not None and self._fresh(row.access_token, row.access_expires_at):
                assert row.access_token is not None and row.access_expires_at is not None
                self._cached = (row.access_token, row.access_expires_at)
                return row.access_token
        return await self._refresh(rejected=None)

    async def after_rejection(self, rejected: str) -> str:
        """Zalo refused ``rejected`` (-216/-220/-124): a new token, refreshed unless another
        task or process already replaced it. The caller retries its call once with it."""
        return await self._refresh(rejected=rejected)

    async def _refresh(self, rejected: str | None) -> str:
        async with self._lock:
            if self._cached and self._cached[0] != rejected and self._fresh(*self._cached):
                return self._cached[0]  # another task refreshed while we waited
            failure: TokenRefreshFailed | None = None
            async with self.db.transaction() as session:
                if self.settings.refresh_token:
                    await oa_tokens.bootstrap(
                        session, self.settings.app_id, self.settings.refresh_token, self.now()
                    )
                row = await oa_tokens.locked(session, self.settings.app_id)
                if row is None:
                    failure = TokenRefreshFailed(
                        f"no OA refresh token is stored; {SET_TOKEN_HINT}", temporary=False
                    )
                elif row.access_token != rejected and self._fresh(
                    row.access_token, row.access_expires_at
                ):
                    pass  # another process rotated the pair under this lock: use theirs
                elif self._cooling_down(row):
                    # the last refresh failed moments ago with this very refresh token:
                    # do not hammer OAuth on every send (set-token clears the error)
                    reason = str(row.last_error)
                    failure = TokenRefreshFailed(reason, temporary=SET_TOKEN_HINT not in reason)
                else:
                    try:
                        await self._rotate(session, row)
                    except TokenRefreshFailed as exc:
                        failure = exc
                        await oa_tokens.record_failure(
                            session, self.settings.app_id, exc.reason, self.now()
                        )
                if row is not None and failure is None:
                    assert row.access_token and row.access_expires_at
                    self._cached = (row.access_token, row.access_expires_at)
            # committed: the new pair is durable before anyone uses it
            if failure is not None:
                log.error("Zalo OA token refresh failed: %s", failure.reason)
                raise failure
            assert self._cached is not None
            return self._cached[0]

    async def _rotate(self, session: AsyncSession, row: OaToken) -> None:
        pair = await self._call_oauth(row.refresh_token)
        await oa_tokens.store_pair(
            session,
            row,
            access_token=pair.access_token,
            refresh_token=pair.refresh_token,
            expires_at=pair.expires_at,
            now=self.now(),
        )
        log.info("Zalo OA access token refreshed (generation %d)", row.generation)

    async def _call_oauth(self, refresh_token: str) -> _Pair:
        url = self.settings.oauth_base_url.rstrip("/") + OAUTH_PATH
        form = {
            "app_id": self.settings.app_id,
            "refresh_token": refresh_token,
            "grant_type": "refresh_token",
        }
        try:
            answer = await self.http.post_form(
                url,
                form,
                {"secret_key": self.settings.app_secret},
                what="OA token refresh",
                seconds=OAUTH_TIMEOUT,
            )
        except ZaloTemporaryError as exc:
            raise TokenRefreshFailed(exc.reason, temporary=True) from None
        access, refresh = answer.get("access_token"), answer.get("refresh_token")
        if not access or not refresh:
            code = answer.get("error", "?")
            name = answer.get("error_name") or answer.get("error_description") or "no reason"
            raise TokenRefreshFailed(
                f"Zalo refused the OA token refresh ({code} {name}); {SET_TOKEN_HINT}",
                temporary=False,
            )
        try:
            seconds = int(str(answer.get("expires_in", "90000")))
        except ValueError:
            seconds = 90000
        return _Pair(str(access), str(refresh), self.now() + timedelta(seconds=seconds))

    async def status(self) -> TokenStatus:
        """``ok`` while the stored pair works; ``degraded`` with the reason otherwise."""
        return await token_status(self.db, self.settings)

    health = status


async def token_status(db: Database, settings: ZaloOaSettings) -> TokenStatus:
    """The OA token's health from the database alone (any process: web, health endpoint)."""
    async with db.transaction() as session:
        row = await oa_tokens.load(session, settings.app_id)
    if row is None:
        if settings.refresh_token:
            return TokenStatus(True)
        return TokenStatus(False, f"no OA refresh token is stored; {SET_TOKEN_HINT}")
    if row.last_error:
        return TokenStatus(False, row.last_error, row.last_error_at)
    return TokenStatus(True)
