"""Optional e-mail copies of complaint alerts and weekly digests, received by a real SMTP
server on 127.0.0.1 (aiosmtpd); and the digest's complaint line and cleaned comments."""

from __future__ import annotations

import email
from collections.abc import Iterator
from email.message import Message as EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

from bot.services import Services, build_services
from bot.settings import SettingsError
from scheduler.clock import ManualClock
from scheduler.config import Schedule
from scheduler.jobs import Jobs
from storage.db import Database
from tests.support.environment import free_port, make_settings
from tests.support.scheduler import add_staff, complete_response, recording


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        content = envelope.content  # type: ignore[attr-defined]
        self.messages.append(email.message_from_bytes(content, policy=default))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def mailing(database: Database, clock: ManualClock, smtp_port: int) -> Services:
    settings = make_settings(
        database.url,
        free_port(),
        SIPAS__EMAIL__ENABLED="true",
        SIPAS__EMAIL__HOST="127.0.0.1",
        SIPAS__EMAIL__PORT=str(smtp_port),
        SIPAS__EMAIL__STARTTLS="false",
        SIPAS__EMAIL__FROM="sipas@xa.example.vn",
        SIPAS__EMAIL__DIGEST_TO="vanphong@xa.example.vn",
        SIPAS__EMAIL__COMPLAINTS_TO="chutich@xa.example.vn, thanhtra@xa.example.vn",
    )
    return build_services(settings, clock, database)


def body_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_complaint_alerts_and_digests_are_mailed(
    services: Services, clock: ManualClock, smtp: tuple[Inbox, int]
) -> None:
    inbox, smtp_port = smtp
    mailed = mailing(services.db, clock, smtp_port)
    recording(mailed)
    await add_staff(mailed, "chutich", role="chair", unit="XA-HOATHANH", chat_id="9001")
    await complete_response(
        mailed, "c1", "HS-1", [4] * 22, comment="Tốt\x07\u202e", complaint="Chờ quá lâu"
    )
    [alert] = inbox.messages
    assert alert["To"] == "chutich@xa.example.vn, thanhtra@xa.example.vn"
    assert alert["Subject"] == "Phản ánh, kiến nghị mới — UBND xã Hòa Thành"
    assert "«Chờ quá lâu»" in body_of(alert) and "HS-1" not in body_of(alert)

    jobs = Jobs(
        mailed.db,
        mailed.outbox,
        clock,
        mailed.catalog.get,
        Schedule(zone=mailed.zone, complaints_url="http://x.example/staff/complaints"),
        mailer=mailed.mailer,
    )
    clock.now = clock.now.replace(day=30, hour=0, minute=30)  # Mon 30/11 07:30 local
    assert await jobs.digests() == 1
    assert await jobs.digests() == 0  # once per unit and week, by e-mail too
    digest = inbox.messages[-1]
    assert len(inbox.messages) == 2 and digest["To"] == "vanphong@xa.example.vn"
    text = body_of(digest)
    assert digest["Subject"].startswith("📊 Báo cáo tuần 48/2026")
    assert "📮 Phản ánh, kiến nghị chờ trả lời: 1 (quá hạn: 0)" in text
    assert "http://x.example/staff/complaints" in text
    assert "«Tốt»" in text  # the bell and the right-to-left override are gone
    [chart] = [p for p in digest.iter_attachments() if p.get_content_type() == "image/png"]
    assert chart.get_content().startswith(b"\x89PNG")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_an_unreachable_mail_server_loses_nothing_else(
    services: Services, clock: ManualClock
) -> None:
    dead = mailing(services.db, clock, free_port())  # nothing listens there
    channel = recording(dead)
    await add_staff(dead, "chutich", role="chair", unit="XA-HOATHANH", chat_id="9001")
    await complete_response(dead, "c2", "HS-2", [4] * 22, complaint="Không ai trả lời")
    assert any("Không ai trả lời" in t for t in channel.texts_to("9001"))


def test_enabled_email_needs_a_server_and_a_sender() -> None:
    with pytest.raises(SettingsError, match="host and from are required"):
        make_settings("sqlite+aiosqlite:///x.sqlite3", 8080, SIPAS__EMAIL__ENABLED="true")
    with pytest.raises(SettingsError, match="not an e-mail address"):
        make_settings("sqlite+aiosqlite:///x.sqlite3", 8080, SIPAS__EMAIL__DIGEST_TO="nobody")
