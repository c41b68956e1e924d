"""Every sentence a citizen may read addresses them as "Ông/Bà" (never "bạn") and uses no
software jargon ("token", "flow", "session"): the shipped flows (every text, choice label and
section title), the engine's phrases, the reminders, the chat messages, the web chat and the
landing page, in every language."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bot.flow_admin.catalog import DEFAULT_FLOWS
from bot.texts import MESSAGES
from bot.web.home import HOME
from bot.web.webchat import UI
from flows.loader import TEXT_KEYS, load_flow_file
from flows.model import Flow, Localized
from flows.texts import PHRASES
from scheduler.texts import PHRASES as REMINDERS

FORBIDDEN = re.compile(r"\b(bạn|token|flow|session)s?\b", re.IGNORECASE)
BOOKS = {"engine": PHRASES, "reminders": REMINDERS, "chat": MESSAGES, "web chat": UI, "home": HOME}


def flow_texts(flow: Flow) -> Iterator[tuple[str, Localized]]:
    yield "title", flow.title
    for name in TEXT_KEYS:
        yield f"texts.{name}", getattr(flow.texts, name)
    for section in flow.sections:
        yield f"section {section.id}", section.title
    for question in flow.questions:
        yield f"question {question.id}", question.text
        for choice in question.choice_set.choices:
            yield f"question {question.id} choice {choice.value}", choice.label


FLOW_FILES = sorted(DEFAULT_FLOWS.glob("*.toml"))


@pytest.mark.parametrize("path", FLOW_FILES, ids=[p.stem for p in FLOW_FILES])
def test_the_shipped_flows_speak_to_citizens_properly(path) -> None:  # type: ignore[no-untyped-def]
    flow = load_flow_file(path)
    found = [
        f"{where} ({locale}): {text}"
        for where, texts in flow_texts(flow)
        for locale, text in texts.values.items()
        if FORBIDDEN.search(text)
    ]
    assert found == []


@pytest.mark.parametrize("name", sorted(BOOKS))
def test_the_phrasebooks_citizens_read(name: str) -> None:
    found = [
        f"{key} ({locale}): {text}"
        for key, texts in BOOKS[name].items()
        for locale, text in texts.items()
        if FORBIDDEN.search(text)
    ]
    assert found == []


def test_the_check_itself_catches_the_old_reminder() -> None:
    assert FORBIDDEN.search("Bạn đã trả lời 9/22 câu.")
    assert FORBIDDEN.search("Your session token expired")
    assert not FORBIDDEN.search("Ông/Bà đã trả lời 9/22 câu, theo quy trình (workflow).")


def test_the_organisation_form_addresses_organisations() -> None:
    """Mẫu 02 says "Quý cơ quan, tổ chức" and "phục vụ tổ chức", never "Ông/Bà" or
    "người dân" (criteria 1.2-1.4 once said "phục vụ người dân")."""
    flow = load_flow_file(DEFAULT_FLOWS / "mau02.toml")
    texts = [texts.get("vi") for _, texts in flow_texts(flow)]
    assert not [t for t in texts if "Ông/Bà" in t or "người dân" in t]
    equipment = [q.text.get("vi") for q in flow.questions if q.id in ("1.2", "1.3", "1.4")]
    assert all(t.startswith("Trang thiết bị phục vụ tổ chức tại {place}") for t in equipment)
