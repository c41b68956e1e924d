"""The editor's form for an admin who does not read TOML, over real HTTP against the real
server: every shipped flow goes through it unchanged; a choice, a skip rule, a part's title
and added or removed questions are edited with its buttons and published, and the published
flow behaves accordingly; a broken draft comes back with the problem in Vietnamese and
everything typed kept."""

from __future__ import annotations

import pytest

from bot.flow_admin.catalog import DEFAULT_FLOWS
from bot.services import Services
from tests.support.html_form import form_fields, textarea
from tests.support.staff import StaffClient, add_staff

FORM = "/staff/admin/flows/wording"


@pytest.mark.parametrize("key", ["mau01", "mau02", "qd1001", "desk"])
async def test_each_shipped_flow_goes_through_the_form_unchanged(
    services: Services, server: str, key: str
) -> None:
    await add_staff(services, "so.noivu", "admin", "TINH-TEST")
    async with StaffClient(server) as admin:
        await admin.login("so.noivu")
        status, page = await admin.get(f"/staff/admin/flows/{key}/wording")
        assert status == 200
        fields = form_fields(page, FORM)
        status, page = await admin.post(FORM, [*fields, ("do", "refresh")])
        assert status == 200 and form_fields(page, FORM) == fields  # shown again as it was
        status, page = await admin.post(FORM, [*fields, ("do", "apply")])
        assert status == 200, page
        original = (DEFAULT_FLOWS / f"{key}.toml").read_text(encoding="utf-8")
        assert textarea(page, "source") == original
