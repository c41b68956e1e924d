"""A unit's results cut by desk (service counters with a standing QR code) for a period.

Each desk's counted ratings (``storage.repos.desk_ratings``: the flag rule of
``storage.repos.counted``) are scored by the desk flow's own rule with the same helpers as
every report: per question the distribution of answers (``flows.scoring``), for a scored
question the share satisfied with Wilson's 95 % interval (``reports.estimates.wilson``), the
desk's index with its interval over respondents (``over_respondents`` of their personal
indices, ``storage.repos.counters.personal_indices``). Desks are ranked with
``reports.report.positions``, among sufficient ones only.

The minimum: a desk has no annual dossier count of its own to pro-rate, so it needs the floor
of ``reports.sample`` (``FLOOR`` counted ratings in the period), the count below which an
index of a unit is called noise too; under it a desk or a question says "chưa đủ phiếu".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from flows.model import Flow, Question
from flows.places import with_place
from flows.scoring import (
    AnswerDistribution,
    answer_distribution,
    distributions_from_responses,
    rules_of,
    score,
    score_criterion,
)
from reports.estimates import NOTHING, Estimate, over_respondents, wilson
from reports.periods import Period
from reports.ranking import positions
from reports.sample import FLOOR
from reports.unit_figures import FlowLookup, main_version
from storage.models import Desk, Unit
from storage.repos import desk_ratings, desks
from storage.repos.counters import SIPAS, personal_indices
from storage.repos.errors import NotFound

MINIMUM = FLOOR  # counted ratings a desk (or one of its questions) needs in a period


@dataclass(frozen=True)
class QuestionFigure:
    question: Question
    answers: AnswerDistribution  # per choice (or number) how many gave it
    share: Estimate | None  # scored questions: satisfied / valid answers, 95 % Wilson
    not_applicable: int  # "Không có ý kiến" and the like: outside the share

    @property
    def sufficient(self) -> bool:
        return self.share is not None and self.share.n >= MINIMUM


@dataclass(frozen=True)
class DeskFigures:
    desk: Desk
    flow: Flow | None  # the flow most of its ratings answered; None without ratings
    counted: int
    excluded: int
    comments: int
    complaints: int
    index: Estimate
    questions: tuple[QuestionFigure, ...]

    @property
    def sufficient(self) -> bool:
        return self.counted >= MINIMUM


def _question(flow: Flow, question: Question, counts: Counter[int]) -> QuestionFigure:
    answers = answer_distribution(question, counts)
    if not question.scored:
        return QuestionFigure(question, answers, None, 0)
    criterion = score_criterion(rules_of(flow).by_question[question.id], counts)
    return QuestionFigure(
        question,
        answers,
        wilson(criterion.satisfied, criterion.valid),
        criterion.not_applicable,
    )


def _index(flow: Flow, responses: Sequence[dict[str, int]]) -> Estimate:
    """The desk's index by the flow's rule, with the spread of its respondents' own."""
    overall = score(flow, distributions_from_responses(responses)).overall
    own = [personal_indices(flow, answers).values.get(SIPAS) for answers in responses]
    values = [v for v in own if v is not None]
    total, squares = sum(values), sum(v * v for v in values)
    return over_respondents(overall, len(values), total, squares)


async def desk_figures(
    session: AsyncSession, desk: Desk, found: desk_ratings.DeskRatings, flows: FlowLookup
) -> DeskFigures:
    version = main_version(Counter(version for version, _answers in found.responses))
    flow = None if version is None else await flows(session, version)
    responses = [answers for _version, answers in found.responses]
    counts = distributions_from_responses(responses)
    return DeskFigures(
        desk=desk,
        flow=flow,  # versions of a flow share question ids: their answers merge by id
        counted=len(responses),
        excluded=found.excluded,
        comments=found.comments,
        complaints=found.complaints,
        index=NOTHING if flow is None else _index(flow, responses),
        questions=()
        if flow is None
        else tuple(_question(flow, q, counts.get(q.id, Counter())) for q in flow.questions),
    )


async def unit_desks(
    session: AsyncSession, unit: Unit, period: Period, flows: FlowLookup
) -> list[DeskFigures]:
    """Every desk of ``unit`` (by name) with its figures for ``period``."""
    found = await desks.for_units(session, [unit.id])
    rated = await desk_ratings.ratings(session, [d.id for d in found], period.start, period.end)
    return [await desk_figures(session, d, rated[d.id], flows) for d in found]


def ranks(figures: Sequence[DeskFigures]) -> dict[str, int]:
    """Rank by index among desks with enough ratings, by the rule of every report."""
    return positions([(f.desk.code, f.sufficient, f.index.value) for f in figures])


def _rounded(estimate: Estimate) -> dict[str, Any]:
    return {**estimate.as_json(), "n": estimate.n}


def _question_json(item: QuestionFigure, locale: str, place: str | None) -> dict[str, Any]:
    question = item.question
    labels = {c.value: c.label.get(locale) for c in question.choice_set.choices}
    return {
        "id": question.id,
        "text": with_place(question.text.get(locale), place),
        "kind": question.kind,
        "scored": question.scored,
        "answered": item.answers.answered,
        "skipped": item.answers.skipped,
        "answers": [
            {"value": value, "label": labels.get(value), "count": count}
            for value, count in item.answers.counts.items()
        ],
        "satisfied": None if item.share is None else _rounded(item.share),
        "not_applicable": item.not_applicable,
        "sufficient": item.sufficient,
    }


def desk_json(
    figures: DeskFigures, rank: int | None, locale: str, place: str | None
) -> dict[str, Any]:
    """One desk's figures as JSON: counts, index, rank, each question; no comment text."""
    return {
        "desk": {"code": figures.desk.code, "name": figures.desk.name},
        "flow": figures.flow.key if figures.flow else figures.desk.flow_key,
        "responses": {"counted": figures.counted, "excluded": figures.excluded},
        "comments": figures.comments,
        "complaints": figures.complaints,
        "sufficient": figures.sufficient,
        "required": MINIMUM,
        "index": _rounded(figures.index),
        "rank": rank,
        "questions": [_question_json(q, locale, place) for q in figures.questions],
    }


def summary_json(figures: DeskFigures, rank: int | None) -> dict[str, Any]:
    """The short form the unit report carries in its ``desks`` list."""
    return {
        "desk": {"code": figures.desk.code, "name": figures.desk.name},
        "responses": {"counted": figures.counted, "excluded": figures.excluded},
        "comments": figures.comments,
        "sufficient": figures.sufficient,
        "required": MINIMUM,
        "index": _rounded(figures.index),
        "rank": rank,
    }


async def build_desk_report(
    session: AsyncSession,
    unit: Unit,
    period: Period,
    *,
    locale: str,
    flows: FlowLookup,
    desk_code: str | None = None,
) -> dict[str, Any]:
    """``{"unit", "period", "required", "desks": [...]}``, every desk of the unit ranked
    among them; with ``desk_code`` only that desk is listed (``NotFound`` if the unit has
    no such desk)."""
    everyone = await unit_desks(session, unit, period, flows)
    found = ranks(everyone)
    shown = [f for f in everyone if desk_code is None or f.desk.code == desk_code.upper()]
    if desk_code is not None and not shown:
        raise NotFound(f"unit {unit.code} has no desk {desk_code}")
    return {
        "unit": {"code": unit.code, "name": unit.name},
        "period": period.as_json(),
        "required": MINIMUM,
        "ranked": len(found),  # desks with enough ratings to be ranked
        "desks": [desk_json(f, found.get(f.desk.code), locale, unit.place) for f in shown],
    }
