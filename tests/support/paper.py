"""Keyed paper forms for tests: completed, counted responses made quickly through the real
paper entry (``bot.dossiers.paper``), and a data-entry account to key them."""

from __future__ import annotations

from bot.dossiers import paper
from bot.services import Services
from storage.repos import users
from tests.support.scheduler import MAU01
from tests.support.staff import add_staff

UNIT = "XA-HOATHANH"


async def data_entry_user(services: Services, username: str = "nhap.lieu") -> int:
    """A clerk of the test commune; returns the account's id."""
    await add_staff(services, username, "clerk", UNIT)
    async with services.db.transaction() as session:
        user = await users.by_username(session, username)
    assert user is not None
    return user.id


def levels(value: int = 4) -> dict[str, int]:
    """Every criterion of Mẫu 01 answered with ``value``."""
    return {q.id: value for q in MAU01.questions}


async def key_form(
    services: Services,
    user_id: int,
    dossier: str | None,
    *,
    value: int = 4,
    unit: str = UNIT,
    phone: str | None = None,
    comment: str = "",
) -> str:
    entry = paper.PaperForm(
        unit_code=unit,
        form="citizen",
        dossier=dossier,
        phone=phone,
        answers=levels(value),
        comment=comment,
    )
    return await paper.enter(services, entry, user_id=user_id, actor="nhap.lieu")
