"""Read-only transactions (``Database.read``) and single reads sent to the driver
(``Database.fetch_one``, used by web chat page loads) neither take nor wait for SQLite's
write lock, and writers of one process take turns in arrival order."""

from __future__ import annotations

import asyncio

from sqlalchemy import bindparam, select

from bot.services import Services
from storage.db import Database
from storage.driver import DriverQuery
from storage.models import Unit
from storage.repos import survey_state, units
from tests.support.environment import START
from tests.support.servers import browser_client
from tests.support.surveys import new_token


async def test_a_page_load_reads_while_a_turn_holds_the_write_lock(database: Database) -> None:
    async with database.transaction() as writer:
        await units.add(writer, "XA-READ", "Xã Đọc", now=START)

        async def look() -> object:
            async with database.read() as reader:
                return await units.by_code(reader, "XA-READ")

        # before: every transaction began with BEGIN IMMEDIATE, so this waited for the writer
        assert await asyncio.wait_for(look(), timeout=5) is None  # not committed yet
    async with database.read() as reader:
        assert await units.by_code(reader, "XA-READ") is not None


async def test_writers_of_one_process_take_turns_in_arrival_order(database: Database) -> None:
    order: list[int] = []
    first_holds = asyncio.Event()

    async def write(number: int) -> None:
        async with database.transaction() as session:
            if number == 0:
                first_holds.set()
                await asyncio.sleep(0)  # let the others queue behind it
            await units.add(session, f"XA-W{number}", f"Xã {number}", now=START)
            order.append(number)

    first = asyncio.create_task(write(0))
    await first_holds.wait()
    rest = []
    for number in range(1, 6):
        rest.append(asyncio.create_task(write(number)))
        await asyncio.sleep(0)  # each one asks for its turn before the next is started
    await asyncio.gather(first, *rest)
    assert sorted(order) == list(range(6))
    if database.dialect == "sqlite":  # PostgreSQL writers run side by side
        assert order == list(range(6))


async def test_a_task_opening_a_second_transaction_does_not_wait_for_itself(
    sqlite_url: str,
) -> None:
    """The writers' queue is per task: a helper that opens its own transaction inside a
    caller's (before the caller wrote anything) goes on, as with SQLite's own lock."""
    from sqlalchemy import text

    db = Database(sqlite_url)
    await db.migrate()

    async def nested() -> int:
        async with db.transaction() as outer:
            async with db.transaction() as inner:
                found = (await inner.execute(text("SELECT 1"))).scalar_one()
            await outer.execute(text("SELECT 1"))
        return int(found)

    try:
        assert await asyncio.wait_for(nested(), 5) == 1
    finally:
        await db.dispose()


UNIT_BY_CODE = DriverQuery(
    select(Unit.code, Unit.created_at, Unit.parent_id).where(Unit.code == bindparam("code"))
)


async def test_a_single_read_goes_to_the_driver_without_waiting_for_a_writer(
    database: Database,
) -> None:
    async with database.transaction() as writer:
        await units.add(writer, "XA-DRIVER", "Xã Trình điều khiển", now=START)
        # the write lock is held and the row not committed: the read neither waits nor sees it
        pending = await asyncio.wait_for(
            database.fetch_one(UNIT_BY_CODE, {"code": "XA-DRIVER"}), timeout=5
        )
        assert pending is None
    found = await database.fetch_one(UNIT_BY_CODE, {"code": "XA-DRIVER"})
    # the column types convert as through SQLAlchemy: an aware UTC datetime, a NULL as None
    assert found == ("XA-DRIVER", START, None)
    assert found[1].tzinfo is not None


async def test_a_page_load_reads_a_survey_straight_from_the_driver(
    services: Services, server: str
) -> None:
    token = await new_token(services)
    async with browser_client() as http:
        for prompt, choice in (("_consent", "yes"), ("1.1", "5"), ("1.2", "3")):
            async with http.post(
                f"{server}/s/{token}", data={"prompt": prompt, "choice": choice}
            ) as response:
                assert response.status == 200
    link, survey = await survey_state.read_by_token(services.db, token)
    async with services.db.read() as session:
        assert (link, survey) == await survey_state.by_token(session, token)
    assert survey is not None and survey.answers == {"1.1": 5, "1.2": 3}
    assert link is not None and link.expires_at.tzinfo is not None
    assert await survey_state.read_by_token(services.db, "AAAAAAAAAAAAAAAAAAAAAAAA") == (None, None)
