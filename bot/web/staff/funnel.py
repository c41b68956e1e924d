""" "Tình hình thu phiếu": the response funnel of a unit (and the units below it) for a period —
links created, opened, agreed, completed — and the question at which those who did not
finish stopped. Aggregates only: nobody is named.
"""

from __future__ import annotations

from aiohttp import web

from bot.staff.roles import EVERYONE
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.pages import current_locale, page
from bot.web.staff.period_query import asked, figures_of
from flows.model import FORMS
from flows.places import with_place
from storage.models import Unit
from storage.repos import flow_versions, funnel

STEPS = ("created", "opened", "consented", "completed")


async def _question_texts(request: web.Request, unit: Unit, locale: str) -> dict[str, str]:
    """Criterion id → its wording in the unit's flows (the citizen form's wins)."""
    services = request.app[SERVICES]
    texts: dict[str, str] = {}
    async with services.db.transaction() as session:
        for form in reversed(FORMS):
            version = await flow_versions.for_unit(session, unit.id, form)
            if version is not None:
                flow = await services.catalog.get(session, version.id)
                texts |= {q.id: with_place(q.text.get(locale), unit.place) for q in flow.questions}
    return texts


def _percent(part: int, whole: int, locale: str) -> str:
    if not whole:
        return "—"
    text = f"{100 * part / whole:.1f}"
    return (text.replace(".", ",") if locale == "vi" else text) + " %"


@staff_route(*EVERYONE)
async def show(request: web.Request, who: Principal) -> web.Response:
    query = asked(request, who)
    locale = await current_locale(request, who)
    figures = await figures_of(request, query, funnel.funnel)
    steps = [
        (step, figures[step], _percent(figures[step], figures["created"], locale))
        for step in STEPS
        if figures is not None
    ]
    context = {
        "units": who.scope,
        "unit": query.unit,
        "period_text": query.period_text,
        "period_error": query.period is None,
        "steps": steps,
        "stopped": figures["stopped_at"] if figures else [],
        "texts": await _question_texts(request, query.unit, locale),
    }
    return await page(request, who, "funnel.html", context)


def setup(app: web.Application) -> None:
    app.router.add_get("/staff/funnel", show)
