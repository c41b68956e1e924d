"""Synthetic survey data written straight into a migrated SQLite file with the sqlite3
module's ``executemany`` (the product's code paths are far too slow to create a million
responses): a province with communes, day-keyed counters as the product keeps them, and raw
sessions with their answers at a chosen fraction of the same volume."""

from __future__ import annotations

import random
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.flow_admin.catalog import publish_defaults
from flows.loader import parse_flow
from scheduler.clock import system_clock
from storage.db import Database
from storage.models import FlowVersion
from storage.repos import units
from storage.repos.counters import first_days, personal_indices

QUESTIONS = [f"{f}.{n}" for f, count in ((1, 4), (2, 5), (3, 6), (4, 3), (5, 4)) for n in
             range(1, count + 1)]  # fmt: skip
YEAR = 2026
STAMP = "2026-06-01 02:00:00.000000"
PATTERNS = 256  # distinct respondents' answer sets the counters are made of
PER_DAY = 5  # patterns one commune's day is made of


@dataclass(frozen=True)
class Province:
    province: str
    communes: list[str]
    days: list[date]  # local dates with responses, from 1 January
    flow_version_id: int
    flow_source: str

    @property
    def unit_days(self) -> int:
        return len(self.communes) * len(self.days)


async def province(db_url: str, communes: int, weeks: int) -> Province:
    """A province of ``communes`` communes whose responses span ``weeks`` × 7 days of YEAR."""
    database = Database(db_url)
    await database.migrate()
    now = system_clock()
    async with database.transaction() as session:
        await publish_defaults(session, now)
        await units.add(session, "TINH-BENCH", "Tỉnh Bench", now=now)
        codes = [f"XA-{number:03d}" for number in range(communes)]
        for code in codes:
            await units.add(session, code, f"Xã {code}", now=now, parent_code="TINH-BENCH")
        version = (
            await session.execute(
                select(FlowVersion.id, FlowVersion.source)
                .where(FlowVersion.flow_key == "mau01")
                .limit(1)
            )
        ).one()
    await database.dispose()
    days = [date(YEAR, 1, 1) + timedelta(days=n) for n in range(weeks * 7)]
    return Province("TINH-BENCH", codes, days, int(version.id), version.source)


