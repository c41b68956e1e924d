"""Runs the scenarios in tests/scenarios/conversation/*.toml through the conversation glue
(``bot.conversation.turns.Conversation``) on a real database, SQLite and PostgreSQL: the rules
that live around the engine — links that expire, restarts, double presses, old buttons, a link
opened in a second chat — documented by example (see that folder's README).
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from bot.conversation.turns import Reply
from bot.services import Services, build_services
from flows import engine
from flows.outbound import ConversationRef
from scheduler.clock import ManualClock
from storage.db import Database
from storage.repos import links, surveys
from tests.support.environment import make_settings
from tests.support.scenario_files import (
    SCENARIOS,
    Raw,
    check_step,
    current_prompt,
    event_of,
    read,
)
from tests.support.surveys import new_token

FILES = sorted((SCENARIOS / "conversation").glob("*.toml"))
CHANNEL = "scenario"
DURATION = re.compile(r"(\d+)\s*(day|hour|minute|second)s?")


def duration(text: str) -> timedelta:
    """``"14 days 1 second"`` -> timedelta (the words of a `wait` step)."""
    parts = DURATION.findall(text)
    assert parts, f"not a duration: {text!r}"
    return timedelta(**{f"{unit}s": float(n) for n, unit in parts})


class Run:
    """One scenario on one database: its links, its chats, and the current "process"."""

    def __init__(self, services: Services, clock: ManualClock, port: int) -> None:
        self.services, self.clock, self.port = services, clock, port
        self.tokens: dict[str, str] = {}
        self.chats: dict[str, ConversationRef] = {}
        self.prompts: dict[str, str] = {}  # the question each chat was last asked
        self.started: list[Database] = []  # databases opened by restarts, closed at the end

    async def make_links(self, names: list[str], form: str) -> None:
        for number, name in enumerate(names, start=1):
            self.tokens[name] = await new_token(self.services, f"HS-2026-{number:06d}", form)

    def chat(self, name: str) -> ConversationRef:
        if name not in self.chats:
            self.chats[name] = ConversationRef(CHANNEL, str(6001 + len(self.chats)))
        return self.chats[name]

    def token(self, name: str) -> str:
        """The link's token; a name the scenario did not make is a link that does not exist."""
        return self.tokens.get(name) or f"no-such-link-{name}-0000000000000000"

    async def restart(self) -> None:
        """A new process on the same database: new handle, new services, nothing in memory."""
        database = Database(self.services.db.url)
        self.started.append(database)
        settings = make_settings(database.url, self.port)
        self.services = build_services(settings, self.clock, database)

    async def close(self) -> None:
        for database in self.started:
            await database.dispose()

    async def session_id(self, link: str) -> int:
        async with self.services.db.transaction() as session:
            found = await links.by_token(session, self.token(link))
            survey = await surveys.for_link(session, found.id) if found else None
        assert survey is not None, f"link {link} has no survey yet"
        return survey.id

    async def act(self, step: Raw) -> Reply:
        who = step.get("chat", "An")
        ref, raw = self.chat(who), step["event"]
        options: Raw = {"update_key": step.get("update"), "locale": step.get("locale")}
        if "button_of" in step:
            options["session_id"] = await self.session_id(step["button_of"])
        turn = self.services.conversation.turn
        if "open" in raw:
            reply = await turn(ref, engine.Start(), token=self.token(raw["open"]), **options)
        elif "answer_rest" in raw:
            reply = await self.answer_rest(ref, who, str(raw["answer_rest"]))
        else:
            reply = await turn(ref, event_of(raw), **options)
        if not reply.duplicate:
            self.prompts[who] = current_prompt(reply.messages)
        return reply

    async def answer_rest(self, ref: ConversationRef, who: str, value: str) -> Reply:
        """Press ``value`` under every question until the questions are over."""
        prompt = self.prompts.get(who, "")
        assert prompt and not prompt.startswith("_"), f"{who} is not at a question"
        while True:
            reply = await self.services.conversation.turn(ref, engine.Choose(prompt, value))
            prompt = current_prompt(reply.messages)
            if prompt.startswith("_") or prompt == "none":
                return reply

    async def check_saved(self, expected: Raw, default_link: str, where: str) -> None:
        """``saved = {...}``: what the database holds for a link's survey."""
        async with self.services.db.transaction() as session:
            link = await links.by_token(session, self.token(expected.get("link", default_link)))
            survey = await surveys.for_link(session, link.id) if link else None
            if "started" in expected:
                assert (survey is not None) == expected["started"], where
            if survey is None:
                return
            answers = await surveys.answers(session, survey.id)
            comments = await surveys.comments_of(session, survey.id)
        names = {ref.chat_id: name for name, ref in self.chats.items()}
        found = {
            "answers": answers,
            "completed": survey.completed_at is not None,
            "chat": names.get(survey.chat_id or "", survey.chat_id or "none"),
            "phase": survey.phase,
            "locale": survey.locale,
            "comments": [c.text for c in comments if not c.is_complaint],
            "complaints": [c.text for c in comments if c.is_complaint],
        }
        unknown = set(expected) - set(found) - {"link", "started"}
        assert not unknown, f"{where}: saved has no {sorted(unknown)}"
        for key, wanted in expected.items():
            if key in found:
                assert found[key] == wanted, f"{where}: saved {key} is {found[key]!r}"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
async def test_conversation_scenario(
    path: Path, services: Services, clock: ManualClock, port: int
) -> None:
    scenario = read(path)
    run = Run(services, clock, port)
    names = scenario.get("links", ["A"])
    await run.make_links(names, scenario.get("form", "citizen"))
    try:
        for number, step in enumerate(scenario["steps"], start=1):
            where = f"{path.name} step {number}"
            if "wait" in step:
                clock.advance(seconds=duration(step["wait"]).total_seconds())
            elif step.get("restart"):
                await run.restart()
            else:
                reply = await run.act(step)
                assert reply.duplicate == step.get("nothing_sent", False), where
                check_step(step, reply.messages, where)
            if "saved" in step:
                await run.check_saved(step["saved"], names[0], where)
    finally:
        await run.close()


def test_durations_read_like_words() -> None:
    assert duration("14 days 1 second") == timedelta(days=14, seconds=1)
    assert duration("2 hours") == timedelta(hours=2)
