"""Summaries of cProfile output: where the CPU goes, by library and by function.

A process under test runs under ``Profiler`` when the bench names a file in the environment
(``SIPAS_BENCH_PROFILE``); ``summarise`` turns the file into a short paragraph for RESULTS.md.
"""

from __future__ import annotations

import cProfile
import pstats
import signal
import time
from collections import Counter
from pathlib import Path

# Library groups, matched on the file path of each function (first match wins).
GROUPS = (
    ("sqlalchemy", "SQLAlchemy"),
    ("aiosqlite", "aiosqlite"),
    ("asyncpg", "asyncpg"),
    ("sqlite3", "sqlite3"),
    ("/telegram/", "python-telegram-bot"),
    ("httpx", "httpx"),
    ("httpcore", "httpx"),
    ("aiogram", "aiogram"),
    ("aiohttp", "aiohttp"),
    ("jinja2", "Jinja2"),
    ("asyncio", "asyncio"),
    ("concurrent", "threads"),
    ("threading", "threads"),
    ("/bot/", "ours: bot/"),
    ("/flows/", "ours: flows/"),
    ("/storage/", "ours: storage/"),
    ("/reports/", "ours: reports/"),
    ("logging", "logging"),
    ("json", "json"),
)


def group_of(filename: str) -> str:
    for fragment, name in GROUPS:
        if fragment in filename:
            return name
    if filename.startswith("~") or filename.startswith("<"):
        return "built-ins"
    return "other"


def summarise(path: Path, *, top: int = 8) -> str:
    """Own-time shares by library, then the functions with the most own time."""
    stats = pstats.Stats(str(path))
    entries = stats.stats  # type: ignore[attr-defined]
    total = sum(value[2] for value in entries.values()) or 1e-9
    groups: Counter[str] = Counter()
    for (filename, _line, _name), value in entries.items():
        groups[group_of(filename)] += value[2]
    shares = ", ".join(f"{name} {seconds / total:.0%}" for name, seconds in groups.most_common(8))
    ranked = sorted(entries.items(), key=lambda item: item[1][2], reverse=True)[:top]
    functions = "; ".join(
        f"`{Path(filename).name}:{name}` {value[2] / total:.0%}"
        for (filename, _line, name), value in ranked
    )
    return f"own CPU time by library: {shares}. Top functions: {functions}."


def cumulative(path: Path, fragments: tuple[str, ...], *, top: int = 8) -> str:
    """Cumulative-time shares of our functions whose file path has one of ``fragments``."""
    stats = pstats.Stats(str(path))
    entries = stats.stats  # type: ignore[attr-defined]
    total = sum(value[2] for value in entries.values()) or 1e-9
    ours = [
        (f"`{Path(filename).name}:{name}`", value[3])
        for (filename, _line, name), value in entries.items()
        if any(fragment in filename for fragment in fragments)
    ]
    ours.sort(key=lambda item: item[1], reverse=True)
    return "; ".join(f"{name} {seconds / total:.0%}" for name, seconds in ours[:top])


class Profiler:
    """cProfile for a process under test, on the CPU clock of the event loop's thread.

    Switched on by SIGUSR1 and off (the file written) by SIGUSR2, so that the bench profiles
    the load alone, not the start; what is still on at exit is written then.
    """

    def __init__(self, path: str | None, *, windowed: bool = True) -> None:
        self.path, self.windowed = path, windowed
        # CPU time of the event loop's thread: waiting (epoll) costs nothing, as in rusage;
        # work in driver threads (aiosqlite) is not profiled.
        self.profile = cProfile.Profile(time.thread_time) if path else None
        self.running = False

    def _on(self, *_: object) -> None:
        if self.profile and not self.running:
            self.running = True
            self.profile.enable()

    def _off(self, *_: object) -> None:
        if self.profile and self.path and self.running:
            self.running = False
            self.profile.disable()
            self.profile.dump_stats(self.path)

    def __enter__(self) -> Profiler:
        if self.profile and self.windowed:
            signal.signal(signal.SIGUSR1, self._on)
            signal.signal(signal.SIGUSR2, self._off)
        elif self.profile:
            self._on()
        return self

    def __exit__(self, *_: object) -> None:
        self._off()
