"""The fake Zalo servers keep Zalo's rules (checked with a plain aiohttp client)."""

from __future__ import annotations

import hashlib
from typing import Any

from aiohttp import ClientSession

from tests.fakes.zalo_api import FakeZaloBotAPI, FakeZaloOpenAPI, oa_event, signed_event


async def _post(url: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    async with ClientSession() as session, session.post(url, **kwargs) as response:
        return response.status, await response.json()


async def test_bot_api_envelope_long_poll_and_replay() -> None:
    async with FakeZaloBotAPI(max_poll_timeout=0.2) as api:
        base = f"{api.base_url}{api.token}"
        assert await _post(f"{base}/getUpdates", json={"timeout": "1"}) == (
            408,
            {"ok": False, "error_code": 408, "description": "Request timeout"},
        )
        update = api.user("u-1").send_text("xin chào")
        status, body = await _post(f"{base}/getUpdates", json={"timeout": "1"})
        assert (status, body["result"]) == (200, update)
        assert isinstance(update["message"]["message_id"], str)
        assert update["message"]["date"] > 10**12  # milliseconds
        api.replay()
        assert (await _post(f"{base}/getUpdates", json={}))[1]["result"] == update
        status, body = await _post(f"{api.base_url}wrong/getMe", json={})
        assert (status, body["ok"]) == (401, False)
        _, too_long = await _post(f"{base}/sendMessage", json={"chat_id": "c", "text": "x" * 2001})
        assert too_long["ok"] is False and too_long["error_code"] == 400
        assert (await _post(f"{base}/getWebhookInfo", json={}))[0] == 404


async def test_oauth_accepts_only_the_newest_refresh_token() -> None:
    async with FakeZaloOpenAPI(refresh_token="rt-0") as api:
        url, headers = f"{api.url}/v4/oa/access_token", {"secret_key": api.app_secret}
        form = {"app_id": api.app_id, "refresh_token": "rt-0", "grant_type": "refresh_token"}
        _, pair = await _post(url, data=form, headers=headers)
        assert pair["expires_in"] == "90000" and pair["refresh_token"] != "rt-0"
        _, reused = await _post(url, data=form, headers=headers)
        assert reused["error"] == -14014 and "error_name" in reused
        cs = {"recipient": {"user_id": "u-1"}, "message": {"text": "Chào"}}
        cs_url = f"{api.url}/v3.0/oa/message/cs"
        _, sent = await _post(cs_url, json=cs, headers={"access_token": pair["access_token"]})
        assert sent["error"] == 0 and sent["data"]["message_id"]
        api.expire_access_tokens()
        _, expired = await _post(cs_url, json=cs, headers={"access_token": pair["access_token"]})
        assert expired["error"] == -216
        assert [c.api for c in api.calls] == ["oauth", "oauth", "cs", "cs"]


def test_signed_event_is_plain_sha256_of_the_concatenation() -> None:
    event = oa_event("123", "u-1", text="1", timestamp_ms=1700000000000)
    raw, headers = signed_event(event, "oa-secret")
    digest = hashlib.sha256(f"123{raw}1700000000000oa-secret".encode()).hexdigest()
    assert headers["X-ZEvent-Signature"] == f"mac={digest}"


async def test_deliver_posts_wrapped_or_bare_with_the_secret_header() -> None:
    from aiohttp import web

    seen: list[tuple[str | None, dict[str, Any]]] = []

    async def hook(request: web.Request) -> web.Response:
        seen.append((request.headers.get("X-Bot-Api-Secret-Token"), await request.json()))
        return web.json_response({})

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        async with FakeZaloBotAPI() as api:
            update = api.user("u-2", group_id="g-1").send_sticker()
            assert await api.deliver(update, url, "s3cret-token") == (200, "{}")
            await api.deliver(update, url, None, wrapped=False)
    finally:
        await runner.cleanup()
    assert seen == [("s3cret-token", {"ok": True, "result": update}), (None, update)]
    assert update["message"]["chat"] == {"id": "g-1", "chat_type": "GROUP"}


async def test_the_documented_sample_shape_has_no_event_name() -> None:
    async with FakeZaloBotAPI(event_names=False) as api:
        update = api.user("u-3", "Bình").send_text("1")
    assert "event_name" not in update
    assert update["message"]["from"] == {"id": "u-3", "first_name": "Bình"}
