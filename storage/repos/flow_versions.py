"""Published flow versions (immutable) and which version a unit uses for each form."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Desk, FlowVersion, SurveyLink, SurveySession, UnitFlow


def digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


async def get(session: AsyncSession, version_id: int) -> FlowVersion | None:
    return await session.get(FlowVersion, version_id)


async def latest(session: AsyncSession, flow_key: str) -> FlowVersion | None:
    return await session.scalar(
        select(FlowVersion)
        .where(FlowVersion.flow_key == flow_key)
        .order_by(FlowVersion.version.desc())
        .limit(1)
    )


async def latest_for_form(session: AsyncSession, form: str) -> FlowVersion | None:
    """The default for units that chose no flow for ``form``: the newest version of the
    first flow published for that form (the standard SIPAS form, published first at start-up),
    so publishing another flow of the form (a desk rating, a 1001 form) changes no unit."""
    first = await session.scalar(
        select(FlowVersion.flow_key)
        .where(FlowVersion.form == form)
        .order_by(FlowVersion.id)
        .limit(1)
    )
    return None if first is None else await latest(session, first)


async def publish(
    session: AsyncSession,
    *,
    flow_key: str,
    form: str,
    source: str,
    now: datetime,
    by: str | None = None,
) -> tuple[FlowVersion, bool]:
    """Store ``source`` as the next version of ``flow_key`` unless it equals the newest."""
    current = await latest(session, flow_key)
    sha = digest(source)
    if current is not None and current.sha256 == sha:
        return current, False
    version = FlowVersion(
        flow_key=flow_key,
        form=form,
        version=(current.version + 1) if current else 1,
        source=source,
        sha256=sha,
        published_at=now,
        published_by=by,
    )
    session.add(version)
    await session.flush()
    return version, True


async def versions(session: AsyncSession, flow_key: str | None = None) -> list[FlowVersion]:
    query = select(FlowVersion).order_by(FlowVersion.flow_key, FlowVersion.version)
    if flow_key is not None:
        query = query.where(FlowVersion.flow_key == flow_key)
    return list(await session.scalars(query))


async def is_answered(session: AsyncSession, version_id: int) -> bool:
    count = await session.scalar(
        select(func.count())
        .select_from(SurveySession)
        .where(SurveySession.flow_version_id == version_id)
    )
    return bool(count)


async def for_unit(session: AsyncSession, unit_id: int, form: str) -> FlowVersion | None:
    chosen = await session.get(UnitFlow, (unit_id, form))
    if chosen is not None:
        return await session.get(FlowVersion, chosen.flow_version_id)
    return await latest_for_form(session, form)


async def for_link(session: AsyncSession, link: SurveyLink) -> FlowVersion | None:
    """The version a new response to ``link`` uses.

    A link made with a flow picked by id (``links create --flow``) uses that flow, a desk's
    link the desk's flow: the unit's pinned version when the unit pinned that flow, else its
    newest. Any other link follows its unit's choice for the link's form.
    """
    chosen = await for_unit(session, link.unit_id, link.form)
    picked = link.flow_key
    if link.desk_id is not None:
        desk = await session.get(Desk, link.desk_id)
        assert desk is not None  # a foreign key guarantees it
        picked = desk.flow_key
    if picked is None or (chosen is not None and chosen.flow_key == picked):
        return chosen
    return await latest(session, picked)


async def assign(session: AsyncSession, unit_id: int, form: str, version_id: int) -> None:
    chosen = await session.get(UnitFlow, (unit_id, form))
    if chosen is None:
        session.add(UnitFlow(unit_id=unit_id, form=form, flow_version_id=version_id))
    else:
        chosen.flow_version_id = version_id
    await session.flush()


async def assignments(session: AsyncSession) -> list[UnitFlow]:
    """Every unit's pinned version per form (units without a row follow the newest)."""
    return list(await session.scalars(select(UnitFlow)))
