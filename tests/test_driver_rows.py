"""Statements handed to the driver itself (a bulk import's chunks) belong to the session's
transaction: rolled back with it, their constraint errors caught like SQLAlchemy's own, and
the dates they store read back exactly as the ORM stored them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.dossiers.links import new_short_codes, new_tokens
from bot.services import Services
from storage.models import Dossier, SurveyLink
from storage.repos import link_batches, units
from storage.repos.driver_rows import DriverRows, bound
from storage.repos.link_batches import CREATED_AT, NewDossier, Terms

UNIT = "XA-HOATHANH"


class Abandoned(Exception):
    """Raised on purpose to end a transaction without committing it."""


async def stored(services: Services) -> tuple[int, int]:
    async with services.db.transaction() as session:
        dossiers = await session.scalar(select(func.count()).select_from(Dossier))
        links = await session.scalar(select(func.count()).select_from(SurveyLink))
    return int(dossiers or 0), int(links or 0)


def terms(services: Services) -> Terms:
    now = services.now()
    return Terms(now, now + timedelta(days=7), "test", new_tokens, new_short_codes)


async def test_a_chunk_rolled_back_with_its_transaction_leaves_nothing(
    services: Services,
) -> None:
    wanted = [NewDossier(f"HS-{n}", "citizen", phone="0912345678") for n in range(50)]
    with pytest.raises(Abandoned):
        async with services.db.transaction() as session:
            unit = await units.require(session, UNIT)
            made = await link_batches.create_batch(session, unit, wanted, terms(services))
            assert len(made) == 50 and all(link.created for link in made)
            raise Abandoned
    assert await stored(services) == (0, 0)


async def test_a_broken_constraint_is_sqlalchemys_error_and_the_transaction_goes_on(
    services: Services,
) -> None:
    """What a concurrent writer's win looks like to a chunk: its savepoint is rolled back,
    the transaction stays usable, and only what was committed before remains."""
    await services.links.create(unit_code=UNIT, dossier_code="HS-1")
    async with services.db.transaction() as session:
        unit = await units.require(session, UNIT)
        stamp = bound(session, CREATED_AT, services.now())
        with pytest.raises(IntegrityError):
            async with session.begin_nested():
                driver = await DriverRows.of(session)
                await driver.insert(
                    "dossiers",
                    ("unit_id", "code", "procedure", "phone", "created_at"),
                    [(unit.id, "HS-2", None, None, stamp), (unit.id, "HS-1", None, None, stamp)],
                    returning=("id",),
                )
        codes = await session.scalars(select(Dossier.code).order_by(Dossier.code))
        assert list(codes) == ["HS-1"]


async def test_dates_written_by_the_driver_read_back_as_the_orms(services: Services) -> None:
    """A chunk's dates are stored in the column type's own form: compared in SQL and read
    back, they equal those of a link made one at a time at the same moment."""
    one = await services.links.create(unit_code=UNIT, dossier_code="HS-ONE")
    async with services.db.transaction() as session:
        unit = await units.require(session, UNIT)
        chunk_terms = Terms(
            one.link.created_at, one.link.expires_at, "test", new_tokens, new_short_codes
        )
        await link_batches.create_batch(
            session, unit, [NewDossier("HS-CHUNK", "citizen")], chunk_terms
        )
    async with services.db.transaction() as session:
        same = await session.scalars(
            select(SurveyLink.token).where(
                SurveyLink.created_at == one.link.created_at,
                SurveyLink.expires_at == one.link.expires_at,
            )
        )
        assert len(list(same)) == 2
        stamps = await session.execute(select(SurveyLink.created_at, SurveyLink.expires_at))
        assert set(stamps) == {(one.link.created_at, one.link.expires_at)}
