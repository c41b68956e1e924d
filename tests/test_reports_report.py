"""The report JSON against hand-computed figures (tests/data/report_worked_example.json), a
parent over children of very different volumes, flagged responses left out, periods that
agree across a year boundary and ISO week 53, and the stats01 migration's rebuild.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.services import Services
from reports.report import build_report
from reports.verify import disagreements
from scheduler.clock import ManualClock
from storage.models import SurveySession
from storage.repos import counters, flags, tallies, units
from tests.support.scheduler import complete_response, uniform
from tests.support.tallies import period_rows_off

WORKED = json.loads((Path(__file__).parent / "data" / "report_worked_example.json").read_text())
ALL = (date(2026, 1, 1), date(2027, 12, 31))


async def report(services: Services, code: str, period: str) -> dict[str, Any]:
    async with services.db.transaction() as session:
        return await build_report(
            session,
            code,
            period,
            now=services.now(),
            locale="vi",
            zone=services.zone,
            flows=services.catalog.get,
        )


def picked(entries: list[dict[str, Any]], keys: dict[str, Any]) -> dict[str, Any]:
    """The entries named in ``keys``, reduced to the keys the expectation lists."""
    by_id = {entry["id"]: entry for entry in entries}
    return {i: {k: by_id[i][k] for k in wanted} for i, wanted in keys.items()}


async def test_the_worked_example_by_hand(services: Services) -> None:
    for i, answers in enumerate(WORKED["responses"]):
        await complete_response(services, f"c{i}", f"HS-{i}", answers)
    found = await report(services, "XA-HOATHANH", "2026-W48")
    expected = WORKED["expected"]
    assert {**found["sipas"]} == expected["sipas"]
    assert picked(found["factors"], expected["factors"]) == expected["factors"]
    assert picked(found["criteria"], expected["criteria"]) == expected["criteria"]
    assert found["unanswered"] == expected["unanswered"]
    assert found["responses"] == {
        "counted": 4,
        "excluded": 0,
        "by_flag": {},
        "by_source": {"web": 0, "telegram": 4, "zalo_bot": 0, "zalo_oa": 0, "paper": 0},
    }
    # 10,450 dossiers a year: 500 forms, 10 for a week, but never fewer than 30.
    assert (found["sufficient"], found["required"]) == (False, 30)
    assert found["flow"] == {
        "id": "mau01",
        "title": "Phiếu khảo sát sự hài lòng của người dân (Mẫu 01)",
        "version": 1,
    }
    three_one = next(c for c in found["criteria"] if c["id"] == "3.1")
    assert three_one["text"] == "Công chức có thái độ giao tiếp lịch sự"
    assert three_one["factor"] == "F3"
    # 12 weeks of trend, the last one this week; nothing the week before: no change claimed.
    last = found["trend"][-1]
    assert {k: last[k] for k in ("period", "sipas", "n", "change")} == {
        "period": found["period"],
        "sipas": {"value": 90.0, "low": 70.6, "high": 100.0},
        "n": 4,
        "change": None,
    }
    assert last["factors"][2] == {"id": "F3", "value": 75.0, "low": 43.7, "high": 100.0}
    assert len(found["trend"]) == 12


async def test_flagged_responses_are_left_out_and_counted_again(services: Services) -> None:
    for i, answers in enumerate(WORKED["responses"]):
        await complete_response(services, f"c{i}", f"HS-{i}", answers)
    async with services.db.transaction() as session:
        survey = await session.scalar(select(SurveySession).order_by(SurveySession.id.desc()))
        assert survey is not None
        await flags.raise_flag(
            session,
            session_id=survey.id,
            flag="too_fast",
            evidence={"median_seconds": 0.4},
            now=services.now(),
        )
        ids = [u.id for u in await units.all_units(session)]
        assert await disagreements(session, ids, *ALL) == []
    found = await report(services, "XA-HOATHANH", "2026-11")
    assert found["responses"]["counted"] == 3
    assert (found["responses"]["excluded"], found["responses"]["by_flag"]) == (1, {"too_fast": 1})
    # The fourth respondent is out of every figure: 3.1 now has three respondents.
    assert next(c for c in found["criteria"] if c["id"] == "3.1")["n"] == 3
    async with services.db.transaction() as session:  # a review keeps it: counted again
        await flags.review(
            session,
            session_id=survey.id,
            decision="keep",
            reason="gọi lại, đúng",
            reviewer="admin",
            now=services.now(),
        )
    again = await report(services, "XA-HOATHANH", "2026-11")
    assert (again["responses"]["counted"], again["responses"]["excluded"]) == (4, 0)
    assert next(c for c in again["criteria"] if c["id"] == "3.1")["n"] == 4


async def test_a_parent_weighs_children_by_volume(services: Services, clock: ManualClock) -> None:
    async with services.db.transaction() as session:
        await units.add(
            session,
            "XA-NHO",
            "UBND xã Nhỏ",
            now=clock(),
            parent_code="TINH-TEST",
            annual_dossiers=450,
        )
    satisfied, unhappy = (
        {f: 4 for f in "F1 F2 F3 F4 F5".split()},
        {f: 2 for f in "F1 F2 F3 F4 F5".split()},
    )
    # Hòa Thành (10,450 dossiers): personal indices 100, 100, 0, 80 -> SIPAS 70.0.
    for i, levels in enumerate([satisfied, satisfied, unhappy, {**satisfied, "F5": 2}]):
        await complete_response(services, f"a{i}", f"HS-A{i}", uniform(levels))
    # Nhỏ (450 dossiers): 100 and 0 -> 50.0.
    await complete_response(services, "b0", "HS-B0", [5] * 22, unit="XA-NHO")
    await complete_response(services, "b1", "HS-B1", [3] * 22, unit="XA-NHO")
    found = await report(services, "TINH-TEST", "2026-11")
    # (70 x 10,450 + 50 x 450) / 10,900 = 69.17 (pooling all six would give 63.3);
    # se = sqrt(0.9587² x 23.80² + 0.0413² x 50²) = 22.92 -> 69.17 - 44.91 = 24.3.
    assert found["sipas"] == {"value": 69.2, "low": 24.3, "high": 100.0, "n": 6}
    assert found["responses"]["counted"] == 6
    children = {c["unit"]["code"]: c for c in found["children"]}
    assert children["XA-HOATHANH"]["sipas"]["value"] == 70.0
    assert children["XA-NHO"]["sipas"] == {"value": 50.0, "low": 0.0, "high": 100.0, "n": 2}
    assert [c["sufficient"] for c in found["children"]] == [False, False]
    assert [c["rank"] for c in found["children"]] == [None, None]
    assert children["XA-NHO"]["required"] == 30  # 100 a year pro-rated to 30 days: 9 -> 30


async def at(clock: ManualClock, services: Services, moment: datetime) -> None:
    clock.now = moment.replace(tzinfo=services.zone)


async def test_periods_agree_across_the_new_year_and_week_53(
    services: Services, clock: ManualClock
) -> None:
    plan = [
        (datetime(2026, 12, 21, 10), 2),  # W52
        (datetime(2026, 12, 22, 10), 2),  # W52
        (datetime(2026, 12, 30, 10), 5),  # W53, December
        (datetime(2027, 1, 1, 0, 30), 5),  # W53, January (local time; 31/12 in UTC)
        (datetime(2027, 1, 5, 10), 4),  # 2027-W01
    ]
    for i, (moment, level) in enumerate(plan):
        await at(clock, services, moment)
        await complete_response(services, f"p{i}", f"HS-P{i}", [level] * 22)
    counted = {}
    for label in (
        "2026-W52",
        "2026-W53",
        "2027-W01",
        "2026-12",
        "2027-01",
        "2026-Q4",
        "2027-Q1",
        "2026",
        "2027",
        "2026-12-28..2027-01-03",
        "2026-12-21..2027-01-10",
    ):
        counted[label] = (await report(services, "XA-HOATHANH", label))["responses"]["counted"]
    assert counted == {
        "2026-W52": 2,
        "2026-W53": 2,
        "2027-W01": 1,
        "2026-12": 3,
        "2027-01": 2,
        "2026-Q4": 3,
        "2027-Q1": 2,
        "2026": 3,
        "2027": 2,
        "2026-12-28..2027-01-03": 2,
        "2026-12-21..2027-01-10": 5,
    }
    week53 = await report(services, "XA-HOATHANH", "2026-W53")
    same = await report(services, "XA-HOATHANH", "2026-12-28..2027-01-03")
    for key in ("sipas", "factors", "criteria", "responses"):
        assert week53[key] == same[key]
    months = [await report(services, "XA-HOATHANH", m) for m in ("2026-12", "2027-01")]
    both = await report(services, "XA-HOATHANH", "2026-12-01..2027-01-31")
    for i, criterion in enumerate(both["criteria"]):
        summed = {
            level: sum(m["criteria"][i]["levels"][level] for m in months)
            for level in criterion["levels"]
        }
        assert criterion["levels"] == summed
    trend = (await report(services, "XA-HOATHANH", "2027-W01"))["trend"]
    assert [t["period"]["label"] for t in trend[-3:]] == ["2026-W52", "2026-W53", "2027-W01"]
    assert [t["n"] for t in trend[-3:]] == [2, 2, 1]
    assert [t["sipas"]["value"] for t in trend[-3:]] == [0.0, 100.0, 100.0]
    # 0 % [0, 0] then 100 % [100, 100]: a rise; one respondent has no interval: steady.
    assert [t["change"] for t in trend[-3:]] == [None, "rise", "steady"]
    async with services.db.transaction() as session:
        ids = [u.id for u in await units.all_units(session)]
        assert await disagreements(session, ids, *ALL) == []


async def test_unknown_unit_and_bad_period(services: Services) -> None:
    from reports.periods import PeriodError
    from storage.repos.errors import NotFound

    with pytest.raises(NotFound, match="XA-NOPE"):
        await report(services, "XA-NOPE", "2026-12")
    with pytest.raises(PeriodError, match="2026-13"):
        await report(services, "XA-HOATHANH", "2026-13")


async def test_the_migration_rebuilds_the_same_counters(services: Services) -> None:
    """Down to the ISO-week tables and up again: stats01 rebuilds the day counters from
    the raw answers, equal to those kept while answering."""
    from alembic import command
    from alembic.config import Config

    for i, answers in enumerate(WORKED["responses"]):
        await complete_response(services, f"c{i}", f"HS-{i}", answers, comment="Tốt")
    async with services.db.transaction() as session:
        ids = [u.id for u in await units.all_units(session)]
        before = tallies.merged((await tallies.tally(session, ids, *ALL)).values())

    def down_and_up(config: Config) -> None:
        command.downgrade(config, "multiproc01")
        command.upgrade(config, "head")

    await services.db.run_alembic(down_and_up)
    async with services.db.transaction() as session:
        after = tallies.merged((await tallies.tally(session, ids, *ALL)).values())
        assert await disagreements(session, ids, *ALL) == []
    assert after.distributions == before.distributions
    assert after.stats == before.stats and after.stats["comments"] == 4


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
async def test_responses_counted_at_once_never_deadlock(services: Services) -> None:
    """Eight transactions take responses out and count them back at the same time: rows are
    written in key order (day table, then its period twin), so PostgreSQL never finds a
    deadlock and nothing is lost."""
    for i, answers in enumerate(WORKED["responses"] * 2):
        await complete_response(services, f"c{i}", f"HS-{i}", answers)
    async with services.db.transaction() as session:
        ids = list(await session.scalars(select(SurveySession.id)))
        units_ids = [u.id for u in await units.all_units(session)]

    async def move(survey_id: int, sign: int) -> None:
        async with services.db.transaction() as session:
            await counters.count_response(session, survey_id, sign=sign)

    await asyncio.gather(*(move(i, -1) for i in ids))
    async with services.db.transaction() as session:
        empty = tallies.merged((await tallies.tally(session, units_ids, *ALL)).values())
        assert empty.distributions == {} and empty.stats["completed"] == 0
    await asyncio.gather(*(move(i, 1) for i in reversed(ids)))
    async with services.db.transaction() as session:
        assert await disagreements(session, units_ids, *ALL) == []
        assert await period_rows_off(session) == []
