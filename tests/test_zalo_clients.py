"""Our Zalo Bot API client against the fake server, webhook signatures, phone numbers."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.channels.zalo.errors import ZaloApiError, ZaloTemporaryError
from bot.channels.zalo.http import ZaloBotClient
from bot.channels.zalo.phone import InvalidPhone, normalise_phone
from bot.channels.zalo.signature import Verdict, check_event, parse_mac
from tests.fakes.zalo_api import FakeZaloBotAPI, oa_event, signed_event
from tests.support.environment import free_port

APP, SECRET = "1234567890", "oa-secret-key"
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


async def test_bot_client_reads_envelopes_and_zalo_quirks() -> None:
    async with FakeZaloBotAPI(max_poll_timeout=0.2) as api:
        client = ZaloBotClient(api.base_url, api.token)
        try:
            assert (await client.get_me())["account_name"] == "bot.sipas"
            assert await client.get_updates(poll_seconds=1) == []  # HTTP 408: empty
            assert await client.get_webhook_info() is None  # HTTP 404: no webhook
            sent = api.user("u-1").send_text("HS 7KQ2MX")
            assert await client.get_updates(poll_seconds=1) == [sent]
            api.replay()
            assert await client.get_updates(poll_seconds=1) == [sent]  # no offset: dedupe is ours
            reply = await client.send_message("chat-u-1", "Cảm ơn bạn")
            assert isinstance(reply["message_id"], str)
            await client.send_photo("chat-u-1", "https://example.vn/chart.png", "Biểu đồ")
            await client.send_chat_action("chat-u-1")
            with pytest.raises(ZaloApiError) as refused:
                await client.send_message("chat-u-1", "x" * 2001)
            assert refused.value.error_code == 400 and not refused.value.temporary
            await client.set_webhook("https://bot.example.vn/webhooks/zalo-bot", "secret-8chars")
            info = await client.get_webhook_info()
            assert info is not None and info["url"].endswith("/webhooks/zalo-bot")
            api.fail_next("sendMessage", 500, "Internal error")
            with pytest.raises(ZaloApiError) as broken:
                await client.send_message("chat-u-1", "again")
            assert broken.value.temporary
            await client.delete_webhook()
            assert len(api.calls_to("getUpdates")) == 3
        finally:
            await client.close()
        wrong = ZaloBotClient(api.base_url, "nope")
        with pytest.raises(ZaloApiError) as unauthorized:
            await wrong.get_me()
        await wrong.close()
    assert unauthorized.value.error_code == 401


async def test_an_unreachable_server_is_a_temporary_error() -> None:
    client = ZaloBotClient(f"http://127.0.0.1:{free_port()}/bot", "t")
    with pytest.raises(ZaloTemporaryError, match="unreachable"):
        await client.get_me()
    await client.close()


def _check(raw: str, header: str | None, now: datetime = NOW) -> Verdict:
    checked = check_event(
        raw.encode(),
        header,
        app_id=APP,
        oa_secret_key=SECRET,
        max_age=timedelta(minutes=5),
        now=now,
    )
    return checked.verdict


def test_webhook_signatures_good_forged_missing_and_stale() -> None:
    event = oa_event(APP, "u-1", text="2", timestamp_ms=int(NOW.timestamp() * 1000) - 1000)
    raw, headers = signed_event(event, SECRET)
    good = headers["X-ZEvent-Signature"]
    assert _check(raw, good) is Verdict.FRESH
    assert _check(raw, good.upper().replace("MAC", "mac")) is Verdict.FRESH
    assert _check(raw.replace('"2"', '"5"'), good) is Verdict.FORGED  # body changed
    assert _check(raw, signed_event(event, "other-secret")[1]["X-ZEvent-Signature"]) is (
        Verdict.FORGED
    )
    assert _check(raw, None) is Verdict.FORGED
    assert _check(raw, "sha256=" + good[4:]) is Verdict.FORGED
    assert _check("not json", good) is Verdict.FORGED
    assert _check(raw, good, now=NOW + timedelta(minutes=6)) is Verdict.STALE
    assert parse_mac("mac=" + "a" * 64) == "a" * 64
    assert parse_mac("mac=xyz") is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("0912345678", "84912345678"),
        ("0912 345 678", "84912345678"),
        ("+84 912.345.678", "84912345678"),
        ("84912345678", "84912345678"),
        ("(+84) 38-123-4567", "84381234567"),
    ],
)
def test_phones_are_normalised_to_84(given: str, expected: str) -> None:
    assert normalise_phone(given) == expected


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("", "no phone number"),
        ("091234567", "10 digits"),
        ("0212345678", "not a Vietnamese mobile number"),
        ("+1 202 555 0100", "starting with 0, 84 or +84"),
        ("09123abc78", "only digits"),
    ],
)
def test_bad_phones_are_refused_with_a_reason(given: str, reason: str) -> None:
    with pytest.raises(InvalidPhone, match=re.escape(reason)):
        normalise_phone(given)
