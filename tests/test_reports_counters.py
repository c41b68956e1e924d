"""Property: after any stream of responses (complete, abandoned, revised, with comments and
complaints, spread over weeks), the per-unit counters agree with a recount from raw answers,
and every week and month row is the sum of its day rows.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.services import Services
from flows.engine import Back, Choose
from reports.verify import disagreements
from scheduler.clock import ManualClock
from storage.repos import tallies, units
from tests.support.scheduler import MAU01, QUESTION_IDS, answer, finish, open_survey
from tests.support.tallies import period_rows_off

NUMBERS = itertools.count()
# Every day the clock can reach (6 examples x 5 responses x at most 4 days and 7 minutes).
START, END = date(2026, 11, 1), date(2027, 6, 30)


@dataclass(frozen=True)
class Response:
    unit: str
    answers: tuple[int, ...]
    stop_after: int | None  # abandoned after this many answers
    revise_last: int | None
    comment: str | None
    complaint: str | None
    days_later: int


def levels_for(question_index: int) -> st.SearchStrategy[int]:
    choices = MAU01.questions[question_index].choice_set.choices
    return st.sampled_from([c.value for c in choices])


responses = st.builds(
    Response,
    unit=st.sampled_from(["XA-HOATHANH", "XA-TANPHU"]),
    answers=st.tuples(*(levels_for(i) for i in range(len(QUESTION_IDS)))),
    stop_after=st.one_of(st.none(), st.integers(0, 21)),
    revise_last=st.one_of(st.none(), st.integers(1, 5)),
    comment=st.one_of(st.none(), st.text("abc xyz", min_size=1, max_size=12).filter(str.strip)),
    complaint=st.one_of(st.none(), st.just("Cán bộ gây khó dễ")),
    days_later=st.integers(0, 4),
)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(stream=st.lists(responses, min_size=1, max_size=5))
async def test_counters_agree_with_raw_recount(
    services: Services, clock: ManualClock, stream: list[Response]
) -> None:
    async with services.db.transaction() as session:
        if await units.by_code(session, "XA-TANPHU") is None:
            await units.add(
                session, "XA-TANPHU", "UBND xã Tân Phú", now=clock(), parent_code="TINH-TEST"
            )
    for response in stream:
        number = next(NUMBERS)
        clock.advance(days=response.days_later, minutes=7)
        count = len(QUESTION_IDS) if response.stop_after is None else response.stop_after
        ref = await open_survey(
            services,
            f"p{number}",
            f"HS-{number}",
            unit=response.unit,
            answers=response.answers[:count],
        )
        if response.stop_after is not None:
            continue
        if response.revise_last is not None:
            await services.conversation.turn(ref, Back())
            await services.conversation.turn(
                ref, Choose(QUESTION_IDS[-1], str(response.revise_last))
            )
        await finish(services, ref, response.comment, response.complaint)
        await answer(services, ref, [1], start=0)  # a late press after the end changes nothing
    async with services.db.transaction() as session:
        ids = [u.id for u in await units.all_units(session)]
        assert await disagreements(session, ids, START, END) == []
        assert await period_rows_off(session) == []
        kept = tallies.merged((await tallies.tally(session, ids, START, END)).values())
        assert kept.stats["started"] >= kept.stats["completed"]
