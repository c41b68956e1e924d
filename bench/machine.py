"""The machine, the interpreter and the library versions a run measured on."""

from __future__ import annotations

import os
import platform
import time
from datetime import UTC, datetime
from importlib import metadata

LIBRARIES = (
    "sqlalchemy",
    "aiohttp",
    "aiosqlite",
    "asyncpg",
    "python-telegram-bot",
    "aiogram",
    "openpyxl",
)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


SPEED_STEPS = 300_000


def cpu_speed() -> str:
    """A fixed pure-Python loop, best of five, in million steps per second: the same machine
    ran it three times slower one afternoon than that morning (another tenant on the host),
    so each run says how fast its CPU was at its start and at its end."""
    best = min(_loop_seconds() for _ in range(5))
    return f"{SPEED_STEPS / best / 1e6:.1f} M loop steps/s"


def _loop_seconds() -> float:
    began = time.perf_counter()
    total = 0
    for step in range(SPEED_STEPS):
        total += step * step % 7
    return time.perf_counter() - began


def describe(extra: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    rows = [
        ("date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", cpu_model()),
        ("cores", f"{os.cpu_count()} (load average at start: {load})"),
        ("CPU speed at start", cpu_speed()),
        ("system", platform.platform()),
        ("Python", platform.python_version()),
    ]
    rows += [(name, version(name)) for name in LIBRARIES]
    return rows + (extra or [])
