"""The machine, the interpreter and the library versions a run measured on."""

from __future__ import annotations

import os
import platform
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


def describe(extra: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    rows = [
        ("date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", cpu_model()),
        ("cores", f"{os.cpu_count()} (load average at start: {load})"),
        ("system", platform.platform()),
        ("Python", platform.python_version()),
    ]
    rows += [(name, version(name)) for name in LIBRARIES]
    return rows + (extra or [])
