"""The weekly digest a chair reads in one message: text, plus a chart image.

``compose_digest`` is the one entry point, shared by the weekly job, ``sipas-bot digest`` and
the chair's ``/baocao`` command. It is anonymous by construction: it reads counters and
comment texts only, never chat ids or dossier codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from flows.model import Flow
from flows.outbound import Message, Outbound, Photo
from flows.scoring import CriterionScore, Scores
from flows.texts import without_controls
from reports.chart import factor_chart
from reports.figures import Feedback, Figures, FlowLookup, Scored, figures
from reports.formatting import change, day, number, percent
from reports.texts import phrase
from reports.weeks import end_of, monday, parse_week
from storage.models import Unit

MAX_FEEDBACK = 6
MAX_FEEDBACK_CHARS = 200
WEAKEST = 3


@dataclass(frozen=True)
class Digest:
    text: str
    chart_png: bytes | None
    caption: str
    figures: Figures

    def messages(self) -> list[Outbound]:
        """What a chat receives: the text, then the chart when there is one."""
        sent: list[Outbound] = [Message(self.text)]
        if self.chart_png is not None:
            sent.append(Photo(self.chart_png, self.caption))
        return sent


async def compose_digest(
    session: AsyncSession,
    unit: Unit,
    iso_week: str,
    flows: FlowLookup,
    zone: ZoneInfo,
    locale: str = "vi",
    now: datetime | None = None,
) -> Digest:
    """The digest of ``unit`` (with the units under it, ranked) for ``iso_week``.

    ``now`` marks a week still running as provisional (on-demand reports).
    """
    found = await figures(session, unit, iso_week, flows)
    text = render_text(found, unit, zone, locale, now)
    caption = phrase("chart_caption", locale, week=parse_week(iso_week)[1])
    return Digest(text, _chart(found, locale, caption), caption, found)


def render_text(
    found: Figures, unit: Unit, zone: ZoneInfo, locale: str, now: datetime | None = None
) -> str:
    year, week = parse_week(found.iso_week)
    first = monday(found.iso_week)
    title = phrase(
        "digest_title",
        locale,
        week=week,
        year=year,
        first=day(first),
        last=day(first + timedelta(days=6)),
        unit=unit.name,
    )
    lines = [title]
    if now is not None and now < end_of(found.iso_week, zone):
        local = now.astimezone(zone)
        lines.append(phrase("digest_partial", locale, moment=f"{day(local)} {local:%H:%M}"))
    lines += ["", *_counts(found, locale), ""]
    if found.week is None:
        lines.append(phrase("no_responses", locale))
    else:
        lines += _indices(found.week, found.previous, locale)
    if found.year is not None:
        lines.append(phrase("index_year", locale, value=percent(found.year.scores.overall, locale)))
    if found.week is not None:
        lines += ["", *_weakest(found.week, locale), "", *_levels(found.week, locale)]
    lines += ["", *_feedback(found, locale)]
    lines.append(phrase("flagged", locale, count=number(found.flagged, 0, locale)))
    if found.ranking:
        lines += ["", phrase("ranking", locale)]
        for rank, ranked in enumerate(found.ranking, start=1):
            lines.append(
                phrase(
                    "rank_line",
                    locale,
                    rank=rank,
                    unit=ranked.unit.name,
                    value=percent(ranked.overall, locale),
                    count=number(ranked.completed, 0, locale),
                )
            )
    return "\n".join(lines).strip()


def _counts(found: Figures, locale: str) -> list[str]:
    completed = phrase(
        "completed",
        locale,
        week=number(found.completed_week, 0, locale),
        year=number(found.completed_year, 0, locale),
    )
    if found.minimum:
        share = 100.0 * found.completed_year / found.minimum
        completed += phrase(
            "minimum",
            locale,
            minimum=number(found.minimum, 0, locale),
            share=percent(share, locale),
        )
    rate = phrase(
        "completion",
        locale,
        rate=percent(found.completion_rate, locale),
        completed=number(found.completed_year, 0, locale),
        started=number(found.started_year, 0, locale),
    )
    return [completed, rate]


def _delta(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def _factor_index(scored: Scored | None, factor_id: str) -> float | None:
    if scored is None:
        return None
    match = [f for f in scored.scores.factors if f.factor_id == factor_id]
    return match[0].index if match else None


def _indices(week: Scored, previous: Scored | None, locale: str) -> list[str]:
    """The week's indices, with the change against the previous week when there was one."""
    overall = percent(week.scores.overall, locale)
    if previous is None:
        lines = [phrase("index_alone", locale, value=overall)]
    else:
        delta = _delta(week.scores.overall, previous.scores.overall)
        lines = [phrase("index", locale, value=overall, change=change(delta, locale))]
    lines.append(phrase("factors", locale))
    for factor in week.scores.factors:
        name = week.flow.factor(factor.factor_id).name.get(locale)
        value = percent(factor.index, locale)
        if previous is None:
            lines.append(phrase("factor_alone", locale, name=name, value=value))
            continue
        delta = _delta(factor.index, _factor_index(previous, factor.factor_id))
        lines.append(
            phrase("factor_line", locale, name=name, value=value, change=change(delta, locale))
        )
    return lines


