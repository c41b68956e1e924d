"""Survey links for many dossiers of one unit at once (a bulk import's chunk).

One link per (unit, dossier), exactly as ``links.create`` but a chunk costs a handful of
statements instead of several per dossier: one query for the dossiers and links that already
exist, one multi-row insert for the new dossiers, one query per unique column to keep each
new token and short code unique, one multi-row insert for the links. They go to the driver
with their parameters as they are (``driver_rows``), not through SQLAlchemy's per-row
parameter handling. A drawn value that is already taken (in the database, or twice in the
chunk) is redrawn alone, not the chunk. A concurrent writer that wins a race on a unique
constraint rolls back this chunk's savepoint, and the chunk is tried again: what the other
writer created is then found.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SurveyLink, Unit
from storage.repos.driver_rows import DriverRows, bound, loaded

# The dates, the same for a whole chunk, are converted once, as these columns' type binds
# them (the dossiers' created_at has the same type).
CREATED_AT = SurveyLink.__table__.c.created_at
EXPIRES_AT = SurveyLink.__table__.c.expires_at
LINK_COLUMNS = (
    "token", "short_code", "dossier_id", "unit_id", "form", "flow_key", "created_by",
    "created_at", "expires_at",
)  # fmt: skip
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
    new_tokens: Callable[[int], list[str]]  # so many drawn values at once
    new_short_codes: Callable[[int], list[str]]


async def create_batch(
    session: AsyncSession, unit: Unit, wanted: Sequence[NewDossier], terms: Terms
) -> list[BatchLink]:
    """Each wanted dossier's link, in ``wanted``'s order, creating dossiers and links that do
    not exist yet. Codes in ``wanted`` must be distinct (the import's parser reports repeats)."""
    if len(wanted) > MAX_CHUNK:
        raise ValueError(f"at most {MAX_CHUNK} dossiers at once")
    if not wanted:
        return []  # an empty IN () is not SQL
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
    driver = await DriverRows.of(session)
    stamp = bound(session, CREATED_AT, terms.now)
    found = await _existing(session, driver, unit.id, [w.code for w in wanted])
    dossiers = {code: (dossier_id, phone) for code, dossier_id, phone, _link in found}
    links = {code: link for code, _id, _phone, link in found if link is not None}
    missing = [w for w in wanted if w.code not in dossiers]
    if missing:
        made = await driver.insert(
            "dossiers",
            ("unit_id", "code", "procedure", "phone", "created_at"),
            [(unit.id, w.code, w.procedure, w.phone, stamp) for w in missing],
            returning=("id", "code"),
        )
        by_code = {w.code: w for w in missing}
        dossiers.update({code: (id_, by_code[code].phone) for id_, code in made})
    unlinked = [w for w in wanted if w.code not in links]
    if unlinked:
        tokens = await unique_draws(driver, "token", terms.new_tokens, len(unlinked))
        codes = await unique_draws(driver, "short_code", terms.new_short_codes, len(unlinked))
        expiry = bound(session, EXPIRES_AT, terms.expires_at)
        inserted = await driver.insert(
            "survey_links",
            LINK_COLUMNS,
            [
                (token, code, dossiers[w.code][0], unit.id, w.form, w.flow_key,
                 terms.created_by, stamp, expiry)
                for w, token, code in zip(unlinked, tokens, codes, strict=True)
            ],
            returning=("id", "token"),
        )  # fmt: skip
        ids = dict((token, link_id) for link_id, token in inserted)
        for w, token, code in zip(unlinked, tokens, codes, strict=True):
            links[w.code] = BatchLink(
                ids[token], w.code, token, code, w.form, terms.expires_at,
                dossiers[w.code][1], created=True,
            )  # fmt: skip
    return [links[w.code] for w in wanted]


async def _existing(
    session: AsyncSession, driver: DriverRows, unit_id: int, codes: list[str]
) -> list[tuple[str, int, str | None, BatchLink | None]]:
    """(code, dossier id, phone, its link or None) of the codes' dossiers that exist."""
    where, params = driver.in_list(2, codes)
    rows = await driver.rows(
        "SELECT d.code, d.id, d.phone, l.id, l.token, l.short_code, l.form, l.expires_at "
        "FROM dossiers d LEFT JOIN survey_links l ON l.dossier_id = d.id "
        f"WHERE d.unit_id = {driver.mark(1)} AND d.code {where}",
        [unit_id, *params],
    )
    found: list[tuple[str, int, str | None, BatchLink | None]] = []
    for code, dossier_id, phone, link_id, token, short_code, form, expires in rows:
        link = None
        if link_id is not None:
            expires_at = loaded(session, EXPIRES_AT, expires)
            link = BatchLink(link_id, code, token, short_code, form, expires_at, phone, False)
        found.append((code, dossier_id, phone, link))
    return found


async def unique_draws(
    driver: DriverRows, column: str, draw: Callable[[int], list[str]], count: int
) -> list[str]:
    """``count`` drawn values, none already in the links' ``column`` and none twice: a value
    that is taken is redrawn alone, and the redrawn ones are checked again."""
    values = draw(count)
    for _attempt in range(ATTEMPTS):
        taken = await driver.present("survey_links", column, set(values))
        seen: set[str] = set()
        again: list[int] = []
        for position, value in enumerate(values):
            if value in taken or value in seen:
                again.append(position)
            else:
                seen.add(value)
        if not again:
            return values
        for position, value in zip(again, draw(len(again)), strict=True):
            values[position] = value
    raise RuntimeError(f"could not draw {count} unique values after {ATTEMPTS} attempts")
