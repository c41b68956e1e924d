"""A channel defined here, in the tests, not in bot/: registered as a plugin, it runs a whole
survey, a staff binding and a digest delivery through the registry, the router and the outbox
with no change to bot/. It has every capability off, so it also proves the fallbacks: numbered
lists, typed answers and "quay lại", the short code instead of a start payload, split texts.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.channels import lifecycle
from bot.channels.protocol import Capabilities, Command, Start, Text, Unsupported
from bot.channels.registry import ChannelPlugin, PluginCatalog
from bot.services import Services, build_services
from bot.staff import accounts
from flows.outbound import Message
from scheduler.clock import ManualClock
from storage.db import Database
from storage.models import Answer, Delivery, SurveySession
from tests.support.channels import NOTHING, Person, RecordingChannel
from tests.support.environment import make_settings
from tests.support.scheduler import jobs_for
from tests.support.staff import add_staff

PIGEON = "pigeon"


def pigeon_plugin(channel: RecordingChannel) -> ChannelPlugin:
    return ChannelPlugin(
        name=PIGEON,
        link_key="pigeon",
        label="Pigeon post",
        capabilities=channel.capabilities,
        enabled=lambda settings: True,
        create=lambda services: channel,
    )


@pytest.fixture
async def pigeon(services: Services) -> tuple[Services, RecordingChannel]:
    """Services whose plugin catalog also holds the test channel, built by the lifecycle."""
    channel = RecordingChannel(PIGEON, NOTHING, chat_url="https://pigeon.example/bot")
    plugins = PluginCatalog.installed()
    plugins.add(pigeon_plugin(channel))
    own = build_services(services.settings, services.clock, services.db, plugins)
    own.outbox.retry_delay = 0
    built = lifecycle.build(own)
    assert built == [channel]
    await lifecycle.start(built)
    assert channel.started
    return own, channel


async def short_code(services: Services, dossier: str) -> tuple[str, dict[str, object]]:
    info = await services.links.create(unit_code="XA-HOATHANH", dossier_code=dossier)
    data = services.links.as_json(info)
    url = data["links"]["pigeon"]  # type: ignore[index]
    assert isinstance(url, str) and "/z/" in url
    return info.link.short_code, data


async def test_a_whole_survey_by_typing(pigeon: tuple[Services, RecordingChannel]) -> None:
    services, channel = pigeon
    code, data = await short_code(services, "HS-2026-000777")
    assert data["links"]["telegram"] is None  # type: ignore[index]  # installed but off
    person = Person(services, channel, "p1")
    await person.does(Start())
    assert "mã 6 ký tự" in channel.last_text("p1")  # no survey yet: asks for the code
    await person.does(Text(f" {code.lower()[:3]} {code.lower()[3:]} "))  # any case, spaces
    consent = channel.last_text("p1")
    assert "1. Đồng ý" in consent and "2. Không đồng ý" in consent
    await person.does(Text("1"))
    first = channel.last_text("p1")
    assert first.startswith("Câu 1/22") and "\n5. Rất hài lòng" in first
    assert 'Gõ "quay lại"' not in first  # nothing to go back to yet
    await person.does(Text("4"))
    second = channel.last_text("p1")
    assert second.startswith("✓ Đã chọn: Hài lòng\nCâu 2/22")  # the echo, folded in
    assert 'Gõ "quay lại" để sửa câu trước.' in second
    await person.does(Text("quay lại"))
    assert "Câu 1/22" in channel.last_text("p1") and "Hài lòng ✓" in channel.last_text("p1")
    await person.does(Text("5"))
    for _ in range(21):
        await person.does(Text("4"))
    assert "góp ý" in channel.last_text("p1").lower()
    await person.does(Text("0"))  # "Bỏ qua, gửi phiếu": one tap sends the response
    assert "cảm ơn" in channel.last_text("p1").lower()
    assert all(len(t) <= NOTHING.max_text for t in channel.texts_to("p1"))
    async with services.db.transaction() as session:
        (survey,) = (await session.scalars(select(SurveySession))).all()
        answers = dict((await session.execute(select(Answer.question_id, Answer.value))).all())
    assert survey.completed_at is not None and survey.channel == PIGEON
    assert len(answers) == 22 and answers["1.1"] == 5


async def test_a_repeated_update_is_answered_once(
    pigeon: tuple[Services, RecordingChannel],
) -> None:
    services, channel = pigeon
    code, _ = await short_code(services, "HS-2026-000778")
    person = Person(services, channel, "p2")
    await person.does(Text(code))
    key = await person.does(Text("1"))
    await person.does(Text("3"))
    sent = len(channel.sent)
    await person.does(Text("3"), message_id=key)  # the platform hands the same update again
    assert len(channel.sent) == sent
    async with services.db.transaction() as session:
        answers = (await session.execute(select(Answer.question_id, Answer.value))).all()
    assert answers == [("1.1", 3)]


async def test_wrong_codes_are_limited_per_chat(pigeon: tuple[Services, RecordingChannel]) -> None:
    services, channel = pigeon
    person = Person(services, channel, "p3")
    for _ in range(5):
        await person.does(Text("ABCDEF"))
        assert "ABCDEF không đúng" in channel.last_text("p3")
    await person.does(Text("ABCDEG"))
    assert "thử quá nhiều mã" in channel.last_text("p3")
    other = Person(services, channel, "p4")  # another chat is not affected
    await other.does(Text("ABCDEF"))
    assert "không đúng" in other.channel.last_text("p4")


async def test_unsupported_group_and_commands(pigeon: tuple[Services, RecordingChannel]) -> None:
    services, channel = pigeon
    person = Person(services, channel, "p5")
    await person.does(Unsupported("sticker"))
    assert "mã 6 ký tự" in channel.last_text("p5")  # no survey: how to begin
    code, _ = await short_code(services, "HS-2026-000779")
    await person.does(Text(code))
    await person.does(Unsupported("voice"))
    assert any("chỉ nhận câu trả lời" in t for t in channel.texts_to("p5")[-3:])
    await person.does(Command("help"))
    assert "gõ số" in channel.last_text("p5")
    await person.does(Command("xoadulieu"))
    assert "/xoadulieu xacnhan" in channel.last_text("p5")
    await person.does(Command("xoadulieu", "xacnhan"))
    assert "đã được xóa" in channel.last_text("p5")
    async with services.db.transaction() as session:
        survey = await session.scalar(select(SurveySession))
    assert survey is not None and survey.chat_id is None


async def test_staff_binding_and_digest_delivery(
    pigeon: tuple[Services, RecordingChannel], clock: ManualClock
) -> None:
    services, channel = pigeon
    await add_staff(services, "chu.tich", "chair", "XA-HOATHANH")
    binding = await accounts.new_binding(
        services, username="chu.tich", channel=PIGEON, actor="test"
    )
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", binding.code)  # typed by hand: no look-alikes
    assert binding.link == f"http://127.0.0.1:{services.settings.web.port}/z/{binding.code}"
    chair = Person(services, channel, "chair-chat")
    await chair.does(Text(binding.code.lower()))
    assert "chu.tich" in channel.last_text("chair-chat")
    before = len(channel.texts_to("chair-chat"))
    await chair.does(Command("baocao"))
    report = channel.texts_to("chair-chat")[before:]
    assert report[0].startswith("📊") and len(report) > 1  # split at this channel's 300
    assert all(len(text) <= 300 for text in report)
    assert channel.photos_to("chair-chat") == []  # no images here: the chart is left out
    clock.now = clock.now.replace(day=30, hour=0, minute=31)  # Monday 30/11 07:31 local
    sent = len(channel.to("chair-chat"))
    assert await jobs_for(services).digests() == 1
    delivered = [m for batch in channel.to("chair-chat")[sent:] for m in batch]
    assert isinstance(delivered[0], Message) and delivered[0].text.startswith("📊")


async def test_refusals_are_recorded_not_retried(
    pigeon: tuple[Services, RecordingChannel],
) -> None:
    services, channel = pigeon
    channel.refusing = True
    await Person(services, channel, "p6").does(Start())
    async with services.db.transaction() as session:
        (row,) = (await session.scalars(select(Delivery))).all()
    assert row.status == "undeliverable" and "blocked" in (row.last_error or "")
    assert row.next_attempt_at is None


def test_capabilities_default_to_the_weakest_channel() -> None:
    weakest = Capabilities()
    assert not (weakest.buttons or weakest.edits or weakest.start_payload or weakest.images)


async def test_another_process_sees_the_same_plugins(
    services: Services, clock: ManualClock, port: int
) -> None:
    """Plugins come from the registry, not from state built by a running process."""
    other = build_services(make_settings(services.db.url, port), clock, Database(services.db.url))
    try:
        assert other.plugins.link_keys() == services.plugins.link_keys()
        assert "telegram" in other.plugins.names()
    finally:
        await other.db.dispose()
