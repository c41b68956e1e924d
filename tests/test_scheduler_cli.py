"""``sipas-bot digest``: printing, checking, sending, and one-line errors."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.cli import main
from bot.cli.common import CliError
from bot.cli.digest import deliver_digest, last_complete_week
from bot.services import Services, build_services
from reports.digest import compose_digest
from reports.weeks import shift
from scheduler.clock import ManualClock, iso_week
from storage.repos import units
from tests.support.cli import InProcessCli
from tests.support.environment import START, fresh_database, make_settings
from tests.support.scheduler import add_staff, complete_response, recording


async def _prepare(url: str, *, chair: bool) -> None:
    database = await fresh_database(url)
    services = build_services(make_settings(url, 8080), ManualClock(START), database)
    try:
        async with database.transaction() as session:
            await units.add(session, "XA-HOATHANH", "UBND xã Hòa Thành", now=START, quota=60)
        await complete_response(services, "c1", "HS-1", [4] * 22, complaint="Chờ quá lâu")
        if chair:
            await add_staff(services, "chutich", role="chair", unit="XA-HOATHANH", chat_id="9")
    finally:
        await database.dispose()


@pytest.fixture
def cli_db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SIPAS__DATABASE__URL", sqlite_url)
    return sqlite_url


def test_digest_prints_and_checks(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(_prepare(cli_db, chair=False))
    assert main(["digest", "--unit", "XA-HOATHANH", "--week", "2026-W48", "--check"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("📊 Báo cáo tuần 48/2026 (23/11/2026 – 29/11/2026)\nUBND xã Hòa Thành")
    assert "Chỉ số SIPAS tuần này: 100,0 %" in out
    assert "(tối thiểu cả năm: 60, đạt 1,7 %)" in out
    assert "⚠️ Phản ánh: «Chờ quá lâu»" in out
    assert err == "counters agree with a recount from raw answers\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--week", "2026-48"], "sipas-bot: error: '2026-48' is not an ISO week such as 2026-W48"),
        (
            ["--week", "2026-W54"],
            "sipas-bot: error: '2026-W54' is not an ISO week such as 2026-W48",
        ),
    ],
)
def test_bad_week_is_one_line(
    cli_db: str, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["digest", "--unit", "XA-HOATHANH", *argv]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == message + "\n"


def test_unknown_unit_is_one_line(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(_prepare(cli_db, chair=False))
    assert main(["digest", "--unit", "NOPE"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == "sipas-bot: error: unknown unit 'NOPE'\n"


def test_send_without_a_channel_says_so(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(_prepare(cli_db, chair=True))
    assert main(["digest", "--unit", "XA-HOATHANH", "--week", "2026-W48", "--send"]) == 1
    _out, err = capsys.readouterr()
    assert err == (
        "sipas-bot: error: channel telegram is not configured in this process; nothing was sent\n"
    )


def test_send_without_a_bound_chair_says_so(
    cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_prepare(cli_db, chair=False))
    assert main(["digest", "--unit", "XA-HOATHANH", "--week", "2026-W48", "--send"]) == 1
    _out, err = capsys.readouterr()
    assert "no chair or viewer of XA-HOATHANH has a bound chat" in err


async def test_deliver_digest_sends_to_bound_chairs(services: Services) -> None:
    channel = recording(services)
    await add_staff(services, "chutich", role="chair", unit="XA-HOATHANH", chat_id="9001")
    await complete_response(services, "c1", "HS-1", [4] * 22)
    async with services.db.transaction() as session:
        unit = await units.require(session, "XA-HOATHANH")
        digest = await compose_digest(
            session, unit, "2026-W48", services.catalog.get, services.zone
        )
    assert await deliver_digest(services, unit, digest) == 1
    assert channel.texts_to("9001") == [digest.text]
    channel.failing = True
    with pytest.raises(CliError, match="telegram failed"):
        await deliver_digest(services, unit, digest)


async def test_send_delivers_through_telegram(sqlite_url: str) -> None:
    """``digest --send`` with a bot token: the real PTB Bot delivers text and chart to the
    chair's bound chat (a fake Bot API server on 127.0.0.1 plays Telegram)."""
    from tests.fakes.telegram_api import FakeTelegramAPI

    await _prepare(sqlite_url, chair=True)
    async with FakeTelegramAPI() as api:
        cli = InProcessCli(
            env={
                "SIPAS__DATABASE__URL": sqlite_url,
                "SIPAS__TELEGRAM__TOKEN": api.token,
                "SIPAS__TELEGRAM__BASE_URL": api.base_url,
            }
        )
        done = await cli.in_thread(
            "digest", "--unit", "XA-HOATHANH", "--week", "2026-W48", "--send"
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr.strip().endswith("sent to 1 chat(s)")
        (text,) = [c for c in api.calls_to("sendMessage") if not c.failed]
        assert text.params["chat_id"] == 9 and text.params["text"] == done.stdout.rstrip("\n")
        (chart,) = api.calls_to("sendPhoto")
        assert chart.params["chat_id"] == 9 and chart.files["photo"].startswith(b"\x89PNG")


def test_the_default_week_is_the_last_complete_iso_week(
    cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``digest --help`` promises the last complete ISO week; without --week that is the week
    printed (the week before today's, in the settings' time zone)."""
    asyncio.run(_prepare(cli_db, chair=False))
    with pytest.raises(SystemExit):
        main(["digest", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "default: the last complete ISO week" in help_text
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    expected = shift(iso_week(datetime.now(zone), zone), -1)
    assert main(["digest", "--unit", "XA-HOATHANH"]) == 0
    default_out = capsys.readouterr().out
    assert main(["digest", "--unit", "XA-HOATHANH", "--week", expected]) == 0
    assert capsys.readouterr().out == default_out
    year, week = expected.split("-W")
    assert default_out.startswith(f"📊 Báo cáo tuần {int(week)}/{year} (")


def test_last_complete_week_across_a_year_end() -> None:
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    # Sunday 3/1/2027 23:30 local is still in 2026-W53; Monday 4/1/2027 00:10 is in 2027-W01.
    assert last_complete_week(datetime(2027, 1, 3, 23, 30, tzinfo=zone), zone) == "2026-W52"
    assert last_complete_week(datetime(2027, 1, 4, 0, 10, tzinfo=zone), zone) == "2026-W53"
