"""The OA token keeper and customer-service sends against the fake OA/OAuth servers, through
our real HTTP client, on SQLite and PostgreSQL. Two Database handles on one database stand
for two processes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.channels.zalo.errors import TokenRefreshFailed, Undeliverable, ZaloTemporaryError
from bot.channels.zalo.oa_api import OaClient
from bot.channels.zalo.oa_tokens import TokenKeeper
from bot.settings import Settings
from scheduler.clock import ManualClock
from storage.db import Database
from storage.repos import oa_tokens
from tests.fakes.zalo_api import FakeZaloOpenAPI
from tests.support.environment import free_port, make_settings

USER = "u-6142494823"


@pytest.fixture
def zalo(zalo_open_api: FakeZaloOpenAPI) -> FakeZaloOpenAPI:
    return zalo_open_api


def oa_settings(db_url: str, api: FakeZaloOpenAPI, **extra: str) -> Settings:
    env = {
        "SIPAS__ZALO_OA__APP_ID": api.app_id,
        "SIPAS__ZALO_OA__APP_SECRET": api.app_secret,
        "SIPAS__ZALO_OA__OA_SECRET_KEY": "oa-secret",
        "SIPAS__ZALO_OA__REFRESH_TOKEN": "rt-0",
        "SIPAS__ZALO_OA__API_BASE_URL": api.url,
        "SIPAS__ZALO_OA__OAUTH_BASE_URL": api.url,
        **extra,
    }
    return make_settings(db_url, free_port(), **env)


class Process:
    """What one process holds: its own database handle, keeper and OA client."""

    def __init__(self, url: str, api: FakeZaloOpenAPI, clock: ManualClock) -> None:
        self.db = Database(url)
        self.settings = oa_settings(url, api)
        self.keeper = TokenKeeper(self.db, self.settings.zalo_oa, clock)
        self.oa = OaClient(self.settings.zalo_oa, self.keeper)

    async def close(self) -> None:
        await self.keeper.close()
        await self.db.dispose()


@pytest.fixture
async def processes(
    database: Database, zalo: FakeZaloOpenAPI, clock: ManualClock
) -> AsyncIterator[list[Process]]:
    started = [Process(database.url, zalo, clock) for _ in range(2)]
    yield started
    for process in started:
        await process.close()


async def test_an_expiring_token_is_refreshed_once_and_a_rejected_send_retried_once(
    processes: list[Process], zalo: FakeZaloOpenAPI, clock: ManualClock
) -> None:
    oa = processes[0].oa
    assert await oa.send_text(USER, "Câu 1") != ""
    assert len(zalo.calls_to("oauth")) == 1  # bootstrap from the settings' refresh token
    clock.now += timedelta(seconds=90000) - timedelta(minutes=5)  # inside the margin
    await oa.send_text(USER, "Câu 2")
    assert len(zalo.calls_to("oauth")) == 2
    zalo.expire_access_tokens()  # Zalo revoked it early: -216
    await oa.send_text(USER, "Câu 3")
    zalo.expired_code = -220
    zalo.expire_access_tokens()
    await oa.send_text(USER, "Câu 4")
    assert len(zalo.calls_to("oauth")) == 4
    assert [c.answer["error"] for c in zalo.calls_to("cs")] == [0, 0, -216, 0, -220, 0]
    assert zalo.sent_texts(USER) == ["Câu 1", "Câu 2", "Câu 3", "Câu 4"]  # nothing doubled
    assert all(c.headers["secret_key"] == zalo.app_secret for c in zalo.calls_to("oauth"))


async def test_the_rotated_refresh_token_survives_a_restart(
    database: Database, zalo: FakeZaloOpenAPI, clock: ManualClock
) -> None:
    first = Process(database.url, zalo, clock)
    await first.oa.send_text(USER, "trước")
    await first.close()
    zalo.expire_access_tokens()
    restarted = Process(database.url, zalo, clock)  # settings still say rt-0, already spent
    try:
        await restarted.oa.send_text(USER, "sau")
    finally:
        await restarted.close()
    assert [c.body["refresh_token"] for c in zalo.calls_to("oauth")] == ["rt-0", "rt-1"]
    assert zalo.sent_texts(USER) == ["trước", "sau"]


async def test_concurrent_expiries_make_exactly_one_oauth_call(
    processes: list[Process], zalo: FakeZaloOpenAPI
) -> None:
    zalo.refresh_delay = 0.3  # the first refresh is still running when the others ask
    one, two = processes
    tokens = await asyncio.gather(
        one.keeper.access_token(), one.keeper.access_token(), two.keeper.access_token()
    )
    assert len(zalo.calls_to("oauth")) == 1
    assert len(set(tokens)) == 1
    zalo.expire_access_tokens()
    await asyncio.gather(
        one.oa.send_text(USER, "a"), one.oa.send_text(USER, "b"), two.oa.send_text(USER, "c")
    )
    assert len(zalo.calls_to("oauth")) == 2
    assert sorted(zalo.sent_texts(USER)) == ["a", "b", "c"]


async def test_a_failed_refresh_degrades_status_until_an_admin_sets_a_token(
    processes: list[Process], zalo: FakeZaloOpenAPI, clock: ManualClock
) -> None:
    process = processes[0]
    assert (await process.keeper.status()).ok
    zalo.fail_refresh()
    with pytest.raises(TokenRefreshFailed) as failed:
        await process.oa.send_text(USER, "x")
    assert not failed.value.temporary
    status = await process.keeper.status()
    assert status.state == "degraded"
    assert status.reason is not None and "-14014" in status.reason and "set-token" in status.reason
    assert "rt-0" not in status.reason
    with pytest.raises(TokenRefreshFailed):  # a minute's rest: OAuth is not asked again
        await process.oa.send_text(USER, "x")
    assert len(zalo.calls_to("oauth")) == 1
    zalo.refresh_failure, zalo.newest_refresh_token = None, "rt-admin"
    async with process.db.transaction() as session:
        await oa_tokens.set_refresh_token(session, zalo.app_id, "rt-admin", clock())
    await process.oa.send_text(USER, "lại")
    assert (await process.keeper.status()).ok
    assert zalo.sent_texts(USER) == ["lại"]


async def test_user_state_errors_are_undeliverable_and_quota_is_temporary(
    processes: list[Process], zalo: FakeZaloOpenAPI
) -> None:
    oa = processes[0].oa
    for code in (-213, -230, -232):
        zalo.user_errors[USER] = code
        with pytest.raises(Undeliverable) as refused:
            await oa.send_text(USER, "Câu 1")
        assert refused.value.code == code and refused.value.reason
    zalo.user_errors.clear()
    zalo.quota_exceeded = True
    with pytest.raises(ZaloTemporaryError) as quota:
        await oa.send_text(USER, "Câu 1")
    assert quota.value.retry_after
    with pytest.raises(ValueError, match="1-2000"):
        await oa.send_text(USER, "x" * 2001)
    assert len(zalo.calls_to("oauth")) == 1
