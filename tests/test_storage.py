"""Repositories on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from bot.dossiers.links import new_short_code, new_token
from bot.services import Services
from reports import verify
from storage.db import Database
from storage.models import Answer, AnswerCount, SurveySession
from storage.repos import (
    counters,
    dedupe,
    deliveries,
    flow_versions,
    links,
    surveys,
    tallies,
    units,
)
from storage.repos.errors import AlreadyExists, NotFound
from storage.repos.links import LinkRequest


async def test_sqlite_runs_in_wal_mode(sqlite_url: str) -> None:
    database = Database(sqlite_url)
    await database.migrate()
    async with database.connect() as connection:
        mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar()
        foreign_keys = (await connection.execute(text("PRAGMA foreign_keys"))).scalar()
    await database.dispose()
    assert (mode, foreign_keys) == ("wal", 1)


async def test_migrations_are_idempotent(database: Database) -> None:
    await database.migrate()
    await database.migrate()
    assert await database.ping()


async def test_units_form_a_tree(services: Services) -> None:
    async with services.db.transaction() as session:
        await units.add(session, "XA-B", "UBND xã B", now=services.now(), parent_code="TINH-TEST")
        with pytest.raises(AlreadyExists):
            await units.add(session, "XA-B", "again", now=services.now())
        with pytest.raises(NotFound):
            await units.add(session, "XA-C", "C", now=services.now(), parent_code="NOPE")
        province = await units.require(session, "TINH-TEST")
        codes = sorted(u.code for u in await units.descendants(session, province.id))
    assert codes == ["XA-B", "XA-HOATHANH"]


@pytest.mark.parametrize(
    ("dossiers", "quota", "minimum"),
    [
        (50, None, 50),
        (100, None, 100),
        (999, None, 100),
        (1000, None, 200),
        (4999, None, 200),
        (5000, None, 500),
        (10450, None, 500),
        (10450, 60, 60),
        (None, None, None),
    ],
)
def test_minimum_sample_follows_the_table_or_the_quota(
    dossiers: int | None, quota: int | None, minimum: int | None
) -> None:
    assert units.minimum_sample(dossiers, quota) == minimum


async def test_link_creation_is_idempotent_and_tokens_fit_telegram(services: Services) -> None:
    first = await services.links.create(unit_code="XA-HOATHANH", dossier_code="HS-1")
    again = await services.links.create(unit_code="XA-HOATHANH", dossier_code="HS-1")
    assert first.created and not again.created
    assert first.link.token == again.link.token
    token = first.link.token
    assert 22 <= len(token) <= 64 and all(c.isalnum() or c in "-_" for c in token)
    assert len(first.link.short_code) == 6
    assert first.status == "created"


async def test_concurrent_link_creation_returns_one_link(services: Services) -> None:
    results = await asyncio.gather(
        *(services.links.create(unit_code="XA-HOATHANH", dossier_code="HS-RACE") for _ in range(5))
    )
    assert len({r.link.token for r in results}) == 1
    assert sum(r.created for r in results) == 1


async def test_token_collisions_are_retried(services: Services) -> None:
    tokens = iter(["SAME-TOKEN-0000000000000", "SAME-TOKEN-0000000000000", new_token()])
    async with services.db.transaction() as session:
        unit = await units.require(session, "XA-HOATHANH")
        now = services.now()
        kwargs = dict(
            now=now,
            expires_at=now + timedelta(days=14),
            new_token=lambda: next(tokens),
            new_short_code=new_short_code,
        )
        a, _ = await links.create(session, LinkRequest(unit, "HS-A", "citizen"), **kwargs)
        b, _ = await links.create(session, LinkRequest(unit, "HS-B", "citizen"), **kwargs)
    assert a.token != b.token


async def test_an_answer_is_unique_per_session_and_question(services: Services) -> None:
    info = await services.links.create(unit_code="XA-HOATHANH", dossier_code="HS-2")
    now = services.now()
    async with services.db.transaction() as session:
        version = await flow_versions.for_unit(session, info.unit.id, "citizen")
        assert version is not None
        survey = await surveys.create(
            session,
            link=info.link,
            flow_version_id=version.id,
            channel="web",
            chat_id=info.link.token,
            locale="vi",
            phase="asking",
            now=now,
        )
        await surveys.record_answer(session, survey.id, "1.1", 2, now)
        await surveys.record_answer(session, survey.id, "1.1", 5, now)
        count = await session.scalar(select(func.count()).select_from(Answer))
        assert count == 1
        assert await surveys.answers(session, survey.id) == {"1.1": 5}


async def test_update_ids_are_claimed_once(database: Database, services: Services) -> None:
    now = services.now()
    async with database.transaction() as session:
        assert await dedupe.claim(session, "telegram", "1001", now)
        assert not await dedupe.claim(session, "telegram", "1001", now)
        assert await dedupe.claim(session, "zalo_bot", "1001", now)
    async with database.transaction() as session:
        assert await dedupe.forget_before(session, now + timedelta(days=2)) == 2


async def test_counters_are_one_upsert_per_table_and_can_be_taken_out(
    services: Services,
) -> None:
    """Counting a response adds its answers, personal sums and day stats; sign=-1 takes
    exactly that back out (what a flag does)."""
    from datetime import date

    from tests.support.scheduler import complete_response

    await complete_response(services, "c1", "HS-1", [5] * 20 + [0, 4])
    day = date(2026, 11, 24)
    async with services.db.transaction() as session:
        unit = await units.require(session, "XA-HOATHANH")
        survey = await session.scalar(select(SurveySession))
        assert survey is not None and survey.completed_on == day
        rows = list(await session.scalars(select(AnswerCount).order_by(AnswerCount.question_id)))
        assert [(r.question_id, r.level, r.count) for r in rows][-3:] == [
            ("5.2", 5, 1),
            ("5.3", 0, 1),
            ("5.4", 4, 1),
        ]
        kept = (await tallies.tally(session, [unit.id], day, day))[unit.id]
        assert kept.stats["completed"] == 1 and kept.by_source == {"telegram": 1}
        assert kept.sums[survey.flow_version_id]["sipas"].n == 1
        await counters.count_response(session, survey.id, sign=-1)
        out = (await tallies.tally(session, [unit.id], day, day))[unit.id]
        assert out.stats["completed"] == 0 and out.distributions == {}
        assert out.sums == {} and out.stats["started"] == 1
        await counters.count_response(session, survey.id)
        again = (await tallies.tally(session, [unit.id], day, day))[unit.id]
        assert verify.differences(again, kept) == []


async def test_deliveries_are_claimed_once_and_retried_with_backoff(services: Services) -> None:
    now = services.now()
    async with services.db.transaction() as session:
        delivery = await deliveries.claim(
            session, key="reminder:1:1", channel="telegram", chat_id="7", payload=[], now=now
        )
        assert delivery is not None
        assert (
            await deliveries.claim(
                session, key="reminder:1:1", channel="telegram", chat_id="7", payload=[], now=now
            )
            is None
        )
        assert await deliveries.due(session, now) == []  # leased to its sender
        await deliveries.mark_failed(session, delivery, "502 Bad Gateway", now)
        assert await deliveries.due(session, now + timedelta(minutes=1)) == []
        assert [d.key for d in await deliveries.due(session, now + timedelta(minutes=3))] == [
            "reminder:1:1"
        ]
        await deliveries.mark_sent(session, delivery, now)
        assert await deliveries.due(session, now + timedelta(days=1)) == []
