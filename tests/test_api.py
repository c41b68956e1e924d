"""The HTTP API against the real aiohttp server, with a real aiohttp client, on both backends.

Every answer is also checked against the OpenAPI document the server publishes, so the
document and the implementation cannot disagree unnoticed.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from sqlalchemy import select

from bot.services import Services, build_services
from bot.staff import api_keys
from bot.web.server import build_app
from scheduler.clock import ManualClock
from storage.db import Database
from storage.models import Dossier
from storage.repos import audit, units
from tests.support.environment import free_port, make_settings
from tests.support.servers import start_server

LINK_KEYS = {
    "token",
    "unit",
    "dossier",
    "form",
    "status",
    "expires_at",
    "links",
    "qr_png",
    "text",
    "notice",
}


@pytest.fixture
async def keys(services: Services) -> dict[str, str]:
    """Keys of the province, of its commune XA-HOATHANH; a sibling commune and a foreign
    province exist too."""
    now = services.now()
    async with services.db.transaction() as session:
        await units.add(session, "XA-KHAC", "UBND xã Khác", now=now, parent_code="TINH-TEST")
        await units.add(session, "TINH-KHAC", "Tỉnh Khác", now=now)
    province = await api_keys.issue(services.db, "TINH-TEST", now=now)
    commune = await api_keys.issue(services.db, "XA-HOATHANH", now=now)
    return {"province": province.key, "commune": commune.key}


class Api:
    """A real HTTP client that checks each answer against the published OpenAPI document."""

    def __init__(self, http: aiohttp.ClientSession, base: str, spec: dict[str, Any]) -> None:
        self.http = http
        self.base = base
        self.spec = spec

    async def post(self, body: Any, key: str | None, **options: Any) -> tuple[int, dict[str, Any]]:
        headers = options.pop("headers", {})
        if key is not None:
            headers["X-API-Key"] = key
        if "data" not in options:
            options["json"] = body
        async with self.http.post(
            f"{self.base}/api/v1/dossiers", headers=headers, **options
        ) as response:
            data = await response.json()
            self.conforms(response.status, data)
            return response.status, data

    async def report(
        self, unit: str, key: str | None, period: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        headers = {"X-API-Key": key} if key is not None else {}
        params = {"period": period} if period is not None else {}
        async with self.http.get(
            f"{self.base}/api/v1/reports/{unit}", headers=headers, params=params
        ) as response:
            data = await response.json()
            self.conforms(response.status, data, "/api/v1/reports/{unit}", "get")
            return response.status, data

    def conforms(
        self,
        status: int,
        data: dict[str, Any],
        path: str = "/api/v1/dossiers",
        method: str = "post",
    ) -> None:
        responses = self.spec["paths"][path][method]["responses"]
        assert str(status) in responses, f"status {status} is not documented"
        ref = responses[str(status)]["content"]["application/json"]["schema"]["$ref"]
        schema = self.spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
        Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(
            data
        )


@pytest.fixture
async def api(server: str) -> Any:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{server}/api/openapi.json") as response:
            assert response.status == 200
            spec = await response.json()
        yield Api(http, server, spec)


async def test_openapi_document_is_valid_and_lists_the_route(api: Api) -> None:
    validate(api.spec)
    operation = api.spec["paths"]["/api/v1/dossiers"]["post"]
    assert {"200", "201", "400", "401", "403", "413", "415", "422"} <= set(operation["responses"])
    assert api.spec["components"]["securitySchemes"]["ApiKey"]["name"] == "X-API-Key"
    assert api.spec["servers"][0]["url"] == api.base
    request = api.spec["components"]["schemas"]["DossierRequest"]
    assert request["required"] == ["dossier_code"]
    assert request["properties"]["form"]["enum"] == ["citizen", "organization"]


async def test_creates_a_link_then_returns_the_same_one(
    api: Api, keys: dict[str, str], services: Services
) -> None:
    body = {
        "dossier_code": "000.00.19.H12-261124-0001",
        "form": "organization",
        "procedure": "Đăng ký khai sinh",
        "phone": "+84 912 345 678",
    }
    status, first = await api.post(body, keys["commune"])
    assert status == 201
    assert set(first) == LINK_KEYS
    assert first["unit"] == "XA-HOATHANH"
    assert first["dossier"] == "000.00.19.H12-261124-0001"
    assert first["form"] == "organization"
    assert first["status"] == "created"
    assert first["expires_at"] == "2026-12-08T09:00:00+07:00"
    assert first["links"] == {
        "web": f"{api.base}/s/{first['token']}",
        "telegram": None,
        "zalo": None,
    }
    assert first["qr_png"] == f"{api.base}/s/{first['token']}/qr.png"
    assert "Quý cơ quan" in first["text"] and first["links"]["web"] in first["text"]

    status, again = await api.post(body, keys["commune"])
    assert status == 200
    assert again == first

    async with services.db.transaction() as session:
        dossier = await session.scalar(select(Dossier))
        entries = await audit.entries(session, "link.create")
    assert dossier is not None and dossier.phone == "0912345678"
    assert dossier.procedure == "Đăng ký khai sinh"
    prefix = api_keys.prefix_of(keys["commune"])
    assert [(e.actor, e.subject) for e in entries] == [
        (f"api:{prefix}", "XA-HOATHANH/000.00.19.H12-261124-0001")
    ]


async def test_the_link_opens_the_web_chat(api: Api, keys: dict[str, str]) -> None:
    _, link = await api.post({"dossier_code": "HS-1"}, keys["commune"])
    async with api.http.get(link["links"]["web"]) as response:
        assert response.status == 200
        assert "<button" in await response.text()


async def test_a_flow_picked_by_id(api: Api, keys: dict[str, str]) -> None:
    """`flow` names a published flow (its form applies); an unknown one is a 422 on it."""
    status, link = await api.post({"dossier_code": "HS-F", "flow": "mau02"}, keys["commune"])
    assert status == 201 and link["form"] == "organization"
    status, data = await api.post({"dossier_code": "HS-G", "flow": "nope"}, keys["commune"])
    assert status == 422
    assert (data["error"]["code"], data["error"]["field"]) == ("invalid_field", "flow")
    assert "nope" in data["error"]["message"]


async def test_a_province_key_serves_its_communes(api: Api, keys: dict[str, str]) -> None:
    status, link = await api.post({"dossier_code": "HS-1", "unit": "XA-HOATHANH"}, keys["province"])
    assert status == 201
    assert link["unit"] == "XA-HOATHANH"
    status, own = await api.post({"dossier_code": "HS-1"}, keys["province"])
    assert status == 201
    assert own["unit"] == "TINH-TEST" and own["token"] != link["token"]


@pytest.mark.parametrize("unit", ["TINH-KHAC", "XA-KHAC", "TINH-TEST", "KHONG-CO"])
async def test_a_commune_key_serves_no_other_unit(
    api: Api, keys: dict[str, str], unit: str
) -> None:
    status, data = await api.post({"dossier_code": "HS-1", "unit": unit}, keys["commune"])
    assert status == 403
    assert data["error"]["code"] == "unit_forbidden"
    assert unit in data["error"]["message"]


async def test_a_province_key_serves_no_foreign_unit(api: Api, keys: dict[str, str]) -> None:
    status, data = await api.post({"dossier_code": "HS-1", "unit": "TINH-KHAC"}, keys["province"])
    assert (status, data["error"]["code"]) == (403, "unit_forbidden")


@pytest.mark.parametrize(
    ("key", "code"),
    [
        (None, "missing_api_key"),
        ("", "missing_api_key"),
        ("sk_" + "x" * 43, "invalid_api_key"),
        ("not-even-a-key", "invalid_api_key"),
    ],
)
async def test_a_missing_or_wrong_key_is_refused(
    api: Api, keys: dict[str, str], key: str | None, code: str
) -> None:
    status, data = await api.post({"dossier_code": "HS-1"}, key)
    assert (status, data["error"]["code"]) == (401, code)


async def test_a_revoked_key_is_refused(api: Api, keys: dict[str, str], services: Services) -> None:
    assert (await api.post({"dossier_code": "HS-1"}, keys["commune"]))[0] == 201
    await api_keys.revoke(services.db, api_keys.prefix_of(keys["commune"]), now=services.now())
    status, data = await api.post({"dossier_code": "HS-1"}, keys["commune"])
    assert (status, data["error"]["code"]) == (401, "invalid_api_key")


@pytest.mark.parametrize(
    "data",
    [b'{"dossier_code": "HS-1"', b"", b"\xff\xfe{}", b'["HS-1"]', b"null"],
    ids=["truncated", "empty", "not-utf8", "array", "null"],
)
async def test_malformed_json_is_a_400(api: Api, keys: dict[str, str], data: bytes) -> None:
    status, body = await api.post(
        None, keys["commune"], data=data, headers={"Content-Type": "application/json"}
    )
    assert (status, body["error"]["code"]) == (400, "malformed_json")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
async def test_a_body_that_is_not_json_is_a_415(
    api: Api, keys: dict[str, str], content_type: str
) -> None:
    status, body = await api.post(
        None,
        keys["commune"],
        data=b'{"dossier_code": "HS-1"}',
        headers={"Content-Type": content_type},
    )
    assert (status, body["error"]["code"]) == (415, "unsupported_media_type")


async def test_a_huge_body_is_a_413(api: Api, keys: dict[str, str]) -> None:
    body = {"dossier_code": "HS-1", "procedure": "x" * 100_000}
    status, data = await api.post(body, keys["commune"])
    assert (status, data["error"]["code"]) == (413, "body_too_large")


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({}, "dossier_code", "required"),
        ({"dossier_code": ""}, "dossier_code", "missing"),
        ({"dossier_code": "HS 1"}, "dossier_code", "letters"),
        ({"dossier_code": "H" * 65}, "dossier_code", "too long"),
        ({"dossier_code": 123}, "dossier_code", "string"),
        ({"dossier_code": "HS-1", "form": "company"}, "form", "citizen"),
        ({"dossier_code": "HS-1", "phone": "12345"}, "phone", "phone number"),
        ({"dossier_code": "HS-1", "phone": 912345678}, "phone", "string"),
        ({"dossier_code": "HS-1", "procedure": "p" * 256}, "procedure", "too long"),
        ({"dossier_code": "HS-1", "unit": ["X"]}, "unit", "string"),
    ],
)
async def test_an_invalid_field_is_a_422_naming_it(
    api: Api, keys: dict[str, str], body: dict[str, Any], field: str, says: str
) -> None:
    status, data = await api.post(body, keys["commune"])
    assert status == 422
    assert data["error"]["code"] == "invalid_field"
    assert data["error"]["field"] == field
    assert field in data["error"]["message"] and says in data["error"]["message"]


async def test_wrong_method_is_a_json_405(api: Api) -> None:
    async with api.http.get(f"{api.base}/api/v1/dossiers") as response:
        assert response.status == 405
        assert "POST" in response.headers["Allow"]
        assert (await response.json())["error"]["code"] == "method_not_allowed"


async def test_an_unknown_api_route_is_a_json_404(api: Api) -> None:
    async with api.http.get(f"{api.base}/api/v2/nothing") as response:
        assert response.status == 404
        assert "openapi.json" in (await response.json())["error"]["message"]


async def test_vietnamese_is_readable_in_the_raw_answer(api: Api, keys: dict[str, str]) -> None:
    headers = {"X-API-Key": keys["commune"]}
    body = {"dossier_code": "HS-1"}
    async with api.http.post(f"{api.base}/api/v1/dossiers", json=body, headers=headers) as response:
        assert response.content_type == "application/json"
        assert "UBND xã Hòa Thành kính mời" in await response.text()


async def test_a_dead_database_is_a_503_and_creates_nothing(clock: ManualClock) -> None:
    """The real server on a PostgreSQL address where nothing listens."""
    dead = Database(f"postgresql+asyncpg://sipas@127.0.0.1:{free_port()}/nothing")
    port = free_port()
    broken = build_services(make_settings(dead.url, port), clock, dead)
    runner = await start_server(build_app(broken), port)
    try:
        async with aiohttp.ClientSession() as http:
            async with http.post(
                f"http://127.0.0.1:{port}/api/v1/dossiers",
                json={"dossier_code": "HS-1"},
                headers={"X-API-Key": "sk_" + "a" * 43},
            ) as response:
                assert response.status == 503
                assert response.headers["Retry-After"] == "30"
                assert (await response.json())["error"]["code"] == "unavailable"
    finally:
        await runner.cleanup()
        await dead.dispose()


async def test_reports_for_the_key_unit_and_below(
    api: Api, keys: dict[str, str], services: Services
) -> None:
    from tests.support.scheduler import complete_response

    await complete_response(services, "c1", "HS-R1", [4] * 22)
    status, report = await api.report("TINH-TEST", keys["province"], "2026-11")
    assert status == 200
    assert report["period"] == {"label": "2026-11", "from": "2026-11-01", "to": "2026-11-30"}
    assert report["responses"]["counted"] == 1 and report["sufficient"] is False
    assert [c["unit"]["code"] for c in report["children"]] == ["XA-HOATHANH", "XA-KHAC"]
    status, commune = await api.report("XA-HOATHANH", keys["province"], "2026-W48")
    assert status == 200 and commune["sipas"]["value"] == 100.0
    status, own = await api.report("XA-HOATHANH", keys["commune"])
    assert status == 200 and own["period"]["label"] == "2026-10"  # the last complete month


@pytest.mark.parametrize(
    ("unit", "key", "period", "status", "code"),
    [
        ("XA-KHAC", "commune", None, 403, "unit_forbidden"),  # a sibling
        ("TINH-TEST", "commune", None, 403, "unit_forbidden"),  # its parent
        ("TINH-KHAC", "province", None, 403, "unit_forbidden"),  # a foreign province
        ("XA-HOATHANH", "commune", "2026-W60", 422, "invalid_period"),
        ("XA-HOATHANH", None, None, 401, "missing_api_key"),
    ],
)
async def test_report_refusals(
    api: Api,
    keys: dict[str, str],
    unit: str,
    key: str | None,
    period: str | None,
    status: int,
    code: str,
) -> None:
    got, data = await api.report(unit, keys[key] if key else None, period)
    assert (got, data["error"]["code"]) == (status, code)
