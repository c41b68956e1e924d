"""The weekly digest a chair reads in one message: text, plus a chart image.

``compose_digest`` is the one entry point, shared by the weekly job, ``sipas-bot digest`` and
the chair's ``/baocao`` command. It is anonymous by construction: it reads counters and
comment texts only, never chat ids or dossier codes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from flows.model import Flow
from flows.outbound import Message, Outbound, Photo
from flows.places import with_place
from reports import estimates
from reports.chart import factor_chart
from reports.estimates import NOTHING, Estimate
from reports.figures import Feedback, Figures, FlowLookup, figures
from reports.formatting import change, day, number, percent
from reports.plain import one_line
from reports.texts import phrase
from reports.unit_figures import CriterionFigure, UnitFigures
from reports.weeks import end_of, monday, parse_week
from storage.models import Unit
from storage.repos import complaints

MAX_FEEDBACK = 6
MAX_FEEDBACK_CHARS = 200
WEAKEST = 1


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
    work_list_url: str | None = None,
) -> Digest:
    """The digest of ``unit`` (with the units under it, ranked) for ``iso_week``.

    ``now`` marks a week still running as provisional (on-demand reports);
    ``work_list_url`` is the staff work list of reports / petitions, linked from the digest.
    """
    found = await figures(session, unit, iso_week, flows)
    moment = now or end_of(iso_week, zone)
    waiting = await open_complaints(session, found, locale, moment, work_list_url)
    text = render_text(found, unit, zone, locale, now, waiting)
    caption = phrase("chart_caption", locale, week=parse_week(iso_week)[1])
    return Digest(text, _chart(found, locale, caption), caption, found)


def render_text(
    found: Figures,
    unit: Unit,
    zone: ZoneInfo,
    locale: str,
    now: datetime | None = None,
    complaints_line: str | None = None,
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
    if found.week.sipas.value is None:
        lines.append(phrase("no_responses", locale))
    else:
        lines += _indices(found, locale)
    if found.year.sipas.value is not None:
        lines.append(
            phrase("index_year", locale, value=percent(found.year.sipas.value, locale))
            + precision(found.year.sipas, locale)
        )
    lines += _trend(found, locale)
    if found.week.sipas.value is not None:
        lines += ["", *_weakest(found.week, locale, unit.place), "", *_levels(found.week, locale)]
    lines += ["", *_feedback(found, locale)]
    if complaints_line:
        lines.append(complaints_line)
    lines.append(phrase("flagged", locale, count=number(found.flagged, 0, locale)))
    if found.ranking:
        lines += ["", phrase("ranking", locale), *_ranking(found, locale)]
    return "\n".join(lines).strip()


def precision(estimate: Estimate, locale: str) -> str:
    """`` (n = 24; 95 % CI 55,2 % – 72,9 %)``, or only n when there is no interval."""
    n = number(estimate.n, 0, locale)
    if estimate.low is None or estimate.high is None:
        return phrase("precision_n", locale, n=n)
    return phrase(
        "precision",
        locale,
        n=n,
        low=percent(estimate.low, locale),
        high=percent(estimate.high, locale),
    )


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


def _factor_estimate(figures: UnitFigures, factor_id: str) -> Estimate:
    found = figures.factor(factor_id)
    return found.estimate if found is not None else NOTHING


def _indices(found: Figures, locale: str) -> list[str]:
    """The week's indices with n and interval, the change against the previous week when
    there was one, and "not enough responses" below the sample size."""
    week, previous = found.week, found.previous
    overall = percent(week.sipas.value, locale)
    lines = [phrase("index", locale, value=overall) + precision(week.sipas, locale)]
    if previous.sipas.value is None:
        lines.append(phrase("index_alone", locale))
    else:
        delta = _delta(week.sipas.value, previous.sipas.value)
        verdict = phrase(f"verdict_{estimates.change(previous.sipas, week.sipas)}", locale)
        lines.append(phrase("index_change", locale, change=change(delta, locale), verdict=verdict))
    if not found.sufficient:
        lines.append(
            phrase(
                "not_enough",
                locale,
                count=number(week.counted, 0, locale),
                required=number(found.required, 0, locale),
            )
        )
    lines.append(phrase("factors", locale))
    assert week.flow is not None
    for factor in week.factors:
        name = week.flow.factor(factor.id).name.get(locale)
        value = percent(factor.estimate.value, locale)
        if previous.sipas.value is None:
            lines.append(phrase("factor_alone", locale, name=name, value=value))
            continue
        delta = _delta(factor.estimate.value, _factor_estimate(previous, factor.id).value)
        lines.append(
            phrase("factor_line", locale, name=name, value=value, change=change(delta, locale))
        )
    return lines


def _trend(found: Figures, locale: str) -> list[str]:
    """SIPAS of the last weeks on one line (``W47 80,0 % · W48 90,0 %``), when any has one."""
    if not any(entry["sipas"]["value"] is not None for entry in found.trend):
        return []
    weeks = " · ".join(
        f"{entry['period']['label'][5:]} {percent(entry['sipas']['value'], locale)}"
        for entry in found.trend
    )
    return [phrase("trend", locale, count=len(found.trend), weeks=weeks)]


def weakest(figures: UnitFigures, count: int = WEAKEST) -> list[CriterionFigure]:
    """The lowest criterion indices (ties: lower mean first, then the flow's order)."""
    rated = [(c, i) for i, c in enumerate(figures.criteria) if c.estimate.value is not None]
    rated.sort(key=lambda pair: (pair[0].estimate.value, pair[0].mean, pair[1]))
    return [c for c, _ in rated[:count]]


def _weakest(week: UnitFigures, locale: str, place: str | None) -> list[str]:
    """The one weakest criterion, in words (what the chair should look at first), with the
    unit's place filled in as a report shows it."""
    assert week.flow is not None
    questions = {q.id: q for q in week.flow.questions}
    found = weakest(week)
    if not found:
        return []
    criterion = found[0]
    return [
        phrase(
            "weakest",
            locale,
            id=criterion.id,
            text=with_place(questions[criterion.id].text.get(locale), place),
            value=percent(criterion.estimate.value, locale),
            n=number(criterion.estimate.n, 0, locale),
            mean=number(criterion.mean or 0.0, 2, locale),
        )
    ]


def level_labels(flow: Flow, locale: str) -> dict[int, str]:
    """Each level of the scored scale questions with its most common label (0 is "Không có
    ý kiến" on most questions, "Không phải nộp phí" on 2.4), in the choice sets' order."""
    seen: dict[int, Counter[str]] = {}
    for question in flow.questions:
        if question.scored and question.kind == "scale5":
            for choice in question.choice_set.choices:
                seen.setdefault(choice.value, Counter())[choice.label.get(locale)] += 1
    return {value: labels.most_common(1)[0][0] for value, labels in seen.items()}


def _not_applicable_values(flow: Flow) -> set[int]:
    return {c.value for q in flow.questions for c in q.choice_set.choices if c.not_applicable}


def _levels(week: UnitFigures, locale: str) -> list[str]:
    """Answers per level over all criteria ("no opinion" under its own label)."""
    assert week.flow is not None
    counts = week.levels()
    for value in _not_applicable_values(week.flow):
        counts[value] += sum(c.not_applicable for c in week.criteria)
    total = sum(counts.values())
    lines = [phrase("levels", locale)]
    for value, label in level_labels(week.flow, locale).items():
        count = counts.get(value, 0)
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


def _ranking(found: Figures, locale: str) -> list[str]:
    lines = []
    for ranked in found.ranking:
        values = {
            "unit": ranked.unit.name,
            "value": percent(ranked.figures.sipas.value, locale),
            "count": number(ranked.figures.counted, 0, locale),
        }
        if ranked.rank is None:
            lines.append(phrase("unranked_line", locale, **values))
        else:
            lines.append(phrase("rank_line", locale, rank=ranked.rank, **values))
    return lines


async def open_complaints(
    session: AsyncSession, found: Figures, locale: str, moment: datetime, url: str | None
) -> str:
    """How many reports / petitions of the scope wait for an answer (and how many are past
    their due date), with the link to the work list."""
    waiting, overdue = await complaints.open_counts(session, [u.id for u in found.units], moment)
    line = phrase(
        "complaints_open",
        locale,
        open=number(waiting, 0, locale),
        overdue=number(overdue, 0, locale),
    )
    return f"{line}\n{url}" if url and waiting else line


def _shorten(text: str) -> str:
    flat = one_line(text)  # no control characters: a comment cannot garble the chat
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
    reference = found.week.flow or found.previous.flow
    if reference is None:
        return None
    factor_ids = [f.id for f in reference.factors]
    return factor_chart(
        [reference.factor(fid).name.get(locale) for fid in factor_ids],
        [_factor_estimate(found.week, fid).value for fid in factor_ids],
        [_factor_estimate(found.previous, fid).value for fid in factor_ids],
        title=title,
        legend=(phrase("chart_this", locale), phrase("chart_last", locale)),
        locale=locale,
    )
