"""What a chat does, for every channel: the one place that decides what to answer.

An adapter hands over one channel-neutral ``Inbound``; this module applies the product's rules
(group and edited-message policy, commands, start by link token or short code, staff binding,
``/xoadulieu``, unsupported content, locale), runs the survey turn, and hands the reply to the
outbox. Everything is committed before anything is sent; a re-delivered update (same platform
message id) is answered once; ``DatabaseUnavailable`` surfaces before anything was sent, so a
webhook can ask the platform to deliver again.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.channels.protocol import (
    BACK,
    Channel,
    Command,
    Inbound,
    Pressed,
    SendContext,
    SendFailed,
    Start,
    Text,
    Unsupported,
)
from bot.conversation import guard, short_codes
from bot.conversation import staff_commands as staff
from bot.texts import message as say
from flows import engine
from flows.outbound import AnswerEcho, Message, Option, Outbound
from storage.db import DatabaseUnavailable

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

BINDING_PREFIX = "b_"
FORGET = "_forget"  # the prompt id of the /xoadulieu confirmation
CONFIRM_WORDS = frozenset({"xacnhan", "xác nhận", "xac nhan", "confirm", "yes"})
START_COMMANDS = frozenset({"start", "batdau"})
HELP_COMMANDS = frozenset({"help", "huongdan", "trogiup"})


def command_of(text: str) -> Command | None:
    """``/name@bot argument`` typed as text, for adapters whose platform has no command type."""
    if not text.startswith("/") or len(text) < 2:
        return None
    head, _, argument = text.partition(" ")
    name = head[1:].split("@", 1)[0].lower()
    if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
        return None
    return Command(name, argument.strip())


class ChatRouter:
    def __init__(self, services: Services) -> None:
        self.services = services

    @property
    def default_locale(self) -> str:
        return self.services.settings.locale.language

    async def receive(self, channel: Channel, inbound: Inbound) -> None:
        """Handle one update; raises DatabaseUnavailable before anything is sent."""
        locale = inbound.locale or self.default_locale
        if inbound.group:
            await self._refuse(channel, inbound, "group_chat", locale)
            return
        if inbound.edited:
            await self._refuse(channel, inbound, "edited_message", locale)
            return
        match inbound.event:
            case Pressed() as pressed:
                await self._on_press(channel, inbound, pressed, locale)
            case Command() as command:
                await self._on_command(channel, inbound, command, locale)
            case Start(payload=payload):
                await self._on_start(channel, inbound, payload.strip(), locale)
            case Text(text=text):
                await self._on_text(channel, inbound, text, locale)
            case Unsupported(kind=kind):
                await self._turn(channel, inbound, engine.Unsupported(kind))

    async def tell_busy(self, channel: Channel, inbound: Inbound) -> None:
        """The database is down and the platform cannot deliver again (polling): say so kindly
        and send directly (nothing can be queued); the person's next try will work."""
        text = say("busy", inbound.locale or self.default_locale)
        if isinstance(inbound.event, Pressed):
            await channel.acknowledge(inbound, text)
        try:
            await self.services.outbox.send(inbound.ref, [Message(text)])
        except SendFailed as exc:
            log.error("could not tell a chat on %s that the system is busy: %s", channel.name, exc)

    # --- sending -----------------------------------------------------------------------
    async def _reply(
        self,
        channel: Channel,
        inbound: Inbound,
        messages: Sequence[Outbound],
        session_id: int | None = None,
    ) -> None:
        context = SendContext(session_id, inbound.handle)
        await self.services.outbox.deliver(inbound.ref, messages, context)

    async def _say(
        self, channel: Channel, inbound: Inbound, key: str, locale: str, **values: object
    ) -> None:
        await self._reply(channel, inbound, [Message(say(key, locale, **values))])

    async def _refuse(self, channel: Channel, inbound: Inbound, key: str, locale: str) -> None:
        """A kind short answer; nothing stored but the update id."""
        if not await guard.first_time(self.services, inbound.ref, inbound.message_id):
            return
        if isinstance(inbound.event, Pressed):
            await channel.acknowledge(inbound, say(key, locale))
        else:
            await self._say(channel, inbound, key, locale)

    # --- survey turns ------------------------------------------------------------------
    async def _turn(
        self,
        channel: Channel,
        inbound: Inbound,
        event: engine.Inbound,
        *,
        token: str | None = None,
        session_id: int | None = None,
        locale: str | None = None,
        acknowledge: bool = False,
    ) -> None:
        reply = await self.services.conversation.turn(
            inbound.ref,
            event,
            token=token,
            update_key=inbound.message_id,
            session_id=session_id,
            locale=locale,
        )
        if acknowledge:
            await channel.acknowledge(inbound)
        if reply.duplicate:
            return
        messages = reply.messages
        if reply.no_survey and not channel.capabilities.start_payload:  # a code opens it
            messages = (Message(say("no_survey_code", locale or self.default_locale)),)
        await self._reply(channel, inbound, messages, reply.session_id)

    async def _on_text(self, channel: Channel, inbound: Inbound, text: str, locale: str) -> None:
        if not channel.capabilities.start_payload:
            code = short_codes.parse(text)
            if code is not None and await self._start_by_code(channel, inbound, code, locale):
                return
        await self._turn(channel, inbound, engine.Text(text))

    async def _start_by_code(
        self, channel: Channel, inbound: Inbound, code: str, locale: str
    ) -> bool:
        """A typed short code (channels without a start payload): a staff binding, a survey
        link, or — when the chat has no survey open — a wrong code (guesses rate-limited).
        False: the text is an ordinary answer."""
        found = await short_codes.resolve(self.services, inbound.ref, code)
        if isinstance(found, short_codes.Binding):
            await self._bind(channel, inbound, found.code, locale)
            return True
        if isinstance(found, short_codes.Survey):
            await self._turn(channel, inbound, engine.Start(), token=found.token, locale=locale)
            return True
        if found is short_codes.ANSWER:
            return False
        if not await guard.first_time(self.services, inbound.ref, inbound.message_id):
            return True
        if isinstance(found, short_codes.Throttled):
            await self._say(channel, inbound, "too_many_codes", locale, minutes=found.minutes)
        else:
            await self._say(channel, inbound, "wrong_code", locale, code=code)
        return True

    async def _on_start(
        self, channel: Channel, inbound: Inbound, payload: str, locale: str
    ) -> None:
        if payload.startswith(BINDING_PREFIX) and await self._bind(
            channel, inbound, payload, locale
        ):
            return
        if payload and not channel.capabilities.start_payload:
            code = short_codes.parse(payload)
            if code is not None and await self._start_by_code(channel, inbound, code, locale):
                return
        await self._turn(channel, inbound, engine.Start(), token=payload or None, locale=locale)

    async def _bind(self, channel: Channel, inbound: Inbound, code: str, locale: str) -> bool:
        reply = await staff.bind(
            self.services, inbound.ref, code, update_key=inbound.message_id, locale=locale
        )
        if reply is None:
            return False
        if not reply.duplicate:
            await self._reply(channel, inbound, reply.messages)
        return True

    # --- buttons -----------------------------------------------------------------------
    async def _on_press(
        self, channel: Channel, inbound: Inbound, pressed: Pressed, locale: str
    ) -> None:
        if not pressed.prompt_id or not pressed.value:
            await channel.acknowledge(inbound, say("button_expired", locale))
            return
        if pressed.prompt_id == FORGET:
            await channel.acknowledge(inbound)
            await self._forget(channel, inbound, pressed.value == "yes", locale)
            return
        event: engine.Inbound = (
            engine.Back()
            if pressed.value == BACK
            else engine.Choose(pressed.prompt_id, pressed.value)
        )
        try:
            await self._turn(
                channel, inbound, event, session_id=pressed.session_id, acknowledge=True
            )
        except DatabaseUnavailable:
            await channel.acknowledge(inbound, say("busy", locale))
            raise

    # --- commands ----------------------------------------------------------------------
    async def _on_command(
        self, channel: Channel, inbound: Inbound, command: Command, locale: str
    ) -> None:
        name, argument = command.name, command.argument
        services, ref, key = self.services, inbound.ref, inbound.message_id
        if name in START_COMMANDS:
            await self._on_start(channel, inbound, argument, locale)
        elif name in HELP_COMMANDS:
            if await guard.first_time(services, ref, key):
                help_key = "help" if channel.capabilities.buttons else "help_typed"
                texts = [say(help_key, locale)]
                if await staff.is_staff(services, ref):
                    texts.append(say("help_staff", locale))
                await self._reply(channel, inbound, [Message("\n\n".join(texts))])
        elif name == "xoadulieu":
            if argument.lower() in CONFIRM_WORDS:
                if await guard.first_time(services, ref, key):
                    await self._forget(channel, inbound, True, locale)
            elif await guard.first_time(services, ref, key):
                await self._reply(channel, inbound, [self._forget_question(channel, locale)])
        elif name == "link":
            reply = await staff.link_command(services, ref, argument, update_key=key, locale=locale)
            if not reply.duplicate:
                await self._reply(channel, inbound, reply.messages)
        elif name == "baocao":
            reply = await staff.report_command(services, ref, update_key=key, locale=locale)
            if not reply.duplicate:
                await self._reply(channel, inbound, reply.messages)
        else:  # an unknown command is just text: the engine answers with what it expects
            await self._turn(channel, inbound, engine.Text(f"/{name} {argument}".strip()))

    def _forget_question(self, channel: Channel, locale: str) -> Message:
        """The confirmation asked before deleting: two buttons, or the command to type."""
        if not channel.capabilities.buttons:
            text = f"{say('forget_confirm', locale)}\n\n{say('forget_confirm_typed', locale)}"
            return Message(text)
        options = (
            Option(say("forget_yes", locale), "yes", ""),
            Option(say("forget_no", locale), "no", ""),
        )
        return Message(say("forget_confirm", locale), FORGET, options)

    async def _forget(
        self, channel: Channel, inbound: Inbound, confirmed: bool, locale: str
    ) -> None:
        if isinstance(inbound.event, Pressed) and not await guard.first_time(
            self.services, inbound.ref, inbound.message_id
        ):
            return
        if confirmed:
            count = await guard.forget_chat(self.services, inbound.ref)
            text = say("deleted" if count else "nothing_to_delete", locale)
        else:
            text = say("forget_kept", locale)
        if isinstance(inbound.event, Pressed) and channel.capabilities.edits:
            await self._reply(channel, inbound, [AnswerEcho(FORGET, text)])
        else:
            await self._reply(channel, inbound, [Message(text)])
