"""Every user-facing text lives in a phrasebook of one shape, ``{key: {"vi": ..., "en": ...}}``,
read through ``flows.texts.lookup``; every key has both languages, and the staff pages, the web
chat and the home page read theirs the same way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import texts as bot_texts
from bot.dossiers import bulk_import, fields, tables
from bot.web import home, webchat
from bot.web.staff import words
from bot.web.staff.i18n import translator
from flows import problems as flow_problems
from flows import texts as engine_texts
from flows.texts import LOCALES, Phrasebook, lookup
from reports import texts as report_texts
from reports.exports import words as export_words
from scheduler import texts as scheduler_texts

ROOT = Path(__file__).parent.parent
CALL = r"""\bt\(\s*["']([a-z0-9_]+)["']\s*[,)]"""  # t("key") or t("key", ...), not t("role_" + r)

BOOKS: dict[str, Phrasebook] = {
    "flows.texts.PHRASES": engine_texts.PHRASES,
    "flows.problems.PROBLEMS": flow_problems.PROBLEMS,
    "bot.texts.MESSAGES": bot_texts.MESSAGES,
    "scheduler.texts.PHRASES": scheduler_texts.PHRASES,
    "bot.web.staff.words.STAFF_WORDS": words.STAFF_WORDS,
    "bot.web.webchat.UI": webchat.UI,
    "bot.web.home.HOME": home.HOME,
    "bot.dossiers.fields.LABELS": fields.LABELS,
    "bot.dossiers.fields.REASONS": fields.REASONS,
    "bot.dossiers.tables.MESSAGES": tables.MESSAGES,
    "bot.dossiers.bulk_import.MESSAGES": bulk_import.MESSAGES,
    "reports.texts.PHRASES": report_texts.PHRASES,
    "reports.exports.words.WORDS": export_words.WORDS,
}


@pytest.mark.parametrize("name", sorted(BOOKS))
def test_every_key_has_vietnamese_and_english(name: str) -> None:
    for key, table in BOOKS[name].items():
        assert set(table) == set(LOCALES), f"{name}[{key!r}] has {sorted(table)}"
        assert all(text.strip() for text in table.values()), f"{name}[{key!r}] is empty"


def test_lookup_formats_values_and_falls_back_to_vietnamese() -> None:
    book: Phrasebook = {"n": {"vi": "{n} hồ sơ", "en": "{n} dossiers"}}
    assert lookup(book, "n", "en", n=3) == "3 dossiers"
    assert lookup(book, "n", "fr", n=3) == "3 hồ sơ"
    assert lookup(book, "n", "vi") == "{n} hồ sơ"  # no values: as written
    published: Phrasebook = {"p": {"vi": "{key} {locale}", "en": "{key} {locale}"}}
    assert lookup(published, "p", "en", key="mau01", locale="vi") == "mau01 vi"


def test_every_key_a_staff_template_asks_for_exists() -> None:
    templates = (ROOT / "bot" / "web" / "templates").rglob("*.html")
    asked = {key for template in templates for key in re.findall(CALL, template.read_text("utf-8"))}
    assert asked and asked <= set(words.STAFF_WORDS), sorted(asked - set(words.STAFF_WORDS))
    t = translator("en")
    assert t("login") == "Log in" and translator("vi")("login") == "Đăng nhập"


def test_web_pages_read_their_words_per_locale() -> None:
    assert webchat.ui_texts("en")["send"] == "Send"
    assert webchat.ui_texts("xx")["send"] == "Gửi"
