"""The response funnel of a unit and period: links created → opened → consented → completed,
and where those who did not complete stopped (the last question they were shown).

The cohort is the links created in the period (local dates), so each step is a subset of the
one before. Links answered on a keyed paper form are left out: the funnel is about the chat
channels. ``stopped_at`` names a criterion by its id, or the consent question (``_consent``)
and the closing questions (``_comment``, ``_complaint_offer``, ``_complaint``); it includes
respondents still answering. Data a respondent deleted (``/xoadulieu``) is not attributed.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from flows.engine import COMMENT, COMPLAINT, COMPLAINT_OFFER, CONSENT, Phase
from flows.loader import parse_flow
from flows.model import Flow
from storage.models import SurveyLink, SurveySession
from storage.repos import flow_versions
from storage.repos.windows import DEFAULT_ZONE, utc_window

PAPER = "paper"
AFTER_CONSENT = frozenset(
    p.value for p in (Phase.ASKING, Phase.COMMENT, Phase.COMPLAINT_OFFER, Phase.COMPLAINT)
)
CLOSING = {
    Phase.COMMENT.value: COMMENT,
    Phase.COMPLAINT_OFFER.value: COMPLAINT_OFFER,
    Phase.COMPLAINT.value: COMPLAINT,
}


class _Flows:
    """Parsed flow versions, read once per call (a question id is found by position)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.parsed: dict[int, Flow] = {}

    async def get(self, version_id: int) -> Flow:
        if version_id not in self.parsed:
            version = await flow_versions.get(self.session, version_id)
            assert version is not None  # a foreign key guarantees it
            self.parsed[version_id] = parse_flow(version.source, version.flow_key)
        return self.parsed[version_id]


async def _stopped_at(flows: _Flows, survey: SurveySession | None) -> str | None:
    if survey is None or survey.phase in (Phase.INTRO.value, Phase.DECLINED.value):
        return CONSENT
    if survey.phase == Phase.ASKING.value:
        questions = (await flows.get(survey.flow_version_id)).questions
        return questions[min(survey.position, len(questions) - 1)].id
    return CLOSING.get(survey.phase)  # None: deleted data


async def funnel(
    session: AsyncSession,
    unit_ids: list[int],
    start: date,
    end: date,
    *,
    zone: tzinfo = DEFAULT_ZONE,
) -> dict[str, object]:
    """{"created", "opened", "consented", "completed", "stopped_at": [{"question", "count"}]}
    with ``stopped_at`` most frequent first."""
    low, high = utc_window(start, end, zone)
    rows = await session.execute(
        select(SurveyLink.opened_at, SurveySession)
        .outerjoin(SurveySession, SurveySession.link_id == SurveyLink.id)
        .where(
            SurveyLink.unit_id.in_(unit_ids),
            SurveyLink.created_at >= low,
            SurveyLink.created_at < high,
        )
        .order_by(SurveyLink.id)
    )
    flows = _Flows(session)
    steps = Counter[str]()
    stopped = Counter[str]()
    order: dict[str, int] = {}
    for opened_at, survey in rows:
        if survey is not None and survey.channel == PAPER:
            continue
        steps["created"] += 1
        if opened_at is not None or survey is not None:
            steps["opened"] += 1
        if survey is not None and survey.completed_at is not None:
            steps["consented"] += 1
            steps["completed"] += 1
            continue
        if survey is not None and (survey.consented_at or survey.phase in AFTER_CONSENT):
            steps["consented"] += 1
        if opened_at is None and survey is None:
            continue  # never shown anything
        question = await _stopped_at(flows, survey)
        if question is not None:
            stopped[question] += 1
            order.setdefault(question, survey.position if survey else -1)
    ranked = sorted(stopped.items(), key=lambda item: (-item[1], order[item[0]], item[0]))
    return {
        "created": steps["created"],
        "opened": steps["opened"],
        "consented": steps["consented"],
        "completed": steps["completed"],
        "stopped_at": [{"question": q, "count": n} for q, n in ranked],
    }
