"""Synthetic survey data written straight into a migrated SQLite file with the sqlite3
module's ``executemany`` (the product's code paths are far too slow to create a million
responses): a province with communes, weekly counters as the product keeps them, and raw
sessions with their answers at a chosen fraction of the same volume."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from bot.flow_admin.catalog import publish_defaults
from scheduler.clock import system_clock
from storage.db import Database
from storage.models import FlowVersion
from storage.repos import units

QUESTIONS = [f"{f}.{n}" for f, count in ((1, 4), (2, 5), (3, 6), (4, 3), (5, 4)) for n in
             range(1, count + 1)]  # fmt: skip
YEAR = 2026
STAMP = "2026-06-01 02:00:00.000000"


@dataclass(frozen=True)
class Province:
    province: str
    communes: list[str]
    weeks: list[str]
    flow_version_id: int


async def province(db_url: str, communes: int, weeks: int) -> Province:
    database = Database(db_url)
    await database.migrate()
    now = system_clock()
    async with database.transaction() as session:
        await publish_defaults(session, now)
        await units.add(session, "TINH-BENCH", "Tỉnh Bench", now=now)
        codes = [f"XA-{number:03d}" for number in range(communes)]
        for code in codes:
            await units.add(session, code, f"Xã {code}", now=now, parent_code="TINH-BENCH")
        version = await session.scalar(
            select(FlowVersion.id).where(FlowVersion.flow_key == "mau01").limit(1)
        )
    await database.dispose()
    assert version is not None
    week_names = [f"{YEAR}-W{n:02d}" for n in range(1, weeks + 1)]
    return Province("TINH-BENCH", codes, week_names, int(version))


def _levels(rng: random.Random, responses: int) -> list[int]:
    return [rng.choices((1, 2, 3, 4, 5), (1, 2, 5, 12, 8))[0] for _ in range(responses)]


def counters(path: Path, shape: Province, per_unit_week: int, seed: int = 7) -> int:
    """Counter rows for ``per_unit_week`` responses in every commune and week; returns rows.
    Each question's levels follow one drawn distribution scaled to the response count."""
    rng = random.Random(seed)
    with sqlite3.connect(path) as db:
        ids = dict(db.execute("SELECT code, id FROM units"))
        rows = []
        stats = []
        for code in shape.communes:
            for week in shape.weeks:
                for question in QUESTIONS:
                    spread = [rng.randint(1, 12) for _ in range(5)]
                    total = sum(spread)
                    counts = [per_unit_week * part // total for part in spread]
                    counts[3] += per_unit_week - sum(counts)
                    rows += [
                        (ids[code], shape.flow_version_id, week, question, level + 1, count)
                        for level, count in enumerate(counts)
                        if count
                    ]
                n = per_unit_week
                stats.append((ids[code], week, n + n // 10, n, n // 20, n // 100, 0))
        db.executemany("INSERT INTO unit_counters VALUES (?, ?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO unit_week_stats VALUES (?, ?, ?, ?, ?, ?, ?)", stats)
    return len(rows)


def raw(path: Path, shape: Province, per_unit_week: int, seed: int = 11) -> int:
    """Completed sessions (on dangling link ids: nothing reads links here) with 22 answers
    each, ``per_unit_week`` per commune and week; returns the number of answers."""
    rng = random.Random(seed)
    with sqlite3.connect(path) as db:
        ids = dict(db.execute("SELECT code, id FROM units"))
        sessions, answers = [], []
        number = 0
        for code in shape.communes:
            for week in shape.weeks:
                for _ in range(per_unit_week):
                    number += 1
                    sessions.append((number, number, ids[code], shape.flow_version_id, "web",
                                     "vi", "done", 22, 22, STAMP, STAMP, STAMP, STAMP, week, 0,
                                     False))  # fmt: skip
                    levels = _levels(rng, len(QUESTIONS))
                    answers += [
                        (number, q, v, STAMP) for q, v in zip(QUESTIONS, levels, strict=True)
                    ]
        db.executemany(
            "INSERT INTO survey_sessions (id, link_id, unit_id, flow_version_id, channel, locale,"
            " phase, position, version, started_at, updated_at, last_answer_at, completed_at,"
            " completed_week, reminders_sent, flagged) VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            sessions,
        )
        db.executemany(
            "INSERT INTO answers (session_id, question_id, value, answered_at) VALUES (?, ?, ?, ?)",
            answers,
        )
    return len(answers)


def in_progress(path: Path, unit_code: str, count: int, answered: int = 5) -> list[str]:
    """``count`` web-chat respondents part-way through (``answered`` answers each), with their
    dossiers and links; returns their link tokens."""
    with sqlite3.connect(path) as db:
        unit = db.execute("SELECT id FROM units WHERE code = ?", (unit_code,)).fetchone()[0]
        version = db.execute("SELECT id FROM flow_versions WHERE flow_key = 'mau01'").fetchone()[0]
        first = 1 + (db.execute("SELECT max(id) FROM survey_links").fetchone()[0] or 0)
        numbers = range(first, first + count)
        tokens = [f"benchtoken{n:08d}" for n in numbers]
        future = "2099-01-01 00:00:00.000000"
        db.executemany(
            "INSERT INTO dossiers (id, unit_id, code, created_at) VALUES (?, ?, ?, ?)",
            [(n, unit, f"HS-MEM-{n}", STAMP) for n in numbers],
        )
        db.executemany(
            "INSERT INTO survey_links (id, token, short_code, dossier_id, unit_id, form,"
            " created_at, expires_at) VALUES (?, ?, ?, ?, ?, 'citizen', ?, ?)",
            [
                (n, t, f"M{n:07d}", n, unit, STAMP, future)
                for n, t in zip(numbers, tokens, strict=True)
            ],
        )
        db.executemany(
            "INSERT INTO survey_sessions (id, link_id, unit_id, flow_version_id, channel, chat_id,"
            " locale, phase, position, version, started_at, updated_at, last_answer_at,"
            " reminders_sent, flagged) VALUES"
            " (?, ?, ?, ?, 'web', ?, 'vi', 'asking', ?, ?, ?, ?, ?, 0, 0)",
            [(n, n, unit, version, t, answered, answered, STAMP, STAMP, STAMP)
             for n, t in zip(numbers, tokens, strict=True)],
        )  # fmt: skip
        db.executemany(
            "INSERT INTO answers (session_id, question_id, value, answered_at) VALUES (?, ?, 4, ?)",
            [(n, q, STAMP) for n in numbers for q in QUESTIONS[:answered]],
        )
    return tokens
