"""Re-verification (phúc tra): the draw is reproducible for a seed and changes with another,
takes ceil(population × share) counted responses plus an equal reserve, leaves flagged
responses out; call outcomes flag a denial (taking it out of the counters), replace an
unreachable respondent by the next reserve, and add up to the share confirmed.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.rechecks import draw_sample
from bot.services import Services
from reports.periods import parse_period
from storage.models import RecheckItem
from storage.repos import counted, flags, rechecks, tallies, units
from tests.support.cli import InProcessCli
from tests.support.paper import data_entry_user, key_form

NOVEMBER = parse_period("2026-11", today=date(2026, 12, 2))


async def responses(services: Services, count: int) -> list[str]:
    user_id = await data_entry_user(services)
    return [
        await key_form(services, user_id, f"HS-{n:03d}", phone=f"09123450{n:02d}")
        for n in range(count)
    ]


async def draw(services: Services, seed: int, share: int = 10) -> dict:
    data, _created = await draw_sample(
        services, unit_code="XA-HOATHANH", period=NOVEMBER, share=share, seed=seed, actor="t"
    )
    return data


def dossiers(entries: list[dict]) -> list[str]:
    return [e["dossier"] for e in entries]


def test_sample_size_is_the_ceiling_of_the_share_and_never_zero_for_anyone() -> None:
    assert [rechecks.sample_size(n, 10) for n in (0, 1, 9, 10, 11, 80)] == [0, 1, 1, 1, 2, 8]
    assert rechecks.sample_size(3, 100) == 3
    sample, reserve = rechecks.choose([5, 3, 1], 50, seed=1)
    assert len(sample) == 2 and len(reserve) == 1 and set(sample + reserve) == {1, 3, 5}


async def test_a_draw_is_reproducible_and_changes_with_the_seed(services: Services) -> None:
    await responses(services, 25)
    first = await draw(services, seed=7)
    assert first["population"] == 25 and first["share"] == 10 and first["seed"] == 7
    assert first["period"] == {"label": "2026-11", "from": "2026-11-01", "to": "2026-11-30"}
    assert len(first["sample"]) == 3 and len(first["reserve"]) == 3
    drawn = dossiers(first["sample"]) + dossiers(first["reserve"])
    assert len(set(drawn)) == 6
    assert first["sample"][0]["completed_at"].endswith("+07:00")
    again = await draw(services, seed=7)
    assert again == first
    other = await draw(services, seed=8)
    assert dossiers(other["sample"]) != dossiers(first["sample"])
    async with services.db.transaction() as session:
        unit = await units.require(session, "XA-HOATHANH")
        stored = await rechecks.draws_for(session, [unit.id])
    assert len(stored) == 2  # the repeated seed reused its draw


async def test_flagged_responses_are_not_drawn(services: Services) -> None:
    await responses(services, 4)
    everyone = await draw(services, seed=1, share=100)
    excluded = everyone["sample"][0]["response_id"]
    async with services.db.transaction() as session:
        await flags.raise_flag(
            session, session_id=excluded, flag="too_fast", evidence={}, now=services.now()
        )
    later = await draw(services, seed=1, share=100)
    assert later["population"] == 3
    assert excluded not in [e["response_id"] for e in later["sample"]]


async def test_outcomes_flag_denials_and_call_the_reserve(services: Services) -> None:
    await responses(services, 20)
    data = await draw(services, seed=3)  # 2 in the sample, 2 in reserve
    async with services.db.transaction() as session:
        unit = await units.require(session, "XA-HOATHANH")
        (stored,) = await rechecks.draws_for(session, [unit.id])
        views = await rechecks.items(session, stored.id)
    called = [v.item for v in views if v.item.called]
    assert [v.response.dossier for v in views if v.item.called] == dossiers(data["sample"])
    assert views[0].response.phone is not None
    now = services.now()
    month = (NOVEMBER.start, NOVEMBER.end)
    async with services.db.transaction() as session:
        before = (await tallies.tally(session, [unit.id], *month))[unit.id]
        await rechecks.record_outcome(session, called[0].id, "denied", by="t", now=now)
        promoted = await rechecks.record_outcome(
            session, called[1].id, "unreachable", by="t", now=now
        )
        assert promoted is not None and promoted.replaces_id == called[1].id
        assert promoted.session_id == data["reserve"][0]["response_id"]
        await rechecks.record_outcome(session, promoted.id, "confirmed", by="t", now=now)
        with pytest.raises(rechecks.OutcomeRefused):  # recorded once
            await rechecks.record_outcome(session, called[0].id, "confirmed", by="t", now=now)
        reserve_left = await session.get(RecheckItem, views[-1].item.id)
        assert reserve_left is not None and not reserve_left.called
        with pytest.raises(rechecks.OutcomeRefused):  # not on the call list
            await rechecks.record_outcome(session, reserve_left.id, "confirmed", by="t", now=now)
        after = (await tallies.tally(session, [unit.id], *month))[unit.id]
        excluded = await counted.excluded(session, [unit.id], *month)
        summary = await rechecks.summary(
            session, [unit.id], NOVEMBER.start, NOVEMBER.end, zone=services.zone
        )
        assert not await flags.is_counted(session, called[0].session_id)
    assert before.stats["completed"] == 20 and after.stats["completed"] == 19
    assert excluded.total == 1 and excluded.by_flag == {"denied_on_recheck": 1}
    assert summary == {
        "drawn": 3,
        "confirmed": 1,
        "denied": 1,
        "unreachable": 1,
        "confirmed_share": 50.0,
    }


async def test_cli_draw_json_and_user_errors(services: Services) -> None:
    await responses(services, 12)
    cli = InProcessCli(env={"SIPAS__DATABASE__URL": services.db.url})
    ran = await cli.in_thread(
        "recheck", "draw", "--unit", "XA-HOATHANH", "--period", "2026-11", "--seed", "7", "--json"
    )
    assert ran.returncode == 0, ran.stderr
    data = json.loads(ran.stdout)
    assert data == await draw(services, seed=7)
    assert len(data["sample"]) == 2 and len(data["reserve"]) == 2
    plain = await cli.in_thread("recheck", "draw", "--unit", "XA-HOATHANH", "--period", "2026-11")
    assert plain.returncode == 0 and "repeat with --seed" in plain.stdout
    for args, words in (
        (("--unit", "XA-NOWHERE", "--period", "2026-11"), "unknown unit"),
        (("--unit", "XA-HOATHANH", "--period", "November"), "not a period"),
        (("--unit", "XA-HOATHANH", "--period", "2026-11", "--share", "0"), "--share"),
    ):
        ran = await cli.in_thread("recheck", "draw", *args)
        assert ran.returncode == 1 and words in ran.stderr and "Traceback" not in ran.stderr
        assert len(ran.stderr.strip().splitlines()) == 1


async def test_a_province_draws_over_its_communes(services: Services) -> None:
    await responses(services, 5)
    data, _created = await draw_sample(
        services, unit_code="TINH-TEST", period=NOVEMBER, share=40, seed=2, actor="t"
    )
    assert data["unit"] == "TINH-TEST" and data["population"] == 5
    assert len(data["sample"]) == 2 and len(data["reserve"]) == 2
