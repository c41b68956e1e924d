"""The report of a unit for a period, as the JSON of INTERFACES.md ("A report as JSON"):
what ``sipas-bot report``, ``GET /api/v1/reports/{unit}``, the staff report page and the
exports show, so that they never disagree.

Every figure is read from the day-keyed counters (``storage.repos.tallies``); a parent
unit's figures combine its children by volume (``reports.unit_figures``); ``sufficient`` is
the sample-size rule of ``reports.sample``; children are ranked only among sufficient ones.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from flows.places import with_place
from reports import desks as desk_figures
from reports import sample
from reports.estimates import Estimate, change
from reports.periods import Period, parse_period, trend_periods
from reports.ranking import positions
from reports.unit_figures import FlowLookup, Tree, UnitFigures
from storage.models import Unit
from storage.repos import counted, counters, flow_versions, funnel, rechecks, tallies, units

SOURCES = ("web", "telegram", "zalo_bot", "zalo_oa", "paper")

# How a reporter reads tallies: (session, unit ids, spans) -> per span, per unit.
Read = Callable[
    [AsyncSession, Sequence[int], Sequence[tallies.Span]], Awaitable[list[dict[int, tallies.Tally]]]
]


class Reporter:
    """Reads the counters of a unit's scope once per period and builds figures from them.

    One reporter serves one build (a report, a digest, a roll-up) and remembers what it
    read: a (unit, period) is tallied and scored once however many parts of the build show
    it (the week is also the trend's last week; the week before is also in the trend).
    Nothing is kept across builds, so a review that moves a response between two builds
    is always seen.
    """

    def __init__(
        self,
        session: AsyncSession,
        everyone: Sequence[Unit],
        flows: FlowLookup,
        read: Read = tallies.tally_spans,
    ) -> None:
        self.session = session
        self.everyone = list(everyone)
        self.flows = flows
        self.read = read  # the counters; ``tallies.recount_spans`` computes them from raw
        self._trees: dict[tuple[int, date, date], Tree] = {}

    def scope(self, unit: Unit) -> list[Unit]:
        return [unit, *units.below(unit.id, self.everyone)]

    def children(self, unit: Unit) -> list[Unit]:
        return sorted((u for u in self.everyone if u.parent_id == unit.id), key=lambda u: u.code)

    async def trees(self, unit: Unit, wanted: Sequence[Period]) -> list[Tree]:
        """The trees of ``unit``'s scope for several periods, the ones not read yet in one
        batch of grouped queries (``tallies.tally_spans``)."""
        spans = list(dict.fromkeys((p.start, p.end) for p in wanted))
        missing = [span for span in spans if (unit.id, *span) not in self._trees]
        if missing:
            ids = [u.id for u in self.scope(unit)]
            found = await self.read(self.session, ids, missing)
            for span, tallied in zip(missing, found, strict=True):
                self._trees[(unit.id, *span)] = Tree(
                    self.session, self.everyone, tallied, self.flows
                )
        return [self._trees[(unit.id, p.start, p.end)] for p in wanted]

    async def tree(self, unit: Unit, period: Period) -> Tree:
        return (await self.trees(unit, [period]))[0]

    async def figures(self, unit: Unit, period: Period, *, criteria: bool = True) -> UnitFigures:
        return await (await self.tree(unit, period)).figures(unit, criteria=criteria)


def _estimate(estimate: Estimate) -> dict[str, Any]:
    return estimate.as_json()


def _responses(figures: UnitFigures, excluded: counted.Excluded) -> dict[str, Any]:
    by_source = {source: figures.by_source.get(source, 0) for source in SOURCES}
    by_source.update({s: n for s, n in figures.by_source.items() if s not in by_source})
    return {
        "counted": figures.counted,
        "excluded": excluded.total,
        "by_flag": dict(sorted(excluded.by_flag.items())),
        "by_source": by_source,
    }


def _criteria(figures: UnitFigures, locale: str, place: str | None) -> list[dict[str, Any]]:
    if figures.flow is None:
        return []
    texts = {q.id: with_place(q.text.get(locale), place) for q in figures.flow.questions}
    return [
        {
            "id": c.id,
            "value": c.estimate.as_json()["value"],
            "n": c.estimate.n,
            "text": texts.get(c.id, c.id),
            "factor": c.factor,
            "low": c.estimate.as_json()["low"],
            "high": c.estimate.as_json()["high"],
            "mean": None if c.mean is None else round(c.mean, 2),
            "levels": {str(v): n for v, n in sorted(c.levels.items())},
            "not_applicable": c.not_applicable,
        }
        for c in figures.criteria
    ]


def _factors(figures: UnitFigures, locale: str) -> list[dict[str, Any]]:
    if figures.flow is None:
        return []
    names = {f.id: f.name.get(locale) for f in figures.flow.factors}
    return [
        {
            "id": f.id,
            "name": names.get(f.id, f.id),
            **_estimate(f.estimate),
            "n": f.estimate.n,
            "mean": None if f.mean is None else round(f.mean, 2),
        }
        for f in figures.factors
    ]


async def _flow(session: AsyncSession, figures: UnitFigures, locale: str) -> dict[str, Any] | None:
    if figures.flow is None or figures.version_id is None:
        return None
    version = await flow_versions.get(session, figures.version_id)
    return {
        "id": figures.flow.key,
        "title": figures.flow.title.get(locale),
        "version": version.version if version else None,
    }


def ranks(entries: list[dict[str, Any]]) -> None:
    """Set ``rank`` on report children: among sufficient ones only, else null."""
    found = positions([(e["unit"]["code"], e["sufficient"], e["sipas"]["value"]) for e in entries])
    for entry in entries:
        entry["rank"] = found.get(entry["unit"]["code"])


async def _children(
    reporter: Reporter, tree: Tree, unit: Unit, period: Period
) -> list[dict[str, Any]]:
    entries = []
    for child in reporter.children(unit):
        found = await tree.figures(child)
        scope = reporter.scope(child)
        excluded = await counted.excluded(
            reporter.session, [u.id for u in scope], period.start, period.end
        )
        entries.append(
            {
                "unit": {"code": child.code, "name": child.name},
                "responses": {"counted": found.counted, "excluded": excluded.total},
                "sufficient": sample.sufficient(found.counted, scope, period),
                "required": sample.required(scope, period),
                "sipas": {**_estimate(found.sipas), "n": found.sipas.n},
            }
        )
    ranks(entries)
    return entries


async def trend(
    reporter: Reporter, unit: Unit, period: Period, current: UnitFigures
) -> list[dict[str, Any]]:
    """SIPAS (and each factor) over the previous periods of the same kind, oldest first,
    ending with ``period``."""
    entries: list[dict[str, Any]] = []
    before: Estimate | None = None
    steps = trend_periods(period)
    await reporter.trees(unit, steps)  # one batch for the periods not read yet
    for step in steps:
        found = current if step == period else await reporter.figures(unit, step, criteria=False)
        entries.append(
            {
                "period": step.as_json(),
                "sipas": _estimate(found.sipas),
                "n": found.counted,
                "change": None if before is None else change(before, found.sipas),
                "factors": [{"id": f.id, **_estimate(f.estimate)} for f in found.factors],
            }
        )
        before = found.sipas
    return entries


async def _desks(
    session: AsyncSession, unit: Unit, period: Period, flows: FlowLookup
) -> list[dict[str, Any]]:
    found = await desk_figures.unit_desks(session, unit, period, flows)
    ranked = desk_figures.ranks(found)
    return [desk_figures.summary_json(f, ranked.get(f.desk.code)) for f in found]


async def build_report(
    session: AsyncSession,
    unit_code: str,
    period: Period | str | None,
    *,
    now: datetime,
    locale: str,
    zone: ZoneInfo | None = None,
    flows: FlowLookup | None = None,
) -> dict[str, Any]:
    """The report JSON of ``unit_code`` (raises ``NotFound`` for an unknown unit and
    ``PeriodError`` for a period that cannot be read)."""
    unit = await units.require(session, unit_code)
    if not isinstance(period, Period):
        period = parse_period(period, today=now.astimezone(zone or counters.DEFAULT_ZONE).date())
    reporter = Reporter(session, await units.all_units(session), flows or counters.flow_of)
    tree, *_ = await reporter.trees(unit, [period, *trend_periods(period)])
    figures = await tree.figures(unit)
    scope = reporter.scope(unit)
    ids = [u.id for u in scope]
    excluded = await counted.excluded(session, ids, period.start, period.end)
    local = zone or counters.DEFAULT_ZONE
    return {
        "unit": {"code": unit.code, "name": unit.name},
        "period": period.as_json(),
        "responses": _responses(figures, excluded),
        "sufficient": sample.sufficient(figures.counted, scope, period),
        "required": sample.required(scope, period),
        "sipas": {**_estimate(figures.sipas), "n": figures.sipas.n},
        "factors": _factors(figures, locale),
        "criteria": _criteria(figures, locale, unit.place),
        "unanswered": figures.unanswered(),
        "children": await _children(reporter, tree, unit, period),
        "trend": await trend(reporter, unit, period, figures),
        "generated_at": now.astimezone(zone or counters.DEFAULT_ZONE).isoformat(timespec="seconds"),
        "flow": await _flow(session, figures, locale),
        "locale": locale,
        # The phone re-check of the period's responses (share confirmed beside the index) and
        # how far the period's links got: created, opened, consented, completed, where people
        # stopped.
        "recheck": await rechecks.summary(session, ids, period.start, period.end, zone=local),
        "funnel": await funnel.funnel(session, ids, period.start, period.end, zone=local),
        # The unit's own desks (standing QR codes), each with its counted ratings, index and
        # rank among them; their ratings are outside every figure above.
        "desks": await _desks(session, unit, period, flows or counters.flow_of),
    }
