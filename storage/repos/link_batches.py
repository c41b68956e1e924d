"""Survey links for many dossiers of one unit at once (a bulk import's chunk).

One link per (unit, dossier), exactly as ``links.create`` but a chunk costs a handful of
statements instead of several per dossier: one query for the dossiers and links that already
exist, one multi-row insert for the new dossiers, one query per unique column to keep each
new token and short code unique, one multi-row insert for the links. A drawn value that is
already taken (in the database, or twice in the chunk) is redrawn alone, not the chunk.
A concurrent writer that wins a race on a unique constraint rolls back this chunk's
savepoint, and the chunk is tried again: what the other writer created is then found.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, TableClause, column, insert, select, table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Dossier, SurveyLink, Unit


def _untyped(model: type[Dossier] | type[SurveyLink]) -> TableClause:
    """The model's table with columns that bind values as given: a chunk's rows go straight
    into multi-row INSERTs, without the ORM's per-row bookkeeping or a type conversion per
    value (the dates, the same for the whole chunk, are converted once: see ``_bound``)."""
    mapped = model.__table__
    return table(mapped.name, *(column(c.name) for c in mapped.columns))


DOSSIERS = _untyped(Dossier)
LINKS = _untyped(SurveyLink)
ATTEMPTS = 5  # savepoint retries after a lost race; redraws of one colliding value
# Bound parameters per statement stay far below SQLite's 32,766 and asyncpg's 32,767 for a
# chunk of this many rows (a link row binds 9 values).
MAX_CHUNK = 3000


@dataclass(frozen=True)
class NewDossier:
    code: str
    form: str
    procedure: str | None = None
    phone: str | None = None
    flow_key: str | None = None  # a published flow picked by id; None: the unit's default


@dataclass(frozen=True)
class BatchLink:
    """A dossier's link as the chunk left it; ``created``: made by this chunk."""

    link_id: int
    dossier_code: str
    token: str
    short_code: str
    form: str
    expires_at: datetime
    phone: str | None  # the stored dossier's (an existing dossier keeps its own)
    created: bool


@dataclass(frozen=True)
class Terms:
    """What every new link of a chunk shares, and where its unique values are drawn."""

    now: datetime
    expires_at: datetime
    created_by: str | None
    new_token: Callable[[], str]
    new_short_code: Callable[[], str]


async def create_batch(
    session: AsyncSession, unit: Unit, wanted: Sequence[NewDossier], terms: Terms
) -> list[BatchLink]:
    """Each wanted dossier's link, in ``wanted``'s order, creating dossiers and links that do
    not exist yet. Codes in ``wanted`` must be distinct (the import's parser reports repeats)."""
    if len(wanted) > MAX_CHUNK:
        raise ValueError(f"at most {MAX_CHUNK} dossiers at once")
    if len({w.code for w in wanted}) != len(wanted):
        raise ValueError("dossier codes repeat within the chunk")
    for _attempt in range(ATTEMPTS):
        try:
            async with session.begin_nested():
                return await _create(session, unit, wanted, terms)
        except IntegrityError:
            continue  # another writer created some of these, or took a drawn value: again
    raise RuntimeError(f"could not create a chunk of links after {ATTEMPTS} attempts")


async def _create(
    session: AsyncSession, unit: Unit, wanted: Sequence[NewDossier], terms: Terms
) -> list[BatchLink]:
    now, expires_at = terms.now, terms.expires_at
    stamp = _bound(session, now)
    found = await _existing(session, unit.id, [w.code for w in wanted])
    dossiers = {code: (dossier_id, phone) for code, dossier_id, phone, _link in found}
    links = {code: link for code, _id, _phone, link in found if link is not None}
    missing = [w for w in wanted if w.code not in dossiers]
    if missing:
        made = await session.execute(
            insert(DOSSIERS).returning(DOSSIERS.c.id, DOSSIERS.c.code),
            [
                {"unit_id": unit.id, "code": w.code, "procedure": w.procedure,
                 "phone": w.phone, "created_at": stamp}
                for w in missing
            ],
        )  # fmt: skip
        by_code = {w.code: w for w in missing}
        dossiers.update({code: (id_, by_code[code].phone) for id_, code in made})
    unlinked = [w for w in wanted if w.code not in links]
    if unlinked:
        tokens = await unique_draws(session, SurveyLink.token, terms.new_token, len(unlinked))
        codes = await unique_draws(
            session, SurveyLink.short_code, terms.new_short_code, len(unlinked)
        )
        expiry = _bound(session, expires_at)
        values = [
            {"token": token, "short_code": code, "dossier_id": dossiers[w.code][0],
             "unit_id": unit.id, "form": w.form, "flow_key": w.flow_key,
             "created_by": terms.created_by, "created_at": stamp, "expires_at": expiry}
            for w, token, code in zip(unlinked, tokens, codes, strict=True)
        ]  # fmt: skip
        inserted = await session.execute(insert(LINKS).returning(LINKS.c.id, LINKS.c.token), values)
        ids = dict((token, link_id) for link_id, token in inserted)
        for w, value in zip(unlinked, values, strict=True):
            links[w.code] = BatchLink(
                ids[value["token"]], w.code, value["token"], value["short_code"], w.form,
                expires_at, dossiers[w.code][1], created=True,
            )  # fmt: skip
    return [links[w.code] for w in wanted]


def _bound(session: AsyncSession, moment: datetime) -> Any:
    """``moment`` as a date-time column binds it on the session's database."""
    dialect = session.get_bind().dialect
    process = SurveyLink.__table__.c.created_at.type.bind_processor(dialect)
    return process(moment) if process is not None else moment


async def _existing(
    session: AsyncSession, unit_id: int, codes: list[str]
) -> list[tuple[str, int, str | None, BatchLink | None]]:
    """(code, dossier id, phone, its link or None) of the codes' dossiers that exist."""
    rows = await session.execute(
        select(
            Dossier.code,
            Dossier.id,
            Dossier.phone,
            SurveyLink.id,
            SurveyLink.token,
            SurveyLink.short_code,
            SurveyLink.form,
            SurveyLink.expires_at,
        )
        .outerjoin(SurveyLink, SurveyLink.dossier_id == Dossier.id)
        .where(Dossier.unit_id == unit_id, Dossier.code.in_(codes))
    )
    found: list[tuple[str, int, str | None, BatchLink | None]] = []
    for code, dossier_id, phone, link_id, token, short_code, form, expires in rows:
        link = None
        if link_id is not None:
            link = BatchLink(link_id, code, token, short_code, form, expires, phone, False)
        found.append((code, dossier_id, phone, link))
    return found


async def unique_draws(
    session: AsyncSession, column: ColumnElement[str], draw: Callable[[], str], count: int
) -> list[str]:
    """``count`` drawn values, none already in ``column`` and none twice: a value that is
    taken is redrawn alone, and the redrawn ones are checked again."""
    values = [draw() for _ in range(count)]
    for _attempt in range(ATTEMPTS):
        taken = set(await session.scalars(select(column).where(column.in_(set(values)))))
        seen: set[str] = set()
        again: list[int] = []
        for position, value in enumerate(values):
            if value in taken or value in seen:
                again.append(position)
            else:
                seen.add(value)
        if not again:
            return values
        for position in again:
            values[position] = draw()
    raise RuntimeError(f"could not draw {count} unique values after {ATTEMPTS} attempts")
