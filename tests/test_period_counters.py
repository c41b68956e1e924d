"""Week and month rows beside the day rows: every period row is the sum of its days whatever
happens to the responses (answered, flagged, kept, excluded, erased), a span reads whole
months and weeks from them and only its other days from day rows and still equals a recount
from raw answers, and the month01 migration fills them from the day rows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from reports.verify import differences, disagreements
from scheduler.clock import ManualClock
from storage.models import Dossier, SurveyLink, SurveySession
from storage.repos import flags, personal_data, tallies, units
from storage.repos.tallies import pieces
from tests.support.scheduler import complete_response, uniform
from tests.support.tallies import period_rows_off

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))
SPANS = [
    (NOVEMBER[0], DECEMBER[1]),  # two whole months: month rows only
    (date(2026, 11, 20), date(2026, 12, 3)),  # days, a whole ISO week (W48), days
    NOVEMBER,
    DECEMBER,
    (date(2026, 11, 23), date(2026, 11, 29)),  # ISO week 48: one week row
    (date(2026, 11, 30), date(2026, 12, 6)),  # ISO week 49, across two months
    (date(2026, 11, 24), date(2026, 11, 24)),
    (date(2026, 10, 15), date(2027, 1, 10)),  # days, weeks, two whole months, weeks, days
]


async def check(services: Services) -> None:
    async with services.db.transaction() as session:
        ids = [u.id for u in await units.all_units(session)]
        assert await period_rows_off(session) == []
        for start, end in SPANS:
            assert await disagreements(session, ids, start, end) == [], (start, end)


async def survey_of(services: Services, dossier: str) -> int:
    async with services.db.transaction() as session:
        found = await session.scalar(
            select(SurveySession.id)
            .join(SurveyLink, SurveyLink.id == SurveySession.link_id)
            .join(Dossier, Dossier.id == SurveyLink.dossier_id)
            .where(Dossier.code == dossier)
        )
        assert found is not None
        return found


async def test_period_rows_follow_answers_flags_reviews_and_erasure(
    services: Services, clock: ManualClock
) -> None:
    mixed = uniform({"F1": 4, "F2": 5, "F3": 2, "F4": 4, "F5": 3})
    await complete_response(services, "m1", "HS-M1", mixed, comment="Tốt")
    clock.advance(days=7)  # Tuesday 1 December
    await complete_response(services, "m2", "HS-M2", [5] * 22, complaint="Cán bộ gây khó dễ")
    await complete_response(services, "m3", "HS-M3", [2] * 22)
    await check(services)
    flagged = await survey_of(services, "HS-M2")

    async def act(work: Callable[[AsyncSession], Awaitable[object]]) -> None:
        async with services.db.transaction() as session:
            await work(session)
        await check(services)

    def flag(name: str) -> Callable[[AsyncSession], Awaitable[object]]:
        return lambda s: flags.raise_flag(
            s, session_id=flagged, flag=name, evidence={}, now=services.now()
        )

    def review(decision: str, reason: str) -> Callable[[AsyncSession], Awaitable[object]]:
        return lambda s: flags.review(
            s,
            session_id=flagged,
            decision=decision,
            reviewer="admin-tinh",
            reason=reason,
            now=services.now(),
        )

    await act(flag("staff_chat"))  # out of the counters
    await act(review(flags.KEEP, "Người dân thật"))  # back in
    await act(flag("repeat_chat"))  # out again until reviewed
    await act(review(flags.EXCLUDE, "Trùng lặp"))  # stays out

    async def erase(session: AsyncSession) -> None:
        dossier = await session.scalar(select(Dossier).where(Dossier.code == "HS-M1"))
        assert dossier is not None
        await personal_data.erase_dossier(session, dossier, services.now())

    await act(erase)
    async with services.db.transaction() as session:
        ids = [u.id for u in await units.all_units(session)]
        both = tallies.merged((await tallies.tally(session, ids, *SPANS[0])).values())
    assert both.stats["completed"] == 2  # the excluded one is out, the erased one stays


async def test_spans_read_together_equal_a_recount_of_each(
    services: Services, clock: ManualClock
) -> None:
    """Overlapping and disjoint spans in one call (grouped queries) give each span's own
    figures."""
    for i in range(4):
        await complete_response(services, f"s{i}", f"HS-S{i}", [1 + i] * 22)
        clock.advance(days=4)
    async with services.db.transaction() as session:
        ids = [u.id for u in await units.all_units(session)]
        together = await tallies.tally_spans(session, ids, SPANS)
        for span, found in zip(SPANS, together, strict=True):
            raw = await tallies.recount(session, ids, *span)
            for unit_id in ids:
                assert differences(found[unit_id], raw[unit_id]) == [], span
        assert sum(t.stats["completed"] for t in together[0].values()) == 4


async def test_the_migration_fills_period_rows_from_the_days(
    services: Services, clock: ManualClock
) -> None:
    from alembic import command
    from alembic.config import Config

    for i in range(3):
        await complete_response(services, f"g{i}", f"HS-G{i}", [5 - i] * 22, comment="Ổn")
        clock.advance(days=5)
    async with services.db.transaction() as session:
        ids = [u.id for u in await units.all_units(session)]
        before = await tallies.tally_spans(session, ids, SPANS)

    def down_and_up(config: Config) -> None:
        command.downgrade(config, "desks01")
        command.upgrade(config, "head")

    await services.db.run_alembic(down_and_up)
    await check(services)
    async with services.db.transaction() as session:
        after = await tallies.tally_spans(session, ids, SPANS)
    for old, new in zip(before, after, strict=True):
        for unit_id in ids:
            assert differences(old[unit_id], new[unit_id]) == []
            assert old[unit_id].stats == new[unit_id].stats


@given(
    start=st.dates(date(2025, 1, 1), date(2028, 12, 31)),
    length=st.integers(0, 800),
)
def test_pieces_cover_the_span_exactly_once(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    cut = pieces(start, end)
    covered: list[date] = []
    for first, last in cut.days:
        covered += [first + timedelta(days=n) for n in range((last - first).days + 1)]
    for first, last in cut.weeks:
        assert first.weekday() == last.weekday() == 0
        covered += [first + timedelta(days=n) for n in range((last - first).days + 7)]
    if cut.months is not None:
        month = cut.months[0]
        while month <= cut.months[1]:
            assert month.day == 1
            following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            covered += [month + timedelta(days=n) for n in range((following - month).days)]
            month = following
    assert sorted(covered) == [start + timedelta(days=n) for n in range(length + 1)]
    assert len(cut.days) <= 4 and len(cut.weeks) <= 2
    for first, last in cut.days:  # never a whole ISO week read day by day
        monday = first + timedelta(days=-first.weekday() % 7)
        assert monday + timedelta(days=6) > last