def weakest(scores: Scores, count: int = WEAKEST) -> list[CriterionScore]:
    """The lowest criterion indices (ties: lower mean first, then the flow's order)."""
    rated = [(c, i) for i, c in enumerate(scores.criteria()) if c.index is not None]
    rated.sort(key=lambda pair: (pair[0].index, pair[0].mean, pair[1]))
    return [c for c, _ in rated[:count]]


def _weakest(week: Scored, locale: str) -> list[str]:
    lines = [phrase("weakest", locale)]
    questions = {q.id: q for q in week.flow.questions}
    for criterion in weakest(week.scores):
        lines.append(
            phrase(
                "criterion_line",
                locale,
                id=criterion.question_id,
                text=questions[criterion.question_id].text.get(locale),
                value=percent(criterion.index, locale),
                mean=number(criterion.mean or 0.0, 2, locale),
            )
        )
    return lines


def level_labels(flow: Flow, locale: str) -> dict[int, str]:
    """Each level's label, in the order the flow's choice sets list them."""
    labels: dict[int, str] = {}
    for question in flow.questions:
        for choice in question.choice_set.choices:
            labels.setdefault(choice.value, choice.label.get(locale))
    return labels


def _levels(week: Scored, locale: str) -> list[str]:
    total = sum(week.levels.values())
    lines = [phrase("levels", locale)]
    for value, label in level_labels(week.flow, locale).items():
        count = week.levels.get(value, 0)
        lines.append(
            phrase(
                "level_line",
                locale,
                label=label,
                count=number(count, 0, locale),
                share=percent(100.0 * count / total if total else None, locale),
            )
        )
    return lines


def _shorten(text: str) -> str:
    flat = " ".join(without_controls(text).split())
    return flat if len(flat) <= MAX_FEEDBACK_CHARS else flat[: MAX_FEEDBACK_CHARS - 1] + "…"


def _feedback(found: Figures, locale: str) -> list[str]:
    lines = [
        phrase(
            "feedback",
            locale,
            comments=number(found.comments, 0, locale),
            complaints=number(found.complaints, 0, locale),
        )
    ]
    shown: list[Feedback] = list(found.feedback[:MAX_FEEDBACK])
    for item in shown:
        key = "complaint_item" if item.is_complaint else "comment_item"
        lines.append(phrase(key, locale, text=_shorten(item.text)))
    if len(found.feedback) > len(shown):
        lines.append(phrase("more_feedback", locale, count=len(found.feedback) - len(shown)))
    return lines


def _chart(found: Figures, locale: str, title: str) -> bytes | None:
    if found.week is None and found.previous is None:
        return None
    reference = (found.week or found.previous).flow  # type: ignore[union-attr]
    factor_ids = [f.id for f in reference.factors]
    this_week = [_factor_index(found.week, fid) for fid in factor_ids]
    last_week = [_factor_index(found.previous, fid) for fid in factor_ids]
    return factor_chart(
        factor_ids,
        this_week,
        last_week,
        title=title,
        legend=(phrase("chart_this", locale), phrase("chart_last", locale)),
        locale=locale,
    )
