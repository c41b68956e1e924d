"""The Zalo tables on SQLite and PostgreSQL: the OA token row, result notices, rate limits."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.dossiers.links import new_short_code, new_token
from storage.db import Database
from storage.repos import links, oa_tokens, rate_limits, result_notices, units
from storage.repos.links import LinkRequest
from tests.support.environment import START

APP = "1234567890"


async def _link_id(database: Database, dossier: str = "HS-1") -> int:
    async with database.transaction() as session:
        unit = await units.add(session, "XA-Z", "UBND xã Z", now=START)
        link, _ = await links.create(
            session,
            LinkRequest(unit=unit, dossier_code=dossier, form="citizen", phone="0912345678"),
            now=START,
            expires_at=START + timedelta(days=14),
            new_token=new_token,
            new_short_code=new_short_code,
        )
        return link.id


async def test_oa_token_bootstrap_only_once_then_pairs_rotate(database: Database) -> None:
    async with database.transaction() as session:
        await oa_tokens.bootstrap(session, APP, "rt-settings", START)
        await oa_tokens.bootstrap(session, APP, "rt-ignored", START)
        row = await oa_tokens.locked(session, APP)
        assert row is not None and row.refresh_token == "rt-settings" and row.generation == 0
        generation = await oa_tokens.store_pair(
            session,
            row,
            access_token="at-1",
            refresh_token="rt-1",
            expires_at=START + timedelta(hours=25),
            now=START,
        )
    assert generation == 1
    async with database.transaction() as session:
        await oa_tokens.record_failure(session, APP, "Zalo refused the refresh (-14014)", START)
    async with database.transaction() as session:
        row = await oa_tokens.load(session, APP)
        assert row is not None
        assert (row.access_token, row.refresh_token) == ("at-1", "rt-1")
        assert row.access_expires_at == START + timedelta(hours=25)
        assert row.last_error == "Zalo refused the refresh (-14014)"
        assert await oa_tokens.set_refresh_token(session, APP, "rt-admin", START) == 2
    async with database.transaction() as session:
        row = await oa_tokens.load(session, APP)
        assert row is not None
        assert (row.refresh_token, row.access_token, row.last_error) == ("rt-admin", None, None)
    async with database.transaction() as session:
        assert await oa_tokens.set_refresh_token(session, "999", "rt-new", START) == 1


async def test_the_token_row_lock_serialises_two_transactions(database: Database) -> None:
    """Two 'processes' (two handles) lock the row in turn: the second sees the first's pair."""
    other = Database(database.url)
    async with database.transaction() as session:
        await oa_tokens.bootstrap(session, APP, "rt-0", START)
    order: list[str] = []
    first_locked = asyncio.Event()

    async def first() -> None:
        async with database.transaction() as session:
            row = await oa_tokens.locked(session, APP)
            assert row is not None
            first_locked.set()
            await asyncio.sleep(0.2)  # hold the lock while the second one asks for it
            await oa_tokens.store_pair(
                session, row, access_token="a", refresh_token="rt-1", expires_at=START, now=START
            )
            order.append("first stored")

    async def second() -> None:
        await first_locked.wait()
        async with other.transaction() as session:
            row = await oa_tokens.locked(session, APP)
            assert row is not None
            order.append(f"second read {row.refresh_token}")

    try:
        await asyncio.gather(first(), second())
    finally:
        await other.dispose()
    assert order == ["first stored", "second read rt-1"]


async def test_a_result_notice_is_claimed_once_per_link(database: Database) -> None:
    link_id = await _link_id(database)
    async with database.transaction() as session:
        notice = await result_notices.claim(session, link_id, "sipas-1", START)
        assert notice is not None and notice.status == "pending"
        assert await result_notices.claim(session, link_id, "sipas-1", START) is None
        assert [n.link_id for n in await result_notices.due(session, START)] == [link_id]
        morning = START + timedelta(hours=8)
        await result_notices.mark_waiting(session, notice, morning, -133, "night")
        assert await result_notices.due(session, START) == []
        assert [n.id for n in await result_notices.due(session, morning)] == [notice.id]
        await result_notices.mark_sent(session, notice, "msg-1", morning)
    async with database.transaction() as session:
        stored = await result_notices.for_link(session, link_id)
        assert stored is not None
        assert (stored.status, stored.msg_id, stored.attempts, stored.error) == (
            "sent",
            "msg-1",
            2,
            None,
        )
        await result_notices.mark_failed(session, stored, -108, "invalid phone")
        assert (stored.status, stored.error_code, stored.next_attempt_at) == ("failed", -108, None)
        assert await result_notices.due(session, START + timedelta(days=1)) == []


async def test_rate_limits_count_per_window(database: Database) -> None:
    window = timedelta(hours=1)
    async with database.transaction() as session:
        hits = [
            await rate_limits.hit(session, "code:zalo_bot:1", limit=3, window=window, now=START)
            for _ in range(4)
        ]
        other = await rate_limits.hit(session, "code:zalo_bot:2", limit=3, window=window, now=START)
    assert hits == [True, True, True, False]
    assert other
    later = START + window
    async with database.transaction() as session:
        assert await rate_limits.hit(session, "code:zalo_bot:1", limit=3, window=window, now=later)
        assert await rate_limits.forget_before(session, later) == 1