def _levels(rng: random.Random, responses: int) -> list[int]:
    return [rng.choices((1, 2, 3, 4, 5), (1, 2, 5, 12, 8))[0] for _ in range(responses)]


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` cut into ``parts`` non-negative random shares."""
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def spread(total: int, buckets: int) -> list[int]:
    """``total`` responses over ``buckets`` unit-days, as evenly as whole numbers allow."""
    base, extra = divmod(total, buckets)
    return [base + (1 if n < extra else 0) for n in range(buckets)]


def counters(path: Path, shape: Province, responses: int, seed: int = 7) -> int:
    """Counter rows for ``responses`` spread over every commune and day; returns the number
    of answer_counts rows. Each commune's day is made of a few respondents' answer sets
    (drawn from ``PATTERNS``) repeated, so ``answer_counts``, ``respondent_sums`` (the
    personal indices of those respondents, by the product's own rule) and ``unit_day_stats``
    describe the same responses, as ``count_response`` would have left them."""
    rng = random.Random(seed)
    flow = parse_flow(shape.flow_source, "mau01")
    patterns = [_levels(rng, len(QUESTIONS)) for _ in range(PATTERNS)]
    personal = [
        personal_indices(flow, dict(zip(QUESTIONS, levels, strict=True))).values
        for levels in patterns
    ]
    version = shape.flow_version_id
    with sqlite3.connect(path) as db:
        ids = dict(db.execute("SELECT code, id FROM units"))
        answers, sums, stats = [], [], []
        volumes = iter(spread(responses, shape.unit_days))
        for code in shape.communes:
            unit = ids[code]
            for day in shape.days:
                n = next(volumes)
                chosen = rng.sample(range(PATTERNS), PER_DAY)
                levels: Counter[tuple[str, int]] = Counter()
                measures: dict[str, list[float]] = {}
                for pattern, times in zip(chosen, _split(rng, n, PER_DAY), strict=True):
                    if not times:
                        continue
                    for question, level in zip(QUESTIONS, patterns[pattern], strict=True):
                        levels[question, level] += times
                    for measure, x in personal[pattern].items():
                        found = measures.setdefault(measure, [0.0, 0.0, 0.0])
                        found[0] += times
                        found[1] += times * x
                        found[2] += times * x * x
                iso = day.isoformat()
                answers += [(unit, version, iso, q, v, c) for (q, v), c in sorted(levels.items())]
                sums += [(unit, version, iso, m, int(k), t, q) for m, (k, t, q) in measures.items()]
                stats.append((unit, iso, "web", n + n // 10, n, 0, 0))
        db.executemany(
            "INSERT INTO answer_counts (unit_id, flow_version_id, day, question_id, level, count)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            answers,
        )
        db.executemany(
            "INSERT INTO respondent_sums (unit_id, flow_version_id, day, measure, n, total,"
            " squares) VALUES (?, ?, ?, ?, ?, ?, ?)",
            sums,
        )
        db.executemany(
            "INSERT INTO unit_day_stats (unit_id, day, source, started, completed, comments,"
            " complaints) VALUES (?, ?, ?, ?, ?, ?, ?)",
            stats,
        )
        for table, keys, summed, rows in (
            ("answer_period_counts", "unit_id, flow_version_id, grain, first_day, question_id,"
             " level", "count", answers),
            ("respondent_period_sums", "unit_id, flow_version_id, grain, first_day, measure",
             "n, total, squares", sums),
            ("unit_period_stats", "unit_id, grain, first_day, source",
             "started, completed, comments, complaints", stats),
        ):  # fmt: skip
            names = keys.split(", ")
            db.executemany(
                f"INSERT INTO {table} ({keys}, {summed})"
                f" VALUES ({', '.join('?' * (len(rows[0]) + 1))})",
                by_period(rows, names.index("grain"), len(names) - 1),
            )
    return len(answers)


def by_period(rows: list[tuple[Any, ...]], day_at: int, width: int) -> list[tuple[Any, ...]]:
    """Day rows (a key of ``width`` columns with the ISO day at ``day_at``, then summed
    columns) summed per month and per ISO week, as ``count_response`` keeps the period
    rows: the day becomes (grain, first day of the period)."""
    summed: dict[tuple[Any, ...], list[Any]] = {}
    for row in rows:
        for grain, first in first_days(date.fromisoformat(row[day_at])).items():
            key = (*row[:day_at], grain, first.isoformat(), *row[day_at + 1 : width])
            found = summed.setdefault(key, [0] * (len(row) - width))
            for i, value in enumerate(row[width:]):
                found[i] += value
    return [(*key, *values) for key, values in summed.items()]


def raw(path: Path, shape: Province, per_unit_day: int, seed: int = 11) -> int:
    """Completed sessions (on dangling link ids: nothing reads links here) with 22 answers
    each, ``per_unit_day`` per commune and day; returns the number of answers."""
    rng = random.Random(seed)
    with sqlite3.connect(path) as db:
        ids = dict(db.execute("SELECT code, id FROM units"))
        sessions, answers = [], []
        number = 0
        for code in shape.communes:
            for day in shape.days:
                stamp = f"{day.isoformat()} 02:00:00.000000"
                year, week, _ = day.isocalendar()
                for _ in range(per_unit_day):
                    number += 1
                    sessions.append((number, number, ids[code], shape.flow_version_id, "web",
                                     "vi", "done", 22, 22, stamp, stamp, stamp, stamp,
                                     f"{year}-W{week:02d}", day.isoformat(), 0, False))  # fmt: skip
                    levels = _levels(rng, len(QUESTIONS))
                    answers += [
                        (number, q, v, stamp) for q, v in zip(QUESTIONS, levels, strict=True)
                    ]
        db.executemany(
            "INSERT INTO survey_sessions (id, link_id, unit_id, flow_version_id, channel, locale,"
            " phase, position, version, started_at, updated_at, last_answer_at, completed_at,"
            " completed_week, completed_on, reminders_sent, flagged) VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            sessions,
        )
        db.executemany(
            "INSERT INTO answers (session_id, question_id, value, answered_at) VALUES (?, ?, ?, ?)",
            answers,
        )
    return len(answers)


def client_of(token: str) -> str:
    """The web-chat client id (the browser's ``sipas_chat`` cookie) an in-progress session
    of ``token`` is bound to."""
    return f"benchbrowser-{token}"


def in_progress(path: Path, unit_code: str, count: int, answered: int = 5) -> list[str]:
    """``count`` web-chat respondents part-way through (``answered`` answers each), with their
    dossiers and links, each bound to its browser (``client_of``); returns their tokens."""
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
            [(n, n, unit, version, client_of(t), answered, answered, STAMP, STAMP, STAMP)
             for n, t in zip(numbers, tokens, strict=True)],
        )  # fmt: skip
        db.executemany(
            "INSERT INTO answers (session_id, question_id, value, answered_at) VALUES (?, ?, 4, ?)",
            [(n, q, STAMP) for n in numbers for q in QUESTIONS[:answered]],
        )
    return tokens
