"""Property-based fuzzers (bounded in time): the API against its own OpenAPI document
(schemathesis generates the requests) and the Telegram webhook with JSON that looks like
updates (hypothesis). Neither may ever get a 5xx; a request the schema calls valid is not
refused as invalid (the schema states the server's real limits)."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.services import Services
from bot.staff import api_keys
from bot.web.api import DossierRequest
from bot.web.openapi import document
from scheduler.clock import ManualClock
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.telegram_bench import Bench, start_bench

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


def _dossier_requests() -> Any:
    schema = DossierRequest.model_json_schema(ref_template="#/components/schemas/{model}")
    openapi = schemathesis.openapi.from_dict(document("http://127.0.0.1", schema, ["telegram"]))
    return openapi["/api/v1/dossiers"]["POST"].as_strategy()


@pytest.fixture
async def api_key(services: Services) -> str:
    return (await api_keys.issue(services.db, "TINH-TEST", now=services.now())).key


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@FUZZ
@given(case=_dossier_requests())
async def test_api_fuzz_against_the_openapi_document(server: str, api_key: str, case: Any) -> None:
    headers = {"X-API-Key": api_key, "Content-Type": "application/json"}
    body = json.dumps(case.body).encode() if case.body is not None else b""
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{server}/api/v1/dossiers", data=body, headers=headers) as response,
    ):
        answer = await response.json()
        status = response.status
    assert status < 500, answer
    if status == 422 and answer["error"].get("field") == "flow":
        return  # a well-formed flow id that is not published: a fact of the database, not form
    assert status != 422, (case.body, answer)  # valid by the schema: not refused as invalid
    if status >= 400:
        assert answer["error"]["code"] and answer["error"]["message"]


JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=40)
)
UPDATE_KEYS = st.sampled_from(
    [
        "message",
        "edited_message",
        "callback_query",
        "chat",
        "from",
        "id",
        "text",
        "data",
        "date",
        "message_id",
        "type",
        "entities",
        "offset",
        "length",
        "is_bot",
        "first_name",
        "chat_instance",
        "sticker",
        "photo",
        "caption",
    ]
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(UPDATE_KEYS, children, max_size=5)
    ),
    max_leaves=20,
)
UPDATES = st.fixed_dictionaries(
    {"update_id": st.integers(min_value=-(2**63), max_value=2**63) | JSON_LEAVES},
    optional={
        "message": st.dictionaries(UPDATE_KEYS, JSON_VALUES, max_size=8),
        "callback_query": st.dictionaries(UPDATE_KEYS, JSON_VALUES, max_size=8),
        "edited_message": JSON_VALUES,
    },
)


@pytest.fixture
async def webhook(
    tg_api: FakeTelegramAPI, services: Services, clock: ManualClock, port: int
) -> Any:
    bench = await start_bench(tg_api, services.db, clock, port, "webhook")
    yield bench
    await bench.stop()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@FUZZ
@given(update=UPDATES)
async def test_webhook_fuzz(webhook: Bench, tg_api: FakeTelegramAPI, update: dict) -> None:  # type: ignore[type-arg]
    status, _ = await tg_api.deliver(
        update, webhook.webhook_url, str(tg_api.webhook["secret_token"])
    )
    assert status in (200, 400), update
